"""Appointments in the week (the seam appointment → week): the staff week view, the week card and Mijn Koers show
the same planned contacts, an appointment during a class is named as a clash, and planning one at the time of a
class asks first."""

from __future__ import annotations

import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.activities.pdf import week_card, week_card_context
from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import Event, week_view
from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.activities.tests.test_schedule import MON, block
from koers.casework.models import Appointment
from koers.core.access import grant_for
from koers.core.codes import AppointmentStatus, ContactKind

pytestmark = pytest.mark.django_db

NEXT_MONDAY = this_monday() + timedelta(days=7)  # always in the future: planning refuses the past


def event(day, start, end, **kw) -> Event:
    return Event(id=kw.pop("id", 1), day=day, start=time.fromisoformat(start), end=time.fromisoformat(end),
                 title=kw.pop("title", "Gesprek over uw plan"), kind_label="Gesprek", with_whom="Rita", **kw)


# --- The week (pure) ------------------------------------------------------------------------------------------


def test_an_event_shows_in_its_dagdeel_without_adding_hours():
    monday_class = block(0, "09:00", "12:00", enrolment_id=1)
    week = week_view([monday_class], MON, availability=None, max_hours=32,
                     events=[event(MON, "14:00", "14:45"), event(MON + timedelta(days=5), "19:00", "19:30", id=2)])
    assert week.hours == 3
    monday = week.days[0]
    assert [e.title for e in monday.cells[1].events] == ["Gesprek over uw plan"] and not monday.cells[0].events
    # A saturday evening appointment brings in the saturday and the evening row.
    assert [d.label for d in week.days][-1] == "zaterdag" and [p for p, _ in week.parts] == ["o", "m", "a"]
    assert week.days[-1].cells[2].events[0].id == 2 and not week.days[-1].empty
    assert week.event_clashes == []


def test_an_event_during_a_class_is_a_clash():
    monday_class = block(0, "09:00", "12:00", enrolment_id=1, title="Taalles B1")
    week = week_view([monday_class], MON, availability=None, max_hours=32, events=[event(MON, "11:30", "12:15")])
    assert [(e.start, b.title) for e, b in week.event_clashes] == [(time(11, 30), "Taalles B1")]
    # Outside this week: not shown, no clash.
    later = week_view([monday_class], MON, availability=None, max_hours=32,
                      events=[event(MON + timedelta(days=7), "10:00", "11:00")])
    assert later.event_clashes == [] and not any(d.events for d in later.days)


# --- The staff week, the week card, Mijn Koers ----------------------------------------------------------------


def _appointment(world, day, hour, minute=0, *, status=AppointmentStatus.GEPLAND, participant=None, purpose=None):
    return Appointment.objects.create(
        participant=participant or world.participant, kind=ContactKind.GESPREK,
        starts_at=timezone.make_aware(datetime.combine(day, time(hour, minute))), duration_minutes=45,
        organisation=world.gemeente, with_user=world.regisseur, purpose=purpose or "Samen de brief van DUO lezen",
        location="Stadskantoor, balie 3", created_by=world.regisseur, status=status)


@pytest.fixture
def monday_class(world):
    course = make_activity(world.taal, world.taaldocent, title="Taalexpres", slots=[(0, "09:00", "12:00")])
    return make_enrolment(world.participant, course, world.regisseur)


def test_the_staff_week_shows_appointments_and_names_the_clash(world, client_for, monday_class):
    _appointment(world, NEXT_MONDAY, 11)  # during the class
    _appointment(world, NEXT_MONDAY + timedelta(days=2), 15, purpose="Gesprek over werk")
    _appointment(world, NEXT_MONDAY + timedelta(days=3), 10, status=AppointmentStatus.AFGEZEGD,
                 purpose="Afgezegd gesprek")
    _appointment(world, NEXT_MONDAY, 10, participant=world.other_participant, purpose="Van iemand anders")
    url = reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})
    text = client_for(world.regisseur).get(url, {"week": NEXT_MONDAY.isoformat()}).content.decode()
    assert "Samen de brief van DUO lezen" in text and "Gesprek over werk" in text
    assert "Afspraak (gesprek) met Rita" in text
    assert "valt tijdens ‘Taalexpres’" in text
    assert "Afgezegd gesprek" not in text and "Van iemand anders" not in text


def test_the_week_card_lists_the_appointment(world, monday_class, tmp_path):
    _appointment(world, NEXT_MONDAY, 14)
    week = schedule_queries.participant_week(world.participant, NEXT_MONDAY, grant_for(world.regisseur,
                                                                                      world.participant))
    card = week_card_context(world.participant, week)
    afternoon = card["days"][0]["cells"][1]
    assert afternoon[0]["event"].title == "Samen de brief van DUO lezen" and not card["empty"]
    path = tmp_path / "weekkaart.pdf"
    path.write_bytes(week_card(world.participant, week))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "Samen de brief van DUO lezen" in text and "14:00–14:45" in text
    assert "Afspraak / ቆጸራ" in text  # the kind in Tigrinya next to the Dutch (Nahom reads Tigrinya)


# --- Planning at the time of a class ---------------------------------------------------------------------------


def _form(world, when, **extra):
    return {"kind": ContactKind.GESPREK, "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45,
            "with_user": world.regisseur.pk, "purpose": "Gesprek over uw plan", "location": "", **extra}


def test_planning_during_a_class_asks_first(world, client_for, monday_class):
    url = reverse("casework:appointment_create", kwargs={"pk": world.participant.pk})
    client = client_for(world.regisseur)
    during = datetime.combine(NEXT_MONDAY, time(11, 30))
    response = client.post(url, _form(world, during))
    text = response.content.decode()
    assert response.status_code == 200 and "Dan heeft de deelnemer les" in text and "Taalexpres" in text
    assert "09:00–12:00" in text and "Toch op dit moment plannen" in text
    assert not Appointment.objects.exists()
    response = client.post(url, _form(world, during, despite_clash="on"))
    assert response.status_code == 302 and Appointment.objects.count() == 1
    # After the class: planned at once.
    client.post(url, _form(world, datetime.combine(NEXT_MONDAY, time(12, 0))))
    assert Appointment.objects.count() == 2


def test_planning_outside_the_availability_asks_first(world, client_for):
    world.participant.availability = ["ma_o", "di_o"]  # works in the afternoons
    world.participant.save()
    url = reverse("casework:appointment_create", kwargs={"pk": world.participant.pk})
    client = client_for(world.regisseur)
    text = client.post(url, _form(world, datetime.combine(NEXT_MONDAY, time(14, 0)))).content.decode()
    assert "De deelnemer is dan niet beschikbaar (maandag middag)" in text and not Appointment.objects.exists()
    assert client.post(url, _form(world, datetime.combine(NEXT_MONDAY, time(9, 0)))).status_code == 302
    # In the week the afternoon one would be named too.
    _appointment(world, NEXT_MONDAY, 15, purpose="Gesprek in de middag")
    week_page = client.get(reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk}),
                           {"week": NEXT_MONDAY.isoformat()}).content.decode()
    assert "De afspraak ‘Gesprek in de middag’ op maandag" in week_page
    assert "valt buiten de beschikbaarheid" in week_page
