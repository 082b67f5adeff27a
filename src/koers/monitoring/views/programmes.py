"""Programme and project pages: the list, a programme with its projects, and the forms to manage them.

Who sees what comes from ``monitoring.access`` (a programme the user may not see is a 404). Managing programmes
and projects needs ``scope.can_manage``; these pages show aggregates only, never participants.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from koers.monitoring import access
from koers.monitoring.forms.programmes import ProgrammeForm, ProjectForm
from koers.monitoring.models import Programme, Project
from koers.monitoring.queries import programmes as programme_queries
from koers.monitoring.services import programmes as programme_services

NAV = "monitoring"


def programme_list(request):
    return render(request, "monitoring/programme_list.html", {
        "nav": NAV, "items": programme_queries.programme_items(request.user),
        "can_create": access.can_create_programmes(request.user),
    })


def programme_detail(request, code):
    scope = access.get_scope_or_404(request.user, code)
    return render(request, "monitoring/programme_detail.html", {
        "nav": NAV, "programme": scope.programme, "scope": scope, **programme_queries.programme_overview(scope),
    })


def _managed_scope(request, code) -> access.Scope:
    scope = access.get_scope_or_404(request.user, code)
    if not scope.can_manage:
        raise Http404("Programma niet gevonden")
    return scope


def _programme_form(request, programme: Programme | None):
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        saved = programme_services.save_programme(
            request.user, programme, research_organisations=form.cleaned_data["research_organisations"],
            **form.values())
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
    obj = programme_queries.get_project_or_404(scope, project, with_targets=True)
    return render(request, "monitoring/project_detail.html", {
        "nav": NAV, "programme": scope.programme, "scope": scope, "project": obj,
        **programme_queries.project_overview(scope, obj),
    })


def _project_form(request, scope: access.Scope, project: Project | None):
    form = ProjectForm(request.POST or None, instance=project, programme=scope.programme)
    if request.method == "POST" and form.is_valid():
        saved = programme_services.save_project(request.user, scope.programme, project, targets=form.targets(),
                                                **form.values())
        messages.success(request, f"Project ‘{saved.name}’ is opgeslagen.")
        return redirect("monitoring:project", code=scope.programme.code, project=saved.code)
    return render(request, "monitoring/project_form.html", {
        "nav": NAV, "form": form, "programme": scope.programme, "project": project,
    })


def project_create(request, code):
    return _project_form(request, _managed_scope(request, code), None)


def project_update(request, code, project):
    scope = _managed_scope(request, code)
    return _project_form(request, scope, programme_queries.get_project_or_404(scope, project))
