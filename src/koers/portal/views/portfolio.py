"""My portfolio: what the participant has done and learned, their own items, and the CV in Dutch (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from koers.core import access, audit, locking, uploads
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.portal import pdf
from koers.portal.door import portal_page
from koers.portal.forms.portfolio import CvForm, ItemForm
from koers.portal.queries import portfolio as queries
from koers.portal.rules import portfolio as rules
from koers.portal.services import portfolio as services


def _record(request, participant, categories, detail, action=AuditAction.VIEW):
    audit.record(request.user, participant, sorted(categories), action, legal_basis=access.OWN_BASIS,
                 detail=detail, request=request)


@portal_page
def portfolio(request, participant):
    found = queries.gather(participant, access.own_grant())
    _record(request, participant, found.categories, "Mijn Koers: mijn portfolio")
    return render(request, "portal/portfolio/page.html", {
        "p": participant, "nav": "portfolio", "portfolio": found,
        "cv_form": CvForm(initial={"contact": sorted(rules.CONTACT_DEFAULT)}),
    })


def _form_page(request, participant, form, *, item=None, stale=False):
    _record(request, participant, {Category.WORK},
            "Mijn Koers: portfolio-item wijzigen" if item else "Mijn Koers: portfolio-item toevoegen")
    return render(request, "portal/portfolio/form.html", {
        "p": participant, "nav": "portfolio", "form": form, "item": item, "stale": stale,
    })


@portal_page
def add(request, participant):
    form = ItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(account=request.portal_account, request=request, **form.to_data())
        except ValidationError as exc:
            apply_errors(form, exc, field_map={"upload": "file"})
        else:
            messages.success(request, _("Het is toegevoegd aan uw portfolio."))
            return redirect("portal:portfolio")
    return _form_page(request, participant, form)


@portal_page
def edit(request, participant, item_id):
    item = queries.item_or_404(participant, item_id)
    initial = {"title": item.title, "description": item.description, "happened_on": item.happened_on,
               "on_cv": item.on_cv}
    form = ItemForm(request.POST or None, request.FILES or None, initial=initial, version=services.version(item),
                    has_file=bool(item.file))
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(account=request.portal_account, item_id=item.pk, request=request,
                                 remove_file=bool(form.cleaned_data.get("remove_file")),
                                 version=form.submitted_version, **form.to_data())
        except locking.StaleEdit:
            stale = True
            item = queries.item_or_404(participant, item.pk)
            form.refresh_version(services.version(item))
        except ValidationError as exc:
            apply_errors(form, exc, field_map={"upload": "file"})
        else:
            messages.success(request, _("Uw wijziging is opgeslagen."))
            return redirect("portal:portfolio")
    return _form_page(request, participant, form, item=item, stale=stale)


@portal_page
def delete(request, participant, item_id):
    item = queries.item_or_404(participant, item_id)
    if request.method == "POST":
        services.delete_item(account=request.portal_account, item_id=item.pk, request=request)
        messages.success(request, _("Het is uit uw portfolio gehaald."))
        return redirect("portal:portfolio")
    _record(request, participant, {Category.WORK}, "Mijn Koers: portfolio-item verwijderen (vraag)")
    return render(request, "portal/portfolio/delete.html", {"p": participant, "nav": "portfolio", "item": item})


@portal_page
def item_file(request, participant, item_id):
    item = queries.item_or_404(participant, item_id)
    if not item.file:
        return redirect("portal:portfolio")
    _record(request, participant, {Category.WORK}, "Mijn Koers: bestand van een portfolio-item geopend",
            AuditAction.EXPORT)
    return uploads.download(item.file, queries.download_name(item))


@portal_page
def cv(request, participant):
    form = CvForm(request.GET or None)
    found = queries.gather(participant, access.own_grant())
    content = pdf.cv_pdf(found, contact=form.chosen())
    _record(request, participant, found.categories, "Mijn Koers: cv (PDF) gedownload", AuditAction.EXPORT)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="cv.pdf"'
    return response
