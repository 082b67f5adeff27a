"""What differs between two plan versions (goals, steps and agreements added, removed or changed).

Content is matched across versions by its ``lineage`` key, which a copy keeps. Health-domain goals (and their
steps) are left out for a viewer whose grant does not cover special-category data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from koers.core.codes import Category
from koers.plans.models import Agreement, Goal, PlanVersion, Step, domain_category

ADDED, REMOVED, CHANGED = "toegevoegd", "verwijderd", "gewijzigd"


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def header_fields(version: PlanVersion) -> dict[str, str]:
    return {
        "soort plan": version.get_kind_display(),
        "datum plan": _date(version.plan_date),
        "stip op de horizon": version.long_term_goal,
    }


def goal_fields(goal: Goal) -> dict[str, str]:
    return {
        "leefdomein": goal.get_domain_display(),
        "doel": goal.title,
        "toelichting": goal.description,
        "streefdatum": _date(goal.due_date),
        "status": goal.get_status_display(),
        "volgend doel": goal.next_goal,
    }


def step_fields(step: Step) -> dict[str, str]:
    return {
        "stap": step.description,
        "wie": step.owner_label,
        "klaar op": _date(step.due_date),
        "status": step.get_status_display(),
    }


def agreement_fields(agreement: Agreement) -> dict[str, str]:
    return {"afspraak": agreement.text}


def changed_fields(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(k, before.get(k, ""), after.get(k, "")) for k in after if before.get(k, "") != after.get(k, "")]


@dataclass
class Change:
    kind: str  # toegevoegd | verwijderd | gewijzigd
    what: str  # Plan | Doel | Stap | Afspraak
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    category: str = Category.TRAJECTORY


@dataclass
class VersionDiff:
    old: PlanVersion
    new: PlanVersion
    changes: list[Change]

    @property
    def counts(self) -> dict[str, int]:
        result = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for c in self.changes:
            result[c.kind] += 1
        return result


def _items(version: PlanVersion):
    goals = {g.lineage: g for g in version.goals.all()}
    steps = {s.lineage: (g, s) for g in goals.values() for s in g.steps.all()}
    agreements = {a.lineage: a for a in version.agreements.all()}
    return goals, steps, agreements


def diff_versions(old: PlanVersion, new: PlanVersion, readable: frozenset[str]) -> VersionDiff:
    """The changes from ``old`` to ``new`` that a viewer with these readable categories may see.

    Both versions should have ``goals__steps__owner_organisation``, ``goals__steps__owner_user`` and
    ``agreements`` prefetched.
    """
    changes: list[Change] = []
    head = changed_fields(header_fields(old), header_fields(new))
    if head:
        changes.append(Change(CHANGED, "Plan", "Algemeen", head))
    old_goals, old_steps, old_agreements = _items(old)
    new_goals, new_steps, new_agreements = _items(new)

    def visible(goal: Goal) -> bool:
        return domain_category(goal.domain) in readable

    for key, goal in new_goals.items():
        cat = domain_category(goal.domain)
        before = old_goals.get(key)
        if before is None:
            if visible(goal):
                changes.append(Change(ADDED, "Doel", goal.title, changed_fields({}, goal_fields(goal)), cat))
        else:
            if not (visible(goal) and visible(before)):
                continue
            diff = changed_fields(goal_fields(before), goal_fields(goal))
            if diff:
                changes.append(Change(CHANGED, "Doel", goal.title, diff, cat))
    for key, goal in old_goals.items():
        if key not in new_goals and visible(goal):
            changes.append(Change(REMOVED, "Doel", goal.title, [], domain_category(goal.domain)))
    for key, (goal, step) in new_steps.items():
        if not visible(goal):
            continue
        cat = domain_category(goal.domain)
        label = f"{step.description} (doel: {goal.title})"
        before = old_steps.get(key)
        if before is None:
            changes.append(Change(ADDED, "Stap", label, changed_fields({}, step_fields(step)), cat))
        elif visible(before[0]):
            diff = changed_fields(step_fields(before[1]), step_fields(step))
            if diff:
                changes.append(Change(CHANGED, "Stap", label, diff, cat))
    for key, (goal, step) in old_steps.items():
        if key not in new_steps and visible(goal):
            changes.append(Change(REMOVED, "Stap", f"{step.description} (doel: {goal.title})", [],
                                  domain_category(goal.domain)))
    for key, agreement in new_agreements.items():
        before = old_agreements.get(key)
        if before is None:
            changes.append(Change(ADDED, "Afspraak", agreement.text[:80], [("afspraak", "", agreement.text)]))
        elif before.text != agreement.text:
            changes.append(Change(CHANGED, "Afspraak", agreement.text[:80],
                                  [("afspraak", before.text, agreement.text)]))
    for key, agreement in old_agreements.items():
        if key not in new_agreements:
            changes.append(Change(REMOVED, "Afspraak", agreement.text[:80]))
    return VersionDiff(old, new, changes)
