"""Acknowledging a caseload signal (the one write of the alert engine). The engine itself: queries/alerts.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koers.casework.models import SignalAcknowledgement
from koers.core import access, audit
from koers.core.codes import (
    Category,
)
from koers.core.models import AuditAction, MunicipalityPolicy

if TYPE_CHECKING:
    pass
from koers.casework.queries.alerts import compute, visible


@transaction.atomic
def acknowledge(user, participant_id, code: str, subject: str, note: str, *, today: date | None = None,
                request=None) -> SignalAcknowledgement:
    """Record that ``user`` saw a signal and what they did. 404 when the user may not see the participant or
    the signal's category; a ValidationError (Dutch) when the note is missing or the signal is no longer there."""
    participant, grant = access.get_participant_or_404(user, participant_id)
    access.require_category(grant, Category.TRAJECTORY)
    today = today or timezone.localdate()
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Schrijf kort op wat u heeft gedaan of afgesproken."})
    current = {
        (s.code, s.subject): s
        for s in visible(compute([participant], today=today, include_acknowledged=True)[participant.pk], grant)
    }
    signal = current.get((code, subject or ""))
    if signal is None:
        raise ValidationError("Dit signaal is er niet meer (de oorzaak is al weggenomen). Er is niets opgeslagen.")
    policy = MunicipalityPolicy.for_participant(participant)
    ack = SignalAcknowledgement.objects.create(
        participant=participant, code=signal.code, subject=signal.subject, note=note[:300], acknowledged_by=user,
        snooze_until=today + timedelta(days=max(1, policy.signal_snooze_days)),
    )
    audit.record(user, participant, signal.category, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail=f"Signaal afgehandeld: {signal.label}"[:500], request=request)
    return ack
