"""Casusoverleg pages. Thin: parse the request, call ``meetings`` (services and queries), render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.casework import pdf as meeting_pdf
from koers.casework.forms.meetings import (
    AcceptProposalForm,
    AddParticipantForm,
    DiscussionRequestForm,
    ItemMinutesForm,
    MeetingForm,
    SearchForm,
)
from koers.casework.queries import meetings as meeting_queries
from koers.casework.services import meetings as meeting_services
from koers.core import access, audit, locking
from koers.core.codes import Category, MeetingStatus
from koers.core.formtools import apply_errors
from koers.core.http import safe_next
from koers.core.models import AuditAction
from koers.core.pages import participant_page

PAGE_SIZE = 25


def _require_case_worker(user) -> None:
    if not access.works_with_participants(user):
        raise Http404("Pagina niet gevonden")


def _safe_next(request, default: str) -> str:
    return safe_next(request, default)


def _closed(request, meeting):
    messages.error(request, meeting_queries.CLOSED_MESSAGE)
    return redirect("casework:meeting_detail", pk=meeting.pk)


# --- Discussion requests ------------------------------------------------------------------------------------------

@require_POST
@participant_page
def request_discussion(request, participant, grant):
    back = _safe_next(request, reverse("participants:detail", kwargs={"pk": participant.pk}))
    form = DiscussionRequestForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.request_discussion(request.user, participant, grant, form.cleaned_data["reason"],
                                        request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{participant.name} is aangemeld voor het casusoverleg.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(back)


# --- Lists and planning -------------------------------------------------------------------------------------------

def meeting_list(request):
    _require_case_worker(request.user)
    upcoming, past = meeting_queries.meetings_for(request.user)
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/meetings/list.html", {
        "nav": "meetings", "upcoming": upcoming, "page": page, "can_plan": meeting_queries.can_plan(request.user),
    })


def meeting_create(request):
    if not meeting_queries.can_plan(request.user):
        raise Http404("Pagina niet gevonden")
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.plan_meeting(request.user, form.to_draft())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{meeting} is gepland. Stel nu de agenda op.")
            return redirect("casework:meeting_agenda", pk=meeting.pk)
    return render(request, "casework/meetings/form.html", {"nav": "meetings", "form": form})


# --- One meeting --------------------------------------------------------------------------------------------------

def _meeting(request, pk):
    _require_case_worker(request.user)
    return meeting_queries.get_meeting_or_404(request.user, pk)


def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    view = meeting_queries.meeting_view(request.user, meeting)
    meeting_queries.record_view(request.user, view, detail=f"{meeting} bekeken", request=request)
    return render(request, "casework/meetings/detail.html", {
        "nav": "meetings", "view": view, "meeting": meeting,
        "can_edit": meeting_queries.can_edit_agenda(request.user, meeting),
        "can_record": meeting_queries.can_record(request.user, meeting),
    })


def meeting_agenda(request, pk):
    """The agenda: the items so far, the proposal to take over, and adding or removing by hand."""
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.GEPLAND:
        return _closed(request, meeting)
    if not meeting_queries.can_edit_agenda(request.user, meeting):
        raise Http404("Pagina niet gevonden")
    proposal = meeting_queries.propose_agenda(meeting, viewer=request.user)
    accept = AcceptProposalForm(proposal=proposal)
    search = SearchForm(request.GET or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                accept = AcceptProposalForm(request.POST, proposal=proposal)
                if accept.is_valid():
                    items = meeting_services.accept_proposals(request.user, meeting,
                                                               accept.cleaned_data["participants"],
                                                      request=request)
                    messages.success(request, f"{len(items)} deelnemer(s) op de agenda gezet.")
                    return redirect("casework:meeting_agenda", pk=meeting.pk)
            elif action == "add":
                add = AddParticipantForm(request.POST)
                if not add.is_valid():
                    raise Http404("Deelnemer niet gevonden")
                reason = add.cleaned_data["reason"] or f"Toegevoegd door {request.user}"
                meeting_services.add_to_agenda(request.user, meeting, [(add.cleaned_data["participant"], reason)],
                                       request=request)
                messages.success(request, "De deelnemer staat op de agenda.")
                return redirect("casework:meeting_agenda", pk=meeting.pk)
            elif action == "remove":
                item = meeting_services.remove_from_agenda(request.user, meeting, request.POST.get("item"),
                                                            request=request)
                messages.success(request, f"{item.participant.name} is van de agenda gehaald.")
                return redirect("casework:meeting_agenda", pk=meeting.pk)
            else:
                raise Http404("Onbekende actie")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("casework:meeting_agenda", pk=meeting.pk)
    view = meeting_queries.meeting_view(request.user, meeting)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    results = meeting_queries.search_participants(request.user, meeting, q)
    grants = access.grants_for_page(request.user, [p.participant for p in proposal.proposals] + results)
    meeting_queries.record_view(request.user, view, detail=f"Agenda {meeting} bekeken", minutes=False, request=request)
    listed = [(p.participant.pk, c, grants[p.participant.pk].legal_basis) for p in proposal.proposals
              for c in (Category.IDENTITY, Category.TRAJECTORY)]
    listed += [(p.pk, Category.IDENTITY, grants[p.pk].legal_basis) for p in results]
    audit.record_many(request.user, listed, AuditAction.LIST, detail=f"Voorstel agenda {meeting}", request=request)
    selected = set(accept["participants"].value() or []) if accept.is_bound else {
        p.participant.pk for p in proposal.proposals if p.preselected}
    return render(request, "casework/meetings/agenda.html", {
        "nav": "meetings", "meeting": meeting, "view": view, "proposal": proposal, "accept": accept,
        "selected": {str(s) for s in selected}, "search": search, "q": q, "results": results,
        "can_edit": True, "can_record": meeting_queries.can_record(request.user, meeting),
    })


def meeting_minutes(request, pk):
    """Recording the minutes: one form per agenda item (each saves on its own), then finalising."""
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.GEPLAND:
        return _closed(request, meeting)
    if not meeting_queries.can_record(request.user, meeting):
        raise Http404("Pagina niet gevonden")
    view = meeting_queries.meeting_view(request.user, meeting)
    choices = meeting_queries.decision_organisations(meeting, [v.participant.pk for v in view.items])
    staff = list(meeting_queries.attendee_candidates(meeting_queries.organisation_ids(meeting)))
    posted = request.POST.get("item") if request.method == "POST" else None

    def form_for(v):
        data = request.POST if posted == str(v.item.pk) else None
        return ItemMinutesForm(data, meeting=meeting, item=v.item, grant=v.grant,
                               organisations=choices[v.participant.pk], staff=staff)

    rows = [(v, form_for(v)) for v in view.items]
    if posted is not None:
        row = next(((v, f) for v, f in rows if str(v.item.pk) == posted), None)
        if row is None:
            raise Http404("Agendapunt niet gevonden")
        v, form = row
        if form.is_valid():
            d = form.cleaned_data
            try:
                _, created = meeting_services.record_item(
                    request.user, meeting, v.item.pk, note=d["note"], note_is_special=d.get("note_is_special", False),
                    discussed=d["discussed"], decision=form.decision(), request=request,
                    version=form.submitted_version,
                )
            except locking.StaleEdit as exc:  # a colleague saved this item's minutes after the page was opened
                v.item.refresh_from_db()
                form.stale = exc
                form.refresh_version(meeting_queries.item_version(v.item))
            except ValidationError as exc:
                apply_errors(form, exc, field_map=ItemMinutesForm.DECISION_FIELDS)
            else:
                text = f"Verslag bij {v.participant.name} opgeslagen."
                if created:
                    text += f" Besluit ‘{created.title}’ is een actiepunt voor {created.owner_organisation}."
                messages.success(request, text)
                return redirect(reverse("casework:meeting_minutes", kwargs={"pk": meeting.pk}) + f"#item-{v.item.pk}")
    meeting_queries.record_view(request.user, view, detail=f"Notulen {meeting} bewerkt", request=request)
    return render(request, "casework/meetings/minutes.html", {
        "nav": "meetings", "meeting": meeting, "view": view, "rows": rows, "posted": posted,
        "can_edit": True, "can_record": True,
    }, status=400 if posted else 200)


@require_POST
def meeting_finalise(request, pk):
    meeting = _meeting(request, pk)
    if not request.POST.get("confirm"):
        if not meeting_queries.can_record(request.user, meeting) and meeting.status == MeetingStatus.GEPLAND:
            raise Http404("Pagina niet gevonden")
        messages.error(request, "Vink aan dat de notulen compleet zijn om ze vast te stellen.")
        return redirect("casework:meeting_detail", pk=meeting.pk)
    try:
        meeting_services.finalise(request.user, meeting, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "De notulen zijn vastgesteld. Het overleg kan niet meer worden gewijzigd.")
    return redirect("casework:meeting_detail", pk=meeting.pk)


# --- PDFs ---------------------------------------------------------------------------------------------------------

def _pdf(request, pk, kind: str):
    meeting = _meeting(request, pk)
    view = meeting_queries.meeting_view(request.user, meeting)
    content = meeting_pdf.render_pdf(view, kind, printed_by=request.user, printed_at=timezone.localtime())
    meeting_queries.record_view(request.user, view, action=AuditAction.EXPORT, minutes=kind == "minutes",
                         detail=f"{'Agenda' if kind == 'agenda' else 'Notulen'} {meeting} als PDF", request=request)
    response = HttpResponse(content, content_type="application/pdf")
    name = "agenda" if kind == "agenda" else "notulen"
    response["Content-Disposition"] = f'inline; filename="casusoverleg-{meeting.pk}-{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def meeting_agenda_pdf(request, pk):
    return _pdf(request, pk, "agenda")


def meeting_minutes_pdf(request, pk):
    return _pdf(request, pk, "minutes")
