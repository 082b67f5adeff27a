"""Inviting a participant to Mijn Koers, activating the account with the letter's code, blocking it.

Every write of the portal's accounts is here; views only call these. An invitation's code exists in plain text
only in the letter (the PDF made in the same request): the database keeps a password hash of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koers.core import audit
from koers.core.access import OWN_BASIS
from koers.core.codes import Category
from koers.core.models import AuditAction, User
from koers.participants.models import Participant
from koers.portal.models import Invitation, PortalAccount
from koers.portal.rules import codes
from koers.portal.rules.language import portal_language_for


@dataclass(frozen=True)
class NewInvitation:
    account: PortalAccount
    invitation: Invitation
    code: str  # plain text: print it, never store it


@transaction.atomic
def invite(*, participant: Participant, by: User, language: str | None = None, legal_basis: str = "",
           request=None) -> NewInvitation:
    """A new letter for ``participant``: creates the account on the first letter, voids older codes."""
    now = timezone.now()
    account = PortalAccount.objects.select_for_update().filter(participant=participant).first()
    if account is None:
        user = User(username=_free_username(participant.name), is_participant=True)
        user.set_unusable_password()
        user.save()
        account = PortalAccount.objects.create(
            participant=participant, user=user, language=language or portal_language_for(participant.languages),
        )
    else:
        if language:
            account.language = language
            account.save(update_fields=["language"])
        if not account.user.is_active:
            account.user.is_active = True
            account.user.save(update_fields=["is_active"])
    account.invitations.filter(used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
    code = codes.new_code()
    invitation = Invitation.objects.create(
        account=account, code_hash=make_password(codes.normalise(code)), created_by=by, created_at=now,
        expires_at=now + timedelta(days=settings.KOERS_PORTAL_INVITATION_DAYS),
    )
    audit.record(by, participant, Category.IDENTITY, AuditAction.GRANT, legal_basis=legal_basis,
                 detail="Uitnodigingsbrief Mijn Koers gemaakt (nieuwe activeringscode)", request=request)
    return NewInvitation(account, invitation, code)


@transaction.atomic
def block(*, account: PortalAccount, by: User, legal_basis: str = "", request=None) -> None:
    """The participant can no longer log in; open codes are void. A new letter opens the account again."""
    now = timezone.now()
    account.invitations.filter(used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
    account.user.is_active = False
    account.user.save(update_fields=["is_active"])
    audit.record(by, account.participant, Category.IDENTITY, AuditAction.REVOKE, legal_basis=legal_basis,
                 detail="Toegang tot Mijn Koers geblokkeerd", request=request)


def _free_username(name: str) -> str:
    for _ in range(20):
        candidate = codes.new_username(name)
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    raise RuntimeError("no free portal username")  # pragma: no cover - 9,000 numbers per first name


# --- Activation ---------------------------------------------------------------------------------------------

class ActivationError(ValidationError):
    """Why a code did not work; ``code`` is one of the keys of ``portal.forms.accounts.ACTIVATION_MESSAGES``."""


def check_code(*, username: str, code: str) -> Invitation:
    """The open invitation that ``code`` opens for ``username``, or an ActivationError.

    A wrong code counts against the newest open invitation of that username; after
    ``KOERS_PORTAL_CODE_ATTEMPTS`` wrong tries the code is void. An unknown username and a wrong code give the
    same answer (no account probing); expired, used and void codes are told apart only when the code is right.
    The count is committed before the error is raised (an error inside the transaction would roll it back).
    """
    with transaction.atomic():
        invitation, problem = _match(username, code)
    if problem:
        raise ActivationError(problem, code=problem)
    return invitation


def _match(username: str, code: str) -> tuple[Invitation | None, str]:
    typed = codes.normalise(code)
    account = (PortalAccount.objects.select_related("user", "participant")
               .filter(user__username__iexact=(username or "").strip()[:150]).first())
    if account is None or not typed:
        return None, "mismatch"
    invitations = list(account.invitations.select_for_update().order_by("-created_at", "-id")[:5])
    now = timezone.now()
    for invitation in invitations:
        if check_password(typed, invitation.code_hash):
            if invitation.used_at is not None:
                return None, "used"
            if invitation.voided_at is not None:
                return None, "void"
            if invitation.expires_at <= now:
                return None, "expired"
            return invitation, ""
    newest_open = next((i for i in invitations if i.is_open(now)), None)
    if newest_open is not None:
        newest_open.failed_attempts += 1
        fields = ["failed_attempts"]
        if newest_open.failed_attempts >= settings.KOERS_PORTAL_CODE_ATTEMPTS:
            newest_open.voided_at = now
            fields.append("voided_at")
        newest_open.save(update_fields=fields)
        if newest_open.voided_at is not None:
            audit.record_event(None, AuditAction.DENIED,
                               "Activeringscode Mijn Koers ongeldig na te veel foute pogingen",
                               participant_id=account.participant_id, category=Category.IDENTITY)
    return None, "mismatch"


@transaction.atomic
def activate(*, invitation: Invitation, password: str, request=None) -> PortalAccount:
    """Set the participant's password with a checked, open invitation; the code is then used up."""
    invitation = Invitation.objects.select_for_update().select_related("account__user", "account__participant").get(
        pk=invitation.pk)
    if not invitation.is_open():  # used in another tab between the check and now
        raise ActivationError("Code already used", code="used")
    account = invitation.account
    user = account.user
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    now = timezone.now()
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    if account.activated_at is None:
        account.activated_at = now
        account.save(update_fields=["activated_at"])
    audit.record(user, account.participant, Category.IDENTITY, AuditAction.UPDATE, legal_basis=OWN_BASIS,
                 detail="Mijn Koers geactiveerd: wachtwoord gekozen met de code uit de brief", request=request)
    return account


def set_language(*, account: PortalAccount, language: str) -> None:
    account.language = language
    account.save(update_fields=["language"])


def logged_in(*, account: PortalAccount) -> None:
    account.last_login_at = timezone.now()
    account.save(update_fields=["last_login_at"])


@transaction.atomic
def logged_in_with(*, account: PortalAccount, method: str, request=None) -> None:
    """Record a login with DigiD or a passkey as the participant's own access; a first DigiD login activates."""
    now = timezone.now()
    account.last_login_at = now
    fields = ["last_login_at"]
    if account.activated_at is None and method == "DigiD":
        account.activated_at = now
        fields.append("activated_at")
    account.save(update_fields=fields)
    audit.record(account.user, account.participant, Category.IDENTITY, AuditAction.VIEW, legal_basis=OWN_BASIS,
                 detail=f"Mijn Koers: ingelogd met {method}", request=request)
