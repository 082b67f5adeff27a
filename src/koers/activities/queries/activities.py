"""Reads of the catalogue and of enrolments. Participant data always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koers.activities.models import Activity, Enrolment, Group
from koers.activities.queries.groups import TAKING_PART
from koers.core import access
from koers.core.codes import (
    LEVEL_ORDER,
    ActivityKind,
    Category,
    EnrolmentStatus,
    LanguageSkill,
    Role,
)
from koers.participants.models import Participant
from koers.participants.validators import normalise_name

#: Enrolments that take up time in a week: planned (aangemeld) and running (actief).
SCHEDULED = (EnrolmentStatus.AANGEMELD, EnrolmentStatus.ACTIEF)


# --- Catalogue ------------------------------------------------------------------------------------------


def catalogue(user) -> QuerySet:
    """Published activities, and every activity of the user's own organisation (also unpublished)."""
    return Activity.objects.filter(Q(is_published=True) | Q(provider_id=user.organisation_id))


def filter_catalogue(user, filters: dict) -> QuerySet:
    qs = catalogue(user)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("provider"):
        qs = qs.filter(provider_id=filters["provider"])
    if filters.get("language"):
        qs = qs.filter(language=filters["language"])
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(theme__icontains=text) | Q(description__icontains=text))
    if filters.get("current"):
        qs = qs.filter(end_date__gte=timezone.localdate())
    return (
        qs.select_related("provider")
        .annotate(enrolled=Count("enrolments", filter=Q(enrolments__status__in=SCHEDULED)))
        .order_by("title", "id")
    )


def get_activity_or_404(user, pk, *, manage: bool = False) -> Activity:
    """An activity in the user's catalogue; with ``manage`` only one the user may change (else 404)."""
    try:
        activity = catalogue(user).select_related("provider", "follows", "created_by").get(pk=int(pk))
    except (ValueError, TypeError, Activity.DoesNotExist) as exc:
        raise Http404("Activiteit niet gevonden") from exc
    if manage and not access.can_manage_activities(user, activity.provider_id):
        raise Http404("Activiteit niet gevonden")
    return activity


def enrolled_count(activity: Activity) -> int:
    """How many people are enrolled (planned or running): a number, not participant data."""
    return activity.enrolments.filter(status__in=SCHEDULED).count()


@dataclass
class EnrolmentRow:
    enrolment: Enrolment
    grant: access.Grant
    can_change: bool


def activity_enrolments(user, activity: Activity) -> list[EnrolmentRow]:
    """The enrolments of an activity whose participant this user may see, with their trajectory."""
    visible = access.visible_participants(user).filter(access.category_q(user, Category.TRAJECTORY))
    enrolments = list(
        activity.enrolments.filter(participant__in=visible.values("pk"))
        .select_related("participant", "group", "enrolled_by")
        .order_by("participant__name_search", "start_date", "id")
    )
    grants = access.grants_for_page(user, {e.participant_id: e.participant for e in enrolments}.values())
    rows = []
    for e in enrolments:
        grant = grants[e.participant_id]
        if grant.can_see(Category.TRAJECTORY):
            rows.append(EnrolmentRow(e, grant, access.can_enrol(user, grant, activity.provider_id)))
    return rows


def two_step_partners(activity: Activity) -> tuple[Activity | None, list[Activity]]:
    """The two-step model: the theme meeting this lesson follows, and the lessons that follow this one."""
    return activity.follows, list(activity.followed_by.select_related("provider").order_by("start_date", "title"))


def theme_meetings(user, exclude: int | None = None) -> QuerySet:
    """Theme meetings in the own language a Dutch lesson can follow (two-step model)."""
    qs = catalogue(user).filter(kind=ActivityKind.THEMA_EIGEN_TAAL).select_related("provider")
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("title", "id")


def enrolable_activities(user, grant: access.Grant) -> QuerySet:
    """Activities this user may enrol the participant in now: not yet ended; any provider's for the regisseur
    of the regie organisation, the own organisation's for a provider's staff (access.can_enrol)."""
    qs = catalogue(user).filter(end_date__gte=timezone.localdate())
    if not grant.is_regisseur:
        qs = qs.filter(provider_id=user.organisation_id) if access.can_manage_activities(
            user, user.organisation_id) else qs.none()
    return (
        qs
        .select_related("provider")
        .order_by("title", "id")
    )


def enrolable_groups(activities) -> list[Group]:
    """The groups of an activity (or of a queryset of activities) a new enrolment can be placed in, by
    activity and name; only activities run in groups."""
    if isinstance(activities, Activity):
        qs = Group.objects.filter(activity=activities) if activities.is_group else Group.objects.none()
    else:
        qs = Group.objects.filter(activity__in=activities.filter(is_group=True).values("pk"))
    return list(qs.select_related("activity").order_by("activity__title", "activity_id", "name", "id"))


def enrolable_participants(user, activity: Activity, text: str = "", limit: int = 100) -> tuple[QuerySet, list]:
    """Participants this user may enrol in this activity (queryset for validation, a short list to show).

    The regisseur of the regie organisation may enrol their participants anywhere; the provider's own staff
    may enrol the participants they are involved with (access.can_enrol)."""
    qs = access.visible_participants(user).filter(access.category_q(user, Category.TRAJECTORY))
    if not access.can_manage_activities(user, activity.provider_id):
        if not user.has_role(Role.REGISSEUR):
            return qs.none(), []
        qs = qs.filter(regie_organisation_id=user.organisation_id)
    shown = qs
    text = text.strip()[:100]  # a name, not a document: SQLite refuses LIKE patterns over 50,000 characters
    if text:
        shown = shown.filter(name_search__contains=normalise_name(text))
    return qs, list(shown.order_by("name_search", "id").only("id", "name", "regie_organisation_id")[:limit])


def participant_enrolments(participant: Participant) -> list[Enrolment]:
    return list(
        participant.enrolments.select_related("activity", "activity__provider", "group", "enrolled_by")
        .order_by("-start_date", "-id")
    )


def get_enrolment_or_404(user, pk) -> tuple[Enrolment, access.Grant]:
    """An enrolment of a participant the user may see the trajectory of, or 404."""
    try:
        enrolment = (
            Enrolment.objects.filter(participant__in=access.visible_participants(user).values("pk"))
            .select_related("participant", "activity", "activity__provider")
            .get(pk=int(pk))
        )
    except (ValueError, TypeError, Enrolment.DoesNotExist) as exc:
        raise Http404("Inschrijving niet gevonden") from exc
    grant = access.grant_for(user, enrolment.participant)
    if not grant.can_see(Category.TRAJECTORY):
        raise Http404("Inschrijving niet gevonden")
    return enrolment, grant


# --- Entry requirements ---------------------------------------------------------------------------------


def requirement_gaps(participant: Participant, required_levels: dict, *, may_see_levels: bool = True) -> list[str]:
    """Why the participant does not meet an activity's entry requirements (Dutch, one line per skill).

    An unknown level counts as not meeting the requirement. A user who may not see the participant's language
    levels gets the requirement without the current level (and must justify the enrolment all the same)."""
    gaps = []
    for skill, label in LanguageSkill.choices:
        needed = (required_levels or {}).get(skill)
        if needed not in LEVEL_ORDER:
            continue
        if not may_see_levels:
            gaps.append(f"{needed} {label.lower()} vereist; u kunt het taalniveau van de deelnemer niet inzien")
            continue
        current = participant.level(skill)
        if current not in LEVEL_ORDER:
            gaps.append(f"{needed} {label.lower()} vereist, nu onbekend")
        elif LEVEL_ORDER[current] < LEVEL_ORDER[needed]:
            gaps.append(f"{needed} {label.lower()} vereist, nu {current}")
    return gaps


def requirement_labels(required_levels: dict) -> list[str]:
    return [
        f"{required_levels[skill]} {label.lower()}"
        for skill, label in LanguageSkill.choices
        if (required_levels or {}).get(skill) in LEVEL_ORDER
    ]


def running_after(participant_id: int, on: date):
    """The participant's enrolments that still run after ``on`` (signed up or active, no end or a later end):
    what closing the trajectory on ``on`` ends."""
    return (
        Enrolment.objects.filter(participant_id=participant_id, status__in=TAKING_PART)
        .exclude(end_date__lte=on).select_related("activity__provider").order_by("start_date", "id")
    )
