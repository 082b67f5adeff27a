"""Pages of the follow-up measurements (worklist, answer) and of linking a participant to a project. Thin: the
rules live in services/followups.py and services/sync.py; hidden is 404; participant data shown is audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from koers.core import access, audit, locking
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_object_page, participant_page
from koers.monitoring.forms.followups import EnrolForm, FollowUpForm
from koers.monitoring.models import FollowUpStatus
from koers.monitoring.queries import followups as followup_queries
from koers.monitoring.queries import sync as sync_queries
from koers.monitoring.services import followups as followup_services
from koers.monitoring.services import sync as sync_services

NAV = "monitoring"
ID, T, W = Category.IDENTITY, Category.TRAJECTORY, Category.WORK


def followup_list(request):
    today = timezone.localdate()
    qs = followup_queries.open_follow_ups(request.user)
    page = Paginator(qs, getattr(settings, "KOERS_PAGE_SIZE", 25)).get_page(request.GET.get("page"))
    fus = list(page.object_list)
    grants = access.grants_for_page(request.user, [f.trajectory.participant for f in fus])
    rows = []
    for f in fus:
        rows.append({
            "follow_up": f, "participant": f.trajectory.participant, "overdue": followup_queries.is_overdue(f, today),
            "days_late": (today - f.due_on).days, "form": FollowUpForm(prefix=f"fu{f.pk}"),
            "opens_on": followup_queries.opens_on(f), "can_record": followup_queries.opens_on(f) <= today,
        })
    if rows:
        ids = [r["participant"].pk for r in rows]
        bases = {pid: g.legal_basis for pid, g in grants.items()}
        for category in (ID, T, W):
            audit.record_list(request.user, ids, bases, category=category, detail="Vervolgmetingen (werklijst)",
                              request=request)
    return render(request, "monitoring/followup_list.html", {
        "nav": NAV, "rows": rows, "page": page, "today": today,
        "overdue_count": qs.filter(due_on__lt=today).count() if rows else 0,
    })


@participant_object_page(followup_queries.get_follow_up_or_404)
def followup_record(request, fu, participant, grant):
    done = fu.status != FollowUpStatus.OPEN
    # A recorded follow-up shows its answer, with the correction form (pre-filled) folded away.
    initial = {"status": fu.status, "in_paid_work": fu.in_paid_work if fu.in_paid_work != "onbekend" else "",
               "done_on": fu.done_on, "note": fu.note} if done else None
    form = FollowUpForm(request.POST or None, prefix=f"fu{fu.pk}", initial=initial,
                        version=followup_queries.follow_up_version(fu))
    correct = request.method == "POST" and request.POST.get("correct") == "1"
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            followup_services.record_follow_up(request.user, fu, request=request, correct=correct,
                                       version=form.submitted_version, **form.answer_kwargs())
        except locking.StaleEdit as exc:  # recorded or corrected by a colleague meanwhile
            stale = exc
            fu = followup_queries.get_follow_up_or_404(request.user, fu.pk)[0]
            done = fu.status != FollowUpStatus.OPEN
            form.refresh_version(followup_queries.follow_up_version(fu))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            verb = "gecorrigeerd" if correct else "vastgelegd"
            messages.success(request, f"Vervolgmeting {fu.months} maanden {verb} voor {participant.name}.")
            return redirect("participants:detail", pk=participant.pk) if correct else redirect("monitoring:followups")
    audit.record(request.user, participant, {ID, T, W}, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail=f"Vervolgmeting {fu.months} maanden", request=request)
    return render(request, "monitoring/followup_form.html", {
        "nav": NAV, "fu": fu, "p": participant, "form": form,
        "overdue": followup_queries.is_overdue(fu), "done": done, "correcting": correct, "stale": stale,
    })


@participant_page
def enrol(request, participant, grant):
    if not sync_queries.can_enrol(grant):
        raise Http404("Pagina niet gevonden")
    form = EnrolForm(request.POST or None, prefix="enrol",
                     projects=sync_queries.enrollable_projects(request.user, participant))
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = sync_services.enrol_in_project(request.user, participant, form.cleaned_data["project"],
                                               started_on=form.cleaned_data["started_on"], grant=grant,
                                               request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{participant.name} is gekoppeld aan {trajectory.project.name} "
                                      f"({trajectory.programme.name}).")
            return redirect("participants:detail", pk=participant.pk)
    audit.record(request.user, participant, {ID, T}, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Formulier koppelen aan project", request=request)
    return render(request, "monitoring/followup_enrol.html", {"nav": "participants", "p": participant,
                                                              "grant": grant, "tab": "dossier", "form": form})
