"""Template helpers that show values the Koers way: "unknown" is shown as unknown, never as blank."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from koers.core.codes import DAGDELEN, Category, LegalBasis, Sector, country_name, language_name

register = template.Library()

UNKNOWN_CODES = {"onbekend", "niet_gevraagd", ""}


def _unknown(text: str = "onbekend"):
    return format_html('<span class="unknown">{}</span>', text)


@register.simple_tag
def show(obj, field: str, unknown: str = "onbekend"):
    """Display a model field: choice label, or a visible 'onbekend' for unknown/empty values."""
    value = getattr(obj, field)
    if value is None or (isinstance(value, str) and value in UNKNOWN_CODES):
        return _unknown(unknown)
    display = getattr(obj, f"get_{field}_display", None)
    return display() if display else value


@register.filter
def country(code: str):
    return country_name(code) if code else _unknown()


@register.filter
def languages(codes):
    if not codes:
        return _unknown()
    return ", ".join(language_name(c) for c in codes)


@register.filter
def sectors(codes):
    if not codes:
        return _unknown("geen opgegeven")
    labels = dict(Sector.choices)
    return ", ".join(labels.get(c, c) for c in codes)


@register.filter
def dagdelen(codes):
    if codes is None:
        return _unknown()
    if not codes:
        return "geen dagdelen beschikbaar"
    labels = dict(DAGDELEN)
    return format_html_join(", ", "{}", ((labels.get(c, c),) for c in codes))


@register.filter
def category_label(code: str) -> str:
    return dict(Category.choices).get(code, code)


@register.filter
def legal_basis_label(code: str) -> str:
    """The legal basis in words; a grant through several memberships holds several codes joined by commas."""
    labels = dict(LegalBasis.choices)
    return "; ".join(labels.get(c, c) for c in (code or "").split(",") if c) or "geen"


@register.filter
def has(grant, category: str) -> bool:
    return category in grant.read


@register.filter
def can_change(grant, category: str) -> bool:
    return category in grant.write
