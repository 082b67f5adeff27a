"""The participant's own pages: home, my plan, my week, and their PDFs. Thin: the door, a query, a template."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from koers.activities import pdf as activities_pdf
from koers.activities.rules.schedule import monday_of
from koers.casework.queries import messages as message_queries
from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.plans import pdf as plans_pdf
from koers.portal.door import portal_page
from koers.portal.forms.accounts import LanguageForm
from koers.portal.queries import pages as queries
from koers.portal.rules.language import portal_languages


def _record(request, participant, categories, detail, action=AuditAction.VIEW):
    audit.record(request.user, participant, categories, action, legal_basis=access.OWN_BASIS, detail=detail,
                 request=request)


def _week_categories(weeks) -> set[str]:
    return {Category.IDENTITY, Category.TRAJECTORY} | ({Category.WORK} if any(w.commitments for w in weeks) else set())


@portal_page
def home(request, participant):
    grant = access.own_grant()
    today = timezone.localdate()
    weeks = queries.this_and_next_week(participant, grant, today)
    tomorrow = today + timedelta(days=1)
    _record(request, participant, _week_categories(weeks), "Mijn Koers: startpagina")
    return render(request, "portal/home.html", {
        "p": participant, "nav": "home",
        "tomorrow": queries.first_thing_on(weeks, tomorrow),
        "today_item": queries.first_thing_on(weeks, today),
        "has_plan": queries.signed_plan(participant, grant) is not None,
        "unread": message_queries.unread_for_participant(participant),
        "language_form": LanguageForm(initial={"language": request.portal_account.language}),
        "languages": portal_languages(),
    })


@portal_page
def plan(request, participant):
    grant = access.own_grant()
    version = queries.signed_plan(participant, grant)
    _record(request, participant, {Category.IDENTITY, Category.TRAJECTORY}, "Mijn Koers: mijn plan")
    return render(request, "portal/plan.html", {"p": participant, "nav": "plan", "version": version})


@portal_page
def plan_pdf(request, participant):
    grant = access.own_grant()
    version = queries.signed_plan(participant, grant)
    if version is None:
        return render(request, "portal/plan.html", {"p": participant, "nav": "plan", "version": None}, status=404)
    content = plans_pdf.render_pdf(participant, version, grant)
    _record(request, participant, {Category.IDENTITY, Category.TRAJECTORY},
            f"Mijn Koers: plan versie {version.number} (PDF)", AuditAction.EXPORT)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mijn-plan-versie-{version.number}.pdf"'
    return response


@portal_page
def week(request, participant):
    grant = access.own_grant()
    today = timezone.localdate()
    weeks = queries.this_and_next_week(participant, grant, today)
    _record(request, participant, _week_categories(weeks), "Mijn Koers: mijn week")
    return render(request, "portal/week.html", {
        "p": participant, "nav": "week", "today": today,
        "weeks": [{"week": w, "days": queries.days_of(w)} for w in weeks],
    })


@portal_page
def week_card(request, participant):
    grant = access.own_grant()
    monday = monday_of(timezone.localdate())
    if request.GET.get("week") == "volgende":
        monday += timedelta(days=7)
    the_week = queries.week(participant, grant, monday)
    content = activities_pdf.week_card(participant, the_week)
    _record(request, participant, _week_categories([the_week]),
            f"Mijn Koers: weekkaart week {the_week.number} (PDF)", AuditAction.EXPORT)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="weekkaart-week-{the_week.number:02d}.pdf"'
    return response
