"""What placements add to a participant's week (the dual week): registered with activities in ``apps.py``
(``koers.activities.week``), so the week view, the week card and the 32-hour check of an enrolment count the
hours worked next to the classes.

A placement contributes the hours per week of each of its terms, from the term's start to the next term (or the
placement's end, or the end of the contract), on the dagdelen of its opening when it came from one. Placements
are work data: without the work category in the grant, nothing is shown or counted.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from koers.activities.rules.schedule import OPEN_END, Commitment
from koers.core.codes import Category, PlacementKind
from koers.work.models import Placement

#: The short label of a placement kind in the week's sum ("24 uur proefplaatsing").
KIND_WORDS = {code: label.split(" (")[0].lower() for code, label in PlacementKind.choices}


def placement_commitments(participant, grant, first: date, last: date) -> list[Commitment]:
    """The hours per week of the participant's placements between ``first`` and ``last``."""
    if grant is None or not grant.can_see(Category.WORK):
        return []
    placements = (
        Placement.objects.filter(participant=participant, start_date__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first))
        .select_related("employer", "opening").prefetch_related("terms")
    )
    found = []
    for p in placements:
        # ``ended_on`` is the first day no longer worked (``Placement.is_open``).
        end = p.ended_on - timedelta(days=1) if p.ended_on else OPEN_END
        terms = sorted(p.terms.all(), key=lambda t: (t.effective_from, t.pk))
        days = frozenset(p.opening.days or ()) if p.opening_id else frozenset()
        for i, term in enumerate(terms):
            start = max(term.effective_from, p.start_date)
            stop = end
            if i + 1 < len(terms):
                stop = min(stop, terms[i + 1].effective_from - timedelta(days=1))
            if term.contract_end:
                stop = min(stop, term.contract_end)
            if start > stop or stop < first or start > last or not term.hours_per_week:
                continue
            found.append(Commitment(
                title=f"{p.job_title} bij {p.employer.name}", kind=KIND_WORDS.get(p.kind, p.kind),
                hours=float(term.hours_per_week), first=start, last=stop, dagdelen=days,
            ))
    return found


def new_placement(data, opening) -> Commitment:
    """The week a placement being recorded would add (``data``: queries.placements.PlacementData)."""
    return Commitment(
        title=data.job_title, kind=KIND_WORDS.get(data.kind, data.kind), hours=float(data.hours_per_week or 0),
        first=data.start_date, last=data.contract_end or OPEN_END,
        dagdelen=frozenset(opening.days or ()) if opening is not None else frozenset(),
    )
