"""The access policy: the one place that decides who sees which participant, and which of their data.

Two questions, answered for every part of Koers:

1. *Which participants may this user see?*  ``visible_participants(user)`` — a queryset filter. A staff member
   sees a participant only when their organisation holds the regie, or has an active membership in the
   participant's trajectory (legal task, or consent with date and scope). Ending a membership or withdrawing
   consent ends the access at once: nothing is cached.
2. *Which data categories of that participant may this user see or change?*  ``grant_for(user, participant)``
   — the intersection of what the user's roles may ever see and what the organisation's legal basis covers.
   Special-category data (health) needs either the regisseur role at the regie organisation, or a consent
   scope that names it explicitly and a role that works with it.

Objects the user may not see are a 404 (``get_participant_or_404``), never a 403.
The rules are documented in docs/privacy.md; keep both in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from koers.core.codes import SPECIAL_CODES, Category, DropoutReason, LegalBasis, OrganisationKind, Role
from koers.core.models import AuditAction, AuditEvent, Organisation, User

C = Category


def _participant_models():
    """The participant and membership models this policy guards.

    ``core`` sits below ``participants`` (docs/architecture.md, "Dependencies point down"), so the policy looks
    the two models up in Django's app registry at call time instead of importing them: the one place where core
    reaches a model of a higher app, in the way Django itself reaches ``AUTH_USER_MODEL``.
    """
    return apps.get_model("participants", "Participant"), apps.get_model("participants", "Membership")


class NotVisible(Http404):
    """A 404 because the access policy hides the object from this user (not because it does not exist).

    The 404 handler records it as a security event (``audit.record_denied``), so that repeated attempts to open
    other organisations' participants show up for the functional administrator.
    """

    def __init__(self, message: str = "Pagina niet gevonden", *, participant_id=None):
        super().__init__(message)
        self.participant_id = participant_id


ALL_CATEGORIES: frozenset[str] = frozenset(Category.values)
NON_SPECIAL: frozenset[str] = ALL_CATEGORIES - {C.SPECIAL}

#: The most a role may ever see of a participant, whatever the legal basis.
ROLE_READ: dict[str, frozenset[str]] = {
    Role.REGISSEUR: ALL_CATEGORIES,
    Role.BEGELEIDER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK, C.INCOME, C.SPECIAL}),
    Role.BRUGGENBOUWER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK, C.INCOME, C.SPECIAL}),
    Role.JOBCOACH: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK, C.SPECIAL}),
    Role.TAALDOCENT: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE}),
    Role.ACCOUNTMANAGER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK}),
    Role.PROJECTLEIDER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK}),
    Role.BEHEERDER: frozenset(),
    Role.ONDERZOEKER: frozenset(),  # pseudonymised, aggregated or exported data only
}

#: The most a role may ever change (always also limited by what it may see).
ROLE_WRITE: dict[str, frozenset[str]] = {
    Role.REGISSEUR: ALL_CATEGORIES,
    Role.BEGELEIDER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK, C.INCOME, C.SPECIAL}),
    Role.BRUGGENBOUWER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK, C.SPECIAL}),
    Role.JOBCOACH: frozenset({C.TRAJECTORY, C.WORK, C.SPECIAL}),
    Role.TAALDOCENT: frozenset({C.LANGUAGE}),
    Role.ACCOUNTMANAGER: frozenset({C.WORK}),
    Role.PROJECTLEIDER: frozenset(),
    Role.BEHEERDER: frozenset(),
    Role.ONDERZOEKER: frozenset(),
}

#: The scope proposed when a partner of this kind is added (special categories never by default).
DEFAULT_SCOPE: dict[str, frozenset[str]] = {
    OrganisationKind.GEMEENTE: NON_SPECIAL,
    OrganisationKind.TAALAANBIEDER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE}),
    OrganisationKind.REINTEGRATIE: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK}),
    OrganisationKind.MAATSCHAPPELIJK: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.INCOME}),
    OrganisationKind.SOCIAAL_ONDERNEMER: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE, C.WORK}),
    OrganisationKind.WERKGEVER: frozenset({C.IDENTITY, C.LANGUAGE, C.WORK}),
    OrganisationKind.ONDERWIJS: frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE}),
    OrganisationKind.OVERIG: frozenset({C.IDENTITY, C.TRAJECTORY}),
}

#: Roles that work with participant files at all.
CASE_ROLES = frozenset(r for r, cats in ROLE_READ.items() if cats)


def _roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return frozenset()
    return user.role_codes


def _union(table: dict[str, frozenset[str]], roles: Iterable[str]) -> frozenset[str]:
    result: frozenset[str] = frozenset()
    for role in roles:
        result |= table.get(role, frozenset())
    return result


def works_with_participants(user) -> bool:
    return bool(_roles(user) & CASE_ROLES)


def visible_participants(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every participant query starts here."""
    Participant, Membership = _participant_models()
    qs = Participant.objects.all() if queryset is None else queryset
    if not works_with_participants(user) or not user.organisation.is_active:
        return qs.none()
    # "pk IN (subquery)" rather than a correlated EXISTS: both databases can then combine two index
    # lookups (regie and membership) instead of probing the membership table for every participant.
    partner = Membership.objects.active().filter(organisation_id=user.organisation_id).values("participant_id")
    return qs.filter(Q(regie_organisation_id=user.organisation_id) | Q(pk__in=partner))


def visible_participant_ids(user) -> QuerySet:
    return visible_participants(user).values("pk")


@dataclass(frozen=True)
class Grant:
    """What one user may do with one participant's file."""

    read: frozenset[str]
    write: frozenset[str]
    legal_basis: str
    is_regie: bool
    is_regisseur: bool
    memberships: tuple = field(default=(), compare=False)

    def can_see(self, category: str) -> bool:
        return category in self.read

    def can_change(self, category: str) -> bool:
        return category in self.write

    @property
    def special(self) -> bool:
        return C.SPECIAL in self.read

    @property
    def can_manage_access(self) -> bool:
        """Adding and removing partners, recording consent, reading the audit trail."""
        return self.is_regie and self.is_regisseur

    def __contains__(self, category: str) -> bool:
        return category in self.read

    @property
    def read_ordered(self) -> list[str]:
        """The readable categories in the fixed order of the code list (for display)."""
        return [c for c in Category.values if c in self.read]


NO_GRANT = Grant(frozenset(), frozenset(), "", False, False)

#: The legal basis recorded when a participant opens their own data in Mijn Koers (AVG: the data subject).
OWN_BASIS = "betrokkene"


def own_grant() -> Grant:
    """What a participant sees of their own file in the portal: everything but the special categories.

    Special-category data (health, sensitive barriers) is written by staff for staff; the portal never shows it
    (issue 13: "never staff-only notes of the special kind"). The AVG download is a separate, complete path.
    The participant changes nothing through the grant: the portal's own services decide what they may add.
    """
    return Grant(NON_SPECIAL, frozenset(), OWN_BASIS, False, False)


def _regie_scope(roles: frozenset[str]) -> frozenset[str]:
    return ALL_CATEGORIES if Role.REGISSEUR in roles else NON_SPECIAL


def membership_scope(membership) -> frozenset[str]:
    """The categories a membership actually covers (special categories only on consent)."""
    allowed = membership.scope_set
    if membership.legal_basis != LegalBasis.TOESTEMMING:
        allowed -= {C.SPECIAL}  # special categories only on explicit consent
    return allowed


def grant_from(roles: frozenset[str], is_regie: bool, memberships: Iterable) -> Grant:
    """The grant for a user with these roles, given whether their organisation holds the regie and its active
    memberships for the participant: for callers that load memberships in bulk (lists, koers tick)."""
    memberships = tuple(memberships)
    if not roles & CASE_ROLES:
        return NO_GRANT
    if is_regie:
        scope = _regie_scope(roles)
        basis = LegalBasis.REGIE
    else:
        if not memberships:
            return NO_GRANT
        scope = frozenset()
        for m in memberships:
            scope |= membership_scope(m)
        basis = ",".join(sorted({m.legal_basis for m in memberships}))
    read = scope & _union(ROLE_READ, roles)
    return Grant(
        read=read,
        write=read & _union(ROLE_WRITE, roles),
        legal_basis=basis,
        is_regie=is_regie,
        is_regisseur=is_regie and Role.REGISSEUR in roles,
        memberships=memberships,
    )


def grant_for(user, participant) -> Grant:
    """The categories this user may see and change of this participant (one query for partners)."""
    roles = _roles(user)
    if not roles & CASE_ROLES:
        return NO_GRANT
    if participant.regie_organisation_id == user.organisation_id:
        return grant_from(roles, True, ())
    return grant_from(roles, False, participant.memberships.active().filter(organisation_id=user.organisation_id))


def grants_for_page(user, participants) -> dict[int, Grant]:
    """Grants for a page of participants in one query (for lists: cells the user may not see are masked)."""
    _participant, Membership = _participant_models()
    roles = _roles(user)
    participants = list(participants)
    partner_ids = [p.pk for p in participants if p.regie_organisation_id != user.organisation_id]
    by_participant: dict[int, list] = {}
    if partner_ids:
        for m in Membership.objects.active().filter(
            participant_id__in=partner_ids, organisation_id=user.organisation_id
        ):
            by_participant.setdefault(m.participant_id, []).append(m)
    return {
        p.pk: grant_from(roles, p.regie_organisation_id == user.organisation_id, by_participant.get(p.pk, ()))
        for p in participants
    }


def visible_among(user, participants) -> dict[int, Grant]:
    """The grants of those of ``participants`` the user may see; a participant missing from the result is not
    visible (the same rule as ``visible_participants``). For a short list narrowed by something else first (the
    members of one session): ``visible_participants`` as a subquery would list every participant the
    organisation may see (tens of thousands) to check a handful. One query, only for partners' participants.
    ``participants`` need ``pk`` and ``regie_organisation_id`` only."""
    if not works_with_participants(user) or not user.organisation.is_active:
        return {}
    return {pk: g for pk, g in grants_for_page(user, participants).items() if g.is_regie or g.memberships}


def category_q(user, category: str) -> Q:
    """A filter matching the participants of whom this user may see ``category``.

    AND it with a filter on a field of that category, so that filtering can never reveal data the user may
    not see (filtering a language provider's list on leerroute only searches where the trajectory is theirs).
    """
    _participant, Membership = _participant_models()
    roles = _roles(user)
    if category not in _union(ROLE_READ, roles):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    if category in _regie_scope(roles):
        q |= Q(regie_organisation_id=user.organisation_id)
    memberships = Membership.objects.active().filter(organisation_id=user.organisation_id, scope__contains=category)
    if category == C.SPECIAL:
        memberships = memberships.filter(legal_basis=LegalBasis.TOESTEMMING)
    return q | Q(pk__in=memberships.values("participant_id"))


def get_participant_or_404(user, pk, queryset: QuerySet | None = None):
    """The participant and the user's grant, or 404 when the user may not see them (no existence leak)."""
    Participant, _membership = _participant_models()
    pid = safe_id(pk)
    if pid is None:
        raise Http404("Deelnemer niet gevonden")
    try:
        participant = (
            visible_participants(user, queryset).select_related("regie_organisation", "regisseur").get(pk=pid)
        )
    except Participant.DoesNotExist as exc:
        raise NotVisible("Deelnemer niet gevonden", participant_id=pid) from exc
    grant = grant_for(user, participant)
    if C.IDENTITY not in grant.read:
        raise NotVisible("Deelnemer niet gevonden", participant_id=pid)
    return participant, grant


#: The largest id any supported database stores (a signed 64-bit integer); SQLite overflows above it.
MAX_ID = 2**63 - 1


def safe_id(value) -> int | None:
    """``value`` as a database id, or None when it is not a positive integer the database can hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def require_category(grant: Grant, category: str, *, write: bool = False) -> None:
    """404 when the grant does not cover the category (a page of data the user may not see does not exist)."""
    if category not in (grant.write if write else grant.read):
        raise NotVisible("Pagina niet gevonden")


#: Roles that run activities for their organisation (publish, enrol, register attendance).
ACTIVITY_ROLES = frozenset(
    {Role.REGISSEUR, Role.BEGELEIDER, Role.BRUGGENBOUWER, Role.TAALDOCENT, Role.JOBCOACH, Role.PROJECTLEIDER}
)


def can_manage_activities(user, provider_id: int) -> bool:
    """Publishing and changing activities, groups and sessions of a provider: its own staff only."""
    return user.organisation_id == provider_id and bool(_roles(user) & ACTIVITY_ROLES)


def can_enrol(user, grant: Grant, provider_id: int) -> bool:
    """Enrolling a participant (trajectory data) in a provider's activity: the regie organisation's
    regisseur, or the provider's own staff, provided they may see the participant's trajectory."""
    if C.TRAJECTORY not in grant.read:
        return False
    return grant.is_regisseur or can_manage_activities(user, provider_id)


#: What a provider sees of a participant it runs an activity for, at most (never special categories).
ENROLMENT_SCOPE = frozenset({C.IDENTITY, C.TRAJECTORY, C.LANGUAGE})
#: How long a provider keeps access after the enrolment ended: to register the last attendance and the final level.
ENROLMENT_GRACE_DAYS = 14


def enrolment_access(participant, provider) -> dict | None:
    """The membership a provider gets when the participant is enrolled in one of its activities by the regie
    organisation, or None when its access already covers the activity (its own participant, or an active
    membership covering identity and trajectory).

    The legal basis is the trajectory's: the municipality's legal task (``wettelijke_taak``), for the data the
    provider needs to run the activity (identity, trajectory for attendance, language), as far as the default
    scope of its kind allows; special categories never. The caller (``activities.services.activities.enrol``)
    records it as a ``Membership`` with the enrolment, so it appears on the participant's access page and ends
    with the enrolment (``enrolment_access_until``)."""
    if provider.pk == participant.regie_organisation_id:
        return None
    _participant, Membership = _participant_models()
    covered: frozenset[str] = frozenset()
    for m in Membership.objects.active().filter(participant=participant, organisation_id=provider.pk):
        covered |= membership_scope(m)
    if {C.IDENTITY, C.TRAJECTORY} <= covered:
        return None
    scope = DEFAULT_SCOPE.get(provider.kind, DEFAULT_SCOPE[OrganisationKind.OVERIG]) & ENROLMENT_SCOPE
    return {"legal_basis": LegalBasis.WETTELIJKE_TAAK, "scope": scope | {C.IDENTITY, C.TRAJECTORY}}


def enrolment_access_until(ended_on):
    """The last day a provider's enrolment membership stays active after the enrolment ended."""
    return ended_on + timedelta(days=ENROLMENT_GRACE_DAYS)


def can_record_attendance(user, grant: Grant, provider_id: int) -> bool:
    """Registering attendance at a provider's session: the provider's staff, for participants whose
    trajectory they may see (a teacher does not get to change other trajectory data by this)."""
    return C.TRAJECTORY in grant.read and can_manage_activities(user, provider_id)


# --- Beheer: who administers staff, roles and organisations ----------------------------------------------------
#
# Two levels (docs/privacy.md, "Beheer"):
# - the *functional administrator* (role ``beheerder``) manages the staff, roles and contact details of their own
#   organisation, and nothing of any other organisation;
# - the *platform administrator* (Django ``is_superuser``, created with ``koers createsuperuser`` by whoever runs
#   Koers) creates organisations and manages staff of every organisation.
# Anything outside a user's reach is a 404, like every hidden object in Koers.

def is_platform_admin(user) -> bool:
    """The platform administrator: an active Django superuser."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and getattr(user, "is_superuser", False))


def can_manage_organisations(user) -> bool:
    """May open the beheer pages at all: a functional administrator (own organisation) or the platform admin."""
    return is_platform_admin(user) or (Role.BEHEERDER in _roles(user) and user.organisation.is_active)


def can_see_translations(user) -> bool:
    """The Vertalingen page (how complete and reviewed each language's catalogue is): whoever opens beheer."""
    return can_manage_organisations(user)


def can_create_organisations(user) -> bool:
    """New organisations, and an organisation's kind and active state, belong to the platform administrator."""
    return is_platform_admin(user)


def managed_organisations(user, queryset: QuerySet | None = None) -> QuerySet:
    """The organisations whose staff and roles ``user`` manages (all for the platform admin, else their own)."""
    qs = Organisation.objects.all() if queryset is None else queryset
    if is_platform_admin(user):
        return qs
    if not can_manage_organisations(user):
        return qs.none()
    return qs.filter(pk=user.organisation_id)


def can_manage_staff_of(user, organisation) -> bool:
    """May create, change, (de)activate staff of ``organisation`` and give them roles, reset mails and 2FA."""
    organisation_id = getattr(organisation, "pk", organisation)
    if organisation_id is None:
        return False
    if is_platform_admin(user):
        return True
    return can_manage_organisations(user) and organisation_id == user.organisation_id


def managed_staff(user, queryset: QuerySet | None = None) -> QuerySet:
    """The staff members ``user`` may manage: of the managed organisations, never a superuser unless the acting
    user is the platform administrator (a functional administrator cannot touch the platform admin)."""
    qs = User.objects.all() if queryset is None else queryset
    if is_platform_admin(user):
        return qs
    if not can_manage_organisations(user):
        return qs.none()
    return qs.filter(organisation_id=user.organisation_id, is_superuser=False)


def can_manage_staff_member(user, member) -> bool:
    if is_platform_admin(user):
        return True
    return (not member.is_superuser) and member.organisation_id is not None and can_manage_staff_of(
        user, member.organisation_id
    )


def security_events(user) -> QuerySet:
    """The security events (denied attempts, beheer actions) ``user`` may see on the Beveiliging page.

    The platform administrator sees all. A functional administrator sees what their own organisation's staff did
    (denied attempts and beheer actions), and the denied attempts of anyone on participants whose regie their
    organisation holds (another organisation probing our participants). Nothing for anyone else.
    """
    Participant, _membership = _participant_models()
    qs = AuditEvent.objects.filter(action__in=[AuditAction.DENIED, AuditAction.ADMIN])
    if is_platform_admin(user):
        return qs
    if not can_manage_organisations(user):
        return qs.none()
    own_participants = Participant.objects.filter(regie_organisation_id=user.organisation_id).values("pk")
    return qs.filter(
        Q(organisation_id=user.organisation_id)
        | Q(action=AuditAction.DENIED, participant_id__in=own_participants)
    )


# --- Special-category (health) data: a property of the data, not of a page ----------------------------------
#
# Codes are classified once in ``codes.SPECIAL_CODES``; free-text notes carry their own ``*_is_special`` flag.
# Every rendering path asks these helpers before showing a code or note, and every service asks them before
# recording one. Writing into a protected note is allowed (so people can protect what they type), reading it
# back needs the category.

#: What a user without the special category sees instead of a health reason or a protected note.
HIDDEN_REASON = "reden afgeschermd"
HIDDEN_NOTE = "afgeschermde notitie"


def is_special_code(kind: str, code) -> bool:
    """True when ``code`` of code list ``kind`` ("dropout_reason", "barrier", "life_domain") is health data."""
    return bool(code) and str(code) in SPECIAL_CODES[kind]


def category_of_dropout_reason(code) -> str:
    """The data category of a dropout reason: special for health reasons, trajectory otherwise."""
    return C.SPECIAL if is_special_code("dropout_reason", code) else C.TRAJECTORY


def may_see_special(grant: Grant) -> bool:
    return C.SPECIAL in grant.read


def may_record_special(grant: Grant) -> bool:
    """Recording a health code needs the category for writing (a note may be *marked* special by anyone)."""
    return C.SPECIAL in grant.write


def dropout_reason_choices(grant: Grant, choices):
    """The dropout reasons a user may choose: without the special category, no health reasons."""
    if may_record_special(grant):
        return list(choices)
    return [(value, label) for value, label in choices if not is_special_code("dropout_reason", value)]


def show_dropout_reason(grant: Grant, code, label: str = "") -> str:
    """The label to show for a dropout reason, or ``HIDDEN_REASON`` when it is health data the grant does not
    cover. Empty when there is no reason."""
    if not code:
        return ""
    if is_special_code("dropout_reason", code) and not may_see_special(grant):
        return HIDDEN_REASON
    if label:
        return label
    return dict(DropoutReason.choices).get(str(code), str(code))


def note_is_special(note_is_special: bool, code=None) -> bool:
    """A note is special when marked so, or when it explains a health reason."""
    return bool(note_is_special) or is_special_code("dropout_reason", code)


def show_note(grant: Grant, note: str, is_special: bool) -> str:
    """The note text, ``HIDDEN_NOTE`` for a protected note the grant does not cover, or empty."""
    if not note:
        return ""
    if is_special and not may_see_special(grant):
        return HIDDEN_NOTE
    return note


def role_allows_special(user) -> bool:
    """For records without a participant in Koers (imported monitoring trajectories, known by an extern id only):
    whether the user's roles may ever change special-category data. With a participant, use their grant."""
    return C.SPECIAL in _union(ROLE_WRITE, _roles(user))


# --- Who is involved with a participant (owners of action items, plan steps, contacts; joint intakes) ---------

def involved_organisation_ids(participant) -> list[int]:
    """The regie organisation and every organisation with an active membership, regie first."""
    _participant, Membership = _participant_models()
    partners = (
        Membership.objects.active()
        .filter(participant=participant)
        .exclude(organisation_id=participant.regie_organisation_id)
        .values_list("organisation_id", flat=True)
    )
    return [participant.regie_organisation_id, *sorted(set(partners))]


def involved_organisations(participant) -> QuerySet:
    return Organisation.objects.filter(pk__in=involved_organisation_ids(participant), is_active=True).order_by(
        "name"
    )


def involved_staff(participant) -> QuerySet:
    """Active staff of involved organisations who work with participants (roles with a case role)."""
    return (
        User.objects.filter(
            organisation_id__in=involved_organisation_ids(participant),
            organisation__is_active=True,
            is_active=True,
            roles__role__in=sorted(CASE_ROLES),
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "first_name", "last_name", "username")
    )


def organisation_may_see(participant, organisation_id: int, category: str) -> bool:
    """Whether an involved organisation's legal basis covers this category of the participant's data.

    The regie organisation always does (its regisseurs see everything); a partner through the scope of its
    active memberships, as this policy reads it.
    """
    if organisation_id == participant.regie_organisation_id:
        return True
    _participant, Membership = _participant_models()
    memberships = Membership.objects.active().filter(participant=participant, organisation_id=organisation_id)
    return any(category in membership_scope(m) for m in memberships)


# --- Grants and staff in bulk (matching, the daily tick, coach choice): the same rules, loaded once -----------

def may_write_somewhere(user, category: str) -> bool:
    """Whether any of the user's roles may ever change ``category`` (before looking at a participant)."""
    return category in _union(ROLE_WRITE, _roles(user))


def grant_with(user, participant, memberships: Iterable) -> Grant:
    """The user's grant on the participant from memberships loaded in bulk (only the user's organisation's
    active memberships count; the caller loaded them for many participants at once)."""
    roles = _roles(user)
    if participant.regie_organisation_id == user.organisation_id:
        return grant_from(roles, True, ())
    return grant_from(roles, False, [m for m in memberships if m.organisation_id == user.organisation_id])


def grant_resolver(user, participants: QuerySet):
    """A function ``(participant_id, regie_organisation_id) -> Grant`` for every participant of ``participants``
    (a queryset the user may see), with one query for the organisation's active memberships among them.
    Grants are shared between participants with the same memberships, so 100,000 rows build a handful."""
    _participant, Membership = _participant_models()
    roles = _roles(user)
    org_id = user.organisation_id
    regie_grant = grant_from(roles, True, ())
    partner: dict[int, list] = {}
    memberships = Membership.objects.active().filter(
        organisation_id=org_id, participant_id__in=participants.values("pk")
    )
    for ms in memberships.only("participant_id", "scope", "legal_basis"):
        partner.setdefault(ms.participant_id, []).append(ms)
    by_scope: dict[tuple, Grant] = {}

    def grant_of(participant_id: int, regie_organisation_id: int) -> Grant:
        if regie_organisation_id == org_id:
            return regie_grant
        ms = partner.get(participant_id, ())
        key = tuple(sorted((x.scope, x.legal_basis) for x in ms))
        if key not in by_scope:
            by_scope[key] = grant_from(roles, False, ms)
        return by_scope[key]

    return grant_of


def staff_who_may_see(participant, category: str, roles: Iterable[str]) -> QuerySet:
    """Active staff with one of ``roles`` that may read ``category`` of the participant: of the regie
    organisation, and of partners whose active membership covers the category."""
    _participant, Membership = _participant_models()
    partner_orgs = [
        m.organisation_id for m in Membership.objects.active().filter(participant=participant)
        if category in membership_scope(m)
    ]
    readers = [r for r in roles if category in ROLE_READ.get(r, ())]
    return User.objects.filter(
        Q(organisation_id=participant.regie_organisation_id) | Q(organisation_id__in=partner_orgs),
        organisation__is_active=True, is_active=True, roles__role__in=readers,
    ).distinct()
