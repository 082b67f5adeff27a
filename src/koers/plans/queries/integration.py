"""Reads of the integration record. The caller checked the participant with the access policy
(``access.get_participant_or_404``) and that the grant reads trajectory data."""

from __future__ import annotations

from koers.participants.models import Participant
from koers.plans.models import ClosingInterview, Component, ComponentProgress, Exemption, IntegrationRecord, RouteSwitch


def integration_page(participant: Participant) -> dict:
    record = IntegrationRecord.objects.filter(participant=participant).first()
    components = {c.component: c for c in ComponentProgress.objects.filter(participant=participant)}
    return {
        "record": record,
        "switches": list(
            RouteSwitch.objects.filter(participant=participant).select_related("requested_by", "decided_by")
        ),
        "components": [(code, label, components.get(code)) for code, label in Component.choices],
        "exemptions": list(Exemption.objects.filter(participant=participant).select_related("recorded_by")),
        "interviews": list(ClosingInterview.objects.filter(participant=participant).select_related("held_by")),
    }
