"""Writing and verifying the audit trail (append-only, hash-chained).

Every view and change of participant data calls ``record`` (one participant) or ``record_list`` (a page of
participants). Records are chained: each carries the SHA-256 of its predecessor's hash and its own content,
so that a removed or altered record breaks the chain (``koers audit-verify``). The database refuses UPDATE
and DELETE on the table with a trigger (SQLite and PostgreSQL, migration core 0002).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.utils import timezone

from koers.core.models import AuditAction, AuditEvent

GENESIS = "0" * 64
_LOCK_KEY = 0x4B4F455253  # "KOERS": serialises appends on PostgreSQL

#: Participant ids recorded during the current participant page (see ``tracking``), or None outside one.
_recorded: ContextVar[set | None] = ContextVar("koers_audit_recorded", default=None)

#: Category of audit records that are about no participant's data (beheer, imports, denied attempts).
SYSTEM_CATEGORY = "systeem"


@contextmanager
def tracking():
    """Collect the participant ids recorded while the block runs (the participant-page door checks that the
    page it opened wrote a record, and writes one itself when it did not)."""
    seen: set = set()
    token = _recorded.set(seen)
    try:
        yield seen
    finally:
        _recorded.reset(token)


def _append(events: Sequence[AuditEvent]) -> None:
    if not events:
        return
    seen = _recorded.get()
    if seen is not None:
        seen.update(e.participant_id for e in events)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        # On SQLite the IMMEDIATE transaction already holds the write lock, so the chain cannot fork.
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        for event in events:
            event.prev_hash = last
            event.hash = event.compute_hash()
            last = event.hash
        AuditEvent.objects.bulk_create(events)


def _event(user, participant_id, category, action, legal_basis, detail, path, at) -> AuditEvent:
    org = getattr(user, "organisation", None)
    return AuditEvent(
        at=at,
        user_id=user.pk,
        user_name=(user.get_full_name() or user.get_username())[:200],
        organisation_id=getattr(org, "pk", None),
        organisation_name=(org.name if org else "")[:200],
        participant_id=participant_id,
        category=category,
        action=action,
        legal_basis=legal_basis or "",
        detail=(detail or "")[:500],
        path=(path or "")[:300],
    )


def record(
    user,
    participant,
    categories: str | Iterable[str],
    action: str = AuditAction.VIEW,
    *,
    legal_basis: str = "",
    detail: str = "",
    request=None,
) -> None:
    """Record that ``user`` did ``action`` on the given categories of one participant's data."""
    cats = [categories] if isinstance(categories, str) else sorted(set(categories))
    pid = getattr(participant, "pk", participant)
    path = request.get_full_path() if request is not None else ""
    now = timezone.now()
    _append([_event(user, pid, c, action, legal_basis, detail, path, now) for c in cats])


def record_list(
    user,
    participant_ids: Iterable[int],
    legal_bases: dict[int, str],
    *,
    category: str,
    detail: str = "",
    request=None,
) -> None:
    """Record that a page of participants was shown (one record per participant, one insert)."""
    path = request.get_full_path() if request is not None else ""
    now = timezone.now()
    _append(
        [
            _event(user, pid, category, AuditAction.LIST, legal_bases.get(pid, ""), detail, path, now)
            for pid in participant_ids
        ]
    )


def record_many(user, entries: Iterable[tuple[int, str, str]], action: str = AuditAction.VIEW, *,
                detail: str = "", request=None) -> None:
    """Record several (participant id, category, legal basis) accesses of one request in one insert."""
    path = request.get_full_path() if request is not None else ""
    now = timezone.now()
    _append([_event(user, pid, cat, action, basis, detail, path, now) for pid, cat, basis in entries])


def record_event(user, action: str, detail: str, *, request=None, participant_id: int | None = None,
                 category: str = SYSTEM_CATEGORY, organisation=None) -> None:
    """Record an event that is not a view of a participant's file: a beheer action, an import, a denied attempt.

    ``user`` may be anonymous (a denied or failed attempt before logging in): its name is then left empty, and
    ``organisation`` says whose event it is (a blocked login: the organisation of the account that was tried).
    """
    path = request.get_full_path() if request is not None else ""
    if not getattr(user, "is_authenticated", False):
        user = None
    if organisation is not None and user is None:
        _append([AuditEvent(
            at=timezone.now(), user_id=None, user_name="", organisation_id=organisation.pk,
            organisation_name=organisation.name[:200], participant_id=participant_id, category=category,
            action=action, legal_basis="", detail=(detail or "")[:500], path=(path or "")[:300],
        )])
        return
    event = AuditEvent(
        at=timezone.now(),
        user_id=getattr(user, "pk", None),
        user_name=((user.get_full_name() or user.get_username()) if user else "")[:200],
        organisation_id=getattr(user, "organisation_id", None),
        organisation_name=(user.organisation.name if user and user.organisation_id else "")[:200],
        participant_id=participant_id,
        category=category,
        action=action,
        legal_basis="",
        detail=(detail or "")[:500],
        path=(path or "")[:300],
    )
    _append([event])


def record_denied(request, detail: str, *, participant_id: int | None = None) -> None:
    """A security event: a logged-in user asked for something the access policy hides from them."""
    record_event(request.user, AuditAction.DENIED, detail, request=request, participant_id=participant_id)


def verify_chain(batch_size: int = 5000) -> tuple[int, int | None]:
    """Walk the whole chain. Returns (records checked, id of the first broken record or None)."""
    last = GENESIS
    checked = 0
    start = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=start).order_by("id")[:batch_size])
        if not batch:
            return checked, None
        for event in batch:
            if event.prev_hash != last or event.compute_hash() != event.hash:
                return checked, event.id
            last = event.hash
            checked += 1
        start = batch[-1].id
