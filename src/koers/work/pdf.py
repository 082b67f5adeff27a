"""The eindrapportage (warm handover at closure) as a PDF: WeasyPrint, HTML template → PDF, DejaVu fonts.

Two versions from ``closure.report_context``: for the municipality (outcome, placements with their history,
aftercare, the regisseur's summary) and — only when the participant consented, with the date — for the employer
(the placement at that employer, language levels and what the regisseur wrote for the employer; no outcome,
dropout reason, health or income). WeasyPrint gets a URL fetcher that refuses everything, so text typed by users
can never make it load a resource. The caller checks access and audits the export.
"""

from __future__ import annotations

from django.template.loader import render_to_string


def render_html(context: dict) -> str:
    return render_to_string("work/closure/report.html", context)


def render_pdf(context: dict) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment and most requests need none

    css = CSS(string=render_to_string("work/closure/report.css"))
    return HTML(string=render_html(context), url_fetcher=_no_fetch).write_pdf(stylesheets=[css])


def _no_fetch(url: str, *args, **kwargs):
    """The eindrapportage needs no external resources."""
    raise ValueError(f"Geen externe bronnen in de eindrapportage ({url[:40]})")
