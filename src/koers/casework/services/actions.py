"""Every write to action items: checked against the access policy, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.casework.models import ActionItem
from koers.casework.queries import actions as queries
from koers.core import access, audit
from koers.core.access import Grant, require_category
from koers.core.codes import ActionStatus, Category
from koers.core.models import AuditAction, Organisation, User
from koers.participants.models import Participant

#: The status changes a user can make. Finished items can be reopened (a mistake, or it came back).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.OPEN: (ActionStatus.BEZIG, ActionStatus.AFGEROND, ActionStatus.VERVALLEN),
    ActionStatus.BEZIG: (ActionStatus.AFGEROND, ActionStatus.VERVALLEN, ActionStatus.OPEN),
    ActionStatus.AFGEROND: (ActionStatus.OPEN,),
    ActionStatus.VERVALLEN: (ActionStatus.OPEN,),
}

@dataclass(frozen=True)
class ActionDraft:
    """One action item to create (from the intake's action plan or a single form)."""

    title: str
    owner_organisation_id: int
    due_date: date
    domain: str = ""
    description: str = ""
    assignee_id: int | None = None
    created_by_id: int | None = None


@transaction.atomic
def create_action_items(
    user, participant: Participant, grant: Grant, drafts: list[ActionDraft], *, source_intake=None,
    source_contact=None, source_goal=None, source_meeting_item=None, check_write: bool = True,
) -> list[ActionItem]:
    """Create action items; every one is checked again (involved organisation, assignee, date).

    ``source_*`` records what created them (the intake, a contact, a plan goal, a case meeting decision); the
    action item pages link back to it.

    ``check_write=False`` is for the intake's action plan, whose rows each colleague drafted under their own
    rights; the intake service checked the completing user's right to complete it.
    """
    require_category(grant, Category.TRAJECTORY, write=True)
    involved = access.involved_organisation_ids(participant)
    orgs = Organisation.objects.in_bulk({d.owner_organisation_id for d in drafts})
    users = User.objects.in_bulk({d.assignee_id for d in drafts if d.assignee_id})
    now = timezone.now()
    items = []
    for draft in drafts:
        category = queries.category_of(draft.domain)
        if check_write:
            require_category(grant, category, write=True)
        errors = queries.check_action(
            participant, domain=draft.domain, owner_organisation=orgs.get(draft.owner_organisation_id),
            assignee=users.get(draft.assignee_id) if draft.assignee_id else None, due_date=draft.due_date,
            involved_ids=involved,
        )
        if errors:
            raise ValidationError({f: [m] for f, m in errors.items()})
        items.append(ActionItem(
            participant=participant, title=draft.title, description=draft.description, domain=draft.domain,
            owner_organisation_id=draft.owner_organisation_id, assignee_id=draft.assignee_id,
            due_date=draft.due_date, source_intake=source_intake, source_contact=source_contact,
            source_goal=source_goal, source_meeting_item=source_meeting_item,
            created_by_id=draft.created_by_id or user.pk, created_at=now,
        ))
    ActionItem.objects.bulk_create(items)
    if items:
        audit.record(
            user, participant, {queries.category_of(i.domain) for i in items}, AuditAction.CREATE,
            legal_basis=grant.legal_basis,
            detail=f"{len(items)} actiepunt(en) aangemaakt" + _source_detail(
                source_intake, source_contact, source_goal, source_meeting_item),
        )
    return items


def _source_detail(intake, contact, goal, meeting_item) -> str:
    if intake is not None:
        return " bij de brede intake"
    if contact is not None:
        return " uit een contact"
    if goal is not None:
        return " bij een plandoel"
    if meeting_item is not None:
        return " als besluit in het casusoverleg"
    return ""


@transaction.atomic
def change_status(user, item: ActionItem, new_status: str, *, request=None) -> ActionItem:
    """Move an action item along (open → bezig → afgerond / vervallen); by its assignee or owner organisation."""
    item = queries.get_action_item_or_404(user, item.pk)  # checked again, inside the transaction
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("participant").get(pk=item.pk)
    if not queries.can_change_status(user, item):
        raise Http404("Actiepunt niet gevonden")
    if new_status not in TRANSITIONS.get(item.status, ()):
        raise ValidationError(
            f"Een actiepunt met status ‘{item.get_status_display().lower()}’ kan niet naar "
            f"‘{ActionStatus(new_status).label.lower() if new_status in ActionStatus.values else new_status}’."
        )
    old = item.get_status_display()
    item.status = new_status
    item.completed_at = timezone.now() if new_status in (ActionStatus.AFGEROND, ActionStatus.VERVALLEN) else None
    item.save(update_fields=["status", "completed_at"])
    grant = access.grant_for(user, item.participant)
    audit.record(
        user, item.participant, queries.category_of(item.domain), AuditAction.UPDATE,
        legal_basis=grant.legal_basis, request=request,
        detail=f"Actiepunt ‘{item.title}’: {old.lower()} → {item.get_status_display().lower()}",
    )
    return item


@transaction.atomic
def notify_regie(participant: Participant, *, title: str, description: str = "", created_by) -> ActionItem:
    """An action item for the regie organisation that no staff member drafted: something the participant did in
    Mijn Koers that the regisseur must act on (a withdrawn consent). Due today, for the participant's regisseur."""
    item = ActionItem.objects.create(
        participant=participant, title=title[:200], description=description,
        owner_organisation_id=participant.regie_organisation_id, assignee_id=participant.regisseur_id,
        due_date=timezone.localdate(), created_by=created_by, created_at=timezone.now(),
    )
    audit.record(created_by, participant, Category.TRAJECTORY, AuditAction.CREATE, legal_basis=access.OWN_BASIS,
                 detail=f"Actiepunt voor de regie: {item.title}")
    return item
