"""Browser: the regisseur's home page is the caseload, by urgency; logging a contact clears "geen contact"."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
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
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    names = [n.strip() for n in page.locator(".caseload__name").all_inner_texts()]
    assert names == ["Berhane Kidane", "Nahom Tesfay"]  # with signals, most urgent first
    expect(page.locator(".caseload-calm")).to_contain_text("Amal Yusuf")  # then one line each for the rest
    nahom = page.locator(".caseload__row").filter(has_text="Nahom Tesfay")
    expect(nahom).to_contain_text("Geen contact sinds 9 dagen")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)

    page.goto(reverse("casework:contact_create", kwargs={"pk": world.participant.pk}))
    date_field = page.get_by_label("Datum en tijd", exact=True)
    if not date_field.input_value():
        date_field.fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duur in minuten", exact=True).fill("20")
    page.get_by_label("Verslag", exact=True).fill("Gebeld; het gaat goed, volgende week op gesprek.")
    submit(page, page.get_by_role("button", name="Contact vastleggen"))
    assert Contact.objects.filter(participant=world.participant).count() == 2

    page.goto("/")
    assert "Nahom Tesfay" not in " ".join(page.locator(".caseload__row").all_inner_texts())
    expect(page.locator(".caseload-calm")).to_contain_text("Nahom Tesfay")
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
    submit(page, nahom.get_by_role("button", name="Afhandelen"))
    expect(page.locator(".messages")).to_contain_text("Signaal afgehandeld")
    expect(page.locator(".caseload-calm")).to_contain_text("Nahom Tesfay")  # no signal left
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_team_caseload_page_is_accessible(world, login):
    _caseload(world)
    page = login(world.regisseur)
    page.goto(reverse("casework:team_caseload") + f"?van={world.regisseur.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload van het team")
    expect(page.get_by_text("Berhane Kidane", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Warme overdracht voor Berhane Kidane")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
