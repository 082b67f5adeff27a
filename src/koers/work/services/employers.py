"""Employers, contact persons, company visits, certificates and openings: the writes (checked, audited). Reads:
queries/employers.py; the work profile and matches: services/matching.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.participants.models import Participant
from koers.work.models import (
    Certificate,
    CompanyVisit,
    ContactPerson,
    Employer,
    Opening,
)
from koers.work.queries.employers import (
    NOT_FOUND,
    can_manage,
    can_manage_employers,
    resolve_certificates,
    visit_participant_choices,
)
from koers.work.rules.matching import DAGDEEL_ORDER


def save_employer(user, employer: Employer) -> Employer:
    """Create or change an employer (the form has set its fields)."""
    if employer.pk is None:
        if not can_manage_employers(user):
            raise Http404(NOT_FOUND)
        employer.organisation_id = user.organisation_id
        if employer.account_manager_id is None:
            employer.account_manager = user
    elif not can_manage(user, employer):
        raise Http404(NOT_FOUND)
    employer.full_clean()
    employer.save()
    return employer


def save_contact(user, contact: ContactPerson) -> ContactPerson:
    if not can_manage(user, contact.employer):
        raise Http404(NOT_FOUND)
    contact.full_clean()
    with transaction.atomic():
        if contact.is_primary:
            contact.employer.contacts.exclude(pk=contact.pk).update(is_primary=False)
        contact.save()
    return contact


def delete_contact(user, contact: ContactPerson) -> None:
    if not can_manage(user, contact.employer):
        raise Http404(NOT_FOUND)
    contact.delete()


def save_visit(user, visit: CompanyVisit, participants: Iterable[Participant], *, request=None) -> CompanyVisit:
    """Record (or change) a company visit with its participants. Only participants the user may add are
    accepted; the change of who joined is audited per participant (category ``werk``)."""
    if not can_manage(user, visit.employer):
        raise Http404(NOT_FOUND)
    wanted = {p.pk for p in participants}
    allowed_ids = set(visit_participant_choices(user).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed_ids:
        raise ValidationError(
            {"participants": "U kunt alleen deelnemers toevoegen bij wie u werkgegevens mag vastleggen."}
        )
    visit.full_clean(exclude=["organised_by", "organisation"])
    with transaction.atomic():
        new = visit.pk is None
        if new:
            visit.organised_by = user
            visit.organisation_id = user.organisation_id
        visit.save()
        before = set(visit.participants.values_list("pk", flat=True))
        # Participants the user cannot see stay as they are: they are not on the form.
        hidden = before - set(visit_participant_choices(user).filter(pk__in=before).values_list("pk", flat=True))
        visit.participants.set(wanted | hidden)
    changed = (wanted - before) | (before - hidden - wanted)
    if changed:
        grants = access.grants_for_page(user, Participant.objects.filter(pk__in=changed))
        audit.record_many(
            user,
            [(pid, Category.WORK, grants[pid].legal_basis) for pid in sorted(changed) if pid in grants],
            AuditAction.CREATE if new else AuditAction.UPDATE,
            detail=f"Bedrijfsbezoek {visit.employer.name} {visit.visited_on:%d-%m-%Y}",
            request=request,
        )
    return visit


def save_certificate(user, certificate: Certificate) -> Certificate:
    if not can_manage_employers(user):
        raise Http404(NOT_FOUND)
    certificate.full_clean()
    certificate.save()
    return certificate


def save_opening(user, opening: Opening, certificates: Iterable | None = None) -> Opening:
    """Create or change an opening. Hours must be 0–60; required certificates must be defined."""
    if not can_manage(user, opening.employer):
        raise Http404(NOT_FOUND)
    certs = resolve_certificates(certificates) if certificates is not None else None
    if opening.pk is None:
        opening.created_by = user
        if not opening.sector:
            opening.sector = opening.employer.sector
    opening.days = sorted(set(opening.days or []), key=lambda d: DAGDEEL_ORDER.get(d, 99))
    opening.full_clean()
    with transaction.atomic():
        opening.save()
        if certs is not None:
            opening.certificates.set(certs)
    return opening
