"""The Vertalingen page in a real browser, at desktop and phone width, with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_translations_page_passes_axe(world, login, page, phone_page, width):
    page = login(world.beheerder, phone_page if width == "phone" else page)
    page.goto(reverse("core:translations"))
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Vertalingen"
    table = page.get_by_role("table")
    assert "ትግርኛ" in table.inner_text() and "العربية" in table.inner_text()
    page.get_by_role("link", name="ትግርኛ").click()
    assert page.url.endswith("#taal-ti")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
