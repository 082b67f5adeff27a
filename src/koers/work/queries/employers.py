"""Employers, openings, certificates and company visits: the reads. The work profile and matches:
queries/matching.py; the writes: services/employers.py.

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
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from koers.core import access
from koers.core.codes import Category, Phase, Role
from koers.participants.models import Participant
from koers.work.models import (
    Certificate,
    CompanyVisit,
    Employer,
    Match,
    MatchStatus,
    Opening,
    OpeningStatus,
)

NOT_FOUND = "Pagina niet gevonden"


def starts_with_openings(user) -> bool:
    """An accountmanager's start page is the openings with their proposals (core.extensions.register_home)."""
    return user.has_role(Role.ACCOUNTMANAGER)


def can_view(user) -> bool:
    """Employers and openings: every staff member who works with participant files."""
    return access.works_with_participants(user) and user.organisation.is_active


def can_manage_employers(user) -> bool:
    """Registering employers and keeping the certificate list: accountmanagers."""
    return can_view(user) and user.has_role(Role.ACCOUNTMANAGER)


def can_manage(user, employer: Employer) -> bool:
    """Changing an employer, its contacts, visits and openings: accountmanagers of the managing organisation."""
    return can_manage_employers(user) and employer.organisation_id == user.organisation_id


def _require_view(user) -> None:
    if not can_view(user):
        raise Http404(NOT_FOUND)


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
