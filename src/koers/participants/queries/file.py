"""Reads of participant data, always through the access policy (koers.core.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from koers.core import access
from koers.core.codes import SPECIAL_BARRIERS, Category, Role
from koers.core.models import AuditEvent, Organisation, User
from koers.participants.models import Membership, Participant, ParticipantChange
from koers.participants.rules.charts import language_chart
from koers.participants.validators import normalise_name

#: List filters and the data category each one searches in.
FILTER_FIELDS = {
    "fase": ("phase", Category.TRAJECTORY),
    "status": ("migration_status", Category.TRAJECTORY),
    "leerroute": ("learning_route", Category.TRAJECTORY),
    "taalniveau": ("level_spreken", Category.LANGUAGE),
    "regisseur": ("regisseur_id", Category.TRAJECTORY),
}


def filter_participants(user, filters: dict) -> QuerySet:
    """The participants this user may see, narrowed by the list filters.

    A filter on a field of category X only matches participants of whom the user may see X, so that a
    filter never reveals what a cell would hide.
    """
    qs = access.visible_participants(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(name_search__contains=normalise_name(q))
    conditions: dict[str, dict] = {}
    for key, (field, category) in FILTER_FIELDS.items():
        value = filters.get(key)
        if value not in (None, ""):
            conditions.setdefault(category, {})[field] = value
    org = filters.get("organisatie")
    if org:
        conditions.setdefault(Category.TRAJECTORY, {})
    for category, lookups in conditions.items():
        qs = qs.filter(access.category_q(user, category), **lookups)
    if org:
        qs = qs.filter(
            Q(regie_organisation_id=org)
            | Q(pk__in=Membership.objects.active().filter(organisation_id=org).values("participant_id"))
        )
    return qs


@dataclass
class Row:
    participant: Participant
    grant: access.Grant


def participant_page(user, filters: dict, page_number) -> tuple[Page, list[Row]]:
    qs = (
        filter_participants(user, filters)
        .select_related("regisseur", "regie_organisation")
        .order_by("name_search", "id")
        .only(
            "id",
            "name",
            "preferred_name",
            "date_of_birth",
            "phase",
            "learning_route",
            "level_spreken",
            "migration_status",
            "regie_organisation__name",
            "regisseur__first_name",
            "regisseur__last_name",
            "regisseur__username",
            "regie_organisation_id",
            "regisseur_id",
        )
    )
    paginator = Paginator(qs, settings.KOERS_PAGE_SIZE)
    page = paginator.get_page(page_number)
    items = list(page.object_list)
    grants = access.grants_for_page(user, items)
    return page, [Row(p, grants[p.pk]) for p in items]


def filter_choices(user) -> tuple[list[User], list[Organisation]]:
    """Regisseurs and organisations to filter on: those of the user's own world, not of others."""
    if not access.works_with_participants(user):
        return [], []
    regisseurs = list(
        User.objects.filter(organisation_id=user.organisation_id, is_active=True, roles__role=Role.REGISSEUR)
        .select_related(None)
        .distinct()
        .only("id", "first_name", "last_name", "username")
    )
    organisations = list(Organisation.objects.filter(is_active=True).only("id", "name"))
    return regisseurs, organisations


def participant_detail(participant: Participant, grant: access.Grant) -> dict:
    """Everything on the file page the grant allows, in a fixed number of queries."""
    ctx: dict = {}
    if Category.TRAJECTORY in grant:
        barriers = list(participant.barriers.all())
        ctx["barriers"] = [b for b in barriers if grant.special or b.code not in SPECIAL_BARRIERS]
        ctx["memberships"] = (
            list(
                participant.memberships.select_related("organisation", "added_by", "ended_by").order_by(
                    "ended_at", "-added_at"
                )
            )
            if grant.can_manage_access
            else list(participant.memberships.active().select_related("organisation"))
        )
    if Category.LANGUAGE in grant:
        ctx["assessments"] = list(participant.language_assessments.select_related("organisation")[:40])
        ctx["language_chart"] = language_chart(ctx["assessments"])
    if Category.WORK in grant:
        ctx["work_history"] = list(participant.work_history.all())
    return ctx


def visible_changes(
    participant: Participant, grant: access.Grant, limit: int = 50
) -> list[ParticipantChange]:
    return list(
        participant.changes.filter(category__in=grant.read).select_related("user", "organisation")[:limit]
    )


def audit_events(participant: Participant, filters: dict) -> QuerySet:
    qs = AuditEvent.objects.filter(participant_id=participant.pk).order_by("-at", "-id")
    if filters.get("organisatie"):
        qs = qs.filter(organisation_id=filters["organisatie"])
    if filters.get("van"):
        qs = qs.filter(at__date__gte=filters["van"])
    if filters.get("tot"):
        qs = qs.filter(at__date__lte=filters["tot"])
    return qs


def audit_organisations(participant: Participant) -> list[tuple[int, str]]:
    return list(
        AuditEvent.objects.filter(participant_id=participant.pk, organisation_id__isnull=False)
        .values_list("organisation_id", "organisation_name")
        .distinct()
        .order_by("organisation_name")
    )


def memberships(participant: Participant) -> QuerySet[Membership]:
    """Every membership of the participant, current ones first (newest first), with who added and ended it."""
    return participant.memberships.select_related("organisation", "added_by", "ended_by").order_by(
        "ended_at", "-added_at"
    )


# --- Duplicates at registration -------------------------------------------------------------------------------


def bsn_in_use(bsn: str, *, except_pk: int | None = None) -> bool:
    """Whether another participant anywhere in Koers has this BSN (the database allows one). Says nothing about
    who: the caller tells the user only that the number is taken."""
    qs = Participant.objects.filter(bsn=bsn)
    if except_pk:
        qs = qs.exclude(pk=except_pk)
    return qs.exists()


def possible_duplicates(user, name: str, date_of_birth) -> list[Participant]:
    """Participants this user may see with the same name (ignoring case and accents) and date of birth."""
    if not name or not date_of_birth:
        return []
    qs = access.visible_participants(user).filter(name_search=normalise_name(name), date_of_birth=date_of_birth)
    return list(qs.select_related("regie_organisation", "regisseur")[:5])
