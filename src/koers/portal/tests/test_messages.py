"""Messages between the participant (Mijn Koers) and the regisseur and counsellors: each one a contact of kind
*bericht*, unread on the caseload, a signal after two working days without an answer, attachments checked."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import Contact, Message
from koers.casework.queries import alerts, caseload
from koers.casework.queries import messages as queries
from koers.casework.services import messages as services
from koers.core import access
from koers.core.codes import ContactKind, LegalBasis, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, make_user

PDF = b"%PDF-1.4\n% a letter\n"


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(portal_client, body, **files):
    return portal_client.post(reverse("portal:messages"), {"body": body, **files})


def test_a_message_from_the_participant_is_a_contact_that_resets_the_contact_clock(world, portal_client):
    response = _send(portal_client, "Ik ben morgen ziek, ik kom niet naar de les.")
    assert response.status_code == 302
    message = Message.objects.get(participant=world.participant)
    assert message.from_participant and message.organisation == world.gemeente
    contact = message.contact
    assert contact.kind == ContactKind.BERICHT and contact.participant_present
    assert contact.summary == "Bericht via Mijn Koers"  # the text stays in the conversation
    batch = alerts.Batch([world.participant], timezone.localdate(), alerts.policies_for([world.gemeente.pk]))
    assert alerts.last_contacts(batch)[world.participant.pk] == timezone.localdate()
    event = AuditEvent.objects.filter(participant_id=world.participant.pk, detail__startswith="Mijn Koers: bericht")
    assert event.get().legal_basis == access.OWN_BASIS
    assert "Uw bericht is verstuurd" in portal_client.get(reverse("portal:messages")).content.decode()


def test_the_regisseur_sees_it_unread_on_the_caseload_answers_and_the_participant_reads_the_answer(
        world, portal_client):
    _send(portal_client, "Waar is de les morgen?")
    regisseur = staff_client(world.regisseur)
    page = regisseur.get(reverse("casework:caseload")).content.decode()
    assert "1 nieuw bericht" in page
    conversation = reverse("casework:conversation", kwargs={"pk": world.participant.pk})
    body = regisseur.get(conversation).content.decode()
    assert "Waar is de les morgen?" in body
    assert Message.objects.get().read_by == world.regisseur
    assert "nieuw bericht" not in regisseur.get(reverse("casework:caseload")).content.decode()
    response = regisseur.post(conversation, {"body": "In lokaal 2, om 9 uur."})
    assert response.status_code == 302
    answer = Message.objects.get(from_participant=False)
    assert answer.contact.duration_minutes == queries.STAFF_MESSAGE_MINUTES
    assert not answer.contact.participant_present and list(answer.contact.staff.all()) == [world.regisseur]
    home = portal_client.get(reverse("portal:home")).content.decode()
    assert "1 nieuw" in home
    page = portal_client.get(reverse("portal:messages")).content.decode()
    assert "In lokaal 2, om 9 uur." in page and "Rita" in page
    answer.refresh_from_db()
    assert answer.read_at is not None


def test_a_teacher_sees_the_contact_but_not_the_conversation(world, portal_client):
    _send(portal_client, "Geheim voor mijn regisseur")
    teacher = staff_client(world.taaldocent)
    assert teacher.get(reverse("casework:conversation", kwargs={"pk": world.participant.pk})).status_code == 404
    contacts = teacher.get(reverse("casework:participant_contacts", kwargs={"pk": world.participant.pk}))
    assert "Bericht via Mijn Koers" in contacts.content.decode()
    assert "Geheim voor mijn regisseur" not in contacts.content.decode()
    other = staff_client(world.andere_regisseur)
    assert other.get(reverse("casework:conversation", kwargs={"pk": world.participant.pk})).status_code == 404


def test_a_counsellor_of_a_partner_takes_part(world, portal_client):
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
                      legal_basis=LegalBasis.WETTELIJKE_TAAK, counsellor=world.begeleider)
    begeleider = staff_client(world.begeleider)
    url = reverse("casework:conversation", kwargs={"pk": world.participant.pk})
    assert begeleider.post(url, {"body": "Hoe gaat het op het werk?"}).status_code == 302
    assert "Werkkracht" in portal_client.get(reverse("portal:messages")).content.decode()


def test_empty_too_long_and_disguised_attachments_are_refused_and_nothing_is_saved(world, portal_client):
    assert "Schrijf een bericht, of voeg een bestand toe." in _send(portal_client, "   ").content.decode()
    response = _send(portal_client, "x" * (queries.MAX_LENGTH + 1))
    assert response.status_code == 200 and "te lang" in response.content.decode()
    fake = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _send(portal_client, "Zie bijlage", attachment=fake)
    assert response.status_code == 200
    assert "past niet bij de naam (.pdf)" in response.content.decode()
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    assert "Dit bestandstype kan niet" in _send(portal_client, "", attachment=exe).content.decode()
    assert not Message.objects.exists() and not Contact.objects.exists()


def test_an_attachment_is_saved_under_a_random_name_and_only_its_participant_opens_it(
        world, portal_client, other_account):
    letter = SimpleUploadedFile("../../brief van de IND.pdf", PDF, content_type="application/pdf")
    assert _send(portal_client, "", attachment=letter).status_code == 302
    message = Message.objects.get()
    assert message.attachment_name == "brief van de IND.pdf"
    assert "IND" not in message.attachment.name and message.attachment.name.endswith(".pdf")
    url = reverse("portal:message_attachment", kwargs={"message_id": message.pk})
    response = portal_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    samira = Client()
    samira.force_login(other_account.user)
    assert samira.get(url).status_code == 404
    staff_url = reverse("casework:message_attachment", kwargs={"pk": world.participant.pk,
                                                               "message_id": message.pk})
    assert staff_client(world.regisseur).get(staff_url).status_code == 200
    assert staff_client(world.taaldocent).get(staff_url).status_code == 404


def test_a_message_cannot_be_corrected_as_a_contact(world):
    grant = access.grant_for(world.regisseur, world.participant)
    message = services.send_from_staff(world.regisseur, world.participant, grant, body="Tot morgen")
    detail = staff_client(world.regisseur).get(reverse("casework:contact_detail", kwargs={
        "pk": world.participant.pk, "contact_id": message.contact_id})).content.decode()
    assert "kan niet worden gewijzigd" in detail and "Lees het gesprek" in detail
    edit = reverse("casework:contact_edit", kwargs={"pk": world.participant.pk, "contact_id": message.contact_id})
    staff_client(world.regisseur).post(edit, {"summary": "anders"})
    message.contact.refresh_from_db()
    assert message.contact.summary == "Bericht via Mijn Koers"


def _signals(world, today):
    return [s for s in alerts.compute([world.participant], today=today)[world.participant.pk]
            if s.code == "bericht_onbeantwoord"]


def test_an_unanswered_message_becomes_a_signal_after_two_working_days_and_an_answer_ends_it(world, account):
    friday = timezone.make_aware(datetime(2026, 12, 4, 16, 0))
    message = services.send_from_participant(account.user, world.participant, body="Hallo?")
    Message.objects.filter(pk=message.pk).update(sent_at=friday)
    assert _signals(world, date(2026, 12, 7)) == []  # Monday: one working day
    found = _signals(world, date(2026, 12, 8))  # Tuesday: two
    assert len(found) == 1 and found[0].subject == f"bericht:{message.pk}"
    assert found[0].severity == alerts.ATTENTION
    assert _signals(world, date(2026, 12, 10))[0].severity == alerts.URGENT  # four working days
    grant = access.grant_for(world.regisseur, world.participant)
    services.send_from_staff(world.regisseur, world.participant, grant, body="Sorry, ik was weg.")
    assert _signals(world, date(2026, 12, 10)) == []
    # A new question after the answer starts the clock again.
    later = services.send_from_participant(account.user, world.participant, body="Nog een vraag")
    Message.objects.filter(pk=later.pk).update(sent_at=timezone.now() + timedelta(minutes=1))
    assert len(_signals(world, timezone.localdate() + timedelta(days=7))) == 1


def test_the_caseload_counts_unread_messages(world, account):
    for _ in range(3):
        services.send_from_participant(account.user, world.participant, body="Hallo")
    rows = caseload.caseload(world.regisseur).rows
    assert [r.unread for r in rows if r.participant.pk == world.participant.pk] == [3]
    teacher_roles = make_user(world.taal, Role.TAALDOCENT, username="docent2")
    assert caseload.caseload(teacher_roles).rows == []


def test_public_holidays_do_not_count_as_working_days_for_the_signal(world, account):
    # Wednesday 23 December: Thursday 24 is one working day, Friday 25 and Saturday 26 are Christmas, Monday 28 is
    # the second working day.
    message = services.send_from_participant(account.user, world.participant, body="Fijne feestdagen, en een vraag")
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.make_aware(datetime(2026, 12, 23, 11, 0)))
    assert _signals(world, date(2026, 12, 25)) == []
    assert _signals(world, date(2026, 12, 27)) == []
    assert len(_signals(world, date(2026, 12, 28))) == 1
