"""Reads of the security events page: the audit trail's denied attempts and beheer actions that the acting
administrator may see (``access.security_events``: a functional administrator sees the events of their own
organisation's staff and the denied attempts on participants whose regie their organisation holds)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from koers.core import access
from koers.core.models import AuditAction, AuditEvent, User

#: The periods the page offers: code → (Dutch label, days back).
PERIODS = {"24u": ("de laatste 24 uur", 1), "7d": ("de laatste 7 dagen", 7), "30d": ("de laatste 30 dagen", 30)}
#: The kinds of event the page filters on: code → audit action.
KINDS = {"geweigerd": AuditAction.DENIED, "beheer": AuditAction.ADMIN}


def events(user: User, period: str, kind: str = "") -> QuerySet[AuditEvent]:
    """The security events of the ``period`` (a key of PERIODS) the user may see; ``kind`` (a key of KINDS): only
    those."""
    since = timezone.now() - timedelta(days=PERIODS[period][1])
    result = access.security_events(user).filter(at__gte=since)
    if kind:
        result = result.filter(action=KINDS[kind])
    return result


def denied_per_user(events: QuerySet[AuditEvent], limit: int = 10) -> list[dict]:
    """Who had the most denied attempts among ``events``: user id, name, organisation and count."""
    return list(
        events.filter(action=AuditAction.DENIED)
        .values("user_id", "user_name", "organisation_name")
        .annotate(count=Count("id"))
        .order_by("-count", "user_name")[:limit]
    )
