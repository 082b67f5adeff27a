"""Telling a participant outside Koers that there is news for them: a new message from staff, a new or cancelled
appointment. Casework knows *that* there is news; how the participant is told (an e-mail in their own language,
only when they asked for it) is the portal's, which sits above casework and registers here in ``ready()``::

    from koers.casework import notices
    notices.register("portal-email", send_notice)

``notify(participant, kind, by=user)`` runs every registered sender once the transaction that made the news has
been committed (nothing is sent for a change that was rolled back). A sender decides itself whether to send, and
must never raise: a mail server that is down does not undo a message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

MESSAGE = "bericht"
APPOINTMENT = "afspraak"
APPOINTMENT_CANCELLED = "afspraak_afgezegd"
KINDS = (MESSAGE, APPOINTMENT, APPOINTMENT_CANCELLED)

Sender = Callable[..., object]
_senders: dict[str, Sender] = {}


def register(name: str, sender: Sender) -> None:
    """Add (or replace) ``sender(participant, kind, by=None)``."""
    _senders[name] = sender


def notify(participant, kind: str, *, by=None) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")

    def run() -> None:
        for name in sorted(_senders):
            try:
                _senders[name](participant, kind, by=by)
            except Exception:  # a notice never breaks the work that caused it
                log.exception("notice %s for participant %s failed (%s)", kind, participant.pk, name)

    transaction.on_commit(run)
