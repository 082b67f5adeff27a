"""Sending and reading messages (reads and rules: queries/messages.py). Each message is saved together with its
contact of kind *bericht* and an audit record, all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.casework import notices
from koers.casework.models import Contact, Message
from koers.casework.queries import messages as queries
from koers.core import audit, uploads
from koers.core.access import OWN_BASIS, Grant
from koers.core.codes import Category, ContactKind
from koers.core.models import AuditAction
from koers.participants.models import Participant

CONTACT_SUMMARY = "Bericht via Mijn Koers"


def _check(body: str, attachment) -> str:
    body = (body or "").strip()
    errors = {}
    if not body and attachment is None:
        errors["body"] = _("Schrijf een bericht, of voeg een bestand toe.")
    elif len(body) > queries.MAX_LENGTH:
        errors["body"] = _("Uw bericht is te lang (%(n)s tekens). Het mag maximaal %(max)s tekens zijn.") % {
            "n": len(body), "max": queries.MAX_LENGTH}
    problem = uploads.check_upload(attachment)
    if problem:
        errors["attachment"] = problem
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
    return body


def _save(participant, sender, organisation_id, *, from_participant: bool, body: str, attachment,
          contact: Contact) -> Message:
    message = Message(participant=participant, contact=contact, from_participant=from_participant, sender=sender,
                      organisation_id=organisation_id, body=body, sent_at=contact.happened_at)
    if attachment is not None:
        message.attachment_name = uploads.safe_name(attachment.name)
        message.attachment.save(attachment.name, attachment, save=False)
    message.save()
    return message


@transaction.atomic
def send_from_participant(user, participant: Participant, *, body: str, attachment=None,
                          request=None) -> Message:
    """The participant writes to the people guiding them. Counts as contact with the participant (the contact
    clock); held by the regie organisation, whose regisseur answers or passes it on."""
    body = _check(body, attachment)
    now = timezone.now()
    contact = Contact.objects.create(
        participant=participant, kind=ContactKind.BERICHT, happened_at=now, duration_minutes=0,
        organisation_id=participant.regie_organisation_id, participant_present=True, summary=CONTACT_SUMMARY,
        recorded_by=user)
    message = _save(participant, user, participant.regie_organisation_id, from_participant=True, body=body,
                    attachment=attachment, contact=contact)
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.CREATE, legal_basis=OWN_BASIS,
                 detail="Mijn Koers: bericht verstuurd" + (" met bijlage" if attachment is not None else ""),
                 request=request)
    return message


@transaction.atomic
def send_from_staff(user, participant: Participant, grant: Grant, *, body: str, attachment=None,
                    request=None) -> Message:
    """A regisseur or counsellor writes to the participant. Their unread messages count as read: answering is
    reading."""
    if not queries.may_read(user, grant):
        raise Http404("Deelnemer niet gevonden")
    body = _check(body, attachment)
    now = timezone.now()
    contact = Contact.objects.create(
        participant=participant, kind=ContactKind.BERICHT, happened_at=now,
        duration_minutes=queries.STAFF_MESSAGE_MINUTES, organisation_id=user.organisation_id,
        participant_present=False, summary=CONTACT_SUMMARY, recorded_by=user)
    contact.staff.set([user])
    message = _save(participant, user, user.organisation_id, from_participant=False, body=body,
                    attachment=attachment, contact=contact)
    mark_read_by_staff(user, participant, grant, now=now)
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail="Bericht aan de deelnemer verstuurd" + (" met bijlage" if attachment is not None else ""),
                 request=request)
    notices.notify(participant, notices.MESSAGE, by=user)
    return message


def mark_read_by_staff(user, participant: Participant, grant: Grant, *, now=None) -> int:
    """The participant's unread messages are read (the conversation was opened by someone who may read it)."""
    if not queries.may_read(user, grant):
        return 0
    return Message.objects.filter(participant=participant, from_participant=True, read_at__isnull=True).update(
        read_at=now or timezone.now(), read_by=user)


def mark_read_by_participant(user, participant: Participant) -> int:
    return Message.objects.filter(participant=participant, from_participant=False, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=user)
