"""A plan that holds a health goal is special-category data as a whole where it cannot be split: the signed
scan is only for users whose grant covers special data, and is audited as such (issue 10, item 2). The plan page
and compare page leave the health goal out for others (the PDF: test_plan_views.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koers.core.models import AuditAction, AuditEvent
from koers.plans.models import Goal, SignMethod
from koers.plans.services import plans as services
from koers.plans.tests.conftest import draft_with_content, grant

pytestmark = pytest.mark.django_db

HEALTH_GOAL = "Beter slapen met hulp van de huisarts"
HEALTH_STEP = "praktijkondersteuner GGZ"


def sign_on_paper(world, version):
    return services.sign(world.regisseur, world.participant, grant(world.regisseur, world.participant), version.pk,
                         version.revision, method=SignMethod.PAPER, signed_on=timezone.localdate(),
                         participant_signed=True,
                         document=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 " + HEALTH_GOAL.encode()))


def scan_url(world, number=1):
    return reverse("plans:signed_document", kwargs={"pk": world.participant.pk, "number": number})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_scan_of_a_plan_with_a_health_goal_is_404_without_the_special_category(world, client_for, media):
    sign_on_paper(world, draft_with_content(world))
    docent = client_for(world.taaldocent)
    assert docent.get(reverse("plans:plan", kwargs={"pk": world.participant.pk})).status_code == 200
    response = docent.get(scan_url(world))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(user_id=world.taaldocent.pk, action=AuditAction.EXPORT).exists()
    response = client_for(world.regisseur).get(scan_url(world))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    categories = set(AuditEvent.objects.filter(user_id=world.regisseur.pk, action=AuditAction.EXPORT)
                     .values_list("category", flat=True))
    assert categories == {"identiteit", "traject", "bijzonder"}


def test_scan_of_a_plan_without_health_goals_is_trajectory_data(world, client_for, media):
    version = draft_with_content(world)
    Goal.objects.filter(version=version, domain="geestelijke_gezondheid").delete()
    version.refresh_from_db()
    sign_on_paper(world, version)
    response = client_for(world.taaldocent).get(scan_url(world))
    assert response.status_code == 200
    categories = set(AuditEvent.objects.filter(user_id=world.taaldocent.pk, action=AuditAction.EXPORT)
                     .values_list("category", flat=True))
    assert categories == {"identiteit", "traject"}


def test_plan_page_and_compare_leave_the_health_goal_out(world, client_for, media):
    sign_on_paper(world, draft_with_content(world))
    pk = world.participant.pk
    # A second version (a concept with the goals copied), so the compare page has something to compare.
    services.new_version(world.regisseur, world.participant, grant(world.regisseur, world.participant))
    page = reverse("plans:plan", kwargs={"pk": pk})
    compare = reverse("plans:compare", kwargs={"pk": pk}) + "?van=1&naar=2"
    docent = client_for(world.taaldocent)  # the test client is shared: log in again per user
    assert HEALTH_GOAL not in docent.get(page).content.decode()
    response = docent.get(compare)
    assert response.status_code == 200
    html = response.content.decode()
    assert HEALTH_GOAL not in html and HEALTH_STEP not in html
    regisseur = client_for(world.regisseur)
    assert HEALTH_GOAL in regisseur.get(page).content.decode()
