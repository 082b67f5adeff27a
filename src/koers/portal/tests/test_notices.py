"""E-mail bij nieuws: a participant who asked for it gets a short e-mail in their own language when staff send a
message or plan (or cancel) an appointment; never what it says, one until they log in, nothing without an address
or when the mail server is down (and the message is still sent)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.casework.queries import appointments as appointment_queries
from koers.casework.services import appointments as appointment_services
from koers.casework.services import messages as message_services
from koers.core import access
from koers.core.codes import AppointmentStatus, ContactKind
from koers.core.models import AuditAction, AuditEvent
from koers.portal.models import PortalAccount
from koers.portal.services import accounts as account_services

SECRET = "Uw uitkering wordt per 1 januari stopgezet"


@pytest.fixture
def subscribed(world, account):
    world.participant.email = "nahom@example.org"
    world.participant.save()
    PortalAccount.objects.filter(pk=account.pk).update(email_notices=True)
    account.refresh_from_db()
    return account


def _send(world, body=SECRET):
    grant = access.grant_for(world.regisseur, world.participant)
    return message_services.send_from_staff(world.regisseur, world.participant, grant, body=body)


def test_a_message_from_staff_sends_one_short_email_without_its_content(world, subscribed,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["nahom@example.org"] and sent.subject == "Nieuw bericht in Mijn Koers"
    assert "Er staat een nieuw bericht voor u klaar" in sent.body and "/mijn/" in sent.body
    for secret in (SECRET, "uitkering", world.regisseur.first_name, "Gemeente Rivierstad", "Nahom"):
        assert secret not in sent.body and secret not in sent.subject
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.EXPORT,
                                     detail__contains="e-mail bij nieuws verstuurd (bericht)").exists()
    # A second message before the participant logged in: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, "Nog iets")
    assert len(mail.outbox) == 1
    # After a login, the next news sends one again.
    subscribed.refresh_from_db()
    account_services.logged_in(account=subscribed)
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, "En nog iets")
    assert len(mail.outbox) == 2


def test_the_email_is_in_the_participants_language(world, subscribed, django_capture_on_commit_callbacks):
    PortalAccount.objects.filter(pk=subscribed.pk).update(language="ti")
    when = timezone.now() + timedelta(days=3)
    data = appointment_queries.AppointmentData(kind=ContactKind.GESPREK, starts_at=when, duration_minutes=30,
                                               with_user=world.regisseur, purpose="Gesprek over uw plan")
    grant = access.grant_for(world.regisseur, world.participant)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.plan(world.regisseur, world.participant, grant, data)
    sent = mail.outbox[0]
    assert any("\u1200" <= ch <= "\u137f" for ch in sent.subject + sent.body)  # Ge'ez script
    assert "Gesprek over uw plan" not in sent.body


def test_a_cancelled_appointment_is_news_too(world, subscribed, django_capture_on_commit_callbacks):
    when = timezone.now() + timedelta(days=3)
    data = appointment_queries.AppointmentData(kind=ContactKind.GESPREK, starts_at=when, duration_minutes=30,
                                               with_user=world.regisseur, purpose="Gesprek over uw plan")
    grant = access.grant_for(world.regisseur, world.participant)
    appointment = appointment_services.plan(world.regisseur, world.participant, grant, data)  # no commit: no mail
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.set_status(world.regisseur, appointment, grant, AppointmentStatus.AFGEZEGD)
    assert [m.subject for m in mail.outbox] == ["Afspraak afgezegd in Mijn Koers"]


@pytest.mark.parametrize("case", ["not asked", "no address", "blocked", "rolled back"])
def test_no_email_when_not_asked_without_address_blocked_or_rolled_back(world, subscribed, case,
                                                                        django_capture_on_commit_callbacks):
    if case == "not asked":
        PortalAccount.objects.filter(pk=subscribed.pk).update(email_notices=False)
    elif case == "no address":
        world.participant.email = ""
        world.participant.save()
    elif case == "blocked":
        subscribed.user.is_active = False
        subscribed.user.save()
    if case == "rolled back":
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _send(world)
        assert len(callbacks) == 1  # queued for the commit that never comes
    else:
        with django_capture_on_commit_callbacks(execute=True):
            _send(world)
    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_undo_the_message(world, subscribed, settings,
                                                             django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(world)
    assert message.pk and PortalAccount.objects.get(pk=subscribed.pk).notified_at is None


def test_the_participant_turns_it_on_and_off_on_my_data(world, account, portal_client):
    page = reverse("portal:my_data")
    assert "Er staat nog geen e-mailadres in uw dossier" in portal_client.get(page).content.decode()
    assert portal_client.post(reverse("portal:email_notices"), {"email_notices": "on"}).status_code == 302
    assert not PortalAccount.objects.get(pk=account.pk).email_notices  # no address: nothing to turn on
    world.participant.email = "nahom@example.org"
    world.participant.save()
    text = portal_client.get(page).content.decode()
    assert "nahom@example.org" in text and "Stuur mij een e-mail" in text
    response = portal_client.post(reverse("portal:email_notices"), {"email_notices": "on"}, follow=True)
    assert "U krijgt een e-mail als er nieuws voor u is." in response.content.decode()
    assert PortalAccount.objects.get(pk=account.pk).email_notices
    portal_client.post(reverse("portal:email_notices"), {})
    assert not PortalAccount.objects.get(pk=account.pk).email_notices
    assert portal_client.get(reverse("portal:email_notices")).status_code == 405
