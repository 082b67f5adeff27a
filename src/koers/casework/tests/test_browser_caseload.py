"""Browser: the regisseur's home page is the caseload, by urgency; logging a contact clears "geen contact"."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.casework.models import ActionItem, Contact
from koers.core.codes import Phase
from koers.core.tests.factories import ParticipantFactory


def _contact(world, p, days_ago):
    Contact.objects.create(
        participant=p, kind="gesprek", duration_minutes=30, organisation=world.gemeente, summary="Gesprek",
        happened_at=timezone.make_aware(dt.datetime.combine(timezone.localdate() - timedelta(days=days_ago),
                                                            dt.time(10))),
        recorded_by=world.regisseur,
    )


def _caseload(world):
    _contact(world, world.participant, 9)  # Nahom: "geen contact sinds 9 dagen"
    urgent = ParticipantFactory(name="Berhane Kidane", regie_organisation=world.gemeente, regisseur=world.regisseur,
                                phase=Phase.TRAJECT)
    _contact(world, urgent, 20)
    ActionItem.objects.create(participant=urgent, owner_organisation=world.gemeente, title="Brief UWV",
                              due_date=timezone.localdate() - timedelta(days=10), created_by=world.regisseur)
    calm = ParticipantFactory(name="Amal Yusuf", regie_organisation=world.gemeente, regisseur=world.regisseur)
    _contact(world, calm, 1)


@pytest.mark.browser
def test_regisseur_home_lists_by_urgency_and_a_contact_clears_the_signal(world, login):
    _caseload(world)
    page = login(world.regisseur)
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Mijn caseload"
    names = [n.strip() for n in page.locator(".caseload__name").all_inner_texts()]
    assert names == ["Berhane Kidane", "Nahom Tesfay"]  # with signals, most urgent first
    assert "Amal Yusuf" in page.locator(".caseload-calm").inner_text()  # then one line each for the rest
    nahom = page.locator(".caseload__row").filter(has_text="Nahom Tesfay")
    assert "Geen contact sinds 9 dagen" in nahom.inner_text()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)

    page.goto(reverse("casework:contact_create", kwargs={"pk": world.participant.pk}))
    date_field = page.get_by_label("Datum en tijd", exact=True)
    if not date_field.input_value():
        date_field.fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duur in minuten", exact=True).fill("20")
    page.get_by_label("Verslag", exact=True).fill("Gebeld; het gaat goed, volgende week op gesprek.")
    page.get_by_role("button", name="Contact vastleggen").click()
    page.wait_for_load_state()
    assert Contact.objects.filter(participant=world.participant).count() == 2

    page.goto("/")
    assert "Nahom Tesfay" not in " ".join(page.locator(".caseload__row").all_inner_texts())
    assert "Nahom Tesfay" in page.locator(".caseload-calm").inner_text()
    assert_no_console_errors(page)


@pytest.mark.browser
def test_acknowledge_a_signal_on_a_phone(world, login, phone_page):
    _caseload(world)
    page = login(world.regisseur, page=phone_page)
    page.goto(reverse("casework:caseload"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the caseload is {overflow}px wider than a phone"
    nahom = page.locator(".caseload__row").filter(has_text="Nahom Tesfay")
    nahom.get_by_text("Afhandelen", exact=False).first.click()
    nahom.get_by_label("Wat heeft u gedaan of afgesproken?").fill("Gebeld, huisbezoek gepland op donderdag")
    nahom.get_by_role("button", name="Afhandelen").click()
    page.wait_for_load_state()
    assert "Signaal afgehandeld" in page.locator(".messages").inner_text()
    assert "Nahom Tesfay" in page.locator(".caseload-calm").inner_text()  # no signal left
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_team_caseload_page_is_accessible(world, login):
    _caseload(world)
    page = login(world.regisseur)
    page.goto(reverse("casework:team_caseload") + f"?van={world.regisseur.pk}")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Caseload van het team"
    assert page.get_by_text("Berhane Kidane", exact=True).is_visible()
    assert page.get_by_role("link", name="Warme overdracht voor Berhane Kidane").is_visible()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
