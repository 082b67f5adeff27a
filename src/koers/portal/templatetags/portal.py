"""Template filters of the portal: codes in the participant's words (``portal.rules.labels``)."""

from __future__ import annotations

from django import template

from koers.portal.rules import labels

register = template.Library()


@register.filter
def weekday_name(value) -> str:
    return str(labels.WEEKDAYS[value.weekday()]) if value else ""


@register.filter
def life_domain(code) -> str:
    return str(labels.DOMAINS.get(code, ""))


@register.filter
def goal_status(code) -> str:
    return str(labels.GOAL_STATUS.get(code, ""))


@register.filter
def step_status(code) -> str:
    return str(labels.STEP_STATUS.get(code, ""))


@register.filter
def day_part(code) -> str:
    return str(labels.DAY_PARTS.get(code, ""))
