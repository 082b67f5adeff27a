"""Smoke tests in a real browser (Chromium through Playwright), and of the harness in koers.browser_testing.

These are the first pages anyone sees: the login page and the start page after logging in. Each is checked
with axe for serious and critical accessibility findings, and for errors in the browser console, which is
where a Content-Security-Policy violation shows.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import (
    assert_no_console_errors,
    assert_no_serious_axe_violations,
    remove_audit_triggers_until_flush,
    submit,
)
from koers.core import audit
from koers.core.codes import Category
from koers.core.models import AuditEvent


@pytest.mark.browser
def test_regisseur_logs_in_and_sees_the_participants_of_their_municipality(world, login):
    page = login(world.regisseur)
    page.goto("/")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Mijn caseload")
    main = page.locator("main")
    expect(main).to_contain_text("Nahom Tesfay")
    expect(main, "a participant of another municipality is shown").not_to_contain_text("Samira Haddad")
    expect(page.locator("header")).to_contain_text(world.regisseur.first_name)

    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_start_page_fits_a_phone_screen(world, login, phone_page):
    page = login(world.regisseur, page=phone_page)
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone screen"
    assert_no_serious_axe_violations(page)


@pytest.mark.browser
def test_wrong_password_keeps_the_user_out_with_a_clear_message(world, page):
    page.goto(reverse("login"))
    assert_no_serious_axe_violations(page)

    page.get_by_label("Gebruikersnaam", exact=True).fill(world.regisseur.username)
    page.get_by_label("Wachtwoord", exact=True).fill("niet-het-goede-wachtwoord")
    submit(page, page.get_by_role("button", name="Inloggen"))

    assert page.url.endswith(reverse("login"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Deelnemers")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def _delete_refused() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_audit_trail_is_append_only_again_after_the_flush_between_browser_tests(world):
    """What the harness does around pytest-django's flush of a live-server test, on this database."""
    audit.record(world.regisseur, world.participant, Category.IDENTITY)
    assert _delete_refused(), "the audit trigger is not active during a transactional test"

    remove_audit_triggers_until_flush(connection)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0

    audit.record(world.regisseur, world.participant.pk, Category.IDENTITY)
    assert _delete_refused(), "the audit trigger did not come back after the flush"
