"""Issue 12 in a real browser, at desktop and on a phone (390×844), with axe: the dual week (class and work in one
week against the maximum), enrolling in a partner's course after which the partner's teacher finds the
participant on the attendance list, and the one language-test form."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.activities.models import Group, Session
from koers.activities.tests.test_attendance import make_activity
from koers.activities.tests.test_dual_week import dual  # noqa: F401 - the fixture
from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.core.codes import OrganisationKind, Role
from koers.core.tests.factories import OrganisationFactory, make_user
from koers.participants.models import LanguageAssessment

pytestmark = pytest.mark.browser


def checked(page) -> None:
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "wider than the screen"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_week_shows_class_and_work_against_the_maximum(world, login, phone_page, dual, phone):  # noqa: F811
    page = login(world.regisseur, phone_page if phone else None)
    page.goto(reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk}))
    expect(page.get_by_text("20 uur les + 24 uur proefplaatsing = 44 uur").first).to_be_visible()
    expect(page.get_by_text("meer dan het maximum")).to_be_visible()
    expect(page.get_by_text("Inpakker bij Kunststof Oost").first).to_be_visible()
    checked(page)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_enrolling_in_a_partners_course_puts_the_participant_on_the_teachers_list(world, login, new_page, phone):
    centre = OrganisationFactory(name="Taalcentrum Oost", kind=OrganisationKind.TAALAANBIEDER)
    teacher = make_user(centre, Role.TAALDOCENT, username="tessa", first_name="Tessa")
    today = timezone.localdate()
    course = make_activity(centre, teacher, title="NT2 naar A2", slots=((today.weekday(), time(9), time(12)),))
    group = Group.objects.create(activity=course, name="Groep A", created_by=teacher)
    session = Session.objects.create(activity=course, group=group, date=today, start_time=time(9), end_time=time(12))
    size = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True} if phone else {}
    page = login(world.regisseur, new_page(**size) if phone else None)
    page.goto(reverse("activities:enrol", kwargs={"pk": world.participant.pk}))
    page.get_by_label("Activiteit").select_option(value=str(course.pk))
    page.get_by_label("Start", exact=True).fill(course.start_date.isoformat())
    page.get_by_role("button", name="Inschrijven").click()
    message = page.locator(".messages")
    expect(message).to_contain_text("Ingedeeld in Groep A")
    expect(message).to_contain_text("Taalcentrum Oost is betrokken bij het traject")
    checked(page)

    teacher_page = login(teacher, new_page(**size))
    teacher_page.goto(reverse("activities:attendance", kwargs={"session_id": session.pk}))
    expect(teacher_page.get_by_role("group", name=world.participant.name)).to_be_visible()
    checked(teacher_page)
    response = teacher_page.goto(reverse("activities:participant_attendance", kwargs={"pk": world.participant.pk}))
    assert response is not None and response.status == 200
    checked(teacher_page)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_one_language_test_form_for_four_skills(world, login, phone_page, phone):
    page = login(world.taaldocent, phone_page if phone else None)
    page.goto(reverse("participants:add_assessment", kwargs={"pk": world.participant.pk}))
    expect(page.get_by_label("Datum van de toets")).to_have_value(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan").click()  # nothing filled in
    expect(page.get_by_text("Vul voor minstens één vaardigheid het gemeten niveau in.").first).to_be_visible()
    checked(page)
    for skill, level in (("Lezen", "A2"), ("Luisteren", "A2"), ("Schrijven", "A1"), ("Spreken", "B1")):
        page.get_by_label(skill, exact=True).select_option(value=level)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Taaltoets vastgelegd")
    assert LanguageAssessment.objects.filter(participant=world.participant).count() == 4
    checked(page)
