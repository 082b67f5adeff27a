"""Logging in to Mijn Koers on a phone (390×844) with a passkey and with the mock DigiD, in nl, ar and ti.

The passkey runs against Chromium's virtual authenticator (CDP ``WebAuthn``): a phone with a fingerprint reader
that says yes. Axe must find nothing serious or critical on the portal's pages of these flows.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.portal.models import Passkey
from koers.portal.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

BSN = "999993653"


def _check(page, language: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language in ("ar", "fa") else "ltr")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def _phone_with_passkeys(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    return cdp


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
def test_add_a_passkey_log_out_and_log_in_with_it_on_a_phone(account, phone_page, language):
    account.language = language
    account.save(update_fields=["language"])
    page = phone_page
    _phone_with_passkeys(page)
    page.goto(f"{reverse('portal:login')}?taal={language}")
    _check(page, language)
    page.fill("#id_username", account.user.username)
    page.fill("#id_password", PASSWORD)
    page.locator(f"form[action='{reverse('portal:login')}'] [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:home')}")
    page.goto(reverse("portal:my_data"))
    page.locator(f"a[href='{reverse('portal:passkeys')}']").click()
    page.wait_for_url(f"**{reverse('portal:passkeys')}")
    _check(page, language)
    expect(page.locator("#passkey-add")).to_be_visible()
    expect(page.locator("[data-passkey-unsupported]")).to_be_hidden()
    page.fill("#id_name", "Mijn telefoon")
    page.locator("#passkey-add [type=submit]").click()
    # The confirmation exists only on the page after the POST's redirect: axe must not run while the form is
    # still being submitted (it did once, on a loaded machine: "execution context was destroyed").
    page.locator(".message--success").wait_for()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Mijn telefoon")).to_be_visible()
    _check(page, language)
    assert Passkey.objects.filter(account=account, name="Mijn telefoon").count() == 1

    page.locator(".portal-logout").click()
    page.wait_for_url(f"**{reverse('portal:login')}*")
    expect(page.locator("#passkey-login")).to_be_visible()
    _check(page, language)
    page.locator("#passkey-login [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:home')}")
    _check(page, language)
    expect(page.locator(".portal-logout")).to_be_visible()
    assert Passkey.objects.get(account=account).last_used_at is not None


def test_without_passkey_support_the_login_page_shows_only_the_password(account, new_page):
    page = new_page(width=390, height=844, java_script_enabled=False)
    page.goto(reverse("portal:login"))
    expect(page.locator("#passkey-login")).to_be_hidden()
    expect(page.locator("#id_password")).to_be_visible()


def _forget_the_mocks_console(page) -> None:
    """The mock DigiD's own script (django-digid-eherkenning's extra.js) fails on its BSN page; not ours."""
    page.koers_console_errors[:] = [e for e in page.koers_console_errors if "addEventListener" not in e]


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
def test_log_in_with_the_mock_digid_on_a_phone(world, account, phone_page, language):
    world.participant.bsn = BSN
    world.participant.save(update_fields=["bsn"])
    account.language = language
    account.save(update_fields=["language"])
    page = phone_page
    page.goto(f"{reverse('portal:login')}?taal={language}")
    page.locator(".portal-digid").click()
    page.wait_for_url(f"**{reverse('digid-mock:login')}*")  # the library's mock DigiD (not ours: no axe here)
    page.locator("a[href*=inloggen_bsn]").click()
    page.wait_for_url(f"**{reverse('digid-mock:bsn')}*")
    page.fill("input[name=auth_bsn]", BSN)
    page.locator("#submit-button").click()
    page.wait_for_url(f"**{reverse('portal:home')}")
    _forget_the_mocks_console(page)
    _check(page, language)


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
def test_the_mock_digid_refuses_an_unknown_bsn_in_the_visitors_language(db, phone_page, language):
    page = phone_page
    page.goto(f"{reverse('portal:login')}?taal={language}")
    page.locator(".portal-digid").click()
    page.locator("a[href*=inloggen_bsn]").click()
    page.fill("input[name=auth_bsn]", "999990019")
    page.locator("#submit-button").click()
    page.wait_for_url(f"**{reverse('digid:acs')}*")
    _forget_the_mocks_console(page)
    # The refusal is a 403 on purpose (the browser logs that status; it is the page we want).
    page.koers_console_errors[:] = [e for e in page.koers_console_errors if "status of 403" not in e]
    expect(page.locator(".message--error")).to_be_visible()
    _check(page, language)
