"""Browser: an accountmanager creates an opening requiring A2 speaking and VCA and reads the candidates (issue 5
acceptance), with axe on the employer and opening pages and both matching pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.core.tests.factories import ParticipantFactory
from koers.participants.models import WorkExperience
from koers.work.models import Opening
from koers.work.tests import matching_factories as f


@pytest.fixture
def work(world):
    f.postcode_areas()
    world.accountmanager = f.accountmanager(world.gemeente)
    world.vca = f.certificate()
    f.certificate("heftruck", "Heftruckcertificaat")
    world.employer = f.employer(world.gemeente, name="Installatietechniek Van Dam", sector="F")
    p = world.participant
    p.phase, p.level_spreken, p.postcode, p.sector_interests, p.dream_job = "traject", "B1", "6521 AB", ["F"], "Monteur"
    p.save()
    f.work_profile(p, certificates=[world.vca], max_travel_km=20)
    WorkExperience.objects.create(participant=p, occupation="Monteur", years=3)
    world.near = ParticipantFactory(name="Yonas Kidane", regie_organisation=world.gemeente, phase="traject",
                                    level_spreken="A1", postcode="6601 AA")
    f.work_profile(world.near, certificates=[world.vca])
    world.no_vca = ParticipantFactory(name="Rahel Tesfay", regie_organisation=world.gemeente, phase="traject",
                                      level_spreken="B1")
    return world


def test_accountmanager_creates_an_opening_and_reads_the_candidates(work, login):
    page = login(work.accountmanager)
    page.goto(reverse("work:employer_list"))
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Installatietechniek Van Dam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Installatietechniek Van Dam")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Nieuwe vacature of plek").click()
    assert_no_serious_axe_violations(page)

    # A first attempt with 61 hours is refused next to the field; nothing is saved.
    page.get_by_label("Soort plek").select_option("betaald_werk")
    page.get_by_label("Functie").fill("Assistent-monteur installatietechniek")
    page.get_by_label("Uren per week").fill("61")
    page.get_by_label("Spreken").select_option("A2")
    page.get_by_label("VCA").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("Meer dan 60 uur per week")
    assert not Opening.objects.exists()
    page.get_by_label("Uren per week").fill("32")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assistent-monteur installatietechniek")
    expect(page.locator("main")).to_contain_text("A2 spreken")

    page.get_by_role("link", name="Kandidaten zoeken").click()
    expect(page.get_by_role("heading", name=re.compile(r"Passende kandidaten \(1\)"))).to_be_visible()
    eligible = page.locator(".match-card").filter(has_text="Nahom Tesfay")
    expect(eligible.locator(".score-breakdown")).to_contain_text("Taalniveau")
    expect(eligible.locator(".score-breakdown")).to_contain_text("Spreken B1 (eis A2, voldoet)")
    expect(eligible.locator(".score-breakdown")).to_contain_text("Werkervaring en opleiding")
    near = page.locator(".match-card--excluded").filter(has_text="Yonas Kidane")
    expect(near).to_contain_text("A2 spreken nodig, nu A1")
    expect(page.locator(".match-card--excluded").filter(has_text="Rahel Tesfay")).to_contain_text(
        "VCA-certificaat ontbreekt")
    near.get_by_text(re.compile("Waarom")).click()
    expect(near.locator(".score-list")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Samira Haddad")
    assert_no_serious_axe_violations(page)

    eligible.get_by_role("link", name=re.compile("Voorstellen")).click()
    page.get_by_label("Via bedrijfsbezoek").check()
    page.get_by_role("button", name="Voorstel vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("is voorgesteld")
    expect(page.locator("main")).to_contain_text("Via bedrijfsbezoek")
    assert_no_console_errors(page)


def test_supply_led_page_and_the_opening_form_on_a_phone(work, login, phone_page, new_page):
    opening = f.opening(work.employer, work.accountmanager, title="Assistent-monteur", req_spreken="A2",
                        certificates=[work.vca])
    f.opening(work.employer, work.accountmanager, title="Heftruckchauffeur", sector="H", days=["za_o"])
    page = login(work.regisseur, phone_page)
    page.goto(reverse("work:participant_matches", args=[work.participant.pk]))
    expect(page.locator(".match-card").first).to_contain_text("Assistent-monteur")
    assert_no_serious_axe_violations(page)
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_scroll, "de pagina scrolt horizontaal op een telefoon"
    page.goto(reverse("work:opening_matches", args=[opening.pk]))
    expect(page.locator(".match-card").first).to_contain_text("Nahom Tesfay")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
    page = login(work.accountmanager, new_page(width=390, height=844, is_mobile=True, has_touch=True))
    page.goto(reverse("work:opening_update", args=[opening.pk]))
    assert_no_serious_axe_violations(page)
    page.goto(reverse("work:employer_update", args=[work.employer.pk]))
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def test_proposal_to_placement_to_check_in_on_a_phone(work, login, phone_page):
    """Issue 12, breaks 1 and 5 at 390 px: from the proposal one action leads to a pre-filled placement (the
    proposal becomes *geplaatst*), the placement can be corrected, and the first check-in is recorded as a contact
    that completes its action item. Axe on every page."""
    from datetime import timedelta

    from django.utils import timezone

    from koers.casework.models import ActionItem, Contact
    from koers.casework.services import actions as action_services
    from koers.core import access
    from koers.core.codes import ActionStatus, LifeDomain, MatchMode
    from koers.work.models import Match, MatchStatus, Placement

    today = timezone.localdate()
    opening = f.opening(work.employer, work.accountmanager, title="Assistent-monteur", hours_per_week=24)
    match = Match.objects.create(opening=opening, participant=work.participant, proposed_by=work.regisseur,
                                 organisation=work.gemeente, mode=MatchMode.VIA_BEGELEIDER)
    page = login(work.regisseur, phone_page)
    page.goto(reverse("work:participant_matches", args=[work.participant.pk]))
    page.get_by_role("link", name="Plaatsing vastleggen Assistent-monteur").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plaatsing vastleggen")
    # Pre-filled from the proposal: nothing typed twice.
    expect(page.get_by_label("Functie")).to_have_value("Assistent-monteur")
    expect(page.get_by_label("Uren per week")).to_have_value("24")
    assert_no_serious_axe_violations(page)
    # A first attempt without a contract type is refused next to the field; nothing is saved.
    page.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(page.locator(".error-summary")).to_contain_text("Kies de contractsoort")
    assert not Placement.objects.exists()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Contractsoort").select_option("vast")
    page.get_by_label("Startdatum").fill(str(today - timedelta(days=8)))
    page.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("Plaatsing vastgelegd")
    placement = Placement.objects.get()
    match.refresh_from_db()
    assert match.status == MatchStatus.GEPLAATST and placement.match_id == match.pk
    assert_no_serious_axe_violations(page)
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_scroll, "de plaatsing scrolt horizontaal op een telefoon"

    # Entered wrongly: the hours were 20. A correction, not a new agreement.
    page.get_by_role("link", name="Corrigeren").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Uren per week").fill("20")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.locator(".messages")).to_contain_text("gecorrigeerd")
    expect(page.locator("main")).to_contain_text("20 uur per week")

    # The week-1 check-in, together with the employer: one contact, and the action item about it is done.
    grant = access.grant_for(work.regisseur, work.participant)
    (item,) = action_services.create_action_items(work.regisseur, work.participant, grant, [
        action_services.ActionDraft(title="Nazorg: driegesprek week 1", owner_organisation_id=work.gemeente.pk,
                                    assignee_id=work.regisseur.pk, due_date=today, domain=LifeDomain.PARTICIPATIE,
                                    created_by_id=work.regisseur.pk)])
    page.get_by_role("link", name=re.compile(r"Vastleggen\s*: Week 1$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nazorggesprek Week 1")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Met deelnemer en werkgever samen").check()
    page.get_by_label("Verslag").fill("Gaat goed; afspraken over de pauzes gemaakt.")
    expect(page.get_by_label(re.compile("Nazorg: driegesprek week 1"))).to_be_checked()
    page.get_by_role("button", name="Gesprek vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("ook als contact")
    contact = Contact.objects.get(participant=work.participant)
    assert contact.kind == "driegesprek" and contact.duration_minutes == 30
    assert ActionItem.objects.get(pk=item.pk).status == ActionStatus.AFGEROND
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


def test_the_jobcoach_starts_on_the_check_ins_due_on_a_phone(work, login, phone_page):
    from datetime import timedelta

    from django.utils import timezone

    from koers.core.codes import Role
    from koers.core.tests.factories import MembershipFactory, make_user
    from koers.work.tests.placement_factories import place

    coach = make_user(work.reintegratie, Role.JOBCOACH, username="jobcoach", first_name="Joke")
    MembershipFactory(participant=work.participant, organisation=work.reintegratie, added_by=work.regisseur,
                      counsellor=coach)
    start = timezone.localdate() - timedelta(days=20)
    place(work, start_date=start, contract_end=start + timedelta(days=300), jobcoach_id=coach.pk)
    page = login(coach, phone_page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nazorggesprekken")
    expect(page.locator("main")).to_contain_text("Nahom Tesfay: Week 1")
    expect(page.locator("main")).to_contain_text("te laat")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Nahom Tesfay: Week 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nazorggesprek Week 1")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
