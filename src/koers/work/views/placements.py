"""Pages for placements, aftercare and closing a trajectory. Thin: parse the request, call a query or service,
render. Every page checks the participant with the access policy (hidden is 404) and writes an audit record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.core import access, audit, locking
from koers.core.codes import Category, Outcome, Phase
from koers.core.formtools import apply_errors
from koers.core.http import post_text
from koers.core.models import AuditAction, User
from koers.core.pages import participant_object_page, participant_page
from koers.work import pdf
from koers.work.forms.placements import (
    CheckInForm,
    ClosureForm,
    EndForm,
    ExtraCheckInForm,
    FinalTalkForm,
    FrictionForm,
    PlacementForm,
    TermForm,
)
from koers.work.models import Opening, OpeningStatus, Placement
from koers.work.queries import aftercare as aftercare_queries
from koers.work.queries import closure as closure_queries
from koers.work.queries import placements as placement_queries
from koers.work.services import aftercare as aftercare_services
from koers.work.services import closure as closure_services
from koers.work.services import placements as placement_services

W = Category.WORK
NAV = "participants"


def _view_audit(request, participant, grant, detail, categories=(Category.IDENTITY, W)):
    audit.record(request.user, participant, set(categories), AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail=detail, request=request)


def _require(grant, *, write: bool = False) -> None:
    """Placement pages are work data: 404 without it (the door already loaded the participant)."""
    access.require_category(grant, W, write=write)


def _staff_qs(staff):
    return User.objects.filter(pk__in=[u.pk for u in staff]).select_related("organisation").order_by(
        "organisation__name", "first_name", "last_name")


@participant_page
def participant_placements(request, participant, grant):
    _require(grant)
    today = timezone.localdate()
    items = [
        {"placement": p, "term": placement_queries.current_term(p), "open": p.is_open(today),
         "aftercare": aftercare_queries.status(p.aftercare, today) if hasattr(p, "aftercare") else None}
        for p in placement_queries.placements_of(participant, grant)
    ]
    last = closure_queries.latest_closure(participant) if grant.can_see(Category.TRAJECTORY) else None
    _view_audit(request, participant, grant, "Plaatsingen bekeken",
                (Category.IDENTITY, W, Category.TRAJECTORY) if last else (Category.IDENTITY, W))
    return render(request, "work/placements/list.html", {
        "nav": NAV, "p": participant, "grant": grant, "tab": "plaatsingen", "items": items, "closure": last,
        "can_change": placement_queries.can_change(grant),
        "can_close": grant.is_regisseur and participant.phase != Phase.AFGESLOTEN,
    })


def _placement_form_page(request, participant, grant, *, match=None):
    staff = placement_queries.work_staff(participant)
    proposed = placement_queries.proposed_jobcoach(participant, staff)
    openings = Opening.objects.select_related("employer").filter(employer__is_active=True)
    if match is None:
        openings = openings.filter(status=OpeningStatus.OPEN)
    form = PlacementForm(
        request.POST or None, employers=placement_queries.employers(), openings=openings.order_by("employer__name",
                                                                                                  "title"),
        staff=_staff_qs(staff), match=match,
        initial=PlacementForm.initial_for(match=match, jobcoach=proposed.pk if proposed else None),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_services.create_placement(request.user, participant, grant, form.to_data(),
                                                    request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Plaatsing vastgelegd: {placement.job_title} bij {placement.employer}. "
                                      "Het nazorgplan staat klaar.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    _view_audit(request, participant, grant, "Formulier nieuwe plaatsing")
    return render(request, "work/placements/form.html", {
        "nav": NAV, "p": participant, "grant": grant, "form": form, "match": match, "proposed": proposed,
    })


@participant_page
def placement_create(request, participant, grant):
    _require(grant, write=True)
    return _placement_form_page(request, participant, grant)


@participant_object_page(placement_queries.get_match_or_404, kwarg="match_id")
def placement_from_match(request, match, participant, grant):
    return _placement_form_page(request, participant, grant, match=match)


@participant_page
def placement_detail(request, participant, grant, placement_id):
    _require(grant)
    placement = placement_services.get_placement_or_404(participant, grant, placement_id)
    plan = getattr(placement, "aftercare", None)
    frictions = list(plan.frictions.select_related("action_item", "recorded_by")) if plan else []
    _view_audit(request, participant, grant, f"Plaatsing bekeken ({placement.employer})")
    return render(request, "work/placements/detail.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement,
        "term": placement_queries.current_term(placement),
        "history": placement_queries.term_history(placement), "care": aftercare_queries.status(plan) if plan else None,
        "frictions": frictions, "can_change": placement_queries.can_change(grant),
        "can_escalate": aftercare_queries.can_escalate(grant), "days": placement_queries.duration_days(placement),
        "friction_form": FrictionForm(), "extra_form": ExtraCheckInForm(),
    })


def _placement_write(request, participant, grant, placement_id):
    _require(grant, write=True)
    placement = placement_services.get_placement_or_404(participant, grant, placement_id)
    return participant, grant, placement


@participant_page
def term_add(request, participant, grant, placement_id):
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
    current = placement_queries.current_term(placement)
    initial = {"contract_type": current.contract_type, "hours_per_week": current.hours_per_week} if current else {}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement_services.add_term(request.user, participant, grant, placement.pk, form.to_data(), request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "De nieuwe afspraken zijn vastgelegd; de vorige blijven in de geschiedenis.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    _view_audit(request, participant, grant, "Formulier verlenging of wijziging plaatsing")
    return render(request, "work/placements/term_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form, "term": current,
    })


@participant_page
def placement_end(request, participant, grant, placement_id):
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            placement_services.end_placement(request.user, participant, grant, placement.pk, ended_on=c["ended_on"],
                                     reason=c["end_reason"], note=c.get("end_note", ""), request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "De plaatsing is beëindigd. Rond de nazorg af met een eindgesprek.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    _view_audit(request, participant, grant, "Formulier einde plaatsing")
    return render(request, "work/placements/end_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
    })


# --- Aftercare -------------------------------------------------------------------------------------------------


@participant_page
def check_in_record(request, participant, grant, placement_id, check_in_id):
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
    plan = aftercare_queries.get_plan(placement)
    check_in = next((c for c in plan.check_ins.all() if str(c.pk) == str(check_in_id)), None)
    if check_in is None:
        raise Http404("Nazorgmoment niet gevonden")
    form = CheckInForm(request.POST or None, version=aftercare_services.check_in_version(check_in))
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
            messages.success(request, f"Nazorggesprek ‘{check_in.label}’ vastgelegd.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    _view_audit(request, participant, grant, "Formulier nazorggesprek")
    return render(request, "work/aftercare/check_in_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form, "check_in": check_in,
        "stale": stale,
    })


@require_POST
@participant_page
def check_in_add(request, participant, grant, placement_id):
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
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
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
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
    _view_audit(request, participant, grant, "Formulier knelpunt nazorg")
    return render(request, "work/aftercare/friction_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
    })


@require_POST
@participant_page
def friction_resolve(request, participant, grant, placement_id, friction_id):
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
    aftercare_services.resolve_friction(request.user, participant, grant, placement, friction_id,
                               follow_up=post_text(request, "follow_up"), request=request)
    messages.success(request, "Knelpunt opgelost.")
    return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)


@require_POST
@participant_page
def friction_escalate(request, participant, grant, placement_id, friction_id):
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
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
    participant, grant, placement = _placement_write(request, participant, grant, placement_id)
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
    _view_audit(request, participant, grant, "Formulier eindgesprek nazorg")
    return render(request, "work/aftercare/final_talk_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
        "care": aftercare_queries.status(plan),
    })


# --- Closing the trajectory ------------------------------------------------------------------------------------




@participant_page
def close_trajectory(request, participant, grant):
    _require(grant)
    closure_queries.require_regisseur(grant)
    if participant.phase == Phase.AFGESLOTEN:
        messages.info(request, "Dit traject is al afgesloten.")
        return redirect("work:closure_detail", pk=participant.pk)
    today = timezone.localdate()
    running = placement_queries.open_placements(participant, on=today)
    all_placements = Placement.objects.filter(participant=participant).select_related("employer")
    proposal = closure_queries.propose(participant, on=today)
    form = ClosureForm(request.POST or None, running=running, placements=all_placements,
                       initial={"outcome": proposal.outcome, "dropout_reason": proposal.dropout_reason,
                                "closed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            closure_services.close_trajectory(request.user, participant, grant, form.to_data(), request=request)
        except ValidationError as exc:
            apply_errors(form, exc, field_map={
                name: f"{name}_decision" for name in getattr(exc, "error_dict", {}) if f"{name}_decision" in form.fields
            })
        else:
            messages.success(request, "Het traject is afgesloten. De eindrapportage staat klaar.")
            return redirect("work:closure_detail", pk=participant.pk)
    _view_audit(request, participant, grant, "Formulier traject afsluiten",
                (Category.IDENTITY, Category.TRAJECTORY, W))
    return render(request, "work/closure/form.html", {
        "nav": NAV, "p": participant, "grant": grant, "form": form, "proposal": proposal,
        "open_aftercare": placement_queries.open_aftercare(participant), "dropout_code": Outcome.VOORTIJDIGE_UITVAL,
    })


@participant_page
def closure_detail(request, participant, grant):
    _require(grant)
    item = closure_queries.get_closure_or_404(participant, grant)
    audit.record(request.user, participant, closure_queries.categories_of(item, grant), AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Afsluiting traject bekeken", request=request)
    return render(request, "work/closure/detail.html", {
        "nav": NAV, "p": participant, "grant": grant, "c": item,
        "dropout_visible": closure_queries.dropout_visible(item, grant),
        "can_municipality": closure_queries.can_export(item, grant, closure_queries.GEMEENTE),
        "can_employer": closure_queries.can_export(item, grant, closure_queries.WERKGEVER),
    })


@participant_page
def closure_report(request, participant, grant, version):
    _require(grant)
    item = closure_queries.get_closure_or_404(participant, grant)
    if not closure_queries.can_export(item, grant, version):
        raise Http404("Pagina niet gevonden")
    context = closure_queries.report_context(participant, item, version, printed_by=request.user)
    content = pdf.render_pdf(context)
    audit.record(request.user, participant, closure_queries.report_categories(version, item), AuditAction.EXPORT,
                 legal_basis=grant.legal_basis, detail=closure_queries.VERSIONS[version], request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="eindrapportage-{version}-{participant.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
