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

One-off appointments (casework's planned contacts) are *events*: ``week.register_events("appointments",
provider)``, where ``provider(participant, grant, first, last)`` returns ``rules.schedule.Event``s, empty when
the grant does not cover them. The staff week view, the week card and Mijn Koers's week show them; they do not
count in the hours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from koers.activities.rules.schedule import Commitment, Event

Provider = Callable[..., list[Commitment]]
EventProvider = Callable[..., list[Event]]

_registry: dict[str, Provider] = {}
_event_registry: dict[str, EventProvider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, for a re-run ``ready()``) the provider ``name``."""
    _registry[name] = provider


def commitments(participant, grant, first: date, last: date) -> list[Commitment]:
    """Every registered app's commitments of the participant between ``first`` and ``last``."""
    found: list[Commitment] = []
    for name in sorted(_registry):
        found += _registry[name](participant, grant, first, last)
    return sorted(found, key=lambda c: (c.first, c.title))


def register_events(name: str, provider: EventProvider) -> None:
    """Add (or replace) the event provider ``name``."""
    _event_registry[name] = provider


def events(participant, grant, first: date, last: date) -> list[Event]:
    """Every registered app's events (appointments) of the participant between ``first`` and ``last``."""
    found: list[Event] = []
    for name in sorted(_event_registry):
        found += _event_registry[name](participant, grant, first, last)
    return sorted(found, key=lambda e: (e.day, e.start, e.id))
