"""The last step of the brede intake: the summary and the action plan that becomes action items.

The intake itself (its steps, the conversation, the file sections and the life-domain notes) belongs to
``participants``; turning it into work belongs here. ``CaseworkConfig.ready()`` registers this step with
``participants.intake.register_closing_step``. The action plan is a draft on the intake (``Intake.action_plan``:
one row per proposed action item) until the intake is completed; completing creates the action items in the
same transaction, so a refused item completes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koers.core import audit
from koers.core.access import Grant, require_category
from koers.core.codes import Category, LifeDomain
from koers.core.models import AuditAction, Organisation, User
from koers.participants import intake as intake_steps
from koers.participants.models import Intake, Participant

from . import queries, services
from .models import ActionItem

# --- Reads: the plan rows of the step ------------------------------------------------------------------------

PLAN_FIELDS = ("domain", "title", "description", "owner_organisation", "assignee", "due_date")


def row_category(row: dict) -> str:
    return queries.category_of(row.get("domain") or "")


def split_plan(intake: Intake, grant: Grant) -> tuple[list[dict], list[dict]]:
    """The stored plan rows this user may edit, and those kept as they are (of domains they may not change)."""
    editable, kept = [], []
    for row in intake.action_plan or []:
        (editable if row_category(row) in grant.write else kept).append(row)
    return editable, kept


def proposed_rows(user, participant: Participant, grant: Grant, intake: Intake, default_org: int | None,
                  today: date | None = None) -> list[dict]:
    """One row per domain with support needed (that the user may write and that has no running action)."""
    today = today or timezone.localdate()
    running = set(
        ActionItem.objects.filter(participant=participant, status__in=queries.RUNNING)
        .values_list("domain", flat=True)
    )
    rows = []
    for code, note in sorted(intake_steps.domain_notes(intake, intake_steps.editable_domains(grant)).items(),
                             key=lambda kv: intake_steps.DOMAIN_ORDER[kv[0]]):
        support = note.support_needed.strip()
        if not support or code in running:
            continue
        first_line = support.splitlines()[0].strip()
        rows.append({
            "domain": code,
            "title": first_line if len(first_line) <= 200 else first_line[:199] + "…",
            "description": support[:2000],
            "owner_organisation": default_org,
            "assignee": None,
            "due_date": (today + timedelta(weeks=4)).isoformat(),
        })
    return rows


def initial_rows(user, participant: Participant, grant: Grant, intake: Intake, default_org: int | None):
    """The rows the last step starts with: the saved plan, or (never saved) the proposals."""
    if intake.action_plan is None:
        return proposed_rows(user, participant, grant, intake, default_org)
    editable, _kept = split_plan(intake, grant)
    return [{k: row.get(k) for k in PLAN_FIELDS} for row in editable]


def colleagues_rows(intake: Intake, grant: Grant) -> list[dict]:
    """Plan rows this user may read but not change (a colleague's part of a joint intake), for display."""
    _editable, kept = split_plan(intake, grant)
    rows = [dict(r) for r in kept if row_category(r) in grant.read]
    orgs = organisation_names(r.get("owner_organisation") for r in rows)
    people = user_names([r.get("assignee") for r in rows] + [r.get("by") for r in rows])
    for r in rows:
        r["organisation_name"] = orgs.get(r.get("owner_organisation"), "")
        r["assignee_name"] = people.get(r.get("assignee"), "")
        r["by_name"] = people.get(r.get("by"), "")
        r["domain_label"] = LifeDomain(r["domain"]).label if r.get("domain") in LifeDomain.values else ""
        r["due"] = date.fromisoformat(r["due_date"])
    return rows


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


# --- Writes -------------------------------------------------------------------------------------------------

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
    locked = intake_steps.lock_draft(intake)
    locked.action_plan = _merge_plan(locked, grant, drafts)
    locked.summary = summary.strip()
    locked.save(update_fields=["action_plan", "summary"])
    intake_steps.advance(locked, "afronden")
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
    locked = intake_steps.lock_draft(intake)
    plan = _merge_plan(locked, grant, drafts)
    moved = intake_steps.complete(user, participant, locked, summary, plan)
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


def organisation_names(ids) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))


def user_names(ids) -> dict[int, str]:
    return {u.pk: str(u) for u in User.objects.filter(pk__in=[i for i in ids if i])}


def detail(intake: Intake, grant: Grant) -> tuple[dict, set[str]]:
    """The action items this intake created that the viewer may see, for the intake page (and their categories)."""
    items = list(
        intake.action_items.filter(domain__in=queries.readable_domains(grant))
        .select_related("owner_organisation", "assignee").order_by("due_date", "id")
    )
    return {"items": items}, {queries.category_of(i.domain) for i in items}
