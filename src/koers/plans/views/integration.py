"""The integration page (inburgering en leerroute): the record, its forms, deciding a route switch. Thin: parse the
request, call a query or service, render. Every page and change is audited; whatever the user may not see is a
404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from koers.core import access, audit
from koers.core.codes import Category, LearningRoute
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.plans.forms import integration as forms
from koers.plans.models import Component
from koers.plans.queries import integration as queries
from koers.plans.rules import leerroute as rules
from koers.plans.services import integration as services

T = Category.TRAJECTORY


def _require(grant, *, write: bool = False) -> None:
    """The integration record is trajectory data: 404 without it (the door already loaded the participant)."""
    access.require_category(grant, T, write=write)


def _record_view(request, participant, grant) -> None:
    audit.record(request.user, participant, {T}, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Inburgering en leerroute bekeken", request=request)


INTEGRATION_FORMS = {
    "start": forms.ObligationStartForm,
    "wissel": forms.RouteSwitchForm,
    "vrijstelling": forms.ExemptionForm,
    "eindgesprek": forms.ClosingInterviewForm,
    "afronden": forms.CompleteRouteForm,
    **{f"onderdeel-{c}": forms.ComponentForm for c in Component.values},
}
REGISSEUR_ONLY = {"start", "vrijstelling", "afronden"}


def _integration_context(request, participant, grant, bound: dict | None = None) -> dict:
    ctx = queries.integration_page(participant)
    record = ctx["record"]
    policy_deadlines = rules.visible(rules.deadlines(participant, record=record, current=None), grant)
    can_edit = grant.can_change(T)
    forms_ = {}
    for slug, form_class in INTEGRATION_FORMS.items():
        if (slug in REGISSEUR_ONLY and not grant.is_regisseur) or not can_edit:
            continue
        initial = {}
        if slug == "start" and record and record.obligation_start:
            initial["obligation_start"] = record.obligation_start
        forms_[slug] = (bound or {}).get(slug) or form_class(initial=initial, prefix=slug)
    ctx["components"] = [(code, label, item, forms_.get(f"onderdeel-{code}"))
                         for code, label, item in ctx["components"]]
    ctx.update({"nav": "participants", "p": participant, "grant": grant, "tab": "inburgering", "forms": forms_,
                "deadlines": policy_deadlines, "can_edit": can_edit, "decision_form": forms.DecisionForm(),
                "route_label": LearningRoute(participant.learning_route).label,
                "has_route": participant.learning_route in services.ROUTES})
    return ctx


@participant_page
def integration(request, participant, grant):
    _require(grant)
    ctx = _integration_context(request, participant, grant)
    _record_view(request, participant, grant)
    return render(request, "plans/integration.html", ctx)


@require_POST
@participant_page
def integration_action(request, participant, grant, action):
    _require(grant, write=True)
    form_class = INTEGRATION_FORMS.get(action)
    if form_class is None or (action in REGISSEUR_ONLY and not grant.is_regisseur):
        raise Http404("Pagina niet gevonden")
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        d, u = form.cleaned_data, request.user
        try:
            if action == "start":
                services.set_obligation_start(u, participant, grant, d["obligation_start"], request=request)
                text = "De start van de inburgeringsplicht is vastgelegd."
            elif action == "wissel":
                switch = services.request_route_switch(u, participant, grant, to_route=d["to_route"],
                                                       switch_on=d["switch_on"], reason=d["reason"], request=request)
                text = (f"De wissel naar de {switch.get_to_route_display()} wacht op goedkeuring van een regisseur."
                        if switch.needs_approval else f"De leerroute is nu de {switch.get_to_route_display()}.")
            elif action == "vrijstelling":
                item = services.add_exemption(u, participant, grant, request=request, **d)
                text = f"{item.get_kind_display()} vastgelegd."
            elif action == "eindgesprek":
                services.record_closing_interview(u, participant, grant, request=request, **d)
                text = "Het eindgesprek is vastgelegd."
            elif action == "afronden":
                services.complete_route(u, participant, grant, completed_on=d["completed_on"], request=request)
                text = "De afronding van de leerroute is vastgelegd."
            else:
                item = services.set_component(u, participant, grant, action.split("-", 1)[1], request=request, **d)
                text = f"{item.get_component_display()}: {item.get_status_display().lower()}."
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, text)
            return redirect("plans:integration", pk=participant.pk)
    ctx = _integration_context(request, participant, grant, bound={action: form})
    ctx["error_form"] = action
    _record_view(request, participant, grant)
    return render(request, "plans/integration.html", ctx, status=200)


@require_POST
@participant_page
def decide_switch(request, participant, grant, switch_id):
    _require(grant, write=True)
    if not grant.is_regisseur:
        raise Http404("Pagina niet gevonden")
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "goedkeuren"
    try:
        switch = services.decide_route_switch(request.user, participant, grant, switch_id, approve=approve,
                                              note=form.cleaned_data.get("note", ""), request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"De wissel naar de {switch.get_to_route_display()} is "
                                  f"{switch.get_status_display().lower()}.")
    return redirect("plans:integration", pk=participant.pk)
