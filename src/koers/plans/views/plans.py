"""Plan pages (versions, goals, steps, agreements, signing, comparing, the PDF). Thin: parse the request, call a
query or service, render. Every page and change is audited; whatever the user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.core import access, audit, uploads
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.http import post_text
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.plans import pdf as plan_pdf
from koers.plans.forms import plans as forms
from koers.plans.models import SignedPlanError, SignMethod
from koers.plans.queries import plans as queries
from koers.plans.rules.diff import diff_versions
from koers.plans.services import plans as services

T = Category.TRAJECTORY


def _require(grant, *, write: bool = False) -> None:
    """Plan pages are trajectory data: 404 without it (the door already loaded the participant)."""
    access.require_category(grant, T, write=write)


def _ctx(participant, grant, **extra) -> dict:
    return {"nav": "participants", "p": participant, "grant": grant, "tab": "plan", **extra}


def _record_view(request, participant, grant, categories, detail: str, action: str = AuditAction.VIEW) -> None:
    audit.record(request.user, participant, categories or {T}, action, legal_basis=grant.legal_basis,
                 detail=detail, request=request)


def _shown_categories(version) -> set[str]:
    cats = {T}
    if version is not None and any(g.is_special for g in version.goals.all()):
        cats.add(Category.SPECIAL)
    return cats


def _plan_url(participant) -> str:
    return reverse("plans:plan", kwargs={"pk": participant.pk})


def _edit_url(participant, version) -> str:
    return reverse("plans:edit", kwargs={"pk": participant.pk, "number": version.number})


def _draft_or_redirect(request, participant, grant, number):
    """The concept with this number, or a redirect with a clear message when it is signed."""
    version = queries.get_version_or_404(participant, grant, number)
    if version.is_signed:
        messages.error(request, SignedPlanError().message)
        return None, redirect(_plan_url(participant))
    return version, None


# --- Plan pages -----------------------------------------------------------------------------------------


@participant_page
def plan(request, participant, grant, number=None):
    _require(grant)
    ctx = queries.plan_page(participant, grant, number)
    version = ctx["version"]
    _record_view(request, participant, grant, _shown_categories(version),
                 f"Plan bekeken (versie {version.number})" if version else "Plan bekeken (nog geen plan)")
    previous = None
    if version is not None:
        previous = next((v for v in ctx["versions"] if v.number < version.number), None)
    ctx.update(_ctx(participant, grant, previous=previous, can_edit=grant.can_change(T),
                    can_sign=grant.is_regisseur, chain=ctx["is_current"] and grant.can_change(T)))
    return render(request, "plans/plan.html", ctx)


@participant_page
def start(request, participant, grant):
    _require(grant, write=True)
    if queries.has_plan(participant):
        messages.info(request, "Deze deelnemer heeft al een plan.")
        return redirect(_plan_url(participant))
    kind = "pip" if participant.integration_obliged == "ja" else "toekomstplan"
    form = forms.PlanHeaderForm(request.POST or None, with_revision=False, initial={
        "kind": kind, "plan_date": timezone.localdate(),
        "long_term_goal": queries.suggested_long_term_goal(participant, grant)})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.start_plan(request.user, participant, grant, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_plan_url(participant))
        taken = version.goals.count()
        messages.success(request, "Het concept van het plan is aangemaakt. " + (
            f"{taken} doel(en) zijn overgenomen uit de brede intake: vul ze aan met streefdatum en stappen."
            if taken else "Voeg doelen en afspraken toe."))
        return redirect(_edit_url(participant, version))
    _record_view(request, participant, grant, {T}, "Formulier nieuw plan")
    return render(request, "plans/form.html", _ctx(participant, grant, form=form, title="Plan opstellen",
                                                    submit="Concept aanmaken", cancel=_plan_url(participant)))


@require_POST
@participant_page
def new_version(request, participant, grant):
    _require(grant, write=True)
    try:
        version = services.new_version(request.user, participant, grant, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_plan_url(participant))
    messages.success(request, f"Versie {version.number} is gestart als concept, met de inhoud van de vorige versie.")
    return redirect(_edit_url(participant, version))


@participant_page
def edit(request, participant, grant, number):
    _require(grant, write=True)
    version, refused = _draft_or_redirect(request, participant, grant, number)
    if refused:
        return refused
    initial = {"revision": version.revision, "kind": version.kind, "plan_date": version.plan_date,
               "long_term_goal": version.long_term_goal}
    form = forms.PlanHeaderForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            changed = services.update_header(
                request.user, participant, grant, version.pk, d["revision"], kind=d["kind"],
                plan_date=d["plan_date"], long_term_goal=d["long_term_goal"], request=request,
            )
        except SignedPlanError as exc:
            messages.error(request, exc.message)
            return redirect(_plan_url(participant))
        except services.StaleDraftError as exc:
            conflict = exc
            form = _refreshed(forms.PlanHeaderForm, request, version)
        else:
            messages.success(request, "Plan opgeslagen." if changed else "Er is niets gewijzigd.")
            return redirect(_edit_url(participant, version))
    _record_view(request, participant, grant, _shown_categories(version), f"Concept plan versie {version.number}")
    return render(request, "plans/edit.html", _ctx(
        participant, grant, version=version, form=form, conflict=_conflict(conflict, grant),
        edits=queries.recent_edits(version, grant), can_sign=grant.is_regisseur,
    ))


def _refreshed(form_class, request, plan_version, /, **kwargs):
    """The user's input again, with the current revision: they see what changed and may save deliberately."""
    plan_version.refresh_from_db(fields=["revision"])
    data = request.POST.copy()
    data["revision"] = str(plan_version.revision)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _conflict(exc, grant):
    if exc is None:
        return None
    shown = queries.categories_shown(grant)
    return {"message": str(exc), "edits": [e for e in exc.edits if e.category in shown]}


def _draft_item_form(request, participant, grant, version, *, form, save, success: str, template_ctx: dict):
    """Shared POST handling of goal, step and agreement forms (signed → refused; stale → conflict shown)."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except SignedPlanError as exc:
            messages.error(request, exc.message)
            return redirect(_plan_url(participant))
        except services.StaleDraftError as exc:
            conflict = exc
            form = _refreshed(type(form), request, version, **template_ctx.pop("form_kwargs", {}))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(_edit_url(participant, version))
    template_ctx.pop("form_kwargs", None)
    return render(request, "plans/form.html", _ctx(
        participant, grant, version=version, form=form, conflict=_conflict(conflict, grant),
        cancel=_edit_url(participant, version), **template_ctx,
    ))


@participant_page
def goal_form(request, participant, grant, number, goal_id=None):
    _require(grant, write=True)
    version, refused = _draft_or_redirect(request, participant, grant, number)
    if refused:
        return refused
    goal = None
    if goal_id is not None:
        goal = next((g for g in version.goals.all() if g.pk == goal_id), None)
        if goal is None:  # not in this version, or a health goal this user may not see
            raise Http404("Doel niet gevonden")
        access.require_category(grant, goal.category, write=True)
    kwargs = {"version": version, "special": grant.can_change(Category.SPECIAL),
              "previous_due": goal.due_date if goal else None}
    initial = {"revision": version.revision}
    if goal:
        initial.update({f: getattr(goal, f) for f in ("domain", "title", "description", "due_date", "status",
                                                       "next_goal")})
    form = forms.GoalForm(request.POST or None, initial=initial, **kwargs)

    def save(f):
        services.save_goal(request.user, participant, grant, version.pk, f.cleaned_data["revision"],
                           f.data_object(), goal_id=goal_id, request=request)

    if request.method == "GET":
        _record_view(request, participant, grant, {goal.category} if goal else {T},
                     f"Formulier doel (plan versie {version.number})")
    return _draft_item_form(request, participant, grant, version, form=form, save=save,
                            success="Doel opgeslagen.", template_ctx={
                                "title": "Doel wijzigen" if goal else "Doel toevoegen", "submit": "Doel opslaan",
                                "form_kwargs": kwargs})


@participant_page
def step_form(request, participant, grant, number, goal_id, step_id=None):
    _require(grant, write=True)
    version, refused = _draft_or_redirect(request, participant, grant, number)
    if refused:
        return refused
    goal = next((g for g in version.goals.all() if g.pk == goal_id), None)
    if goal is None:
        raise Http404("Doel niet gevonden")
    access.require_category(grant, goal.category, write=True)
    step = None
    if step_id is not None:
        step = next((s for s in goal.steps.all() if s.pk == step_id), None)
        if step is None:
            raise Http404("Stap niet gevonden")
    kwargs = {"participant": participant, "version": version, "goal": goal,
              "previous_due": step.due_date if step else None}
    initial = {"revision": version.revision}
    if step:
        initial.update({"description": step.description, "owner_organisation": step.owner_organisation_id,
                        "owner_user": step.owner_user_id, "due_date": step.due_date, "status": step.status})
    else:
        initial["owner_organisation"] = participant.regie_organisation_id
    form = forms.StepForm(request.POST or None, initial=initial, **kwargs)

    def save(f):
        services.save_step(request.user, participant, grant, version.pk, f.cleaned_data["revision"], goal.pk,
                           f.data_object(), step_id=step_id, request=request)

    if request.method == "GET":
        _record_view(request, participant, grant, {goal.category}, f"Formulier stap (plan versie {version.number})")
    return _draft_item_form(request, participant, grant, version, form=form, save=save, success="Stap opgeslagen.",
                            template_ctx={"title": ("Stap wijzigen" if step else "Stap toevoegen"),
                                          "subtitle": f"Doel: {goal.title}", "submit": "Stap opslaan",
                                          "form_kwargs": kwargs})


@participant_page
def agreement_form(request, participant, grant, number, agreement_id=None):
    _require(grant, write=True)
    version, refused = _draft_or_redirect(request, participant, grant, number)
    if refused:
        return refused
    agreement = None
    if agreement_id is not None:
        agreement = next((a for a in version.agreements.all() if a.pk == agreement_id), None)
        if agreement is None:
            raise Http404("Afspraak niet gevonden")
    initial = {"revision": version.revision, "text": agreement.text if agreement else ""}
    form = forms.AgreementForm(request.POST or None, initial=initial)

    def save(f):
        services.save_agreement(request.user, participant, grant, version.pk, f.cleaned_data["revision"],
                                f.cleaned_data["text"], agreement_id=agreement_id, request=request)

    if request.method == "GET":
        _record_view(request, participant, grant, {T}, f"Formulier afspraak (plan versie {version.number})")
    return _draft_item_form(request, participant, grant, version, form=form, save=save,
                            success="Afspraak opgeslagen.",
                            template_ctx={"title": "Afspraak wijzigen" if agreement else "Afspraak toevoegen",
                                          "submit": "Afspraak opslaan"})


def _delete(request, participant, grant, number, action):
    _require(grant, write=True)
    version, refused = _draft_or_redirect(request, participant, grant, number)
    if refused:
        return refused
    form = forms.RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Het formulier is verlopen. Probeer het opnieuw.")
        return redirect(_edit_url(participant, version))
    try:
        action(participant, grant, version, form.cleaned_data["revision"])
    except SignedPlanError as exc:
        messages.error(request, exc.message)
        return redirect(_plan_url(participant))
    except services.StaleDraftError as exc:
        shown = queries.categories_shown(grant)
        changes = "; ".join(f"{e.user}: {e.summary}" for e in exc.edits if e.category in shown)
        messages.error(request, f"{exc} Gewijzigd: {changes}." if changes else str(exc))
        return redirect(_edit_url(participant, version))
    messages.success(request, "Verwijderd.")
    return redirect(_edit_url(participant, version))


@require_POST
@participant_page
def goal_delete(request, participant, grant, number, goal_id):
    return _delete(request, participant, grant, number, lambda p, g, v, rev: services.delete_goal(
        request.user, p, g, v.pk, rev, goal_id, request=request))


@require_POST
@participant_page
def step_delete(request, participant, grant, number, goal_id, step_id):
    return _delete(request, participant, grant, number, lambda p, g, v, rev: services.delete_step(
        request.user, p, g, v.pk, rev, goal_id, step_id, request=request))


@require_POST
@participant_page
def agreement_delete(request, participant, grant, number, agreement_id):
    return _delete(request, participant, grant, number, lambda p, g, v, rev: services.delete_agreement(
        request.user, p, g, v.pk, rev, agreement_id, request=request))


@require_POST
@participant_page
def complete_goal(request, participant, grant):
    _require(grant, write=True)
    lineage = post_text(request, "lineage")[:64]
    revision = request.POST.get("revision", "")
    try:
        version, goal, follow_up = services.complete_goal(
            request.user, participant, grant, lineage, revision=int(revision) if revision.isdigit() else None,
            request=request,
        )
    except services.StaleDraftError as exc:
        messages.error(request, str(exc))
        return redirect(_plan_url(participant))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_plan_url(participant))
    text = f"Doel ‘{goal.title}’ is behaald."
    if follow_up:
        text += f" Het volgende doel ‘{follow_up.title}’ is toegevoegd; vul de stappen aan."
    text += f" De wijziging staat in het concept (versie {version.number}); onderteken het om het vast te stellen."
    messages.success(request, text)
    return redirect(_edit_url(participant, version))


@participant_page
def sign(request, participant, grant, number):
    _require(grant, write=True)
    if not grant.is_regisseur:
        raise Http404("Pagina niet gevonden")
    version, refused = _draft_or_redirect(request, participant, grant, number)
    if refused:
        return refused
    form = forms.SignForm(request.POST or None, request.FILES or None,
                          initial={"revision": version.revision, "method": SignMethod.SCREEN})
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.sign(request.user, participant, grant, version.pk, d["revision"], method=d["method"],
                          signed_on=d["signed_on"], participant_signed=d["participant_signed"],
                          document=d.get("document"), note=d["note"], request=request)
        except SignedPlanError as exc:
            messages.error(request, exc.message)
            return redirect(_plan_url(participant))
        except services.StaleDraftError as exc:
            conflict = exc
            version = queries.get_version_or_404(participant, grant, number)
            data = request.POST.copy()
            data["revision"] = str(version.revision)
            form = forms.SignForm(data, request.FILES or None)
            form.is_valid()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Versie {version.number} van het plan is ondertekend.")
            return redirect(_plan_url(participant))
    _record_view(request, participant, grant, _shown_categories(version), f"Ondertekenen plan versie {version.number}")
    return render(request, "plans/sign.html", _ctx(participant, grant, version=version, form=form,
                                                    conflict=_conflict(conflict, grant)))


@participant_page
def compare(request, participant, grant):
    _require(grant)
    all_versions = queries.versions(participant)
    if len(all_versions) < 2:
        messages.info(request, "Er is maar één versie van het plan: er is nog niets te vergelijken.")
        return redirect(_plan_url(participant))
    numbers = [v.number for v in all_versions]

    def pick(name, default):
        try:
            value = int(request.GET.get(name, default))
        except ValueError:
            return default
        return value if value in numbers else default

    new_n = pick("naar", numbers[0])
    old_n = pick("van", next((n for n in numbers if n < new_n), numbers[-1]))
    old = queries.get_version_or_404(participant, grant, old_n)
    new = queries.get_version_or_404(participant, grant, new_n)
    result = diff_versions(old, new, grant.read)
    _record_view(request, participant, grant, {T} | {c.category for c in result.changes},
                 f"Planversies vergeleken ({old_n} en {new_n})")
    return render(request, "plans/compare.html", _ctx(participant, grant, diff=result, versions=all_versions,
                                                       old=old, new=new))


@participant_page
def pdf(request, participant, grant, number):
    _require(grant)
    version = queries.get_version_or_404(participant, grant, number)
    content = plan_pdf.render_pdf(participant, version, grant)
    _record_view(request, participant, grant, _shown_categories(version) | {Category.IDENTITY},
                 f"Plan versie {version.number} als PDF", AuditAction.EXPORT)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{participant.pk}-versie-{version.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@participant_page
def signed_document(request, participant, grant, number):
    _require(grant)
    version = queries.get_version_or_404(participant, grant, number)
    if not version.signed_document:
        raise Http404("Geen document")
    categories = {T, Category.IDENTITY}
    if queries.holds_special_content(version):
        # The scan shows every goal, health goals included: special-category data as a whole.
        access.require_category(grant, Category.SPECIAL)
        categories.add(Category.SPECIAL)
    _record_view(request, participant, grant, categories,
                 f"Ondertekend plan versie {version.number} (scan) geopend", AuditAction.EXPORT)
    ext = uploads.extension(version.signed_document.name)
    return uploads.download(version.signed_document,
                            f"plan-{participant.pk}-versie-{version.number}-ondertekend.{ext}")
