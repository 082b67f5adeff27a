"""Reads of the groups of a group activity: the activity or group a manager may see, the enrolments taking part,
the members with the user's grant, and the spec and profiles the feasibility check (``rules/groups.py``) judges.
Every read of participant data goes through ``core.access``; the writes are ``services/groups.py``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import Http404

from koers.activities.models import Activity, Enrolment, Group
from koers.activities.rules.groups import HIDDEN, WORK_ORIENTED, GroupSpec, MemberProfile, assess
from koers.activities.rules.schedule import slot_dagdelen
from koers.core import access, audit
from koers.core.codes import Category, EnrolmentStatus
from koers.core.models import AuditAction

#: Enrolments that take part (and can be put in a group).
TAKING_PART = (EnrolmentStatus.AANGEMELD, EnrolmentStatus.ACTIEF)


def group_spec(activity: Activity, slots: Iterable | None = None) -> GroupSpec:
    """What the feasibility check needs of the activity (its slots are loaded unless given)."""
    slots = activity.slots.all() if slots is None else slots
    return GroupSpec(
        min_size=activity.min_group_size,
        max_size=activity.max_group_size,
        dagdelen=frozenset(code for s in slots for code in slot_dagdelen(s.weekday, s.start_time, s.end_time)),
        work_oriented=activity.kind in WORK_ORIENTED,
    )


def member_profile(enrolment: Enrolment, grant: access.Grant) -> MemberProfile:
    """One (candidate) member as the check sees them: what the grant does not cover is ``HIDDEN``."""
    p = enrolment.participant
    return MemberProfile(
        key=enrolment.pk,
        name=p.name,
        level=p.level_spreken if Category.LANGUAGE in grant.read else HIDDEN,
        availability=p.availability if Category.TRAJECTORY in grant.read else HIDDEN,
        sectors=tuple(p.sector_interests or ()) if Category.WORK in grant.read else HIDDEN,
    )


def get_activity_for_manager_or_404(user, activity_id) -> Activity:
    """An activity whose groups and sessions this user manages (its provider's staff), or 404."""
    try:
        activity = Activity.objects.select_related("provider").get(pk=int(activity_id))
    except (ValueError, TypeError, Activity.DoesNotExist) as exc:
        raise Http404("Activiteit niet gevonden") from exc
    if not access.can_manage_activities(user, activity.provider_id):
        raise Http404("Activiteit niet gevonden")
    return activity


def get_group_for_manager_or_404(user, group_id) -> Group:
    try:
        group = Group.objects.select_related("activity", "activity__provider").get(pk=int(group_id))
    except (ValueError, TypeError, Group.DoesNotExist) as exc:
        raise Http404("Groep niet gevonden") from exc
    if not access.can_manage_activities(user, group.activity.provider_id):
        raise Http404("Groep niet gevonden")
    return group


def taking_part(activity: Activity):
    """Enrolments of the activity that take part (aangemeld or actief), whoever may see them."""
    return Enrolment.objects.filter(activity=activity, status__in=TAKING_PART)


def visible_enrolments(user, activity: Activity, *, group: Group | None = None, ungrouped: bool = False):
    """Taking-part enrolments of the activity whose participant the user may see, with participant loaded."""
    qs = taking_part(activity).filter(participant__in=access.visible_participant_ids(user))
    if group is not None:
        qs = qs.filter(group=group)
    if ungrouped:
        qs = qs.filter(group__isnull=True)
    return qs.select_related("participant", "group").order_by("participant__name_search", "id")


@dataclass
class Member:
    enrolment: Enrolment
    grant: access.Grant
    profile: MemberProfile


def members_with_grants(user, enrolments: Iterable[Enrolment]) -> list[Member]:
    """Enrolments with the user's grant for each participant (one query) and the profile the check uses."""
    enrolments = list(enrolments)
    grants = access.grants_for_page(user, [e.participant for e in enrolments])
    members = []
    for e in enrolments:
        grant = grants[e.participant_id]
        if Category.IDENTITY not in grant.read:
            continue
        members.append(Member(e, grant, member_profile(e, grant)))
    return members


def group_overview(user, activity: Activity) -> list[dict]:
    """Each group of the activity with its size (all members) and feasibility (from what the user may see)."""
    slots = list(activity.slots.all())
    spec = group_spec(activity, slots)
    groups = list(activity.groups.all())
    sizes = Counter(taking_part(activity).filter(group__isnull=False).values_list("group_id", flat=True))
    visible = members_with_grants(user, visible_enrolments(user, activity).filter(group__isnull=False))
    by_group: dict[int, list[Member]] = {}
    for m in visible:
        by_group.setdefault(m.enrolment.group_id, []).append(m)
    rows = []
    for g in groups:
        members = by_group.get(g.pk, [])
        hidden = sizes.get(g.pk, 0) - len(members)
        rows.append({
            "group": g, "size": sizes.get(g.pk, 0), "members": members,
            "feasibility": assess(spec, [m.profile for m in members], hidden_members=hidden),
        })
    return rows


def audit_members(user, members: Sequence[Member], *, detail: str, request=None, extra: Iterable[str] = ()) -> None:
    """One audit record per member and category shown (identity always; ``extra`` where the grant allows)."""
    entries = []
    for m in members:
        for category in (Category.IDENTITY, *extra):
            if category in m.grant.read:
                entries.append((m.enrolment.participant_id, category, m.grant.legal_basis))
    if entries:
        audit.record_many(user, entries, AuditAction.VIEW, detail=detail, request=request)
