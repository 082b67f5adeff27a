"""Writes of logging in and my account: making a just-verified authenticator app the user's second factor, and
the staff member's choice of interface language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import pgettext
from django_otp import devices_for_user

logger = logging.getLogger("koers.security")


@transaction.atomic
def confirm_totp_device(device) -> None:
    """Make a just-verified authenticator app the user's only one (an old phone stops working)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    for other in devices_for_user(device.user, confirmed=None):
        if other.persistent_id != device.persistent_id:
            other.delete()
    logger.info("two-factor device confirmed for user %s", device.user_id)


def set_interface_language(user, *, language: str) -> None:
    """The language of the staff pages for ``user`` (one of ``KOERS_STAFF_LANGUAGES``). A participant's account
    has no staff pages: its language is the participant's own (the portal)."""
    if user.is_participant or language not in settings.KOERS_STAFF_LANGUAGES:
        raise ValidationError({"language": pgettext("staff", "Deze taal is er niet. Kies Nederlands of English.")})
    user.interface_language = language
    user.save(update_fields=["interface_language"])
    logger.info("user %s chose interface language %s", user.pk, language)
