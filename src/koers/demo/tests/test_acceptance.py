"""The foundation's acceptance check as a new user would do it, on the demo data, through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.core.models import User
from koers.participants.models import Participant

pytestmark = pytest.mark.django_db

CASE_JOURNEYS = ["Nahom", "Heba", "Ammar", "Nabil"]


@pytest.fixture
def demo(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def test_regisseur_finds_the_four_case_journeys(demo, client):
    client.force_login(User.objects.get(username="regisseur"))
    for name in CASE_JOURNEYS:
        page = client.get(reverse("participants:list"), {"q": name}).content.decode()
        assert name in page, name
        p = Participant.objects.get(preferred_name=name)
        assert client.get(reverse("participants:detail", kwargs={"pk": p.pk})).status_code == 200


def test_language_provider_sees_only_its_participants_and_no_health_barriers(demo, client):
    teacher = User.objects.get(username="taaldocent")
    client.force_login(teacher)
    heba = Participant.objects.get(preferred_name="Heba")
    assert heba.barriers.filter(code="psychische_gezondheid").exists()
    page = client.get(reverse("participants:detail", kwargs={"pk": heba.pk})).content.decode()
    assert "Psychische gezondheid" not in page
    shown = client.get(reverse("participants:list")).context["page"].paginator.count
    involved = Participant.objects.filter(
        memberships__organisation=teacher.organisation, memberships__ended_at__isnull=True
    ).distinct().count()
    assert shown == involved < Participant.objects.count()
    other = Participant.objects.filter(regie_organisation__name="Gemeente Heuvelrand").first()
    assert client.get(reverse("participants:detail", kwargs={"pk": other.pk})).status_code == 404
