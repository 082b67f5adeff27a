"""The eindrapportage (warm handover at closure) as a PDF: WeasyPrint, HTML template → PDF, DejaVu fonts.

Two versions from ``closure.report_context``: for the municipality (outcome, placements with their history,
aftercare, the regisseur's summary) and — only when the participant consented, with the date — for the employer
(the placement at that employer, language levels and what the regisseur wrote for the employer; no outcome,
dropout reason, health or income). WeasyPrint gets a URL fetcher that refuses everything, so text typed by users
can never make it load a resource. The caller checks access and audits the export.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from koers.core.pdf import html_to_pdf


def render_html(context: dict) -> str:
    return render_to_string("work/closure/report.html", context)


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_html(context), css_templates=("work/closure/report.css",))
