"""The last step of the brede intake: the action plan's rows (proposals from the life domains, a colleague's rows) and
the action items an intake created. Writes: services/intake.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from koers.casework.models import ActionItem
from koers.casework.queries import actions as queries
from koers.core.access import Grant
from koers.core.codes import LifeDomain
from koers.core.models import Organisation, User
from koers.participants.models import Intake, Participant
from koers.participants.queries import intake as intake_steps_queries

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
    for code, note in sorted(intake_steps_queries.domain_notes(intake,
                                                               intake_steps_queries.editable_domains(grant)).items(),
                             key=lambda kv: intake_steps_queries.DOMAIN_ORDER[kv[0]]):
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
