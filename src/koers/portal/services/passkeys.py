"""Passkeys for Mijn Koers (WebAuthn, py_webauthn): adding one after logging in, logging in with one, removing one.

A ceremony has two steps. The first (``*_options``) makes a fresh random challenge; the view keeps it in the
session and hands the options to the browser. The second (``register``/``authenticate``) takes the challenge
back out of the session (single use: the view pops it before calling) and checks the browser's answer against
it, the relying party id and the origin. A replayed answer, an answer to another session's challenge, a
credential of another account or of a blocked account: a ``PasskeyError`` and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidJSONStructure, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from koers.core import audit
from koers.core.access import OWN_BASIS
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.portal.models import Passkey, PortalAccount

#: At most this many passkeys per account (a phone, a spare phone, a tablet...).
MAX_PASSKEYS = 5
RP_NAME = "Mijn Koers"


class PasskeyError(ValidationError):
    """Why a passkey did not work; ``code`` is a key of ``portal.forms.passkeys.PASSKEY_MESSAGES``."""


@dataclass(frozen=True)
class Relying:
    """Who the browser must have talked to: the relying party id (a host name) and the allowed origins."""

    rp_id: str
    origins: tuple[str, ...]


@dataclass(frozen=True)
class Ceremony:
    options_json: str
    challenge: str  # base64url: keep it in the session


def _user_handle(account: PortalAccount) -> bytes:
    return f"mijn-koers-{account.pk}".encode()


def registration_options(*, account: PortalAccount, relying: Relying) -> Ceremony:
    options = generate_registration_options(
        rp_id=relying.rp_id, rp_name=RP_NAME, user_id=_user_handle(account),
        user_name=account.user.username, user_display_name=account.participant.preferred_name or account.user.username,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=_decode(p.credential_id))
                             for p in account.passkeys.all()],
    )
    return Ceremony(options_to_json(options), bytes_to_base64url(options.challenge))


def authentication_options(*, relying: Relying) -> Ceremony:
    """Options for a login without a username: the phone offers the passkeys it has for this site."""
    options = generate_authentication_options(rp_id=relying.rp_id,
                                              user_verification=UserVerificationRequirement.REQUIRED)
    return Ceremony(options_to_json(options), bytes_to_base64url(options.challenge))


def _decode(value: str) -> bytes:
    from webauthn import base64url_to_bytes

    return base64url_to_bytes(value)


@transaction.atomic
def register(*, account: PortalAccount, credential: str, challenge: str | None, relying: Relying, name: str,
             request=None) -> Passkey:
    if not challenge:
        raise PasskeyError("no challenge", code="expired")
    if account.passkeys.count() >= MAX_PASSKEYS:
        raise PasskeyError("too many", code="too_many")
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=_decode(challenge), expected_rp_id=relying.rp_id,
            expected_origin=list(relying.origins), require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, TypeError, KeyError) as error:
        raise PasskeyError("invalid", code="invalid") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyError("exists", code="exists")
    passkey = Passkey.objects.create(account=account, credential_id=credential_id,
                                     public_key=verified.credential_public_key, sign_count=verified.sign_count,
                                     name=name.strip()[:60] or "Passkey")
    audit.record(account.user, account.participant, Category.IDENTITY, AuditAction.UPDATE, legal_basis=OWN_BASIS,
                 detail="Mijn Koers: passkey toegevoegd", request=request)
    return passkey


def authenticate(*, credential: str, challenge: str | None, relying: Relying, request=None) -> PortalAccount:
    """The account whose passkey signed ``challenge``; a PasskeyError (recorded as refused) otherwise."""
    with transaction.atomic():
        account, passkey_id, problem = _verify(credential, challenge, relying)
    if problem:
        audit.record_event(None, AuditAction.DENIED, "Inloggen met passkey op Mijn Koers geweigerd",
                           participant_id=account.participant_id if account else None, category=Category.IDENTITY,
                           request=request)
        raise PasskeyError(problem, code=problem)
    return account


def _verify(credential: str, challenge: str | None, relying: Relying):
    import json

    if not challenge:
        return None, None, "expired"
    try:
        credential_id = str(json.loads(credential)["id"])[:1400]
    except (ValueError, TypeError, KeyError):
        return None, None, "invalid"
    passkey = (Passkey.objects.select_for_update().select_related("account__user", "account__participant")
               .filter(credential_id=credential_id).first())
    if passkey is None:
        return None, None, "unknown"
    account = passkey.account
    if not account.user.is_active or not account.user.is_participant:
        return account, passkey.pk, "blocked"
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=_decode(challenge), expected_rp_id=relying.rp_id,
            expected_origin=list(relying.origins), credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count, require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError, TypeError, KeyError):
        return account, passkey.pk, "invalid"
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return account, passkey.pk, ""


@transaction.atomic
def remove(*, account: PortalAccount, passkey: Passkey, request=None) -> None:
    if passkey.account_id != account.pk:  # pragma: no cover - the view looks it up within the account
        raise PasskeyError("not yours", code="unknown")
    passkey.delete()
    audit.record(account.user, account.participant, Category.IDENTITY, AuditAction.UPDATE, legal_basis=OWN_BASIS,
                 detail="Mijn Koers: passkey verwijderd", request=request)
