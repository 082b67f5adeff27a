"""Logging in to Mijn Koers with DigiD: from the BSN that DigiD vouches for to the participant's portal account.

The rule (docs/architecture.md "Logging in to Mijn Koers"): DigiD proves who someone is, not that they may use
Mijn Koers. That decision stays with the regisseur, who invites a participant (the letter creates the account)
and can block it. So a DigiD login opens Mijn Koers only for a participant in Koers with that BSN **and** a portal
account that is not blocked; it never creates an account, a participant or a user. Everybody else is refused with
a page that tells them to ask their contact person; the refusal is in the audit trail (without the BSN).
An invited participant who has not chosen a password yet may log in with DigiD: the letter was the regisseur's
decision, DigiD is the stronger proof of identity, so the account counts as activated from then on.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from koers.core import audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.participants.models import Participant
from koers.portal.models import PortalAccount


class DigiDRefusal(ValidationError):
    """Why a DigiD login does not open Mijn Koers; ``code`` is a key of ``portal.forms.passkeys.DIGID_MESSAGES``."""


def account_for_bsn(*, bsn: str, request=None) -> PortalAccount:
    """The portal account that a DigiD login with ``bsn`` opens, or a DigiDRefusal (nothing is created)."""
    bsn = (bsn or "").strip()
    participant = (Participant.objects.filter(bsn=bsn).only("pk").first()
                   if re.fullmatch(r"\d{9}", bsn) else None)
    account = (PortalAccount.objects.select_related("user", "participant").filter(participant=participant).first()
               if participant is not None else None)
    if account is None:
        _refused("geen account Mijn Koers", participant, request)
        raise DigiDRefusal("no account", code="no_account")
    user = account.user
    if not user.is_active or not user.is_participant or user.is_staff or user.is_superuser:
        _refused("account geblokkeerd", participant, request)
        raise DigiDRefusal("blocked", code="blocked")
    return account


def _refused(reason: str, participant, request) -> None:
    audit.record_event(None, AuditAction.DENIED, f"Inloggen met DigiD op Mijn Koers geweigerd: {reason}",
                       participant_id=getattr(participant, "pk", None), category=Category.IDENTITY, request=request)

