"""Mijn Koers in a real browser on a phone (390×844), per language: the letter's code, plan, week, my data, a message,
a portfolio item and the CV, logout.

Axe must find nothing serious or critical on any portal page, in Dutch, Arabic (right to left) and Tigrinya.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.plans.tests.conftest import draft_with_content, sign
from koers.portal.services import accounts as services

pytestmark = pytest.mark.browser

PASSWORD = "mijn eigen lange wachtwoord"  # noqa: S105 - a test password
LANGUAGES = ["nl", "ar", "ti", "en", "uk", "fa"]


def _check(page, language: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language in ("ar", "fa") else "ltr")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def _activate(page, world, language: str):
    """Invite the world's participant in ``language`` and activate from the letter's QR link: lands on home."""
    new = services.invite(participant=world.participant, by=world.regisseur, language=language)
    page.goto(f"{reverse('portal:activate')}?gebruiker={new.account.user.username}&taal={language}#code={new.code}")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("form.portal-form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:home')}")
    return new


@pytest.mark.parametrize("language", LANGUAGES)
def test_activate_with_the_letter_then_plan_week_and_logout_on_a_phone(world, phone_page, live_server, language,
                                                                        settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign(world, draft_with_content(world))
    new = services.invite(participant=world.participant, by=world.regisseur, language=language)
    page = phone_page
    # The QR code's link: username and language in the query, the code in the fragment (filled in by the page).
    page.goto(f"{reverse('portal:activate')}?gebruiker={new.account.user.username}&taal={language}#code={new.code}")
    _check(page, language)
    expect(page.locator("#id_code")).to_have_value(new.code)
    expect(page).not_to_have_url(re.compile("#"))  # the code left the address bar
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("form.portal-form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:home')}")
    _check(page, language)
    page.locator(f".portal-nav a[href='{reverse('portal:plan')}']").click()
    page.wait_for_url(f"**{reverse('portal:plan')}")
    _check(page, language)
    expect(page.get_by_text("Werkervaring opdoen in de techniek")).to_be_visible()
    expect(page.get_by_text("Beter slapen")).to_have_count(0)
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('portal:plan_pdf')}']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.locator(f".portal-nav a[href='{reverse('portal:week')}']").click()
    page.wait_for_url(f"**{reverse('portal:week')}")
    _check(page, language)
    page.locator(f".portal-nav a[href='{reverse('portal:my_data')}']").click()
    page.wait_for_url(f"**{reverse('portal:my_data')}")
    _check(page, language)
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('portal:download')}']").click()
    assert download.value.suggested_filename == "mijn-gegevens.json"
    # A message to the regisseur (answered in test_browser_messages) and a portfolio item with the CV, so that every
    # language walks every step of the participant's journey.
    page.locator(f".portal-nav a[href='{reverse('portal:messages')}']").click()
    page.wait_for_url(f"**{reverse('portal:messages')}")
    page.fill("#id_body", "Hallo, ik heb een vraag.")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:messages')}")
    expect(page.locator(".message--success")).to_be_visible()
    _check(page, language)
    page.locator(f".portal-nav a[href='{reverse('portal:portfolio')}']").click()
    page.locator(f"a[href='{reverse('portal:portfolio_add')}']").click()
    page.fill("#id_title", "Certificaat heftruck")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:portfolio')}")
    _check(page, language)
    with page.expect_download() as download:
        page.locator(f"form[action='{reverse('portal:cv')}'] [type=submit]").click()
    assert download.value.suggested_filename == "cv.pdf"
    page.locator(".portal-logout").click()
    page.wait_for_url(f"**{reverse('portal:login')}*")
    _check(page, language)
    page.goto(reverse("portal:plan"))
    assert page.url.split("?")[0].endswith(reverse("portal:login"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_withdrawing_a_consent_on_a_phone(world, phone_page, language):
    from django.test import Client

    from koers.core.codes import LegalBasis
    from koers.core.tests.factories import MembershipFactory

    membership = MembershipFactory(participant=world.participant, organisation=world.reintegratie,
                                   added_by=world.regisseur, legal_basis=LegalBasis.TOESTEMMING)
    page = phone_page
    _activate(page, world, language)
    page.goto(reverse("portal:my_data"))
    page.locator(f"a[href='{reverse('portal:withdraw_consent', kwargs={'membership_id': membership.pk})}']").click()
    _check(page, language)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:my_data')}")
    _check(page, language)
    expect(page.locator(".message--success")).to_be_visible()
    membership.refresh_from_db()
    assert membership.consent_withdrawn
    partner = Client()  # the partner organisation's counsellor: the file is gone for them at once
    partner.force_login(world.begeleider)
    assert partner.get(reverse("participants:detail", kwargs={"pk": world.participant.pk})).status_code == 404


def test_a_wrong_code_on_a_phone_says_so_next_to_the_field(world, phone_page):
    new = services.invite(participant=world.participant, by=world.regisseur, language="ar")
    page = phone_page
    page.goto(f"{reverse('portal:activate')}?gebruiker={new.account.user.username}&taal=ar")
    page.fill("#id_code", "AAAA-AAAA-AAAA")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page, page.locator("form.portal-form [type=submit]"))
    expect(page.locator("#id_code_error")).to_be_visible()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    _check(page, "ar")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
def test_adding_to_the_portfolio_and_downloading_the_cv_on_a_phone(world, phone_page, settings, tmp_path, language):
    from koers.portal.models import PortfolioItem
    from koers.portal.tests.test_accounts import pdf_text

    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    _activate(page, world, language)
    page.locator(f".portal-tiles a[href='{reverse('portal:portfolio')}']").click()
    page.wait_for_url(f"**{reverse('portal:portfolio')}")
    _check(page, language)
    page.locator(f"a[href='{reverse('portal:portfolio_add')}']").click()
    _check(page, language)
    # A disguised file first: refused next to the field, nothing saved.
    page.fill("#id_title", "Kast van eikenhout")
    page.set_input_files("#id_file", {"name": "kast.png", "mimeType": "image/png", "buffer": b"MZ not an image"})
    submit(page, page.locator("main form [type=submit]"))
    expect(page.locator("#id_file_error")).to_be_visible()
    assert page.locator("#id_file").get_attribute("aria-invalid") == "true"
    _check(page, language)
    assert not PortfolioItem.objects.exists()
    page.fill("#id_description", "Zelf gemaakt op de stage.")
    page.set_input_files("#id_file", {"name": "kast.png", "mimeType": "image/png", "buffer": PNG})
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:portfolio')}")
    _check(page, language)
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.get_by_text("Kast van eikenhout")).to_be_visible()
    with page.expect_download() as download:
        page.locator(f"form[action='{reverse('portal:cv')}'] [type=submit]").click()
    assert download.value.suggested_filename == "cv.pdf"
    text = pdf_text(open(download.value.path(), "rb").read(), tmp_path)  # noqa: SIM115 - read once
    assert "Curriculum vitae" in text and "Kast van eikenhout" in text
    item = PortfolioItem.objects.get()
    page.locator(f"a[href='{reverse('portal:portfolio_delete', kwargs={'item_id': item.pk})}']").click()
    _check(page, language)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{reverse('portal:portfolio')}")
    assert not PortfolioItem.objects.exists()


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
def test_turning_on_email_when_there_is_news_on_a_phone(world, phone_page, language):
    from koers.portal.models import PortalAccount

    world.participant.email = "nahom@example.org"
    world.participant.save()
    page = phone_page
    new = _activate(page, world, language)
    page.goto(reverse("portal:my_data") + "#meldingen")
    _check(page, language)
    expect(page.locator("#meldingen ~ form bdi[dir=ltr]")).to_have_text("nahom@example.org")  # ltr in an rtl page
    page.locator("#id_email_notices").check()
    submit(page, page.locator("#meldingen ~ form [type=submit]"))
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator("#id_email_notices")).to_be_checked()
    _check(page, language)
    assert PortalAccount.objects.get(pk=new.account.pk).email_notices
