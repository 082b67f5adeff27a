"""Template filters of the portal: codes in the participant's plain words (``core.labels``, translated)."""

from __future__ import annotations

from django import template

from koers.core import labels

register = template.Library()

DAY_CODES = ("ma", "di", "wo", "do", "vr", "za", "zo")


@register.filter
def weekday_name(value) -> str:
    return labels.plain(labels.DAY, DAY_CODES[value.weekday()]) if value else ""


@register.filter
def life_domain(code) -> str:
    return labels.plain(labels.LIFE_DOMAIN, code)


@register.filter
def goal_status(code) -> str:
    return labels.plain(labels.STATUS, code)


step_status = register.filter("step_status", goal_status)


@register.filter
def day_part(code) -> str:
    return labels.plain(labels.DAY_PART, code)


@register.filter
def join_if_list(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
