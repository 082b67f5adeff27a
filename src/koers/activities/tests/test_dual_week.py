"""The dual week (issue 12, break 4): placements count next to classes in the week view, the week card and the
32-hour check of an enrolment; the dagdeel of a class; the evening row for someone available in the evening."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from koers.activities.models import Enrolment
from koers.activities.pdf import week_card_context
from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import check_schedule, slot_dagdelen, week_view
from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.activities.tests.test_schedule import MON, block
from koers.core.access import grant_for
from koers.core.codes import ActivityKind, ContractType, PlacementKind, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import make_user
from koers.work.models import Employer, Opening, Placement, PlacementTerm

pytestmark = pytest.mark.django_db


def week_url(world):
    return reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})


# --- The dagdeel of a class (pure) --------------------------------------------------------------------------


def test_a_friday_morning_class_until_one_is_a_morning():
    assert slot_dagdelen(4, time(9), time(13)) == ["vr_o"]
    assert slot_dagdelen(4, time(9), time(12, 30)) == ["vr_o"]
    assert slot_dagdelen(4, time(9), time(14)) == ["vr_o", "vr_m"]  # two hours into the afternoon
    friday = block(4, "09:00", "13:00", proposed=True)
    result = check_schedule([friday], [], availability=["vr_o"], max_hours=32)
    assert result.outside_availability == [] and not result.has_conflicts
    week = week_view([block(4, "09:00", "13:00", enrolment_id=1)], MON, availability=["vr_o"], max_hours=32)
    assert week.outside == []


def test_someone_available_only_in_the_evening_sees_the_evening_row():
    week = week_view([], MON, availability=["ma_a", "wo_a"], max_hours=32)
    assert [p for p, _ in week.parts] == ["o", "m", "a"]
    monday_evening = week.days[0].cells[2]
    assert monday_evening.code == "ma_a" and monday_evening.available is True
    # Nobody available in the evening and nothing planned then: the row stays out.
    assert [p for p, _ in week_view([], MON, availability=["ma_o"], max_hours=32).parts] == ["o", "m"]


# --- Class and work in one week -------------------------------------------------------------------------------


@pytest.fixture
def dual(world):
    """20 hours of class (monday to thursday 9–14) and a 24-hour trial placement on friday and afternoons."""
    monday = this_monday()
    course = make_activity(world.taal, world.taaldocent, title="Taalexpres", slots=[(d, "09:00", "14:00")
                                                                                   for d in range(4)])
    make_enrolment(world.participant, course, world.regisseur)
    employer = Employer.objects.create(name="Kunststof Oost", organisation=world.gemeente, sector="C",
                                       city="Rivierstad")
    opening = Opening.objects.create(employer=employer, kind=PlacementKind.PROEFPLAATSING, title="Inpakker",
                                     sector="C", hours_per_week=24, created_by=world.regisseur,
                                     days=["vr_o", "vr_m", "di_m"])
    placement = Placement.objects.create(
        participant=world.participant, employer=employer, opening=opening, kind=PlacementKind.PROEFPLAATSING,
        job_title="Inpakker", start_date=monday - timedelta(weeks=1), organisation=world.gemeente,
        created_by=world.regisseur,
    )
    PlacementTerm.objects.create(placement=placement, effective_from=placement.start_date,
                                 contract_type=ContractType.GEEN, hours_per_week=Decimal("24"),
                                 recorded_by=world.regisseur)
    world.participant.availability = ["ma_o", "ma_m", "di_o", "di_m", "wo_o", "wo_m", "do_o", "do_m", "vr_o",
                                      "vr_m"]
    world.participant.save()
    return placement


def test_the_week_counts_the_placement_next_to_the_classes(world, dual):
    grant = grant_for(world.regisseur, world.participant)
    week = schedule_queries.participant_week(world.participant, this_monday(), grant)
    assert week.hours == 44 and week.over_hours and week.max_hours == 32
    assert week.hours_text == "20 uur les + 24 uur proefplaatsing = 44 uur"
    friday = week.days[4]
    assert [w.title for w in friday.cells[0].work] == ["Inpakker bij Kunststof Oost"]
    # Tuesday afternoon is a working dagdeel and the class runs until 14:00 there.
    assert [(b.day_label, w.title) for b, w in week.at_work] == [("dinsdag", "Inpakker bij Kunststof Oost")]
    # The week card shows the work too.
    card = week_card_context(world.participant, week)
    assert card["days"][4]["cells"][0][0]["work"].title == "Inpakker bij Kunststof Oost"


def test_the_week_page_shows_class_plus_work_against_the_maximum(world, client_for, dual):
    page = client_for(world.regisseur).get(week_url(world))
    text = page.content.decode()
    assert "20 uur les + 24 uur proefplaatsing = 44 uur" in text and "maximaal 32 uur per week" in text
    assert "meer dan het maximum" in text and "Inpakker bij Kunststof Oost" in text
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, category="werk",
                                     detail__startswith="Weekrooster").exists()


def test_work_alone_is_never_held_to_the_maximum(world, client_for, dual):
    """Issue 12: "work alone is never held to that maximum". A week of 38 hours of work and no classes showed
    "meer dan het maximum" and a conflict; only class and work together above it need a reason."""
    Enrolment.objects.filter(participant=world.participant).delete()
    PlacementTerm.objects.filter(placement=dual).update(hours_per_week=Decimal("38"))
    week = schedule_queries.participant_week(world.participant, this_monday(),
                                             grant_for(world.regisseur, world.participant))
    assert week.hours == 38 and not week.over_hours
    text = client_for(world.regisseur).get(week_url(world)).content.decode()
    assert "38 uur" in text and "meer dan het maximum" not in text and "Conflicten in deze week" not in text


def test_the_week_shows_the_reason_recorded_for_class_and_work_above_the_maximum(world, client_for, dual):
    text = client_for(world.regisseur).get(week_url(world)).content.decode()
    assert "Er is geen reden vastgelegd." in text
    Enrolment.objects.filter(participant=world.participant).update(
        conflict_override="Afgesproken met werkgever: de proefplaatsing duurt vier weken.")
    text = client_for(world.regisseur).get(week_url(world)).content.decode()
    assert "meer dan het maximum" in text
    assert "Vastgelegde reden: ‘Taalexpres’: Afgesproken met werkgever: de proefplaatsing duurt vier weken." in text


def test_a_teacher_without_work_data_sees_no_placement(world, client_for, dual):
    week = schedule_queries.participant_week(world.participant, this_monday(),
                                             grant_for(world.taaldocent, world.participant))
    assert week.hours == 20 and week.commitments == []
    page = client_for(world.taaldocent).get(week_url(world))
    assert page.status_code == 200 and "Inpakker" not in page.content.decode()


def test_enrolling_over_the_limit_with_work_asks_for_a_recorded_reason(world, client_for, dual):
    world.participant.availability = None
    world.participant.save()
    extra = make_activity(world.gemeente, world.regisseur, title="Sollicitatietraining",
                          kind=ActivityKind.TRAINING_SOLLICITATIE, slots=[(0, "14:00", "16:00")])
    client = client_for(world.regisseur)
    url = reverse("activities:enrol", kwargs={"pk": world.participant.pk})
    data = {"activity": extra.pk, "start_date": this_monday().isoformat(), "end_date": "", "status": "aangemeld"}
    page = client.post(url, data).content.decode()
    assert "22 uur les + 24 uur proefplaatsing = 46 uur; de gemeente hanteert maximaal 32 uur per week" in page
    assert not Enrolment.objects.filter(activity=extra).exists()
    from koers.activities.services.activities import check_enrolment
    check = check_enrolment(world.regisseur, world.participant, grant_for(world.regisseur, world.participant),
                            extra, this_monday(), None)
    response = client.post(url, {**data, "confirm-step": "1", "seen": check.fingerprint,
                                 "confirm-conflict_override": "Twee weken extra, afgesproken met de werkgever."})
    assert response.status_code == 302
    assert Enrolment.objects.get(activity=extra).conflict_override.startswith("Twee weken extra")


def test_an_ended_placement_no_longer_counts(world, dual):
    dual.ended_on = this_monday()
    dual.end_reason = "overig"
    dual.save()
    week = schedule_queries.participant_week(world.participant, this_monday(),
                                             grant_for(world.regisseur, world.participant))
    assert week.hours == 20 and not week.over_hours


def test_another_municipality_gets_404_for_the_week(world, client_for, dual):
    outsider = make_user(world.andere_gemeente, Role.REGISSEUR, username="buiten")
    page = client_for(outsider).get(week_url(world))
    assert page.status_code == 404


def test_the_hours_check_for_new_work_adds_it_to_the_classes(world, dual):
    from koers.activities.rules.schedule import Commitment

    monday = this_monday()
    extra = Commitment("Schoonmaker bij Glans", "betaald werk", 10, monday, monday + timedelta(weeks=8))
    check = schedule_queries.hours_check(world.participant, grant_for(world.regisseur, world.participant),
                                         extra=[extra])
    assert check.hours == 54 and check.over_hours
    assert "20 uur les + 24 uur proefplaatsing + 10 uur betaald werk = 54 uur" in check.conflicts[0]
