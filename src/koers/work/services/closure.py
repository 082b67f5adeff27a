"""Closing a trajectory: the writes (confirming the outcome, the eindrapportage). The proposal from the records and the
reads: queries/closure.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koers.activities.services import activities as activity_services
from koers.core import audit
from koers.core.access import Grant
from koers.core.codes import (
    Category,
    Outcome,
    Phase,
)
from koers.core.models import AuditAction
from koers.participants.models import Participant
from koers.participants.services import file as participant_services
from koers.work.models import Closure, EndReason
from koers.work.queries import placements as placement_queries
from koers.work.queries.closure import END, HEALTH_REASONS, ClosureData, check, propose, require_regisseur
from koers.work.services import placements as placement_services


@transaction.atomic
def close_trajectory(user, participant: Participant, grant: Grant, data: ClosureData, *, today: date | None = None,
                     request=None) -> Closure:
    require_regisseur(grant)
    today = today or timezone.localdate()
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("regie_organisation").get(pk=participant.pk)
    )
    errors = check(participant, data, today=today)
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    running = placement_queries.open_placements(participant, on=data.closed_on)
    kept, ended = [], set()
    for p in running:
        d = data.decisions[p.pk]
        if d.action == END:
            placement_services._end(user, p, d.ended_on, d.reason or EndReason.TRAJECT_AFGESLOTEN, d.note)
            ended.add(p.pk)
        else:
            kept.append(p)
    proposal = propose(participant, on=data.closed_on)
    closure = Closure.objects.create(
        participant=participant, closed_on=data.closed_on, outcome=data.outcome,
        proposed_outcome=proposal.outcome, proposal_reason=proposal.reason[:500],
        dropout_reason=data.dropout_reason if data.outcome == Outcome.VOORTIJDIGE_UITVAL else "",
        dropout_note=(data.dropout_note or "").strip()[:500] if data.outcome == Outcome.VOORTIJDIGE_UITVAL else "",
        unknown_note=(data.unknown_note or "").strip(), summary=(data.summary or "").strip(),
        employer_advice=(data.employer_advice or "").strip(),
        employer_placement_id=data.employer_placement_id if data.employer_consent else None,
        employer_consent=data.employer_consent,
        employer_consent_on=data.employer_consent_on if data.employer_consent else None,
        kept_reason=(data.kept_reason or "").strip()[:500] if kept else "",
        closed_by=user, organisation_id=user.organisation_id,
    )
    if kept:
        closure.placements_kept.set(kept)

    participant_services.set_phase(user, participant, Phase.AFGESLOTEN)
    # After the proposal was stored: ending the enrolments must not turn it into "voortijdige uitval".
    enrolments = activity_services.end_with_trajectory(user, participant, grant, on=data.closed_on, request=request)
    if enrolments:
        closure.enrolments_ended.set(enrolments)
    categories = {Category.TRAJECTORY, Category.WORK}
    if closure.dropout_reason in HEALTH_REASONS:
        categories.add(Category.SPECIAL)
    audit.record(user, participant, categories, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Traject afgesloten: {closure.get_outcome_display()}"
                        + (f" (voorstel: {closure.get_proposed_outcome_display()})"
                           if closure.outcome != closure.proposed_outcome else "")
                        + (f"; {len(ended)} plaatsing(en) beëindigd" if ended else "")
                        + (f"; {len(enrolments)} inschrijving(en) beëindigd: "
                           + ", ".join(f"‘{e.activity.title}’" for e in enrolments) if enrolments else "")
                        + (f"; {len(kept)} loopt/lopen door: {closure.kept_reason}" if kept else ""))
    return closure
