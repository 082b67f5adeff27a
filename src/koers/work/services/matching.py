"""Matching: the writes. Saving the participant's work profile (category ``werk``, in the file's history),
proposing a participant for an opening (with the score as shown), rejecting a proposal, and marking a match
placed. Reads and the loading for the scoring: queries/matching.py; the scoring itself: rules/matching.py."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from koers.core import audit
from koers.core.codes import Category, MatchMode
from koers.core.models import AuditAction
from koers.participants.models import ParticipantChange
from koers.work.models import Match, MatchStatus, Opening, OpeningStatus, Placement, WorkProfile
from koers.work.queries import employers as employer_queries
from koers.work.queries import matching as matching_queries


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
        raise Http404(matching_queries.NOT_FOUND)
    profile.participant = participant
    profile.updated_by = user
    profile.full_clean(exclude=["participant"])
    old = WorkProfile.objects.filter(pk=profile.pk).first() if profile.pk else None
    certs = employer_queries.resolve_certificates(certificates)
    with transaction.atomic():
        old_certs = ", ".join(sorted(c.name for c in old.certificates.all())) if old else ""
        profile.save()
        profile.certificates.set(certs)
        new_certs = ", ".join(sorted(c.name for c in certs))
        changes = []
        for name in matching_queries.PROFILE_FIELDS:
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
    if not matching_queries.can_propose(grant):
        raise Http404(matching_queries.NOT_FOUND)
    if mode not in MatchMode.values:
        raise ValidationError({"mode": "Kies hoe de match tot stand kwam."})
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError("Deze plek is niet meer open; een voorstel kan niet meer.")
    evaluation = matching_queries.evaluation(participant, grant, opening)
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
    if not matching_queries.can_propose(grant):
        raise Http404(matching_queries.NOT_FOUND)
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
    match.status = MatchStatus.GEPLAATST
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_at"])
    opening = match.opening
    running = Placement.objects.counting().filter(opening=opening, ended_on__isnull=True).count()
    if opening.status == OpeningStatus.OPEN and running >= opening.places:
        opening.status = OpeningStatus.VERVULD
        opening.save(update_fields=["status"])
    return match
