"""Pages for employers, contact persons, company visits, certificates and openings. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.work.forms.employers import (
    CertificateForm,
    CompanyVisitForm,
    ContactPersonForm,
    EmployerForm,
    FilterForm,
    OpeningFilterForm,
    OpeningForm,
)
from koers.work.models import Certificate, CompanyVisit, ContactPerson, Opening, OpeningStatus
from koers.work.queries import employers as employer_queries
from koers.work.services import employers as employer_services

PAGE_SIZE = 25
NAV = "work"




def _query_without_page(request, param: str = "page") -> str:
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


# --- Employers ---------------------------------------------------------------------------------------------


def employer_list(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = employer_queries.employers(request.user, q=filters.get("q", ""), sector=filters.get("sector", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "work/employers/list.html", {
        "nav": NAV, "form": form, "page": page, "query": _query_without_page(request),
        "filtered": any(filters.values()), "can_create": employer_queries.can_manage_employers(request.user),
    })


def employer_detail(request, pk):
    employer = employer_queries.get_employer_or_404(request.user, pk)
    visits = employer_queries.visits_with_participants(request.user, employer)
    shown = {p.pk: p for _, ps in visits for p in ps}
    if shown:
        grants = access.grants_for_page(request.user, shown.values())
        audit.record_list(request.user, sorted(shown), {pid: g.legal_basis for pid, g in grants.items()},
                          category=Category.WORK, detail=f"Bedrijfsbezoeken {employer.name}", request=request)
    return render(request, "work/employers/detail.html", {
        "nav": NAV, "employer": employer, "contacts": list(employer.contacts.all()), "visits": visits,
        "openings": employer_queries.opening_history(employer), "can_manage": employer_queries.can_manage(request.user,
                                                                                                          employer),
    })


def _employer_form(request, employer=None):
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = employer_services.save_employer(request.user, form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Werkgever ‘{saved.name}’ is opgeslagen.")
            return redirect("work:employer_detail", pk=saved.pk)
    return render(request, "work/employers/form.html", {"nav": NAV, "form": form, "employer": employer})


def employer_create(request):
    if not employer_queries.can_manage_employers(request.user):
        raise Http404(employer_queries.NOT_FOUND)
    return _employer_form(request)


def employer_update(request, pk):
    return _employer_form(request, employer_queries.get_employer_or_404(request.user, pk, manage=True))


def _contact_form(request, employer, contact=None):
    form = ContactPersonForm(request.POST or None, instance=contact or ContactPerson(employer=employer))
    if request.method == "POST" and form.is_valid():
        try:
            employer_services.save_contact(request.user, form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Contactpersoon ‘{form.instance.name}’ is opgeslagen.")
            return redirect("work:employer_detail", pk=employer.pk)
    return render(request, "work/employers/contact_form.html", {
        "nav": NAV, "form": form, "employer": employer, "contact": contact,
    })


def contact_create(request, pk):
    return _contact_form(request, employer_queries.get_employer_or_404(request.user, pk, manage=True))


def _get_contact(request, pk) -> ContactPerson:
    contact = ContactPerson.objects.select_related("employer").filter(pk=pk).first()
    if contact is None or not employer_queries.can_manage(request.user, contact.employer):
        raise Http404(employer_queries.NOT_FOUND)
    return contact


def contact_update(request, pk):
    contact = _get_contact(request, pk)
    return _contact_form(request, contact.employer, contact)


@require_POST
def contact_delete(request, pk):
    contact = _get_contact(request, pk)
    employer_services.delete_contact(request.user, contact)
    messages.success(request, f"Contactpersoon ‘{contact.name}’ is verwijderd.")
    return redirect("work:employer_detail", pk=contact.employer_id)


def _visit_form(request, employer, visit=None):
    search = request.GET.get("zoek", "").strip()[:100]
    allowed = employer_queries.visit_participant_choices(request.user)
    form = CompanyVisitForm(request.POST or None, instance=visit or CompanyVisit(employer=employer),
                            allowed=allowed, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            employer_services.save_visit(request.user, form.instance, form.cleaned_data["participants"],
                                         request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Het bedrijfsbezoek is opgeslagen.")
            return redirect("work:employer_detail", pk=employer.pk)
    shown = form.shown_participants
    if shown:
        grants = access.grants_for_page(request.user, shown)
        audit.record_list(request.user, [p.pk for p in shown], {p.pk: grants[p.pk].legal_basis for p in shown},
                          category=Category.IDENTITY, detail="Keuzelijst deelnemers bij bedrijfsbezoek",
                          request=request)
    return render(request, "work/employers/visit_form.html", {
        "nav": NAV, "form": form, "employer": employer, "visit": visit, "search": search,
    })


def visit_create(request, pk):
    return _visit_form(request, employer_queries.get_employer_or_404(request.user, pk, manage=True))


def visit_update(request, pk):
    visit = CompanyVisit.objects.select_related("employer").filter(pk=pk).first()
    if visit is None or not employer_queries.can_manage(request.user, visit.employer):
        raise Http404(employer_queries.NOT_FOUND)
    return _visit_form(request, visit.employer, visit)


# --- Certificates -------------------------------------------------------------------------------------------


def certificate_list(request):
    if not employer_queries.can_view(request.user):
        raise Http404(employer_queries.NOT_FOUND)
    can_manage = employer_queries.can_manage_employers(request.user)
    form = CertificateForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise Http404(employer_queries.NOT_FOUND)
        if form.is_valid():
            try:
                saved = employer_services.save_certificate(request.user, form.instance)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Certificaat ‘{saved.name}’ is toegevoegd.")
                return redirect("work:certificates")
    return render(request, "work/employers/certificates.html", {
        "nav": NAV, "certificates": list(Certificate.objects.all()), "form": form, "can_manage": can_manage,
    })


def certificate_update(request, pk):
    if not employer_queries.can_manage_employers(request.user):
        raise Http404(employer_queries.NOT_FOUND)
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None:
        raise Http404(employer_queries.NOT_FOUND)
    form = CertificateForm(request.POST or None, instance=certificate)
    if request.method == "POST" and form.is_valid():
        try:
            employer_services.save_certificate(request.user, form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Certificaat ‘{certificate.name}’ is opgeslagen.")
            return redirect("work:certificates")
    return render(request, "work/employers/certificate_form.html", {
        "nav": NAV, "form": form, "certificate": certificate,
    })


# --- Openings -----------------------------------------------------------------------------------------------


def opening_list(request):
    form = OpeningFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status", OpeningStatus.OPEN) if form.is_bound else OpeningStatus.OPEN
    qs = employer_queries.openings(request.user, q=filters.get("q", ""), sector=filters.get("sector", ""),
                      kind=filters.get("kind", ""), status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "work/openings/list.html", {
        "nav": NAV, "form": form, "page": page, "query": _query_without_page(request),
        "filtered": any(v for k, v in filters.items() if k != "status") or status != OpeningStatus.OPEN,
        "can_manage_certificates": employer_queries.can_manage_employers(request.user),
    })


def opening_detail(request, pk):
    opening = employer_queries.get_opening_or_404(request.user, pk)
    proposals = employer_queries.matches_for_opening(request.user, opening)
    placeable: set[int] = set()
    if proposals:
        grants = access.grants_for_page(request.user, [m.participant for m in proposals])
        placeable = {pid for pid, g in grants.items() if g.can_change(Category.WORK)}
        audit.record_list(request.user, [m.participant_id for m in proposals],
                          {pid: g.legal_basis for pid, g in grants.items()}, category=Category.WORK,
                          detail=f"Voorstellen voor ‘{opening.title}’", request=request)
    return render(request, "work/openings/detail.html", {
        "nav": NAV, "opening": opening, "employer": opening.employer, "certificates": list(opening.certificates.all()),
        "requirements": [f"{lvl} {skill}" for skill, lvl in opening.required_levels.items()],
        "proposals": proposals, "can_manage": employer_queries.can_manage(request.user, opening.employer),
        "placeable": placeable,
    })


def _opening_form(request, employer, opening=None):
    form = OpeningForm(request.POST or None, instance=opening or Opening(employer=employer), employer=employer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = employer_services.save_opening(request.user, form.instance, form.cleaned_data["certificates"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"‘{saved.title}’ is opgeslagen.")
            return redirect("work:opening_detail", pk=saved.pk)
    return render(request, "work/openings/form.html", {
        "nav": NAV, "form": form, "employer": employer, "opening": opening,
        "can_manage_certificates": employer_queries.can_manage_employers(request.user),
    })


def opening_create(request, pk):
    return _opening_form(request, employer_queries.get_employer_or_404(request.user, pk, manage=True))


def opening_update(request, pk):
    opening = employer_queries.get_opening_or_404(request.user, pk, manage=True)
    return _opening_form(request, opening.employer, opening)
