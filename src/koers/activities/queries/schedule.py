"""Reads of a participant's week: the blocks their planned and running enrolments take up, and the week view
(``rules/schedule.py`` does the arithmetic). The enrolment check and the week card use the same blocks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db.models import Q

from koers.activities import week as week_registry
from koers.activities.models import Activity, ActivitySlot, Enrolment
from koers.activities.queries.activities import SCHEDULED
from koers.activities.rules.schedule import (
    OPEN_END,
    Block,
    Commitment,
    ScheduleCheck,
    Week,
    busiest_week,
    week_breakdown,
    week_view,
)
from koers.core.models import MunicipalityPolicy
from koers.participants.models import Participant


def blocks_of(
    activity: Activity, slots: Iterable[ActivitySlot], start: date, end: date | None, *,
    enrolment_id: int | None = None, status: str = "", proposed: bool = False,
) -> list[Block]:
    """The weekly blocks an enrolment (existing or proposed) takes up, within the activity's period."""
    last = min(end or activity.end_date, activity.end_date)
    return [
        Block(
            enrolment_id=enrolment_id, activity_id=activity.pk, title=activity.title, kind=activity.kind,
            kind_label=activity.get_kind_display(), weekday=s.weekday, start=s.start_time, end=s.end_time,
            first=start, last=last, fixed=activity.is_fixed, status=status, location=activity.location,
            provider=activity.provider.name if activity.provider_id else "", proposed=proposed,
        )
        for s in slots
    ]


def scheduled_enrolments(participant_id: int, *, exclude: int | None = None, between=None) -> list[Enrolment]:
    """Planned and running enrolments of a participant (with activity, provider and slots: three queries)."""
    qs = Enrolment.objects.filter(participant_id=participant_id, status__in=SCHEDULED)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if between:
        first, last = between
        qs = qs.filter(start_date__lte=last, activity__end_date__gte=first).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first)
        )
    return list(qs.select_related("activity", "activity__provider").prefetch_related("activity__slots"))


def enrolment_blocks(enrolments: Sequence[Enrolment]) -> list[Block]:
    blocks: list[Block] = []
    for e in enrolments:
        blocks += blocks_of(
            e.activity, e.activity.slots.all(), e.start_date, e.end_date, enrolment_id=e.pk, status=e.status
        )
    return blocks


def max_hours_for(participant: Participant) -> int:
    return MunicipalityPolicy.for_participant(participant).max_hours_per_week


def commitments(participant: Participant, grant, first: date, last: date):
    """What other apps add to the week (placements), as far as the grant covers it (``activities/week.py``)."""
    return week_registry.commitments(participant, grant, first, last)


def participant_week(participant: Participant, monday: date, grant) -> Week:
    """The week of classes, work (placements the grant covers) and appointments, and its hours against the
    maximum."""
    sunday = monday + timedelta(days=6)
    enrolments = scheduled_enrolments(participant.pk, between=(monday, sunday))
    week = week_view(
        enrolment_blocks(enrolments), monday, availability=participant.availability,
        max_hours=max_hours_for(participant), commitments=commitments(participant, grant, monday, sunday),
        events=week_registry.events(participant, grant, monday, sunday),
    )
    in_week = {b.enrolment_id for b in week.blocks}
    week.reasons = [(e.activity.title, e.conflict_override) for e in enrolments
                    if e.conflict_override and e.pk in in_week]
    return week




def hours_check(participant: Participant, grant, *, extra: Sequence[Commitment]) -> ScheduleCheck:
    """The 32-hour check for new work in the week (a placement being recorded): the busiest week of ``extra``'s
    period with the classes and the other commitments; ``over_hours`` and ``conflicts`` say whether a reason is
    needed. For the placement form in work (which registers its own placements, so ``extra`` should not repeat
    a placement that is already stored)."""
    if not extra:
        return ScheduleCheck(max_hours=max_hours_for(participant))
    first = min(c.first for c in extra)
    last = max(c.last for c in extra)
    horizon = last if last != OPEN_END else first + timedelta(weeks=52)
    blocks = enrolment_blocks(scheduled_enrolments(participant.pk, between=(first, horizon)))
    others = commitments(participant, grant, first, horizon)
    check = ScheduleCheck(max_hours=max_hours_for(participant))
    work = [*others, *extra]
    check.hours, check.hours_week = busiest_week(blocks, first, horizon, work)
    check.breakdown = week_breakdown(blocks, check.hours_week, work)
    return check
