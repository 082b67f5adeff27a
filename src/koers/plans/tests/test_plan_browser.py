"""The plan journey in a real browser: a regisseur opens the plan, starts a new version, changes a goal, signs
it and compares the versions. Every plan page passes axe and shows no console (CSP) errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.plans.models import PlanVersion, VersionStatus

pytestmark = pytest.mark.browser


def _check(page) -> None:
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def test_regisseur_new_version_change_goal_sign_and_compare(world, login, signed_plan):
    p = world.participant
    page = login(world.regisseur)
    page.goto(reverse("plans:plan", kwargs={"pk": p.pk}))
    assert page.get_by_role("heading", name="Werkervaring opdoen in de techniek").is_visible()
    _check(page)

    page.get_by_role("button", name="Nieuwe versie starten").click()
    page.wait_for_url("**/versie/2/wijzigen/")
    _check(page)

    page.get_by_role("link", name="Doel wijzigen Werkervaring opdoen in de techniek").click()
    _check(page)
    page.get_by_label("Doel", exact=True).fill("Stage als elektromonteur")
    page.get_by_label("Status").select_option("bezig")
    page.get_by_role("button", name="Doel opslaan").click()
    page.wait_for_url("**/versie/2/wijzigen/")
    assert page.get_by_text("Doel opgeslagen.").is_visible()

    goal_id = PlanVersion.objects.get(participant=p, number=2).goals.get(title="Stage als elektromonteur").pk
    page.goto(reverse("plans:step_add", kwargs={"pk": p.pk, "number": 2, "goal_id": goal_id}))
    _check(page)
    page.goto(reverse("plans:agreement_add", kwargs={"pk": p.pk, "number": 2}))
    _check(page)
    page.goto(reverse("plans:edit", kwargs={"pk": p.pk, "number": 2}))

    page.get_by_role("link", name="Ondertekenen").first.click()
    _check(page)
    page.get_by_label("Op het scherm, samen met de deelnemer").check()
    page.get_by_label("De deelnemer heeft het plan gelezen").check()
    page.get_by_role("button", name="Ondertekenen").click()
    page.wait_for_url("**/plan/")
    assert page.get_by_text("Versie 2 van het plan is ondertekend.").is_visible()
    assert PlanVersion.objects.get(participant=p, number=2).status == VersionStatus.SIGNED
    _check(page)

    page.get_by_role("link", name="Vergelijk met versie 1").click()
    page.wait_for_url("**/plan/vergelijken/**")
    assert page.get_by_text("Doel gewijzigd").first.is_visible()
    assert page.get_by_text("Stage als elektromonteur").first.is_visible()
    _check(page)

    page.goto(reverse("plans:integration", kwargs={"pk": p.pk}))
    _check(page)
    page.goto(reverse("plans:version", kwargs={"pk": p.pk, "number": 1}))
    _check(page)


def test_taaldocent_plan_page_on_a_phone(world, login, phone_page, signed_plan):
    page = login(world.taaldocent, phone_page)
    page.goto(reverse("plans:plan", kwargs={"pk": world.participant.pk}))
    assert page.get_by_text("Werkervaring opdoen in de techniek").first.is_visible()
    assert page.get_by_text("Beter slapen").count() == 0
    _check(page)
