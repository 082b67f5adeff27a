"""What other apps add to a participant's week, next to the activities: the *dual week* of class and work.

``activities`` sits below ``work`` (docs/architecture.md, "Dependencies point down"), so it cannot read
placements. An app that takes up hours of a participant's week registers a provider in its
``AppConfig.ready()``::

    from koers.activities import week
    week.register("placements", placement_commitments)

``provider(participant, grant, first, last)`` returns the ``rules.schedule.Commitment``s (hours per week in a
period, on known dagdelen or not) that touch the dates ``first``..``last``, leaving out what the grant does not
cover (a teacher without the work category sees and counts no placements). The week view, the week card and
the 32-hour check of an enrolment add them to the classes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from koers.activities.rules.schedule import Commitment

Provider = Callable[..., list[Commitment]]

_registry: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, for a re-run ``ready()``) the provider ``name``."""
    _registry[name] = provider


def commitments(participant, grant, first: date, last: date) -> list[Commitment]:
    """Every registered app's commitments of the participant between ``first`` and ``last``."""
    found: list[Commitment] = []
    for name in sorted(_registry):
        found += _registry[name](participant, grant, first, last)
    return sorted(found, key=lambda c: (c.first, c.title))
