"""What the participant's own pages show: the home page, my plan, my week. Always with ``access.own_grant()``."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import monday_of
from koers.casework.queries import appointments as appointment_queries
from koers.core.access import Grant
from koers.participants.models import Participant
from koers.plans.models import PlanVersion
from koers.plans.queries import plans as plan_queries


def signed_plan(participant: Participant, grant: Grant) -> PlanVersion | None:
    """The newest signed plan, with only the content the grant covers (no special-category goals)."""
    current = next((v for v in plan_queries.versions(participant) if v.is_signed), None)
    if current is None:
        return None
    return plan_queries.get_version_or_404(participant, grant, current.number)


def week(participant: Participant, grant: Grant, monday: date):
    return schedule_queries.participant_week(participant, monday, grant)


def this_and_next_week(participant: Participant, grant: Grant, today: date | None = None) -> list:
    monday = monday_of(today or timezone.localdate())
    return [week(participant, grant, monday), week(participant, grant, monday + timedelta(days=7))]


def appointments(participant: Participant, weeks: list) -> dict[date, list]:
    """The participant's appointments (planned contacts) in these weeks, per day (one query)."""
    if not weeks:
        return {}
    found: dict[date, list] = {}
    first, last = weeks[0].monday, weeks[-1].monday + timedelta(days=6)
    for a in appointment_queries.between(participant, first, last):
        found.setdefault(timezone.localtime(a.starts_at).date(), []).append(a)
    return found


def days_of(week, appointments_by_day: dict[date, list]) -> list[dict]:
    """The days of a week that hold something: classes and work (from the week) and appointments."""
    by_date = {d.date: d for d in week.days}  # the week's grid may leave out the weekend
    days = []
    for offset in range(7):
        on = week.monday + timedelta(days=offset)
        d = by_date.get(on) or SimpleNamespace(date=on, cells=[], empty=True)
        on_day = appointments_by_day.get(on, [])
        if not d.empty or on_day:
            days.append({"day": d, "appointments": on_day})
    return days


def first_thing_on(weeks: list, day: date, appointments_by_day: dict[date, list] | None = None) -> dict | None:
    """The first appointment, class or work of ``day`` in the given weeks (the home page's reminder)."""
    timed = [(timezone.localtime(a.starts_at).time(), {"kind": "appointment", "appointment": a, "date": day})
             for a in (appointments_by_day or {}).get(day, [])]
    work = None
    for w in weeks:
        for d in w.days:
            if d.date != day:
                continue
            timed.extend((b.start, {"kind": "class", "block": b, "date": day}) for c in d.cells for b in c.blocks)
            work = next((w_ for c in d.cells for w_ in c.work), None)
    if timed:
        return min(timed, key=lambda t: t[0])[1]
    if work is not None:
        return {"kind": "work", "commitment": work, "date": day}
    return None
