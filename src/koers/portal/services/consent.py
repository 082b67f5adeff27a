"""A participant withdraws a consent in Mijn Koers: the partner's access ends at once, the regisseur is told."""

from __future__ import annotations

from django.db import transaction

from koers.casework.services import actions as action_services
from koers.core.access import OWN_BASIS
from koers.participants.models import Membership
from koers.participants.services import file as file_services
from koers.portal.models import PortalAccount

REASON = "Toestemming ingetrokken door de deelnemer in Mijn Koers"


@transaction.atomic
def withdraw(*, account: PortalAccount, membership_id: int) -> Membership:
    """End the participant's own consent ``membership_id`` now (404 for anything else: another participant's
    membership, one on a legal task, an ended one) and put an action item on the regisseur's list."""
    participant = account.participant
    membership = file_services.close_membership(
        account.user, participant, membership_id, reason=REASON, withdrawn=True, legal_basis=OWN_BASIS,
        consent_only=True,
    )
    action_services.notify_regie(
        participant, created_by=account.user,
        title=f"Toestemming ingetrokken: {membership.organisation.name}",
        description=(f"{participant.name} heeft in Mijn Koers de toestemming voor {membership.organisation.name} "
                     "ingetrokken. Die organisatie ziet het dossier niet meer. Bespreek met de deelnemer wat dit "
                     "betekent voor het traject."),
    )
    return membership
