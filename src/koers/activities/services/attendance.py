"""Sessions and attendance: the writes — generating sessions from the weekly pattern, registering attendance for a
whole session (under optimistic locking), cancelling. Reads: queries/attendance.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.activities.models import Activity, Attendance, ClosedDay, Group, Session
from koers.activities.queries.attendance import (
    GenerationResult,
    _d,
    _row_state,
    check_session_open,
    pattern_dates,
    register_for,
    session_groups,
)
from koers.core import access, audit, locking
from koers.core.codes import AttendanceStatus, Category, SessionStatus
from koers.core.models import AuditAction


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
