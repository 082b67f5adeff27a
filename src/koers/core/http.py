"""Reading untrusted request values safely: ``next`` targets, dates and ids from the query string.

Every view that reads one of these goes through the helpers here, so bad input answers with a fallback, a form
error or a 404 — never with the server's error page (issue 10, item 8).
"""

from __future__ import annotations

import datetime as dt

from django.utils.http import url_has_allowed_host_and_scheme

from koers.core.access import safe_id

#: The dates Koers accepts anywhere (forms and query strings). Outside this range date arithmetic (weeks,
#: periods, ages) can overflow, and no real participant, session or contact lies there.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
DATE_RANGE_MESSAGE = "Vul een datum in tussen 1-1-1900 en 31-12-2100."


def post_text(request, name: str, default: str = "") -> str:
    """A free-text value posted outside a Django form, without NUL characters (a form field refuses them itself;
    PostgreSQL refuses to store them, and no browser sends one from a text field)."""
    value = request.POST.get(name, default)
    return value.replace("\x00", "") if isinstance(value, str) else default


def safe_next(request, fallback: str = "") -> str:
    """The ``next`` parameter (POST before GET) when it is a path inside Koers, else ``fallback``.

    Only a path is accepted: it starts with one "/" (not "//" or "/\\", which browsers read as another host) and
    passes Django's safe-URL check for this host. The answer is always a URL (or the fallback), never a view
    name, so ``redirect(safe_next(...))`` cannot raise NoReverseMatch.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not isinstance(target, str) or len(target) > 2000 or "\x00" in target:
        return fallback
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return fallback
    return target


def in_date_range(value: dt.date | None) -> bool:
    if value is None:
        return True
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def parse_date(value, default: dt.date | None = None) -> dt.date | None:
    """An ISO date from the query string within the accepted range, else ``default`` (never raises)."""
    if not value or not isinstance(value, str):
        return default
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return default
    return day if in_date_range(day) else default


def query_id(request, name: str) -> int | None:
    """A database id from the query string, or None when it is missing or not an id the database can hold."""
    return safe_id(request.GET.get(name))
