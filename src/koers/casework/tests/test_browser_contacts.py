"""In a real browser: a regisseur logs a contact from the participant's contact page on a phone, sees a clear
error for a contact in the future, and the contact appears in the log. Axe on every contacts, hours, escalation
and handover page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.casework.models import ActionItem, Contact
from koers.casework.services import handover as handover_services
from koers.core import access
from koers.core.codes import ContactKind

pytestmark = pytest.mark.browser


def check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} is wider than the screen"


def test_regisseur_logs_a_contact_on_a_phone(world, login, phone_page):
    p = world.participant
    page = login(world.regisseur, page=phone_page)
    check(page, reverse("casework:participant_contacts", kwargs={"pk": p.pk}))
    with page.expect_navigation():
        page.get_by_role("link", name="Contact vastleggen").first.click()
    assert_no_serious_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A moment in the future: a clear Dutch message next to the field, nothing saved.
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_happened_at", future)
    page.select_option("#id_kind", "telefoon")
    page.fill("#id_duration_minutes", "15")
    page.fill("#id_summary", "Gebeld over de taalles; het gaat goed.")
    with page.expect_navigation():
        page.get_by_role("button", name="Contact vastleggen").click()
    expect(page.locator("#id_happened_at_error")).to_contain_text("Een contact kan niet in de toekomst liggen")
    assert page.locator("#id_happened_at").get_attribute("aria-invalid") == "true"
    assert_no_serious_axe_violations(page)
    assert not Contact.objects.exists()

    page.fill("#id_happened_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.get_by_role("button", name="Contact vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("Contact (telefoon) vastgelegd")
    expect(page.locator(".contact-log")).to_contain_text("Gebeld over de taalles")
    assert_no_console_errors(page)
    contact = Contact.objects.get()
    assert contact.kind == ContactKind.TELEFOON and contact.duration_minutes == 15
    assert list(contact.staff.all()) == [world.regisseur]  # the recorder is preselected


@pytest.mark.parametrize("size", [{"width": 1280, "height": 800},
                                  {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}],
                         ids=["desktop", "phone"])
def test_axe_on_every_contacts_and_handover_page(world, login, new_page, size):
    p = world.participant
    contact = Contact.objects.create(
        participant=p, kind=ContactKind.DRIEGESPREK, happened_at=timezone.now() - timedelta(days=2),
        duration_minutes=45, organisation=world.gemeente, summary="Driegesprek met de werkgever.",
        third_party="Bakkerij Koster", recorded_by=world.regisseur)
    contact.staff.set([world.regisseur, world.taaldocent])
    item = ActionItem.objects.create(
        participant=p, owner_organisation=world.taal, assignee=world.taaldocent, title="Taaltoets plannen",
        due_date=timezone.localdate() - timedelta(days=2), created_by=world.regisseur, source_contact=contact)
    h = handover_services.start_handover(world.regisseur, p, access.grant_for(world.regisseur, p), world.taaldocent,
                                "Nahom werkt graag met zijn handen.")
    assert item.pk and h.pk
    page = login(world.regisseur, page=new_page(**size))
    for path in (
        reverse("casework:participant_contacts", kwargs={"pk": p.pk}),
        reverse("casework:contact_create", kwargs={"pk": p.pk}),
        reverse("casework:contact_detail", kwargs={"pk": p.pk, "contact_id": contact.pk}),
        reverse("casework:contact_edit", kwargs={"pk": p.pk, "contact_id": contact.pk}),
        reverse("casework:contact_delete", kwargs={"pk": p.pk, "contact_id": contact.pk}),
        reverse("casework:guidance_hours"),
        reverse("casework:escalations"),
        reverse("casework:my_actions"),
        reverse("casework:org_actions"),
        reverse("casework:participant_actions", kwargs={"pk": p.pk}),
        reverse("casework:handover_create", kwargs={"pk": p.pk}),
        reverse("casework:my_handovers"),
        reverse("casework:handover_detail", kwargs={"handover_id": h.pk}),
    ):
        check(page, path)
    # The receiver's view, with the confirm form.
    receiver = login(world.taaldocent, page=new_page(**size))
    for path in (reverse("casework:my_handovers"), reverse("casework:my_actions"),
                 reverse("casework:handover_detail", kwargs={"handover_id": h.pk})):
        check(receiver, path)
