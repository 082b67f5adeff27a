"""Catalogue and enrolment pages. Thin: parse the request, call a query or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from koers.activities.forms.activities import (
    ActivityForm,
    CatalogueFilterForm,
    ConfirmForm,
    EnrolForm,
    SlotFormSet,
    StatusForm,
    catalogue_filter_choices,
)
from koers.activities.models import Enrolment
from koers.activities.queries import activities as queries
from koers.activities.services import activities as services
from koers.core import access, audit
from koers.core.codes import Category, Role, language_name
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_object_page, participant_page

PAGE_SIZE = 25


def _require_staff(user) -> None:
    if getattr(user, "organisation_id", None) is None:
        raise Http404("Pagina niet gevonden")


# --- Catalogue ------------------------------------------------------------------------------------------


def activity_list(request):
    _require_staff(request.user)
    providers, languages = catalogue_filter_choices(request.user)
    form = CatalogueFilterForm(request.GET or None, providers=providers, languages=languages)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(queries.filter_catalogue(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for a in page.object_list:
        a.language_label = language_name(a.language)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/list.html", {
        "nav": "activities", "form": form, "page": page, "query": query.urlencode(),
        "can_create": access.can_manage_activities(request.user, request.user.organisation_id),
        "filtered": any(v not in (None, "", False) for v in filters.values()),
        "today": timezone.localdate(),
    })


def activity_detail(request, pk):
    activity = queries.get_activity_or_404(request.user, pk)
    rows = queries.activity_enrolments(request.user, activity)
    if rows:
        audit.record_list(
            request.user, [r.enrolment.participant_id for r in rows],
            {r.enrolment.participant_id: r.grant.legal_basis for r in rows},
            category=Category.TRAJECTORY, detail=f"Inschrijvingen ‘{activity.title}’", request=request,
        )
        special = [r for r in rows if r.grant.special and access.is_special_code("dropout_reason",
                                                                                r.enrolment.dropout_reason)]
        if special:  # a health dropout reason was shown
            audit.record_list(
                request.user, [r.enrolment.participant_id for r in special],
                {r.enrolment.participant_id: r.grant.legal_basis for r in special},
                category=Category.SPECIAL, detail=f"Inschrijvingen ‘{activity.title}’", request=request,
            )
    follows, followed_by = queries.two_step_partners(activity)
    return render(request, "activities/detail.html", {
        "nav": "activities", "activity": activity, "rows": rows, "follows": follows, "followed_by": followed_by,
        "slots": list(activity.slots.all()), "groups": list(activity.groups.all()),
        "enrolled": queries.enrolled_count(activity),
        "requirements": queries.requirement_labels(activity.required_levels),
        "language_label": language_name(activity.language),
        "can_manage": access.can_manage_activities(request.user, activity.provider_id),
        "can_enrol": activity.end_date >= timezone.localdate() and (
            access.can_manage_activities(request.user, activity.provider_id)
            or request.user.has_role(Role.REGISSEUR)
        ),
    })


def _activity_form(request, activity=None):
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    formset = SlotFormSet(request.POST or None, instance=activity, prefix="slots")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.save_activity(request.user, activity, slots=formset.slots(), **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Activiteit ‘{saved.title}’ is opgeslagen.")
            return redirect("activities:detail", pk=saved.pk)
    return render(request, "activities/form.html", {
        "nav": "activities", "form": form, "formset": formset, "activity": activity,
    })


def activity_create(request):
    if not access.can_manage_activities(request.user, request.user.organisation_id):
        raise Http404("Pagina niet gevonden")
    return _activity_form(request)


def activity_update(request, pk):
    return _activity_form(request, queries.get_activity_or_404(request.user, pk, manage=True))


# --- Enrolment ------------------------------------------------------------------------------------------


def _enrol_flow(request, *, participant=None, grant=None, activity=None):
    """One page for both entry points: the form, then (when needed) the confirm step with the conflicts."""
    search = request.GET.get("zoek", "") if activity is not None else ""
    data = request.POST if request.method == "POST" else None
    form = EnrolForm(data, user=request.user, activity=activity, participant=participant, grant=grant,
                     participant_search=search)
    check = confirm = None
    changed = False
    if data is not None and form.is_valid():
        participant = participant or form.cleaned_data["participant"]
        activity = activity or form.cleaned_data["activity"]
        if grant is None:
            grant = access.grant_for(request.user, participant)
        if not access.can_enrol(request.user, grant, activity.provider_id):
            raise Http404("Pagina niet gevonden")
        confirming = "confirm-step" in data
        errors = services.enrolment_errors(
            participant.pk, activity, form.cleaned_data["start_date"], form.cleaned_data["end_date"]
        )
        for field, message in errors.items():
            form.add_error(field, message)
    if data is not None and form.is_valid():
        check = services.check_enrolment(
            request.user, participant, grant, activity, form.cleaned_data["start_date"],
            form.cleaned_data["end_date"],
        )
        confirm = ConfirmForm(data if confirming else None, check=check)
        if not check.needs_confirmation or (confirming and confirm.is_valid()):
            reasons = confirm.cleaned_data if confirming and check.needs_confirmation else {}
            try:
                enrolment = services.enrol(
                    request.user, participant, grant, activity, start=form.cleaned_data["start_date"],
                    end=form.cleaned_data["end_date"], status=form.cleaned_data["status"],
                    requirement_override=reasons.get("requirement_override", ""),
                    conflict_override=reasons.get("conflict_override", ""),
                    confirmed=data.get("seen") if confirming else None,
                    group=form.cleaned_data.get("group"), request=request,
                )
            except services.NeedsConfirmation as exc:
                check, changed = exc.check, exc.changed
                confirm = ConfirmForm(check=check)
            except ValidationError as exc:
                apply_errors(form, exc)
                check = confirm = None
            else:
                text = [f"{participant.name} is ingeschreven voor ‘{activity.title}’."]
                if enrolment.group_id:
                    text.append(f"Ingedeeld in {enrolment.group.name}; de aanbieder kan dat nog wijzigen.")
                if enrolment.membership_id:
                    text.append(f"{activity.provider.name} is betrokken bij het traject (wettelijke taak) en ziet "
                                "de deelnemer op de presentielijst.")
                messages.success(request, " ".join([*text, *check.schedule.notices]))
                return redirect("activities:participant_enrolments", pk=participant.pk)
    if participant is not None and grant is not None:
        categories = {Category.IDENTITY, Category.TRAJECTORY}
        if check is not None and check.gaps and grant.can_see(Category.LANGUAGE):
            categories.add(Category.LANGUAGE)
        audit.record(request.user, participant, categories, AuditAction.VIEW, legal_basis=grant.legal_basis,
                     detail="Inschrijfformulier" + (" met controle rooster en instapeisen" if check else ""),
                     request=request)
    from_activity = "participant" in form.fields
    if from_activity and check is None and form.shown_participants:
        shown = form.shown_participants
        grants = access.grants_for_page(request.user, shown)
        audit.record_list(request.user, [p.pk for p in shown], {p.pk: grants[p.pk].legal_basis for p in shown},
                          category=Category.IDENTITY, detail="Keuzelijst deelnemers bij inschrijven",
                          request=request)
    return render(request, "activities/enrol.html", {
        "nav": "activities" if from_activity else "participants", "from_activity": from_activity,
        "form": form, "p": participant, "grant": grant, "activity": activity, "check": check,
        "confirm": confirm, "changed": changed, "search": search,
    })


def _may_enrol_somewhere(user, grant) -> bool:
    """The regisseur of the regie organisation (any activity) or a provider's staff (their own activities)."""
    return grant.can_see(Category.TRAJECTORY) and (
        grant.is_regisseur or access.can_manage_activities(user, user.organisation_id)
    )


@participant_page
def enrol_participant(request, participant, grant):
    """Enrol from the participant's page: choose an activity."""
    access.require_category(grant, Category.TRAJECTORY)
    if not _may_enrol_somewhere(request.user, grant):
        raise Http404("Pagina niet gevonden")
    return _enrol_flow(request, participant=participant, grant=grant)


def enrol_activity(request, pk):
    """Enrol from the activity's page: choose a participant the user may enrol."""
    activity = queries.get_activity_or_404(request.user, pk)
    if not (access.can_manage_activities(request.user, activity.provider_id) or request.user.has_role(Role.REGISSEUR)):
        raise Http404("Pagina niet gevonden")
    if activity.end_date < timezone.localdate():
        messages.error(request, "Deze activiteit is afgelopen; inschrijven kan niet meer.")
        return redirect("activities:detail", pk=activity.pk)
    return _enrol_flow(request, activity=activity)


@participant_page
def participant_enrolments(request, participant, grant):
    access.require_category(grant, Category.TRAJECTORY)
    enrolments = queries.participant_enrolments(participant)
    categories = {Category.IDENTITY, Category.TRAJECTORY}
    if grant.special and any(access.is_special_code("dropout_reason", e.dropout_reason)
                             or (e.dropout_note and e.dropout_note_is_special) for e in enrolments):
        categories.add(Category.SPECIAL)  # a health reason or protected note was shown
    audit.record(request.user, participant, categories, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Activiteiten bekeken", request=request)
    rows = [
        {"e": e, "can_change": bool(services.TRANSITIONS[e.status])
         and access.can_enrol(request.user, grant, e.activity.provider_id)}
        for e in enrolments
    ]
    return render(request, "activities/participant_enrolments.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "activiteiten", "rows": rows,
        "can_enrol": _may_enrol_somewhere(request.user, grant),
    })


def _enrolment(user, pk):
    """The enrolment, its participant and the grant: the participant through the policy, so that an attempt on
    another organisation's enrolment is a recorded security event (``NotVisible``), like the participant pages."""
    enrolment = (Enrolment.objects.select_related("activity", "activity__provider")
                 .filter(pk=access.safe_id(pk) or 0).first())
    if enrolment is None:
        raise Http404("Inschrijving niet gevonden")
    participant, grant = access.get_participant_or_404(user, enrolment.participant_id)
    access.require_category(grant, Category.TRAJECTORY)
    enrolment.participant = participant
    return enrolment, participant, grant


@participant_object_page(_enrolment)
def enrolment_status(request, enrolment, participant, grant):
    if not access.can_enrol(request.user, grant, enrolment.activity.provider_id):
        raise Http404("Inschrijving niet gevonden")
    if not services.TRANSITIONS[enrolment.status]:
        messages.error(request, "Deze inschrijving is afgesloten; de status kan niet meer veranderen.")
        return redirect("activities:participant_enrolments", pk=participant.pk)
    form = StatusForm(request.POST or None, enrolment=enrolment, grant=grant)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_status(request.user, enrolment, grant, d["status"], on=d["on"], reason=d["reason"],
                                   note=d["note"], note_is_special=d["note_is_special"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Status van ‘{enrolment.activity.title}’ is gewijzigd.")
            return redirect("activities:participant_enrolments", pk=participant.pk)
    audit.record(request.user, participant, {Category.IDENTITY, Category.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Formulier status inschrijving", request=request)
    return render(request, "activities/enrolment_status.html", {
        "nav": "participants", "p": participant, "grant": grant, "enrolment": enrolment, "form": form,
    })
