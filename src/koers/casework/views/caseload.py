"""The caseload (the home page of regisseurs and counsellors) and the team's weighted caseload with reassigning.
Thin: parse, call a query or service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.casework.forms.caseload import CaseloadFilterForm, ReassignForm
from koers.casework.queries import caseload as caseloads
from koers.casework.services import caseload as caseload_services
from koers.core import audit
from koers.core.access import safe_id
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction

#: Rows per page of the caseload (sorted by urgency: the most urgent are on page 1).
PAGE_SIZE = 50


def caseload(request):
    if not caseloads.has_caseload(request.user):
        raise Http404("Pagina niet gevonden")
    form = CaseloadFilterForm(request.GET or None)
    whole = form.value("scope") == "organisatie"
    result = caseloads.caseload(
        request.user, whole_organisation=whole, phase=form.value("fase") or "", code=form.value("signaal") or "",
        only_signals=bool(form.value("alleen_signalen")),
    )
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    caseloads.audit_rows(request, rows, "Caseload" + (" (hele organisatie)" if whole else ""))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "casework/caseload/list.html", {
        "nav": "caseload", "form": form, "rows": rows, "page": page, "query": query.urlencode(),
        "alarmed": [r for r in rows if r.signals], "calm": [r for r in rows if not r.signals],
        "total": result.total, "shown": len(result.rows), "whole": whole, "today": timezone.localdate(),
        "next": request.get_full_path(), "with_signals": result.with_signals,
        "can_lead": caseloads.may_lead_team(request.user),
    })


def _selected(request) -> tuple[str, int | None] | None:
    """``?van=<user id>`` or ``?van=geen`` (participants without a regisseur); None when nothing is chosen."""
    value = request.GET.get("van") or request.POST.get("van") or ""
    if value == "geen":
        return value, None
    if safe_id(value) is not None:
        return value, safe_id(value)
    return None


def team_caseload(request):
    if not caseloads.may_lead_team(request.user):
        raise Http404("Pagina niet gevonden")
    loads, policy = caseloads.team_loads(request.user)
    context = {"nav": "caseload", "loads": loads, "policy": policy, "selected": None}
    selected = _selected(request)
    if selected:
        context.update(_reassign_context(request, selected))
    return render(request, "casework/caseload/team.html", context)


def _reassign_context(request, selected, form=None) -> dict:
    value, regisseur_id = selected
    staff = list(caseloads.regisseurs_of(request.user.organisation_id))
    if regisseur_id is not None and not any(u.pk == regisseur_id for u in staff):
        owner = caseloads.colleague(request.user.organisation_id, regisseur_id)
        if owner is None:
            raise Http404("Medewerker niet gevonden")
    else:
        owner = next((u for u in staff if u.pk == regisseur_id), None)
    rows = caseloads.weighted_rows(request.user, regisseur_id)
    if rows:
        audit.record_many(
            request.user, [(r.participant_id, c, "regie") for r in rows for c in (Category.IDENTITY,
                                                                               Category.TRAJECTORY)],
            AuditAction.LIST, detail="Gewogen caseload (overdragen)", request=request,
        )
    form = form or ReassignForm(initial={"van": value}, participants=rows,
                                regisseurs=[u for u in staff if u.pk != regisseur_id])
    return {"selected": value, "owner": owner, "rows": rows, "form": form, "staff": staff,
            "chosen": set(form["participants"].value() or []) if form.is_bound else set(),
            "total_weight": sum((r.weight for r in rows), start=0),
            "handover_available": bool(caseloads.handover_url(0))}


@require_POST
def team_reassign(request):
    if not caseloads.may_lead_team(request.user):
        raise Http404("Pagina niet gevonden")
    selected = _selected(request)
    if selected is None:
        raise Http404("Medewerker niet gevonden")
    rows = caseloads.weighted_rows(request.user, selected[1])
    staff = [u for u in caseloads.regisseurs_of(request.user.organisation_id) if u.pk != selected[1]]
    form = ReassignForm(request.POST, participants=rows, regisseurs=staff)
    if form.is_valid():
        try:
            done = caseload_services.reassign(request.user, form.cleaned_data["participants"],
                                              form.cleaned_data["regisseur"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"{len(done.participants)} deelnemer(s) overgedragen aan {done.new}. Beide regisseurs "
                "krijgen een e-mail."
            )
            handover = caseloads.handover_url(done.participants[0].pk)
            if handover:
                messages.info(request, "Maak voor iedere deelnemer een warme overdracht (knop in de lijst).")
            return redirect(reverse("casework:team_caseload") + "?" + urlencode({"van": selected[0]}))
    loads, policy = caseloads.team_loads(request.user)
    context = {"nav": "caseload", "loads": loads, "policy": policy}
    context.update(_reassign_context(request, selected, form))
    return render(request, "casework/caseload/team.html", context, status=400)
