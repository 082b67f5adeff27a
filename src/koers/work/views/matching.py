"""Matching pages: the candidates for an opening (demand-led), the openings for a participant (supply-led), the
work profile, proposing a participant and rejecting a proposal. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_object_page, participant_page
from koers.work.forms.matching import ProposeMatchForm, RejectMatchForm, WorkProfileForm
from koers.work.models import Match, MatchStatus, OpeningStatus
from koers.work.queries import employers as employer_queries
from koers.work.queries import matching as matching_queries
from koers.work.rules.matching import KIND_LABELS, TOTAL_POINTS
from koers.work.services import matching as matching_services

MATCH_PAGE_SIZE = 20
NEAR_MISSES = 10
NAV = "work"


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def opening_matches(request, pk):
    """Demand-led: the participants the user may see, ranked for this opening."""
    opening = employer_queries.get_opening_or_404(request.user, pk)
    ranking, grants = matching_queries.rank_participants(request.user, opening)
    page = Paginator(ranking.eligible, MATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    near = ranking.near_misses[:NEAR_MISSES]
    shown = [e.candidate.id for e in page.object_list] + [e.candidate.id for e in near]
    existing = dict(
        Match.objects.filter(opening=opening, participant_id__in=shown,
                             status__in=[MatchStatus.VOORGESTELD, MatchStatus.GEPLAATST])
        .values_list("participant_id", "status")
    )
    is_open = opening.status == OpeningStatus.OPEN
    rows = [
        {"ev": e, "existing": existing.get(e.candidate.id),
         "can_propose": is_open and matching_queries.can_propose(grants[e.candidate.id])}
        for e in page.object_list
    ]
    if shown:
        audit.record_many(
            request.user,
            [(pid, Category.WORK if Category.WORK in grants[pid].read else Category.IDENTITY, grants[pid].legal_basis)
             for pid in shown],
            AuditAction.LIST, detail=f"Kandidaten voor ‘{opening.title}’", request=request,
        )
    return render(request, "work/matching/opening.html", {
        "nav": NAV, "opening": opening, "page": page, "rows": rows, "near": near,
        "n_eligible": len(ranking.eligible), "n_excluded": len(ranking.near_misses),
        "query": _query_without_page(request), "max_points": TOTAL_POINTS,
    })


@participant_page
def participant_matches(request, participant, grant):
    """Supply-led: the open openings ranked for this participant, their proposals and company visits."""
    access.require_category(grant, Category.WORK)
    ranking = matching_queries.rank_openings(participant, grant)
    page = Paginator(ranking.eligible, MATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = matching_queries.matches_for_participant(participant)
    open_proposals = {m.opening_id for m in proposals if m.status in (MatchStatus.VOORGESTELD, MatchStatus.GEPLAATST)}
    can_propose = matching_queries.can_propose(grant)
    profile = matching_queries.get_work_profile(participant)
    rows = [{"ev": e, "existing": e.job.id in open_proposals, "can_propose": can_propose} for e in page.object_list]
    categories = {Category.IDENTITY, Category.WORK} | (
        {Category.LANGUAGE, Category.TRAJECTORY} & set(grant.read)
    )
    audit.record(request.user, participant, categories, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Passende vacatures (aanbodgericht matchen)", request=request)
    return render(request, "work/matching/participant.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "werk", "page": page, "rows": rows,
        "near": ranking.near_misses[:NEAR_MISSES], "n_eligible": len(ranking.eligible),
        "profile": profile, "excluded_kinds": [KIND_LABELS.get(k, k) for k in profile.excluded_kinds],
        "proposals": proposals,
        "visits": employer_queries.participant_visits(participant), "can_edit_profile": grant.can_change(Category.WORK),
        "query": _query_without_page(request), "max_points": TOTAL_POINTS,
    })


@participant_page
def work_profile(request, participant, grant):
    access.require_category(grant, Category.WORK, write=True)
    profile = matching_queries.get_work_profile(participant)
    form = WorkProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            matching_services.save_work_profile(request.user, participant, grant, form.instance,
                                                form.cleaned_data["certificates"],
                                  request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Het werkprofiel is opgeslagen.")
            return redirect("work:participant_matches", pk=participant.pk)
    audit.record(request.user, participant, Category.WORK, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Werkprofiel (formulier)", request=request)
    return render(request, "work/matching/work_profile.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "werk", "form": form,
    })


@participant_page(kwarg="participant_pk")
def propose_match(request, participant, grant, pk):
    opening = employer_queries.get_opening_or_404(request.user, pk)
    if not matching_queries.can_propose(grant):
        raise Http404(employer_queries.NOT_FOUND)
    if opening.status != OpeningStatus.OPEN:
        messages.error(request, "Deze plek is niet meer open; een voorstel kan niet meer.")
        return redirect("work:opening_detail", pk=opening.pk)
    form = ProposeMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matching_services.propose_match(request.user, opening, participant, grant, mode=form.cleaned_data["mode"],
                              note=form.cleaned_data["note"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{participant.name} is voorgesteld voor ‘{opening.title}’.")
            if request.GET.get("terug") == "deelnemer":
                return redirect("work:participant_matches", pk=participant.pk)
            return redirect("work:opening_detail", pk=opening.pk)
    evaluation = matching_queries.evaluation(participant, grant, opening)
    audit.record(request.user, participant, {Category.IDENTITY, Category.WORK}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail=f"Match met ‘{opening.title}’ bekeken", request=request)
    return render(request, "work/matching/propose.html", {
        "nav": NAV, "opening": opening, "p": participant, "ev": evaluation, "form": form,
        "max_points": TOTAL_POINTS, "back": request.GET.get("terug", ""),
    })


def _match(user, pk):
    match, grant = matching_queries.get_match_or_404(user, pk)
    return match, match.participant, grant


@participant_object_page(_match)
def match_reject(request, match, participant, grant):
    if not matching_queries.can_propose(grant) or match.status != MatchStatus.VOORGESTELD:
        raise Http404(employer_queries.NOT_FOUND)
    form = RejectMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matching_services.reject_match(request.user, match, grant, reason=form.cleaned_data["reason"],
                                           request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Het voorstel is afgewezen.")
            return redirect("work:participant_matches", pk=match.participant_id)
    audit.record(request.user, participant, {Category.IDENTITY, Category.WORK}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail=f"Voorstel voor ‘{match.opening.title}’ afwijzen (formulier)",
                 request=request)
    return render(request, "work/matching/reject.html", {"nav": NAV, "match": match, "p": participant, "form": form})

