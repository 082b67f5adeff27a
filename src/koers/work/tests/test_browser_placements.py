"""Browser: a match becomes a placement with its aftercare plan; a contract ending in three weeks is a signal on the
regisseur's caseload; closing proposes the outcome and requires a reason for dropout. Axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.core.codes import ContractType, DropoutReason, Outcome
from koers.work.models import Closure, Placement
from koers.work.tests.placement_factories import match, place

TODAY = timezone.localdate()


@pytest.mark.browser
def test_a_match_becomes_a_placement_with_its_aftercare_plan(world, login):
    m = match(world)
    page = login(world.regisseur)
    page.goto(reverse("work:placement_from_match", kwargs={"match_id": m.pk}))
    expect(page.locator("body")).to_contain_text("Uit de match met")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Contractsoort", exact=True).select_option(ContractType.TIJDELIJK)
    page.get_by_label("Uren per week", exact=True).fill("75")
    page.get_by_label("Einddatum contract of afspraak").fill(
        (TODAY - timedelta(days=30)).isoformat())
    submit(page, page.get_by_role("button", name="Plaatsing vastleggen"))
    summary = page.locator(".error-summary").inner_text()
    assert "Meer dan 60 uur per week kan niet" in summary and "ligt vóór de start" in summary
    assert_no_serious_axe_violations(page)
    page.get_by_label("Uren per week", exact=True).fill("24")
    page.get_by_label("Einddatum contract of afspraak").fill((TODAY + timedelta(days=180)).isoformat())
    submit(page, page.get_by_role("button", name="Plaatsing vastleggen"))
    assert Placement.objects.filter(match=m).exists()
    plan = page.locator("section.aftercare")
    expect(plan).to_contain_text("Nazorgplan")
    for label in ("Week 1", "Week 2", "Maand 2", "Maand 6", "Maand 12"):
        expect(plan).to_contain_text(label)
    assert_no_serious_axe_violations(page)
    page.goto(reverse("work:participant_placements", kwargs={"pk": world.participant.pk}))
    expect(page.locator("body")).to_contain_text("Productiemedewerker bij Kunststof Oost")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_a_contract_ending_in_three_weeks_is_a_signal_on_the_caseload(world, login):
    place(world, start_date=TODAY - timedelta(days=200), contract_end=TODAY + timedelta(days=21))
    page = login(world.regisseur)
    page.goto(reverse("casework:caseload"))
    row = page.locator(".caseload__row").filter(has_text="Nahom Tesfay")
    # The most urgent signal (the overdue check-ins) is shown; the others open with one click.
    row.locator("summary", has_text="ander signa").click()
    text = row.inner_text()
    assert "Contract loopt af over 21 dagen" in text
    assert "Bespreek verlenging met werkgever en deelnemer" in text
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_closing_proposes_the_outcome_and_requires_a_reason_for_dropout(world, login):
    p = place(world, start_date=TODAY - timedelta(days=90), contract_end=TODAY + timedelta(days=100))
    page = login(world.regisseur)
    page.goto(reverse("work:close_trajectory", kwargs={"pk": world.participant.pk}))
    # Was: "Eerst de nazorg afronden" blocked closing. Aftercare goes on after the closure (issue 12): it is named,
    # not required.
    expect(page.locator("body")).to_contain_text("De nazorg loopt door na het afsluiten")
    expect(page.locator("body")).not_to_contain_text("Eerst de nazorg afronden")
    assert p.aftercare.ended_on is None
    expect(page.locator(".proposal-box")).to_contain_text("Voorstel uitstroom: Betaald werk")
    expect(page.get_by_label("Betaald werk", exact=True)).to_be_checked()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Voortijdige uitval", exact=True).check()
    submit(page, page.get_by_role("button", name="Traject afsluiten"))
    expect(page.locator(".error-summary")).to_contain_text("Er loopt nog 1 plaatsing")
    page.get_by_label("Beëindigen", exact=True).check()
    page.get_by_label("Voortijdige uitval", exact=True).check()
    submit(page, page.get_by_role("button", name="Traject afsluiten"))
    expect(page.locator(".error-summary")).to_contain_text("reden van uitval verplicht")
    assert_no_serious_axe_violations(page)
    assert not Closure.objects.exists()
    page.get_by_label("Beëindigen", exact=True).check()
    page.get_by_label("Voortijdige uitval", exact=True).check()
    page.get_by_label("Reden van uitval", exact=True).select_option(DropoutReason.VERWACHTINGEN)
    submit(page, page.get_by_role("button", name="Traject afsluiten"))
    c = Closure.objects.get()
    assert (c.outcome, c.proposed_outcome, c.dropout_reason) == (
        Outcome.VOORTIJDIGE_UITVAL, Outcome.GEEN_WERK, DropoutReason.VERWACHTINGEN)
    expect(page.locator("body")).to_contain_text("Uitstroom: Voortijdige uitval")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_closing_with_a_placement_kept_running_asks_why_on_a_phone(world, login, phone_page):
    p = place(world, start_date=TODAY - timedelta(days=90), contract_end=TODAY + timedelta(days=100))
    page = login(world.regisseur, phone_page)
    page.goto(reverse("work:close_trajectory", kwargs={"pk": world.participant.pk}))
    expect(page.get_by_label("Betaald werk", exact=True)).to_be_checked()
    page.get_by_label("Loopt door na het afsluiten", exact=True).check()
    submit(page, page.get_by_role("button", name="Traject afsluiten"))
    expect(page.locator(".error-summary")).to_contain_text("waarom de plaatsing doorloopt")
    assert not Closure.objects.exists()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Loopt door na het afsluiten", exact=True).check()
    page.get_by_label("Waarom loopt de plaatsing door na het afsluiten?").fill("Vast werk; nazorg loopt door.")
    submit(page, page.get_by_role("button", name="Traject afsluiten"))
    c = Closure.objects.get()
    assert list(c.placements_kept.all()) == [p] and c.kept_reason == "Vast werk; nazorg loopt door."
    expect(page.locator("body")).to_contain_text("Vast werk; nazorg loopt door.")
    assert_no_serious_axe_violations(page)
    page.goto(reverse("work:placement_withdraw", kwargs={"pk": world.participant.pk, "placement_id": p.pk}))
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "390px"])
def test_closing_names_the_enrolments_that_stop_and_ends_them(world, login, new_page, phone):
    from koers.activities.models import Enrolment
    from koers.activities.tests.activity_factories import make_activity, make_enrolment

    course = make_activity(world.taal, world.regisseur, title="Taalles B1", start=TODAY - timedelta(days=30))
    make_enrolment(world.participant, course, world.regisseur, start=TODAY - timedelta(days=20))
    page = login(world.regisseur, new_page(390) if phone else new_page())
    page.goto(reverse("work:close_trajectory", kwargs={"pk": world.participant.pk}))
    notice = page.get_by_role("heading", name="Inschrijvingen stoppen bij het afsluiten")
    expect(notice).to_be_visible()
    expect(page.locator("body")).to_contain_text("Taalles B1")
    assert_no_serious_axe_violations(page)
    submit(page, page.get_by_role("button", name="Traject afsluiten"))
    expect(page.locator("body")).to_contain_text("1 inschrijving beëindigd.")
    assert Enrolment.objects.get().status == "uitgevallen"
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.browser
def test_new_placement_pages_at_desktop_width(world, login):
    p = place(world, start_date=TODAY + timedelta(days=5), contract_end=TODAY + timedelta(days=100),
              jobcoach_id=world.regisseur.pk)
    page = login(world.regisseur)
    kw = {"pk": world.participant.pk, "placement_id": p.pk}
    page.goto(reverse("work:placement_detail", kwargs=kw))
    expect(page.locator("main")).to_contain_text("begint over 5 dagen")
    assert_no_serious_axe_violations(page)
    for name in ("work:placement_correct", "work:placement_withdraw"):
        page.goto(reverse(name, kwargs=kw))
        assert_no_serious_axe_violations(page)
    page.goto(reverse("work:check_ins_due") + "?wie=organisatie")
    expect(page.locator("h1")).to_contain_text("Nazorggesprekken")
    expect(page.locator("main")).to_contain_text("Nahom Tesfay: Week 1")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
