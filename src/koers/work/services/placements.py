"""Placements: every write (checked, audited, transactional). Reads through the access policy: queries/placements.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import breakdown_text
from koers.core import audit, locking
from koers.core.access import Grant, require_category
from koers.core.codes import Category, Phase
from koers.core.models import AuditAction
from koers.participants.models import Participant
from koers.participants.services import file as participant_services
from koers.work.models import (
    CheckIn,
    Match,
    MatchStatus,
    Opening,
    OpeningStatus,
    Placement,
    PlacementTerm,
)
from koers.work.queries import week as week_queries
from koers.work.queries.placements import (
    BEFORE_AFTERCARE,
    CORRECTION_LABELS,
    MSG_WITHDRAW_REASON,
    CorrectionData,
    PlacementData,
    TermData,
    W,
    _d,
    _placements,
    can_view,
    check_correction,
    check_end,
    check_placement,
    check_term,
    correction_values,
    current_term,
    is_paid,
    work_staff,
)
from koers.work.services import aftercare as aftercare_services
from koers.work.services import matching as matching_services


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


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})


def _mark_match_placed(match_id: int | None) -> None:
    if match_id:
        matching_services.mark_placed(Match.objects.select_related("opening").get(pk=match_id))


@transaction.atomic
def create_placement(user, participant: Participant, grant: Grant, data: PlacementData, *, request=None
                     ) -> Placement:
    """Record a placement with its first terms and aftercare plan; a paid job moves the phase to *nazorg*."""
    require_category(grant, W, write=True)
    if participant.phase == Phase.AFGESLOTEN:
        raise ValidationError("Het traject van deze deelnemer is afgesloten; er kan geen plaatsing meer bij.")
    staff = work_staff(participant)
    _raise(check_placement(participant, data, staff_ids={u.pk for u in staff}))
    opening_id = data.opening_id
    if data.match_id and not opening_id:
        opening_id = Match.objects.filter(pk=data.match_id).values_list("opening_id", flat=True).first()
    # The dual week: class and work together within the municipality's maximum, or an explicit reason. The
    # maximum is about learning and working at once; a job without classes (the goal) is never held to it.
    opening = Opening.objects.filter(pk=opening_id).first() if opening_id else None
    week = schedule_queries.hours_check(participant, grant, extra=[week_queries.new_placement(data, opening)]) \
        if data.start_date and data.hours_per_week else None
    if week is not None and not any(label == "les" for label, _hours in week.breakdown):
        week = None
    reason = (data.over_hours_reason or "").strip()
    if week is not None and week.over_hours and not reason:
        raise ValidationError({"over_hours_reason": (
            f"Met deze plaatsing wordt de drukste week {breakdown_text(week.breakdown, week.hours, week.max_hours)}"
            ". Spreek minder uren af, of geef hier een reden om toch te plaatsen.")})
    placement = Placement.objects.create(
        participant=participant, employer_id=data.employer_id, opening_id=opening_id, match_id=data.match_id,
        kind=data.kind, job_title=data.job_title.strip()[:200], start_date=data.start_date,
        probation_end=data.probation_end, schemes=Placement.schemes_value(data.schemes),
        jobcoach_id=data.jobcoach_id, buddy_name=(data.buddy_name or "").strip()[:200],
        organisation_id=user.organisation_id, created_by=user,
    )
    over = week is not None and week.over_hours
    note = (data.note or "").strip()
    if over:
        note = f"{note}\nBoven het maximum per week ({week.hours:g} uur): {reason}".strip()
    PlacementTerm.objects.create(
        placement=placement, effective_from=data.start_date, contract_type=data.contract_type,
        hours_per_week=data.hours_per_week, contract_end=data.contract_end, note=note[:500],
        recorded_by=user,
    )
    aftercare_services.create_plan(placement)
    _mark_match_placed(data.match_id)
    moved = False
    if is_paid(data.kind, data.contract_type) and participant.phase in BEFORE_AFTERCARE:
        moved = participant_services.set_phase(user, participant, Phase.NAZORG)
    categories = {W, Category.TRAJECTORY} if moved else {W}
    audit.record(user, participant, categories, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing vastgelegd: {placement.job_title} bij {placement.employer}"
                        + (" (fase naar nazorg)" if moved else "")
                        + (" (boven het maximum per week; de reden staat bij de afspraken)" if over else ""))
    return placement


@transaction.atomic
def add_term(user, participant: Participant, grant: Grant, placement_id, data: TermData, *, request=None
             ) -> PlacementTerm:
    """An extension or change of the terms: a new record, so the history shows how the job went."""
    require_category(grant, W, write=True)
    placement = get_placement_or_404(participant, grant, placement_id, lock=True)
    errors = {}
    if placement.is_withdrawn:
        errors["effective_from"] = "Deze plaatsing is ingetrokken; er kunnen geen afspraken meer bij."
    elif placement.ended_on is not None:
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
    if placement.is_withdrawn:
        raise ValidationError("Deze plaatsing is ingetrokken.")
    if placement.ended_on is not None:
        raise ValidationError(f"Deze plaatsing is al beëindigd op {_d(placement.ended_on)}.")
    _raise(check_end(placement, ended_on, reason, today=today))
    _end(user, placement, ended_on, reason, note)
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing {placement.employer} beëindigd: {placement.get_end_reason_display()}")
    return placement


def correction_version(placement: Placement) -> str:
    return locking.make_version(correction_values(placement))


@transaction.atomic
def correct_placement(user, participant: Participant, grant: Grant, placement_id, data: CorrectionData, *,
                      version: str | None = None, request=None) -> Placement:
    """Correct what was entered wrongly (start date, probation, title, the current terms' hours and end date).

    Unlike an extension (``add_term``) this changes the record itself: the first terms start with the placement,
    planned check-ins move with the start date. ``version`` (``correction_version`` as the form was loaded) makes a
    colleague's correction in the meantime a refusal (``locking.StaleEdit``) instead of an unseen overwrite."""
    require_category(grant, W, write=True)
    get_placement_or_404(participant, grant, placement_id, lock=True)  # the row lock, checked through the policy
    placement = get_placement_or_404(participant, grant, placement_id)  # with terms and check-ins loaded
    if placement.is_withdrawn:
        raise ValidationError("Deze plaatsing is ingetrokken; corrigeren kan niet meer.")
    locking.check(version, correction_values(placement), labels=CORRECTION_LABELS)
    _raise(check_correction(placement, data))
    before = correction_values(placement)
    shift = data.start_date - placement.start_date
    terms = sorted(placement.terms.all(), key=lambda t: (t.effective_from, t.id))
    placement.job_title = data.job_title.strip()[:200]
    placement.start_date = data.start_date
    placement.probation_end = data.probation_end
    placement.save(update_fields=["job_title", "start_date", "probation_end"])
    if terms:
        first, term = terms[0], terms[-1]
        if first.effective_from != data.start_date:
            PlacementTerm.objects.filter(pk=first.pk).update(effective_from=data.start_date)
            if term.pk == first.pk:
                term.effective_from = data.start_date
        term.hours_per_week = data.hours_per_week
        term.contract_end = data.contract_end
        term.save(update_fields=["effective_from", "hours_per_week", "contract_end"])
    plan = getattr(placement, "aftercare", None)
    if plan is not None and shift:
        plan.started_on = data.start_date
        plan.save(update_fields=["started_on"])
        for check_in in plan.check_ins.all():
            if check_in.done_on is None:
                CheckIn.objects.filter(pk=check_in.pk).update(planned_on=check_in.planned_on + shift)
    placement.refresh_from_db()
    after = correction_values(placement)
    changed = [f"{CORRECTION_LABELS[k]} {locking.display(before[k])} → {locking.display(after[k])}"
               for k in before if before[k] != after[k]]
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing {placement.employer} gecorrigeerd: " + ("; ".join(changed) or "niets gewijzigd"))
    return placement


def _reopen_match(placement: Placement) -> None:
    """The proposal a withdrawn placement came from is open again; its opening too, when it was filled by it."""
    if placement.match_id:
        match = Match.objects.select_for_update().filter(pk=placement.match_id).first()
        if match is not None and match.status == MatchStatus.GEPLAATST and not Match.objects.filter(
            opening_id=match.opening_id, participant_id=match.participant_id, status=MatchStatus.VOORGESTELD
        ).exists():
            match.status = MatchStatus.VOORGESTELD
            match.decided_at = None
            match.save(update_fields=["status", "decided_at"])
    if placement.opening_id:
        opening = Opening.objects.select_for_update().get(pk=placement.opening_id)
        running = Placement.objects.counting().filter(opening=opening, ended_on__isnull=True).count()
        if opening.status == OpeningStatus.VERVULD and running < opening.places:
            opening.status = OpeningStatus.OPEN
            opening.save(update_fields=["status"])


@transaction.atomic
def withdraw_placement(user, participant: Participant, grant: Grant, placement_id, *, reason: str,
                       request=None) -> Placement:
    """Withdraw a placement recorded by mistake or that never started: kept with its reason (the history stays),
    but no longer counted as a placement (phase, signals, closure, monitoring). A proposal it came from is open
    again; a phase moved to *nazorg* by it moves back to *traject* when no other paid job runs."""
    require_category(grant, W, write=True)
    placement = get_placement_or_404(participant, grant, placement_id, lock=True)
    if placement.is_withdrawn:
        raise ValidationError("Deze plaatsing is al ingetrokken.")
    if not (reason or "").strip():
        raise ValidationError({"reason": [MSG_WITHDRAW_REASON]})
    placement.withdrawn_at = timezone.now()
    placement.withdrawn_reason = reason.strip()[:500]
    placement.withdrawn_by = user
    placement.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    _reopen_match(placement)
    moved = False
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if participant.phase == Phase.NAZORG:
        today = timezone.localdate()
        still_paid = any(
            is_paid(p.kind, (current_term(p).contract_type if current_term(p) else ""))
            for p in Placement.objects.counting().filter(participant=participant).prefetch_related("terms")
            if p.is_open(today)
        )
        if not still_paid:
            moved = participant_services.set_phase(user, participant, Phase.TRAJECT)
    audit.record(user, participant, {W, Category.TRAJECTORY} if moved else {W}, AuditAction.UPDATE,
                 legal_basis=grant.legal_basis, request=request,
                 detail=f"Plaatsing {placement.job_title} bij {placement.employer} ingetrokken: "
                        f"{placement.withdrawn_reason}" + (" (fase terug naar traject)" if moved else ""))
    return placement
