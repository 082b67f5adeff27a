"""Employers, openings, certificates, company visits, work profiles and matches: services (writes) and queries.

Who may do what (docs/privacy.md, "Werk"):
- Employers, openings and the certificate list are not personal data. Every staff member who works with
  participant files sees them; the *accountmanagers* of the organisation that manages an employer change it,
  its contact persons, visits and openings, and any accountmanager keeps the list of certificates.
- Everything that ties a participant to work (the work profile, company-visit attendance, matches) is data of
  category ``werk``: it needs ``access`` like every participant datum and writes audit records.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koers.core import access, audit
from koers.core.codes import Category, MatchMode, Phase, Role
from koers.core.models import AuditAction
from koers.participants.models import Participant, ParticipantChange
from koers.work import matching
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

NOT_FOUND = "Pagina niet gevonden"


# --- Who may do what -----------------------------------------------------------------------------------------


def can_view(user) -> bool:
    """Employers and openings: every staff member who works with participant files."""
    return access.works_with_participants(user) and user.organisation.is_active


def can_manage_employers(user) -> bool:
    """Registering employers and keeping the certificate list: accountmanagers."""
    return can_view(user) and user.has_role(Role.ACCOUNTMANAGER)


def can_manage(user, employer: Employer) -> bool:
    """Changing an employer, its contacts, visits and openings: accountmanagers of the managing organisation."""
    return can_manage_employers(user) and employer.organisation_id == user.organisation_id


def can_propose(grant) -> bool:
    """Proposing a match writes work data of the participant."""
    return grant.can_change(Category.WORK)


def _require_view(user) -> None:
    if not can_view(user):
        raise Http404(NOT_FOUND)


# --- Queries -------------------------------------------------------------------------------------------------


def employers(user, *, q: str = "", sector: str = "") -> QuerySet:
    _require_view(user)
    qs = Employer.objects.select_related("organisation").annotate(
        open_openings=Count("openings", filter=Q(openings__status=OpeningStatus.OPEN))
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(city__icontains=q))
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("name", "id")


def get_employer_or_404(user, pk, *, manage: bool = False) -> Employer:
    _require_view(user)
    employer = Employer.objects.select_related("organisation", "account_manager", "partner_organisation").filter(
        pk=pk
    ).first()
    if employer is None or (manage and not can_manage(user, employer)):
        raise Http404(NOT_FOUND)
    return employer


def openings(user, *, q: str = "", sector: str = "", kind: str = "", status: str = OpeningStatus.OPEN) -> QuerySet:
    _require_view(user)
    qs = Opening.objects.select_related("employer")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(tasks__icontains=q) | Q(employer__name__icontains=q))
    if sector:
        qs = qs.filter(sector=sector)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def get_opening_or_404(user, pk, *, manage: bool = False) -> Opening:
    _require_view(user)
    opening = Opening.objects.select_related("employer").filter(pk=pk).first()
    if opening is None or (manage and not can_manage(user, opening.employer)):
        raise Http404(NOT_FOUND)
    return opening


def visible_visit_participants(user) -> QuerySet:
    """Participants whose company visits the user may see: visible, with category ``werk``."""
    return access.visible_participants(user).filter(access.category_q(user, Category.WORK))


def visit_participant_choices(user) -> QuerySet:
    """Participants the user may add to a company visit (changing their work data)."""
    if not access.may_write_somewhere(user, Category.WORK):
        return Participant.objects.none()
    return visible_visit_participants(user).exclude(phase=Phase.AFGESLOTEN)


def visits_with_participants(user, employer: Employer) -> list[tuple[CompanyVisit, list[Participant]]]:
    """The employer's visits, each with only the participants the user may see (two queries)."""
    visits = list(employer.visits.select_related("organised_by", "organisation"))
    through = CompanyVisit.participants.through.objects.filter(companyvisit__employer=employer)
    allowed = visible_visit_participants(user)
    rows = through.filter(participant__in=allowed).select_related("participant").order_by(
        "participant__name_search", "participant_id"
    )
    by_visit: dict[int, list[Participant]] = {}
    for row in rows:
        by_visit.setdefault(row.companyvisit_id, []).append(row.participant)
    return [(v, by_visit.get(v.pk, [])) for v in visits]


def participant_visits(participant) -> list[CompanyVisit]:
    return list(participant.company_visits.select_related("employer").order_by("-visited_on", "-id"))


def opening_history(employer: Employer) -> list[Opening]:
    """All openings of an employer with the number of matches and (once placements exist) placements."""
    qs = employer.openings.annotate(
        n_matches=Count("matches", distinct=True),
        n_proposed=Count("matches", filter=Q(matches__status=MatchStatus.VOORGESTELD), distinct=True),
    ).order_by("-created_at", "-id")
    rows = list(qs)
    placements = placement_counts([o.pk for o in rows])
    for o in rows:
        o.n_placements = placements.get(o.pk)
    return rows


def placement_counts(opening_ids: Iterable[int]) -> dict[int, int]:
    """Placements per opening, when the placements part defines a model with an ``opening`` field (counts only:
    no personal data)."""
    try:
        model = apps.get_model("work", "Placement")
    except LookupError:
        return {}
    if not any(getattr(f, "name", "") == "opening" for f in model._meta.get_fields()):
        return {}
    rows = model.objects.filter(opening_id__in=list(opening_ids)).values("opening_id").annotate(n=Count("pk"))
    return {r["opening_id"]: r["n"] for r in rows}


def matches_for_opening(user, opening: Opening) -> list[Match]:
    """Proposed matches of an opening, only for participants the user may see with category ``werk``."""
    return list(
        opening.matches.filter(participant__in=visible_visit_participants(user)).select_related(
            "participant", "proposed_by"
        )
    )


def matches_for_participant(participant) -> list[Match]:
    return list(participant.matches.select_related("opening__employer", "proposed_by"))


# --- Services: employers, contacts, visits, certificates -----------------------------------------------------


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


# --- Services: openings -----------------------------------------------------------------------------------------


def resolve_certificates(values: Iterable) -> list[Certificate]:
    """Certificates by instance, id or code; an undefined one is refused with a clear message."""
    values = list(values)
    ids = [v.pk if isinstance(v, Certificate) else v for v in values]
    by_id = {c.pk: c for c in Certificate.objects.filter(pk__in=[i for i in ids if isinstance(i, int)])}
    by_code = {c.code: c for c in Certificate.objects.filter(code__in=[i for i in ids if isinstance(i, str)])}
    result, unknown = [], []
    for value in ids:
        found = by_id.get(value) if isinstance(value, int) else by_code.get(value)
        (result.append(found) if found else unknown.append(str(value)))
    if unknown:
        raise ValidationError({"certificates": unknown_certificate_message(", ".join(unknown))})
    return result


def unknown_certificate_message(value: str) -> str:
    return (
        f"Het certificaat ‘{value}’ bestaat niet in Koers. Kies een certificaat uit de lijst, of laat een "
        "accountmanager het eerst toevoegen via ‘Beheer certificaten’."
    )


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


# --- Services: work profile --------------------------------------------------------------------------------------

PROFILE_FIELDS = ("driving_licence", "max_travel_km", "hours_wanted", "excluded_sectors", "excluded_kinds", "notes")


def get_work_profile(participant) -> WorkProfile:
    """The participant's work profile, or an unsaved empty one (everything unknown)."""
    return WorkProfile.objects.filter(participant=participant).first() or WorkProfile(participant=participant)


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


# --- Services: matches ---------------------------------------------------------------------------------------------


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


def get_match_or_404(user, pk) -> tuple[Match, object]:
    match = Match.objects.select_related("opening__employer", "participant").filter(pk=pk).first()
    if match is None:
        raise Http404(NOT_FOUND)
    participant, grant = access.get_participant_or_404(user, match.participant_id)
    if not grant.can_see(Category.WORK):
        raise Http404(NOT_FOUND)
    return match, grant


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
