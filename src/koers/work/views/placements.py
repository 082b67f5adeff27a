"""Pages for placements: the list, a new placement (also from a match), one placement, new terms, the end. Thin:
parse the request, call a query or service, render. Every page checks the participant with the access policy
(hidden is 404) and writes an audit record; the aftercare and closure pages (views/aftercare.py, closure.py) use
the same checks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from koers.core import access, audit, locking
from koers.core.codes import Category, Phase
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction, User
from koers.core.pages import participant_object_page, participant_page
from koers.work.forms.aftercare import ExtraCheckInForm, FrictionForm
from koers.work.forms.placements import CorrectionForm, EndForm, PlacementForm, TermForm, WithdrawForm
from koers.work.models import Opening, OpeningStatus
from koers.work.queries import aftercare as aftercare_queries
from koers.work.queries import closure as closure_queries
from koers.work.queries import placements as placement_queries
from koers.work.services import placements as placement_services

W = Category.WORK
NAV = "participants"


def view_audit(request, participant, grant, detail, categories=(Category.IDENTITY, W)):
    audit.record(request.user, participant, set(categories), AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail=detail, request=request)


def require_work(grant, *, write: bool = False) -> None:
    """Placement, aftercare and closure pages are work data: 404 without it (the door already loaded the
    participant)."""
    access.require_category(grant, W, write=write)


def _staff_qs(staff):
    return User.objects.filter(pk__in=[u.pk for u in staff]).select_related("organisation").order_by(
        "organisation__name", "first_name", "last_name")


@participant_page
def participant_placements(request, participant, grant):
    require_work(grant)
    today = timezone.localdate()
    items = [
        {"placement": p, "term": placement_queries.current_term(p), "open": p.is_open(today),
         "runs": placement_queries.status_label(p, today),
         "aftercare": aftercare_queries.status(p.aftercare, today) if hasattr(p, "aftercare") else None}
        for p in placement_queries.placements_of(participant, grant)
    ]
    last = closure_queries.latest_closure(participant) if grant.can_see(Category.TRAJECTORY) else None
    view_audit(request, participant, grant, "Plaatsingen bekeken",
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
    view_audit(request, participant, grant, "Formulier nieuwe plaatsing")
    return render(request, "work/placements/form.html", {
        "nav": NAV, "p": participant, "grant": grant, "form": form, "match": match, "proposed": proposed,
    })


@participant_page
def placement_create(request, participant, grant):
    require_work(grant, write=True)
    return _placement_form_page(request, participant, grant)


@participant_object_page(placement_queries.get_match_or_404, kwarg="match_id")
def placement_from_match(request, match, participant, grant):
    return _placement_form_page(request, participant, grant, match=match)


@participant_page
def placement_detail(request, participant, grant, placement_id):
    require_work(grant)
    placement = placement_services.get_placement_or_404(participant, grant, placement_id)
    plan = getattr(placement, "aftercare", None)
    frictions = list(plan.frictions.select_related("action_item", "recorded_by")) if plan else []
    view_audit(request, participant, grant, f"Plaatsing bekeken ({placement.employer})")
    return render(request, "work/placements/detail.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement,
        "term": placement_queries.current_term(placement),
        "history": placement_queries.term_history(placement), "care": aftercare_queries.status(plan) if plan else None,
        "frictions": frictions, "can_change": placement_queries.can_change(grant),
        "can_escalate": aftercare_queries.can_escalate(grant),
        "runs": placement_queries.start_label(placement),
        "badge": placement_queries.status_label(placement),
        "friction_form": FrictionForm(), "extra_form": ExtraCheckInForm(),
    })


def placement_to_change(request, participant, grant, placement_id):
    require_work(grant, write=True)
    placement = placement_services.get_placement_or_404(participant, grant, placement_id)
    return participant, grant, placement


def _withdrawn(request, participant, placement):
    """A withdrawn placement takes no more changes: back to its page with a message."""
    messages.info(request, "Deze plaatsing is ingetrokken; er kan niets meer aan worden veranderd.")
    return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)


@participant_page
def term_add(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
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
    view_audit(request, participant, grant, "Formulier verlenging of wijziging plaatsing")
    return render(request, "work/placements/term_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form, "term": current,
    })


@participant_page
def placement_end(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
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
    view_audit(request, participant, grant, "Formulier einde plaatsing")
    return render(request, "work/placements/end_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
    })


@participant_page
def placement_correct(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    if placement.is_withdrawn:
        return _withdrawn(request, participant, placement)
    values = placement_queries.correction_values(placement)
    form = CorrectionForm(request.POST or None, initial=values,
                          version=placement_services.correction_version(placement))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            placement_services.correct_placement(request.user, participant, grant, placement.pk, form.to_data(),
                                                 version=form.submitted_version, request=request)
        except locking.StaleEdit as exc:
            stale = exc
            fresh = placement_services.get_placement_or_404(participant, grant, placement.pk)
            form.refresh_version(placement_services.correction_version(fresh))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "De plaatsing is gecorrigeerd. Geplande nazorggesprekken schuiven mee met de "
                                      "startdatum.")
            return redirect("work:placement_detail", pk=participant.pk, placement_id=placement.pk)
    view_audit(request, participant, grant, "Formulier plaatsing corrigeren")
    return render(request, "work/placements/correct_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form, "stale": stale,
    })


@participant_page
def placement_withdraw(request, participant, grant, placement_id):
    participant, grant, placement = placement_to_change(request, participant, grant, placement_id)
    if placement.is_withdrawn:
        return _withdrawn(request, participant, placement)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement_services.withdraw_placement(request.user, participant, grant, placement.pk,
                                                  reason=form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "De plaatsing is ingetrokken. Ze telt niet meer mee als plaatsing; de "
                                      "geschiedenis blijft bewaard.")
            return redirect("work:participant_placements", pk=participant.pk)
    view_audit(request, participant, grant, "Formulier plaatsing intrekken")
    return render(request, "work/placements/withdraw_form.html", {
        "nav": NAV, "p": participant, "grant": grant, "pl": placement, "form": form,
    })
