"""The catalogue, enrolment and week schedule in a real browser: the regisseur sees a schedule conflict before
the enrolment is saved, and every page passes axe without console errors (CSP violations show there)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.activities.models import Enrolment
from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.core.codes import ActivityKind
from koers.participants.models import LanguageAssessment

pytestmark = pytest.mark.browser


def check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.fixture
def week(world):
    course = make_activity(world.taal, world.taaldocent, title="NT2 Basis", slots=[(0, "09:00", "12:00"),
                                                                                   (2, "09:00", "12:00")],
                           required_levels={"spreken": "A1"})
    sport = make_activity(world.gemeente, world.regisseur, title="Buitensport", kind=ActivityKind.GEZONDHEID_SPORT,
                          slots=[(0, "11:00", "14:00")], location="Sportpark Oost")
    theme = make_activity(world.gemeente, world.regisseur, title="Thema Wonen (Arabisch)",
                          kind=ActivityKind.THEMA_EIGEN_TAAL, language="ar", slots=[(3, "13:00", "15:00")])
    course.follows = theme
    course.save()
    world.participant.availability = ["ma_o", "wo_o", "do_m"]
    world.participant.save()
    make_enrolment(world.participant, course, world.taaldocent)
    return course, sport, theme


def test_regisseur_sees_the_conflict_before_saving(world, login, week):
    course, sport, _ = week
    page = login(world.regisseur)
    page.goto(reverse("activities:enrol", kwargs={"pk": world.participant.pk}))
    page.get_by_label("Activiteit").select_option(value=str(sport.pk))
    expect(page.get_by_label("Activiteit")).to_contain_text(re.compile("Buitensport — Gemeente Rivierstad"))
    page.get_by_label("Start", exact=True).fill(this_monday().isoformat())
    page.get_by_role("button", name="Inschrijven").click()

    expect(page.get_by_role("heading", name="Controleer de inschrijving")).to_be_visible()
    expect(page.get_by_role("heading", name="Roosterconflict")).to_be_visible()
    expect(page.get_by_text("Overlapt met ‘NT2 Basis’ (vaste taalles) op maandag 09:00–12:00")).to_be_visible()
    expect(page.get_by_text("valt buiten de beschikbaarheid")).to_be_visible()
    assert not Enrolment.objects.filter(activity=sport).exists()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)

    page.get_by_role("button", name="Toch inschrijven").click()  # without a reason
    expect(page.get_by_text("Geef een reden om ondanks het conflict in te schrijven.").first).to_be_visible()
    assert not Enrolment.objects.filter(activity=sport).exists()
    page.get_by_label("Reden om ondanks het roosterconflict in te schrijven").fill("Sport sluit aan op de les.")
    page.get_by_role("button", name="Toch inschrijven").click()
    expect(page.get_by_text("is ingeschreven voor ‘Buitensport’")).to_be_visible()
    assert Enrolment.objects.get(activity=sport).conflict_override == "Sport sluit aan op de les."

    page.get_by_role("link", name="Weekrooster").click()
    expect(page.get_by_text("Conflicten in deze week")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_activity_pages_pass_axe(world, login, week):
    course, sport, theme = week
    LanguageAssessment.objects.create(participant=world.participant, skill="spreken", level="A1",
                                      tested_on=this_monday(), source="toets", recorded_by=world.taaldocent,
                                      organisation=world.taal)
    enrolment = Enrolment.objects.get(activity=course)
    page = login(world.regisseur)
    p = world.participant.pk
    for path in [
        reverse("activities:list"),
        reverse("activities:list") + "?q=zzz&current=on",
        reverse("activities:detail", kwargs={"pk": course.pk}),
        reverse("activities:detail", kwargs={"pk": theme.pk}),
        reverse("activities:create"),
        reverse("activities:update", kwargs={"pk": sport.pk}),
        reverse("activities:enrol", kwargs={"pk": p}),
        reverse("activities:enrol_activity", kwargs={"pk": sport.pk}),
        reverse("activities:participant_enrolments", kwargs={"pk": p}),
        reverse("activities:participant_schedule", kwargs={"pk": p}),
        reverse("activities:enrolment_status", kwargs={"pk": enrolment.pk}),
    ]:
        check(page, path)
    # The form with errors (error summary, invalid fields).
    page.goto(reverse("activities:create"))
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Er is iets niet goed ingevuld")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def test_week_view_on_a_phone(world, login, phone_page, week):
    page = login(world.regisseur, phone_page)
    check(page, reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk}))
    expect(page.get_by_text("NT2 Basis").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the week view scrolls sideways on a phone ({width}px)"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "390px"])
def test_enrolling_in_a_chosen_group(world, login, new_page, phone):
    from koers.activities.models import Group

    course = make_activity(world.taal, world.taaldocent, title="NT2 Groepen", slots=[(1, "09:00", "12:00")])
    Group.objects.create(activity=course, name="Groep A", created_by=world.taaldocent)
    chosen = Group.objects.create(activity=course, name="Groep B", created_by=world.taaldocent)
    page = login(world.regisseur, new_page(390) if phone else new_page())
    page.goto(reverse("activities:enrol", kwargs={"pk": world.participant.pk}))
    page.get_by_label("Activiteit", exact=True).select_option(
        label=f"NT2 Groepen — {world.taal.name} ({course.get_kind_display()})")
    page.get_by_role("combobox", name=re.compile(r"^Groep\b")).select_option(label="Groep B")
    assert_no_serious_axe_violations(page)
    submit(page, page.get_by_role("button", name="Inschrijven"))
    if page.get_by_role("button", name="Toch inschrijven").count():
        page.get_by_label("Reden om ondanks het roosterconflict in te schrijven").fill("Afgesproken.")
        submit(page, page.get_by_role("button", name="Toch inschrijven"))
    assert Enrolment.objects.get(activity=course).group == chosen
    expect(page.locator("body")).to_contain_text("Ingedeeld in Groep B")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
