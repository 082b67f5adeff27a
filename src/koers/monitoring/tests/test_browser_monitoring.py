"""Browser: the programme report as the owner (axe, no CSP errors), on a desktop and on a phone; the project
form refuses a target without a rationale."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.monitoring.models import Project
from koers.monitoring.tests.test_report_views import load_nbnb

SCREENSHOTS = os.environ.get("KOERS_SCREENSHOTS")  # a directory: save screenshots there for a visual check


def _shot(page, name: str, locator=None) -> None:
    if SCREENSHOTS:
        target = locator if locator is not None else page
        options = {} if locator is not None else {"full_page": True}
        target.screenshot(path=os.path.join(SCREENSHOTS, f"monitoring-{name}.png"), **options)


@pytest.mark.browser
def test_report_page_as_owner_is_accessible(world, login):
    load_nbnb(world)
    page = login(world.regisseur)
    page.goto(reverse("monitoring:programmes"))
    submit(page, page.get_by_role("link", name="Een nieuw bestaan, een nieuwe baan"))
    assert_no_serious_axe_violations(page)
    submit(page, page.get_by_role("link", name="Rapport bekijken"))
    expect(page.get_by_role("heading", name="Uitstroom per project", level=2)).to_be_visible()
    chart = page.get_by_role("img", name="Uitstroom per project")
    expect(chart).to_be_visible()
    expect(page.locator("#tabel-outflow caption")).to_have_text("Uitstroom per project")
    # At a common laptop width the total of a wide table is on screen without scrolling sideways.
    page.set_viewport_size({"width": 1366, "height": 768})
    total = page.locator("#tabel-outflow thead th").last
    expect(total).to_have_text("Totaal")
    box = total.bounding_box()
    assert box["x"] + box["width"] <= 1366, box
    page.set_viewport_size({"width": 1280, "height": 800})
    _shot(page, "report-desktop")
    _shot(page, "outflow-desktop", page.locator("section:has(#outflow)"))
    _shot(page, "figures-desktop", page.locator("section:has(#kerncijfers)"))
    assert_no_serious_axe_violations(page)
    # filter on one project through the form
    page.get_by_role("checkbox", name="Refugee Company").check()
    submit(page, page.get_by_role("button", name="Filters toepassen"))
    expect(page.locator("#kerncijfers + .m-figures, .m-figures").first).to_contain_text("N = 98")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_report_page_on_a_phone(world, login, phone_page):
    load_nbnb(world)
    page = login(world.regisseur, page=phone_page)
    page.goto(reverse("monitoring:report", kwargs={"code": "nbnb"}))
    # nothing but the scrollable table regions is wider than the screen
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    box = page.get_by_role("img", name="Uitstroom per project").bounding_box()
    assert box and box["width"] <= 390
    _shot(page, "report-phone")
    _shot(page, "outflow-phone", page.locator("section:has(#outflow)"))
    _shot(page, "filters-phone", page.locator("form.m-report-filters"))
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_project_form_refuses_a_target_without_rationale(world, login):
    load_nbnb(world)
    page = login(world.projectleider)
    page.goto(reverse("monitoring:project_create", kwargs={"code": "nbnb"}))
    assert_no_serious_axe_violations(page)
    page.get_by_label("Naam", exact=True).fill("Taal en Werk")
    page.get_by_label("Code", exact=True).fill("taalwerk")
    page.get_by_label("Doel betaald werk (aantal deelnemers)").fill("10")
    submit(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator(".error-summary")).to_contain_text("Een doel zonder onderbouwing wordt niet opgeslagen")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Onderbouwing doel betaald werk").fill("Eerdere tranche: een kwart naar werk.")
    submit(page, page.get_by_role("button", name="Opslaan"))
    assert Project.objects.filter(code="taalwerk").exists()
    expect(page.locator("body")).to_contain_text("Eerdere tranche")
    assert_no_console_errors(page)
