"""Programmes and projects: the reads behind their pages. Aggregates only (counts of trajectories), never
participants; what a user sees is the scope from ``monitoring.access``, and a count is shown as the scope allows
(``rules.suppression.shown``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.http import Http404

from koers.monitoring import access
from koers.monitoring.models import Project, Trajectory
from koers.monitoring.rules.suppression import shown


def count_display(n: int, external: bool) -> str:
    """A participant count as shown to this viewer (``suppression.shown``)."""
    return str(shown(n, external=external))


def programme_items(user) -> list[dict]:
    """The programmes the user may see, each with its scope and the number of projects and participants in it."""
    programmes = list(access.visible_programmes(user).select_related("owner"))
    ids = [p.pk for p in programmes]
    project_counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in (Project.objects.filter(programme_id__in=ids).values("programme_id", "organisation_id")
                .annotate(n=Count("id")).order_by()):
        project_counts[row["programme_id"]][row["organisation_id"]] = row["n"]
    participant_counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in (Trajectory.objects.filter(programme_id__in=ids).values("programme_id", "project__organisation_id")
                .annotate(n=Count("id")).order_by()):
        participant_counts[row["programme_id"]][row["project__organisation_id"]] = row["n"]
    items = []
    for programme in programmes:
        scope = access.scope_for(user, programme)
        if scope is None:  # visible_programmes and scope_for agree; be strict anyway
            continue

        def total(counts: dict[int | None, int], scope=scope) -> int:
            if scope.kind == "partner":
                return sum(n for org, n in counts.items() if org in scope.organisation_ids)
            return sum(counts.values())

        items.append({
            "programme": programme,
            "scope": scope,
            "projects": total(project_counts[programme.pk]),
            "participants": count_display(total(participant_counts[programme.pk]), scope.external),
        })
    return items


def programme_overview(scope: access.Scope) -> dict:
    """The programme page: its projects (as far as the scope reaches) with targets and participant counts."""
    projects = list(scope.projects().prefetch_related("targets").order_by("name"))
    actual = dict(scope.trajectories().values("project_id").annotate(n=Count("id")).values_list("project_id", "n")
                  .order_by())
    rows = [{
        "project": p,
        "actual": count_display(actual.get(p.pk, 0), scope.external),
        "targets": list(p.targets.all()),
    } for p in projects]
    return {
        "rows": rows,
        "planned_total": sum(p.planned_participants or 0 for p in projects),
        "actual_total": count_display(sum(actual.values()), scope.external),
        "research_organisations": list(scope.programme.research_organisations.all()),
    }


def get_project_or_404(scope: access.Scope, code: str, *, with_targets: bool = False) -> Project:
    """A project of the programme within the scope (a partner only reaches its own organisation's projects)."""
    projects = scope.projects()
    if with_targets:
        projects = projects.prefetch_related("targets")
    project = projects.filter(code=code).first()
    if project is None:
        raise Http404("Project niet gevonden")
    return project


def project_overview(scope: access.Scope, project: Project) -> dict:
    """The project page: its targets and the participant count."""
    actual = scope.trajectories().filter(project=project).count()
    return {"targets": list(project.targets.all()), "actual": count_display(actual, scope.external)}
