"""Reads of portal accounts: the panel on the participant's file, and the account behind a logged-in user."""

from __future__ import annotations

from django.utils import timezone

from koers.core.access import Grant
from koers.portal.models import Invitation, PortalAccount


def account_of(user) -> PortalAccount | None:
    """The portal account of a logged-in participant, with their participant (None for staff)."""
    if not getattr(user, "is_authenticated", False) or not user.is_participant:
        return None
    return PortalAccount.objects.select_related("participant", "user").filter(user=user).first()


def may_invite(grant: Grant) -> bool:
    """Only the regisseur of the organisation holding the regie hands out letters (one trusted counsellor)."""
    return grant.can_manage_access


def status(participant) -> dict:
    account = PortalAccount.objects.select_related("user").filter(participant=participant).first()
    invitation = (Invitation.objects.filter(account=account).order_by("-created_at", "-id").first()
                  if account else None)
    now = timezone.now()
    return {
        "account": account,
        "invitation": invitation,
        "open_invitation": invitation if invitation and invitation.is_open(now) else None,
        "blocked": bool(account and not account.user.is_active),
    }


def panel(user, participant, grant: Grant) -> dict:
    if not may_invite(grant):
        return {"show": False}
    return {"show": True, **status(participant)}
