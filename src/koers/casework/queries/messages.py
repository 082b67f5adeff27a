"""Messages between a participant (Mijn Koers) and the staff who guide them: who may read and write them, the
conversation, unread counts for the caseload, and the unanswered-message signal. Writes: services/messages.py.

*Who*: the conversation is with "the regisseur and the counsellors involved" (issue 13): staff with a caseload
role (regisseur, begeleider, bruggenbouwer, jobcoach) whose grant covers the trajectory. A teacher or an account
manager sees in the contacts that a message was exchanged, not what it said.
"""

from __future__ import annotations

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from koers.casework.models import Message
from koers.core.access import Grant
from koers.core.codes import Category, Role

#: Roles that take part in the conversation (the caseload roles).
MESSAGE_ROLES = frozenset({Role.REGISSEUR, Role.BEGELEIDER, Role.BRUGGENBOUWER, Role.JOBCOACH})
MAX_LENGTH = 2000
#: Guidance minutes a staff message counts for (a participant's message costs the staff nothing until answered).
STAFF_MESSAGE_MINUTES = 5
#: Working days after which an unanswered message of the participant becomes a signal.
ANSWER_WITHIN_WORKING_DAYS = 2


def may_read(user, grant: Grant) -> bool:
    return Category.TRAJECTORY in grant.read and bool(user.role_codes & MESSAGE_ROLES)


def conversation(participant) -> QuerySet:
    """The whole conversation, oldest first (the caller checked who may read it)."""
    return (Message.objects.filter(participant=participant)
            .select_related("sender", "organisation").order_by("sent_at", "id"))


def message_or_404(participant, message_id) -> Message:
    try:
        return Message.objects.get(pk=int(message_id), participant=participant)
    except (Message.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Bericht niet gevonden") from exc


def unread_for_staff(participant_ids) -> dict[int, int]:
    """Participant id → messages from the participant nobody on the staff side has opened yet (one query)."""
    rows = (Message.objects.filter(participant_id__in=list(participant_ids), from_participant=True,
                                   read_at__isnull=True)
            .values("participant_id").annotate(n=Count("id")).order_by())
    return {r["participant_id"]: r["n"] for r in rows}


def unread_for_participant(participant) -> int:
    return Message.objects.filter(participant=participant, from_participant=False, read_at__isnull=True).count()


def first_unanswered(participant_ids) -> dict[int, tuple[int, object]]:
    """Participant id → (id, sent_at) of their oldest message with no staff message after it (one query)."""
    last_reply = (Message.objects.filter(participant_id=OuterRef("participant_id"), from_participant=False)
                  .order_by("-sent_at").values("sent_at")[:1])
    rows = (Message.objects.filter(participant_id__in=list(participant_ids), from_participant=True)
            .annotate(last_reply=Subquery(last_reply))
            .filter(Q(last_reply__isnull=True) | Q(sent_at__gt=F("last_reply")))
            .values("participant_id").annotate(first=Min("sent_at"), first_id=Min("id")).order_by())
    return {r["participant_id"]: (r["first_id"], r["first"]) for r in rows}


def panel(request, participant, grant) -> dict | None:
    """The messages card on the participant page: how many, how many unread, the last one's time (one query)."""
    if not may_read(request.user, grant):
        return None
    return Message.objects.filter(participant=participant).aggregate(
        total=Count("id"), unread=Count("id", filter=Q(from_participant=True, read_at__isnull=True)),
        last_at=Max("sent_at"))
