"""Pages for the aftercare of a placement: recording a check-in, an extra moment, frictions (resolve, escalate) and
the final talk. Thin: parse, call a service, render; every page is a write on the placement's work data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from koers.casework.queries import contacts as contact_queries
from koers.core import access, audit, locking
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.http import post_text
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.work.forms.aftercare import CheckInForm, ExtraCheckInForm, FinalTalkForm, FrictionForm
from koers.work.queries import aftercare as aftercare_queries
from koers.work.services import aftercare as aftercare_services
from koers.work.views.placements import NAV, placement_to_change, view_audit


@participant_page
def check_in_record(request, participant, grant, placement_id, check_in_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    plan = aftercare_queries.get_plan(placement)
    check_in = next((c for c in plan.check_ins.all() if str(c.pk) == str(check_in_id)), None)
    if check_in is None:
        raise Http404("Nazorgmoment niet gevonden")
    form = CheckInForm(request.POST or None, version=aftercare_services.check_in_version(check_in),
                       action_items=aftercare_queries.closable_action_items(request.user, participant, grant,
                                                                            placement))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            aftercare_services.record_check_in(request.user, participant, grant, placement, check_in.pk, form.to_data(),
                                      request=request, version=form.submitted_version)
        except locking.StaleEdit as exc:
            stale = exc
            form.refresh_version(aftercare_services.check_in_version(type(check_in).objects.get(pk=check_in.pk)))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Nazorggesprek ‘{check_in.label}’ vastgelegd"
                                      + (", ook als contact." if contact_queries.can_record(grant) else "."))
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    view_audit(request, participant, grant, "Formulier nazorggesprek")
    return render(request, "work/aftercare/check_in_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form, "check_in": check_in,
        "stale": stale,
    })


@require_POST
@participant_page
def check_in_add(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    form = ExtraCheckInForm(request.POST)
    if form.is_valid():
        try:
            aftercare_services.add_check_in(request.user, participant, grant, placement, form.cleaned_data["label"],
                                   form.cleaned_data["planned_on"], request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Nazorgmoment ingepland.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)


@participant_page
def friction_add(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    form = FrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            aftercare_services.log_friction(request.user, participant, grant, placement, occurred_on=c["occurred_on"],
                                   what=c["what"], follow_up=c.get("follow_up", ""), request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Knelpunt vastgelegd.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    view_audit(request, participant, grant, "Formulier knelpunt nazorg")
    return render(request, "work/aftercare/friction_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
    })


@require_POST
@participant_page
def friction_resolve(request, participant, grant, placement_id, friction_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    aftercare_services.resolve_friction(request.user, participant, grant, placement, friction_id,
                               follow_up=post_text(request, "follow_up"), request=request)
    messages.success(request, "Knelpunt opgelost.")
    return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)


@require_POST
@participant_page
def friction_escalate(request, participant, grant, placement_id, friction_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    if not aftercare_queries.can_escalate(grant):
        raise Http404("Pagina niet gevonden")
    try:
        item = aftercare_services.escalate_friction(request.user, participant, grant, placement, friction_id,
                                                    request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        who = item.assignee or participant.regie_organisation
        messages.success(request, f"Geëscaleerd: actiepunt voor {who}, uiterlijk {item.due_date:%d-%m-%Y}.")
    return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)


@participant_page
def aftercare_close(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    plan = aftercare_queries.get_plan(placement)
    if plan.is_closed:
        messages.info(request, aftercare_queries.MSG_CLOSED)
        return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    form = FinalTalkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            aftercare_services.close_with_final_talk(request.user, participant, grant, placement, form.to_data(),
                                            request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Eindgesprek vastgelegd; de nazorg is afgesloten.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    view_audit(request, participant, grant, "Formulier eindgesprek nazorg")
    return render(request, "work/aftercare/final_talk_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
        "care": aftercare_queries.status(plan),
    })


def check_ins_due(request):
    """The jobcoach's work of the day: aftercare check-ins due (overdue first), theirs or the organisation's."""
    scope = request.GET.get("wie")
    scope = scope if scope in aftercare_queries.SCOPES else aftercare_queries.MINE
    rows = aftercare_queries.check_ins_due(request.user, scope=scope)
    participants = {c.plan.placement.participant_id: c.plan.placement.participant for c in rows}
    if participants:
        grants = access.grants_for_page(request.user, participants.values())
        audit.record_many(request.user, [(pid, Category.WORK, grants[pid].legal_basis) for pid in participants],
                          AuditAction.LIST, detail="Nazorggesprekken die eraan komen", request=request)
    return render(request, "work/aftercare/due.html", {
        "nav": "aftercare", "rows": rows, "scope": scope, "scopes": aftercare_queries.SCOPES,
        "overdue": sum(1 for c in rows if c.late_days), "ahead": aftercare_queries.DUE_AHEAD_DAYS,
    })
