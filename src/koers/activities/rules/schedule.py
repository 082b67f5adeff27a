"""The weekly schedule: blocks of time, conflict detection and the week view. Pure functions, no database.

An enrolment contributes one *block* per slot of its activity's weekly pattern, valid from the enrolment's
start up to its end (or the activity's end). Times are half-open intervals: 09:00–12:00 and 12:00–13:00 touch
but do not overlap. Periods are closed date ranges: an enrolment ending on 10 March and one starting on
10 March overlap on that day.

The conflicts Koers shows before an enrolment is saved (``check_schedule``):

* **overlap**: a block of the new enrolment and a block of another active or planned enrolment on the same
  weekday at overlapping times, in periods that share at least one such weekday;
* **outside availability**: a block in a dagdeel the participant is not available (only when the
  availability is known; unknown availability is a notice, not a conflict);
* **on a working dagdeel**: a block in a dagdeel where a placement of the participant is worked (the
  placement's dagdelen, when known);
* **too many hours**: in some week of the new enrolment's period the total of all blocks *and* of the hours
  other apps add to the week (a placement's hours per week, ``Commitment``) exceeds the municipality's maximum
  hours per week: "20 uur les + 24 uur proefplaatsing = 44 uur, maximaal 32".

A block lies in the dagdeel it starts in, and in each next dagdeel it runs into *for more than an hour*
(``SPILL``): a class from 9:00 to 13:00 is a morning (lunch included), one from 9:00 to 14:00 a morning and an
afternoon. Counting every minute past 12:00 flagged a friday-morning class of 9:00–13:00 "buiten
beschikbaarheid" for someone available on friday mornings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from koers.core.codes import DAYS, PARTS

#: Dagdelen as half-open time ranges: ochtend until 12:00, middag until 17:00, avond after that.
PART_BOUNDS: dict[str, tuple[time, time | None]] = {
    "o": (time(0, 0), time(12, 0)),
    "m": (time(12, 0), time(17, 0)),
    "a": (time(17, 0), None),  # until midnight
}
DAY_LABELS = [label for _, label in DAYS]
PART_LABELS = dict(PARTS)
#: Far enough in the future to stand in for "no end date" in interval arithmetic.
OPEN_END = date(9999, 12, 31)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def fmt_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def fmt_time(t: time) -> str:
    return f"{t:%H:%M}"


def times_overlap(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    """Half-open intervals: touching ends (12:00 / 12:00) do not overlap."""
    return a_start < b_end and b_start < a_end


def periods_overlap(a_first: date, a_last: date | None, b_first: date, b_last: date | None) -> bool:
    """Closed date ranges; ``None`` as the last day is open-ended."""
    return a_first <= (b_last or OPEN_END) and b_first <= (a_last or OPEN_END)


def first_weekday_between(first: date, last: date, weekday: int) -> date | None:
    """The first date in [first, last] that falls on ``weekday`` (0 = monday), or None."""
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    return day if day <= last else None


#: How far (in minutes) a block may run into the next dagdeel and still count as one dagdeel.
SPILL = 60


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def slot_dagdelen(weekday: int, start: time, end: time) -> list[str]:
    """The dagdeel codes ("ma_o", ...) a time block takes up: the one it starts in, and each next one it runs into
    for more than ``SPILL`` minutes. 09:00–15:00 on monday is ma_o and ma_m; 09:00–13:00 is ma_o."""
    day = DAYS[weekday][0]
    codes = []
    for part, (lo, hi) in PART_BOUNDS.items():
        upper = 24 * 60 if hi is None else _minutes(hi)
        if not (start < (hi or time.max) and lo < end):
            continue
        starts_here = lo <= start
        inside = min(_minutes(end), upper) - max(_minutes(start), _minutes(lo))
        if starts_here or inside > SPILL:
            codes.append(f"{day}_{part}")
    return codes


def hours_between(start: time, end: time) -> float:
    return ((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)) / 60


@dataclass(frozen=True)
class Block:
    """One weekly time block of one enrolment (or of the enrolment being considered: ``proposed``)."""

    enrolment_id: int | None
    activity_id: int
    title: str
    kind: str
    kind_label: str
    weekday: int
    start: time
    end: time
    first: date
    last: date
    fixed: bool = False
    status: str = ""
    location: str = ""
    provider: str = ""
    proposed: bool = False

    @property
    def hours(self) -> float:
        return hours_between(self.start, self.end)

    @property
    def dagdelen(self) -> list[str]:
        return slot_dagdelen(self.weekday, self.start, self.end)

    @property
    def part(self) -> str:
        """The dagdeel the block starts in (where the week view shows it)."""
        return next(p for p, (lo, hi) in PART_BOUNDS.items() if lo <= self.start < (hi or time.max))

    @property
    def day_label(self) -> str:
        return DAY_LABELS[self.weekday]

    @property
    def times(self) -> str:
        return f"{fmt_time(self.start)}–{fmt_time(self.end)}"

    def on(self, day: date) -> bool:
        """Does this block take place on this date?"""
        return day.weekday() == self.weekday and self.first <= day <= self.last


@dataclass(frozen=True)
class Commitment:
    """Hours another app adds to the participant's week (a placement: ``hours`` per week from ``first`` to
    ``last``), on the dagdelen where it is worked when those are known. Registered through
    ``koers.activities.week`` (work registers placements), so activities never imports the app above it."""

    title: str
    kind: str  # short label for the sum: "proefplaatsing", "betaald werk"
    hours: float
    first: date
    last: date
    dagdelen: frozenset[str] = frozenset()
    source: str = "werk"

    def in_week(self, monday: date) -> bool:
        return periods_overlap(self.first, self.last, monday, monday + timedelta(days=6))

    @property
    def dagdelen_sorted(self) -> list[str]:
        return sorted(self.dagdelen, key=_DAGDEEL_ORDER.get)


@dataclass(frozen=True)
class Event:
    """A one-off appointment in the participant's week (a planned contact), registered through
    ``koers.activities.week`` (casework registers its appointments). Shown in its dagdeel; not counted in the
    hours (a conversation is not a class or work); an event during a class is named as a clash."""

    id: int
    day: date
    start: time
    end: time
    title: str  # what it is about, as written for the participant
    kind_label: str  # "Gesprek", "Huisbezoek"
    with_whom: str  # the staff member's first name
    organisation: str = ""
    location: str = ""
    held: bool = False  # the contact of it is recorded

    @property
    def weekday(self) -> int:
        return self.day.weekday()

    @property
    def part(self) -> str:
        return next(p for p, (lo, hi) in PART_BOUNDS.items() if lo <= self.start < (hi or time.max))

    @property
    def times(self) -> str:
        return f"{fmt_time(self.start)}–{fmt_time(self.end)}"

    @property
    def dagdelen(self) -> list[str]:
        return slot_dagdelen(self.weekday, self.start, self.end)


_DAGDEEL_ORDER = {f"{d}_{p}": i for i, (d, p) in enumerate((d, p) for d, _ in DAYS for p, _ in PARTS)}


def clash_date(a: Block, b: Block) -> date | None:
    """The first date on which two blocks both take place at overlapping times, or None."""
    if a.weekday != b.weekday or not times_overlap(a.start, a.end, b.start, b.end):
        return None
    first, last = max(a.first, b.first), min(a.last, b.last)
    if first > last:
        return None
    return first_weekday_between(first, last, a.weekday)


def week_hours(blocks: Iterable[Block], monday: date, commitments: Iterable[Commitment] = ()) -> float:
    """Total hours of the blocks that take place in the week starting on ``monday``, plus the commitments
    (placements) running in that week."""
    return sum(b.hours for b in blocks if b.on(monday + timedelta(days=b.weekday))) + sum(
        c.hours for c in commitments if c.in_week(monday)
    )


def week_breakdown(blocks: Iterable[Block], monday: date, commitments: Iterable[Commitment] = ()
                   ) -> list[tuple[str, float]]:
    """The week's hours per kind: ("les", 20), ("proefplaatsing", 24); class hours first, nothing with 0 hours."""
    parts: dict[str, float] = {}
    lessons = sum(b.hours for b in blocks if b.on(monday + timedelta(days=b.weekday)))
    if lessons:
        parts["les"] = lessons
    for c in commitments:
        if c.in_week(monday) and c.hours:
            parts[c.kind] = parts.get(c.kind, 0) + c.hours
    return list(parts.items())


def holds_to_maximum(parts: Sequence[tuple[str, float]]) -> bool:
    """Whether a week is held to the municipality's maximum: only when it has classes. The maximum is about
    learning and working at once (class + work above it needs a recorded reason); work alone never is."""
    return any(label == "les" and hours for label, hours in parts)


def breakdown_text(parts: Sequence[tuple[str, float]], total: float, max_hours: int | None = None) -> str:
    """ "20 uur les + 24 uur proefplaatsing = 44 uur, maximaal 32"; with one kind only the total ("9 uur")."""
    if len(parts) > 1:
        text = " + ".join(f"{fmt_hours(h)} uur {label}" for label, h in parts) + f" = {fmt_hours(total)} uur"
    else:
        text = f"{fmt_hours(total)} uur"
    if max_hours is not None:
        text += f", maximaal {max_hours}"
    return text


def busiest_week(blocks: Sequence[Block], first: date, last: date,
                 commitments: Sequence[Commitment] = ()) -> tuple[float, date]:
    """The most hours in any week that touches [first, last], and the monday of that week.

    The weekly total only changes in weeks where some block or commitment starts or ends, so it suffices to
    look at those weeks and the week after each (exact, and cheap for open-ended periods)."""
    start_week, end_week = monday_of(first), monday_of(last)
    candidates = {start_week}
    for b in [*blocks, *commitments]:
        for day in (b.first, min(b.last, last) + timedelta(days=1)):
            for week in (monday_of(day), monday_of(day) + timedelta(days=7)):
                if start_week <= week <= end_week:
                    candidates.add(week)
    best = max(sorted(candidates), key=lambda w: (week_hours(blocks, w, commitments), -w.toordinal()))
    return week_hours(blocks, best, commitments), best


@dataclass(frozen=True)
class Clash:
    proposed: Block
    other: Block
    on: date

    @property
    def message(self) -> str:
        fixed = " (vaste taalles)" if self.other.fixed else ""
        return (
            f"Overlapt met ‘{self.other.title}’{fixed} op {self.other.day_label} {self.other.times} "
            f"(deze activiteit: {self.proposed.day_label} {self.proposed.times}), voor het eerst op "
            f"{fmt_date(self.on)}."
        )


@dataclass
class ScheduleCheck:
    """What adding the proposed blocks to a participant's week would cause."""

    clashes: list[Clash] = field(default_factory=list)
    outside_availability: list[tuple[Block, list[str]]] = field(default_factory=list)
    at_work: list[tuple[Block, Commitment, list[str]]] = field(default_factory=list)
    availability_unknown: bool = False
    hours: float = 0.0
    hours_week: date | None = None
    max_hours: int | None = None
    breakdown: list[tuple[str, float]] = field(default_factory=list)

    @property
    def over_hours(self) -> bool:
        return self.max_hours is not None and self.hours > self.max_hours and holds_to_maximum(self.breakdown)

    @property
    def conflicts(self) -> list[str]:
        """Dutch messages, one per problem; an override reason is needed when there are any."""
        messages = [c.message for c in self.clashes]
        for block, codes in self.outside_availability:
            parts = " en ".join(f"{block.day_label} {PART_LABELS[c[-1]]}" for c in codes)
            messages.append(
                f"‘{block.title}’ op {block.day_label} {block.times} valt buiten de beschikbaarheid van de "
                f"deelnemer ({parts})."
            )
        for block, work, codes in self.at_work:
            parts = " en ".join(f"{block.day_label} {PART_LABELS[c[-1]]}" for c in codes)
            messages.append(
                f"‘{block.title}’ op {block.day_label} {block.times} valt op een werkdagdeel van ‘{work.title}’ "
                f"({parts})."
            )
        if self.over_hours:
            messages.append(
                f"In de week van {fmt_date(self.hours_week)} komt de deelnemer op "
                f"{breakdown_text(self.breakdown, self.hours)}; de gemeente hanteert maximaal {self.max_hours} uur "
                "per week."
            )
        return messages

    @property
    def notices(self) -> list[str]:
        if self.availability_unknown:
            return ["De beschikbaarheid van de deelnemer is onbekend. Bespreek de dagdelen met de deelnemer."]
        return []

    @property
    def has_conflicts(self) -> bool:
        return bool(self.clashes or self.outside_availability or self.at_work or self.over_hours)

    @property
    def fingerprint(self) -> str:
        """Identifies the set of conflicts a user confirmed (if it changes before saving, ask again)."""
        return hashlib.sha256("\n".join(sorted(self.conflicts)).encode()).hexdigest()[:16]


def fmt_hours(hours: float) -> str:
    return f"{hours:.1f}".replace(".0", "").replace(".", ",")


def check_schedule(
    proposed: Sequence[Block],
    existing: Sequence[Block],
    *,
    availability: Sequence[str] | None,
    max_hours: int | None,
    commitments: Sequence[Commitment] = (),
) -> ScheduleCheck:
    """The conflicts of adding ``proposed`` to ``existing`` and the ``commitments`` (placements) of the
    participant (see the module docstring)."""
    result = ScheduleCheck(max_hours=max_hours)
    for p in proposed:
        for other in existing:
            on = clash_date(p, other)
            if on is not None:
                result.clashes.append(Clash(p, other, on))
    if availability is None:
        result.availability_unknown = bool(proposed)
    else:
        allowed = set(availability)
        for p in proposed:
            outside = [code for code in p.dagdelen if code not in allowed]
            if outside:
                result.outside_availability.append((p, outside))
    if proposed:
        first = min(p.first for p in proposed)
        last = max(p.last for p in proposed)
        relevant = list(proposed) + [b for b in existing if periods_overlap(b.first, b.last, first, last)]
        working = [c for c in commitments if periods_overlap(c.first, c.last, first, last)]
        for p in proposed:
            for c in working:
                codes = [code for code in p.dagdelen if code in c.dagdelen]
                if codes and periods_overlap(p.first, p.last, c.first, c.last):
                    result.at_work.append((p, c, codes))
        result.hours, result.hours_week = busiest_week(relevant, first, last, working)
        result.breakdown = week_breakdown(relevant, result.hours_week, working)
    return result


# --- The week view ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellItem:
    block: Block
    clash: bool  # overlaps another block this week
    outside: bool = False  # (partly) in a dagdeel the participant is not available


@dataclass
class Cell:
    code: str  # "ma_o"
    part: str  # "o"
    label: str  # "ochtend"
    available: bool | None  # None: availability unknown
    items: list[CellItem] = field(default_factory=list)
    work: list[Commitment] = field(default_factory=list)  # placements worked in this dagdeel
    events: list[Event] = field(default_factory=list)  # appointments starting in this dagdeel

    @property
    def blocks(self) -> list[Block]:
        return [i.block for i in self.items]


@dataclass
class Day:
    date: date
    weekday: int
    label: str
    cells: list[Cell]

    @property
    def empty(self) -> bool:
        return not any(c.blocks or c.work or c.events for c in self.cells)

    @property
    def events(self) -> list[Event]:
        return [e for c in self.cells for e in c.events]


@dataclass
class Week:
    monday: date
    days: list[Day]
    hours: float
    max_hours: int | None
    clashes: list[Clash]
    parts: list[tuple[str, str]]
    commitments: list[Commitment] = field(default_factory=list)  # placements running this week
    breakdown: list[tuple[str, float]] = field(default_factory=list)
    #: The reasons recorded for enrolling despite a conflict (over the maximum), per activity in this week.
    reasons: list[tuple[str, str]] = field(default_factory=list)
    #: Appointments that fall during a class this week, and those outside the participant's availability.
    event_clashes: list[tuple[Event, Block]] = field(default_factory=list)
    events_outside: list[Event] = field(default_factory=list)

    @property
    def hours_text(self) -> str:
        """ "20 uur les + 24 uur proefplaatsing = 44 uur" (or "20 uur")."""
        return breakdown_text(self.breakdown, self.hours)

    @property
    def unplaced(self) -> list[Commitment]:
        """Commitments whose dagdelen are not known (shown next to the grid, counted in the hours)."""
        return [c for c in self.commitments if not c.dagdelen]

    @property
    def at_work(self) -> list[tuple[Block, Commitment]]:
        """Classes on a dagdeel where a placement is worked."""
        return [(b, w) for b in self.blocks for w in self.commitments if set(b.dagdelen) & w.dagdelen]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def over_hours(self) -> bool:
        """Class and work together above the maximum (a week of work only is never over it)."""
        return self.max_hours is not None and self.hours > self.max_hours and holds_to_maximum(self.breakdown)

    @property
    def blocks(self) -> list[Block]:
        return [b for d in self.days for c in d.cells for b in c.blocks]

    @property
    def outside(self) -> list[Block]:
        return [i.block for d in self.days for c in d.cells for i in c.items if i.outside]


def week_view(
    blocks: Sequence[Block], monday: date, *, availability: Sequence[str] | None, max_hours: int | None,
    commitments: Sequence[Commitment] = (), events: Sequence[Event] = (),
) -> Week:
    """The participant's week: days × dagdelen with the blocks that take place and the placements worked there
    (``commitments``), the appointments (``events``), the clashes in it, and the hours of classes and work
    together.

    Monday to friday are always shown; saturday and sunday only when something is planned then. The evening
    row when something is planned in an evening, or when the participant is available in an evening (someone
    available only in the evening must see that row)."""
    monday = monday_of(monday)
    in_week = sorted(
        (b for b in blocks if b.on(monday + timedelta(days=b.weekday))), key=lambda b: (b.weekday, b.start)
    )
    working = [c for c in commitments if c.in_week(monday)]
    planned = sorted((e for e in events if monday <= e.day <= monday + timedelta(days=6)),
                     key=lambda e: (e.day, e.start, e.id))
    event_clashes = [(e, b) for e in planned for b in in_week
                     if b.weekday == e.weekday and times_overlap(b.start, b.end, e.start, e.end)]
    clashes = []
    for i, a in enumerate(in_week):
        for b in in_week[i + 1:]:
            day = monday + timedelta(days=a.weekday)
            if a.weekday == b.weekday and times_overlap(a.start, a.end, b.start, b.end):
                clashes.append(Clash(a, b, day))
    clashing = {id(b) for c in clashes for b in (c.proposed, c.other)}
    worked = {code for c in working for code in c.dagdelen}
    show_evening = (
        any(b.part == "a" for b in in_week)
        or any(e.part == "a" for e in planned)
        or any(code.endswith("_a") for code in (availability or ()))
        or any(code.endswith("_a") for code in worked)
    )
    parts = [(p, label) for p, label in PARTS if p != "a" or show_evening]
    allowed = set(availability) if availability is not None else None
    events_outside = [e for e in planned if allowed is not None and any(c not in allowed for c in e.dagdelen)]
    days = []
    for weekday, (code, label) in enumerate(DAYS):
        todays = [b for b in in_week if b.weekday == weekday]
        todays_events = [e for e in planned if e.weekday == weekday]
        if weekday >= 5 and not todays and not todays_events and not any(c.startswith(code + "_") for c in worked):
            continue
        cells = [
            Cell(
                code=f"{code}_{p}", part=p, label=part_label,
                available=None if allowed is None else f"{code}_{p}" in allowed,
                items=[
                    CellItem(b, id(b) in clashing, allowed is not None and any(c not in allowed for c in b.dagdelen))
                    for b in todays if b.part == p
                ],
                work=[c for c in working if f"{code}_{p}" in c.dagdelen],
                events=[e for e in todays_events if e.part == p],
            )
            for p, part_label in parts
        ]
        days.append(Day(monday + timedelta(days=weekday), weekday, label, cells))
    return Week(
        monday=monday, days=days, hours=week_hours(in_week, monday, working), max_hours=max_hours, clashes=clashes,
        parts=parts, commitments=working, breakdown=week_breakdown(in_week, monday, working),
        event_clashes=event_clashes, events_outside=events_outside,
    )
