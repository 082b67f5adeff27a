"""Placements: every write (checked, audited, transactional). Reads through the access policy: queries/placements.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.core import audit
from koers.core.access import Grant, require_category
from koers.core.codes import Category, Phase
from koers.core.models import AuditAction
from koers.participants.models import Participant
from koers.participants.services import file as participant_services
from koers.work.models import (
    Match,
    Placement,
    PlacementTerm,
)
from koers.work.queries.placements import (
    BEFORE_AFTERCARE,
    PlacementData,
    TermData,
    W,
    _d,
    _placements,
    can_view,
    check_end,
    check_placement,
    check_term,
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
    aftercare_services.create_plan(placement)
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
