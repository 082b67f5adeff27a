"""HTML → PDF for every Koers document (plan, week card, case-meeting agenda and minutes, eindrapportage).

One place that decides how PDFs are made: WeasyPrint with a URL fetcher that refuses everything, so that no
text typed by a user can make the server fetch a resource (and no document depends on the network).
"""

from __future__ import annotations

from django.template.loader import render_to_string


def html_to_pdf(html: str, *, css_templates: tuple[str, ...] = ()) -> bytes:
    """Render ``html`` with the stylesheets rendered from ``css_templates`` (template names) to PDF bytes."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment and most requests need none

    stylesheets = [CSS(string=render_to_string(name), url_fetcher=refuse_fetch) for name in css_templates]
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf(stylesheets=stylesheets)


def refuse_fetch(url: str, *args, **kwargs):
    """Koers documents need no external resources."""
    raise ValueError(f"Geen externe bronnen in een Koers-document ({url[:40]})")
