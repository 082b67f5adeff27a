"""The plan as a PDF (WeasyPrint: HTML template → PDF): the plan in Dutch, then a short summary in the
participant's own language when Koers has a catalogue for it (``core.i18n.catalogue_language``: en, ar, ti, uk,
fa). The summary's fixed texts are gettext strings in ``plans/pdf.html`` (``{% language %}``), the names of life
domains and statuses come from ``core/labels.py`` under ``translation.override``. What staff typed (goals, steps,
agreements) stays Dutch, and the summary says so. A right-to-left language gets its own section marked
``dir="rtl"`` with its ``lang``; the fonts (base.css) cover Latin, Arabic and Ge'ez script.

Only what the grant covers is in the PDF: health-domain goals are left out for a viewer without the special
category (the caller passes a version whose goals were loaded through ``queries``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from koers.core import i18n, labels
from koers.core.access import Grant
from koers.core.pdf import html_to_pdf
from koers.participants.models import Participant
from koers.plans.models import PlanVersion


@dataclass
class SummaryGoal:
    domain: str
    title: str
    status: str
    steps: list[dict]


def _summary(lang: str, version: PlanVersion) -> dict:
    with translation.override(lang):
        you = gettext("Jij")
        goals = []
        for goal in version.goals.all():
            steps = [
                {
                    "description": s.description,
                    "who": str(s.owner_user) if s.owner_user_id else you,
                    "due": s.due_date,
                    "status": labels.plain(labels.STATUS, s.status),
                }
                for s in goal.steps.all()
            ]
            goals.append(SummaryGoal(labels.plain(labels.LIFE_DOMAIN, goal.domain), goal.title,
                                     labels.plain(labels.STATUS, goal.status), steps))
    return {"lang": lang, "dir": i18n.direction(lang), "goals": goals}


def render_html(participant: Participant, version: PlanVersion, grant: Grant) -> str:
    lang = i18n.catalogue_language(participant.languages)
    summaries = [_summary(lang, version)] if lang else []
    return render_to_string("plans/pdf.html", {
        "p": participant, "version": version, "summaries": summaries, "printed_at": timezone.localtime(),
    })


def render_pdf(participant: Participant, version: PlanVersion, grant: Grant) -> bytes:
    return html_to_pdf(render_html(participant, version, grant), css_templates=("plans/pdf.css",))
