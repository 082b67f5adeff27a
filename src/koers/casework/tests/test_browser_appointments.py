"""In a real browser, on a phone: the regisseur plans an appointment over the participant's class, is asked first,
plans it anyway, and finds it in the participant's week with the clash named (the seam appointment → week)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.casework.models import Appointment

pytestmark = pytest.mark.browser


def test_an_appointment_over_a_class_is_asked_and_shows_in_the_week(world, login, phone_page):
    course = make_activity(world.taal, world.taaldocent, title="Taalexpres", slots=[(0, "09:00", "12:00")])
    make_enrolment(world.participant, course, world.regisseur)
    monday = this_monday() + timedelta(days=7)
    page = login(world.regisseur, page=phone_page)
    page.goto(reverse("casework:participant_contacts", kwargs={"pk": world.participant.pk}))
    submit(page, page.get_by_role("link", name="Afspraak plannen"))
    page.fill("#id_starts_at", datetime.combine(monday, time(10, 30)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_purpose", "Samen de brief van DUO lezen")
    submit(page, page.get_by_role("button", name="Afspraak plannen"))
    notice = page.get_by_role("region", name="Dit moment botst met de week van de deelnemer")
    expect(notice).to_contain_text("Dan heeft de deelnemer les: ‘Taalexpres’, 09:00–12:00")
    assert not Appointment.objects.exists()
    assert_no_serious_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_label("Toch op dit moment plannen").check()
    submit(page, page.get_by_role("button", name="Afspraak plannen"))
    expect(page.locator(".messages")).to_contain_text("Afspraak gepland op")
    assert Appointment.objects.count() == 1

    page.goto(reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})
              + f"?week={monday.isoformat()}")
    expect(page.locator(".block--event")).to_contain_text("Samen de brief van DUO lezen")
    expect(page.get_by_role("region", name="Conflicten in deze week")).to_contain_text("valt tijdens ‘Taalexpres’")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
