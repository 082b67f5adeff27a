"""Writes for organisations, staff, roles and second factors (the functional administrator's work).

Every function is transactional: a rule that fails raises ``ValidationError`` (Dutch message, keyed by form
field where there is one) and nothing is saved. Views parse the request, call one of these, and render.

Participant access is never granted here: it follows the trajectory memberships (participants app).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import devices_for_user

from .codes import OrganisationKind, Role
from .models import Organisation, User, UserRole

logger = logging.getLogger("koers.security")

MSG_OWN_BEHEERDER_ROLE = (
    "U kunt uw eigen rol functioneel beheerder niet weghalen. Vraag een andere functioneel beheerder om dit "
    "te doen."
)
MSG_OWN_DEACTIVATION = (
    "U kunt uw eigen account niet deactiveren. Vraag een andere functioneel beheerder om dit te doen."
)
MSG_EMAIL_TAKEN = "Dit e-mailadres wordt al gebruikt door een andere medewerker. Vul een ander e-mailadres in."
MSG_USERNAME_TAKEN = "Deze gebruikersnaam bestaat al. Kies een andere gebruikersnaam."
MSG_NO_ROLES = "Kies ten minste één rol."
MSG_ORGANISATION_NAME_TAKEN = "Er is al een organisatie met deze naam. Kies een andere naam."


# --- Rules (also used by the forms, so that the message appears next to the field) --------------------------

def _check_length(model, field: str, value: str) -> None:
    """Before a case-insensitive lookup: SQLite refuses LIKE patterns over 50,000 characters (a 5xx)."""
    limit = model._meta.get_field(field).max_length
    if len(value) > limit:
        raise ValidationError({field: f"Gebruik ten hoogste {limit} tekens."})


def check_email_free(email: str, *, exclude: User | None = None) -> None:
    _check_length(User, "email", email.strip())
    qs = User.objects.filter(email__iexact=email.strip())
    if exclude is not None and exclude.pk is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise ValidationError({"email": MSG_EMAIL_TAKEN})


def check_username_free(username: str, *, exclude: User | None = None) -> None:
    _check_length(User, "username", username.strip())
    qs = User.objects.filter(username__iexact=username.strip())
    if exclude is not None and exclude.pk is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise ValidationError({"username": MSG_USERNAME_TAKEN})


def check_organisation_name_free(name: str, *, exclude: Organisation | None = None) -> None:
    _check_length(Organisation, "name", name.strip())
    qs = Organisation.objects.filter(name__iexact=name.strip())
    if exclude is not None and exclude.pk is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise ValidationError({"name": MSG_ORGANISATION_NAME_TAKEN})


def check_self_change(acting_user: User, user: User, *, roles: Iterable[str], is_active: bool) -> None:
    """A functional administrator cannot lock themselves out: keep the own beheerder role, stay active."""
    if acting_user.pk is None or acting_user.pk != user.pk:
        return
    errors: dict[str, str] = {}
    if Role.BEHEERDER in _current_roles(user) and Role.BEHEERDER not in set(roles):
        errors["roles"] = MSG_OWN_BEHEERDER_ROLE
    if not is_active:
        errors["is_active"] = MSG_OWN_DEACTIVATION
    if errors:
        raise ValidationError(errors)


def _current_roles(user: User) -> set[str]:
    if user.pk is None:
        return set()
    return set(UserRole.objects.filter(user=user).values_list("role", flat=True))


def _clean_roles(roles: Iterable[str]) -> set[str]:
    chosen = {r for r in roles if r}
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Onbekende rol: {', '.join(sorted(unknown))}."})
    if not chosen:
        raise ValidationError({"roles": MSG_NO_ROLES})
    return chosen


def _set_roles(user: User, roles: set[str]) -> None:
    current = _current_roles(user)
    UserRole.objects.filter(user=user, role__in=current - roles).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles - current)])
    user.__dict__.pop("role_codes", None)


# --- Organisations -------------------------------------------------------------------------------------------

@transaction.atomic
def create_organisation(
    *, name: str, kind: str, municipality: str = "", email: str = "", phone: str = "", is_active: bool = True,
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Kies de soort organisatie."})
    check_organisation_name_free(name)
    organisation = Organisation(
        name=name.strip(), kind=kind, municipality=municipality.strip(), email=email.strip(),
        phone=phone.strip(), is_active=is_active,
    )
    organisation.full_clean()
    organisation.save()
    logger.info("organisation created: %s (%s)", organisation.pk, organisation.kind)
    return organisation


@transaction.atomic
def update_organisation(
    organisation: Organisation, *, name: str, kind: str, municipality: str = "", email: str = "",
    phone: str = "", is_active: bool = True,
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Kies de soort organisatie."})
    check_organisation_name_free(name, exclude=organisation)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.municipality = municipality.strip()
    organisation.email = email.strip()
    organisation.phone = phone.strip()
    organisation.is_active = is_active
    organisation.full_clean()
    organisation.save()
    logger.info("organisation updated: %s", organisation.pk)
    return organisation


# --- Staff ---------------------------------------------------------------------------------------------------

@transaction.atomic
def create_user(
    *, username: str, first_name: str, last_name: str, email: str, organisation: Organisation,
    roles: Iterable[str], phone: str = "", is_active: bool = True,
) -> User:
    """A new staff member without a password: they choose one through the activation link."""
    chosen = _clean_roles(roles)
    if not email.strip():
        raise ValidationError({"email": "Vul een e-mailadres in."})
    check_username_free(username)
    check_email_free(email)
    user = User(
        username=username.strip(), first_name=first_name.strip(), last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()), phone=phone.strip(), organisation=organisation,
        is_active=is_active,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _set_roles(user, chosen)
    logger.info("user created: %s with roles %s", user.pk, sorted(chosen))
    return user


@transaction.atomic
def update_user(
    user: User, *, acting_user: User, username: str, first_name: str, last_name: str, email: str,
    organisation: Organisation, roles: Iterable[str], phone: str = "", is_active: bool = True,
) -> User:
    chosen = _clean_roles(roles)
    if not email.strip():
        raise ValidationError({"email": "Vul een e-mailadres in."})
    check_self_change(acting_user, user, roles=chosen, is_active=is_active)
    check_username_free(username, exclude=user)
    check_email_free(email, exclude=user)
    user.username = username.strip()
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = User.objects.normalize_email(email.strip())
    user.phone = phone.strip()
    user.organisation = organisation
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save()
    _set_roles(user, chosen)
    logger.info("user updated: %s by %s, roles %s, active %s", user.pk, acting_user.pk, sorted(chosen), is_active)
    return user


@transaction.atomic
def set_user_active(user: User, active: bool, *, acting_user: User) -> User:
    """Deactivate or reactivate an account. A deactivated user is logged out at their next request."""
    if not active and acting_user.pk == user.pk:
        raise ValidationError(MSG_OWN_DEACTIVATION)
    user.is_active = active
    user.save(update_fields=["is_active"])
    logger.info("user %s by %s: %s", "reactivated" if active else "deactivated", acting_user.pk, user.pk)
    return user


@transaction.atomic
def reset_two_factor(user: User) -> int:
    """Remove every second-factor device of the user; they set up a new one at their next login."""
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    logger.info("two-factor devices removed for user %s: %s", user.pk, count)
    return count


@transaction.atomic
def confirm_totp_device(device) -> None:
    """Make a just-verified authenticator app the user's only one (an old phone stops working)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    for other in devices_for_user(device.user, confirmed=None):
        if other.persistent_id != device.persistent_id:
            other.delete()
    logger.info("two-factor device confirmed for user %s", device.user_id)


def send_password_reset(user: User, *, domain: str, use_https: bool, activation: bool = False) -> None:
    """E-mail a link to choose a (new) password; ``activation`` for a new account's first password.

    Raises ``ValidationError`` for an account that cannot receive one, and lets mail errors (``OSError``,
    ``smtplib.SMTPException``) through for the caller to report.
    """
    if not user.is_active:
        raise ValidationError("Dit account is gedeactiveerd. Activeer het account eerst.")
    if not user.email:
        raise ValidationError("Deze medewerker heeft geen e-mailadres. Vul eerst een e-mailadres in.")
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": "Koers",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
        "activation": activation,
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.html", context)
    send_mail(subject, body, None, [user.email])
    logger.info("password %s mail sent to user %s", "activation" if activation else "reset", user.pk)
