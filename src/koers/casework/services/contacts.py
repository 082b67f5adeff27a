"""Contacts (contactmomenten): every write — recording, correcting and removing a contact — checked, audited,
transactional. Reads: queries/contacts.py."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.casework.models import Contact
from koers.casework.queries.contacts import (
    EDIT_LABELS,
    MSG_TOO_LATE,
    ContactData,
    can_correct,
    can_record,
    can_see,
    category_of,
    check_contact,
    editable_values,
)
from koers.casework.services import actions as services
from koers.casework.services import appointments as appointment_services
from koers.core import audit, locking
from koers.core.access import Grant
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.participants.models import Participant


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})


def _apply(contact: Contact, data: ContactData) -> None:
    for name in ("kind", "happened_at", "duration_minutes", "participant_present", "employer_present",
                 "interpreter_present", "is_special"):
        setattr(contact, name, getattr(data, name))
    for name in ("third_party", "summary", "agreements", "follow_up"):
        setattr(contact, name, (getattr(data, name) or "").strip())


@transaction.atomic
def record_contact(user, participant: Participant, grant: Grant, data: ContactData,
                   actions: list[services.ActionDraft] = (), *, request=None,
                   appointment_id: int | None = None) -> Contact:
    """Log a contact for the user's organisation, with action items from its follow-up (all or nothing).
    ``appointment_id``: the planned appointment this contact is the record of (it becomes *gehouden*)."""
    if not can_record(grant):
        raise Http404("Deelnemer niet gevonden")
    _raise(check_contact(participant, grant, data))
    contact = Contact(participant=participant, organisation_id=user.organisation_id, recorded_by=user)
    _apply(contact, data)
    contact.save()
    contact.staff.set(data.staff)
    audit.record(user, participant, category_of(contact), AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail=f"Contact vastgelegd: {contact.get_kind_display().lower()}", request=request)
    if actions:
        services.create_action_items(user, participant, grant, list(actions), source_contact=contact)
    if appointment_id is not None:
        appointment_services.hold(appointment_id, participant, contact)
    return contact


def _check_correctable(user, contact: Contact, grant: Grant) -> None:
    if not can_see(grant, contact):
        raise Http404("Contact niet gevonden")
    if not can_correct(user, contact):
        raise ValidationError(MSG_TOO_LATE)


@transaction.atomic
def update_contact(user, contact: Contact, grant: Grant, data: ContactData, *, request=None,
                   version: str | None = None) -> Contact:
    """Correct a contact. ``version`` is what the form carried (``contact_version``): a contact corrected by a
    colleague after the form was loaded is not overwritten unseen (``locking.StaleEdit``)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _check_correctable(user, contact, grant)
    locking.check(version, editable_values(contact), labels=EDIT_LABELS)
    _raise(check_contact(contact.participant, grant, data))
    was_special = contact.is_special
    _apply(contact, data)
    contact.save()
    contact.staff.set(data.staff)
    categories = {category_of(contact)} | ({Category.SPECIAL} if was_special else set())
    audit.record(user, contact.participant, categories, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail=f"Contact van {timezone.localtime(contact.happened_at):%d-%m-%Y %H:%M} gewijzigd",
                 request=request)
    return contact


@transaction.atomic
def delete_contact(user, contact: Contact, grant: Grant, *, request=None) -> None:
    contact = Contact.objects.select_for_update(of=("self",)).select_related("participant").get(pk=contact.pk)
    _check_correctable(user, contact, grant)
    participant, category = contact.participant, category_of(contact)
    detail = f"Contact van {timezone.localtime(contact.happened_at):%d-%m-%Y %H:%M} verwijderd"
    contact.delete()
    audit.record(user, participant, category, AuditAction.DELETE, legal_basis=grant.legal_basis, detail=detail,
                 request=request)
