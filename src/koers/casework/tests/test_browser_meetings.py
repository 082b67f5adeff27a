"""The casusoverleg in a real browser: the regisseur plans a meeting, takes over the proposed agenda and records a
decision, which the partner then finds among its organisation's action items. Every meeting page passes axe
without console errors (CSP violations show there), also on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.casework.models import ActionItem, CaseMeeting, DiscussionRequest
from koers.casework.tests.test_meetings import add_item, discussed, make_meeting, shared_participant

pytestmark = pytest.mark.browser


def check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.fixture
def prepared(world):
    DiscussionRequest.objects.create(participant=world.participant, organisation=world.taal,
                                     requested_by=world.taaldocent, reason="Mist veel lessen")
    world.amal = shared_participant(world, "Amal Yusuf")
    discussed(world, world.amal, 10)
    return world


def test_prepare_accept_the_agenda_and_record_a_decision(prepared, login, new_page):
    w = prepared
    page = login(w.regisseur)
    page.goto(reverse("casework:meetings"))
    page.get_by_role("link", name="Casusoverleg plannen").click()
    page.get_by_label("Titel").fill("Casusoverleg taal")
    page.get_by_label("Datum").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    page.get_by_label("Taalhuis Rivierland", exact=True).check()
    page.get_by_label("Daan Achternaam (Taalhuis Rivierland)").check()
    page.get_by_role("button", name="Plannen en agenda opstellen").click()

    expect(page.get_by_text("is gepland. Stel nu de agenda op.")).to_be_visible()
    expect(page.get_by_text("Verzoek van Taalhuis Rivierland: Mist veel lessen")).to_be_visible()
    # Ticked in advance: the request; Amal (only "not discussed for 10 weeks") is the chair's choice.
    expect(page.get_by_label("Nahom Tesfay")).to_be_checked()
    expect(page.get_by_label("Amal Yusuf")).not_to_be_checked()
    page.get_by_label("Amal Yusuf").check()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
    page.get_by_role("button", name="Gekozen deelnemers op de agenda zetten").click()
    expect(page.get_by_text("2 deelnemer(s) op de agenda gezet.")).to_be_visible()
    meeting = CaseMeeting.objects.get(title="Casusoverleg taal")
    item = meeting.items.get(participant=w.participant)

    page.get_by_role("link", name="Notuleren").click()
    card = page.locator(f"#item-{item.pk}")
    card.get_by_role("textbox", name="Verslag").fill("Lessen naar de ochtend verplaatsen.")
    card.get_by_label("Besproken").check()
    card.get_by_label("Besluit (wordt een actiepunt)").fill("Rooster aanpassen")
    card.get_by_label("Organisatie die het uitvoert").select_option(label="Taalhuis Rivierland")
    card.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Besluit ‘Rooster aanpassen’ is een actiepunt voor Taalhuis Rivierland.")).to_be_visible()
    assert ActionItem.objects.get(title="Rooster aanpassen").source_meeting_item_id == item.pk
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)

    partner = login(w.taaldocent, page=new_page())
    partner.goto(reverse("casework:org_actions"))
    expect(partner.get_by_text("Rooster aanpassen", exact=True)).to_be_visible()
    partner.goto(reverse("casework:meeting_detail", kwargs={"pk": meeting.pk}))
    expect(partner.get_by_text("Lessen naar de ochtend verplaatsen.")).to_be_visible()


def test_meeting_pages_pass_axe(prepared, login, new_page):
    w = prepared
    meeting = make_meeting(w)
    item = add_item(meeting, w.amal, reason="Niet besproken sinds lang", note="Gaat goed.", discussed=True)
    ActionItem.objects.create(participant=w.amal, owner_organisation=w.taal, title="Toets plannen",
                              due_date=timezone.localdate() + timedelta(days=7), created_by=w.regisseur,
                              source_meeting_item=item)
    page = login(w.regisseur)
    check(page, reverse("casework:meetings"))
    check(page, reverse("casework:meeting_create"))
    page.get_by_role("button", name="Plannen en agenda opstellen").click()  # errors
    expect(page.get_by_text("Er is iets niet goed ingevuld")).to_be_visible()
    assert_no_serious_axe_violations(page)
    check(page, reverse("casework:meeting_detail", kwargs={"pk": meeting.pk}))
    check(page, reverse("casework:meeting_agenda", kwargs={"pk": meeting.pk}) + "?q=Nahom")
    expect(page.get_by_role("button", name=re.compile("Op de agenda.*Nahom Tesfay"))).to_be_visible()
    check(page, reverse("casework:meeting_minutes", kwargs={"pk": meeting.pk}))

    expect(page.get_by_text("De notulen stelt u vast na het overleg")).to_be_visible()  # next week's meeting
    CaseMeeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())  # the day has come
    phone = login(w.regisseur, page=new_page(width=390, height=844, has_touch=True))
    for name in ("meeting_minutes", "meeting_agenda", "meeting_detail"):
        check(phone, reverse(f"casework:{name}", kwargs={"pk": meeting.pk}))
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: de pagina is {width}px breed op een telefoon"
    phone.get_by_label("De notulen zijn compleet").check()
    phone.get_by_role("button", name="Notulen vaststellen").click()
    expect(phone.get_by_text("De notulen zijn vastgesteld.")).to_be_visible()
    assert_no_serious_axe_violations(phone)
