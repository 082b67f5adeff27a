"""HTML → PDF for every Koers document (plan, week card, case-meeting agenda and minutes, eindrapportage).

One place that decides how PDFs are made: WeasyPrint with a URL fetcher that refuses everything, so that no
text typed by a user can make the server fetch a resource (and no document depends on the network).
"""

from __future__ import annotations

from django.template.loader import render_to_string

#: The stylesheet every document starts from (page, type, headings, tables); documents add their own after it.
BASE_CSS = "pdf/base.css"


def html_to_pdf(html: str, *, css_templates: tuple[str, ...] = (), base: bool = True) -> bytes:
    """Render ``html`` with the base stylesheet (unless ``base`` is False) and then those rendered from
    ``css_templates`` (template names) to PDF bytes."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment and most requests need none

    names = (BASE_CSS, *css_templates) if base else css_templates
    stylesheets = [CSS(string=render_to_string(name), url_fetcher=refuse_fetch) for name in names]
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf(stylesheets=stylesheets)


def refuse_fetch(url: str, *args, **kwargs):
    """Koers documents need no external resources."""
    raise ValueError(f"Geen externe bronnen in een Koers-document ({url[:40]})")
