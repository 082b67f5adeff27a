"""``koers demo``: the group programmes, the case journeys' activities, sessions and attendance
(``koers.demo.activities``)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.activities.models import Activity, ActivitySlot, Attendance, ClosedDay, Enrolment, Group, Session
from koers.activities.queries import attendance as attendance_queries
from koers.core import access
from koers.core.codes import LEVEL_ORDER, ActivityKind, SessionStatus
from koers.core.models import User
from koers.participants.models import Membership, Participant
from koers.plans.models import ComponentProgress, Goal, IntegrationRecord, PlanVersion, RouteSwitch, Step

MODELS = [Activity, ActivitySlot, Group, Enrolment, ClosedDay, Session, Attendance, Membership, PlanVersion, Goal,
          Step, IntegrationRecord, RouteSwitch, ComponentProgress]


@pytest.fixture
def demo(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def user(username: str) -> User:
    return User.objects.get(username=username)


def activity(title_start: str) -> Activity:
    return Activity.objects.select_related("provider").get(title__startswith=title_start)


def test_running_twice_gives_identical_counts(demo):
    first = counts()
    assert all(first.values()), first
    out = StringIO()
    call_command("demo", "--force", stdout=out)
    assert counts() == first
    assert "niets gewijzigd" in out.getvalue()


def test_sterk_naar_werk_like_programme(demo):
    programme = Activity.objects.filter(title__startswith="Samen Sterk naar Werk")
    assert {a.provider.name for a in programme} == {"De Schakel, kringloop en atelier"}
    assert {a.kind for a in programme} >= {ActivityKind.THEMA_EIGEN_TAAL, ActivityKind.GEZONDHEID_SPORT,
                                           ActivityKind.WERKERVARING}
    # Three days a week, for about six months.
    assert len({s.weekday for s in ActivitySlot.objects.filter(activity__in=programme)}) == 3
    lesson = activity("Samen Sterk naar Werk: Nederlands")
    assert 24 <= (lesson.end_date - lesson.start_date).days // 7 <= 27
    # Two-step model: the Dutch lesson follows the theme meeting in the own language, week by week.
    assert lesson.follows.language == "ar" and lesson.follows.kind == ActivityKind.THEMA_EIGEN_TAAL
    assert programme.filter(language="ti").exists()
    assert Session.objects.filter(activity=lesson, note__startswith="Thema:").count() >= 12 * 2
    # One group of about ten, speaking A1–A2.
    [group] = lesson.groups.all()
    members = [e.participant for e in group.enrolments.select_related("participant")]
    assert 8 <= len(members) <= 12
    assert all(LEVEL_ORDER["A1"] <= LEVEL_ORDER[p.level_spreken] <= LEVEL_ORDER["A2"] for p in members)
    assert Attendance.objects.filter(session__activity=lesson).exists()


def test_vijfheerenlanden_like_programme(demo):
    today = timezone.localdate()
    phase1 = activity("Taalexpres naar werk, fase 1: intensief")
    assert phase1.provider.name == "Taalcentrum Rivierland"
    assert (phase1.end_date - phase1.start_date).days // 7 + 1 == 18
    assert 63 <= (today - phase1.start_date).days <= 76  # started about ten weeks ago
    slots = list(phase1.slots.all())
    assert len(slots) == 4 and all(s.hours == 5 for s in slots)
    assert {g.name for g in phase1.groups.all()} == {"Groep A2", "Groep B1"}
    assert Activity.objects.filter(title__startswith="Taalexpres naar werk, fase 1", kind=ActivityKind.GEZONDHEID_SPORT)
    placement = activity("Taalexpres naar werk, fase 2: werkplek")
    evenings = activity("Taalexpres naar werk, fase 2: avondles")
    assert placement.start_date > phase1.end_date and placement.slots.count() == 5
    assert evenings.slots.count() == 2 and all(s.start_time >= dt.time(17) for s in evenings.slots.all())
    assert placement.enrolments.filter(status="aangemeld").count() >= 10
    assert Attendance.objects.filter(session__activity=phase1, session__group__name="Groep A2").exists()
    # The closed day: sessions on it are holidays, without attendance.
    closed = ClosedDay.objects.get(organisation=phase1.provider, reason="Studiedag docenten")
    on_it = Session.objects.filter(activity=phase1, date=closed.date)
    assert on_it.exists() and all(s.status == SessionStatus.VAKANTIE for s in on_it)
    assert not Attendance.objects.filter(session__in=on_it).exists()


def test_case_journeys_take_part_where_it_fits(demo):
    def titles(preferred):
        return set(Enrolment.objects.filter(participant__preferred_name=preferred)
                   .values_list("activity__title", flat=True))

    assert {"Oriëntatie op de Nederlandse arbeidsmarkt (ONA)", "Digitaal aan de slag (computerles)",
            "Vrijwilligerswerk kringloopwinkel (kassa en inname)"} <= titles("Heba")
    vca = activity("VCA Basis")
    assert vca.required_levels == {"spreken": "A2"}
    assert "VCA Basis (zaterdagcursus)" in titles("Nahom")
    assert "Avondles Nederlands naast het werk" in titles("Ammar")
    drawn = Enrolment.objects.exclude(participant__preferred_name__in=["Nahom", "Heba", "Ammar", "Nabil"])
    assert drawn.values("participant").distinct().count() >= 25


def test_enrolments_and_attendance_keep_the_invariants(demo):
    for e in Enrolment.objects.select_related("activity", "group", "participant"):
        a = e.activity
        assert a.start_date <= e.start_date <= a.end_date
        assert e.end_date is None or e.start_date <= e.end_date <= a.end_date
        assert e.group is None or e.group.activity_id == a.pk
        # The provider's staff can see whom they teach (regie or an active membership).
        staff = a.created_by
        assert access.visible_participants(staff).filter(pk=e.participant_id).exists(), (e.participant, a)
    for att in Attendance.objects.select_related("session", "enrolment"):
        assert att.participant_id == att.enrolment.participant_id
        assert att.session.activity_id == att.enrolment.activity_id
        assert att.session.status == SessionStatus.GEPLAND
        assert att.enrolment.start_date <= att.session.date
        assert att.session.group_id is None or att.session.group_id == att.enrolment.group_id
    assert not Attendance.objects.filter(session__date__gt=timezone.localdate()).exists()


def test_the_teacher_has_sessions_today_to_register(demo):
    teacher = user("taaldocent")
    today = timezone.localdate()
    sessions = attendance_queries.sessions_on(teacher, today)
    assert sessions and {s.activity.provider.name for s in sessions} == {"Taalcentrum Rivierland"}
    open_session = next(s for s in sessions if s.registered == 0)
    register = attendance_queries.register_for(teacher, open_session)
    assert register.rows and register.hidden == 0


def test_the_regisseur_sees_an_unexcused_absence_today_or_yesterday(demo):
    today = timezone.localdate()
    regisseur = user("regisseur")
    signals = [
        s for p in access.visible_participants(regisseur).filter(regisseur=regisseur)
        for s in attendance_queries.absence_signals(p, today=today)
        if s.date >= today - dt.timedelta(days=1)
    ]
    assert signals
    assert Participant.objects.filter(pk=signals[0].participant_id, regisseur=regisseur).exists()


def test_nahoms_week_is_his_job_plus_classes_with_the_recorded_reason(demo):
    """Issue 12 leftover: the week view showed Nahom at 42 hours with nothing recorded. It is his 38-hour job plus
    the weekend language café: class and work together above the 32 hours, so his enrolments carry the reason."""
    from koers.activities.queries import schedule as schedule_queries
    from koers.activities.rules.schedule import monday_of

    nahom = Participant.objects.get(name="Nahom Tesfamariam")
    regisseur = nahom.regisseur
    week = schedule_queries.participant_week(nahom, monday_of(timezone.localdate()),
                                             access.grant_for(regisseur, nahom))
    assert dict(week.breakdown)["les"] == 4 and week.hours == 42 and week.over_hours
    assert week.reasons and all("werkt fulltime" in reason for _title, reason in week.reasons)
    assert all(e.conflict_override for e in Enrolment.objects.filter(participant=nahom))
