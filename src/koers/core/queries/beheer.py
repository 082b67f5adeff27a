"""Reads of the functional administrator's pages: the organisations and staff the acting administrator manages
(``access``: their own organisation, or every one for the platform administrator). Anything outside that is
``access.NotVisible``, a 404 that the 404 handler records as a security event."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.core import access
from koers.core.models import Organisation, User, UserRole


def managed_organisation_or_404(user: User, pk) -> Organisation:
    """An organisation whose staff the acting administrator manages (their own, or any for the platform admin)."""
    organisation_id = access.safe_id(pk)
    organisation = access.managed_organisations(user).filter(pk=organisation_id).first() \
        if organisation_id is not None else None
    if organisation is None:
        raise access.NotVisible(f"Organisatie {pk} buiten eigen beheer")
    return organisation


def managed_staff_member_or_404(user: User, pk) -> User:
    """A staff member the acting administrator may manage: of their own organisation and no superuser (the
    platform administrator manages everyone)."""
    user_id = access.safe_id(pk)
    member = access.managed_staff(user, User.objects.select_related("organisation")).filter(
        pk=user_id).first() if user_id is not None else None
    if member is None:
        raise access.NotVisible(f"Medewerker {pk} buiten eigen beheer")
    return member


def organisations(user: User, kind: str = "") -> QuerySet[Organisation]:
    """The organisations the user manages, by name, with their number of active staff; ``kind``: only that kind."""
    result = access.managed_organisations(user).annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True))
    ).order_by("name")
    if kind:
        result = result.filter(kind=kind)
    return result


def staff(user: User, organisation: Organisation) -> list[User]:
    """The organisation's staff the user manages, active first and by name, with their roles and whether they set
    up a second factor (``has_2fa``)."""
    return list(
        access.managed_staff(user, organisation.staff.all()).annotate(
            has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
        .order_by("-is_active", "first_name", "last_name", "username")
    )
