
"""Every page a staff member sees, in a real browser: no serious or critical axe findings, no console errors
(which is how a Content-Security-Policy violation shows), and the main journeys work by clicking."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.casework.models import ActionItem
from koers.core.codes import Barrier, BarrierStatus
from koers.participants.models import ParticipantBarrier
from koers.participants.queries import intake as intake_queries
from koers.participants.services import intake as intake_services

pytestmark = pytest.mark.browser


def check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


#: The regisseur's pages in three groups, one test each, so that pytest-xdist can spread them over its workers.
REGISSEUR_PAGE_GROUPS = ["file-and-actions", "sections", "intake"]


@pytest.mark.parametrize("group", REGISSEUR_PAGE_GROUPS)
def test_regisseur_pages_pass_axe(world, login, group):
    p = world.participant
    p.barrier_status = BarrierStatus.WEL
    p.save()
    ParticipantBarrier.objects.create(participant=p, code=Barrier.PSYCHISCHE_GEZONDHEID)
    from koers.core.access import grant_for

    draft, _ = intake_services.start_intake(world.regisseur, p, grant_for(world.regisseur, p))
    page = login(world.regisseur)
    paths = {"file-and-actions": [
        reverse("participants:list"),
        reverse("participants:list") + "?leerroute=b1&q=zzz",
        reverse("participants:create"),
        reverse("participants:detail", kwargs={"pk": p.pk}),
        reverse("participants:history", kwargs={"pk": p.pk}),
        reverse("participants:access", kwargs={"pk": p.pk}),
        reverse("participants:audit", kwargs={"pk": p.pk}),
        reverse("participants:add_assessment", kwargs={"pk": p.pk}),
        reverse("participants:add_work_experience", kwargs={"pk": p.pk}),
        reverse("participants:intake_list", kwargs={"pk": p.pk}),
        reverse("participants:household", kwargs={"pk": p.pk}) + "?q=sa",
        reverse("casework:my_actions"),
        reverse("casework:org_actions"),
        reverse("casework:participant_actions", kwargs={"pk": p.pk}),
        reverse("core:account"),
        reverse("casework:action_create", kwargs={"pk": p.pk}),
    ]}
    paths["sections"] = [reverse("participants:edit_section", kwargs={"pk": p.pk, "section": s})
                         for s in ["identiteit", "traject", "huishouden", "taal-opleiding", "inkomen", "wensen",
                                   "belemmeringen"]]
    paths["intake"] = [reverse("participants:intake_step", kwargs={"pk": p.pk, "intake_id": draft.pk, "step": s.slug})
                       for s in intake_queries.ALL_STEPS]
    paths["intake"].append(reverse("participants:intake_detail", kwargs={"pk": p.pk, "intake_id": draft.pk}))
    assert set(paths) == set(REGISSEUR_PAGE_GROUPS)
    for path in paths[group]:
        check(page, path)


def test_two_factor_pages_pass_axe(world, login, settings):
    page = login(world.regisseur)
    settings.KOERS_REQUIRE_2FA = True
    check(page, reverse("two_factor_setup"))


def test_beheer_pages_pass_axe(world, login):
    # A functional administrator manages their own organisation (Gemeente Rivierstad) only.
    page = login(world.beheerder)
    for path in [
        reverse("core:organisation_list"),
        reverse("core:organisation_detail", kwargs={"pk": world.gemeente.pk}),
        reverse("core:organisation_update", kwargs={"pk": world.gemeente.pk}),
        reverse("core:user_create", kwargs={"pk": world.gemeente.pk}),
        reverse("core:user_update", kwargs={"pk": world.regisseur.pk}),
        reverse("core:user_deactivate", kwargs={"pk": world.regisseur.pk}),
        reverse("core:security_events"),
        reverse("core:password_change"),
    ]:
        check(page, path)


def test_public_pages_pass_axe(live_server, page):
    for path in [reverse("login"), reverse("password_reset")]:
        check(page, path)


def test_form_errors_pass_axe(world, login):
    page = login(world.regisseur)
    page.goto(reverse("participants:create"))
    page.fill("#id_name", "Ammar")
    page.fill("#id_bsn", "123456789")
    page.click("main button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("elfproef")
    assert_no_serious_axe_violations(page)


def test_regisseur_finds_participant_and_edits_the_file(world, login):
    page = login(world.regisseur)
    page.goto(reverse("participants:list"))
    page.fill("#id_q", "nahom")
    page.click("text=Zoeken")
    page.click("text=Nahom Tesfay")
    expect(page.locator("h1")).to_have_text(re.compile(r"^\s*Nahom Tesfay"))
    page.click("text=Traject wijzigen")
    page.select_option("#id_migration_status", "asielstatushouder")
    page.click("button:has-text('Opslaan')")
    expect(page.locator(".messages")).to_contain_text("wijziging(en) opgeslagen")
    page.click("text=Geschiedenis")
    expect(page.locator("table")).to_contain_text("Asielstatushouder")


def test_teacher_on_a_phone_sees_language_but_no_health_data(world, login, phone_page):
    p = world.participant
    p.barrier_status = BarrierStatus.WEL
    p.save()
    ParticipantBarrier.objects.create(participant=p, code=Barrier.PSYCHISCHE_GEZONDHEID)
    ActionItem.objects.create(participant=p, title="Praten over slapen", domain="geestelijke_gezondheid",
                              owner_organisation=world.gemeente, due_date="2030-01-01", created_by=world.regisseur)
    page = login(world.taaldocent, page=phone_page)
    page.goto(reverse("participants:detail", kwargs={"pk": p.pk}))
    text = page.locator("main").inner_text()
    assert "Taal en opleiding" in text
    assert "Psychische gezondheid" not in text and "Inkomen" not in text
    # nothing wider than the phone screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_serious_axe_violations(page)
    page.goto(reverse("casework:participant_actions", kwargs={"pk": p.pk}))
    expect(page.locator("main")).not_to_contain_text("slapen")


def test_on_a_phone_the_file_starts_on_the_first_screen_and_the_menu_opens_on_request(world, login, phone_page):
    page = login(world.regisseur, page=phone_page)
    page.goto(reverse("participants:detail", kwargs={"pk": world.participant.pk}))
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
    # The participant's name and the first section are on the first screen (844 px high), under header and tabs.
    tabs = page.locator("ul.tabs").bounding_box()
    assert tabs["height"] < 60, "the tabs stay on one line and scroll sideways"
    assert tabs["y"] + tabs["height"] < 844 / 2, tabs
    assert page.get_by_role("heading", name="Signalen").bounding_box()["y"] < 844 * 2 / 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Caseload").click()
    page.wait_for_url("**/caseload/")
    assert_no_serious_axe_violations(page)


def test_on_a_desktop_the_menu_is_always_open(world, login):
    page = login(world.regisseur)
    page.goto(reverse("participants:list"))
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_pages_changed_for_the_journey_pass_axe_on_a_phone(world, login, phone_page):
    """Issue 12 at 390 px: the household page, a duplicate warning, the intake's work and closing steps, the
    caseload and the completeness page with participants in no project; nothing wider than the screen."""
    import datetime as dt

    from koers.core.tests.factories import ParticipantFactory
    from koers.monitoring.models import Programme
    from koers.participants.models import Participant

    p = world.participant
    Participant.objects.filter(pk=p.pk).update(date_of_birth=dt.date(1990, 3, 1), phase="traject")
    ParticipantFactory(name="Omar Tesfay", regie_organisation=world.gemeente, regisseur=world.regisseur)
    Programme.objects.create(code="duaal", name="Duaal", owner=world.gemeente)
    from koers.core.access import grant_for

    draft, _ = intake_services.start_intake(world.regisseur, p, grant_for(world.regisseur, p))
    page = login(world.regisseur, page=phone_page)
    paths = [
        reverse("participants:household", kwargs={"pk": p.pk}) + "?q=omar",
        reverse("participants:intake_step", kwargs={"pk": p.pk, "intake_id": draft.pk, "step": "wensen"}),
        reverse("participants:intake_step", kwargs={"pk": p.pk, "intake_id": draft.pk, "step": "afronden"}),
        reverse("casework:caseload"),
        reverse("monitoring:completeness", kwargs={"code": "duaal"}),
    ]
    for path in paths:
        check(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    # A second registration of Nahom: the warning and the "andere persoon" choice.
    page.goto(reverse("participants:create"))
    page.get_by_label("Naam", exact=True).fill("Nahom Tesfay")
    page.get_by_label("Geboortedatum").fill("1990-03-01")
    submit(page, page.get_by_role("button", name="Deelnemer aanmaken"))
    expect(page.get_by_role("heading", name="Bestaat deze deelnemer al?")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
