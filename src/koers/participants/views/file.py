"""Participant file pages. Thin: parse the request, call a query or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from koers.core import access, audit, exports, locking
from koers.core.codes import SPECIAL_BARRIERS, Category, LanguageSkill, OrganisationKind, Role
from koers.core.formtools import apply_errors
from koers.core.http import safe_next
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.participants import panels
from koers.participants.forms.file import (
    SECTIONS,
    AuditFilterForm,
    BarriersForm,
    EndMembershipForm,
    LanguageTestForm,
    MembershipForm,
    ParticipantCreateForm,
    ParticipantFilterForm,
    WorkExperienceForm,
)
from koers.participants.queries import file as queries
from koers.participants.services import file as services


def _require_case_worker(user) -> None:
    if not access.works_with_participants(user):
        raise Http404("Pagina niet gevonden")


def participant_list(request):
    _require_case_worker(request.user)
    regisseurs, organisations = queries.filter_choices(request.user)
    form = ParticipantFilterForm(request.GET or None, regisseurs=regisseurs, organisations=organisations)
    filters = form.cleaned_data if form.is_valid() else {}
    page, rows = queries.participant_page(request.user, filters, request.GET.get("page"))
    audit.record_list(
        request.user,
        [r.participant.pk for r in rows],
        {r.participant.pk: r.grant.legal_basis for r in rows},
        category=Category.IDENTITY,
        detail="Deelnemerslijst",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "participants",
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_create": request.user.has_role(Role.REGISSEUR),
        "filtered": any(v not in (None, "") for v in filters.values()),
    }
    template = "participants/_list_results.html" if request.htmx else "participants/list.html"
    return render(request, template, context)


def participant_create(request):
    if not request.user.has_role(Role.REGISSEUR):
        raise Http404("Pagina niet gevonden")
    form = ParticipantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.check_duplicates(request.user):
        values = form.values()
        values.pop("other_person", None)
        try:
            participant = services.create_participant(request.user, **values)
        except ValidationError as exc:
            apply_errors(form, exc)
            return render(request, "participants/create.html", {"nav": "participants", "form": form})
        messages.success(
            request, f"{participant.name} is aangemaakt. Vul het dossier aan of start de intake."
        )
        return redirect("participants:detail", pk=participant.pk)
    return render(request, "participants/create.html", {"nav": "participants", "form": form})


@participant_page
def participant_detail(request, participant, grant):
    ctx = queries.participant_detail(participant, grant)
    panel_context, ctx["panels"] = panels.build_all(request, participant, grant)
    ctx.update(panel_context)
    audit.record(
        request.user,
        participant,
        grant.read,
        AuditAction.VIEW,
        legal_basis=grant.legal_basis,
        detail="Dossier bekeken",
        request=request,
    )
    ctx.update(
        {
            "nav": "participants",
            "p": participant,
            "grant": grant,
            "tab": "dossier",
            "sections": SECTIONS,
            "special_barriers": SPECIAL_BARRIERS,
        }
    )
    return render(request, "participants/detail.html", ctx)


@participant_page
def edit_section(request, participant, grant, section):
    sec = SECTIONS.get(section)
    if sec is None:
        raise Http404("Onderdeel niet gevonden")
    access.require_category(grant, sec.category, write=True)
    stale = None  # a refused save: the form again with the user's input and what changed since (core.locking)
    if sec.form_class is BarriersForm:
        form = BarriersForm(
            request.POST or None, participant=participant, special=grant.can_change(Category.SPECIAL),
        )
        if request.method == "POST" and form.is_valid():
            try:
                changed = services.set_barriers(
                    request.user,
                    participant,
                    grant,
                    form.cleaned_data["barrier_status"],
                    form.cleaned_data["barriers"],
                    version=form.submitted_version,
                )
            except locking.StaleEdit as exc:
                stale = exc
            else:
                messages.success(request, "Belemmeringen opgeslagen." if changed else "Er is niets gewijzigd.")
                return redirect(_after_save(request, participant))
    else:
        form = sec.form_class(request.POST or None, instance=participant)  # carries its version (forms.py)
        if request.method == "POST" and form.is_valid():
            try:
                changes = services.update_section(request.user, participant, grant, sec, values=form.values(),
                                                  version=form.submitted_version)
            except locking.StaleEdit as exc:
                stale = exc
            else:
                messages.success(
                    request,
                    f"{sec.title}: {len(changes)} wijziging(en) opgeslagen."
                    if changes
                    else "Er is niets gewijzigd.",
                )
                return redirect(_after_save(request, participant))
    if stale is not None:
        form.refresh_version(stale.version)
    audit.record(
        request.user,
        participant,
        sec.category,
        AuditAction.VIEW,
        legal_basis=grant.legal_basis,
        detail=f"Formulier {sec.title}",
        request=request,
    )
    return render(
        request,
        "participants/edit_section.html",
        {
            "nav": "participants",
            "p": participant,
            "grant": grant,
            "section": sec,
            "form": form,
            "stale": stale,
            "next": _safe_next(request),
        },
    )


def _safe_next(request) -> str:
    """The ``next`` parameter when it is a path inside Koers, else an empty string."""
    return safe_next(request, "")


def _after_save(request, participant) -> str:
    return _safe_next(request) or reverse("participants:detail", kwargs={"pk": participant.pk})


def _add_record(request, participant, grant, *, category: str, form_class, save, message, title: str, intro: str):
    """A one-form page that adds a record of one category to the file (language test, work experience)."""
    access.require_category(grant, category, write=True)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = save(request.user, participant, grant, **form.cleaned_data)
        messages.success(request, message(record))
        return redirect(_after_save(request, participant))
    audit.record(request.user, participant, {Category.IDENTITY, category}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail=f"Formulier {title.lower()}", request=request)
    context = {"nav": "participants", "p": participant, "form": form, "title": title, "intro": intro,
               "next": _safe_next(request)}
    return render(request, "participants/simple_form.html", context)


@participant_page
def add_assessment(request, participant, grant):
    """One language test for the four skills at once (the date is today unless changed)."""
    access.require_category(grant, Category.LANGUAGE, write=True)
    form = LanguageTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tests = services.record_language_test(request.user, participant, grant, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = ", ".join(f"{t.get_skill_display().lower()} {t.level}" for t in tests)
            messages.success(request, f"Taaltoets vastgelegd: {done}.")
            return redirect(_after_save(request, participant))
    audit.record(request.user, participant, {Category.IDENTITY, Category.LANGUAGE}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Formulier taaltoets vastleggen", request=request)
    return render(request, "participants/language_test.html", {
        "nav": "participants", "p": participant, "grant": grant, "form": form, "next": _safe_next(request),
        "current": [(label, getattr(participant, f"level_{skill}")) for skill, label in LanguageSkill.choices],
    })


@participant_page
def add_work_experience(request, participant, grant):
    return _add_record(
        request, participant, grant, category=Category.WORK, form_class=WorkExperienceForm,
        save=services.add_work_experience,
        message=lambda item: f"Werkervaring ‘{item.occupation}’ toegevoegd.",
        title="Werkervaring toevoegen", intro="Werk in het land van herkomst of in Nederland.",
    )


@require_POST
@participant_page
def remove_work_experience(request, participant, grant, item_id):
    services.remove_work_experience(request.user, participant, grant, item_id)
    messages.success(request, "Werkervaring verwijderd.")
    return redirect(_after_save(request, participant))


@participant_page
def history(request, participant, grant):
    changes = queries.visible_changes(participant, grant, limit=200)
    audit.record(
        request.user,
        participant,
        {c.category for c in changes} or {Category.IDENTITY},
        AuditAction.VIEW,
        legal_basis=grant.legal_basis,
        detail="Wijzigingsgeschiedenis",
        request=request,
    )
    return render(
        request,
        "participants/history.html",
        {
            "nav": "participants",
            "p": participant,
            "grant": grant,
            "changes": changes,
            "tab": "geschiedenis",
        },
    )


@participant_page
def memberships(request, participant, grant):
    if not grant.can_manage_access:
        raise Http404("Pagina niet gevonden")
    form = MembershipForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        m = services.add_membership(request.user, participant, grant, **form.cleaned_data)
        messages.success(request, f"{m.organisation} is nu betrokken bij het traject.")
        return redirect("participants:access", pk=participant.pk)
    items = queries.memberships(participant)
    audit.record(request.user, participant, {Category.IDENTITY, Category.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Betrokken organisaties en toestemming bekeken",
                 request=request)
    return render(
        request,
        "participants/access.html",
        {
            "nav": "participants",
            "p": participant,
            "grant": grant,
            "form": form,
            "memberships": items,
            "end_form": EndMembershipForm(),
            "tab": "toegang",
            "defaults": {
                OrganisationKind(k).label: [c for c in Category.values if c in v]
                for k, v in access.DEFAULT_SCOPE.items()
            },
        },
    )


@require_POST
@participant_page
def end_membership(request, participant, grant, membership_id):
    if not grant.can_manage_access:
        raise Http404("Pagina niet gevonden")
    form = EndMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Vul een reden in om de betrokkenheid te beëindigen.")
        return redirect("participants:access", pk=participant.pk)
    m = services.end_membership(
        request.user,
        participant,
        grant,
        membership_id,
        reason=form.cleaned_data["reason"],
        withdrawn=form.cleaned_data["withdrawn"],
    )
    messages.success(request, f"De toegang van {m.organisation} is direct beëindigd.")
    return redirect("participants:access", pk=participant.pk)


def _audit_filters(request, participant):
    form = AuditFilterForm(request.GET or None, organisations=queries.audit_organisations(participant))
    return form, (form.cleaned_data if form.is_valid() else {})


@participant_page
def audit_trail(request, participant, grant):
    if not grant.can_manage_access:
        raise Http404("Pagina niet gevonden")
    form, filters = _audit_filters(request, participant)
    page = Paginator(queries.audit_events(participant, filters), 50).get_page(request.GET.get("page"))
    audit.record(
        request.user,
        participant,
        Category.TRAJECTORY,
        AuditAction.VIEW,
        legal_basis=grant.legal_basis,
        detail="Audittrail bekeken",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participants/audit.html",
        {
            "nav": "participants",
            "p": participant,
            "grant": grant,
            "form": form,
            "page": page,
            "tab": "audit",
            "query": query.urlencode(),
        },
    )


@participant_page
def audit_trail_csv(request, participant, grant):
    if not grant.can_manage_access:
        raise Http404("Pagina niet gevonden")
    form, filters = _audit_filters(request, participant)
    events = queries.audit_events(participant, filters)
    audit.record(
        request.user,
        participant,
        Category.TRAJECTORY,
        AuditAction.EXPORT,
        legal_basis=grant.legal_basis,
        detail="Audittrail geëxporteerd (CSV)",
        request=request,
    )
    # core.exports: UTF-8 with BOM, ";", no-store, and text such as "=HYPERLINK(...)" never runs as a formula.
    response, writer = exports.csv_response(f"audittrail-deelnemer-{participant.pk}.csv")
    writer.writerow(
        [
            "tijdstip",
            "medewerker",
            "organisatie",
            "gegevenscategorie",
            "actie",
            "grondslag",
            "omschrijving",
            "controlehash",
        ]
    )
    labels = dict(Category.choices)
    actions = dict(AuditAction.choices)
    for e in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                e.at.isoformat(timespec="seconds"),
                e.user_name,
                e.organisation_name,
                labels.get(e.category, e.category),
                actions.get(e.action, e.action),
                e.legal_basis,
                e.detail,
                e.hash,
            ]
        )
    return response
