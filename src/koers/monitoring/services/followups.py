"""Follow-up measurements (vervolgmetingen): scheduling and recording them (the writes). The worklist and reads:
queries/followups.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from koers.core import audit, locking
from koers.core.codes import YesNoUnknown
from koers.core.models import AuditAction
from koers.monitoring.models import FollowUp, FollowUpStatus, Trajectory
from koers.monitoring.queries.followups import (
    FOLLOW_UP_LABELS,
    TRAJECTORY_FIELD,
    Answer,
    T,
    W,
    _d,
    answer_label,
    check,
    follow_up_months,
    follow_up_values,
    get_follow_up_or_404,
    prefill_for,
    responsible_organisation_id,
)
from koers.plans.rules.leerroute import add_months
from koers.work.models import Placement, PlacementTerm


@transaction.atomic
def schedule_for_closure(closure, *, trajectories=None) -> list[FollowUp]:
    """Create (or move, while open) the follow-ups of the native trajectories ``closure`` ended."""
    if trajectories is None:
        trajectories = Trajectory.objects.filter(participant_id=closure.participant_id, ended_on=closure.closed_on)
    trajectories = [t for t in trajectories if t.ended_on == closure.closed_on]
    if not trajectories:
        return []
    months = follow_up_months()
    existing = {
        (f.trajectory_id, f.months): f
        for f in FollowUp.objects.filter(trajectory__in=trajectories, months__in=months)
    }
    result, moved = [], []
    org_cache: dict[int, int] = {}
    for t in trajectories:
        if t.pk not in org_cache:
            org_cache[t.pk] = responsible_organisation_id(t, closure)
        org_id = org_cache[t.pk]
        for m in months:
            due = add_months(closure.closed_on, m)
            fu = existing.get((t.pk, m))
            if fu is None:
                fu = FollowUp.objects.create(trajectory=t, months=m, due_on=due, organisation_id=org_id)
            elif fu.status == FollowUpStatus.OPEN and (fu.due_on, fu.organisation_id) != (due, org_id):
                fu.due_on, fu.organisation_id = due, org_id
                moved.append(fu)
            result.append(fu)
    if moved:
        FollowUp.objects.bulk_update(moved, ["due_on", "organisation"])
    refresh_prefill(closure.participant_id)
    return result


def refresh_prefill(participant_id) -> int:
    """Recompute the proposal of the participant's open follow-ups. Returns how many changed."""
    open_ones = list(FollowUp.objects.filter(trajectory__participant_id=participant_id, status=FollowUpStatus.OPEN))
    if not open_ones:
        return 0
    placements = list(
        Placement.objects.counting().filter(participant_id=participant_id).select_related("employer")
        .prefetch_related(Prefetch("terms", queryset=PlacementTerm.objects.order_by("effective_from", "id")))
    )
    changed = []
    for fu in open_ones:
        value, reason = prefill_for(placements, fu.due_on)
        if (fu.prefill, fu.prefill_reason) != (value, reason):
            fu.prefill, fu.prefill_reason = value, reason
            changed.append(fu)
    if changed:
        FollowUp.objects.bulk_update(changed, ["prefill", "prefill_reason"])
    return len(changed)


def record_follow_up(user, follow_up: FollowUp, *, in_paid_work: str, status: str, note: str = "",
                     done_on: date | None, request=None, today: date | None = None,
                     correct: bool = False, version: str | None = None) -> FollowUp:
    """Record the answer of an open follow-up and copy it to the trajectory (6 → work_6m, 12 → work_12m).

    ``correct=True`` replaces the answer of a recorded follow-up instead (same rules and people; the audit trail
    keeps the previous answer). 404 when the user may not record it (see the module docstring);
    ``ValidationError`` per field otherwise."""
    today = today or timezone.localdate()
    with transaction.atomic():
        fu, participant, grant = get_follow_up_or_404(user, getattr(follow_up, "pk", follow_up))
        fu = FollowUp.objects.select_for_update().select_related("trajectory__project").get(pk=fu.pk)
        # Recorded or corrected by a colleague after this form was opened: refuse, show what (core.locking).
        locking.check(version, follow_up_values(fu), labels=FOLLOW_UP_LABELS,
                      who=fu.done_by.get_full_name() if fu.done_by_id else "")
        answer = Answer(status=status, in_paid_work=in_paid_work, done_on=done_on, note=(note or "").strip())
        errors = check(fu, answer, today=today, correct=correct)
        if errors:
            raise ValidationError({k: [v] for k, v in errors.items()})
        before = f"{answer_label(fu.status, fu.in_paid_work)} op {_d(fu.done_on)}" if correct else ""
        value = answer.in_paid_work if answer.status == FollowUpStatus.GEDAAN else YesNoUnknown.ONBEKEND
        fu.status, fu.in_paid_work, fu.done_on, fu.note, fu.done_by = (
            answer.status, value, answer.done_on, answer.note, user)
        fu.save(update_fields=["status", "in_paid_work", "done_on", "note", "done_by"])
        field_name = TRAJECTORY_FIELD.get(fu.months)
        if field_name:
            Trajectory.objects.filter(pk=fu.trajectory_id).update(**{field_name: value, "updated_at": timezone.now()})
        detail = (f"Vervolgmeting {fu.months} maanden ({fu.trajectory.project.name}): "
                  f"{answer_label(answer.status, value)}")
        if correct:
            detail += f" (gecorrigeerd; was {before})"
        audit.record(user, participant, {T, W}, AuditAction.UPDATE if correct else AuditAction.CREATE,
                     legal_basis=grant.legal_basis, request=request, detail=detail)
    return fu
