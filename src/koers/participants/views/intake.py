"""Pages of the brede intake. Thin: parse the request, call intake.py (services and queries), render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from koers.core import access, audit, locking
from koers.core.codes import DOMAIN_CATEGORY, Category, LifeDomain
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.participants.forms.file import BarriersForm
from koers.participants.forms.intake import ConversationForm, DomainForm
from koers.participants.queries import intake as intake_queries
from koers.participants.services import intake as intake_services

C = Category
#: The file section whose intake step also records the structured work history.
WORK_SECTION = "wensen"


def step_url(participant, obj, step) -> str:
    return reverse("participants:intake_step", kwargs={"pk": participant.pk, "intake_id": obj.pk, "step": step.slug})


def detail_url(participant, obj) -> str:
    return reverse("participants:intake_detail", kwargs={"pk": participant.pk, "intake_id": obj.pk})


@participant_page
def intake_list(request, participant, grant):
    access.require_category(grant, C.TRAJECTORY)
    intakes = intake_queries.intake_list(participant)
    audit.record(request.user, participant, {C.IDENTITY, C.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Brede intakes bekeken", request=request)
    return render(request, "participants/intake/list.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "intake", "intakes": intakes,
        "draft": next((i for i in intakes if not i.is_completed), None), "can_start": intake_queries.can_start(grant),
    })


@require_POST
@participant_page
def intake_start(request, participant, grant):
    """Start a brede intake; when a draft is open, resume that one (one draft per participant)."""
    access.require_category(grant, C.TRAJECTORY, write=True)
    obj, created = intake_services.start_intake(request.user, participant, grant)
    if created:
        messages.success(request, "De brede intake is gestart. Elke stap wordt opgeslagen; u kunt later verder.")
    else:
        messages.info(request, "Er loopt al een brede intake voor deze deelnemer. U gaat daarmee verder.")
    return redirect(step_url(participant, obj, intake_queries.resume_step(obj, intake_queries.steps_for(grant))))


@participant_page
def intake_resume(request, participant, grant, intake_id):
    """'Intake hervatten': to the step where this user continues."""
    access.require_category(grant, C.TRAJECTORY, write=True)
    obj = intake_queries.get_intake_or_404(participant, intake_id)
    if obj.is_completed:
        return redirect(detail_url(participant, obj))
    return redirect(step_url(participant, obj, intake_queries.resume_step(obj, intake_queries.steps_for(grant))))


@participant_page
def intake_step(request, participant, grant, intake_id, step):
    access.require_category(grant, C.TRAJECTORY, write=True)
    obj = intake_queries.get_intake_or_404(participant, intake_id)
    if obj.is_completed:
        messages.info(request, "Deze intake is afgerond en kan niet meer worden gewijzigd.")
        return redirect(detail_url(participant, obj))
    steps = intake_queries.steps_for(grant)
    current = next((s for s in steps if s.slug == step), None)
    if current is None:
        raise Http404("Stap niet gevonden")
    if current.kind == "afronden":  # registered by the app that turns the intake into work (casework)
        handler = intake_queries.closing_step().view
    else:
        handler = {"gesprek": _conversation_step, "section": _section_step, "domains": _domains_step}[current.kind]
    try:
        return handler(request, participant, grant, obj, steps, current)
    except intake_queries.IntakeClosed:
        messages.warning(request, "Deze intake is intussen afgerond en kan niet meer worden gewijzigd.")
        return redirect(detail_url(participant, obj))


# --- Steps (helpers without underscore serve the closing step that casework registers) ---------------------------

def wants_later(request) -> bool:
    return request.POST.get("action") == "later"


def reached_step(request, steps, current) -> str:
    """The step to remember: the next one on 'Opslaan en verder', this one on 'Opslaan en later verder'."""
    index = steps.index(current)
    if wants_later(request) or index + 1 >= len(steps):
        return current.slug
    return steps[index + 1].slug


def after_save(request, participant, obj, steps, current):
    if wants_later(request):
        messages.success(request, "De intake is opgeslagen. U kunt later verder met ‘Intake hervatten’.")
        return redirect("participants:detail", pk=participant.pk)
    index = steps.index(current)
    return redirect(step_url(participant, obj, steps[min(index + 1, len(steps) - 1)]))


def render_step(request, template, participant, grant, obj, steps, current, categories, context):
    audit.record(request.user, participant, {C.IDENTITY, *categories}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail=f"Brede intake, stap {current.title}", request=request)
    reached = intake_queries.STEP_ORDER.get(obj.current_step, 0)
    index = steps.index(current)
    context.update({
        "nav": "participants", "p": participant, "grant": grant, "intake": obj, "step": current,
        "step_number": index + 1, "step_count": len(steps),
        "previous_step": steps[index - 1] if index else None,
        "is_last": index + 1 == len(steps),
        "steps": [
            {"step": s, "url": step_url(participant, obj, s), "current": s == current,
             "done": intake_queries.STEP_ORDER[s.slug] < reached}
            for s in steps
        ],
    })
    return render(request, template, context)


def _conversation_step(request, participant, grant, obj, steps, current):
    form = ConversationForm(request.POST or None, instance=obj, participant=participant, user=request.user)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            intake_services.save_conversation(
                request.user, participant, grant, obj, values={f: form.cleaned_data[f] for f in form.locked_fields()},
                version=form.submitted_version, reached=reached_step(request, steps, current))
        except locking.StaleEdit as exc:  # changed by a colleague meanwhile: show what, keep the input
            stale = exc
            fresh = type(obj).objects.get(pk=obj.pk)
            form.refresh_version(locking.make_version(locking.model_values(fresh, form.locked_fields())))
        else:
            return after_save(request, participant, obj, steps, current)
    return render_step(request, "participants/intake/step_conversation.html", participant, grant, obj, steps,
                        current, {C.TRAJECTORY}, {"form": form, "stale": stale})


def _section_step(request, participant, grant, obj, steps, current):
    section = current.section
    access.require_category(grant, section.category, write=True)
    if section.form_class is BarriersForm:
        form = BarriersForm(request.POST or None, participant=participant, special=grant.can_change(C.SPECIAL))
    else:
        form = section.form_class(request.POST or None, instance=participant)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            values = form.cleaned_data if section.form_class is BarriersForm else form.values()
            intake_services.save_section(request.user, participant, grant, obj, section, values=values,
                                         version=form.submitted_version, reached=reached_step(request, steps, current))
        except locking.StaleEdit as exc:  # changed in the file meanwhile: show what, keep the input
            stale = exc
            form.refresh_version(exc.version)
        else:
            if section.slug == WORK_SECTION and request.POST.get("action") == "werkervaring":
                # Saved; the work history is recorded as structured entries (matching reads them), then back here.
                back = step_url(participant, obj, current)
                return redirect(reverse("participants:add_work_experience", kwargs={"pk": participant.pk})
                                + "?" + urlencode({"next": back}))
            return after_save(request, participant, obj, steps, current)
    categories = {section.category}
    if section.form_class is BarriersForm and grant.special:
        categories.add(C.SPECIAL)
    extra = {"form": form, "section": section, "stale": stale}
    if section.slug == WORK_SECTION:
        extra["work_history"] = list(participant.work_history.all())
    return render_step(request, "participants/intake/step_section.html", participant, grant, obj, steps, current,
                       categories, extra)


def _domains_step(request, participant, grant, obj, steps, current):
    notes = intake_queries.domain_notes(obj, current.domains)
    rows = []
    for code in current.domains:
        note = notes.get(code)
        initial = {k: getattr(note, k) for k in ("situation", "own_view", "support_needed")} if note else {}
        rows.append({
            "code": code, "label": LifeDomain(code).label, "special": DOMAIN_CATEGORY[code] == C.SPECIAL,
            "form": DomainForm(request.POST or None, prefix=code, initial=initial,
                               version=intake_queries.domain_version(note)),
        })
    stale = None
    if request.method == "POST" and all(r["form"].is_valid() for r in rows):
        try:
            intake_services.save_domains(request.user, participant, grant, obj,
                                {r["code"]: r["form"].cleaned_data for r in rows},
                                reached=reached_step(request, steps, current),
                                versions={r["code"]: r["form"].submitted_version for r in rows})
        except locking.StaleEdit as exc:  # notes changed by a colleague meanwhile: show what, keep the input
            stale = exc
            fresh = intake_queries.domain_notes(obj, current.domains)
            for r in rows:
                r["form"].refresh_version(intake_queries.domain_version(fresh.get(r["code"])))
        else:
            return after_save(request, participant, obj, steps, current)
    return render_step(request, "participants/intake/step_domains.html", participant, grant, obj, steps, current,
                        {DOMAIN_CATEGORY[c] for c in current.domains},
                        {"rows": rows, "has_errors": any(r["form"].errors for r in rows), "stale": stale})


# --- Read-only ------------------------------------------------------------------------------------------------

@participant_page
def intake_detail(request, participant, grant, intake_id):
    """A (completed or draft) intake: the domains the viewer may see and the action items it created."""
    access.require_category(grant, C.TRAJECTORY)
    obj = intake_queries.get_intake_or_404(participant, intake_id)
    domains = intake_queries.visible_domains(obj, grant)
    shown = {C.IDENTITY, C.TRAJECTORY} | {d.category for d in domains if d.notes and not d.notes.is_empty}
    closing = intake_queries.closing_step()
    closing_context = {}
    if closing is not None:
        closing_context, categories = closing.detail(obj, grant)
        shown |= categories
    audit.record(request.user, participant, shown, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Brede intake bekeken", request=request)
    return render(request, "participants/intake/detail.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "intake", "intake": obj,
        "domains": domains, "closing_template": closing.detail_template if closing else None, **closing_context,
        "can_edit": not obj.is_completed and intake_queries.can_start(grant),
        "special_shown": any(d.special for d in domains),
    })
