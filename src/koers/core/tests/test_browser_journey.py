"""The whole journey of one new participant across roles, in the browser (issue 12 acceptance).

Yonas is registered by the klantmanager, has a broad intake with the re-integration coach, gets a plan that the
intake fills, is enrolled in the language provider's course (the teacher finds him on today's list and registers
attendance), has a contact, is proposed for an opening and placed from that proposal, sees class and work in one
week, gets an aftercare check-in from the jobcoach that counts as a contact, and his trajectory is closed with paid
work while aftercare goes on.

Every click and every typed field goes through ``Journey``, which counts them and refuses a value typed twice (the
measure of "no field typed twice"); the figures are printed at the end (run with ``-s`` to see them).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.activities.models import Activity, ActivitySlot, Attendance, Enrolment, Session
from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.casework.models import ActionItem, Contact
from koers.core.codes import Role
from koers.core.tests.factories import make_user
from koers.monitoring.models import Programme, Project, Trajectory
from koers.participants.models import Participant
from koers.plans.models import PlanVersion
from koers.work.models import MatchStatus, Placement
from koers.work.tests import matching_factories as f

pytestmark = pytest.mark.browser


class Journey:
    """Clicks and fields, counted; a value typed a second time is a failure (the journey should carry it)."""

    def __init__(self):
        self.clicks = 0
        self.fields = 0
        self.typed: dict[str, str] = {}

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def fill(self, locator, value: str, *, what: str) -> None:
        """Type ``value``; ``what`` names the field for the report. Short values (numbers, dates) may repeat."""
        self.fields += 1
        if len(value) > 6:
            assert value not in self.typed, f"{what}: '{value}' was already typed for {self.typed.get(value)}"
            self.typed[value] = what
        locator.fill(value)

    def choose(self, locator, *, label: str | None = None, value: str | None = None) -> None:
        self.fields += 1
        if label is not None:
            locator.select_option(label=label)
        else:
            locator.select_option(value)

    def check(self, locator) -> None:
        self.fields += 1
        locator.check()


def settle(page) -> None:
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.fixture
def partners(world):
    """The municipality's partners: the language provider's course (this morning's session), the re-integration
    coach, a jobcoach and an accountmanager with an employer and an opening."""
    w = world
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    w.course = Activity.objects.create(
        provider=w.taal, title="NT2 A2 ochtend", kind="taal_formeel", start_date=monday - dt.timedelta(days=7),
        end_date=monday + dt.timedelta(days=120), created_by=w.taaldocent,
    )
    days = sorted({today.weekday() % 5, (today.weekday() + 1) % 5, (today.weekday() + 2) % 5})
    for day in days:  # three mornings of three hours, one of them today
        ActivitySlot.objects.create(activity=w.course, weekday=day, start_time=dt.time(9), end_time=dt.time(12))
    Session.objects.create(activity=w.course, date=today, start_time=dt.time(9), end_time=dt.time(12))
    w.jobcoach = make_user(w.reintegratie, Role.JOBCOACH, username="jobcoach", first_name="Joost")
    w.accountmanager = make_user(w.gemeente, Role.ACCOUNTMANAGER, username="am", first_name="Anouk")
    w.employer = f.employer(w.gemeente, name="Installatietechniek Van Dam", sector="F")
    w.opening = f.opening(w.employer, w.accountmanager, title="Assistent-monteur installatietechniek",
                          hours_per_week=16)
    w.programme = Programme.objects.create(code="duaal", name="Duaal traject Rivierstad", owner=w.gemeente)
    w.project = Project.objects.create(programme=w.programme, code="techniek", name="Taal en techniek",
                                       organisation=w.reintegratie)
    return w


def test_a_new_participant_from_registration_to_aftercare_without_typing_anything_twice(partners, login, new_page):
    w = partners
    j = Journey()
    page = login(w.regisseur)

    # --- 1. The klantmanager registers Yonas -------------------------------------------------------------------
    page.goto(reverse("participants:list"))
    j.click(page.get_by_role("link", name="Nieuwe deelnemer"))
    j.fill(page.get_by_label("Naam", exact=True), "Yonas Habte", what="naam")
    j.fill(page.get_by_label("Geboortedatum"), "1994-02-11", what="geboortedatum")
    j.choose(page.get_by_label("Land van herkomst"), value="ER")
    j.click(page.get_by_role("button", name="Deelnemer aanmaken"))
    expect(page.get_by_text("Yonas Habte is aangemaakt")).to_be_visible()
    yonas = Participant.objects.get(name="Yonas Habte")
    settle(page)

    # --- 2. The re-integration company joins the trajectory -----------------------------------------------------
    j.click(page.get_by_role("link", name="Betrokken organisaties"))
    j.choose(page.get_by_label("Organisatie"), label="Werkkracht")
    j.fill(page.get_by_label("Doel / rol in het traject"), "Begeleiding naar werk", what="doel betrokkenheid")
    j.check(page.get_by_label("Werk", exact=True))  # identity and trajectory are ticked already
    j.click(page.get_by_role("button", name="Toevoegen"))
    settle(page)

    # --- 3. The broad intake, together with the coach ----------------------------------------------------------
    page.goto(reverse("participants:detail", kwargs={"pk": yonas.pk}))
    j.click(page.get_by_role("button", name="Brede intake starten"))
    j.choose(page.get_by_label("Samen met"), value=str(w.begeleider.pk))
    j.click(page.get_by_role("button", name="Opslaan en verder"))
    for _section in ("identiteit", "traject", "huishouden", "taal-opleiding", "inkomen"):
        settle(page)
        j.click(page.get_by_role("button", name="Opslaan en verder"))
    # Work and wishes: the dream job, and the work history as entries matching can read.
    settle(page)
    j.fill(page.get_by_label("Droombaan"), "Elektromonteur", what="droombaan")
    j.click(page.get_by_role("button", name="Opslaan en werkervaring toevoegen"))
    j.fill(page.get_by_label("Beroep of functie"), "Elektricien in Asmara", what="werkervaring")
    j.fill(page.get_by_label("Jaren"), "4", what="jaren")
    j.click(page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("Elektricien in Asmara, 4 jaar")).to_be_visible()
    j.click(page.get_by_role("button", name="Opslaan en verder"))  # wensen
    settle(page)
    j.click(page.get_by_role("button", name="Opslaan en verder"))  # belemmeringen
    # Life domains: what support is needed, in the participant's words and ours.
    settle(page)
    work = page.locator("#domein-participatie")
    j.fill(work.get_by_label("Benodigde ondersteuning"), "Werkervaring opdoen in de techniek", what="steun werk")
    j.fill(page.locator("#domein-communicatie_taal").get_by_label("Benodigde ondersteuning"),
           "Taalles op weg naar A2", what="steun taal")
    j.click(page.get_by_role("button", name="Opslaan en verder"))
    for _group in ("geld-en-wonen", "netwerk", "gezondheid"):
        settle(page)
        j.click(page.get_by_role("button", name="Opslaan en verder"))
    # Closing: an action item per domain is proposed; the work one goes to the coach's organisation.
    settle(page)
    work_item = page.locator("fieldset", has_text="Participatie en werk").first
    j.choose(work_item.get_by_label("Organisatie"), label="Werkkracht")
    j.click(page.get_by_role("button", name="Intake afronden"))
    expect(page.get_by_text("De brede intake is afgerond.")).to_be_visible()
    settle(page)

    # --- 4. The plan starts from the intake: goals and the stip op de horizon are there already -----------------
    j.click(page.get_by_role("link", name="Plan", exact=True))
    j.click(page.get_by_role("link", name="Plan opstellen"))
    expect(page.get_by_label("Stip op de horizon")).to_have_value("Werken als Elektromonteur")
    j.click(page.get_by_role("button", name="Concept aanmaken"))
    expect(page.get_by_text("2 doel(en) zijn overgenomen uit de brede intake")).to_be_visible()
    settle(page)
    goals = set(PlanVersion.objects.get(participant=yonas).goals.values_list("title", flat=True))
    assert goals == {"Werkervaring opdoen in de techniek", "Taalles op weg naar A2"}
    page.goto(reverse("plans:plan", kwargs={"pk": yonas.pk}))
    j.click(page.get_by_role("link", name="Concept ondertekenen"))
    j.check(page.get_by_label("Op het scherm, samen met de deelnemer"))
    j.check(page.get_by_label("De deelnemer heeft het plan gelezen"))
    j.click(page.get_by_role("button", name="Ondertekenen"))
    expect(page.get_by_text("Versie 1 van het plan is ondertekend.")).to_be_visible()
    settle(page)

    # The trajectory joins the municipality's programme, so its outcome is measured without extra registration.
    page.goto(reverse("participants:detail", kwargs={"pk": yonas.pk}))
    j.click(page.locator("summary", has_text="Aan project koppelen"))
    j.choose(page.get_by_label("Project", exact=True), value=str(w.project.pk))
    j.click(page.get_by_role("button", name="Aan project koppelen"))
    settle(page)

    # --- 5. Enrolled in the language provider's course; the teacher finds him on today's list -------------------
    j.click(page.get_by_role("link", name="Activiteiten", exact=True).last)
    j.click(page.get_by_role("link", name="Inschrijven voor een activiteit"))
    course = page.get_by_label("Activiteit").locator("option", has_text="NT2 A2 ochtend").first
    j.choose(page.get_by_label("Activiteit"), value=course.get_attribute("value"))
    j.click(page.get_by_role("button", name="Inschrijven"))
    settle(page)
    assert Enrolment.objects.filter(participant=yonas, activity=w.course).exists()

    teacher = login(w.taaldocent, page=new_page())
    expect(teacher.get_by_role("heading", level=1)).to_contain_text("Bijeenkomsten")  # lands on today's sessions
    j.click(teacher.get_by_role("link", name="Aanwezigheid registreren").first)
    expect(teacher.get_by_role("group", name="Yonas Habte")).to_be_visible()  # on the list, present by default
    j.click(teacher.get_by_role("button", name="Aanwezigheid opslaan"))
    settle(teacher)
    assert Attendance.objects.filter(participant=yonas, status="aanwezig").exists()

    # --- 6. A conversation with the klantmanager ---------------------------------------------------------------
    page.goto(reverse("participants:detail", kwargs={"pk": yonas.pk}))
    j.click(page.get_by_role("link", name="Contact vastleggen").first)
    j.fill(page.get_by_label("Duur in minuten", exact=True), "30", what="duur")
    j.fill(page.get_by_label("Verslag", exact=True), "Eerste week taalles ging goed; wil graag de techniek in.",
           what="verslag")
    j.click(page.get_by_role("button", name="Contact vastleggen"))
    settle(page)

    # --- 7. Proposed for an opening, placed from the proposal ------------------------------------------------
    page.goto(reverse("work:participant_matches", args=[yonas.pk]))
    settle(page)
    j.click(page.get_by_role("link", name=re.compile("Voorstellen.*Assistent-monteur")).first)
    j.check(page.get_by_label("Via bedrijfsbezoek"))
    j.click(page.get_by_role("button", name="Voorstel vastleggen"))
    expect(page.locator(".messages")).to_contain_text("is voorgesteld")
    settle(page)
    page.goto(reverse("work:participant_matches", args=[yonas.pk]))
    j.click(page.get_by_role("link", name=re.compile("Plaatsing vastleggen.*Assistent-monteur")))
    expect(page.get_by_label("Functie")).to_have_value("Assistent-monteur installatietechniek")  # from the proposal
    j.choose(page.get_by_label("Contractsoort"), value="vast")
    j.choose(page.get_by_label("Jobcoach"), value=str(w.jobcoach.pk))
    j.click(page.get_by_role("button", name="Plaatsing vastleggen"))
    settle(page)
    placement = Placement.objects.get(participant=yonas)
    assert placement.match.status == MatchStatus.GEPLAATST

    # --- 8. One week: class and work together, within the limit -----------------------------------------------
    # Next week: a full week of both whatever day the test runs (on a Saturday this week's classes are over).
    next_monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    page.goto(reverse("activities:participant_schedule", kwargs={"pk": yonas.pk}) + f"?week={next_monday}")
    expect(page.locator("main")).to_contain_text(re.compile(r"\d+ uur les \+ 16 uur betaald werk = \d+ uur"))
    expect(page.locator("main")).not_to_contain_text("is meer dan de")
    settle(page)

    # --- 9. The jobcoach's first aftercare check-in is also the contact -------------------------------------
    coach = login(w.jobcoach, page=new_page())
    expect(coach.get_by_role("heading", level=1)).to_have_text("Nazorggesprekken")  # lands on the check-ins due
    j.click(coach.get_by_role("link", name=re.compile("Yonas Habte: week 1", re.I)))
    j.check(coach.get_by_label("Met deelnemer en werkgever samen"))
    j.fill(coach.get_by_label("Verslag", exact=False).first, "Driegesprek: gaat goed, buddy helpt met vaktaal.",
           what="nazorgverslag")
    # The action item the intake gave the coach's organisation is settled by this conversation: closed here, once.
    j.check(coach.get_by_label(re.compile("Werkervaring opdoen in de techniek")))
    j.click(coach.get_by_role("button", name="Gesprek vastleggen"))
    settle(coach)
    assert Contact.objects.filter(participant=yonas).count() == 2  # the conversation and the check-in
    assert ActionItem.objects.get(participant=yonas, title="Werkervaring opdoen in de techniek").status == "afgerond"

    # --- 10. Closed with paid work; aftercare goes on -----------------------------------------------------------
    page.goto(reverse("work:close_trajectory", kwargs={"pk": yonas.pk}))
    expect(page.locator("main")).to_contain_text("Betaald werk")
    settle(page)
    j.check(page.get_by_label("Loopt door na het afsluiten"))
    j.fill(page.get_by_label("Waarom loopt de plaatsing door na het afsluiten?"),
           "Vast werk in zicht; nazorg tot maand 12.", what="reden doorlopen")
    j.click(page.get_by_role("button", name="Traject afsluiten"))
    settle(page)
    yonas.refresh_from_db()
    assert yonas.phase == "afgesloten"
    coach.goto(reverse("work:check_ins_due"))
    expect(coach.locator("main")).to_contain_text("nazorg loopt door")

    # --- 11. The outcome is in the monitoring, and the follow-ups are planned -----------------------------------
    trajectory = Trajectory.objects.get(participant=yonas, project=w.project)
    assert trajectory.outcome == "betaald_werk" and trajectory.ended_on == timezone.localdate()
    assert sorted(trajectory.follow_ups.values_list("months", flat=True)) == [6, 12]
    coach.goto(reverse("monitoring:followups"))  # the organisation running the project measures them
    expect(coach.locator("main")).to_contain_text("Yonas Habte")
    settle(coach)

    print(f"\nReis van een nieuwe deelnemer: {j.clicks} klikken, {j.fields} velden (issue 12: eerst 51 en 110)")
