"""Programme and project pages: the list, a programme with its projects, and the forms to manage them.

Who sees what comes from ``monitoring.access`` (a programme the user may not see is a 404). Managing programmes
and projects needs ``scope.can_manage``; these pages show aggregates only, never participants.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render

from koers.monitoring import access
from koers.monitoring.forms.programmes import ProgrammeForm, ProjectForm, save_programme, save_project
from koers.monitoring.models import Programme, Project, Trajectory
from koers.monitoring.rules.suppression import shown

NAV = "monitoring"


def _count_display(n: int, external: bool) -> str:
    """A participant count as shown to this viewer (``suppression.shown``)."""
    return str(shown(n, external=external))


def programme_list(request):
    user = request.user
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
            "participants": _count_display(total(participant_counts[programme.pk]), scope.external),
        })
    return render(request, "monitoring/programme_list.html", {
        "nav": NAV, "items": items, "can_create": access.can_create_programmes(user),
    })


def programme_detail(request, code):
    scope = access.get_scope_or_404(request.user, code)
    programme = scope.programme
    projects = list(scope.projects().prefetch_related("targets").order_by("name"))
    actual = dict(scope.trajectories().values("project_id").annotate(n=Count("id")).values_list("project_id", "n")
                  .order_by())
    rows = [{
        "project": p,
        "actual": _count_display(actual.get(p.pk, 0), scope.external),
        "targets": list(p.targets.all()),
    } for p in projects]
    return render(request, "monitoring/programme_detail.html", {
        "nav": NAV, "programme": programme, "scope": scope, "rows": rows,
        "planned_total": sum(p.planned_participants or 0 for p in projects),
        "actual_total": _count_display(sum(actual.values()), scope.external),
        "research_organisations": list(programme.research_organisations.all()),
    })


def _managed_scope(request, code) -> access.Scope:
    scope = access.get_scope_or_404(request.user, code)
    if not scope.can_manage:
        raise Http404("Programma niet gevonden")
    return scope


def _programme_form(request, programme: Programme | None):
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        saved = save_programme(request.user, form)
        messages.success(request, f"Programma ‘{saved.name}’ is opgeslagen.")
        return redirect("monitoring:programme", code=saved.code)
    return render(request, "monitoring/programme_form.html", {"nav": NAV, "form": form, "programme": programme})


def programme_create(request):
    if not access.can_create_programmes(request.user):
        raise Http404("Pagina niet gevonden")
    return _programme_form(request, None)


def programme_update(request, code):
    return _programme_form(request, _managed_scope(request, code).programme)


def project_detail(request, code, project):
    scope = access.get_scope_or_404(request.user, code)
    obj = scope.projects().prefetch_related("targets").filter(code=project).first()
    if obj is None:
        raise Http404("Project niet gevonden")
    actual = scope.trajectories().filter(project=obj).count()
    return render(request, "monitoring/project_detail.html", {
        "nav": NAV, "programme": scope.programme, "scope": scope, "project": obj,
        "targets": list(obj.targets.all()), "actual": _count_display(actual, scope.external),
    })


def _project_form(request, scope: access.Scope, project: Project | None):
    form = ProjectForm(request.POST or None, instance=project, programme=scope.programme)
    if request.method == "POST" and form.is_valid():
        saved = save_project(request.user, form)
        messages.success(request, f"Project ‘{saved.name}’ is opgeslagen.")
        return redirect("monitoring:project", code=scope.programme.code, project=saved.code)
    return render(request, "monitoring/project_form.html", {
        "nav": NAV, "form": form, "programme": scope.programme, "project": project,
    })


def project_create(request, code):
    return _project_form(request, _managed_scope(request, code), None)


def project_update(request, code, project):
    scope = _managed_scope(request, code)
    obj = scope.projects().filter(code=project).first()
    if obj is None:
        raise Http404("Project niet gevonden")
    return _project_form(request, scope, obj)
