"""Pages for contacts and guidance hours. Thin: parse the request, call a query or service, render.
Every page checks the participant with the access policy (hidden is 404) and writes an audit record."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from koers.casework.forms.actions import ActionChoices
from koers.casework.forms.contacts import (
    ContactFilterForm,
    ContactForm,
    PeriodForm,
    action_forms,
)
from koers.casework.queries import appointments as appointment_queries
from koers.casework.queries import contacts as contact_queries
from koers.casework.queries import messages as message_queries
from koers.casework.services import contacts as contact_services
from koers.core import access, audit, exports, locking
from koers.core.codes import AppointmentStatus, Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_page

PAGE_SIZE = 25


def _require_case_worker(user) -> None:
    if not access.works_with_participants(user):
        raise Http404("Pagina niet gevonden")




def _require(grant) -> None:
    """Contact pages are trajectory data: 404 without it (the door loaded the participant)."""
    access.require_category(grant, Category.TRAJECTORY)


# --- Contacts --------------------------------------------------------------------------------------------------

@participant_page
def participant_contacts(request, participant, grant):
    _require(grant)
    form = ContactFilterForm(request.GET or None, organisations=list(access.involved_organisations(participant)))
    filters = form.filters()
    page = Paginator(contact_queries.filtered_contacts(participant, grant, filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    items = list(page.object_list)
    hours = contact_queries.participant_hours(participant, grant, filters.start, filters.end)
    audit.record(request.user, participant, {Category.IDENTITY,
                                             Category.TRAJECTORY} | contact_queries.categories_of(items),
                 AuditAction.VIEW, legal_basis=grant.legal_basis, detail="Contacten bekeken", request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "casework/contacts/list.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "contacten", "form": form, "page": page,
        "contacts": items, "query": query.urlencode(), "hours": hours,
        "hours_total": sum(h["minutes"] for h in hours), "can_record": contact_queries.can_record(grant),
        "can_message": message_queries.may_read(request.user, grant),
        "appointments": appointment_queries.planned(participant, grant), "now": timezone.now(),
        "can_plan": appointment_queries.can_plan(grant),
        "filtered": any(v for v in (filters.kind, filters.organisation_id, filters.start, filters.end)),
    })


def _appointment_to_record(request, participant, grant):
    """The planned appointment this new contact records (``?afspraak=`` on the link, a hidden field in the form),
    or None. Another participant's appointment, or one no longer planned, is a 404."""
    value = request.POST.get("afspraak") if request.method == "POST" else request.GET.get("afspraak")
    if not value:
        return None
    appointment = appointment_queries.appointment_or_404(participant, grant, value)
    if appointment.status != AppointmentStatus.GEPLAND:
        raise Http404("Afspraak niet meer gepland")
    return appointment


def _contact_form(request, participant, grant, *, initial, data=None):
    staff = contact_queries.involved_staff_for(participant)
    return ContactForm(data, participant=participant, grant=grant, staff=staff,
                       involved_ids=access.involved_organisation_ids(participant), initial=initial)


@participant_page
def contact_create(request, participant, grant):
    _require(grant)
    if not contact_queries.can_record(grant):
        raise Http404("Pagina niet gevonden")
    data = request.POST if request.method == "POST" else None
    appointment = _appointment_to_record(request, participant, grant)
    initial = ContactForm.initial_for(request.user)
    if appointment is not None:
        initial.update(appointment_queries.contact_initial(appointment, request.user))
    form = _contact_form(request, participant, grant, initial=initial, data=data)
    with_actions = grant.can_change(Category.TRAJECTORY)
    rows = []
    if with_actions:
        choices = ActionChoices.for_participant(participant)
        rows = action_forms(data, participant=participant, grant=grant, choices=choices, user=request.user)
    if request.method == "POST":
        rows_valid = [r.is_valid() for r in rows]  # every row, so that each shows its errors
        if form.is_valid() and all(rows_valid):
            drafts = [r.to_draft(request.user) for r in rows if not r.skipped]
            try:
                contact = contact_services.record_contact(
                    request.user, participant, grant, form.to_data(), drafts, request=request,
                    appointment_id=appointment.pk if appointment is not None else None)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                extra = f" met {len(drafts)} actiepunt{'en' if len(drafts) != 1 else ''}" if drafts else ""
                messages.success(request, f"Contact ({contact.get_kind_display().lower()}) vastgelegd{extra}.")
                return redirect("casework:participant_contacts", pk=participant.pk)
    audit.record(request.user, participant, Category.IDENTITY, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Formulier nieuw contact", request=request)
    return render(request, "casework/contacts/form.html", {
        "nav": "participants", "p": participant, "grant": grant, "form": form, "action_rows": rows,
        "title": "Contact vastleggen", "submit": "Contact vastleggen",
        "row_errors": any(r.errors for r in rows), "appointment": appointment,
    })


@participant_page
def contact_detail(request, participant, grant, contact_id):
    _require(grant)
    contact = contact_queries.get_contact_or_404(participant, grant, contact_id)
    items = contact_queries.contact_action_items(contact, grant)
    audit.record(request.user, participant, {Category.IDENTITY, contact_queries.category_of(contact)},
                 AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Contact bekeken", request=request)
    return render(request, "casework/contacts/detail.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "contacten", "c": contact,
        "items": items, "can_correct": contact_queries.can_correct(request.user, contact),
        "is_message": contact_queries.is_message(contact),
        "can_message": message_queries.may_read(request.user, grant),
        "correct_until": contact.recorded_at + contact_queries.EDIT_WINDOW,
    })


def _correctable(request, participant, grant, contact_id):
    _require(grant)
    contact = contact_queries.get_contact_or_404(participant, grant, contact_id)
    if not contact_queries.can_correct(request.user, contact):
        messages.error(request, contact_queries.MSG_TOO_LATE)
        return participant, grant, contact, redirect("casework:contact_detail", pk=participant.pk,
                                                     contact_id=contact.pk)
    return participant, grant, contact, None


@participant_page
def contact_edit(request, participant, grant, contact_id):
    participant, grant, contact, refused = _correctable(request, participant, grant, contact_id)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    form = _contact_form(request, participant, grant, initial=ContactForm.initial_from(contact), data=data)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.update_contact(request.user, contact, grant, form.to_data(), request=request,
                                    version=form.submitted_version)
        except locking.StaleEdit as exc:  # corrected by a colleague meanwhile: show what, keep the input
            stale = exc
            contact.refresh_from_db()
            form.refresh_version(contact_queries.contact_version(contact))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Contact gewijzigd.")
            return redirect("casework:contact_detail", pk=participant.pk, contact_id=contact.pk)
    audit.record(request.user, participant, {Category.IDENTITY, contact_queries.category_of(contact)},
                 AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Formulier contact wijzigen", request=request)
    return render(request, "casework/contacts/form.html", {
        "nav": "participants", "p": participant, "grant": grant, "form": form, "contact": contact,
        "title": "Contact wijzigen", "submit": "Wijzigingen opslaan", "stale": stale,
        "correct_until": contact.recorded_at + contact_queries.EDIT_WINDOW,
    })


@participant_page
def contact_delete(request, participant, grant, contact_id):
    participant, grant, contact, refused = _correctable(request, participant, grant, contact_id)
    if refused:
        return refused
    if request.method == "POST":
        try:
            contact_services.delete_contact(request.user, contact, grant, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("casework:contact_detail", pk=participant.pk, contact_id=contact.pk)
        messages.success(request, "Contact verwijderd.")
        return redirect("casework:participant_contacts", pk=participant.pk)
    audit.record(request.user, participant, {Category.IDENTITY, contact_queries.category_of(contact)},
                 AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Contact verwijderen (bevestigen)", request=request)
    return render(request, "casework/contacts/delete.html", {
        "nav": "participants", "p": participant, "grant": grant, "c": contact,
    })


# --- Guidance hours --------------------------------------------------------------------------------------------

def _legal_bases(user, rows) -> dict[int, str]:
    people = [SimpleNamespace(pk=r["participant_id"], regie_organisation_id=r["regie_organisation_id"]) for r in rows]
    return {pid: g.legal_basis for pid, g in access.grants_for_page(user, people).items()} if people else {}


def guidance_hours(request):
    """Hours of the user's organisation per participant; for regisseurs also per organisation and staff member."""
    _require_case_worker(request.user)
    user = request.user
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    rows = contact_queries.hours_per_participant(user, start, end)
    ids = [r["participant_id"] for r in rows]
    bases = _legal_bases(user, rows)
    if request.GET.get("export") == "csv":
        return _hours_csv(request, rows, bases, start, end)
    audit.record_many(user, [(pid, c, bases.get(pid, "")) for pid in ids for c in (Category.IDENTITY,
                                                                                    Category.TRAJECTORY)],
                      AuditAction.LIST, detail="Begeleidingsuren", request=request)
    team = contact_queries.may_see_team(user)
    for r in rows:
        r["hours"] = contact_queries.hours_label(r["minutes"])
    by_org = contact_queries.hours_per_organisation(user, start, end) if team else []
    by_staff = contact_queries.hours_per_staff(user, start, end) if team else []
    for r in by_org + by_staff:
        r["hours"] = contact_queries.hours_label(r["minutes"])
    total = sum(r["minutes"] for r in rows)
    return render(request, "casework/contacts/hours.html", {
        "nav": "actions", "tab": "hours", "is_regisseur": team, "form": form, "start": start, "end": end,
        "rows": rows, "total_hours": contact_queries.hours_label(total),
        "total_contacts": sum(r["contacts"] for r in rows),
        "by_org": by_org, "by_staff": by_staff, "organisation": user.organisation,
        "csv_query": f"start={start.isoformat()}&end={end.isoformat()}&export=csv",
    })


def _hours_csv(request, rows, bases, start, end) -> HttpResponse:
    user = request.user
    # core.exports: UTF-8 with BOM, ";", no-store, and names such as "=HYPERLINK(...)" never run as a formula.
    response, writer = exports.csv_response(f"begeleidingsuren-{start:%Y%m%d}-{end:%Y%m%d}.csv")
    writer.writerow(["organisatie", "vanaf", "tot en met", "deelnemer_id", "deelnemer", "contacten", "minuten",
                     "uren"])
    for r in rows:
        writer.writerow([user.organisation.name, start.isoformat(), end.isoformat(), r["participant_id"], r["name"],
                         r["contacts"], r["minutes"], contact_queries.hours_label(r["minutes"])])
    audit.record_many(
        user, [(r["participant_id"], c, bases.get(r["participant_id"], "")) for r in rows
               for c in (Category.IDENTITY, Category.TRAJECTORY)],
        AuditAction.EXPORT, detail=f"Begeleidingsuren {start:%d-%m-%Y} t/m {end:%d-%m-%Y} (CSV)", request=request,
    )
    return response
