"""Sessions and attendance: generating sessions from the weekly pattern, registering attendance for a whole group at
once, attendance rates and the absence signals the regisseur sees the same day.

Decisions (docs/architecture.md, "Sessies en aanwezigheid"):

- **Closed days become holiday sessions.** A date in the weekly pattern that is one of the provider's
  ``ClosedDay``s gets a session with status ``vakantie`` (and the closed day's reason as note), not a gap: the
  week list then says *why* there is no meeting, and the rate ignores it. Adding a closed day later turns the
  planned sessions on it without attendance into holidays; removing it plans them again.
- **Idempotent generation.** Generation creates only the (group, date, start time) combinations that are missing;
  the database's unique constraint cannot guard the sessions without a group (NULLs are distinct in SQL), so the
  code checks, under a lock on the activity row (PostgreSQL; SQLite's IMMEDIATE transactions serialise anyway).
  It never deletes a session (a session may carry attendance).
- **Dates, not datetimes.** Sessions are a date plus wall-clock times; generation steps through calendar dates, so
  a daylight-saving change cannot move a session.
- **Attendance is upserted** on (session, enrolment) in one transaction, with one audit record per participant
  in one insert; the number of queries does not grow with the group.
- **Rate** = sessions present (``aanwezig`` or ``te_laat``) / sessions with an attendance record, with that N.

The writes are in the services package (same module name)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from koers.activities.models import Activity, Attendance, ClosedDay, Enrolment, Group, Session
from koers.activities.queries.groups import TAKING_PART
from koers.core import access, locking
from koers.core.codes import PRESENT_STATUSES, AttendanceStatus, Category, Phase, Role, SessionStatus
from koers.core.models import MunicipalityPolicy

#: How far back the participant page shows unexcused absences.
SIGNAL_DAYS = 14


#: The rate is only flagged as too low from this many registered sessions on (one absence is not a pattern).
RATE_SIGNAL_MIN_SESSIONS = 4


def _d(value: dt.date) -> str:
    return f"{value.day}-{value.month}-{value.year}"


@dataclass
class GenerationResult:
    created: int = 0
    holidays: int = 0
    existing: int = 0

    def message(self) -> str:
        if not self.created:
            return f"Er waren geen nieuwe bijeenkomsten nodig ({self.existing} bestonden al)."
        text = f"{self.created} bijeenkomst(en) aangemaakt"
        if self.holidays:
            text += f", waarvan {self.holidays} op een vrije dag (gemarkeerd als vakantie)"
        return text + "."


def pattern_dates(start: dt.date, end: dt.date, weekday: int) -> list[dt.date]:
    """Every date from start to end (inclusive) on the given weekday (0 = monday), by calendar arithmetic."""
    first = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    return [first + dt.timedelta(weeks=n) for n in range(((end - first).days // 7) + 1)] if first <= end else []


def session_groups(activity: Activity) -> list[Group | None]:
    """Sessions are per group when the activity has groups, otherwise for the activity as a whole."""
    groups = list(activity.groups.all()) if activity.is_group else []
    return groups or [None]


def starts_with_sessions(user) -> bool:
    """A teacher's start page is today's sessions of their organisation (core.extensions.register_home)."""
    return user.has_role(Role.TAALDOCENT) and access.can_manage_activities(user, user.organisation_id)


def get_session_for_manager_or_404(user, session_id) -> Session:
    """A session of the user's own organisation (provider staff), or 404 for anybody else."""
    try:
        session = Session.objects.select_related("activity", "group").get(pk=int(session_id))
    except (ValueError, TypeError, Session.DoesNotExist) as exc:
        raise Http404("Bijeenkomst niet gevonden") from exc
    if not access.can_manage_activities(user, session.activity.provider_id):
        raise Http404("Bijeenkomst niet gevonden")
    return session


def sessions_on(user, day: dt.date) -> list[Session]:
    """The sessions of the user's organisation on a day, with how many attendances are registered."""
    if not access.can_manage_activities(user, user.organisation_id):
        return []
    return list(
        Session.objects.filter(activity__provider_id=user.organisation_id, date=day)
        .select_related("activity", "group")
        .annotate(registered=Count("attendances"))
        .order_by("start_time", "activity__title", "group__name", "id")
    )


def sessions_between(activity: Activity, start: dt.date, end: dt.date, group: Group | None = None) -> list[Session]:
    qs = Session.objects.filter(activity=activity, date__range=(start, end))
    if group is not None:
        qs = qs.filter(group=group)
    return list(
        qs.select_related("group").annotate(registered=Count("attendances")).order_by("date", "start_time", "id")
    )


def closed_days_since(organisation_id: int, since: dt.date):
    """The organisation's closed days from ``since`` on, in date order."""
    return ClosedDay.objects.filter(organisation_id=organisation_id, date__gte=since).order_by("date")


def by_week(items: Iterable, date_of=lambda item: item.date) -> list[tuple[dt.date, list]]:
    """Items grouped by the monday of their ISO week, in order."""
    weeks: dict[dt.date, list] = defaultdict(list)
    for item in items:
        day = date_of(item)
        weeks[day - dt.timedelta(days=day.weekday())].append(item)
    return sorted(weeks.items())


def expected_enrolments(session: Session):
    """Who is expected at a session: enrolments of the activity (of the session's group, if any) that take part
    and whose period covers the date, of participants whose trajectory is not closed, plus anybody already
    registered for it."""
    covers = Q(status__in=TAKING_PART, start_date__lte=session.date) & (
        Q(end_date__isnull=True) | Q(end_date__gte=session.date)
    ) & ~Q(participant__phase=Phase.AFGESLOTEN)
    if session.group_id:
        covers &= Q(group_id=session.group_id)
    already = Q(pk__in=Attendance.objects.filter(session=session).values("enrolment_id"))
    return Enrolment.objects.filter(activity_id=session.activity_id).filter(covers | already)


@dataclass
class Row:
    enrolment: Enrolment
    grant: access.Grant
    attendance: Attendance | None

    @property
    def participant(self):
        return self.enrolment.participant


@dataclass
class Register:
    """The attendance screen of one session: the rows the user may register, and how many they cannot see."""

    session: Session
    rows: list[Row]
    hidden: int

    @property
    def registered(self) -> int:
        return sum(1 for r in self.rows if r.attendance is not None)


def register_for(user, session: Session) -> Register:
    """The members of the session the user may register attendance for (visible, trajectory in the grant).

    Visibility is decided on the session's few expected members (``access.visible_among``), not by joining
    every participant the organisation may see: that subquery made the page of a group of 15 cost as much as
    listing 20,000 participants. Only the visible members' rows are loaded in full."""
    members = list(
        expected_enrolments(session).select_related("participant")
        .only("id", "participant__id", "participant__regie_organisation_id")
    )
    grants = access.visible_among(user, [e.participant for e in members])
    provider_id = session.activity.provider_id
    allowed = {e.pk for e in members if e.participant_id in grants
               and access.can_record_attendance(user, grants[e.participant_id], provider_id)}
    enrolments = list(
        Enrolment.objects.filter(pk__in=allowed).select_related("participant")
        .order_by("participant__name_search", "id")
    ) if allowed else []
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session, enrolment__in=allowed)}
    rows = [Row(e, grants[e.participant_id], existing.get(e.pk)) for e in enrolments]
    return Register(session, rows, len(members) - len(rows))


def check_session_open(session: Session, today: dt.date | None = None) -> None:
    """Attendance can only be registered for a planned session within the activity's period, not in advance."""
    today = today or timezone.localdate()
    activity = session.activity
    if not (activity.start_date <= session.date <= activity.end_date):
        raise ValidationError(
            f"Deze bijeenkomst ({_d(session.date)}) valt buiten de periode van de activiteit "
            f"({_d(activity.start_date)} t/m {_d(activity.end_date)}). Er is niets opgeslagen."
        )
    if session.status != SessionStatus.GEPLAND:
        raise ValidationError(
            f"Deze bijeenkomst is {session.get_status_display().lower()}: er kan geen aanwezigheid worden "
            f"geregistreerd."
        )
    if session.date > today:
        raise ValidationError("Deze bijeenkomst is nog niet geweest: registreer de aanwezigheid op de dag zelf.")


def _row_state(attendance) -> str:
    return "" if attendance is None else f"{attendance.status}|{int(attendance.note_is_special)}|{attendance.note}"


def register_version(rows) -> str:
    """The optimistic-locking version of a session's register as shown (core/locking.py): one keyed fingerprint
    per member's registration, so a registration a colleague saved after the screen was opened is noticed."""
    return locking.make_version({str(r.enrolment.pk): _row_state(r.attendance)
                                 for r in sorted(rows, key=lambda r: r.enrolment.pk)})


@dataclass(frozen=True)
class Rate:
    present: int
    registered: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.registered) if self.registered else None

    def __str__(self) -> str:
        if not self.registered:
            return "nog niets geregistreerd"
        return f"{self.percent}% ({self.present} van {self.registered})"


NO_RATE = Rate(0, 0)


_PRESENT = Q(status__in=list(PRESENT_STATUSES))


def _rates(qs, key: str) -> dict[int, Rate]:
    rows = qs.values(key).annotate(n=Count("id"), present=Count("id", filter=_PRESENT)).order_by()
    return {r[key]: Rate(r["present"], r["n"]) for r in rows}


def rate_for_participant(participant, *, since: dt.date | None = None) -> Rate:
    qs = Attendance.objects.filter(participant=participant)
    if since:
        qs = qs.filter(session__date__gte=since)
    agg = qs.aggregate(n=Count("id"), present=Count("id", filter=_PRESENT))
    return Rate(agg["present"], agg["n"])


def rates_by_enrolment(enrolment_ids: Iterable[int]) -> dict[int, Rate]:
    """Attendance rate per enrolment (of one activity, or of one participant), in one query."""
    return _rates(Attendance.objects.filter(enrolment_id__in=list(enrolment_ids)), "enrolment_id")


def rate_for_activity(activity: Activity, group: Group | None = None) -> Rate:
    qs = Attendance.objects.filter(session__activity=activity)
    if group is not None:
        qs = qs.filter(session__group=group)
    agg = qs.aggregate(n=Count("id"), present=Count("id", filter=_PRESENT))
    return Rate(agg["present"], agg["n"])


@dataclass(frozen=True)
class AbsenceSignal:
    """An unexcused absence (afwezig zonder afmelding): the signal the regisseur sees the same day."""

    date: dt.date
    start_time: dt.time
    activity: str
    provider: str
    group: str
    status: str
    status_label: str
    recorded_by: str
    recorded_at: dt.datetime
    note: str
    participant_id: int
    attendance_id: int


def absence_signals(participant, grant: access.Grant = access.NO_GRANT, *, days: int = SIGNAL_DAYS,
                    today: dt.date | None = None) -> list[AbsenceSignal]:
    """Unexcused absences of the participant in the last ``days`` days (today included), newest first.

    The caller has checked that the user may see the participant's trajectory (``access``); a note marked
    special shows as "afgeschermde notitie" unless the grant covers special-category data."""
    today = today or timezone.localdate()
    rows = (
        Attendance.objects.filter(
            participant=participant, status=AttendanceStatus.ONGEOORLOOFD,
            session__date__gt=today - dt.timedelta(days=days), session__date__lte=today,
        )
        .select_related("session", "session__activity", "session__activity__provider", "session__group",
                        "recorded_by")
        .order_by("-session__date", "-session__start_time", "-id")
    )
    return [
        AbsenceSignal(
            date=a.session.date, start_time=a.session.start_time, activity=a.session.activity.title,
            provider=a.session.activity.provider.name, group=a.session.group.name if a.session.group_id else "",
            status=a.status, status_label=a.get_status_display(),
            recorded_by=a.recorded_by.get_full_name() or a.recorded_by.get_username(), recorded_at=a.recorded_at,
            note=access.show_note(grant, a.note, a.note_is_special), participant_id=a.participant_id,
            attendance_id=a.pk,
        )
        for a in rows
    ]


def panel(participant, grant: access.Grant, *, today: dt.date | None = None) -> dict:
    """Context for ``activities/attendance/_panel.html`` on the participant page (empty: show nothing).

    Needs the trajectory category; three queries (policy, rate, signals)."""
    if Category.TRAJECTORY not in grant.read:
        return {}
    today = today or timezone.localdate()
    policy = MunicipalityPolicy.for_participant(participant)
    rate = rate_for_participant(participant)
    threshold = policy.min_attendance_percent
    return {
        "signals": absence_signals(participant, grant, today=today),
        "days": SIGNAL_DAYS,
        "rate": rate,
        "threshold": threshold,
        "below_threshold": rate.registered >= RATE_SIGNAL_MIN_SESSIONS and rate.percent < threshold,
        "today": today,
    }


def participant_history(participant, start: dt.date, end: dt.date) -> list[Attendance]:
    return list(
        Attendance.objects.filter(participant=participant, session__date__range=(start, end))
        .select_related("session", "session__activity", "session__group", "recorded_by")
        .order_by("session__date", "session__start_time", "id")
    )


def participant_enrolments(participant) -> list[tuple[Enrolment, Rate]]:
    enrolments = list(participant.enrolments.select_related("activity", "activity__provider", "group")
                      .order_by("-start_date", "id"))
    rates = rates_by_enrolment(e.pk for e in enrolments)
    return [(e, rates.get(e.pk, NO_RATE)) for e in enrolments]
