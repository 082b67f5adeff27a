"""Sessions, attendance entry, rates and absence signals (activities/attendance.py and its pages)."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.activities.models import Activity, ActivitySlot, Attendance, ClosedDay, Enrolment, Group, Session
from koers.activities.queries import attendance as attendance_queries
from koers.activities.services import attendance as attendance_services
from koers.core.codes import ActivityKind, AttendanceStatus, Barrier, Category, Role, SessionStatus
from koers.core.models import AuditEvent, MunicipalityPolicy
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user

TODAY = dt.date(2025, 3, 26)  # a wednesday, days before the switch to summer time (30 March 2025)


# --- helpers (also used by test_groups.py and the browser test) ----------------------------------------------


def make_activity(provider, user, *, start=None, end=None, slots=((2, time(9), time(12)),), **kwargs) -> Activity:
    today = timezone.localdate()
    kwargs.setdefault("kind", ActivityKind.TAAL_FORMEEL)
    activity = Activity.objects.create(
        provider=provider, title=kwargs.pop("title", "NT2 A2 ochtend"), created_by=user,
        start_date=start or today - dt.timedelta(days=28), end_date=end or today + dt.timedelta(days=60), **kwargs,
    )
    for weekday, start_time, end_time in slots:
        ActivitySlot.objects.create(activity=activity, weekday=weekday, start_time=start_time, end_time=end_time)
    return activity


def visible_participant(world, **kwargs):
    """A participant of Gemeente Rivierstad with the language provider as partner (legal task)."""
    kwargs.setdefault("regie_organisation", world.gemeente)
    kwargs.setdefault("regisseur", world.regisseur)
    p = ParticipantFactory(**kwargs)
    MembershipFactory(participant=p, organisation=world.taal, added_by=world.regisseur)
    return p


def enrol(participant, activity, user, *, group=None, start=None, status="actief", end=None) -> Enrolment:
    return Enrolment.objects.create(
        participant=participant, activity=activity, group=group, start_date=start or activity.start_date,
        end_date=end, status=status, enrolled_by=user,
    )


def group_session(world, size: int, *, day=None):
    """An activity of the language provider with one group of ``size`` enrolled members and a session."""
    day = day or timezone.localdate()
    activity = make_activity(world.taal, world.taaldocent, slots=((day.weekday(), time(9), time(12)),))
    group = Group.objects.create(activity=activity, name="Groep A2", created_by=world.taaldocent)
    members = [visible_participant(world, name=f"Deelnemer {i:02d}") for i in range(size)]
    enrolments = [enrol(p, activity, world.regisseur, group=group) for p in members]
    session = Session.objects.create(activity=activity, group=group, date=day, start_time=time(9), end_time=time(12))
    return activity, group, session, enrolments


def post_data(enrolments, statuses=None, notes=None):
    statuses = statuses or {}
    data = {}
    for e in enrolments:
        data[f"status_{e.pk}"] = statuses.get(e.pk, AttendanceStatus.AANWEZIG)
        data[f"note_{e.pk}"] = (notes or {}).get(e.pk, "")
    return data


# --- session generation --------------------------------------------------------------------------------------


def test_pattern_dates_steps_by_calendar_days_across_daylight_saving():
    days = attendance_queries.pattern_dates(dt.date(2025, 3, 20), dt.date(2025, 4, 10), 0)
    assert days == [dt.date(2025, 3, 24), dt.date(2025, 3, 31), dt.date(2025, 4, 7)]
    assert attendance_queries.pattern_dates(dt.date(2025, 10, 20), dt.date(2025, 11, 3), 6) == [
        dt.date(2025, 10, 26), dt.date(2025, 11, 2)]  # 26 October: back to winter time
    assert attendance_queries.pattern_dates(dt.date(2025, 3, 25), dt.date(2025, 3, 29), 0) == []
    assert attendance_queries.pattern_dates(dt.date(2025, 3, 24), dt.date(2025, 3, 24), 0) == [dt.date(2025, 3, 24)]


def test_generate_sessions_over_the_period_with_closed_days_as_holiday(world):
    activity = make_activity(
        world.taal, world.taaldocent, start=dt.date(2025, 3, 17), end=dt.date(2025, 4, 30),
        slots=((0, time(9), time(12)), (3, time(13), time(16))),
    )
    ClosedDay.objects.create(organisation=world.taal, date=dt.date(2025, 4, 21), reason="Tweede paasdag")
    ClosedDay.objects.create(organisation=world.gemeente, date=dt.date(2025, 3, 24), reason="other organisation")
    result = attendance_services.generate_sessions(activity)
    sessions = list(activity.sessions.order_by("date"))
    # Mondays 17, 24, 31 March, 7, 14, 21, 28 April; thursdays 20, 27 March, 3, 10, 17, 24 April
    assert result.created == len(sessions) == 13
    assert all(s.start_time == time(9) for s in sessions if s.date.weekday() == 0)  # unchanged across DST
    holiday = activity.sessions.get(date=dt.date(2025, 4, 21))
    assert holiday.status == SessionStatus.VAKANTIE and holiday.note == "Tweede paasdag"
    assert result.holidays == 1
    assert activity.sessions.get(date=dt.date(2025, 3, 24)).status == SessionStatus.GEPLAND


def test_generation_is_idempotent_also_without_a_group(world):
    activity = make_activity(world.taal, world.taaldocent, start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 31))
    first = attendance_services.generate_sessions(activity)
    second = attendance_services.generate_sessions(activity)
    assert first.created == 4 and second.created == 0 and second.existing == 4  # wednesdays
    assert activity.sessions.filter(group__isnull=True).count() == 4
    assert "geen nieuwe" in second.message()


def test_generation_is_per_group_when_the_activity_has_groups(world):
    activity = make_activity(world.taal, world.taaldocent, start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 16))
    a = Group.objects.create(activity=activity, name="A", created_by=world.taaldocent)
    b = Group.objects.create(activity=activity, name="B", created_by=world.taaldocent)
    attendance_services.generate_sessions(activity)
    assert activity.sessions.filter(group=a).count() == 2 and activity.sessions.filter(group=b).count() == 2
    assert not activity.sessions.filter(group__isnull=True).exists()
    Group.objects.create(activity=activity, name="C", created_by=world.taaldocent)
    assert attendance_services.generate_sessions(activity).created == 2  # only the new group's


def test_extra_session_outside_the_period_is_refused(world):
    activity = make_activity(world.taal, world.taaldocent, start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 31))
    with pytest.raises(ValidationError) as exc:
        attendance_services.create_session(activity, None, dt.date(2025, 4, 1), time(9), time(12))
    assert "buiten de periode" in str(exc.value)
    session = attendance_services.create_session(activity, None, dt.date(2025, 3, 31), time(9), time(12))
    assert session.status == SessionStatus.GEPLAND
    with pytest.raises(ValidationError, match="al een bijeenkomst"):
        attendance_services.create_session(activity, None, dt.date(2025, 3, 31), time(9), time(12))


def test_cancel_needs_a_reason_and_is_refused_once_attendance_exists(world):
    activity, group, session, enrolments = group_session(world, 1)
    with pytest.raises(ValidationError, match="reden"):
        attendance_services.set_session_status(session, SessionStatus.GEANNULEERD, "")
    attendance_services.set_session_status(session, SessionStatus.GEANNULEERD, "Docent ziek")
    session.refresh_from_db()
    assert session.status == SessionStatus.GEANNULEERD and session.note == "Docent ziek"
    attendance_services.set_session_status(session, SessionStatus.GEPLAND)
    attendance_services.record_attendance(world.taaldocent, session, {enrolments[0].pk: ("aanwezig", "")})
    with pytest.raises(ValidationError, match="al aanwezigheid"):
        attendance_services.set_session_status(session, SessionStatus.VAKANTIE, "Koningsdag")


def test_closed_day_added_later_turns_planned_sessions_into_holidays_and_back(world):
    activity = make_activity(world.taal, world.taaldocent, start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30))
    attendance_services.generate_sessions(activity)
    day, changed = attendance_services.add_closed_day(world.taal.pk, dt.date(2025, 4, 23), "Studiedag")
    assert changed == 1
    assert activity.sessions.get(date=dt.date(2025, 4, 23)).status == SessionStatus.VAKANTIE
    with pytest.raises(ValidationError, match="al als vrije dag"):
        attendance_services.add_closed_day(world.taal.pk, dt.date(2025, 4, 23), "Nog eens")
    assert attendance_services.remove_closed_day(world.taal.pk, day.pk) == 1
    assert activity.sessions.get(date=dt.date(2025, 4, 23)).status == SessionStatus.GEPLAND


# --- attendance entry ----------------------------------------------------------------------------------------


def test_bulk_save_then_resave_updates_instead_of_duplicating(world):
    activity, group, session, enrolments = group_session(world, 3)
    a, b, c = enrolments
    counts = attendance_services.record_attendance(world.taaldocent, session, {
        a.pk: ("aanwezig", ""), b.pk: ("afwezig_zonder_afmelding", ""), c.pk: ("te_laat", "10 min"),
    })
    assert counts == {"created": 3, "updated": 0, "unchanged": 0}
    counts = attendance_services.record_attendance(world.taaldocent, session, {
        a.pk: ("aanwezig", ""), b.pk: ("afwezig_met_afmelding", "belde om 8:30"), c.pk: ("te_laat", "10 min"),
    })
    assert counts == {"created": 0, "updated": 1, "unchanged": 2}
    assert Attendance.objects.filter(session=session).count() == 3
    b_row = Attendance.objects.get(session=session, enrolment=b)
    assert b_row.status == "afwezig_met_afmelding" and b_row.participant_id == b.participant_id
    events = AuditEvent.objects.filter(category=Category.TRAJECTORY, action__in=["aanmaken", "wijzigen"])
    assert events.filter(action="aanmaken").count() == 3 and events.filter(action="wijzigen").count() == 1


def test_attendance_for_someone_not_enrolled_is_refused_and_nothing_saved(world):
    activity, group, session, enrolments = group_session(world, 2)
    other_activity = make_activity(world.taal, world.taaldocent, title="Ander")
    stranger = enrol(visible_participant(world), other_activity, world.regisseur)
    with pytest.raises(ValidationError, match="niet ingeschreven"):
        attendance_services.record_attendance(world.taaldocent, session, {
            enrolments[0].pk: ("aanwezig", ""), stranger.pk: ("aanwezig", ""),
        })
    assert not Attendance.objects.exists()


def test_expected_members_follow_status_period_and_group(world):
    activity, group, session, enrolments = group_session(world, 1)
    day = session.date
    enrol(visible_participant(world, name="Later"), activity, world.regisseur, group=group,
          start=day + dt.timedelta(days=1))
    enrol(visible_participant(world, name="Gestopt"), activity, world.regisseur, group=group,
          start=activity.start_date, end=day - dt.timedelta(days=1))
    enrol(visible_participant(world, name="Uitgevallen"), activity, world.regisseur, group=group,
          status="afgerond")
    enrol(visible_participant(world, name="Andere groep"), activity, world.regisseur)
    aangemeld = enrol(visible_participant(world, name="Aangemeld"), activity, world.regisseur, group=group,
                      status="aangemeld")
    expected = set(attendance_queries.expected_enrolments(session).values_list("pk", flat=True))
    assert expected == {enrolments[0].pk, aangemeld.pk}


def test_session_outside_period_cancelled_or_in_the_future_is_refused(world):
    activity, group, session, enrolments = group_session(world, 1)
    entry = {enrolments[0].pk: ("aanwezig", "")}
    session.status = SessionStatus.GEANNULEERD
    with pytest.raises(ValidationError, match="geannuleerd"):
        attendance_services.record_attendance(world.taaldocent, session, entry)
    session.status = SessionStatus.GEPLAND
    with pytest.raises(ValidationError, match="nog niet geweest"):
        attendance_services.record_attendance(world.taaldocent, session, entry,
                                              today=session.date - dt.timedelta(days=1))
    Activity.objects.filter(pk=activity.pk).update(end_date=session.date - dt.timedelta(days=1))
    session.activity.refresh_from_db()
    with pytest.raises(ValidationError, match="buiten de periode"):
        attendance_services.record_attendance(world.taaldocent, session, entry)
    assert not Attendance.objects.exists()


# --- pages ---------------------------------------------------------------------------------------------------


def test_my_sessions_lists_todays_sessions_of_the_own_organisation(world, client_for):
    activity, group, session, enrolments = group_session(world, 2)
    other = OrganisationFactory(name="Andere taalschool")
    make_activity(other, make_user(other, Role.TAALDOCENT), title="Niet van ons",
                  slots=())
    response = client_for(world.taaldocent).get(reverse("activities:my_sessions"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "NT2 A2 ochtend" in html and "Groep A2" in html and "Niet van ons" not in html
    assert reverse("activities:attendance", args=[session.pk]) in html


def test_attendance_page_defaults_to_present_and_saves_all_in_one_post(world, client_for):
    activity, group, session, enrolments = group_session(world, 3)
    client = client_for(world.taaldocent)
    url = reverse("activities:attendance", args=[session.pk])
    html = client.get(url).content.decode()
    assert html.count('value="aanwezig"') == 3 and html.count("checked") == 3
    data = post_data(enrolments, {enrolments[1].pk: AttendanceStatus.ONGEOORLOOFD})
    response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 3
    assert Attendance.objects.get(enrolment=enrolments[1]).status == AttendanceStatus.ONGEOORLOOFD
    follow = client.get(response["Location"])
    assert "Aanwezigheid opgeslagen voor 3 deelnemers" in follow.content.decode()
    # re-saving shows the stored statuses and updates, never duplicates
    html = client.get(url).content.decode()
    assert f'value="afwezig_zonder_afmelding" id="id_status_{enrolments[1].pk}_3" required checked' in html
    client.post(url, post_data(enrolments))
    assert Attendance.objects.filter(session=session).count() == 3
    assert not Attendance.objects.filter(status=AttendanceStatus.ONGEOORLOOFD).exists()


def test_tampered_post_is_refused_with_a_message_and_saves_nothing(world, client_for):
    activity, group, session, enrolments = group_session(world, 2)
    outsider = enrol(visible_participant(world), make_activity(world.taal, world.taaldocent, title="X"),
                     world.regisseur)
    data = post_data(enrolments)
    data[f"status_{outsider.pk}"] = "aanwezig"
    response = client_for(world.taaldocent).post(reverse("activities:attendance", args=[session.pk]), data)
    assert response.status_code == 200
    assert "niet (meer) ingeschreven" in response.content.decode()
    assert not Attendance.objects.exists()
    data = post_data(enrolments, {enrolments[0].pk: "op_vakantie"})
    response = client_for(world.taaldocent).post(reverse("activities:attendance", args=[session.pk]), data)
    assert "Kies de aanwezigheid" in response.content.decode()
    assert not Attendance.objects.exists()


def test_another_providers_teacher_and_the_regisseur_get_404_on_the_session(world, client_for):
    activity, group, session, enrolments = group_session(world, 1)
    other = OrganisationFactory(name="Andere taalschool")
    other_teacher = make_user(other, Role.TAALDOCENT, username="ander")
    for user in (other_teacher, world.regisseur, world.andere_regisseur):
        client = client_for(user)
        for name in ("activities:attendance", "activities:session_edit"):
            assert client.get(reverse(name, args=[session.pk])).status_code == 404
        assert client.post(reverse("activities:attendance", args=[session.pk]), post_data(enrolments)).status_code \
            == 404
        assert client.get(reverse("activities:sessions", args=[activity.pk])).status_code == 404
    assert not Attendance.objects.exists()


def test_teacher_sees_only_participants_visible_to_them(world, client_for):
    activity, group, session, enrolments = group_session(world, 2)
    hidden = ParticipantFactory(name="Verborgen Persoon", regie_organisation=world.gemeente)  # no membership
    hidden_enrolment = enrol(hidden, activity, world.regisseur, group=group)
    html = client_for(world.taaldocent).get(reverse("activities:attendance", args=[session.pk])).content.decode()
    assert "Deelnemer 00" in html and "Verborgen Persoon" not in html
    assert "1 ingeschreven deelnemer kunt u niet inzien" in html
    data = post_data(enrolments)
    data[f"status_{hidden_enrolment.pk}"] = "aanwezig"
    client_for(world.taaldocent).post(reverse("activities:attendance", args=[session.pk]), data)
    assert not Attendance.objects.exists()


def test_teacher_never_sees_health_data_on_these_pages(world, client_for):
    activity, group, session, enrolments = group_session(world, 1)
    p = enrolments[0].participant
    p.barrier_status = "wel"
    p.save()
    p.barriers.create(code=Barrier.PSYCHISCHE_GEZONDHEID, note="Traumabehandeling loopt")
    client = client_for(world.taaldocent)
    client.post(reverse("activities:attendance", args=[session.pk]), post_data(enrolments))
    for url in (reverse("activities:attendance", args=[session.pk]),
                reverse("activities:participant_attendance", args=[p.pk]),
                reverse("activities:group_detail", args=[group.pk])):
        html = client.get(url).content.decode()
        assert "Trauma" not in html and "psychisch" not in html.lower()


def test_attendance_entry_query_count_is_flat_in_the_group_size(world, client_for, max_queries):
    client = client_for(world.taaldocent)
    counts = {}
    for size in (3, 15):
        activity, group, session, enrolments = group_session(world, size)
        url = reverse("activities:attendance", args=[session.pk])
        with CaptureQueriesContext(connection) as get_q:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as post_q:
            assert client.post(url, post_data(enrolments)).status_code == 302
        counts[size] = (len(get_q), len(post_q))
    assert counts[3] == counts[15], counts
    with max_queries(12):
        client.get(url)
    with max_queries(20):
        client.post(url, post_data(enrolments, {enrolments[0].pk: AttendanceStatus.ZIEK}))


def test_attendance_entry_checks_visibility_on_the_sessions_members_not_the_whole_organisation(world, client_for):
    """The register decides who the teacher may see among the session's members only. Checking the members
    against every participant the provider may see (a subquery listing them all) made the page of a group of 15
    cost as much as a list of 20,000 participants (bench: 'aanwezigheid invoeren')."""
    activity, group, session, enrolments = group_session(world, 3)
    hidden = ParticipantFactory(name="Verborgen Persoon", regie_organisation=world.gemeente)  # no membership
    enrol(hidden, activity, world.regisseur, group=group)
    client = client_for(world.taaldocent)
    url = reverse("activities:attendance", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "Deelnemer 00" in html and "Verborgen Persoon" not in html
    assert "1 ingeschreven deelnemer kunt u niet inzien" in html
    whole = [q["sql"] for q in queries if 'FROM "participants_membership" U0' in q["sql"]
             and "activities_enrolment" in q["sql"]]
    assert not whole, whole


def test_session_list_generate_and_cancel_pages(world, client_for):
    activity = make_activity(world.taal, world.taaldocent)
    client = client_for(world.taaldocent)
    url = reverse("activities:sessions", args=[activity.pk])
    assert "Bijeenkomsten aanmaken uit het weekpatroon" in client.get(url).content.decode()
    response = client.post(reverse("activities:sessions_generate", args=[activity.pk]), follow=True)
    assert "bijeenkomst(en) aangemaakt" in response.content.decode()
    n = activity.sessions.count()
    client.post(reverse("activities:sessions_generate", args=[activity.pk]))
    assert activity.sessions.count() == n
    session = activity.sessions.filter(date__gte=timezone.localdate()).first()
    edit = reverse("activities:session_edit", args=[session.pk])
    response = client.post(edit, {"status": "geannuleerd", "reason": ""})
    assert "Geef een reden op" in response.content.decode()
    client.post(edit, {"status": "geannuleerd", "reason": "Docent ziek"})
    session.refresh_from_db()
    assert session.status == SessionStatus.GEANNULEERD
    response = client.post(reverse("activities:session_create", args=[activity.pk]), {
        "date": (activity.end_date + dt.timedelta(days=1)).isoformat(), "start_time": "09:00", "end_time": "12:00",
    })
    assert "buiten de periode" in response.content.decode()


def test_closed_days_page(world, client_for):
    client = client_for(world.taaldocent)
    url = reverse("activities:closed_days")
    response = client.post(url, {"date": "2025-04-26", "reason": "Koningsdag"}, follow=True)
    assert "is vastgelegd als vrije dag" in response.content.decode()
    day = ClosedDay.objects.get(organisation=world.taal)
    assert client_for(world.andere_regisseur).post(
        reverse("activities:closed_day_delete", args=[day.pk])).status_code == 404  # not their organisation's
    assert ClosedDay.objects.filter(pk=day.pk).exists()
    client_for(world.taaldocent).post(reverse("activities:closed_day_delete", args=[day.pk]))
    assert not ClosedDay.objects.exists()


# --- rates and signals ---------------------------------------------------------------------------------------


def _register(world, session, enrolment, status, day_offset=0):
    return Attendance.objects.create(session=session, enrolment=enrolment, participant=enrolment.participant,
                                     status=status, recorded_by=world.taaldocent)


def test_rates_count_late_as_present_with_n(world):
    activity, group, session, enrolments = group_session(world, 1)
    e = enrolments[0]
    statuses = ["aanwezig", "te_laat", "afwezig_met_afmelding", "ziek"]
    for i, status in enumerate(statuses):
        s = Session.objects.create(activity=activity, group=group, date=session.date - dt.timedelta(days=7 * (i + 1)),
                                   start_time=time(9), end_time=time(12))
        _register(world, s, e, status)
    rate = attendance_queries.rate_for_participant(e.participant)
    assert (rate.present, rate.registered, rate.percent) == (2, 4, 50)
    assert str(rate) == "50% (2 van 4)"
    assert attendance_queries.rates_by_enrolment([e.pk])[e.pk] == rate
    assert attendance_queries.rate_for_activity(activity, group) == rate
    assert str(attendance_queries.NO_RATE) == "nog niets geregistreerd"


def test_absence_signals_and_panel_flag(world):
    activity, group, session, enrolments = group_session(world, 1)
    e = enrolments[0]
    p = e.participant
    _register(world, session, e, AttendanceStatus.ONGEOORLOOFD)
    old = Session.objects.create(activity=activity, group=group, date=session.date - dt.timedelta(days=30),
                                 start_time=time(9), end_time=time(12))
    _register(world, old, e, AttendanceStatus.ONGEOORLOOFD)
    [signal] = attendance_queries.absence_signals(p)
    assert signal.date == session.date and signal.activity == activity.title and signal.recorded_by == "Daan Achternaam"
    grant = type("G", (), {"read": frozenset({Category.TRAJECTORY})})()
    panel = attendance_queries.panel(p, grant)
    assert panel["rate"].percent == 0 and panel["below_threshold"] is False  # 2 sessions: too few to flag
    for i in range(2):
        s = Session.objects.create(activity=activity, group=group, date=session.date - dt.timedelta(days=7 * (i + 1)),
                                   start_time=time(9), end_time=time(12))
        _register(world, s, e, AttendanceStatus.AANWEZIG)
    MunicipalityPolicy.objects.create(organisation=world.gemeente, min_attendance_percent=60)
    p = type(p).objects.get(pk=p.pk)  # the rules are read once per participant object (per request)
    panel = attendance_queries.panel(p, grant)
    assert panel["rate"].percent == 50 and panel["threshold"] == 60 and panel["below_threshold"] is True
    assert attendance_queries.panel(p, type("G", (), {"read": frozenset({Category.IDENTITY})})()) == {}


def test_regisseur_sees_the_unexcused_absence_the_same_day(world, client_for):
    activity, group, session, enrolments = group_session(world, 2)
    url = reverse("activities:attendance", args=[session.pk])
    client_for(world.taaldocent).post(url, post_data(enrolments, {enrolments[0].pk: AttendanceStatus.ONGEOORLOOFD}))
    p = enrolments[0].participant
    response = client_for(world.regisseur).get(reverse("activities:participant_attendance", args=[p.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Afwezig zonder afmelding" in html and "Vandaag" in html and "Daan" in html
    assert AuditEvent.objects.filter(participant_id=p.pk, user_id=world.regisseur.pk, action="bekijken").exists()
    # another municipality's regisseur: 404
    assert client_for(world.andere_regisseur).get(
        reverse("activities:participant_attendance", args=[p.pk])).status_code == 404


def test_participant_attendance_page_history_by_week(world, client_for, max_queries):
    activity, group, session, enrolments = group_session(world, 1)
    e = enrolments[0]
    for i in range(3):
        s = Session.objects.create(activity=activity, group=group, date=session.date - dt.timedelta(days=7 * i + 1),
                                   start_time=time(9), end_time=time(12))
        _register(world, s, e, AttendanceStatus.AANWEZIG)
    client = client_for(world.regisseur)
    url = reverse("activities:participant_attendance", args=[e.participant_id])
    with max_queries(16):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("Week ") >= 3 and "100% (3 van 3)" in html
    assert client.get(url, {"tot": "nonsense"}).status_code == 200


def test_management_command_generates_sessions(world):
    from django.core.management import call_command

    activity = make_activity(world.taal, world.taaldocent)
    call_command("sessions", "--generate", verbosity=0)
    n = activity.sessions.count()
    assert n > 0
    call_command("sessions", "--generate", "--activity", str(activity.pk), verbosity=0)
    assert activity.sessions.count() == n


def test_a_colleagues_registration_in_the_meantime_is_not_overwritten(world, client_for):
    """Two teachers open the same session; the first saves 'niet afgemeld' for one member; the second, still on the
    screen as it was, saves 'aanwezig' for everyone: refused, naming who registered whom as what; after that the
    second save is a deliberate overwrite."""
    activity, group, session, enrolments = group_session(world, 2)
    colleague = make_user(world.taal, Role.TAALDOCENT, username="collega", first_name="Cor", last_name="Collega")
    url = reverse("activities:attendance", args=[session.pk])
    mine, theirs = client_for(world.taaldocent), Client()
    theirs.force_login(colleague)
    version = _version_on_screen(mine.get(url).content.decode())
    assert version == _version_on_screen(theirs.get(url).content.decode())
    absent = {enrolments[0].pk: AttendanceStatus.ONGEOORLOOFD}
    assert theirs.post(url, post_data(enrolments, absent) | {"version": version}).status_code == 302

    response = mine.post(url, post_data(enrolments) | {"version": version})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen: iemand anders was u voor" in html
    assert enrolments[0].participant.name in html and "Cor Collega" in html
    assert Attendance.objects.get(enrolment=enrolments[0]).status == AttendanceStatus.ONGEOORLOOFD
    # The form keeps my input with the current version: saving again overwrites on purpose.
    again = mine.post(url, post_data(enrolments) | {"version": _version_on_screen(html)})
    assert again.status_code == 302
    assert Attendance.objects.get(enrolment=enrolments[0]).status == AttendanceStatus.AANWEZIG


def test_a_special_note_in_a_stale_message_stays_hidden_from_a_teacher(world, client_for):
    activity, group, session, enrolments = group_session(world, 1)
    url = reverse("activities:attendance", args=[session.pk])
    client = client_for(world.taaldocent)
    version = _version_on_screen(client.get(url).content.decode())
    attendance_services.record_attendance(world.taaldocent, session, {enrolments[0].pk: (
        AttendanceStatus.ZIEK, "afspraak bij de huisarts", True)})
    html = client.post(url, post_data(enrolments) | {"version": version}).content.decode()
    assert "Niet opgeslagen" in html
    assert "huisarts" not in html and "afgeschermde notitie" in html


def _version_on_screen(html: str) -> str:
    import re

    return re.search(r'name="version" value="([^"]*)"', html).group(1)
