"""Pages for warm handovers: starting one, the list, the snapshot and confirming. Thin: parse the request, call a
query or service, render. Every page checks the participant with the access policy (hidden is 404) and writes an
audit record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from koers.casework.forms.handover import HandoverConfirmForm, HandoverForm
from koers.casework.queries import contacts as contact_queries
from koers.casework.queries import handover as handover_queries
from koers.casework.services import handover as handover_services
from koers.core import access, audit
from koers.core.codes import Category, HandoverStatus
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_object_page, participant_page


def _require_case_worker(user) -> None:
    if not access.works_with_participants(user):
        raise Http404("Pagina niet gevonden")


@participant_page
def handover_create(request, participant, grant):
    access.require_category(grant, Category.TRAJECTORY)  # a handover is trajectory data
    if not handover_queries.can_start(grant):
        raise Http404("Pagina niet gevonden")
    form = HandoverForm(request.POST or None, receivers=handover_queries.receivers(participant, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            h = handover_services.start_handover(request.user, participant, grant,
                                                 form.receivers[form.cleaned_data["to_user"]],
                                                 form.cleaned_data["note"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"De overdracht aan {h.to_user} is klaar. {h.to_user} krijgt een e-mail en "
                                      "bevestigt de overdracht in Koers.")
            return redirect("casework:handover_detail", handover_id=h.pk)
    earlier = handover_queries.earlier_handovers(participant)
    audit.record(request.user, participant, {Category.IDENTITY, Category.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Formulier warme overdracht", request=request)
    return render(request, "casework/handover/form.html", {
        "nav": "participants", "p": participant, "grant": grant, "form": form, "earlier": earlier,
        "recent_days": handover_queries.RECENT_DAYS,
    })


def my_handovers(request):
    _require_case_worker(request.user)
    items = list(handover_queries.visible_handovers(request.user)[:200])
    received = [h for h in items if h.to_user_id == request.user.pk]
    sent = [h for h in items if h.to_user_id != request.user.pk]
    if items:
        people = {h.participant_id: h.participant for h in items}.values()
        bases = {pid: g.legal_basis for pid, g in access.grants_for_page(request.user, people).items()}
        audit.record_list(request.user, sorted({h.participant_id for h in items}), bases, category=Category.IDENTITY,
                          detail="Overdrachten", request=request)
    return render(request, "casework/handover/list.html", {
        "nav": "actions", "tab": "handovers", "is_regisseur": contact_queries.may_see_team(request.user),
        "open_received": [h for h in received if h.status == HandoverStatus.OPEN],
        "done_received": [h for h in received if h.status != HandoverStatus.OPEN],
        "sent": sent,
    })


@participant_object_page(handover_queries.get_handover_or_404, kwarg="handover_id")
def handover_detail(request, h, participant, grant):
    doc = handover_queries.snapshot_for(h, grant)
    audit.record(request.user, participant, handover_queries.snapshot_categories(doc), AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Warme overdracht bekeken", request=request)
    can_confirm = h.to_user_id == request.user.pk and h.status == HandoverStatus.OPEN
    return render(request, "casework/handover/detail.html", {
        "nav": "participants", "p": participant, "grant": grant, "h": h, "doc": doc,
        "can_confirm": can_confirm, "confirm_form": HandoverConfirmForm() if can_confirm else None,
    })


@require_POST
@participant_object_page(handover_queries.get_handover_or_404, kwarg="handover_id")
def handover_confirm(request, h, participant, grant):
    form = HandoverConfirmForm(request.POST)
    note = form.cleaned_data["confirm_note"] if form.is_valid() else ""
    try:
        handover_services.confirm(request.user, h, note, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"U heeft de overdracht van {participant.name} bevestigd.")
    return redirect(reverse("casework:handover_detail", kwargs={"handover_id": h.pk}))
