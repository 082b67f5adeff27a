"""Appointments (planned contacts): planning with bad input refused, recording the contact from the appointment
(pre-filled, the appointment becomes held), cancelling and missed, access, and what Mijn Koers shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import Appointment, Contact
from koers.casework.queries import appointments as queries
from koers.casework.services import appointments as services
from koers.core import access
from koers.core.codes import AppointmentStatus, ContactKind

FMT = "%Y-%m-%dT%H:%M"


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(world, when, **extra):
    return {"kind": ContactKind.GESPREK, "starts_at": timezone.localtime(when).strftime(FMT),
            "duration_minutes": 45, "with_user": world.regisseur.pk, "purpose": "Gesprek over uw plan",
            "location": "Stadskantoor, balie 3", **extra}


def _plan(world, when, **extra) -> Appointment:
    data = queries.AppointmentData(kind=ContactKind.GESPREK, starts_at=when, duration_minutes=30,
                                   with_user=world.regisseur, purpose="Gesprek over uw plan", **extra)
    return services.plan(world.regisseur, world.participant, access.grant_for(world.regisseur, world.participant),
                         data)


def test_planning_shows_on_the_contacts_page(world):
    url = reverse("casework:appointment_create", kwargs={"pk": world.participant.pk})
    client = staff(world.regisseur)
    assert "Afspraak plannen" in client.get(url).content.decode()
    when = timezone.now() + timedelta(days=2)
    response = client.post(url, _form(world, when), follow=True)
    body = response.content.decode()
    assert "Afspraak gepland op" in body and "Gesprek over uw plan" in body and "Stadskantoor" in body
    appointment = Appointment.objects.get()
    assert appointment.organisation == world.gemeente and appointment.status == AppointmentStatus.GEPLAND


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"starts_at": "2020-01-01T10:00"}, "starts_at", "nog moet komen"),
    ({"duration_minutes": 0}, "duration_minutes", "Vul een duur in"),
    ({"purpose": "  "}, "purpose", "Schrijf kort waarover"),
    ({"kind": ContactKind.BERICHT}, "kind", "Kies een soort afspraak"),
    ({"with_user": 999999}, "with_user", "Kies een medewerker"),
])
def test_bad_input_is_refused_next_to_the_field(world, change, field, message):
    url = reverse("casework:appointment_create", kwargs={"pk": world.participant.pk})
    body = staff(world.regisseur).post(url, _form(world, timezone.now() + timedelta(days=1), **change))
    assert message in body.content.decode()
    assert f'id="id_{field}_error"' in body.content.decode()
    assert not Appointment.objects.exists()


def test_a_staff_member_of_another_organisation_cannot_be_named(world):
    data = queries.AppointmentData(kind=ContactKind.GESPREK, starts_at=timezone.now() + timedelta(days=1),
                                   duration_minutes=30, with_user=world.andere_regisseur, purpose="x")
    assert "with_user" in queries.check(world.participant, data)


def test_recording_the_contact_from_the_appointment_is_prefilled_and_holds_it(world):
    appointment = _plan(world, timezone.now() + timedelta(minutes=5))
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client = staff(world.regisseur)
    contacts = reverse("casework:participant_contacts", kwargs={"pk": world.participant.pk})
    page = client.get(contacts).content.decode()
    assert "nog niet vastgelegd" in page and f"?afspraak={appointment.pk}" in page
    create = reverse("casework:contact_create", kwargs={"pk": world.participant.pk})
    form = client.get(create, {"afspraak": appointment.pk}).content.decode()
    assert f'name="afspraak" value="{appointment.pk}"' in form
    assert 'value="30"' in form and "Gesprek over uw plan" in form
    happened = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(FMT)
    response = client.post(create, {"afspraak": appointment.pk, "kind": "gesprek", "happened_at": happened,
                                    "duration_minutes": 30, "staff": [world.regisseur.pk],
                                    "participant_present": "on", "summary": "Plan besproken"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.GEHOUDEN
    assert appointment.contact == Contact.objects.get(summary="Plan besproken")
    # Recording it twice is not possible: the appointment is no longer planned.
    assert client.get(create, {"afspraak": appointment.pk}).status_code == 404


def test_cancel_and_missed(world):
    later = _plan(world, timezone.now() + timedelta(days=3))
    client = staff(world.regisseur)
    status = reverse("casework:appointment_status", kwargs={"pk": world.participant.pk, "appointment_id": later.pk})
    response = client.post(status, {"status": "niet_verschenen"}, follow=True)
    assert "nog niet begonnen" in response.content.decode()
    client.post(status, {"status": "afgezegd"})
    later.refresh_from_db()
    assert later.status == AppointmentStatus.AFGEZEGD
    response = client.post(status, {"status": "afgezegd"}, follow=True)
    assert "al afgezegd" in response.content.decode()
    assert client.get(status).status_code == 405


def test_others_get_404(world):
    appointment = _plan(world, timezone.now() + timedelta(days=1))
    other = staff(world.andere_regisseur)
    for url in (reverse("casework:appointment_create", kwargs={"pk": world.participant.pk}),
                reverse("casework:appointment_status", kwargs={"pk": world.participant.pk,
                                                               "appointment_id": appointment.pk})):
        assert other.post(url, {"status": "afgezegd"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.GEPLAND
