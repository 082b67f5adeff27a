"""Placements: reads (through the access policy) and every write (checked, audited, transactional).

A placement is work data (category ``werk``). Users who may change a participant's work data record placements
(the regie organisation's regisseur always may); everyone else gets 404, as for a participant they cannot see.

- ``create_placement`` — from a ``Match`` or directly (an employer, optionally one of its openings), with the first
  terms, the aftercare plan from the default schedule (``aftercare.create_plan``) and, for a paid job, the phase
  moved to *nazorg* (``participants.services.set_phase``). A match becomes *geplaatst*.
- ``add_term`` — an extension or change (more hours, a new contract) is a new ``PlacementTerm``; the current terms
  are the newest. ``end_placement`` records the end date and reason.

Bad input is refused with a Dutch message per field (``ValidationError``); nothing is saved then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from koers.core import access, audit
from koers.core.access import Grant, require_category
from koers.core.codes import Category, ContractType, Phase, PlacementKind, Role
from koers.core.models import AuditAction, User
from koers.participants.models import Membership, Participant
from koers.work import aftercare
from koers.work import employers as employer_services
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


# --- Reads -----------------------------------------------------------------------------------------------------


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


def get_placement_or_404(participant: Participant, grant: Grant, placement_id, *, lock: bool = False) -> Placement:
    if not can_view(grant):
        raise Http404("Plaatsing niet gevonden")
    qs = _placements(participant)
    if lock:
        qs = (
            Placement.objects.select_for_update(of=("self",)).select_related("employer").filter(participant=participant)
        )
    try:
        return qs.get(pk=int(placement_id))
    except (ValueError, TypeError, Placement.DoesNotExist) as exc:
        raise Http404("Plaatsing niet gevonden") from exc


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
                changes.append(f"{_hours(previous.hours_per_week)} → {_hours(term.hours_per_week)} uur ({direction})")
            if term.contract_end != previous.contract_end:
                changes.append("einddatum " + (_d(term.contract_end) if term.contract_end else "vervallen"))
        rows.append({"term": term, "changes": changes, "first": previous is None,
                     "hours_dropped": previous is not None and term.hours_per_week < previous.hours_per_week})
        previous = term
    return rows


def _hours(value) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value).replace(".", ",")


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def duration_days(placement: Placement, today: date | None = None) -> int:
    end = placement.ended_on or today or timezone.localdate()
    return max(0, (end - placement.start_date).days)


def open_placements(participant: Participant, on: date | None = None) -> list[Placement]:
    on = on or timezone.localdate()
    return list(
        Placement.objects.filter(participant=participant).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
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
            "aftercare": aftercare.status(plan, today) if plan else None,
        })
    return {"items": items, "can_change": can_change(grant), "p": participant,
            "closure": participant.closures.first() if grant.can_see(Category.TRAJECTORY) else None,
            "can_close": grant.is_regisseur and participant.phase != Phase.AFGESLOTEN}


# --- Writes ----------------------------------------------------------------------------------------------------


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


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})


def _mark_match_placed(match_id: int | None) -> None:
    if match_id:
        employer_services.mark_placed(Match.objects.select_related("opening").get(pk=match_id))


@transaction.atomic
def create_placement(user, participant: Participant, grant: Grant, data: PlacementData, *, request=None
                     ) -> Placement:
    """Record a placement with its first terms and aftercare plan; a paid job moves the phase to *nazorg*."""
    from koers.participants.services import file as participant_services

    require_category(grant, W, write=True)
    if participant.phase == Phase.AFGESLOTEN:
        raise ValidationError("Het traject van deze deelnemer is afgesloten; er kan geen plaatsing meer bij.")
    staff = work_staff(participant)
    _raise(check_placement(participant, data, staff_ids={u.pk for u in staff}))
    opening_id = data.opening_id
    if data.match_id and not opening_id:
        opening_id = Match.objects.filter(pk=data.match_id).values_list("opening_id", flat=True).first()
    placement = Placement.objects.create(
        participant=participant, employer_id=data.employer_id, opening_id=opening_id, match_id=data.match_id,
        kind=data.kind, job_title=data.job_title.strip()[:200], start_date=data.start_date,
        probation_end=data.probation_end, schemes=Placement.schemes_value(data.schemes),
        jobcoach_id=data.jobcoach_id, buddy_name=(data.buddy_name or "").strip()[:200],
        organisation_id=user.organisation_id, created_by=user,
    )
    PlacementTerm.objects.create(
        placement=placement, effective_from=data.start_date, contract_type=data.contract_type,
        hours_per_week=data.hours_per_week, contract_end=data.contract_end, note=(data.note or "").strip()[:500],
        recorded_by=user,
    )
    aftercare.create_plan(placement)
    _mark_match_placed(data.match_id)
    moved = False
    if is_paid(data.kind, data.contract_type) and participant.phase in BEFORE_AFTERCARE:
        moved = participant_services.set_phase(user, participant, Phase.NAZORG)
    categories = {W, Category.TRAJECTORY} if moved else {W}
    audit.record(user, participant, categories, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing vastgelegd: {placement.job_title} bij {placement.employer}"
                        + (" (fase naar nazorg)" if moved else ""))
    return placement


@transaction.atomic
def add_term(user, participant: Participant, grant: Grant, placement_id, data: TermData, *, request=None
             ) -> PlacementTerm:
    """An extension or change of the terms: a new record, so the history shows how the job went."""
    require_category(grant, W, write=True)
    placement = get_placement_or_404(participant, grant, placement_id, lock=True)
    errors = {}
    if placement.ended_on is not None:
        errors["effective_from"] = (
            f"Deze plaatsing is beëindigd op {_d(placement.ended_on)}. Leg een nieuwe plaatsing vast."
        )
    elif data.effective_from is None:
        errors["effective_from"] = "Vul de ingangsdatum in."
    elif data.effective_from < placement.start_date:
        errors["effective_from"] = f"De ingangsdatum ligt vóór de start van de plaatsing ({_d(placement.start_date)})."
    errors.update({k: v for k, v in check_term(data, start=placement.start_date, kind=placement.kind).items()
                   if k not in errors})
    _raise(errors)
    term = PlacementTerm.objects.create(
        placement=placement, effective_from=data.effective_from, contract_type=data.contract_type,
        hours_per_week=data.hours_per_week, contract_end=data.contract_end, note=(data.note or "").strip()[:500],
        recorded_by=user,
    )
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing {placement.employer}: {term}")
    return term


def check_end(placement: Placement, ended_on: date | None, reason: str, *, today: date) -> dict[str, str]:
    errors = {}
    if ended_on is None:
        errors["ended_on"] = "Vul de einddatum in."
    elif ended_on < placement.start_date:
        errors["ended_on"] = f"De einddatum ligt vóór de start van de plaatsing ({_d(placement.start_date)})."
    if reason not in EndReason.values:
        errors["end_reason"] = "Kies de reden waarom de plaatsing eindigt."
    return errors


def _end(user, placement: Placement, ended_on: date, reason: str, note: str) -> None:
    placement.ended_on = ended_on
    placement.end_reason = reason
    placement.end_note = (note or "").strip()[:500]
    placement.ended_by = user
    placement.save(update_fields=["ended_on", "end_reason", "end_note", "ended_by"])


@transaction.atomic
def end_placement(user, participant: Participant, grant: Grant, placement_id, *, ended_on: date | None,
                  reason: str, note: str = "", today: date | None = None, request=None) -> Placement:
    require_category(grant, W, write=True)
    today = today or timezone.localdate()
    placement = get_placement_or_404(participant, grant, placement_id, lock=True)
    if placement.ended_on is not None:
        raise ValidationError(f"Deze plaatsing is al beëindigd op {_d(placement.ended_on)}.")
    _raise(check_end(placement, ended_on, reason, today=today))
    _end(user, placement, ended_on, reason, note)
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing {placement.employer} beëindigd: {placement.get_end_reason_display()}")
    return placement


def open_aftercare(participant: Participant) -> list[AftercarePlan]:
    return list(AftercarePlan.objects.filter(placement__participant=participant, ended_on__isnull=True)
                .select_related("placement", "placement__employer").order_by("started_on", "id"))

