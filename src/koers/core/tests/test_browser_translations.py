"""The Vertalingen page in a real browser, at desktop and phone width, with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_translations_page_passes_axe(world, login, page, phone_page, width):
    page = login(world.beheerder, phone_page if width == "phone" else page)
    page.goto(reverse("core:translations"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vertalingen")
    table = page.get_by_role("table")
    expect(table).to_contain_text("ትግርኛ")
    expect(table).to_contain_text("العربية")
    page.get_by_role("link", name="ትግርኛ").click()
    assert page.url.endswith("#taal-ti")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_choosing_english_on_my_account(world, login, page, phone_page, width):
    """Issue 13, item 7: a staff member switches the staff shell to English on Mijn account (desktop, 390 px)."""
    page = login(world.regisseur, phone_page if width == "phone" else page)
    page.goto(reverse("core:account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    page.get_by_label("Taal van Koers").select_option("en")
    page.get_by_role("button", name="Taal opslaan").click()
    page.wait_for_url(f"**{reverse('core:account')}")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("status")).to_contain_text("The language of Koers has been changed.")
    expect(page.get_by_label("Language of Koers")).to_have_value("en")
    if width == "phone":
        page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Participants")).to_be_visible()
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
