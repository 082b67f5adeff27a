"""Writes of logging in: making a just-verified authenticator app the user's second factor."""

from __future__ import annotations

import logging

from django.db import transaction
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
