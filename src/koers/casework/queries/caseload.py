"""The caseload: whose participants a regisseur or counsellor follows, sorted by the urgency of their signals,
and the weighted caseload a team lead uses to spread the work. Reassigning participants (a write) is
``services/caseload.py``.

*Whose*: a regisseur's caseload are the participants they direct (``Participant.regisseur``); a counsellor's
(begeleider, bruggenbouwer, jobcoach) are those with an active membership of their organisation naming them as
``Membership.counsellor``. "Hele organisatie" widens it to every participant of the organisation: the regie
organisation's participants for a regisseur, the participants with an active membership of the organisation
for a counsellor. Everything goes through ``core.access`` (only visible participants; signals by category).

*Weight* (after Lino Welfare, which weighs caseloads by the kind of support): a weight per phase (intake and
aanmelding: ``weight_intake``; active trajectory: ``weight_traject``; placement with aftercare:
``weight_nazorg``; closed: 0) plus ``weight_multiproblem`` at three or more recorded barriers and
``weight_interpreter`` when an interpreter is needed, all from ``MunicipalityPolicy``. Barriers the viewer may
not see (health) do not count for that viewer: a weight must not reveal special-category data.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from koers.casework.queries import alerts, messages
from koers.core import access, audit
from koers.core.codes import SPECIAL_BARRIERS, Category, OrganisationKind, Phase, Role, YesNoUnknown
from koers.core.models import AuditAction, MunicipalityPolicy, User
from koers.participants.models import Membership, Participant, ParticipantBarrier

#: Roles whose home page is their caseload.
COUNSELLOR_ROLES = frozenset({Role.BEGELEIDER, Role.BRUGGENBOUWER, Role.JOBCOACH})
CASELOAD_ROLES = COUNSELLOR_ROLES | {Role.REGISSEUR}
#: Roles that see the team's weighted caseload and reassign (of a municipality holding the regie).
TEAM_ROLES = frozenset({Role.REGISSEUR, Role.PROJECTLEIDER})

#: Filters (callables returning a ``Q`` on Participant) that keep a closed trajectory on the caseload while
#: something still needs doing; the monitoring adds "a follow-up measurement is overdue".
CLOSED_KEPT: list = []

#: The fields a caseload row and the signal rules need (a narrow SELECT for 150 rows or 2,000 in ``tick``).
ROW_FIELDS = ("id", "name", "phase", "regie_organisation_id", "regisseur_id", "created_at", "integration_obliged")


def has_caseload(user) -> bool:
    return access.works_with_participants(user) and bool(user.role_codes & CASELOAD_ROLES)


def caseload_queryset(user, *, whole_organisation: bool = False) -> QuerySet:
    """The participants of the user's caseload (visible ones only), closed trajectories left out unless a
    ``CLOSED_KEPT`` filter keeps them."""
    if not has_caseload(user):
        return Participant.objects.none()
    roles = user.role_codes
    mine = Q(pk__in=[])
    if Role.REGISSEUR in roles:
        mine |= Q(regie_organisation_id=user.organisation_id) if whole_organisation else Q(regisseur=user)
    if roles & COUNSELLOR_ROLES:
        memberships = Membership.objects.active().filter(organisation_id=user.organisation_id)
        if not whole_organisation:
            memberships = memberships.filter(counsellor=user)
        mine |= Q(pk__in=memberships.values("participant_id"))
    return open_or_kept(access.visible_participants(user).filter(mine))


def open_or_kept(qs: QuerySet) -> QuerySet:
    """Participants whose trajectory is open, or closed but kept by a ``CLOSED_KEPT`` filter (caseload, tick)."""
    if not CLOSED_KEPT:
        return qs.exclude(phase=Phase.AFGESLOTEN)
    kept = Q(pk__in=[])
    for hook in CLOSED_KEPT:
        kept |= hook()
    return qs.filter(~Q(phase=Phase.AFGESLOTEN) | kept)


@dataclass
class Row:
    participant: Participant
    grant: access.Grant
    signals: list[alerts.Signal]
    unread: int = 0  # the participant's messages nobody opened yet (only for those in the conversation)

    @property
    def severity(self) -> int:
        return max((s.severity for s in self.signals), default=0)


@dataclass
class Caseload:
    rows: list[Row]
    total: int  # before the filters on signals
    with_signals: int = 0  # before the filters on signals
    codes: dict[str, int] = field(default_factory=dict)  # signal code → participants with it (before filtering)


def caseload(user, *, whole_organisation: bool = False, phase: str = "", code: str = "", only_signals: bool = False,
             today: date | None = None) -> Caseload:
    """The caseload rows, most urgent first. A fixed number of queries for any number of participants."""
    qs = caseload_queryset(user, whole_organisation=whole_organisation)
    if phase in Phase.values:
        qs = qs.filter(phase=phase)
    participants = list(qs.only(*ROW_FIELDS).order_by("name_search", "id"))
    grants = access.grants_for_page(user, participants)
    found = alerts.compute(participants, today=today)
    rows = []
    codes: dict[str, int] = defaultdict(int)
    for p in participants:
        grant = grants[p.pk]
        if Category.IDENTITY not in grant.read:
            continue
        shown = alerts.visible(found[p.pk], grant) if Category.TRAJECTORY in grant.read else []
        for c in {s.code for s in shown}:
            codes[c] += 1
        rows.append(Row(p, grant, shown))
    readers = [r for r in rows if messages.may_read(user, r.grant)]
    unread = messages.unread_for_staff(r.participant.pk for r in readers) if readers else {}
    for row in readers:
        row.unread = unread.get(row.participant.pk, 0)
    total = len(rows)
    with_signals = sum(1 for r in rows if r.signals)
    if code:
        rows = [r for r in rows if any(s.code == code for s in r.signals)]
    if only_signals:
        rows = [r for r in rows if r.signals]
    rows.sort(key=lambda r: alerts.urgency_key(r.signals))
    return Caseload(rows, total, with_signals, dict(codes))


def audit_rows(request, rows: list[Row], detail: str) -> None:
    """One insert: names (identity) of every row shown, and the categories of the signals shown."""
    entries = []
    for row in rows:
        pid, basis = row.participant.pk, row.grant.legal_basis
        categories = {Category.IDENTITY} | {s.category for s in row.signals}
        if Category.TRAJECTORY in row.grant.read:
            categories.add(Category.TRAJECTORY)  # "no signals" is trajectory data too
        entries.extend((pid, c, basis) for c in sorted(categories))
    if entries:
        audit.record_many(request.user, entries, AuditAction.LIST, detail=detail, request=request)


# --- weights -------------------------------------------------------------------------------------------


def weight(phase: str, barriers: int, interpreter: str, policy: MunicipalityPolicy) -> Decimal:
    """The weight of one participant in a caseload (see the module docstring)."""
    base = {
        Phase.AANMELDING: policy.weight_intake, Phase.INTAKE: policy.weight_intake,
        Phase.TRAJECT: policy.weight_traject, Phase.NAZORG: policy.weight_nazorg,
    }.get(phase)
    if base is None:
        return Decimal("0")
    result = _decimal(base)
    if barriers >= 3:
        result += _decimal(policy.weight_multiproblem)
    if interpreter == YesNoUnknown.JA:
        result += _decimal(policy.weight_interpreter)
    return result


def _decimal(value) -> Decimal:
    """Stored weights are Decimals; the defaults of an unsaved policy are floats (1.5): go through str."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def may_lead_team(user) -> bool:
    return (
        access.works_with_participants(user) and bool(user.role_codes & TEAM_ROLES)
        and user.organisation.kind == OrganisationKind.GEMEENTE
    )


@dataclass
class StaffLoad:
    user: User | None  # None: participants without a regisseur
    count: int = 0
    load: Decimal = Decimal("0")
    by_phase: dict[str, int] = field(default_factory=dict)


@dataclass
class WeightedRow:
    participant_id: int
    name: str
    phase: str
    weight: Decimal
    multiproblem: bool
    interpreter: bool

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label


def _counts_special(user) -> bool:
    """Whether the viewer may see special-category barriers of the regie organisation's participants."""
    return Role.REGISSEUR in user.role_codes


def team_loads(user) -> tuple[list[StaffLoad], MunicipalityPolicy]:
    """Count and weighted load per regisseur of the user's (regie) organisation, heaviest first; one row for
    participants without a regisseur. Three queries whatever the size of the municipality."""
    if not may_lead_team(user):
        raise Http404("Pagina niet gevonden")
    policy = MunicipalityPolicy.for_organisation(user.organisation_id)
    staff = {
        u.pk: StaffLoad(u) for u in User.objects.filter(
            organisation_id=user.organisation_id, is_active=True, roles__role=Role.REGISSEUR
        ).distinct()
    }
    unassigned = StaffLoad(None)
    qs = Participant.objects.filter(regie_organisation_id=user.organisation_id).exclude(phase=Phase.AFGESLOTEN)
    barriers = _barrier_counts(user, ParticipantBarrier.objects.filter(
        participant__regie_organisation_id=user.organisation_id
    ).exclude(participant__phase=Phase.AFGESLOTEN))
    former: dict[int, StaffLoad] = {}  # assigned to somebody who is no longer an active regisseur here
    for pid, regisseur_id, phase, interpreter in qs.values_list("id", "regisseur_id", "phase", "interpreter_needed"):
        if regisseur_id is None:
            target = unassigned
        else:
            target = staff.get(regisseur_id) or former.setdefault(regisseur_id, StaffLoad(None))
        target.count += 1
        target.load += weight(phase, barriers.get(pid, 0), interpreter, policy)
        label = Phase(phase).label
        target.by_phase[label] = target.by_phase.get(label, 0) + 1
    if former:
        for u in User.objects.filter(pk__in=former):
            former[u.pk].user = u
        staff.update(former)
    order = [Phase(c).label for c in Phase.values]
    for s in [*staff.values(), unassigned]:
        s.by_phase = {label: s.by_phase[label] for label in order if label in s.by_phase}
    loads = sorted(staff.values(), key=lambda s: (-s.load, str(s.user)))
    if unassigned.count:
        loads.append(unassigned)
    return loads, policy


def _barrier_counts(user, barrier_qs) -> dict[int, int]:
    if not _counts_special(user):
        barrier_qs = barrier_qs.exclude(code__in=SPECIAL_BARRIERS)
    return dict(barrier_qs.values("participant_id").annotate(n=Count("id")).values_list("participant_id", "n")
                .order_by())


def weighted_rows(user, regisseur_id: int | None) -> list[WeightedRow]:
    """The participants of one regisseur (or without one) with their weight, heaviest first."""
    if not may_lead_team(user):
        raise Http404("Pagina niet gevonden")
    policy = MunicipalityPolicy.for_organisation(user.organisation_id)
    qs = access.visible_participants(user).filter(regie_organisation_id=user.organisation_id).exclude(
        phase=Phase.AFGESLOTEN)
    qs = qs.filter(regisseur__isnull=True) if regisseur_id is None else qs.filter(regisseur_id=regisseur_id)
    people = list(qs.values_list("id", "name", "phase", "interpreter_needed").order_by("name_search", "id"))
    barriers = _barrier_counts(user, ParticipantBarrier.objects.filter(participant_id__in=[p[0] for p in people]))
    rows = [
        WeightedRow(pid, name, phase, weight(phase, barriers.get(pid, 0), interpreter, policy),
                    barriers.get(pid, 0) >= 3, interpreter == YesNoUnknown.JA)
        for pid, name, phase, interpreter in people
    ]
    rows.sort(key=lambda r: (-r.weight, r.name))
    return rows


def regisseurs_of(organisation_id: int) -> QuerySet:
    return User.objects.filter(organisation_id=organisation_id, is_active=True, roles__role=Role.REGISSEUR
                               ).distinct().order_by("first_name", "last_name", "username")



def colleague(organisation_id: int, user_id: int) -> User | None:
    """A staff member of the organisation (also one who is no longer a regisseur), or None."""
    return User.objects.filter(pk=user_id, organisation_id=organisation_id).first()


# --- addresses in e-mails ---------------------------------------------------------------------------------------


def site_url() -> str:
    """The address in e-mails (``KOERS_SITE_URL``; the local demo address when it is not set)."""
    return (getattr(settings, "KOERS_SITE_URL", "") or os.environ.get("KOERS_SITE_URL", "")
            or "http://127.0.0.1:8000").rstrip("/")


def handover_url(participant_id: int) -> str:
    """The warm handover page for a participant, when the contacts part of Koers provides it."""
    try:
        return reverse("casework:handover_create", kwargs={"pk": participant_id})
    except NoReverseMatch:
        return ""
