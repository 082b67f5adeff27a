"""Pages of data completeness: the worklist of unknown reportable fields, and filling in an imported trajectory.

Thin: the scope comes from ``monitoring.access`` (a programme the user may not see is a 404), participants from
``core.access`` (a participant the user may not see is never named or linked), and every participant listed is
audited. The rules are documented in docs/privacy.md, "Monitoring en onderzoeksexport".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from koers.core import access as core_access
from koers.core import audit, locking
from koers.core.codes import Category
from koers.monitoring.access import Scope, get_scope_or_404, scope_for
from koers.monitoring.forms.completeness import TrajectoryFillInForm, WorklistFilterForm
from koers.monitoring.models import Trajectory
from koers.monitoring.queries import completeness as completeness_queries
from koers.monitoring.services import completeness as completeness_services

NAV = "monitoring"
PER_PAGE = 50

C = Category
#: Where a native participant's unknown field is fixed: (link text, url name, section slug or "", the category
#: the link needs, whether it needs write access). Other fields: the participant's file ("Dossier").
FIX_TARGETS: dict[str, tuple[str, str, str, str, bool]] = {
    "gender": ("Identiteit aanvullen", "participants:edit_section", "identiteit", C.IDENTITY, True),
    "birth_year": ("Identiteit aanvullen", "participants:edit_section", "identiteit", C.IDENTITY, True),
    "country_of_origin": ("Identiteit aanvullen", "participants:edit_section", "identiteit", C.IDENTITY, True),
    "migration_status": ("Traject aanvullen", "participants:edit_section", "traject", C.TRAJECTORY, True),
    "education_level": ("Opleiding aanvullen", "participants:edit_section", "taal-opleiding", C.LANGUAGE, True),
    "level_spreken": ("Taalniveau vastleggen", "participants:add_assessment", "", C.LANGUAGE, True),
    "job_title": ("Plaatsingen", "work:participant_placements", "", C.WORK, False),
    "contract_type": ("Plaatsingen", "work:participant_placements", "", C.WORK, False),
    "contract_months": ("Plaatsingen", "work:participant_placements", "", C.WORK, False),
    "hours_per_week": ("Plaatsingen", "work:participant_placements", "", C.WORK, False),
}


def _scope_with_rows(user, code: str) -> Scope:
    """Owner and partner scopes; researchers never get participant-level lists (404)."""
    scope = get_scope_or_404(user, code)
    if scope.kind == "researcher":
        raise Http404("Pagina niet gevonden")
    return scope


def can_fill_in(scope: Scope) -> bool:
    """Imported trajectories are filled in by the owner's managers, or by the partner for its own projects
    (a partner scope only contains its own projects)."""
    return scope.can_manage or scope.kind == "partner"


@dataclass
class WorkRow:
    trajectory: Trajectory
    fields: list
    name: str = ""  # the participant's name, only when the user may see them
    participant_id: int | None = None
    links: list[tuple[str, str]] = field(default_factory=list)


def _native_links(trajectory, grant, unknown, back: str) -> list[tuple[str, str]]:
    links, seen = [], set()
    for f in unknown:
        target = FIX_TARGETS.get(f.name)
        if target is None:
            continue
        text, url_name, section, category, write = target
        if not (grant.can_change(category) if write else grant.can_see(category)) or text in seen:
            continue
        seen.add(text)
        kwargs = {"pk": trajectory.participant_id} | ({"section": section} if section else {})
        url = reverse(url_name, kwargs=kwargs)
        if write:
            url += "?" + urlencode({"next": back})
        links.append((text, url))
    links.append(("Dossier", reverse("participants:detail", kwargs={"pk": trajectory.participant_id})))
    return links


def completeness_worklist(request, code):
    scope = _scope_with_rows(request.user, code)
    programme = scope.programme
    projects = list(scope.projects().order_by("organisation__name", "name"))
    form = WorklistFilterForm(request.GET or None, projects=projects)
    project_id, field_name = None, ""
    if form.is_valid():
        project_id = form.cleaned_data["project"]
        field_name = form.cleaned_data["veld"]
    trajectories = scope.trajectories()
    if project_id:
        trajectories = trajectories.filter(project_id=project_id)

    page = Paginator(completeness_queries.worklist(trajectories, field=field_name), PER_PAGE).get_page(
        request.GET.get("page"))
    page_rows = list(page.object_list)

    native_ids = {t.participant_id for t in page_rows if t.participant_id}
    visible = list(core_access.visible_participants(request.user).filter(pk__in=native_ids))
    grants = core_access.grants_for_page(request.user, visible)
    names = {p.pk: p.name for p in visible if grants[p.pk].can_see(C.IDENTITY)}
    back = request.get_full_path()
    rows = []
    for t in page_rows:
        unknown = completeness_queries.unknown_fields(t)
        row = WorkRow(trajectory=t, fields=unknown)
        if t.participant_id in names:
            row.name, row.participant_id = names[t.participant_id], t.participant_id
            row.links = _native_links(t, grants[t.participant_id], unknown, back)
        elif completeness_queries.editable(t) and can_fill_in(scope):
            row.links = [("Aanvullen", reverse("monitoring:trajectory_edit", kwargs={"pk": t.pk}))]
        rows.append(row)
    if names:
        audit.record_list(
            request.user, sorted(names), {pid: grants[pid].legal_basis for pid in names},
            category=C.TRAJECTORY, detail=f"Volledigheid programma {programme.code}", request=request,
        )
    # The owner's staff also see who is in no project at all: they are in no figure of this programme.
    missing_count, missing = completeness_queries.without_project(request.user, programme) \
        if scope.kind == "owner" else (0, [])
    if missing:
        missing_grants = core_access.grants_for_page(request.user, missing)
        audit.record_list(
            request.user, [p.pk for p in missing], {p.pk: missing_grants[p.pk].legal_basis for p in missing},
            category=C.TRAJECTORY, detail=f"Volledigheid programma {programme.code}: zonder project",
            request=request,
        )
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    return render(request, "monitoring/completeness.html", {
        "nav": NAV, "programme": programme, "scope": scope, "form": form,
        "table": completeness_queries.completeness_table(trajectories),
        "per_project": completeness_queries.per_project(trajectories),
        "page": page, "rows": rows, "query": query, "filtered": bool(project_id or field_name),
        "can_fill_in": can_fill_in(scope), "missing_count": missing_count, "missing": missing,
    })


def trajectory_edit(request, pk):
    trajectory = Trajectory.objects.select_related("programme", "project", "project__organisation").filter(
        pk=pk).first()
    scope = scope_for(request.user, trajectory.programme) if trajectory is not None else None
    if scope is None or not can_fill_in(scope) or not completeness_queries.editable(trajectory):
        raise Http404("Deelname niet gevonden")
    trajectory = completeness_queries.annotate_flags(scope.trajectories().filter(pk=pk)).select_related(
        "programme", "project", "project__organisation").first()
    if trajectory is None:  # another organisation's project
        raise Http404("Deelname niet gevonden")
    outcome_before = trajectory.outcome
    form = TrajectoryFillInForm(request.POST or None, trajectory=trajectory, user=request.user)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = completeness_services.fill_in(request.user, trajectory, form.to_data(),
                                                    version=form.submitted_version)
        except locking.StaleEdit as exc:  # filled in by a colleague meanwhile: show what, keep the input
            stale = exc
            form.refresh_version(completeness_queries.trajectory_version(Trajectory.objects.get(pk=trajectory.pk)))
            return render(request, "monitoring/trajectory_edit.html", {
                "nav": NAV, "programme": scope.programme, "t": trajectory, "form": form, "stale": stale,
                "unknown": {f.name for f in completeness_queries.unknown_fields(trajectory)},
            })
        if trajectory.outcome != outcome_before:
            messages.success(request, "De uitstroom is gewijzigd. Vul nu de gegevens van de nieuwe uitstroom aan.")
            return redirect("monitoring:trajectory_edit", pk=trajectory.pk)
        messages.success(request, f"Deelname {trajectory.extern_id}: {len(changed)} gegeven(s) opgeslagen."
                         if changed else "Er is niets gewijzigd.")
        return redirect("monitoring:completeness", code=scope.programme.code)
    return render(request, "monitoring/trajectory_edit.html", {
        "nav": NAV, "programme": scope.programme, "t": trajectory, "form": form,
        "unknown": {f.name for f in completeness_queries.unknown_fields(trajectory)},
    })
