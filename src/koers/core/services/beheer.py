"""Writes for organisations, staff, roles and second factors (the functional administrator's work; setting up
one's own second factor: services/auth.py).

Every function is transactional: a rule that fails raises ``ValidationError`` (Dutch message, keyed by form
field where there is one) and nothing is saved. Views parse the request, call one of these, and render.

Participant access is never granted here: it follows the trajectory memberships (participants app).

Who may do what is decided in ``access`` (functional administrator: own organisation; platform administrator:
every organisation). The views answer 404 before calling these; the functions check again (``PermissionDenied``)
so that no other caller can get around it. Every change writes an audit record (action ``beheer``) in the same
transaction, with a Dutch description of what changed, and a line to the ``koers.security`` log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import devices_for_user

from koers.core import access, audit
from koers.core.codes import OrganisationKind, Role
from koers.core.models import AuditAction, Organisation, User, UserRole

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
MSG_OTHER_ORGANISATION = (
    "U beheert alleen medewerkers van uw eigen organisatie. Medewerkers van een andere organisatie maakt of "
    "verplaatst de platformbeheerder."
)


# --- Audit of beheer actions ---------------------------------------------------------------------------------

def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def _roles_text(roles: Iterable[str]) -> str:
    return ", ".join(sorted(roles)) or "(geen)"


def _changes(before: dict, after: dict, labels: dict[str, str]) -> list[str]:
    """Dutch "label: old → new" for every field that changed."""
    return [f"{labels[key]} {before[key] or '(leeg)'} → {after[key] or '(leeg)'}"
            for key in labels if before.get(key) != after.get(key)]


def _audit(acting_user: User, detail: str, request=None, *, level: int = logging.INFO) -> None:
    audit.record_event(acting_user, AuditAction.ADMIN, detail, request=request)
    logger.log(level, "beheer by user %s: %s", acting_user.pk, detail)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Dit valt buiten uw beheer.")


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
    *, acting_user: User, name: str, kind: str, municipality: str = "", email: str = "", phone: str = "",
    is_active: bool = True, request=None,
) -> Organisation:
    """A new organisation: the platform administrator's work."""
    _require(access.can_create_organisations(acting_user))
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Kies de soort organisatie."})
    check_organisation_name_free(name)
    organisation = Organisation(
        name=name.strip(), kind=kind, municipality=municipality.strip(), email=email.strip(),
        phone=phone.strip(), is_active=is_active,
    )
    organisation.full_clean()
    organisation.save()
    _audit(acting_user, f"Organisatie {organisation.name} aangemaakt (soort {organisation.kind}, actief "
                        f"{_yes_no(organisation.is_active)})", request)
    return organisation


_ORGANISATION_LABELS = {
    "name": "naam", "kind": "soort", "municipality": "gemeente/regio", "email": "e-mailadres",
    "phone": "telefoon", "is_active": "actief",
}


def _organisation_state(organisation: Organisation) -> dict:
    return {"name": organisation.name, "kind": organisation.kind, "municipality": organisation.municipality,
            "email": organisation.email, "phone": organisation.phone, "is_active": _yes_no(organisation.is_active)}


@transaction.atomic
def update_organisation(
    organisation: Organisation, *, acting_user: User, name: str, kind: str, municipality: str = "",
    email: str = "", phone: str = "", is_active: bool = True, request=None,
) -> Organisation:
    """Change an organisation's details. A functional administrator changes those of their own organisation,
    but not its kind or whether it is active (that decides what its staff see): the platform administrator does."""
    # Compare with the stored row: a bound ModelForm has already copied the posted values onto the instance.
    stored = Organisation.objects.get(pk=organisation.pk)
    _require(access.can_manage_staff_of(acting_user, stored))
    if not access.can_create_organisations(acting_user) and (
        kind != stored.kind or is_active != stored.is_active
    ):
        raise PermissionDenied("Alleen de platformbeheerder wijzigt de soort of de status van een organisatie.")
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Kies de soort organisatie."})
    check_organisation_name_free(name, exclude=organisation)
    before = _organisation_state(stored)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.municipality = municipality.strip()
    organisation.email = email.strip()
    organisation.phone = phone.strip()
    organisation.is_active = is_active
    organisation.full_clean()
    organisation.save()
    changes = _changes(before, _organisation_state(organisation), _ORGANISATION_LABELS)
    if changes:
        _audit(acting_user, f"Organisatie {before['name']} gewijzigd: {'; '.join(changes)}", request)
    return organisation


# --- Staff ---------------------------------------------------------------------------------------------------

@transaction.atomic
def create_user(
    *, acting_user: User, username: str, first_name: str, last_name: str, email: str, organisation: Organisation,
    roles: Iterable[str], phone: str = "", is_active: bool = True, request=None,
) -> User:
    """A new staff member without a password: they choose one through the activation link."""
    if not access.can_manage_staff_of(acting_user, organisation):
        raise ValidationError({"organisation": MSG_OTHER_ORGANISATION})
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
    _audit(acting_user, f"Medewerker {user.username} aangemaakt bij {organisation.name}: rollen "
                        f"{_roles_text(chosen)}, actief {_yes_no(is_active)}", request)
    return user


_USER_LABELS = {
    "username": "gebruikersnaam", "first_name": "voornaam", "last_name": "achternaam", "email": "e-mailadres",
    "phone": "telefoon", "organisation": "organisatie", "roles": "rollen", "is_active": "actief",
}


def _user_state(user: User, roles: Iterable[str]) -> dict:
    return {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "phone": user.phone,
            "organisation": user.organisation.name if user.organisation_id else "",
            "roles": _roles_text(roles), "is_active": _yes_no(user.is_active)}


@transaction.atomic
def update_user(
    user: User, *, acting_user: User, username: str, first_name: str, last_name: str, email: str,
    organisation: Organisation, roles: Iterable[str], phone: str = "", is_active: bool = True, request=None,
) -> User:
    """Change a staff member. Moving them to another organisation is the platform administrator's work."""
    # Check against the stored row: a bound ModelForm has already copied the posted values onto the instance.
    stored = User.objects.select_related("organisation").get(pk=user.pk)
    _require(access.can_manage_staff_member(acting_user, stored))
    if not access.can_manage_staff_of(acting_user, organisation):
        raise ValidationError({"organisation": MSG_OTHER_ORGANISATION})
    chosen = _clean_roles(roles)
    if not email.strip():
        raise ValidationError({"email": "Vul een e-mailadres in."})
    check_self_change(acting_user, user, roles=chosen, is_active=is_active)
    check_username_free(username, exclude=user)
    check_email_free(email, exclude=user)
    before = _user_state(stored, _current_roles(stored))
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
    changes = _changes(before, _user_state(user, chosen), _USER_LABELS)
    if changes:
        _audit(acting_user, f"Medewerker {before['username']}: {'; '.join(changes)}", request)
    return user


@transaction.atomic
def set_user_active(user: User, active: bool, *, acting_user: User, request=None) -> User:
    """Deactivate or reactivate an account. A deactivated user is logged out at their next request."""
    _require(access.can_manage_staff_member(acting_user, user))
    if not active and acting_user.pk == user.pk:
        raise ValidationError(MSG_OWN_DEACTIVATION)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(acting_user, f"Medewerker {user.username} {'weer geactiveerd' if active else 'gedeactiveerd'}", request)
    return user


@transaction.atomic
def reset_two_factor(user: User, *, acting_user: User, request=None) -> int:
    """Remove every second-factor device of the user; they set up a new one at their next login."""
    _require(access.can_manage_staff_member(acting_user, user))
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    if count:
        _audit(acting_user, f"Tweestapsverificatie van medewerker {user.username} gewist ({count} app"
                            f"{'' if count == 1 else 's'})", request, level=logging.WARNING)
    return count


def send_password_reset(user: User, *, domain: str, use_https: bool, activation: bool = False,
                        acting_user: User | None = None, request=None) -> None:
    """E-mail a link to choose a (new) password; ``activation`` for a new account's first password.

    ``acting_user`` is the administrator who sends it (audited); None when the user asked for it themselves
    (the password-reset page, which Django sends itself: this function is not used there).
    Raises ``ValidationError`` for an account that cannot receive one, and lets mail errors (``OSError``,
    ``smtplib.SMTPException``) through for the caller to report.
    """
    if acting_user is not None:
        _require(access.can_manage_staff_member(acting_user, user))
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
    kind = "Activatiemail" if activation else "Wachtwoordmail"
    if acting_user is not None:
        _audit(acting_user, f"{kind} gestuurd aan medewerker {user.username} ({user.email})", request)
    else:
        logger.info("password %s mail sent to user %s", "activation" if activation else "reset", user.pk)
