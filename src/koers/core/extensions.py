"""What apps above ``core`` add to core's own pages: the start page's destination and menu entries.

``core`` is the lowest layer (docs/architecture.md, "Dependencies point down"): it cannot import the apps that
know whether a user has a caseload or uses monitoring. Those apps register here in ``AppConfig.ready()``::

    extensions.register_home("casework:caseload", caseload.has_caseload, order=10)
    extensions.register_menu("uses_monitoring", access.shows_in_menu)

The start page sends a user to the first registered destination (lowest ``order``) whose predicate holds;
a menu flag is available in every template under its name, evaluated only where the menu asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Home:
    url_name: str
    applies: Callable[[object], bool]
    order: int


_homes: dict[str, Home] = {}
_menu: dict[str, Callable[[object], bool]] = {}


def register_home(url_name: str, applies: Callable[[object], bool], *, order: int) -> None:
    _homes[url_name] = Home(url_name, applies, order)


def home_for(user) -> str | None:
    """The URL name of the user's start page, or None (the plain start page)."""
    for home in sorted(_homes.values(), key=lambda h: (h.order, h.url_name)):
        if home.applies(user):
            return home.url_name
    return None


def register_menu(name: str, applies: Callable[[object], bool]) -> None:
    _menu[name] = applies


def menu_flags(user) -> dict[str, Callable[[], bool]]:
    """Lazy flags: templates call them only where the menu is drawn (no query on pages without it)."""
    authenticated = bool(user and user.is_authenticated)

    def lazy(applies):
        return lambda: authenticated and bool(applies(user))

    return {name: lazy(applies) for name, applies in _menu.items()}


# --- Lockout pages -------------------------------------------------------------------------------------------
# The login lockout (core/lockout.py) answers with the staff page, unless an app above core registered its own
# page for a path prefix (the participant portal: in the participant's language, without staff wording).
_lockout_pages: dict[str, Callable[..., object]] = {}


def register_lockout_page(prefix: str, render: Callable[..., object]) -> None:
    """``render(request, context)`` returns the response for a lockout on a path under ``prefix``."""
    _lockout_pages[prefix] = render


def lockout_page_for(path: str) -> Callable[..., object] | None:
    for prefix, render in _lockout_pages.items():
        if path.startswith(prefix):
            return render
    return None
