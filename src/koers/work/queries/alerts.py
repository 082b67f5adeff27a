"""Caseload alert providers of placements and aftercare (*signalen*; registered with the alert engine,
``casework.queries.alerts``, in ``WorkConfig.ready``).

Codes (category ``werk``; closed trajectories get only the aftercare ones: aftercare goes on after the closure):

``contract_loopt_af``      the current terms' contract (or agreed) end date is within ``ENDING_DAYS`` (28) days —
                           on day 28 before it the signal shows, on day 29 not yet — or has passed while the
                           placement was not ended or extended: discuss extension with employer and participant.
``proeftijd_loopt_af``     the probation ends within 28 days.
``proefplaatsing_te_lang`` a trial placement (proefplaatsing) runs past its agreed end date, or — without one —
                           longer than ``TRIAL_MAX_MONTHS`` (2) months.
``uren_gedaald``           the current terms have fewer hours per week than the terms before.
``nazorg_te_laat``         an aftercare check-in was planned before today and is not recorded (urgent after 14 days).
``nazorg_afronden``        every check-in of an open aftercare plan is done: close it with an eindgesprek.

Two queries per batch, whatever its size: open placements with all their terms, and open check-ins of open plans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from koers.casework.queries import alerts, caseload
from koers.casework.queries.alerts import ATTENTION, INFO, URGENT, Batch, Signal
from koers.core.codes import Category, PlacementKind
from koers.plans.rules.leerroute import add_months
from koers.work.models import AftercarePlan, CheckIn, PlacementTerm
from koers.work.queries.placements import format_hours

ENDING_DAYS = 28
TRIAL_MAX_MONTHS = 2
CHECK_IN_URGENT_DAYS = 14

CODES = {
    "contract_loopt_af": "Contract loopt af",
    "proeftijd_loopt_af": "Proeftijd loopt af",
    "proefplaatsing_te_lang": "Proefplaatsing langer dan afgesproken",
    "uren_gedaald": "Uren gedaald",
    "nazorg_te_laat": "Nazorggesprek te laat",
    "nazorg_afronden": "Nazorg afronden met eindgesprek",
}

W = Category.WORK


def _d(day) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


def placement_terms(batch: Batch) -> Iterable[Signal]:
    """Contract and probation ending, trial placements running too long, hours dropping: one query."""
    today = batch.today
    rows = (
        PlacementTerm.objects.filter(placement__participant_id__in=batch.active_ids,
                                     placement__withdrawn_at__isnull=True)
        .filter(Q(placement__ended_on__isnull=True) | Q(placement__ended_on__gt=today))
        .values_list("placement_id", "placement__participant_id", "placement__kind", "placement__job_title",
                     "placement__start_date", "placement__probation_end", "placement__employer__name",
                     "effective_from", "id", "contract_type", "hours_per_week", "contract_end")
        .order_by("placement_id", "effective_from", "id")
    )
    per: dict[int, list] = defaultdict(list)
    for row in rows:
        per[row[0]].append(row)
    for placement_id, terms in per.items():
        _pid, pid, kind, title, start, probation_end, employer = terms[-1][:7]
        current, previous = terms[-1], terms[-2] if len(terms) > 1 else None
        end = current[11]
        subject = f"plaatsing:{placement_id}"
        where = f"{title} bij {employer}"
        trial = kind == PlacementKind.PROEFPLAATSING
        if end is not None:
            left = (end - today).days
            if 0 <= left <= ENDING_DAYS:
                what = "De proefplaatsing" if trial else "Het contract"
                yield Signal(
                    pid, "contract_loopt_af",
                    f"{'Proefplaatsing' if trial else 'Contract'} loopt af "
                    + ("vandaag" if left == 0 else f"over {_days(left)}"),
                    end - timedelta(days=ENDING_DAYS), URGENT if left <= 7 else ATTENTION,
                    f"{what} ({where}) loopt af op {_d(end)}.",
                    "Bespreek verlenging met werkgever en deelnemer; leg de nieuwe afspraken of het einde vast.",
                    subject=subject, category=W,
                )
            elif left < 0 and not trial:
                yield Signal(
                    pid, "contract_loopt_af", f"Contract verlopen op {_d(end)}", end + timedelta(days=1), URGENT,
                    f"Het contract ({where}) liep af op {_d(end)}, maar er is geen verlenging of einde vastgelegd.",
                    "Vraag werkgever en deelnemer hoe het verder is gegaan; leg de verlenging of het einde vast.",
                    subject=subject, category=W,
                )
        if probation_end is not None:
            left = (probation_end - today).days
            if 0 <= left <= ENDING_DAYS:
                yield Signal(
                    pid, "proeftijd_loopt_af",
                    "Proeftijd eindigt " + ("vandaag" if left == 0 else f"over {_days(left)}"),
                    probation_end - timedelta(days=ENDING_DAYS), ATTENTION,
                    f"De proeftijd ({where}) eindigt op {_d(probation_end)}.",
                    "Bespreek met werkgever en deelnemer hoe het gaat en wat er na de proeftijd komt.",
                    subject=subject, category=W,
                )
        if trial:
            limit = end if end is not None else add_months(start, TRIAL_MAX_MONTHS)
            if today > limit:
                agreed = (f"tot en met {_d(end)} afgesproken" if end
                          else f"zonder einddatum (maximaal {TRIAL_MAX_MONTHS} maanden)")
                yield Signal(
                    pid, "proefplaatsing_te_lang", "Proefplaatsing langer dan afgesproken", limit + timedelta(days=1),
                    URGENT,
                    f"De proefplaatsing ({where}) loopt sinds {_d(start)}, {agreed}; vandaag "
                    f"{_days((today - limit).days)} langer.",
                    "Spreek met de werkgever af of er een contract volgt, of beëindig de proefplaatsing.",
                    subject=subject, category=W,
                )
        if previous is not None and current[10] < previous[10]:
            yield Signal(
                pid, "uren_gedaald", f"Uren gedaald naar {format_hours(current[10])} per week", current[7], ATTENTION,
                f"Bij {where} werkt de deelnemer vanaf {_d(current[7])} {format_hours(current[10])} uur per week, "
                f"eerder {format_hours(previous[10])}.",
                "Vraag deelnemer en werkgever naar de reden; let op gevolgen voor inkomen en toeslagen.",
                subject=subject, category=W,
            )


def aftercare(batch: Batch) -> Iterable[Signal]:
    """Overdue check-ins and plans with nothing left but the eindgesprek: one query. Aftercare goes on after the
    trajectory is closed, so these signals are computed for closed participants too (they stay on the caseload
    while a check-in is overdue: ``closed_with_overdue_check_in``)."""
    today = batch.today
    rows = (
        AftercarePlan.objects.filter(placement__participant_id__in=list(batch.by_id), ended_on__isnull=True,
                                     placement__withdrawn_at__isnull=True)
        .annotate(
            pending=Count("check_ins", filter=Q(check_ins__done_on__isnull=True)),
            overdue=Count("check_ins", filter=Q(check_ins__done_on__isnull=True, check_ins__planned_on__lt=today)),
            first_overdue=Min("check_ins__planned_on", filter=Q(check_ins__done_on__isnull=True,
                                                                 check_ins__planned_on__lt=today)),
            last_done=Max("check_ins__done_on"),
        )
        .values_list("id", "placement__participant_id", "placement__job_title", "placement__employer__name",
                     "pending", "overdue", "first_overdue", "last_done", "started_on")
        .order_by()
    )
    for plan_id, pid, title, employer, pending, overdue, first_overdue, last_done, started in rows:
        subject = f"nazorg:{plan_id}"
        if overdue:
            late = (today - first_overdue).days
            yield Signal(
                pid, "nazorg_te_laat",
                "Nazorggesprek te laat" + (f" ({overdue}×)" if overdue > 1 else ""),
                first_overdue + timedelta(days=1), URGENT if late > CHECK_IN_URGENT_DAYS else ATTENTION,
                f"Het nazorggesprek bij {title} bij {employer} was gepland op {_d(first_overdue)}, "
                f"{_days(late)} geleden, en is niet vastgelegd.",
                "Neem contact op met deelnemer en werkgever (poolshoogte nemen) en leg het gesprek vast.",
                subject=subject, category=W,
            )
        elif pending == 0:
            yield Signal(
                pid, "nazorg_afronden", "Nazorg afronden met eindgesprek", last_done or started, INFO,
                f"Alle geplande nazorggesprekken bij {title} bij {employer} zijn gehouden; de nazorg is nog niet "
                "afgesloten.",
                "Plan het eindgesprek, of plan nog een gesprek als dat nodig is: nazorg stopt niet vanzelf.",
                subject=subject, category=W,
            )


def closed_with_overdue_check_in(today=None) -> Q:
    """Participants of a closed trajectory whose aftercare still has an overdue check-in (kept on the caseload)."""
    today = today or timezone.localdate()
    overdue = CheckIn.objects.filter(done_on__isnull=True, planned_on__lt=today, plan__ended_on__isnull=True,
                                     plan__placement__withdrawn_at__isnull=True)
    return Q(pk__in=overdue.values("plan__placement__participant_id"))


def register() -> None:
    if closed_with_overdue_check_in not in caseload.CLOSED_KEPT:
        caseload.CLOSED_KEPT.append(closed_with_overdue_check_in)
    alerts.register(placement_terms, codes={k: CODES[k] for k in (
        "contract_loopt_af", "proeftijd_loopt_af", "proefplaatsing_te_lang", "uren_gedaald")})
    alerts.register(aftercare, codes={k: CODES[k] for k in ("nazorg_te_laat", "nazorg_afronden")})
