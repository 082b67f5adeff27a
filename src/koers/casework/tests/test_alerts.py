"""Signals: every rule at its boundary, acknowledgement and its return, categories, access, the query budget."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.activities.models import Activity, Attendance, Enrolment, Session
from koers.casework.models import ActionItem, Contact, SignalAcknowledgement
from koers.casework.queries import alerts
from koers.casework.services import alerts as alert_services
from koers.core import access
from koers.core.codes import ActionStatus, AttendanceStatus, Category, LifeDomain, Phase, YesNoUnknown
from koers.core.models import AuditEvent, MunicipalityPolicy
from koers.core.tests.factories import ParticipantFactory
from koers.participants.models import Participant
from koers.plans.models import Goal, IntegrationRecord, PlanKind, PlanVersion, Step, VersionStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)  # a monday


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def contact(world, p, day, *, present=True, hour=10):
    return Contact.objects.create(
        participant=p, kind="gesprek", happened_at=at(day, hour), duration_minutes=30, organisation=world.gemeente,
        summary="Gesprek over de voortgang", recorded_by=world.regisseur, participant_present=present,
    )


def fresh(p) -> Participant:
    return Participant.objects.get(pk=p.pk)


def codes(world, p=None, today=TODAY, **kwargs):
    p = fresh(p or world.participant)
    return {s.code: s for s in alerts.compute([p], today=today, **kwargs)[p.pk]}


def quiet(world, p=None, day=TODAY):
    """A contact today, so that only the rule under test speaks."""
    contact(world, p or world.participant, day)


# --- no contact -------------------------------------------------------------------------------------------


def test_no_contact_day_6_is_quiet_and_day_7_signals(world):
    contact(world, world.participant, TODAY - timedelta(days=6))
    assert "geen_contact" not in codes(world)
    contact(world, world.participant, TODAY - timedelta(days=7))
    assert "geen_contact" not in codes(world)  # the newest contact counts
    assert "geen_contact" in codes(world, today=TODAY + timedelta(days=1))
    s = codes(world, today=TODAY + timedelta(days=1))["geen_contact"]
    assert s.label == "Geen contact sinds 7 dagen"
    assert s.severity == alerts.ATTENTION
    assert s.since == TODAY + timedelta(days=1)
    assert "Het laatste contact met de deelnemer was op 10-3-2026, 7 dagen geleden" in s.why
    assert "leg het contactmoment vast" in s.todo


def test_no_contact_wording_and_urgency(world):
    contact(world, world.participant, TODAY - timedelta(days=9), hour=23)  # late evening still counts as that day
    s = codes(world)["geen_contact"]
    assert s.label == "Geen contact sinds 9 dagen"
    assert s.severity == alerts.ATTENTION
    assert codes(world, today=TODAY + timedelta(days=5))["geen_contact"].severity == alerts.URGENT  # 14 days


def test_never_a_contact_counts_from_registration(world):
    Participant.objects.filter(pk=world.participant.pk).update(created_at=at(TODAY - timedelta(days=6)))
    assert "geen_contact" not in codes(world)
    Participant.objects.filter(pk=world.participant.pk).update(created_at=at(TODAY - timedelta(days=7)))
    s = codes(world)["geen_contact"]
    assert "nog nooit contact" in s.why and s.since == TODAY


def test_no_contact_follows_the_policy_and_ignores_contacts_without_the_participant(world):
    MunicipalityPolicy.objects.create(organisation=world.gemeente, no_contact_days=10)
    contact(world, world.participant, TODAY - timedelta(days=9))
    contact(world, world.participant, TODAY - timedelta(days=1), present=False)  # about, not with the participant
    assert "geen_contact" not in codes(world)
    assert codes(world, today=TODAY + timedelta(days=1))["geen_contact"].label == "Geen contact sinds 10 dagen"


def test_a_future_contact_does_not_count_and_closed_trajectories_are_quiet(world):
    contact(world, world.participant, TODAY - timedelta(days=20))
    contact(world, world.participant, TODAY + timedelta(days=1))
    assert "geen_contact" in codes(world)
    Participant.objects.filter(pk=world.participant.pk).update(phase=Phase.AFGESLOTEN)
    assert codes(world) == {}


# --- attendance -------------------------------------------------------------------------------------------


def _activity(world):
    return Activity.objects.create(provider=world.taal, title="NT2 A2 ochtend", kind="taal_formeel",
                                   start_date=TODAY - timedelta(days=90), end_date=TODAY + timedelta(days=90),
                                   created_by=world.taaldocent)


def _attend(world, p, statuses_by_day: dict[dt.date, str], activity=None):
    activity = activity or _activity(world)
    enrolment = Enrolment.objects.create(participant=p, activity=activity, start_date=activity.start_date,
                                         status="actief", enrolled_by=world.taaldocent)
    for day, status in statuses_by_day.items():
        session = Session.objects.create(activity=activity, date=day, start_time=dt.time(9), end_time=dt.time(12))
        Attendance.objects.create(session=session, enrolment=enrolment, participant=p, status=status,
                                  recorded_by=world.taaldocent)
    return enrolment


def test_unexcused_absence_within_14_days(world):
    quiet(world)
    _attend(world, world.participant, {TODAY - timedelta(days=14): AttendanceStatus.ONGEOORLOOFD})
    assert "afwezig_zonder_afmelding" not in codes(world)  # 14 days ago: outside the window
    assert "afwezig_zonder_afmelding" in codes(world, today=TODAY - timedelta(days=1))  # 13 days before that day
    s = codes(world, today=TODAY - timedelta(days=1))["afwezig_zonder_afmelding"]
    assert "NT2 A2 ochtend" in s.why and s.severity == alerts.ATTENTION
    assert "huisbezoek" in s.todo


def test_attendance_rate_from_four_sessions_below_the_norm(world):
    quiet(world)
    days = [TODAY - timedelta(days=30 + 2 * i) for i in range(5)]
    absent = AttendanceStatus.AFGEMELD
    _attend(world, world.participant, {days[0]: absent, days[1]: absent, days[2]: absent})
    assert "aanwezigheid_laag" not in codes(world)  # 3 registered sessions: not yet a pattern
    Attendance.objects.all().delete()
    Enrolment.objects.all().delete()
    # 4 of 5 present = 80%: at the norm, no signal; 3 of 4 = 75%: below
    _attend(world, world.participant, dict.fromkeys(days[:4], AttendanceStatus.AANWEZIG) | {days[4]: absent})
    assert "aanwezigheid_laag" not in codes(world)
    Attendance.objects.filter(session__date=days[0]).delete()
    s = codes(world)["aanwezigheid_laag"]
    assert s.label == "Aanwezigheid 75%" and "3 van de 4" in s.why and "minimaal 80%" in s.why


# --- plan deadlines ---------------------------------------------------------------------------------------


def _obligation(world, start):
    Participant.objects.filter(pk=world.participant.pk).update(integration_obliged=YesNoUnknown.JA)
    IntegrationRecord.objects.create(participant=world.participant, obligation_start=start,
                                     updated_by=world.regisseur)


def test_pip_due_within_14_days_or_overdue(world):
    quiet(world)
    _obligation(world, TODAY - timedelta(weeks=10) + timedelta(days=15))  # due in 15 days
    assert "pip_termijn" not in codes(world)
    assert codes(world, today=TODAY + timedelta(days=1))["pip_termijn"].severity == alerts.ATTENTION
    late = codes(world, today=TODAY + timedelta(days=16))["pip_termijn"]
    assert late.label == "PIP te laat" and late.severity == alerts.URGENT
    PlanVersion.objects.create(participant=world.participant, number=1, kind=PlanKind.PIP, plan_date=TODAY,
                               status=VersionStatus.SIGNED, signed_on=TODAY, created_by=world.regisseur)
    assert "pip_termijn" not in codes(world, today=TODAY + timedelta(days=16))


def test_leerroute_switch_window_closing_within_30_days(world):
    quiet(world)
    start = dt.date(2024, 10, 15)  # window: the first 18 months, last day 14-4-2026
    _obligation(world, start)
    PlanVersion.objects.create(participant=world.participant, number=1, kind=PlanKind.PIP, plan_date=start,
                               status=VersionStatus.SIGNED, signed_on=start, created_by=world.regisseur)
    assert "leerroute_wissel" not in codes(world, today=dt.date(2026, 3, 14))  # 31 days left
    s = codes(world, today=dt.date(2026, 3, 15))["leerroute_wissel"]
    assert s.label == "Wisseltermijn leerroute sluit over 30 dagen"
    assert "14-4-2026" in s.todo
    assert "leerroute_wissel" not in codes(world, today=dt.date(2026, 4, 15))  # window over: no more signal


def _plan(world, *, domain=LifeDomain.PARTICIPATIE, goal_due=None, step_due=None):
    version = PlanVersion.objects.create(participant=world.participant, number=1, kind=PlanKind.PIP,
                                         plan_date=TODAY - timedelta(days=60), created_by=world.regisseur)
    goal = Goal.objects.create(version=version, domain=domain, title="Werkervaring opdoen", due_date=goal_due)
    if step_due:
        Step.objects.create(goal=goal, description="Bedrijfsbezoek plannen", owner_organisation=world.gemeente,
                            owner_user=world.regisseur, due_date=step_due)
    return goal


def test_goal_and_step_overdue_the_day_after_their_date(world):
    quiet(world)
    _plan(world, goal_due=TODAY, step_due=TODAY)
    assert not {"doel_te_laat", "stap_te_laat"} & set(codes(world))
    found = codes(world, today=TODAY + timedelta(days=1))
    assert found["doel_te_laat"].label == "Doel: Werkervaring opdoen"
    assert found["stap_te_laat"].label == "Stap: Bedrijfsbezoek plannen"
    assert found["doel_te_laat"].category == Category.TRAJECTORY
    assert found["doel_te_laat"].subject.startswith("doel:")


def test_a_health_goal_is_a_special_category_signal_hidden_from_a_taaldocent(world):
    quiet(world)
    _plan(world, domain=LifeDomain.GEESTELIJKE_GEZONDHEID, goal_due=TODAY - timedelta(days=1))
    s = codes(world)["doel_te_laat"]
    assert s.category == Category.SPECIAL
    p = fresh(world.participant)
    all_signals = alerts.compute([p], today=TODAY)[p.pk]
    assert alerts.visible(all_signals, access.grant_for(world.regisseur, p)) == all_signals
    assert "doel_te_laat" not in {s.code for s in alerts.visible(all_signals,
                                                                          access.grant_for(world.taaldocent, p))}


# --- action items and enrolments --------------------------------------------------------------------------


def _item(world, due, *, status=ActionStatus.OPEN, domain=""):
    return ActionItem.objects.create(participant=world.participant, owner_organisation=world.taal,
                                     title="Toets inplannen", due_date=due, status=status, domain=domain,
                                     created_by=world.regisseur)


def test_action_item_overdue_from_the_day_after_its_date(world):
    quiet(world)
    item = _item(world, TODAY)
    assert "actiepunt_te_laat" not in codes(world)
    s = codes(world, today=TODAY + timedelta(days=1))["actiepunt_te_laat"]
    assert s.subject == f"actiepunt:{item.pk}" and s.severity == alerts.ATTENTION
    assert "Taalhuis Rivierland" in s.why and "1 dag te laat" in s.why
    assert codes(world, today=TODAY + timedelta(days=7))["actiepunt_te_laat"].severity == alerts.URGENT
    ActionItem.objects.filter(pk=item.pk).update(status=ActionStatus.AFGEROND)
    assert "actiepunt_te_laat" not in codes(world, today=TODAY + timedelta(days=7))


def test_health_action_item_signal_is_special(world):
    quiet(world)
    _item(world, TODAY - timedelta(days=1), domain=LifeDomain.LICHAMELIJKE_GEZONDHEID)
    assert codes(world)["actiepunt_te_laat"].category == Category.SPECIAL


def test_enrolment_ended_without_follow_up_for_30_days(world):
    activity = _activity(world)
    contact(world, world.participant, TODAY - timedelta(days=45))
    ended = _attend(world, world.participant, {}, activity)
    Enrolment.objects.filter(pk=ended.pk).update(status="uitgevallen", dropout_reason="motivatie",
                                                 end_date=TODAY - timedelta(days=31))
    assert "inschrijving_beeindigd" not in codes(world)
    Enrolment.objects.filter(pk=ended.pk).update(end_date=TODAY - timedelta(days=30))
    s = codes(world)["inschrijving_beeindigd"]
    assert s.label == "Uitgevallen bij: NT2 A2 ochtend" and s.severity == alerts.URGENT
    assert s.since == TODAY - timedelta(days=30)
    contact(world, world.participant, TODAY - timedelta(days=30))  # a contact on the day it ended: followed up
    assert "inschrijving_beeindigd" not in codes(world)


def test_a_new_enrolment_is_a_follow_up(world):
    activity = _activity(world)
    contact(world, world.participant, TODAY - timedelta(days=45))
    ended = _attend(world, world.participant, {}, activity)
    Enrolment.objects.filter(pk=ended.pk).update(status="afgerond", end_date=TODAY - timedelta(days=5))
    assert codes(world)["inschrijving_beeindigd"].label == "Afgerond: NT2 A2 ochtend"
    Enrolment.objects.create(participant=world.participant, activity=activity, start_date=TODAY,
                             enrolled_by=world.taaldocent)
    assert "inschrijving_beeindigd" not in codes(world)


def test_modules_ending_together_are_one_signal_to_follow_up(world):
    contact(world, world.participant, TODAY - timedelta(days=45))
    for title in ("Lezen", "Luisteren", "Schrijven", "Spreken"):
        activity = Activity.objects.create(provider=world.taal, title=title, kind="taal_formeel",
                                           start_date=TODAY - timedelta(days=90), end_date=TODAY - timedelta(days=5),
                                           created_by=world.taaldocent)
        Enrolment.objects.create(participant=world.participant, activity=activity, start_date=activity.start_date,
                                 status="afgerond", end_date=TODAY - timedelta(days=5), enrolled_by=world.taaldocent)
    found = alerts.compute([fresh(world.participant)], today=TODAY)[world.participant.pk]
    ended = [s for s in found if s.code == "inschrijving_beeindigd"]
    assert len(ended) == 1
    assert ended[0].label == "Afgerond: Lezen, Luisteren, Schrijven en Spreken"
    assert ended[0].severity == alerts.ATTENTION


# --- the registry, bulk and the query budget --------------------------------------------------------------


def test_a_registered_provider_adds_signals(world):
    def contract_ending(batch):
        for pid in batch.active_ids:
            yield alerts.Signal(pid, "test_registratie", "Testsignaal", batch.today, alerts.INFO,
                                 "Het contract eindigt over 30 dagen.", "Bespreek verlenging met de werkgever.",
                                 category=Category.WORK)

    alerts.register(contract_ending, codes={"test_registratie": "Testsignaal"})
    try:
        assert codes(world)["test_registratie"].category == Category.WORK
        assert alerts.CODES["test_registratie"] == "Testsignaal"
    finally:
        alerts.PROVIDERS.remove(contract_ending)
        alerts.CODES.pop("test_registratie")


def _population(world, n):
    people = [ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur) for _ in range(n)]
    activity = _activity(world)
    for i, p in enumerate(people):
        contact(world, p, TODAY - timedelta(days=i % 12))
        _attend(world, p, {TODAY - timedelta(days=2 + i % 3): AttendanceStatus.ONGEOORLOOFD}, activity)
        ActionItem.objects.create(participant=p, owner_organisation=world.gemeente, title="Bellen",
                                  due_date=TODAY - timedelta(days=i % 4), created_by=world.regisseur)
    return [fresh(p) for p in people]


def test_compute_takes_the_same_number_of_queries_for_3_and_30_participants(world):
    few, many = _population(world, 3), _population(world, 30)
    with CaptureQueriesContext(connection) as small:
        alerts.compute(few, today=TODAY)
    with CaptureQueriesContext(connection) as large:
        result = alerts.compute(many, today=TODAY)
    assert len(small) == len(large) <= 14  # one query per rule; 13: the language milestones (issue 12); 14: messages
    assert sum(1 for items in result.values() for s in items if s.code == "afwezig_zonder_afmelding") == 30


def test_signals_are_sorted_most_urgent_first(world):
    contact(world, world.participant, TODAY - timedelta(days=20))  # urgent
    _item(world, TODAY - timedelta(days=2))  # attention
    found = alerts.compute([fresh(world.participant)], today=TODAY)[world.participant.pk]
    assert [s.code for s in found] == ["geen_contact", "actiepunt_te_laat"]


# --- acknowledgement --------------------------------------------------------------------------------------


def ack_url(p):
    return reverse("casework:signal_acknowledge", kwargs={"pk": p.pk})


def _no_contact_for_9_days(world):
    contact(world, world.participant, timezone.localdate() - timedelta(days=9))


def test_acknowledged_signal_is_hidden_until_the_snooze_ends_and_returns_when_the_condition_persists(world,
                                                                                                     client_for):
    _no_contact_for_9_days(world)
    today = timezone.localdate()
    response = client_for(world.regisseur).post(ack_url(world.participant), {
        "code": "geen_contact", "subject": "", "note": "Gebeld, geen gehoor; huisbezoek gepland", "next": "/",
    })
    assert response.status_code == 302
    ack = SignalAcknowledgement.objects.get()
    assert ack.snooze_until == today + timedelta(days=7) and ack.acknowledged_by == world.regisseur
    assert "geen_contact" not in codes(world, today=today)
    assert "geen_contact" not in codes(world, today=today + timedelta(days=6))
    assert "geen_contact" in codes(world, today=today + timedelta(days=7))  # snooze over, still no contact
    assert "geen_contact" in codes(world, today=today, include_acknowledged=True)
    event = AuditEvent.objects.filter(participant_id=world.participant.pk, action="aanmaken").get()
    assert event.detail == "Signaal afgehandeld: Geen contact sinds 9 dagen"


def test_acknowledgement_covers_only_that_occurrence(world):
    MunicipalityPolicy.objects.create(organisation=world.gemeente, signal_snooze_days=30)
    _no_contact_for_9_days(world)
    today = timezone.localdate()
    alert_services.acknowledge(world.regisseur, world.participant.pk, "geen_contact", "", "Gebeld")
    assert "geen_contact" not in codes(world, today=today + timedelta(days=7))  # same period, still snoozed
    contact(world, world.participant, today)
    # a contact today, then nothing for a week: a new period without contact shows despite the running snooze
    assert codes(world, today=today + timedelta(days=7))["geen_contact"].label == "Geen contact sinds 7 dagen"


def test_acknowledging_needs_a_note_and_an_existing_signal(world, client_for):
    _no_contact_for_9_days(world)
    client = client_for(world.regisseur)
    response = client.post(ack_url(world.participant), {"code": "geen_contact", "note": "  "}, follow=True)
    assert "Schrijf kort op wat u heeft gedaan" in response.content.decode()
    response = client.post(ack_url(world.participant), {"code": "pip_termijn", "note": "Gedaan"}, follow=True)
    assert "Dit signaal is er niet meer" in response.content.decode()
    assert not SignalAcknowledgement.objects.exists()


def test_acknowledging_a_signal_of_another_organisations_participant_is_a_404(world, client_for):
    contact(world, world.other_participant, timezone.localdate() - timedelta(days=9))
    response = client_for(world.regisseur).post(ack_url(world.other_participant),
                                                {"code": "geen_contact", "note": "Gebeld"})
    assert response.status_code == 404
    assert client_for(world.regisseur).get(ack_url(world.participant)).status_code == 405
    assert not SignalAcknowledgement.objects.exists()


def test_a_taaldocent_cannot_acknowledge_a_health_signal(world, client_for):
    _plan(world, domain=LifeDomain.GEESTELIJKE_GEZONDHEID, goal_due=timezone.localdate() - timedelta(days=1))
    subject = codes(world, today=timezone.localdate())["doel_te_laat"].subject
    response = client_for(world.taaldocent).post(ack_url(world.participant),
                                                 {"code": "doel_te_laat", "subject": subject, "note": "Gezien"},
                                                 follow=True)
    assert "Dit signaal is er niet meer" in response.content.decode()  # not told that it exists
    assert not SignalAcknowledgement.objects.exists()


def test_panel_needs_the_trajectory_category(world):
    _no_contact_for_9_days(world)
    p = fresh(world.participant)
    panel = alerts.panel(p, access.grant_for(world.regisseur, p))
    assert [s.label for s in panel["signals"]] == ["Geen contact sinds 9 dagen"]
    assert alerts.panel(p, access.NO_GRANT) == {}
