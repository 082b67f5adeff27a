"""Panels on the participant page, contributed by the apps above ``participants``.

``participants`` sits below the apps that show something on a participant's file (plans, activities,
casework, work, monitoring), so it cannot import them. Each of those apps registers its panel in its
``AppConfig.ready()``::

    from koers.participants import panels
    panels.register("plan_panel", "plans/_panel.html", build=plan_panel, order=30)

``build(request, participant, grant)`` returns the panel's context (the template reads it under ``name``); the
participant page calls every registered panel in ``order`` and includes its template. A panel reads through
the access policy with the page's grant, exactly as before, and records nothing itself (the page records one
view for the categories it shows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Where a panel goes: above the cards (signals: what needs attention first) or among the cards.
TOP, CARDS = "top", "cards"


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    build: Callable[..., Any]
    order: int
    region: str = CARDS


_registry: dict[str, Panel] = {}


def register(name: str, template: str, *, build: Callable[..., Any], order: int, region: str = CARDS) -> None:
    """Add (or replace, for a re-run ``ready()``) the panel ``name``."""
    if region not in (TOP, CARDS):
        raise ValueError(f"unknown panel region {region!r}")
    _registry[name] = Panel(name, template, build, order, region)


def registered() -> list[Panel]:
    return sorted(_registry.values(), key=lambda p: (p.order, p.name))


def build_all(request, participant, grant) -> tuple[dict[str, Any], dict[str, list[Panel]]]:
    """The context of every panel (by name) and the panels per region, in order."""
    context: dict[str, Any] = {}
    regions: dict[str, list[Panel]] = {TOP: [], CARDS: []}
    for panel in registered():
        context[panel.name] = panel.build(request, participant, grant)
        regions[panel.region].append(panel)
    return context, regions
