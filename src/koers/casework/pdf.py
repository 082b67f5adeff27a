"""Agenda and minutes of a casusoverleg as PDF (WeasyPrint: HTML template → PDF, DejaVu fonts).

The PDF shows exactly what ``meetings.meeting_view`` lets the requesting user see (the same scope as the page);
the caller audits it as an export. WeasyPrint gets a URL fetcher that refuses everything, so text typed by users
can never make it load a resource.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from koers.casework.queries.meetings import MeetingView
from koers.core.pdf import html_to_pdf

TEMPLATES = {"agenda": "casework/meetings/pdf_agenda.html", "minutes": "casework/meetings/pdf_minutes.html"}


def render_html(view: MeetingView, kind: str, *, printed_by, printed_at: dt.datetime) -> str:
    return render_to_string(TEMPLATES[kind], {
        "view": view, "meeting": view.meeting, "printed_by": printed_by, "printed_at": printed_at,
    })


def render_pdf(view: MeetingView, kind: str, *, printed_by, printed_at: dt.datetime) -> bytes:
    html = render_html(view, kind, printed_by=printed_by, printed_at=printed_at)
    return html_to_pdf(html, css_templates=("casework/meetings/pdf.css",))
