"""A participant's week schedule: the page and the week card (PDF). Thin: parse the week, call the query, render."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from koers.activities import pdf
from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import monday_of
from koers.core import access, audit
from koers.core.codes import Category
from koers.core.http import parse_date
from koers.core.models import AuditAction
from koers.core.pages import participant_page


def _week_param(request) -> date:
    # A date outside 1900..2100 (or no date) falls back to this week: week arithmetic cannot overflow.
    return monday_of(parse_date(request.GET.get("week"), timezone.localdate()))


def _shown(week) -> set[str]:
    """The categories the week shows: placements are work data."""
    return {Category.IDENTITY, Category.TRAJECTORY} | ({Category.WORK} if week.commitments else set())


@participant_page
def participant_schedule(request, participant, grant):
    access.require_category(grant, Category.TRAJECTORY)
    week = schedule_queries.participant_week(participant, _week_param(request), grant)
    audit.record(request.user, participant, _shown(week), AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail=f"Weekrooster week {week.number}", request=request)
    return render(request, "activities/schedule.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "rooster", "week": week,
        "this_week": monday_of(timezone.localdate()),
    })


@participant_page
def participant_week_card(request, participant, grant):
    access.require_category(grant, Category.TRAJECTORY)
    week = schedule_queries.participant_week(participant, _week_param(request), grant)
    content = pdf.week_card(participant, week)
    audit.record(request.user, participant, _shown(week), AuditAction.EXPORT,
                 legal_basis=grant.legal_basis, detail=f"Weekkaart week {week.number} (PDF)", request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="weekkaart-{participant.pk}-{week.monday:%Y}-w{week.number:02d}.pdf"'
    )
    return response
