"""Groups of a group activity: the writes (forming a group, moving members). The feasibility check and the reads:
queries/groups.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from koers.activities.models import Activity, Enrolment, Group
from koers.activities.queries.groups import members_with_grants, visible_enrolments
from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction


def _require_manager(user, activity: Activity) -> None:
    if not access.can_manage_activities(user, activity.provider_id):
        raise Http404("Activiteit niet gevonden")


def create_group(user, activity: Activity, name: str, enrolment_ids: Iterable[int] = (), *, request=None) -> Group:
    """A new group of a group activity, optionally with its first members (e.g. from a suggestion)."""
    _require_manager(user, activity)
    name = (name or "").strip()
    if not activity.is_group:
        raise ValidationError("Dit is geen groepsactiviteit: groepen zijn niet nodig.")
    if not name:
        raise ValidationError({"name": "Geef de groep een naam."})
    name_field = Group._meta.get_field("name")
    if len(name) > name_field.max_length:  # before the case-insensitive lookup (SQLite refuses huge LIKE patterns)
        raise ValidationError({"name": f"Gebruik voor de naam ten hoogste {name_field.max_length} tekens."})
    with transaction.atomic():
        if activity.groups.filter(name__iexact=name).exists():
            raise ValidationError({"name": f"Er is al een groep ‘{name}’ bij deze activiteit."})
        group = Group.objects.create(activity=activity, name=name, created_by=user)
        if enrolment_ids:
            add_members(user, group, enrolment_ids, request=request)
    return group


def add_members(user, group: Group, enrolment_ids: Iterable[int], *, request=None) -> list[Enrolment]:
    """Put enrolments in the group (moving them from another group of the same activity). Every enrolment must
    take part in this activity and be of a participant whose trajectory the user may see; else nothing
    changes."""
    activity = group.activity
    _require_manager(user, activity)
    ids = {int(i) for i in enrolment_ids}
    if not ids:
        raise ValidationError("Kies minstens één deelnemer.")
    with transaction.atomic():
        members = members_with_grants(
            user, visible_enrolments(user, activity).filter(pk__in=ids).select_for_update(of=("self",))
        )
        allowed = [m for m in members if Category.TRAJECTORY in m.grant.read]
        if len(allowed) != len(ids):
            raise ValidationError(
                "Een of meer gekozen deelnemers staan niet (meer) ingeschreven voor deze activiteit, of u mag hun "
                "traject niet inzien. Er is niets gewijzigd."
            )
        enrolments = [m.enrolment for m in allowed]
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(group=group)
        for e in enrolments:
            e.group = group
        audit.record_many(
            user, [(m.enrolment.participant_id, Category.TRAJECTORY, m.grant.legal_basis) for m in allowed],
            AuditAction.UPDATE, detail=f"Ingedeeld in groep {group.name} ({activity.title})", request=request,
        )
    return enrolments


def remove_member(user, group: Group, enrolment_id, *, request=None) -> Enrolment:
    activity = group.activity
    _require_manager(user, activity)
    with transaction.atomic():
        try:
            [member] = members_with_grants(
                user, visible_enrolments(user, activity, group=group).filter(pk=int(enrolment_id))
            )
        except (ValueError, TypeError) as exc:
            raise ValidationError("Deze deelnemer zit niet in deze groep.") from exc
        if Category.TRAJECTORY not in member.grant.read:
            raise ValidationError("Deze deelnemer zit niet in deze groep.")
        Enrolment.objects.filter(pk=member.enrolment.pk).update(group=None)
        audit.record(user, member.enrolment.participant_id, Category.TRAJECTORY, AuditAction.UPDATE,
                     legal_basis=member.grant.legal_basis, detail=f"Uit groep {group.name} gehaald ({activity.title})",
                     request=request)
    member.enrolment.group = None
    return member.enrolment
