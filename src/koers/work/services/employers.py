"""Employers, openings, certificates, company visits, work profiles and matches: the writes (checked, audited). Reads:
queries/employers.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from koers.core import access, audit
from koers.core.codes import Category, MatchMode
from koers.core.models import AuditAction
from koers.participants.models import Participant, ParticipantChange
from koers.work.models import (
    Certificate,
    CompanyVisit,
    ContactPerson,
    Employer,
    Match,
    MatchStatus,
    Opening,
    OpeningStatus,
    WorkProfile,
)
from koers.work.queries import matching
from koers.work.queries.employers import (
    NOT_FOUND,
    PROFILE_FIELDS,
    can_manage,
    can_manage_employers,
    can_propose,
    resolve_certificates,
    visit_participant_choices,
)


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
    opening.days = sorted(set(opening.days or []), key=lambda d: matching.DAGDEEL_ORDER.get(d, 99))
    opening.full_clean()
    with transaction.atomic():
        opening.save()
        if certs is not None:
            opening.certificates.set(certs)
    return opening


def _display(profile: WorkProfile, name: str) -> str:
    value = getattr(profile, name)
    if name in ("driving_licence",):
        return profile.get_driving_licence_display()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def save_work_profile(user, participant, grant, profile: WorkProfile, certificates, *, request=None) -> WorkProfile:
    """Save the work profile: category ``werk``, write access needed; the change is in the file's history."""
    if not grant.can_change(Category.WORK):
        raise Http404(NOT_FOUND)
    profile.participant = participant
    profile.updated_by = user
    profile.full_clean(exclude=["participant"])
    old = WorkProfile.objects.filter(pk=profile.pk).first() if profile.pk else None
    certs = resolve_certificates(certificates)
    with transaction.atomic():
        old_certs = ", ".join(sorted(c.name for c in old.certificates.all())) if old else ""
        profile.save()
        profile.certificates.set(certs)
        new_certs = ", ".join(sorted(c.name for c in certs))
        changes = []
        for name in PROFILE_FIELDS:
            before = _display(old, name) if old else ""
            after = _display(profile, name)
            if before != after:
                changes.append((name, str(WorkProfile._meta.get_field(name).verbose_name), before, after))
        if old_certs != new_certs:
            changes.append(("certificates", "certificaten", old_certs, new_certs))
        ParticipantChange.objects.bulk_create([
            ParticipantChange(participant=participant, user=user, organisation_id=user.organisation_id,
                              field=f"werkprofiel.{name}", field_label=f"werkprofiel: {label}", category=Category.WORK,
                              old_value=before, new_value=after)
            for name, label, before, after in changes
        ])
    audit.record(user, participant, Category.WORK, AuditAction.UPDATE if old else AuditAction.CREATE,
                 legal_basis=grant.legal_basis, detail="Werkprofiel", request=request)
    return profile


def propose_match(user, opening: Opening, participant, grant, *, mode: str, note: str = "", request=None) -> Match:
    """Propose a participant for an opening: who, how (a reporting dimension) and the score as shown."""
    if not can_propose(grant):
        raise Http404(NOT_FOUND)
    if mode not in MatchMode.values:
        raise ValidationError({"mode": "Kies hoe de match tot stand kwam."})
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError("Deze plek is niet meer open; een voorstel kan niet meer.")
    evaluation = matching.evaluate(matching.candidate_for(participant, grant),
                                   matching.JobContext(matching.job_for(opening), matching.load_locator()))
    try:
        with transaction.atomic():
            match = Match.objects.create(
                opening=opening, participant=participant, proposed_by=user, organisation_id=user.organisation_id,
                mode=mode, note=note, score=evaluation.points, score_snapshot=evaluation.snapshot(),
            )
    except IntegrityError as exc:
        raise ValidationError(f"{participant.name} is al voorgesteld voor deze plek.") from exc
    audit.record(user, participant, Category.WORK, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail=f"Voorgesteld voor ‘{opening.title}’ bij {opening.employer.name}", request=request)
    return match


def reject_match(user, match: Match, grant, *, reason: str, request=None) -> Match:
    if not can_propose(grant):
        raise Http404(NOT_FOUND)
    if match.status != MatchStatus.VOORGESTELD:
        raise ValidationError("Alleen een openstaand voorstel kan worden afgewezen.")
    if not reason.strip():
        raise ValidationError({"reason": "Geef de reden van de afwijzing."})
    match.status = MatchStatus.AFGEWEZEN
    match.status_reason = reason.strip()[:300]
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "status_reason", "decided_at"])
    audit.record(user, match.participant_id, Category.WORK, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail=f"Voorstel ‘{match.opening.title}’ afgewezen", request=request)
    return match


def mark_placed(match: Match) -> Match:
    """For the placements part: the match became a placement (the caller checks access and audits).

    When the opening's places are all taken by running placements, the opening is marked *vervuld*."""
    from koers.work.models import Placement

    match.status = MatchStatus.GEPLAATST
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_at"])
    opening = match.opening
    running = Placement.objects.filter(opening=opening, ended_on__isnull=True).count()
    if opening.status == OpeningStatus.OPEN and running >= opening.places:
        opening.status = OpeningStatus.VERVULD
        opening.save(update_fields=["status"])
    return match
