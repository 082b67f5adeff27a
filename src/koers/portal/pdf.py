"""The invitation letter (PDF): Dutch first, then the same letter in the participant's language, with a QR code.

The QR code opens the activation page with the username in the query and the code in the URL *fragment*: a
fragment never reaches the server, so the code is not in any access log; a line of JavaScript on the page puts it
in the field. Without a camera or JavaScript the participant types both from the letter.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from koers.core.i18n import direction
from koers.core.pdf import html_to_pdf
from koers.portal.rules.portfolio import cv_course, cv_levels


def activation_link(base_url: str, username: str, code: str, language: str) -> str:
    return f"{base_url}?{urlencode({'gebruiker': username, 'taal': language})}#code={code}"


def qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    width, height = qr.symbol_size(scale=4)
    svg = qr.svg_inline(scale=4, dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", f'<svg viewBox="0 0 {width} {height}" ', 1))


def letter_pdf(*, participant, username: str, code: str, expires_at, language: str, link: str,
               organisation_name: str) -> bytes:
    context = {
        "p": participant, "username": username, "code": code, "expires_at": timezone.localtime(expires_at),
        "qr": qr_svg(link), "link": link.split("#", 1)[0], "organisation": organisation_name,
        "printed_at": timezone.localtime(),
    }
    parts = []
    for code_ in dict.fromkeys(["nl", language]):  # Dutch always, then the own language once
        with translation.override(code_):
            parts.append(render_to_string("portal/pdf/letter_part.html",
                                          {**context, "lang": code_, "dir": direction(code_)}))
    html = render_to_string("portal/pdf/letter.html", {**context, "parts": [mark_safe(p) for p in parts]})
    return html_to_pdf(html, css_templates=("portal/pdf/letter.css",))


def cv_pdf(portfolio, *, contact: frozenset[str]) -> bytes:
    """The participant's CV from their portfolio: always Dutch (it is for an employer), whatever the portal's
    language. ``contact`` names the contact details the participant chose (``rules.portfolio.CONTACT_FIELDS``);
    never the BSN, nationality or country of origin, residence status, gender or health."""
    with translation.override("nl"):
        html = render_to_string("portal/pdf/cv.html", {
            "cv": portfolio, "p": portfolio.participant, "contact": contact,
            "items": [i for i in portfolio.items if i.on_cv],
            "courses": [c for c in portfolio.courses if cv_course(c.kind)],
            "levels": cv_levels({lvl.skill: lvl.level for lvl in portfolio.levels}),
        })
    return html_to_pdf(html, css_templates=("portal/pdf/cv.css",))
