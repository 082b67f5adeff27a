"""Login lockout and password-reset limits that an attacker cannot turn against colleagues (issue 10, item 10).

- Per username: 5 failures lock that username for 15 minutes, from every address; attempts during the lockout do
  not extend it; after the cool-off the right password works again.
- Per client address: a higher limit locks an address that guesses across many usernames, without locking
  those users elsewhere.
- The client address is REMOTE_ADDR, or behind a proxy (KOERS_BEHIND_PROXY=1) the right-most untrusted hop of
  X-Forwarded-For; a forged header changes nothing.
- Password-reset requests: at most 3 per e-mail address and 20 per client address per hour; over the limit the
  answer is the same and no mail is sent.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from koers.core.codes import Role
from koers.core.lockout import client_ip
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import PASSWORD, OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # not about hashing
    settings.AXES_ENABLED = True
    settings.KOERS_BEHIND_PROXY = False
    settings.KOERS_TRUSTED_PROXIES = []


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Gemeente Testdorp")


@pytest.fixture
def bea(org):
    return make_user(org, Role.BEHEERDER, username="bea", email="bea@testdorp.nl")


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def age_attempts(minutes: int) -> None:
    """Move the recorded failures back in time (axes' own table), as if the minutes had passed."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


# --- Per username ---------------------------------------------------------------------------------------------

def test_username_lock_holds_from_every_address_and_ends_after_fifteen_minutes(bea):
    attacker = from_address("203.0.113.7")
    for _ in range(5):
        login(attacker, "bea", "fout")
    # Bea herself, from the office, is locked out too: the lock is per username...
    office = from_address("198.51.100.10")
    response = login(office, "bea")
    assert response.status_code == 429
    assert "Uw account is tijdelijk geblokkeerd" in response.content.decode()
    # ...but only for a short while: after 15 minutes the right password works again.
    age_attempts(16)
    assert login(office, "bea").status_code == 302


def test_a_blocked_login_is_a_security_event_for_the_accounts_administrator(bea, client_for):
    """Someone locking a colleague out shows up on the Beveiliging page of that colleague's organisation."""
    attacker = from_address("203.0.113.7")
    for _ in range(6):
        login(attacker, "bea", "fout")
    event = AuditEvent.objects.filter(action=AuditAction.DENIED).latest("id")
    assert event.organisation_id == bea.organisation_id and event.user_id is None
    assert "‘bea’" in event.detail and "203.0.113.7" in event.detail
    html = client_for(bea).get(reverse("core:security_events")).content.decode()
    assert "Inloggen geblokkeerd voor gebruikersnaam" in html


def test_attempts_during_the_lockout_do_not_extend_it(bea):
    attacker = from_address("203.0.113.7")
    for _ in range(5):
        login(attacker, "bea", "fout")
    age_attempts(10)
    for _ in range(5):
        assert login(attacker, "bea", "fout").status_code == 429  # still locked, not counted
    age_attempts(6)
    assert login(from_address("198.51.100.10"), "bea").status_code == 302


def test_four_failures_do_not_lock_and_success_resets_the_count(bea):
    client = from_address("198.51.100.10")
    for _ in range(4):
        assert login(client, "bea", "fout").status_code == 200
    assert login(client, "bea").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert login(client, "bea", "fout").status_code == 200
    assert login(client, "bea").status_code == 302


# --- Per client address ---------------------------------------------------------------------------------------

def test_guessing_across_many_usernames_locks_the_address_not_the_users(bea, settings):
    settings.KOERS_LOGIN_IP_FAILURE_LIMIT = 8
    attacker = from_address("203.0.113.7")
    for i in range(8):
        login(attacker, f"gok{i}", "fout")
    response = login(attacker, "bea")  # even a right password from that address waits
    assert response.status_code == 429
    html = response.content.decode()
    assert "Inloggen vanaf dit netwerk is tijdelijk geblokkeerd" in html
    assert "uur</strong>" in html
    # Bea from elsewhere is not affected.
    assert login(from_address("198.51.100.10"), "bea").status_code == 302


def test_logging_into_an_own_account_does_not_reset_the_address_count(bea, settings, org):
    settings.KOERS_LOGIN_IP_FAILURE_LIMIT = 6
    own = make_user(org, Role.REGISSEUR, username="eigen")
    attacker = from_address("203.0.113.7")
    for i in range(5):
        login(attacker, f"gok{i}", "fout")
    assert login(attacker, "eigen").status_code == 302
    attacker.post(reverse("logout"))
    login(attacker, "gok9", "fout")
    assert login(attacker, own.username).status_code == 429


# --- The client address ---------------------------------------------------------------------------------------

def _request(remote="10.0.0.2", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_proxy_setting_x_forwarded_for_is_ignored(settings):
    settings.KOERS_BEHIND_PROXY = False
    assert client_ip(_request("198.51.100.10", "1.2.3.4")) == "198.51.100.10"


def test_behind_proxy_the_rightmost_untrusted_hop_is_the_client(settings):
    settings.KOERS_BEHIND_PROXY = True
    # The proxy appends the address it saw; anything to its left is the client's own (forgeable) text.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.0.0.2", "203.0.113.7")) == "203.0.113.7"
    # A second proxy of our own (a load balancer) in front: skip it.
    settings.KOERS_TRUSTED_PROXIES = ["192.0.2.0/24"]
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.7, 192.0.2.5")) == "203.0.113.7"
    # No header or a malformed right-most hop: the proxy's own address (locks less, never crashes).
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "1.2.3.4, nonsense")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "2001:db8::1")) == "2001:db8::1"


def test_behind_proxy_colleagues_are_counted_apart_and_forged_headers_do_not_help(bea, settings):
    settings.KOERS_BEHIND_PROXY = True
    settings.KOERS_LOGIN_IP_FAILURE_LIMIT = 6
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for i in range(6):  # the attacker forges a different left-most hop every time
        login(proxy, f"gok{i}", "fout", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}, 203.0.113.7")
    assert login(proxy, "bea", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # A colleague behind the same proxy, from another address, logs in.
    assert login(proxy, "bea", HTTP_X_FORWARDED_FOR="198.51.100.10").status_code == 302


# --- Password-reset requests ----------------------------------------------------------------------------------

def test_reset_requests_are_limited_per_address_without_revealing_it(bea):
    client = from_address("198.51.100.10")
    for _ in range(3):
        response = client.post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 3
    response = client.post(reverse("password_reset"), {"email": "BEA@testdorp.nl"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 3  # the same answer, no fourth mail
    # From another address the limit per e-mail address still holds (no inbox flooding via many addresses).
    from_address("203.0.113.7").post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    assert len(mail.outbox) == 3


def test_reset_requests_are_limited_per_client_address(bea, org):
    make_user(org, Role.REGISSEUR, username="rita", email="rita@testdorp.nl")
    attacker = from_address("203.0.113.7")
    for i in range(20):
        attacker.post(reverse("password_reset"), {"email": f"probeer{i}@testdorp.nl"})
    response = attacker.post(reverse("password_reset"), {"email": "rita@testdorp.nl"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    # Someone else is not affected.
    from_address("198.51.100.10").post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    assert len(mail.outbox) == 1


def test_reset_limit_window_ends(bea):
    from django.core.cache import cache

    client = from_address("198.51.100.10")
    for _ in range(4):
        client.post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    assert len(mail.outbox) == 3
    cache.clear()  # as after the hour
    client.post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    assert len(mail.outbox) == 4
