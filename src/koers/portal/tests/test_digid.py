"""DigiD on Mijn Koers through django-digid-eherkenning's mock identity provider (KOERS_PORTAL_DIGID=mock in tests).

Only a participant with that BSN and a portal account that is not blocked gets in; nothing is ever created."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from koers.core.models import AuditEvent, User
from koers.portal.models import PortalAccount

BSN = "999993653"  # a fictional BSN from the test range (passes the elfproef)
UNKNOWN_BSN = "999990019"


def _through_the_mock(client, bsn: str, language: str = ""):
    """Press "Inloggen met DigiD", type the BSN at the mock DigiD, and follow it back to Koers."""
    start = client.get(reverse("digid:login") + (f"?taal={language}" if language else ""))
    assert start.status_code == 302
    idp = start["Location"]
    assert idp.startswith(reverse("digid-mock:login"))
    params = parse_qs(urlsplit(idp).query)
    assert params["acs"] == ["http://testserver" + reverse("digid:acs")]
    assert client.get(idp).status_code == 200  # the mock's "choose how to log in" page
    bsn_page = reverse("digid-mock:bsn") + "?" + urlsplit(idp).query
    assert client.get(bsn_page).status_code == 200
    back = client.post(bsn_page, {"auth_bsn": bsn})
    assert back.status_code == 302, back.content
    return client.get(back["Location"])


@pytest.fixture
def with_bsn(world):
    world.participant.bsn = BSN
    world.participant.save(update_fields=["bsn"])
    return world.participant


def test_a_participant_with_an_account_logs_in_with_digid(with_bsn, account, client):
    response = _through_the_mock(client, BSN)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.session[SESSION_KEY] == str(account.user.pk)
    assert client.session.get_expiry_age() <= 15 * 60  # the portal's short idle session
    assert client.get(reverse("portal:home")).status_code == 200
    assert AuditEvent.objects.filter(participant_id=with_bsn.pk, user=account.user, legal_basis="betrokkene",
                                     detail="Mijn Koers: ingelogd met DigiD").exists()
    assert not AuditEvent.objects.filter(path__contains=BSN).exists()
    # Confined to the portal, as after a password login.
    assert client.get("/deelnemers/")["Location"] == "/mijn/"


def test_an_invited_participant_without_a_password_yet_may_use_digid(with_bsn, invitation, client):
    response = _through_the_mock(client, BSN)
    assert response["Location"] == reverse("portal:home")
    account = PortalAccount.objects.get(pk=invitation.account.pk)
    assert account.activated_at is not None


def test_the_login_page_offers_digid(client, db):
    page = client.get(reverse("portal:login")).content.decode()
    assert reverse("digid:login") in page and "Inloggen met DigiD" in page


def _refused(response, text: str):
    assert response.status_code == 403
    assert text in response.content.decode()
    assert SESSION_KEY not in response.wsgi_request.session


def test_an_unknown_bsn_is_refused_with_a_clear_page_and_nothing_is_created(world, account, client):
    users, accounts = User.objects.count(), PortalAccount.objects.count()
    response = _through_the_mock(client, UNKNOWN_BSN)
    _refused(response, "U heeft nog geen Mijn Koers. Vraag uw contactpersoon")
    assert (User.objects.count(), PortalAccount.objects.count()) == (users, accounts)
    assert AuditEvent.objects.filter(action="geweigerd", detail__contains="DigiD").exists()
    # Never the BSN in the audit trail (the mock's return URL carries it).
    assert not AuditEvent.objects.filter(detail__contains=UNKNOWN_BSN).exists()
    assert not AuditEvent.objects.filter(path__contains=UNKNOWN_BSN).exists()


def test_a_participant_who_was_never_invited_is_refused(with_bsn, client):
    response = _through_the_mock(client, BSN)
    _refused(response, "U heeft nog geen Mijn Koers")
    assert not PortalAccount.objects.filter(participant=with_bsn).exists()
    assert AuditEvent.objects.filter(action="geweigerd", participant_id=with_bsn.pk).exists()


def test_a_blocked_account_is_refused(with_bsn, account, client, world):
    from koers.portal.services import accounts

    accounts.block(account=account, by=world.regisseur)
    _refused(_through_the_mock(client, BSN), "Uw toegang tot Mijn Koers is gestopt")


def test_an_account_that_is_a_staff_account_is_refused(with_bsn, account, client):
    account.user.is_staff = True
    account.user.save(update_fields=["is_staff"])
    _refused(_through_the_mock(client, BSN), "Uw toegang tot Mijn Koers is gestopt")


def test_a_bsn_typed_into_the_return_url_must_still_be_a_participants(world, account, client):
    response = client.get(reverse("digid:acs") + "?bsn=12345")
    _refused(response, "U heeft nog geen Mijn Koers")


def test_the_refusal_is_in_the_visitors_language(world, client):
    response = _through_the_mock(client, UNKNOWN_BSN, language="ar")
    assert response.status_code == 403 and response["Content-Language"] == "ar"
    assert 'dir="rtl"' in response.content.decode()


def test_staff_cannot_use_digid_for_the_portal(world, client_for, with_bsn, account):
    staff = client_for(world.regisseur)
    assert staff.get(reverse("digid:login")).status_code == 404
    assert staff.get(reverse("digid:acs") + f"?bsn={BSN}").status_code == 404
    assert staff.session[SESSION_KEY] == str(world.regisseur.pk)


def test_without_digid_configured_there_is_no_digid_login(client, db, settings):
    settings.KOERS_PORTAL_DIGID = ""
    assert "Inloggen met DigiD" not in client.get(reverse("portal:login")).content.decode()
    assert client.get(reverse("digid:login")).status_code == 404
    assert client.get(reverse("digid:acs") + f"?bsn={BSN}").status_code == 404


def test_heba_logs_in_with_the_demo_digid(demo_data, client):
    from digid_eherkenning.models.digid import MockDigidUser

    from koers.demo.portal import PORTAL_LOGINS

    heba = next(login for login in PORTAL_LOGINS if login.username == "heba")
    mock_user = MockDigidUser.objects.get(bsn=heba.bsn)
    assert mock_user.name == "Heba Khatib"
    start = client.get(reverse("digid:login"))
    query = urlsplit(start["Location"]).query
    page = client.get(reverse("digid-mock:bsn") + "?" + query)
    assert "Heba Khatib" in page.content.decode()  # picked from a list in the demo
    back = client.post(reverse("digid-mock:bsn") + "?" + query, {"auth_user": mock_user.pk})
    response = client.get(back["Location"])
    assert response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and home["Content-Language"] == "ar"
    assert PortalAccount.objects.get(user_id=client.session[SESSION_KEY]).participant.name == "Heba Khatib"


def test_production_refuses_the_mock_digid_and_offers_digid_only_when_configured(tmp_path):
    """Settings are read once per process: each case starts ``koers`` in a fresh one (as core's test_deploy)."""
    import json
    import subprocess
    import sys

    from koers.core.tests.test_deploy import koers_env, production_env, run_koers

    probe = ("import json, django; from django.conf import settings; django.setup(); "
             "print(json.dumps([settings.KOERS_PORTAL_DIGID, list(settings.KOERS_PORTAL_LOGIN_METHODS)]))")

    def methods(env):
        result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60,
                                check=False)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    assert methods(production_env(tmp_path)) == ["", ["password", "passkey"]]
    assert methods(production_env(tmp_path, KOERS_PORTAL_DIGID="saml")) == ["saml", ["password", "passkey", "digid"]]
    assert methods(koers_env(tmp_path, KOERS_DEMO="1")) == ["mock", ["password", "passkey", "digid"]]
    refused = run_koers(production_env(tmp_path, KOERS_PORTAL_DIGID="mock"), "check")
    assert refused.returncode != 0 and "KOERS_PORTAL_DIGID=mock" in refused.stderr
