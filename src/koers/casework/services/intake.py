"""The last step of the brede intake: saving the summary and action plan, and completing the intake (the action items
are created in the same transaction). Registered with participants.intake in CaseworkConfig.ready(). Reads:
queries/intake.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from koers.casework.models import ActionItem
from koers.casework.queries import actions as queries
from koers.casework.queries.intake import split_plan
from koers.casework.services import actions as services
from koers.core import audit
from koers.core.access import Grant, require_category
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.participants.models import Intake, Participant
from koers.participants.services import intake as intake_steps_services


def _row_from_draft(draft: services.ActionDraft) -> dict:
    return {
        "domain": draft.domain, "title": draft.title, "description": draft.description,
        "owner_organisation": draft.owner_organisation_id, "assignee": draft.assignee_id,
        "due_date": draft.due_date.isoformat(), "by": draft.created_by_id,
    }


def _draft_from_row(row: dict) -> services.ActionDraft:
    return services.ActionDraft(
        title=row["title"], description=row.get("description") or "", domain=row.get("domain") or "",
        owner_organisation_id=row["owner_organisation"], assignee_id=row.get("assignee"),
        due_date=date.fromisoformat(row["due_date"]), created_by_id=row.get("by"),
    )


def _merge_plan(intake: Intake, grant: Grant, drafts: list[services.ActionDraft]) -> list[dict]:
    _editable, kept = split_plan(intake, grant)
    for draft in drafts:
        require_category(grant, queries.category_of(draft.domain), write=True)
    return kept + [_row_from_draft(d) for d in drafts]


@transaction.atomic
def save_plan(user, participant: Participant, grant: Grant, intake: Intake, summary: str,
              drafts: list[services.ActionDraft]) -> Intake:
    """The last step, saved to continue later: summary and action plan (no action items yet)."""
    require_category(grant, Category.TRAJECTORY, write=True)
    locked = intake_steps_services.lock_draft(intake)
    locked.action_plan = _merge_plan(locked, grant, drafts)
    locked.summary = summary.strip()
    locked.save(update_fields=["action_plan", "summary"])
    intake_steps_services.advance(locked, "afronden")
    audit.record(user, participant, {Category.TRAJECTORY} | {queries.category_of(d.domain) for d in drafts},
                 AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail=f"Brede intake: samenvatting en {len(drafts)} voorgestelde actiepunt(en) opgeslagen")
    return locked


@transaction.atomic
def complete_intake(user, participant: Participant, grant: Grant, intake: Intake, summary: str,
                    drafts: list[services.ActionDraft]) -> list[ActionItem]:
    """Complete the intake: read-only from now, action items created, the participant into the trajectory.

    One transaction: when one action item is refused, nothing is completed or created. Completing an intake
    that is already completed raises IntakeClosed (no second set of action items).
    """
    require_category(grant, Category.TRAJECTORY, write=True)
    locked = intake_steps_services.lock_draft(intake)
    plan = _merge_plan(locked, grant, drafts)
    moved = intake_steps_services.complete(user, participant, locked, summary, plan)
    try:
        items = services.create_action_items(
            user, participant, grant, [_draft_from_row(r) for r in plan], source_intake=locked, check_write=False
        )
    except ValidationError as exc:
        raise ValidationError(
            "Een van de actiepunten van een collega is niet meer geldig (bijvoorbeeld een datum in het "
            "verleden of een organisatie die niet meer betrokken is). Vraag die collega het aan te passen."
        ) from exc
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail=f"Brede intake afgerond, {len(items)} actiepunt(en)"
                        + ("; fase naar traject" if moved else ""))
    return items
