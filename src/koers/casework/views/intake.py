"""The closing step of the brede intake (summary and action plan), registered with participants' intake pages.

The step page is reached through the intake's own URL (``participants:intake_step`` with step ``afronden``),
behind the participant door; ``participants.intake_views`` calls ``closing_step`` for it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from koers.casework.forms.actions import ActionChoices, ActionFormSet, SummaryForm
from koers.casework.queries import actions as queries
from koers.casework.queries import intake as intake_queries
from koers.casework.services import intake as intake_services
from koers.core.codes import Category
from koers.participants.queries import intake as intake_steps
from koers.participants.views import intake as intake_views

C = Category


def closing_step(request, participant, grant, obj, steps, current):
    choices = ActionChoices.for_participant(participant)
    initial = intake_queries.initial_rows(
        request.user, participant, grant, obj, choices.default_organisation_id(request.user)
    )
    summary_form = SummaryForm(request.POST or None, initial={"summary": obj.summary})
    formset = ActionFormSet(
        request.POST or None, initial=initial, prefix="actie",
        form_kwargs={"participant": participant, "grant": grant, "choices": choices},
        extra_initial=choices.new_row_initial(request.user),
    )
    action = request.POST.get("action", "afronden")
    if request.method == "POST" and summary_form.is_valid() and formset.is_valid():
        drafts = [f.to_draft(request.user) for f in formset.forms if f.cleaned_data and not f.skipped]
        summary = summary_form.cleaned_data["summary"]
        if action in ("later", "rij"):
            intake_services.save_plan(request.user, participant, grant, obj, summary, drafts)
            if action == "rij":
                messages.success(request, "Opgeslagen. Vul het nieuwe actiepunt in.")
                return redirect(intake_views.step_url(participant, obj, current) + "#nieuw-actiepunt")
            return intake_views.after_save(request, participant, obj, steps, current)
        try:
            items = intake_services.complete_intake(request.user, participant, grant, obj, summary, drafts)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"De brede intake is afgerond. {len(items)} actiepunt(en) aangemaakt.")
            return redirect(intake_views.detail_url(participant, obj))
    domains = [d for d in intake_steps.visible_domains(obj, grant) if d.notes and not d.notes.is_empty]
    colleagues = intake_queries.colleagues_rows(obj, grant)
    categories = {C.TRAJECTORY} | {d.category for d in domains} | {
        queries.category_of(r.get("domain") or "") for r in [*initial, *colleagues]}
    return intake_views.render_step(
        request, "casework/intake/step_closing.html", participant, grant, obj, steps, current, categories, {
            "summary_form": summary_form, "formset": formset, "domains": domains, "colleagues": colleagues,
            "has_errors": bool(summary_form.errors or formset.total_error_count()),
            "only_regie": len(choices.organisations) <= 1,
        },
    )
