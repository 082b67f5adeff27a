"""Placements: reads (through the access policy) and every write (checked, audited, transactional).

A placement is work data (category ``werk``). Users who may change a participant's work data record placements (the
regie organisation's regisseur always may); everyone else gets 404, as for a participant they cannot see.

- ``create_placement`` — from a ``Match`` or directly (an employer, optionally one of its openings), with the first
  terms, the aftercare plan from the default schedule (``services/aftercare.create_plan``) and, for a paid job, the
  phase moved to *nazorg* (``participants.services.file.set_phase``). A match becomes *geplaatst*.
- ``add_term`` — an extension or change (more hours, a new contract) is a new ``PlacementTerm``; the current terms
  are the newest. ``end_placement`` records the end date and reason.
- ``correct_placement`` — what was entered wrongly (dates, title, the current hours) is corrected in place, under the
  optimistic lock; ``withdraw_placement`` keeps a placement recorded by mistake with its reason but counts it nowhere
  (``Placement.objects.counting()``).

Bad input is refused with a Dutch message per field (``ValidationError``); nothing is saved then.

The writes are in the services package (same module name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from koers.core import access
from koers.core.access import Grant, require_category
from koers.core.codes import Category, ContractType, Phase, PlacementKind, Role
from koers.core.models import User
from koers.participants.models import Membership, Participant
from koers.work.models import (
    MAX_HOURS,
    AftercarePlan,
    CheckIn,
    Employer,
    EndReason,
    Match,
    MatchStatus,
    Opening,
    Placement,
    PlacementTerm,
)
from koers.work.queries import aftercare as aftercare_queries

W = Category.WORK


#: Roles that can be a participant's jobcoach (guide participant and employer during placement and aftercare).
JOBCOACH_ROLES = (Role.JOBCOACH, Role.BEGELEIDER, Role.BRUGGENBOUWER, Role.REGISSEUR, Role.ACCOUNTMANAGER)


#: Phases from which starting a paid placement moves the participant to "plaatsing met nazorg".
BEFORE_AFTERCARE = (Phase.AANMELDING, Phase.INTAKE, Phase.TRAJECT)


#: Placement kinds that are paid work whatever the contract says.
PAID_KINDS = frozenset({PlacementKind.BETAALD_WERK})


MSG_HOURS_NEGATIVE = "Het aantal uren kan niet negatief zijn. Vul 0 in bij een nulurencontract."


MSG_HOURS_TOO_MANY = f"Meer dan {MAX_HOURS} uur per week kan niet. Controleer het aantal uren."


def is_paid(kind: str, contract_type: str) -> bool:
    """A paid job (moves the phase to *nazorg*): paid work, or any placement with a paid contract except a trial
    placement (which keeps the benefit)."""
    return kind in PAID_KINDS or (contract_type != ContractType.GEEN and kind != PlacementKind.PROEFPLAATSING)


def can_view(grant: Grant) -> bool:
    return grant.can_see(W)


def can_change(grant: Grant) -> bool:
    return grant.can_change(W)


def participant_for(user, pk, *, write: bool = False) -> tuple[Participant, Grant]:
    """The participant and grant, or 404 when the user may not see (or, with ``write``, change) work data."""
    participant, grant = access.get_participant_or_404(user, pk)
    require_category(grant, W, write=write)
    return participant, grant


def _placements(participant: Participant):
    terms = PlacementTerm.objects.order_by("effective_from", "id")
    return (
        Placement.objects.filter(participant=participant)
        .select_related("employer", "opening", "jobcoach", "aftercare")
        .prefetch_related(Prefetch("terms", queryset=terms),
                          Prefetch("aftercare__check_ins", queryset=CheckIn.objects.order_by("planned_on", "id")))
        .order_by("-start_date", "-id")
    )


def placements_of(participant: Participant, grant: Grant) -> list[Placement]:
    """The participant's placements, newest first, with terms, aftercare and check-ins loaded (4 queries)."""
    if not can_view(grant):
        return []
    return list(_placements(participant))


def current_term(placement: Placement) -> PlacementTerm | None:
    """The terms in force: the newest term (by effective date, then id). Uses prefetched terms when loaded."""
    terms = list(placement.terms.all())
    return max(terms, key=lambda t: (t.effective_from, t.id)) if terms else None


def term_history(placement: Placement) -> list[dict]:
    """The terms in order, each with what changed against the one before (for "did the job last?")."""
    rows = []
    previous = None
    for term in sorted(placement.terms.all(), key=lambda t: (t.effective_from, t.id)):
        changes = []
        if previous is not None:
            if term.contract_type != previous.contract_type:
                changes.append(f"{previous.get_contract_type_display()} → {term.get_contract_type_display()}")
            if term.hours_per_week != previous.hours_per_week:
                direction = "meer" if term.hours_per_week > previous.hours_per_week else "minder"
                changes.append(f"{format_hours(previous.hours_per_week)} → {format_hours(term.hours_per_week)} uur "
                               f"({direction})")
            if term.contract_end != previous.contract_end:
                changes.append("einddatum " + (_d(term.contract_end) if term.contract_end else "vervallen"))
        rows.append({"term": term, "changes": changes, "first": previous is None,
                     "hours_dropped": previous is not None and term.hours_per_week < previous.hours_per_week})
        previous = term
    return rows


def format_hours(value) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value).replace(".", ",")


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def duration_days(placement: Placement, today: date | None = None) -> int:
    end = placement.ended_on or today or timezone.localdate()
    return max(0, (end - placement.start_date).days)


def start_label(placement: Placement, today: date | None = None) -> str:
    """How long the placement runs, or when it begins: "(12 dagen)", "begint over 5 dagen", "begint op 1-9-2026"
    (never "(0 dagen)" for a job that has not started)."""
    today = today or timezone.localdate()
    if placement.start_date > today:
        left = (placement.start_date - today).days
        if left == 1:
            return "begint morgen"
        if left <= 30:
            return f"begint over {left} dagen"
        return f"begint op {_d(placement.start_date)}"
    if placement.start_date == today and placement.ended_on is None:
        return "begint vandaag"
    days = duration_days(placement, today)
    return "1 dag" if days == 1 else f"{days} dagen"


def status_label(placement: Placement, today: date | None = None) -> str:
    """The badge of an open placement: "loopt", or when it has not started yet, when it begins."""
    today = today or timezone.localdate()
    return start_label(placement, today) if placement.start_date > today else "loopt"


def open_placements(participant: Participant, on: date | None = None) -> list[Placement]:
    """Placements that count and have not ended on ``on`` (including those starting later)."""
    on = on or timezone.localdate()
    return list(
        Placement.objects.counting().filter(participant=participant)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("employer").order_by("start_date", "id")
    )


def work_staff(participant: Participant) -> list[User]:
    """Active staff who may see this participant's work data and can coach: the regie organisation's and those of
    partners whose active membership covers work (two queries)."""
    return list(
        access.staff_who_may_see(participant, W, JOBCOACH_ROLES)
        .select_related("organisation").order_by("organisation__name", "first_name", "last_name")
    )


def proposed_jobcoach(participant: Participant, staff: list[User]) -> User | None:
    """The participant's own counsellor: the counsellor of a partner whose membership covers work (the one who
    knows the participant best, werkzame factoren: "dezelfde begeleider als voor de plaatsing"), else the
    regisseur — as long as they are among ``staff``."""
    allowed = {u.pk: u for u in staff}
    for m in (Membership.objects.active().filter(participant=participant, counsellor__isnull=False)
              .order_by("-valid_from", "-id")):
        if W in access.membership_scope(m) and m.counsellor_id in allowed:
            return allowed[m.counsellor_id]
    return allowed.get(participant.regisseur_id)


def employers():
    """Employers to choose from (not personal data): the active ones."""
    return Employer.objects.filter(is_active=True).order_by("name")


def openings_of(employer_id):
    return Opening.objects.filter(employer_id=employer_id)


def get_match_or_404(user, match_id):
    """A match of a participant the user may see and whose work data they may change, or 404."""
    try:
        match = Match.objects.select_related("opening", "opening__employer", "participant").get(pk=int(match_id))
    except (ValueError, TypeError, Match.DoesNotExist) as exc:
        raise Http404("Match niet gevonden") from exc
    participant, grant = participant_for(user, match.participant_id, write=True)
    return match, participant, grant


def panel(participant: Participant, grant: Grant, *, today: date | None = None) -> dict:
    """Context for ``work/placements/_panel.html`` on the participant page (empty without work data). The caller
    audits the page view (work is among its categories when this shows anything)."""
    if not can_view(grant):
        return {}
    today = today or timezone.localdate()
    items = []
    for placement in placements_of(participant, grant):
        term = current_term(placement)
        plan = getattr(placement, "aftercare", None)
        items.append({
            "placement": placement, "term": term, "open": placement.is_open(today),
            "runs": status_label(placement, today),
            "aftercare": aftercare_queries.status(plan, today) if plan else None,
        })
    return {"items": items, "can_change": can_change(grant), "p": participant,
            "closure": participant.closures.first() if grant.can_see(Category.TRAJECTORY) else None,
            "can_close": grant.is_regisseur and participant.phase != Phase.AFGESLOTEN}


@dataclass
class TermData:
    effective_from: date | None
    contract_type: str
    hours_per_week: Decimal | None
    contract_end: date | None = None
    note: str = ""


@dataclass
class PlacementData:
    employer_id: int | None
    kind: str
    job_title: str
    start_date: date | None
    contract_type: str
    hours_per_week: Decimal | None
    contract_end: date | None = None
    probation_end: date | None = None
    opening_id: int | None = None
    match_id: int | None = None
    schemes: list[str] = field(default_factory=list)
    jobcoach_id: int | None = None
    buddy_name: str = ""
    note: str = ""
    #: Why the placement goes ahead although class and work together exceed the municipality's weekly maximum.
    over_hours_reason: str = ""


def check_term(data: TermData, *, start: date | None, kind: str) -> dict[str, str]:
    """Problems with the terms, per field (Dutch). ``start`` is the placement's start date."""
    errors: dict[str, str] = {}
    if data.contract_type not in ContractType.values:
        errors["contract_type"] = "Kies de contractsoort."
    hours = data.hours_per_week
    if hours is None:
        errors["hours_per_week"] = "Vul het aantal uren per week in (0 bij een nulurencontract)."
    elif hours < 0:
        errors["hours_per_week"] = MSG_HOURS_NEGATIVE
    elif hours > MAX_HOURS:
        errors["hours_per_week"] = MSG_HOURS_TOO_MANY
    begin = data.effective_from or start
    if data.contract_end is not None and begin is not None and data.contract_end < begin:
        errors["contract_end"] = (
            f"De einddatum ({_d(data.contract_end)}) ligt vóór de start ({_d(begin)}). Controleer beide datums."
        )
    elif data.contract_type == ContractType.VAST and data.contract_end is not None:
        errors["contract_end"] = (
            "Een vast contract heeft geen einddatum. Kies ‘tijdelijk contract’ of maak het veld leeg."
        )
    elif data.contract_type == ContractType.TIJDELIJK and data.contract_end is None:
        errors["contract_end"] = (
            "Vul de einddatum van het tijdelijke contract in: dan komt er vier weken vooraf een signaal om "
            "verlenging te bespreken."
        )
    if kind == PlacementKind.PROEFPLAATSING and data.contract_type not in (ContractType.GEEN, ""):
        errors.setdefault("contract_type", "Een proefplaatsing met behoud van uitkering heeft geen contract: kies "
                                           "‘geen contract (onbetaald)’.")
    return errors


def check_placement(participant: Participant, data: PlacementData, *, staff_ids: set[int] | None = None
                    ) -> dict[str, str]:
    errors: dict[str, str] = {}
    employer = Employer.objects.filter(pk=data.employer_id).first() if data.employer_id else None
    if employer is None:
        errors["employer"] = "Kies de werkgever."
    if data.opening_id and employer is not None and not openings_of(employer.pk).filter(pk=data.opening_id).exists():
        errors["opening"] = f"Deze vacature hoort niet bij {employer}. Kies een vacature van deze werkgever."
    if data.kind not in PlacementKind.values:
        errors["kind"] = "Kies de soort plaatsing."
    if not (data.job_title or "").strip():
        errors["job_title"] = "Vul de functie in, bijvoorbeeld ‘productiemedewerker’."
    if data.start_date is None:
        errors["start_date"] = "Vul de startdatum in."
    if data.probation_end is not None and data.start_date is not None and data.probation_end < data.start_date:
        errors["probation_end"] = (
            f"Het einde van de proeftijd ({_d(data.probation_end)}) ligt vóór de start ({_d(data.start_date)})."
        )
    term = TermData(data.start_date, data.contract_type, data.hours_per_week, data.contract_end, data.note)
    errors.update(check_term(term, start=data.start_date, kind=data.kind))
    if data.jobcoach_id and staff_ids is not None and data.jobcoach_id not in staff_ids:
        errors["jobcoach"] = "Deze medewerker kan de werkgegevens van de deelnemer niet inzien. Kies een ander."
    if data.match_id:
        match = Match.objects.filter(pk=data.match_id).select_related("opening").first()
        if match is None or match.participant_id != participant.pk:
            errors["match"] = "Deze match hoort niet bij deze deelnemer."
        elif match.status != MatchStatus.VOORGESTELD:
            errors["match"] = f"Deze match is al {match.get_status_display().lower()}; er kan geen plaatsing meer uit."
    return errors


@dataclass
class CorrectionData:
    """A correction of what was entered wrongly: the placement's dates and title, and the current terms' hours and
    end date (a correction, not a change: no new terms row)."""

    job_title: str
    start_date: date | None
    probation_end: date | None
    hours_per_week: Decimal | None
    contract_end: date | None = None


CORRECTION_LABELS = {"job_title": "functie", "start_date": "startdatum", "probation_end": "einde proeftijd",
                     "hours_per_week": "uren per week", "contract_end": "einddatum contract of afspraak"}


def correction_values(placement: Placement) -> dict:
    """What a correction edits, as it is now (the version the form carries covers these)."""
    term = current_term(placement)
    return {"job_title": placement.job_title, "start_date": placement.start_date,
            "probation_end": placement.probation_end,
            "hours_per_week": format_hours(term.hours_per_week) if term else None,
            "contract_end": term.contract_end if term else None}


def check_correction(placement: Placement, data: CorrectionData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.job_title or "").strip():
        errors["job_title"] = "Vul de functie in, bijvoorbeeld ‘productiemedewerker’."
    if data.start_date is None:
        errors["start_date"] = "Vul de startdatum in."
        return errors
    terms = sorted(placement.terms.all(), key=lambda t: (t.effective_from, t.id))
    later = [t for t in terms[1:] if t.effective_from < data.start_date]
    if later:
        errors["start_date"] = (
            f"Er zijn afspraken vastgelegd vanaf {_d(later[0].effective_from)}; de startdatum kan niet later liggen."
        )
    if placement.ended_on is not None and placement.ended_on < data.start_date:
        errors["start_date"] = f"De plaatsing is beëindigd op {_d(placement.ended_on)}; de start kan niet later liggen."
    plan = getattr(placement, "aftercare", None)
    held = sorted(c.done_on for c in plan.check_ins.all() if c.done_on) if plan else []
    if held and held[0] < data.start_date:
        errors["start_date"] = (
            f"Er is al een nazorggesprek vastgelegd op {_d(held[0])}; de startdatum kan niet later liggen."
        )
    if data.probation_end is not None and data.probation_end < data.start_date:
        errors["probation_end"] = (
            f"Het einde van de proeftijd ({_d(data.probation_end)}) ligt vóór de start ({_d(data.start_date)})."
        )
    term = terms[-1] if terms else None
    if term is not None:
        begin = data.start_date if term is terms[0] else term.effective_from
        check = check_term(TermData(begin, term.contract_type, data.hours_per_week, data.contract_end),
                           start=data.start_date, kind=placement.kind)
        errors.update({k: v for k, v in check.items() if k in ("hours_per_week", "contract_end")})
    return errors


MSG_WITHDRAW_REASON = (
    "Schrijf op waarom de plaatsing wordt ingetrokken, bijvoorbeeld ‘verkeerde deelnemer gekozen’ of ‘werkgever "
    "zag af van de plaatsing vóór de start’."
)


def check_end(placement: Placement, ended_on: date | None, reason: str, *, today: date) -> dict[str, str]:
    errors = {}
    if ended_on is None:
        errors["ended_on"] = "Vul de einddatum in."
    elif ended_on < placement.start_date:
        errors["ended_on"] = f"De einddatum ligt vóór de start van de plaatsing ({_d(placement.start_date)})."
    if reason not in EndReason.values:
        errors["end_reason"] = "Kies de reden waarom de plaatsing eindigt."
    return errors


def open_aftercare(participant: Participant) -> list[AftercarePlan]:
    return list(AftercarePlan.objects.filter(placement__participant=participant, ended_on__isnull=True,
                                             placement__withdrawn_at__isnull=True)
                .select_related("placement", "placement__employer").order_by("started_on", "id"))
