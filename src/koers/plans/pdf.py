"""The plan as a PDF (WeasyPrint: HTML template → PDF): the plan in Dutch, then a short summary in the
participant's own language where a translation of the template exists (``translations.py``). A right-to-left
language gets its own section marked ``dir="rtl"`` with its ``lang``, so the text is laid out and shaped
right to left. DejaVu Sans covers Latin and Arabic script.

Only what the grant covers is in the PDF: health-domain goals are left out for a viewer without the special
category (the caller passes a version whose goals were loaded through ``queries``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from koers.core.access import Grant
from koers.core.pdf import html_to_pdf
from koers.participants.models import Participant
from koers.plans.models import PlanVersion
from koers.plans.translations import summary_languages


@dataclass
class SummaryGoal:
    domain: str
    title: str
    status: str
    steps: list[dict]


def _summary(texts: dict, version: PlanVersion) -> dict:
    goals = []
    for goal in version.goals.all():
        steps = [
            {
                "description": s.description,
                "who": str(s.owner_user) if s.owner_user_id else texts["you"],
                "due": s.due_date,
                "status": texts["step_status"].get(s.status, s.status),
            }
            for s in goal.steps.all()
        ]
        goals.append(SummaryGoal(texts["domains"].get(goal.domain, goal.domain), goal.title,
                                 texts["goal_status"].get(goal.status, goal.status), steps))
    return {"t": texts, "goals": goals}


def render_html(participant: Participant, version: PlanVersion, grant: Grant) -> str:
    summaries = [_summary(texts, version) for texts in summary_languages(participant.languages)]
    return render_to_string("plans/pdf.html", {
        "p": participant, "version": version, "summaries": summaries, "printed_at": timezone.localtime(),
    })


def render_pdf(participant: Participant, version: PlanVersion, grant: Grant) -> bytes:
    return html_to_pdf(render_html(participant, version, grant), css_templates=("plans/pdf.css",))
