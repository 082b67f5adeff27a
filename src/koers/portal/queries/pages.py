"""What the participant's own pages show: the home page, my plan, my week. Always with ``access.own_grant()``."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import monday_of
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


def days_of(week) -> list:
    """The days of a week that hold something: classes, work and appointments (the week's events)."""
    return [d for d in week.days if not d.empty]


def first_thing_on(weeks: list, day: date) -> dict | None:
    """The first appointment, class or work of ``day`` in the given weeks (the home page's reminder)."""
    timed = []
    work = None
    for w in weeks:
        for d in w.days:
            if d.date != day:
                continue
            timed.extend((e.start, {"kind": "appointment", "appointment": e, "date": day}) for e in d.events)
            timed.extend((b.start, {"kind": "class", "block": b, "date": day}) for c in d.cells for b in c.blocks)
            work = next((w_ for c in d.cells for w_ in c.work), None)
    if timed:
        return min(timed, key=lambda t: t[0])[1]
    if work is not None:
        return {"kind": "work", "commitment": work, "date": day}
    return None
