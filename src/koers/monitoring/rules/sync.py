"""Native trajectories: the values ``refresh`` copies into a native trajectory from the records. Pure: it works on
the records ``queries.sync.load_records`` loaded (placements with their terms prefetched), without queries.

- from the file: gender, birth year (from the date of birth; NULL when unknown), country of origin, education
  level, migration status, leerroute and speaking level ("onbekend" stays "onbekend");
- from the latest ``work.Closure`` when it was closed on or after the trajectory's start: ended on, outcome and
  dropout reason. Without such a closure the trajectory runs (no end, no outcome);
- ``first_placement_on``: the earliest placement start on or after the trajectory's start (and not after its end);
- job data, only for a trajectory ended with outcome *betaald werk*: the placement behind the outcome is the
  closure's ``employer_placement`` when it is a paid placement, else the latest paid placement that started by the
  closing date. A placement is *paid* when its kind is *betaald werk* or its current terms have a paid contract
  type (anything but "geen"). From it: ``job_title``; from its current terms (the newest ``PlacementTerm``):
  ``contract_type`` and ``hours_per_week`` (0 = zero-hours); ``contract_months`` = the months from the placement's
  start to the terms' ``contract_end`` (days inclusive / 30.4375, rounded, at least 1) — NULL for a permanent
  contract (*vast*, no end by definition) and NULL when the end is not recorded (unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from koers.core.codes import ContractType, Outcome, PlacementKind

if TYPE_CHECKING:
    from koers.monitoring.models import Trajectory

#: Fields ``refresh`` owns on a native trajectory (everything else is set by enrolling or a follow-up).
SYNCED_FIELDS = (
    "gender", "birth_year", "country_of_origin", "education_level", "migration_status", "learning_route",
    "level_spreken", "ended_on", "outcome", "dropout_reason", "first_placement_on", "job_title", "contract_type",
    "hours_per_week", "contract_months",
)
DAYS_PER_MONTH = 30.4375


@dataclass
class Records:
    """What ``refresh`` reads of one participant (loaded once, shared by all their trajectories)."""

    participant: object
    closure: object | None
    placements: list


def current_term(placement):
    terms = list(placement.terms.all())
    return max(terms, key=lambda t: (t.effective_from, t.id)) if terms else None


def is_paid(placement, term=None) -> bool:
    """Paid work: kind *betaald werk*, or terms with a paid contract type."""
    if placement.kind == PlacementKind.BETAALD_WERK:
        return True
    term = term if term is not None else current_term(placement)
    return term is not None and term.contract_type not in ("", ContractType.GEEN)


def contract_months(start: date, term) -> int | None:
    """Months from the placement's start to the terms' contract end; None for a permanent contract or unknown."""
    if term is None or term.contract_type == ContractType.VAST or term.contract_end is None:
        return None
    days = (term.contract_end - start).days + 1
    return max(1, round(days / DAYS_PER_MONTH))


def job_placement(records: Records):
    """The paid placement behind a paid-work outcome (see the module docstring), or None."""
    closure = records.closure
    paid = [p for p in records.placements if is_paid(p)]
    if closure is not None and closure.employer_placement_id:
        chosen = next((p for p in paid if p.pk == closure.employer_placement_id), None)
        if chosen is not None:
            return chosen
    until = closure.closed_on if closure is not None else date.max
    started = [p for p in paid if p.start_date <= until]
    return max(started, key=lambda p: (p.start_date, p.pk)) if started else None


def derived_values(trajectory: Trajectory, records: Records) -> dict:
    """The values ``refresh`` writes into one native trajectory."""
    p = records.participant
    values = {
        "gender": p.gender,
        "birth_year": p.date_of_birth.year if p.date_of_birth else None,
        "country_of_origin": p.country_of_origin or "",
        "education_level": p.education_level,
        "migration_status": p.migration_status,
        "learning_route": p.learning_route,
        "level_spreken": p.level_spreken,
        "ended_on": None, "outcome": "", "dropout_reason": "", "first_placement_on": None,
        "job_title": "", "contract_type": "", "hours_per_week": None, "contract_months": None,
    }
    start = trajectory.started_on or date.min
    closure = records.closure
    if closure is not None and closure.closed_on >= start:
        values.update(ended_on=closure.closed_on, outcome=closure.outcome, dropout_reason=closure.dropout_reason)
    end = values["ended_on"] or date.max
    firsts = [pl.start_date for pl in records.placements if start <= pl.start_date <= end]
    values["first_placement_on"] = min(firsts) if firsts else None
    if values["outcome"] == Outcome.BETAALD_WERK:
        placement = job_placement(records)
        if placement is not None:
            term = current_term(placement)
            values.update(
                job_title=placement.job_title[:200],
                contract_type=term.contract_type if term else "",
                hours_per_week=term.hours_per_week if term else None,
                contract_months=contract_months(placement.start_date, term),
            )
    return values
