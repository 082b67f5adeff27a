"""Who sees which programme figures — the monitoring's part of the access policy (see docs/privacy.md).

* **Owner** — staff of the programme's owner organisation with a monitoring role (regisseur, projectleider,
  beheerder): every trajectory of the programme; manage projects, targets and imports (projectleider and
  beheerder). Figures are internal: no small-cell suppression.
* **Partner** — staff of an organisation that runs a project of the programme, with a monitoring role
  (projectleider, regisseur, begeleider, jobcoach, bruggenbouwer, accountmanager): only the trajectories of
  their organisation's projects. Another organisation's participants never enter their figures.
* **Researcher** — an ``onderzoeker`` at the owner or at one of the programme's research organisations: the
  whole programme, aggregated with cells below ``SMALL_CELL`` suppressed, and the pseudonymised export.
  Never names or participant files.

A programme the user may not see is a 404, like a participant. Aggregates are not participant data; the
pages that list participants (completeness worklist, follow-ups) go through ``core.access`` and the audit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from koers.core.codes import Role
from koers.monitoring.models import Programme, Project, Trajectory

#: Cells with fewer participants than this are suppressed in anything shared outside the organisations involved.
SMALL_CELL = 5

OWNER_ROLES = frozenset({Role.REGISSEUR, Role.PROJECTLEIDER, Role.BEHEERDER})
MANAGE_ROLES = frozenset({Role.PROJECTLEIDER, Role.BEHEERDER})
PARTNER_ROLES = frozenset(
    {Role.PROJECTLEIDER, Role.REGISSEUR, Role.BEGELEIDER, Role.JOBCOACH, Role.BRUGGENBOUWER, Role.ACCOUNTMANAGER}
)


def _roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return frozenset()
    return user.role_codes


@dataclass(frozen=True)
class Scope:
    """What one user may see of one programme."""

    programme: Programme
    kind: str  # "owner" | "partner" | "researcher"
    organisation_ids: frozenset[int]  # partner: the organisations whose projects are visible; else empty

    @property
    def external(self) -> bool:
        """Figures leave the organisations involved: suppress small cells."""
        return self.kind == "researcher"

    @property
    def can_manage(self) -> bool:
        return self.kind == "owner" and self._manage

    _manage: bool = False

    def projects(self) -> QuerySet[Project]:
        qs = Project.objects.filter(programme=self.programme).select_related("organisation")
        if self.kind == "partner":
            qs = qs.filter(organisation_id__in=self.organisation_ids)
        return qs

    def trajectories(self) -> QuerySet[Trajectory]:
        qs = Trajectory.objects.filter(programme=self.programme)
        if self.kind == "partner":
            qs = qs.filter(project__organisation_id__in=self.organisation_ids)
        return qs


def scope_for(user, programme: Programme) -> Scope | None:
    """The user's view of ``programme``, or None when they may not see it."""
    roles = _roles(user)
    if not roles:
        return None
    org_id = user.organisation_id
    if org_id == programme.owner_id and roles & OWNER_ROLES:
        return Scope(programme, "owner", frozenset(), _manage=bool(roles & MANAGE_ROLES))
    if roles & PARTNER_ROLES and Project.objects.filter(programme=programme, organisation_id=org_id).exists():
        return Scope(programme, "partner", frozenset({org_id}))
    if Role.ONDERZOEKER in roles and (
        org_id == programme.owner_id or programme.research_organisations.filter(pk=org_id).exists()
    ):
        return Scope(programme, "researcher", frozenset())
    return None


def visible_programmes(user) -> QuerySet[Programme]:
    """Programmes the user has any scope on (for the programme list)."""
    roles = _roles(user)
    if not roles:
        return Programme.objects.none()
    org_id = user.organisation_id
    q = Q(pk__in=[])
    if roles & OWNER_ROLES:
        q |= Q(owner_id=org_id)
    if roles & PARTNER_ROLES:
        q |= Q(projects__organisation_id=org_id)
    if Role.ONDERZOEKER in roles:
        q |= Q(owner_id=org_id) | Q(research_organisations=org_id)
    return Programme.objects.filter(q).distinct().order_by("name")


def get_scope_or_404(user, code: str) -> Scope:
    programme = Programme.objects.filter(code=code).select_related("owner").first()
    scope = scope_for(user, programme) if programme is not None else None
    if scope is None:
        raise Http404("Programma niet gevonden")
    return scope


def can_create_programmes(user) -> bool:
    """Owner-side staff may start a programme for their own organisation."""
    return bool(_roles(user) & MANAGE_ROLES)


def uses_monitoring(user) -> bool:
    """Show the Monitoring menu item."""
    return visible_programmes(user).exists() or can_create_programmes(user)


def shows_in_menu(user) -> bool:
    """The Monitoring menu item (those who may start a programme need no query)."""
    return can_create_programmes(user) or uses_monitoring(user)
