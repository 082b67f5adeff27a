"""Sessions and attendance: generating sessions from the weekly pattern, registering attendance for a whole
group at once, attendance rates and the absence signals the regisseur sees the same day.

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
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from koers.activities.groups import TAKING_PART
from koers.activities.models import Activity, Attendance, ClosedDay, Enrolment, Group, Session
from koers.core import access, audit, locking
from koers.core.codes import PRESENT_STATUSES, AttendanceStatus, Category, SessionStatus
from koers.core.models import AuditAction, MunicipalityPolicy

#: How far back the participant page shows unexcused absences.
SIGNAL_DAYS = 14
#: The rate is only flagged as too low from this many registered sessions on (one absence is not a pattern).
RATE_SIGNAL_MIN_SESSIONS = 4


def _d(value: dt.date) -> str:
    return f"{value.day}-{value.month}-{value.year}"


# --- Session generation --------------------------------------------------------------------------------------


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


def generate_sessions(
    activity: Activity, *, start: dt.date | None = None, end: dt.date | None = None
) -> GenerationResult:
    """Create the missing sessions of the weekly pattern over the activity's period (or part of it)."""
    start = max(start or activity.start_date, activity.start_date)
    end = min(end or activity.end_date, activity.end_date)
    result = GenerationResult()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        slots = list(activity.slots.all())
        groups = session_groups(activity)
        closed = dict(
            ClosedDay.objects.filter(organisation_id=activity.provider_id, date__range=(start, end))
            .values_list("date", "reason")
        )
        existing = set(
            Session.objects.filter(activity=activity, date__range=(start, end))
            .values_list("group_id", "date", "start_time")
        )
        new = []
        for slot in slots:
            for day in pattern_dates(start, end, slot.weekday):
                for group in groups:
                    key = (group.pk if group else None, day, slot.start_time)
                    if key in existing:
                        result.existing += 1
                        continue
                    existing.add(key)
                    holiday = day in closed
                    result.holidays += holiday
                    new.append(Session(
                        activity=activity, group=group, date=day, start_time=slot.start_time, end_time=slot.end_time,
                        status=SessionStatus.VAKANTIE if holiday else SessionStatus.GEPLAND,
                        note=closed[day][:200] if holiday else "",
                    ))
        Session.objects.bulk_create(new, batch_size=500)
        result.created = len(new)
    return result


def create_session(activity: Activity, group: Group | None, date: dt.date, start_time: dt.time,
                   end_time: dt.time) -> Session:
    """One extra session (outside the weekly pattern). Refused outside the activity's period."""
    errors = {}
    if not (activity.start_date <= date <= activity.end_date):
        errors["date"] = (f"De datum valt buiten de periode van de activiteit ({_d(activity.start_date)} t/m "
                          f"{_d(activity.end_date)}).")
    if end_time <= start_time:
        errors["end_time"] = "De eindtijd moet na de begintijd liggen."
    if group is not None and group.activity_id != activity.pk:
        errors["group"] = "Deze groep hoort niet bij de activiteit."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if Session.objects.filter(activity=activity, group=group, date=date, start_time=start_time).exists():
            raise ValidationError({"date": "Op deze datum en begintijd is er al een bijeenkomst."})
        closed = ClosedDay.objects.filter(organisation_id=activity.provider_id, date=date).first()
        return Session.objects.create(
            activity=activity, group=group, date=date, start_time=start_time, end_time=end_time,
            status=SessionStatus.VAKANTIE if closed else SessionStatus.GEPLAND, note=closed.reason if closed else "",
        )


def set_session_status(session: Session, status: str, reason: str = "") -> Session:
    """Cancel a session or mark it a holiday (with a reason), or plan it again."""
    reason = (reason or "").strip()
    if status not in SessionStatus.values:
        raise ValidationError({"status": "Kies een geldige status."})
    if status != SessionStatus.GEPLAND:
        if not reason:
            raise ValidationError({"reason": "Geef een reden op, die zien de deelnemers en hun regisseur."})
        if session.attendances.exists():
            raise ValidationError(
                "Voor deze bijeenkomst is al aanwezigheid geregistreerd; een bijeenkomst die heeft plaatsgevonden "
                "kan niet worden geannuleerd."
            )
    session.status = status
    session.note = reason[:200] if status != SessionStatus.GEPLAND else ""
    session.save(update_fields=["status", "note"])
    return session


def add_closed_day(organisation_id: int, date: dt.date, reason: str) -> tuple[ClosedDay, int]:
    """A closed day for the provider; its planned sessions without attendance become holidays."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef een reden op, bijvoorbeeld ‘Koningsdag’ of ‘studiedag’."})
    with transaction.atomic():
        if ClosedDay.objects.filter(organisation_id=organisation_id, date=date).exists():
            raise ValidationError({"date": f"{_d(date)} staat al als vrije dag vastgelegd."})
        day = ClosedDay.objects.create(organisation_id=organisation_id, date=date, reason=reason[:120])
        changed = (
            Session.objects.filter(activity__provider_id=organisation_id, date=date, status=SessionStatus.GEPLAND)
            .exclude(attendances__isnull=False)
            .update(status=SessionStatus.VAKANTIE, note=reason[:200])
        )
    return day, changed


def remove_closed_day(organisation_id: int, day_id) -> int:
    """Remove a closed day; the holiday sessions on it are planned again. Returns how many."""
    with transaction.atomic():
        day = ClosedDay.objects.filter(organisation_id=organisation_id, pk=day_id).first()
        if day is None:
            raise Http404("Vrije dag niet gevonden")
        replanned = Session.objects.filter(
            activity__provider_id=organisation_id, date=day.date, status=SessionStatus.VAKANTIE, note=day.reason[:200]
        ).update(status=SessionStatus.GEPLAND, note="")
        day.delete()
    return replanned


# --- Reading sessions ----------------------------------------------------------------------------------------


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


def by_week(items: Iterable, date_of=lambda item: item.date) -> list[tuple[dt.date, list]]:
    """Items grouped by the monday of their ISO week, in order."""
    weeks: dict[dt.date, list] = defaultdict(list)
    for item in items:
        day = date_of(item)
        weeks[day - dt.timedelta(days=day.weekday())].append(item)
    return sorted(weeks.items())


# --- Attendance entry ----------------------------------------------------------------------------------------


def expected_enrolments(session: Session):
    """Who is expected at a session: enrolments of the activity (of the session's group, if any) that take part
    and whose period covers the date, plus anybody already registered for it."""
    covers = Q(status__in=TAKING_PART, start_date__lte=session.date) & (
        Q(end_date__isnull=True) | Q(end_date__gte=session.date)
    )
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
    """The members of the session the user may register attendance for (visible, trajectory in the grant)."""
    expected = expected_enrolments(session)
    total = expected.count()
    enrolments = list(
        expected.filter(participant__in=access.visible_participant_ids(user))
        .select_related("participant").order_by("participant__name_search", "id")
    )
    grants = access.grants_for_page(user, [e.participant for e in enrolments])
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session, enrolment__in=enrolments)}
    rows = [
        Row(e, grants[e.participant_id], existing.get(e.pk))
        for e in enrolments
        if access.can_record_attendance(user, grants[e.participant_id], session.activity.provider_id)
    ]
    return Register(session, rows, total - len(rows))


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


def _changes_since(rows_by_id: dict, fields: list[str]) -> list[locking.Change]:
    labels = dict(AttendanceStatus.choices)
    changes = []
    for name in fields:
        row = rows_by_id.get(name)
        if row is None:
            continue
        a = row.attendance
        if a is None:
            changes.append(locking.Change(row.participant.name, new="niet meer geregistreerd"))
            continue
        new = labels.get(a.status, a.status)
        if a.note:
            new += f", opmerking: {access.show_note(row.grant, a.note, a.note_is_special)}"
        changes.append(locking.Change(row.participant.name, new=new,
                                      who=str(a.recorded_by) if a.recorded_by_id else "", when=a.recorded_at))
    return changes


def record_attendance(user, session: Session, entries: Mapping[int, tuple], *, request=None,
                      today: dt.date | None = None, version: str | None = None) -> dict[str, int]:
    """Save the attendance of several members of one session at once: ``{enrolment_id: (status, note)}`` or
    ``(status, note, note_is_special)``. A note marked special is audited as special-category data; a user who
    may not read a protected note keeps it by leaving the field empty.

    Every enrolment must be expected at the session and registrable by the user; otherwise nothing is saved.
    ``version`` (``register_version`` of the screen as it was opened): when a colleague saved this session's
    register since, nothing is saved and ``locking.StaleEdit`` says who registered whom as what.
    Returns counts {"created": n, "updated": n, "unchanged": n}.
    """
    if not access.can_manage_activities(user, session.activity.provider_id):
        raise Http404("Bijeenkomst niet gevonden")
    check_session_open(session, today)
    if not entries:
        raise ValidationError("Er zijn geen deelnemers om te registreren.")
    bad_status = [k for k, entry in entries.items() if entry[0] not in AttendanceStatus.values]
    if bad_status:
        raise ValidationError("Kies voor iedere deelnemer een geldige aanwezigheid. Er is niets opgeslagen.")
    with transaction.atomic():
        # Two people saving the same session: the second waits here, then updates what the first created.
        Session.objects.select_for_update().filter(pk=session.pk).first()
        register = register_for(user, session)
        rows = {r.enrolment.pk: r for r in register.rows}
        unknown = set(entries) - set(rows)
        if unknown:
            raise ValidationError(
                f"{len(unknown)} deelnemer(s) in het formulier staan niet ingeschreven voor deze bijeenkomst, of u "
                f"mag hun aanwezigheid niet registreren. Er is niets opgeslagen."
            )
        locking.check(version, {str(pk): _row_state(rows[pk].attendance) for pk in sorted(rows)},
                      changes_since=lambda fields: _changes_since({str(pk): r for pk, r in rows.items()}, fields))
        now = timezone.now()
        created, updated, unchanged = [], [], 0
        for enrolment_id, entry in entries.items():
            status, note = entry[0], entry[1]
            special = bool(entry[2]) if len(entry) > 2 else False
            row = rows[enrolment_id]
            note = (note or "").strip()[:200]
            special = special and bool(note)
            current = row.attendance
            if (current is not None and current.note and current.note_is_special and not note
                    and not access.may_see_special(row.grant)):
                # The user could not read the protected note, so an empty field means: leave it as it is.
                note, special = current.note, True
            if current is None:
                created.append(Attendance(
                    session=session, enrolment_id=enrolment_id, participant_id=row.enrolment.participant_id,
                    status=status, note=note, note_is_special=special, recorded_by=user, recorded_at=now,
                ))
            elif current.status != status or current.note != note or current.note_is_special != special:
                current.status, current.note, current.note_is_special = status, note, special
                current.recorded_by, current.recorded_at = user, now
                updated.append(current)
            else:
                unchanged += 1
        Attendance.objects.bulk_create(created, batch_size=500)
        if updated:
            Attendance.objects.bulk_update(updated, ["status", "note", "note_is_special", "recorded_by",
                                                     "recorded_at"], batch_size=500)
        where = f"{session.activity.title}{f' ({session.group.name})' if session.group_id else ''} {_d(session.date)}"

        def events_of(attendances):
            # A note marked special is special-category data: audited in that category too.
            return [
                (a.participant_id, cat, rows[a.enrolment_id].grant.legal_basis)
                for a in attendances
                for cat in ((Category.TRAJECTORY, Category.SPECIAL) if a.note_is_special else (Category.TRAJECTORY,))
            ]

        events = events_of(created)
        if events:
            audit.record_many(user, events, AuditAction.CREATE, detail=f"Aanwezigheid geregistreerd: {where}",
                              request=request)
        events = events_of(updated)
        if events:
            audit.record_many(user, events, AuditAction.UPDATE, detail=f"Aanwezigheid gewijzigd: {where}",
                              request=request)
    return {"created": len(created), "updated": len(updated), "unchanged": unchanged}


# --- Rates ---------------------------------------------------------------------------------------------------


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


# --- Signals and the participant page ------------------------------------------------------------------------


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
