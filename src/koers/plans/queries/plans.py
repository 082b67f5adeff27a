"""Reads of plans. The caller checked the participant with the access policy
(``access.get_participant_or_404``); here the grant decides which content shows: plan content is trajectory
data, goals on the health life domains are special-category data and left out for whoever may not see that.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from koers.core.access import Grant
from koers.core.codes import SPECIAL_DOMAINS, Category, LifeDomain
from koers.participants.models import Intake, IntakeStatus, Participant
from koers.participants.queries import intake as intake_queries
from koers.plans.models import (
    Goal,
    IntegrationRecord,
    PlanEdit,
    PlanVersion,
    Step,
    VersionStatus,
    domain_category,
)
from koers.plans.rules import leerroute as rules


def readable_domains(grant: Grant) -> list[str]:
    if Category.TRAJECTORY not in grant.read:
        return []
    return [d for d in LifeDomain.values if d not in SPECIAL_DOMAINS or Category.SPECIAL in grant.read]


def categories_shown(grant: Grant) -> set[str]:
    """The categories a plan page shows to this grant (for the audit record)."""
    return {c for c in (Category.TRAJECTORY, Category.SPECIAL) if c in grant.read}


def _with_content(qs: QuerySet, grant: Grant) -> QuerySet:
    steps = Step.objects.select_related("owner_organisation", "owner_user").order_by("position", "id")
    goals = Goal.objects.filter(domain__in=readable_domains(grant)).prefetch_related(Prefetch("steps", steps))
    return qs.prefetch_related(Prefetch("goals", goals.order_by("position", "id")), "agreements")


def has_plan(participant: Participant) -> bool:
    """Whether the participant has a plan version (signed or not)."""
    return PlanVersion.objects.filter(participant=participant).exists()


def versions(participant: Participant) -> list[PlanVersion]:
    return list(
        PlanVersion.objects.filter(participant=participant)
        .select_related("signed_by", "created_by")
        .defer("long_term_goal")
        .order_by("-number")
    )


def get_version_or_404(participant: Participant, grant: Grant, number) -> PlanVersion:
    try:
        return _with_content(PlanVersion.objects.select_related("signed_by"), grant).get(
            participant=participant, number=int(number)
        )
    except (ValueError, TypeError, PlanVersion.DoesNotExist) as exc:
        raise Http404("Planversie niet gevonden") from exc


def holds_special_content(version: PlanVersion) -> bool:
    """Whether the version holds a goal on a health life domain, whoever looks (unlike ``version.goals``, which
    is filtered by the grant). Then everything that stands for the whole version, such as the signed scan, is
    special-category data."""
    return Goal.objects.filter(version=version, domain__in=SPECIAL_DOMAINS).exists()


def draft(participant: Participant, grant: Grant) -> PlanVersion | None:
    return _with_content(PlanVersion.objects.all(), grant).filter(
        participant=participant, status=VersionStatus.CONCEPT
    ).first()


def pick_current(all_versions: list[PlanVersion]) -> PlanVersion | None:
    """Newest signed version, else the concept (``all_versions`` newest first)."""
    return next((v for v in all_versions if v.is_signed), None) or (all_versions[0] if all_versions else None)


def recent_edits(version: PlanVersion, grant: Grant, limit: int = 10) -> list[PlanEdit]:
    return list(
        version.edits.filter(category__in=sorted(categories_shown(grant))).select_related("user")
        .order_by("-revision")[:limit]
    )


def plan_page(participant: Participant, grant: Grant, number=None) -> dict:
    """Everything the plan page shows: the version (current, or the one asked for), all versions, deadlines."""
    all_versions = versions(participant)
    if number is None:
        chosen = pick_current(all_versions)
        version = get_version_or_404(participant, grant, chosen.number) if chosen else None
    else:
        version = get_version_or_404(participant, grant, number)
    draft_version = next((v for v in all_versions if not v.is_signed), None)
    current = pick_current(all_versions)
    record = IntegrationRecord.objects.filter(participant=participant).first()
    on_current = version is not None and current is not None and version.pk == current.pk
    deadline_list = rules.visible(
        rules.deadlines(participant, current=version if on_current else rules.LOAD, record=record), grant
    )
    return {
        "version": version,
        "versions": all_versions,
        "draft": draft_version,
        "current": current,
        "is_current": on_current,
        "deadlines": deadline_list,
        "record": record,
    }


def panel(participant: Participant, grant: Grant) -> dict:
    """For the participant page: the plan's state, the next open deadline, and whether one may edit.
    Usage: ``{% include "plans/_panel.html" with plan_panel=plan_panel %}``."""
    if Category.TRAJECTORY not in grant.read:
        return {}
    all_versions = list(
        PlanVersion.objects.filter(participant=participant)
        .only("id", "number", "status", "kind", "signed_on", "plan_date", "participant_id")
        .order_by("-number")
    )
    current = pick_current(all_versions)
    version = _with_content(PlanVersion.objects.all(), grant).get(pk=current.pk) if current else None
    items = rules.visible(rules.deadlines(participant, current=version), grant)
    open_items = [d for d in items if not d.done]
    return {
        "current": current,
        "draft": next((v for v in all_versions if not v.is_signed), None),
        "next_deadline": open_items[0] if open_items else None,
        "overdue_count": sum(1 for d in open_items if d.status == rules.OVERDUE),
        "can_edit": Category.TRAJECTORY in grant.write,
    }


# --- What the intake hands to the first plan -------------------------------------------------------------------


def latest_intake(participant: Participant):
    """The newest completed broad intake, or None."""
    return (Intake.objects.filter(participant=participant, status=IntakeStatus.AFGEROND)
            .order_by("-completed_at", "-pk").first())


def goals_from_intake(participant: Participant, grant: Grant) -> list[dict]:
    """Goal values for the first concept: one per life domain where the intake recorded support needed, as far as
    the grant may read that domain in the intake and write it in the plan (health only with special access).
    ``intake_category`` is the category the intake notes were read in (for the audit record)."""
    intake = latest_intake(participant)
    if intake is None:
        return []
    goals = []
    for d in intake_queries.visible_domains(intake, grant):
        support = (d.notes.support_needed if d.notes else "").strip()
        if not support or domain_category(d.code) not in grant.write:
            continue
        first_line = support.splitlines()[0].strip()
        title = first_line if len(first_line) <= 200 else first_line[:199].rsplit(" ", 1)[0] + "…"
        context = [f"Uit de brede intake van {intake.held_on:%d-%m-%Y}."]
        if d.notes.situation.strip():
            context.append(f"Situatie: {d.notes.situation.strip()}")
        if d.notes.own_view.strip():
            context.append(f"Visie van de deelnemer: {d.notes.own_view.strip()}")
        if support != first_line:
            context.append(f"Benodigde ondersteuning: {support}")
        goals.append({"domain": d.code, "title": title, "description": "\n".join(context),
                      "intake_category": d.category})
    return goals


def suggested_long_term_goal(participant: Participant, grant: Grant) -> str:
    """The "stip op de horizon" the file already holds: the dream job (work data), when the grant may read it."""
    if Category.WORK in grant.read and participant.dream_job.strip():
        return f"Werken als {participant.dream_job.strip()}"
    return ""
