"""Warm handover (warme overdracht): the writes (sending, confirming). Reads: queries/handover.py."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone

from koers.casework.models import Handover
from koers.casework.queries.handover import (
    MSG_NOT_RECEIVER,
    MSG_OPEN,
    MSG_SELF,
    build_snapshot,
    can_start,
    logger,
    receivers,
    snapshot_categories,
)
from koers.core import access, audit
from koers.core.access import Grant
from koers.core.codes import Category, HandoverStatus, Role
from koers.core.models import AuditAction, User
from koers.participants.models import Membership, Participant
from koers.participants.services import file as participant_services


def _combined(sender_grant: Grant, receiver_grant: Grant) -> Grant:
    return dataclasses.replace(receiver_grant, read=receiver_grant.read & sender_grant.read, write=frozenset())


@transaction.atomic
def start_handover(user, participant: Participant, grant: Grant, to_user: User, note: str, *,
                   request=None) -> Handover:
    if not can_start(grant):
        raise Http404("Pagina niet gevonden")
    if to_user.pk == user.pk:
        raise ValidationError({"to_user": [MSG_SELF]})
    if to_user.pk not in {u.pk for u in receivers(participant, user)}:
        raise ValidationError({"to_user": [MSG_NOT_RECEIVER]})
    if Handover.objects.filter(participant=participant, to_user=to_user, status=HandoverStatus.OPEN).exists():
        raise ValidationError({"to_user": [MSG_OPEN]})
    receiver_grant = access.grant_for(to_user, participant)
    doc = build_snapshot(participant, _combined(grant, receiver_grant))
    handover = Handover.objects.create(
        participant=participant, from_user=user, to_user=to_user, to_organisation_id=to_user.organisation_id,
        note=note.strip(), snapshot=doc, created_by=user,
    )
    audit.record(user, participant, snapshot_categories(doc), AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail=f"Warme overdracht gestart naar {to_user} ({to_user.organisation})", request=request)
    transaction.on_commit(lambda: _mail_receiver(handover, request))
    return handover


def _link(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _mail_receiver(handover: Handover, request) -> None:
    if not handover.to_user.email:
        return
    url = _link(request, reverse("casework:handover_detail", kwargs={"handover_id": handover.pk}))
    # No participant data in the mail: only that there is a handover, and where to read it after logging in.
    send_mail(
        "Koers: een deelnemer wordt aan u overgedragen",
        f"Beste {handover.to_user},\n\n{handover.from_user} draagt een deelnemer aan u over (warme overdracht).\n"
        f"Lees de overdracht en bevestig dat u de deelnemer overneemt:\n{url}\n\n"
        "U ziet de overdracht nadat u bent ingelogd in Koers.\n",
        None, [handover.to_user.email],
    )
    logger.info("handover %s mail sent to user %s", handover.pk, handover.to_user_id)


def _mail_sender(handover: Handover, request) -> None:
    sender = handover.from_user
    if sender is None or not sender.email:
        return
    url = _link(request, reverse("casework:handover_detail", kwargs={"handover_id": handover.pk}))
    send_mail(
        "Koers: uw overdracht is bevestigd",
        f"Beste {sender},\n\n{handover.to_user} heeft de overdracht van "
        f"{formats.date_format(timezone.localtime(handover.created_at), 'j F Y')} bevestigd.\n{url}\n",
        None, [sender.email],
    )


@transaction.atomic
def confirm(user, handover: Handover, note: str = "", *, request=None) -> Handover:
    """The receiver takes the participant over. A regisseur of the regie organisation becomes the participant's
    regisseur; a partner's staff member becomes that organisation's counsellor for the participant."""
    handover = (
        Handover.objects.select_for_update(of=("self",)).select_related("to_user", "from_user").get(pk=handover.pk)
    )
    if handover.to_user_id != user.pk:
        raise Http404("Overdracht niet gevonden")
    if handover.status != HandoverStatus.OPEN:
        raise ValidationError("Deze overdracht is al bevestigd.")
    participant, grant = access.get_participant_or_404(user, handover.participant_id)
    handover.status = HandoverStatus.BEVESTIGD
    handover.confirmed_at = timezone.now()
    handover.confirm_note = (note or "").strip()[:300]
    handover.save(update_fields=["status", "confirmed_at", "confirm_note"])
    change = _take_over(user, participant)
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail=f"Warme overdracht bevestigd{change}", request=request)
    transaction.on_commit(lambda: _mail_sender(handover, request))
    return handover


def _take_over(user, participant: Participant) -> str:
    if participant.regie_organisation_id == user.organisation_id:
        if not user.has_role(Role.REGISSEUR):
            return ""
        participant_services.set_regisseur(user, participant, user)
        return f"; {user} is nu regisseur"
    memberships = Membership.objects.active().filter(participant=participant, organisation_id=user.organisation_id)
    if memberships.update(counsellor=user):
        return f"; {user} is nu begeleider namens {user.organisation}"
    return ""
