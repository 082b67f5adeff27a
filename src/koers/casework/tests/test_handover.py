"""Warm handover: the receiver, the snapshot per the receiver's grant, confirmation, notification, access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem, Contact, Handover
from koers.casework.queries import handover as handover_queries
from koers.casework.services import handover as handover_services
from koers.core import access
from koers.core.codes import Category, ContactKind, HandoverStatus, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import make_user
from koers.participants.models import Membership, ParticipantChange
from koers.plans.tests.conftest import draft_with_content, sign

pytestmark = pytest.mark.django_db


def create_url(p):
    return reverse("casework:handover_create", kwargs={"pk": p.pk})


def detail_url(h):
    return reverse("casework:handover_detail", kwargs={"handover_id": h.pk})


def confirm_url(h):
    return reverse("casework:handover_confirm", kwargs={"handover_id": h.pk})


@pytest.fixture
def file(world):
    """A signed plan with a work goal and a mental-health goal, action items and contacts, some special."""
    sign(world, draft_with_content(world))
    p, r = world.participant, world.regisseur
    now = timezone.now()
    for title, domain, status in (("Taaltoets plannen", "communicatie_taal", "open"),
                                  ("Huisarts bellen", "geestelijke_gezondheid", "open"),
                                  ("Oud punt", "", "afgerond")):
        ActionItem.objects.create(participant=p, owner_organisation=world.gemeente, title=title, domain=domain,
                                  status=status, due_date=timezone.localdate() + timedelta(days=5), created_by=r)
    for summary, special, days in (("Gewone voortgang", False, 3), ("Slaapproblemen besproken", True, 2),
                                   ("Heel oud gesprek", False, 90)):
        Contact.objects.create(participant=p, kind=ContactKind.GESPREK, happened_at=now - timedelta(days=days),
                               duration_minutes=30, organisation=world.gemeente, summary=summary, is_special=special,
                               recorded_by=r)
    return p


def test_snapshot_holds_only_what_the_receiver_may_see(world, client_for, file, django_capture_on_commit_callbacks):
    client = client_for(world.regisseur)
    page = client.get(create_url(file)).content.decode()
    assert "Daan" in page and "Bo " not in page  # the re-integration company is not involved
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes once the handover is committed
        response = client.post(create_url(file), {"to_user": world.taaldocent.pk,
                                                  "note": "Nahom werkt graag met zijn handen."})
    h = Handover.objects.get()
    assert response["Location"] == detail_url(h)
    doc = h.snapshot
    assert [g["title"] for g in doc["plan"]["goals"]] == ["Werkervaring opdoen in de techniek"]
    assert [a["title"] for a in doc["actions"]] == ["Taaltoets plannen"]
    assert [c["summary"] for c in doc["contacts"]] == ["Gewone voortgang"]  # no special, nothing older than 60 days
    assert Category.SPECIAL not in doc["categories"]
    assert h.to_organisation == world.taal and h.from_user == world.regisseur
    # The receiver is told by e-mail, without participant data in it.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.taaldocent.email]
    assert "Nahom" not in mail.outbox[0].body and detail_url(h) in mail.outbox[0].body
    assert AuditEvent.objects.filter(user=world.regisseur, action="aanmaken", participant_id=file.pk,
                                     detail__contains="Warme overdracht").exists()
    # The receiver reads it; the health goal and the special contact are not there.
    page = client_for(world.taaldocent).get(detail_url(h)).content.decode()
    assert "Werkervaring opdoen" in page and "Gewone voortgang" in page and "Nahom werkt graag" in page
    assert "Beter slapen" not in page and "Slaapproblemen" not in page and "Huisarts" not in page


def test_snapshot_for_a_receiver_with_special_access_includes_it_and_other_viewers_are_filtered(world, file):
    colleague = make_user(world.gemeente, Role.REGISSEUR, first_name="Cas")
    grant = access.grant_for(world.regisseur, file)
    h = handover_services.start_handover(world.regisseur, file, grant, colleague, "Over naar Cas")
    assert {c["summary"] for c in h.snapshot["contacts"]} == {"Gewone voortgang", "Slaapproblemen besproken"}
    assert len(h.snapshot["plan"]["goals"]) == 2
    # Shown to somebody without special access (defence in depth), the special parts are left out again.
    shown = handover_queries.snapshot_for(h, access.grant_for(world.taaldocent, file))
    assert [c["summary"] for c in shown["contacts"]] == ["Gewone voortgang"]
    assert len(shown["plan"]["goals"]) == 1


def test_bad_receivers_are_refused(world, client_for, file):
    client = client_for(world.regisseur)
    for receiver in (world.begeleider, world.andere_regisseur, world.regisseur, world.beheerder):
        response = client.post(create_url(file), {"to_user": receiver.pk, "note": "x"})
        assert "kan de deelnemer niet overnemen" in response.content.decode(), receiver
    response = client.post(create_url(file), {"to_user": world.taaldocent.pk, "note": " "})
    assert "Schrijf een overdrachtsnotitie" in response.content.decode()
    assert not Handover.objects.exists() and not mail.outbox


def test_only_users_with_trajectory_write_start_a_handover(world, client_for, file):
    assert client_for(world.taaldocent).get(create_url(file)).status_code == 404
    assert client_for(world.andere_regisseur).get(create_url(file)).status_code == 404


def test_confirm_by_another_regisseur_sets_the_regisseur_and_is_audited(world, client_for, file,
                                                                       django_capture_on_commit_callbacks):
    colleague = make_user(world.gemeente, Role.REGISSEUR, first_name="Cas", email="cas@example.org")
    h = handover_services.start_handover(world.regisseur, file, access.grant_for(world.regisseur, file), colleague,
                                         "Over")
    # Only the receiver confirms; the sender and outsiders cannot.
    assert client_for(world.regisseur).post(confirm_url(h)).status_code == 404
    assert client_for(world.andere_regisseur).post(confirm_url(h)).status_code == 404
    assert client_for(world.andere_regisseur).get(detail_url(h)).status_code == 404
    assert client_for(world.taaldocent).get(detail_url(h)).status_code == 404  # not sender, receiver or regisseur
    client = client_for(colleague)
    page = client.get(reverse("casework:my_handovers")).content.decode()
    assert "Nahom Tesfay" in page and "Wacht op bevestiging" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(h), {"confirm_note": "Ik neem het over."}, follow=True)
    assert "U heeft de overdracht van Nahom Tesfay bevestigd" in response.content.decode()
    h.refresh_from_db()
    file.refresh_from_db()
    assert h.status == HandoverStatus.BEVESTIGD and h.confirm_note == "Ik neem het over."
    assert file.regisseur == colleague
    assert ParticipantChange.objects.filter(participant=file, field="regisseur").exists()
    assert AuditEvent.objects.filter(user=colleague, action="wijzigen", participant_id=file.pk,
                                     detail__contains="is nu regisseur").exists()
    assert mail.outbox and mail.outbox[0].to == [world.regisseur.email]
    # Confirming twice changes nothing.
    response = client.post(confirm_url(h), follow=True)
    assert "al bevestigd" in response.content.decode()


def test_confirm_by_a_partner_makes_them_the_counsellor(world, client_for, file):
    h = handover_services.start_handover(world.regisseur, file, access.grant_for(world.regisseur, file),
                                         world.taaldocent,
                                "Taalhuis begeleidt verder")
    client_for(world.taaldocent).post(confirm_url(h))
    file.refresh_from_db()
    assert file.regisseur == world.regisseur  # a partner does not become the regisseur
    assert Membership.objects.get(participant=file, organisation=world.taal).counsellor == world.taaldocent


def test_receiver_who_lost_access_gets_404(world, client_for, file):
    h = handover_services.start_handover(world.regisseur, file, access.grant_for(world.regisseur, file),
                                         world.taaldocent,
                                "Over")
    world.membership.ended_at = timezone.now()
    world.membership.save()
    client = client_for(world.taaldocent)
    assert client.get(detail_url(h)).status_code == 404
    assert client.post(confirm_url(h)).status_code == 404
    assert "Nahom" not in client.get(reverse("casework:my_handovers")).content.decode()
