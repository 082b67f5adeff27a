"""The programme report as a PDF: headline figures, charts and tables (WeasyPrint via ``core.pdf``).

The context comes from ``report_views.build_report`` (the same figures and tables as the page); the caller checks
access. With "voor externe partijen" (or for an external scope) small cells are already suppressed in it.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from koers.core.pdf import html_to_pdf


def filter_summary(form, filters) -> list[str]:
    """The filters in words, printed under the title so a reader knows what the figures cover."""
    parts: list[str] = []
    data = getattr(form, "cleaned_data", None) or {}
    projects = data.get("projects") or ()
    if projects:
        parts.append("Projecten: " + ", ".join(p.name for p in projects))
    if data.get("organisation"):
        parts.append(f"Organisatie: {data['organisation'].name}")
    if filters.date_from or filters.date_to:
        start = filters.date_from.strftime("%d-%m-%Y") if filters.date_from else "…"
        end = filters.date_to.strftime("%d-%m-%Y") if filters.date_to else "…"
        parts.append(f"Periode: {start} t/m {end}")
    return parts


def render_html(context: dict) -> str:
    return render_to_string("monitoring/report_pdf.html", context)


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_html(context), css_templates=("monitoring/report_pdf.css",))
