"""Login lockout (django-axes) and the client address behind a proxy.

Two limits, both counted over the cool-off window (``AXES_COOLOFF_TIME``, 15 minutes by default):

- per **username**: ``AXES_FAILURE_LIMIT`` failures (5) lock that username, from every address. Short on
  purpose: anyone who knows a colleague's username can trigger it, so it must not deny service for long;
- per **client address**: ``KOERS_LOGIN_IP_FAILURE_LIMIT`` failures (30) lock that address for every username
  (password guessing across many usernames). Higher, because a whole office may share one address.

Axes compares the largest failure count of its lockout parameters with one limit; ``LoginLockoutHandler`` gives
the address its own, higher limit. A successful login resets the username's count only, so an attacker cannot
wipe the address count by logging into their own account in between.
"""

from __future__ import annotations

import ipaddress
import logging
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from koers.core import audit, extensions
from koers.core.models import AuditAction, User

logger = logging.getLogger("koers.security")


# --- The client address ----------------------------------------------------------------------------------------

def _trusted_networks() -> list:
    networks = []
    for item in getattr(settings, "KOERS_TRUSTED_PROXIES", ()):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue
    return networks


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client that sent the request (``AXES_CLIENT_IP_CALLABLE``).

    Without ``KOERS_BEHIND_PROXY`` this is ``REMOTE_ADDR``: an X-Forwarded-For header is then written by the
    client itself and means nothing. Behind a proxy, the right-most hop of X-Forwarded-For that is not one of
    our own proxies (``KOERS_TRUSTED_PROXIES``; the proxy that connects to Koers is always trusted): every hop to
    its left was written by someone we do not control and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not getattr(settings, "KOERS_BEHIND_PROXY", False):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    trusted = _trusted_networks()
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be trusted either
        if any(address in network for network in trusted):
            continue
        return str(address)
    return remote


# --- Two limits ------------------------------------------------------------------------------------------------

def ip_failure_limit() -> int:
    return int(getattr(settings, "KOERS_LOGIN_IP_FAILURE_LIMIT", 30))


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate limit for the client address (``AXES_LOCKOUT_PARAMETERS`` is
    ``["username", "ip_address"]``: the querysets come in that order)."""

    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        by_username, by_address = self.get_user_attempts(request, credentials)
        return _failures(by_username), _failures(by_address)

    def get_failures(self, request, credentials=None) -> int:
        # Axes locks when this number reaches the username limit. The address count is shifted so that it
        # reaches that number exactly when it reaches its own (higher) limit.
        username_failures, address_failures = self.failure_counts(request, credentials)
        shift = max(ip_failure_limit() - get_failure_limit(request, credentials), 0)
        return max(username_failures, address_failures - shift)

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


# --- The page a locked-out user sees ---------------------------------------------------------------------------

def lockout_response(request, original_response=None, credentials=None):
    """A Dutch page that says why, and from when on logging in works again (``AXES_LOCKOUT_CALLABLE``)."""
    handler = LoginLockoutHandler()
    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials) or ""
    username_failures, address_failures = handler.failure_counts(request, credentials)
    by_address = address_failures >= ip_failure_limit() and username_failures < get_failure_limit(
        request, credentials)
    attempts = handler.get_user_attempts(request, credentials)[1 if by_address else 0]
    last = attempts.aggregate(last=Max("attempt_time"))["last"] or timezone.now()
    until = last + cool_off
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    address = getattr(request, "axes_ip_address", "") or client_ip(request)
    logger.warning("login locked out (%s): username %r, address %s", "address" if by_address else "username",
                   username, address)
    # A security event on the Beveiliging page: for the administrator of the organisation whose account was tried
    # (someone locking a colleague out shows up there), and for the platform administrator.
    account = User.objects.filter(username__iexact=username[:150]).select_related("organisation").first() \
        if username else None
    kind = "te veel mislukte pogingen vanaf dit adres" if by_address else "te veel mislukte pogingen"
    audit.record_event(None, AuditAction.DENIED,
                       f"Inloggen geblokkeerd voor gebruikersnaam ‘{username[:80]}’ ({kind}; adres {address})",
                       request=request, organisation=account.organisation if account else None)
    context = {
        "username": username,
        "by_address": by_address,
        "failure_limit": ip_failure_limit() if by_address else get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60),
        "until": timezone.localtime(until),
        "minutes_left": minutes,
    }
    own_page = extensions.lockout_page_for(request.path)
    if own_page is not None:
        return own_page(request, context)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
