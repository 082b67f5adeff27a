"""Reads of action items, always through the access policy (koers.core.access).

An action item belongs to the data category of its life domain (``DOMAIN_CATEGORY``); one without a domain
belongs to the trajectory. A user sees an action item only when they may see the participant *and* that
category of the participant's data: an action item on mental health is health data.

``check_action`` (the problems with a new action item, per field) reads only; the services, the forms and the
casusoverleg's decisions all ask it, so the rule is in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone

from koers.casework.models import ActionItem
from koers.core import access
from koers.core.codes import DOMAIN_CATEGORY, SPECIAL_DOMAINS, ActionStatus, Category, LifeDomain, Role
from koers.core.models import Organisation, User
from koers.participants.models import Participant

RUNNING = (ActionStatus.OPEN, ActionStatus.BEZIG)

NOT_INVOLVED_ORG = (
    "Deze organisatie is niet betrokken bij het traject van de deelnemer. Kies de regie-organisatie of een "
    "organisatie die als partner is toegevoegd."
)

NO_OWNER = "Kies de organisatie die het actiepunt uitvoert: een actiepunt zonder eigenaar raakt zoek."


def category_of(domain: str) -> str:
    """The data category of an action item on this life domain (trajectory when it has none)."""
    return DOMAIN_CATEGORY.get(domain, Category.TRAJECTORY) if domain else Category.TRAJECTORY


def _domains_of(category: str) -> list[str]:
    return [str(d) for d, c in DOMAIN_CATEGORY.items() if c == category]


def visible_action_items(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every action item query starts here: participants the user may see, categories the user may see."""
    qs = ActionItem.objects.all() if queryset is None else queryset
    qs = qs.filter(participant__in=access.visible_participants(user))
    allowed = Q(pk__in=[])
    for category in Category.values:
        of_category = Q(domain__in=_domains_of(category))
        if category == Category.TRAJECTORY:
            of_category |= Q(domain="")
        readable = Participant.objects.filter(access.category_q(user, category)).values("pk")
        allowed |= of_category & Q(participant__in=readable)
    return qs.filter(allowed)


def _for_list(qs: QuerySet) -> QuerySet:
    """Running items first, then by due date; with what a list row shows, in one query."""
    return (
        qs.select_related(
            "participant", "owner_organisation", "assignee", "source_contact", "source_goal",
            "source_meeting_item__meeting",
        )
        .only(
            "id", "title", "description", "domain", "status", "due_date", "completed_at", "created_at",
            "escalated_at", "source_intake_id", "participant__id", "participant__name",
            "participant__regie_organisation_id", "participant__regisseur_id",
            "owner_organisation__id", "owner_organisation__name", "assignee__id", "assignee__first_name",
            "assignee__last_name", "assignee__username", "owner_organisation_id", "assignee_id",
            "participant_id", "source_contact__id", "source_contact__kind", "source_contact__happened_at",
            "source_contact__is_special", "source_goal__id", "source_goal__title", "source_goal__domain",
            "source_meeting_item__id", "source_meeting_item__meeting__id", "source_meeting_item__meeting__date",
            "source_meeting_item__meeting__title",
        )
        .annotate(
            running=Case(When(status__in=RUNNING, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("running", "due_date", "id")
    )


def get_action_item_or_404(user, item_id) -> ActionItem:
    """An action item the user may see, or 404."""
    try:
        return visible_action_items(user).select_related("participant", "owner_organisation").get(
            pk=int(item_id)
        )
    except (ValueError, TypeError, ActionItem.DoesNotExist) as exc:
        raise Http404("Actiepunt niet gevonden") from exc


def filter_status(qs: QuerySet, status: str) -> QuerySet:
    """``lopend`` (open or bezig, the default), ``alle``, or one status code."""
    if status == "alle":
        return qs
    if status in ActionStatus.values:
        return qs.filter(status=status)
    return qs.filter(status__in=RUNNING)


def my_action_items(user, status: str = "alle") -> QuerySet:
    return _for_list(filter_status(visible_action_items(user).filter(assignee=user), status))


def organisation_action_items(user, status: str = "lopend") -> QuerySet:
    if user.organisation_id is None:
        return ActionItem.objects.none()
    return _for_list(
        filter_status(visible_action_items(user).filter(owner_organisation_id=user.organisation_id), status)
    )


def participant_action_items(participant: Participant, grant: access.Grant) -> list[ActionItem]:
    """A participant's action items the grant covers (the participant was already checked with the policy)."""
    return list(_for_list(ActionItem.objects.filter(participant=participant, domain__in=readable_domains(grant))))


def overdue_for_regisseur(user) -> QuerySet:
    """Overdue running action items that escalate to this regisseur: of the participants they direct, and of
    the participants of their regie organisation that have no regisseur yet. Only items the user may see.
    ``koers tick`` marks them ``escalated_at`` and mails; this is the list the regisseur works from."""
    if user.organisation_id is None or not user.has_role(Role.REGISSEUR):
        return ActionItem.objects.none()
    mine = Q(participant__regisseur=user) | Q(
        participant__regisseur__isnull=True, participant__regie_organisation_id=user.organisation_id
    )
    return _for_list(
        visible_action_items(user).filter(mine, status__in=RUNNING, due_date__lt=timezone.localdate())
    ).order_by("due_date", "id")


@dataclass(frozen=True)
class Source:
    """What created an action item, as a page shows it: a label and, where the user may open it, a link."""

    label: str
    url: str = ""


def source_of(item: ActionItem, grant: access.Grant | None) -> Source | None:
    """The contact, intake, plan goal or case meeting decision an item came from (None when typed in).
    A special contact or a health goal is named without detail to whoever may not see special data."""
    special = grant is not None and grant.special
    pk = item.participant_id
    if item.source_contact_id:
        c = item.source_contact
        if c is None or (c.is_special and not special):
            return Source("Uit een contactmoment")
        when = formats.date_format(timezone.localtime(c.happened_at), "j F Y")
        return Source(f"Uit contact ({c.get_kind_display().lower()}) van {when}",
                      reverse("casework:contact_detail", kwargs={"pk": pk, "contact_id": c.pk}))
    if item.source_goal_id:
        g = item.source_goal
        if g is None or (g.domain in SPECIAL_DOMAINS and not special):
            return Source("Uit het plan", reverse("plans:plan", kwargs={"pk": pk}))
        return Source(f"Uit plandoel ‘{g.title}’", reverse("plans:plan", kwargs={"pk": pk}))
    if item.source_meeting_item_id:
        m = item.source_meeting_item.meeting if item.source_meeting_item else None
        if m is None:
            return Source("Besluit in een casusoverleg")
        try:
            url = reverse("casework:meeting_detail", kwargs={"pk": m.pk})
        except NoReverseMatch:
            url = ""
        return Source(f"Besluit in {m.title.lower() if m.title == 'Casusoverleg' else m.title} van "
                      f"{formats.date_format(m.date, 'j F Y')}", url)
    if item.source_intake_id:
        return Source("Uit de brede intake", reverse("participants:intake_detail",
                                                     kwargs={"pk": pk, "intake_id": item.source_intake_id}))
    return None


def readable_domains(grant: access.Grant) -> list[str]:
    """Domain codes (and "" for none) whose action items and intake notes the grant lets one see."""
    domains = [str(d) for d, c in DOMAIN_CATEGORY.items() if c in grant.read]
    return domains + [""] if Category.TRAJECTORY in grant.read else domains


def can_change_status(user, item: ActionItem) -> bool:
    """The assignee, or anyone of the owner organisation (who may see the item: the caller checked that)."""
    return item.assignee_id == user.pk or (
        user.organisation_id is not None and item.owner_organisation_id == user.organisation_id
    )


def _subject(domain: str) -> str:
    return f"het leefdomein {LifeDomain(domain).label.lower()}" if domain in LifeDomain.values else "het traject"


def check_action(
    participant: Participant,
    *,
    domain: str,
    owner_organisation: Organisation | None,
    assignee: User | None,
    due_date: date | None,
    involved_ids: list[int] | None = None,
) -> dict[str, str]:
    """The problems with an action item, per field (empty when it may be created). Dutch messages."""
    errors: dict[str, str] = {}
    category = category_of(domain)
    involved = involved_ids if involved_ids is not None else access.involved_organisation_ids(participant)
    if owner_organisation is None:
        errors["owner_organisation"] = NO_OWNER
    elif owner_organisation.pk not in involved or not owner_organisation.is_active:
        errors["owner_organisation"] = NOT_INVOLVED_ORG
    elif not access.organisation_may_see(participant, owner_organisation.pk, category):
        errors["owner_organisation"] = (
            f"{owner_organisation} mag de gegevens over {_subject(domain)} niet inzien. "
            "Kies een organisatie die deze gegevens mag inzien."
        )
    if assignee is not None and "owner_organisation" not in errors:
        if assignee.organisation_id != owner_organisation.pk:
            errors["assignee"] = (
                f"{assignee} werkt niet bij {owner_organisation}. Kies een medewerker van die organisatie, "
                "of laat het veld leeg."
            )
        elif not assignee.is_active or not access.grant_for(assignee, participant).can_see(category):
            errors["assignee"] = (
                f"{assignee} kan dit actiepunt niet inzien. Kies een andere medewerker, of laat het veld leeg."
            )
    if due_date is None:
        errors["due_date"] = "Vul de datum in waarop het actiepunt klaar moet zijn."
    elif due_date < timezone.localdate():
        errors["due_date"] = "Deze datum ligt in het verleden. Kies vandaag of een latere datum."
    return errors
