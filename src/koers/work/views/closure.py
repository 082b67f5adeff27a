"""Pages for closing a trajectory (regisseur only): the closing form, the closure, and the final reports as PDF.
Thin: parse, call a query or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from koers.core import audit
from koers.core.codes import Category, Outcome, Phase
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.work import pdf
from koers.work.forms.closure import ClosureForm
from koers.work.models import Placement
from koers.work.queries import closure as closure_queries
from koers.work.queries import placements as placement_queries
from koers.work.services import closure as closure_services
from koers.work.views.placements import NAV, W, require_work, view_audit


@participant_page
def close_trajectory(request, participant, grant):
    require_work(grant)
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
            closure = closure_services.close_trajectory(request.user, participant, grant, form.to_data(),
                                                        request=request)
        except ValidationError as exc:
            apply_errors(form, exc, field_map={
                name: f"{name}_decision" for name in getattr(exc, "error_dict", {}) if f"{name}_decision" in form.fields
            })
        else:
            ended = closure.enrolments_ended.count()
            messages.success(request, "Het traject is afgesloten. De eindrapportage staat klaar." + (
                f" {ended} inschrijving{'en' if ended != 1 else ''} beëindigd." if ended else ""))
            return redirect("work:closure_detail", pk=participant.pk)
    view_audit(request, participant, grant, "Formulier traject afsluiten",
                (Category.IDENTITY, Category.TRAJECTORY, W))
    return render(request, "work/closure/form.html", {
        "nav": NAV, "p": participant, "grant": grant, "form": form, "proposal": proposal,
        "open_aftercare": placement_queries.open_aftercare(participant), "dropout_code": Outcome.VOORTIJDIGE_UITVAL,
        "running_enrolments": closure_queries.running_enrolments(participant, today),
    })


@participant_page
def closure_detail(request, participant, grant):
    require_work(grant)
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
    require_work(grant)
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
