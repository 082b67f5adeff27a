"""Browser: the monitoring's working pages — import with preview, completeness worklist and filling in an imported
row, the follow-up worklist, the research page — each checked with axe and for console/CSP errors."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, submit
from koers.core.codes import Role
from koers.core.tests.factories import MembershipFactory, make_user
from koers.monitoring.models import FollowUp, Programme, Trajectory
from koers.monitoring.tests.test_sync import close, enrol, make_programme, make_project
from koers.synthetic import nbnb

TODAY = timezone.localdate()


@pytest.mark.browser
def test_import_with_preview_then_fill_in_what_is_unknown(world, login, tmp_path):
    projectleider = make_user(world.gemeente, Role.PROJECTLEIDER, username="projectleider")
    make_programme(world.gemeente, code="nbnb", name="Een nieuw bestaan, een nieuwe baan")
    projects = tmp_path / "projecten.csv"
    projects.write_text(nbnb.to_csv(nbnb.project_rows(), nbnb.PROJECT_COLUMNS), encoding="utf-8")
    rows = nbnb.participant_rows()[:40]
    rows[3]["uitstroom"] = "werk"  # line 5: a wrong code
    participants = tmp_path / "deelnemers.csv"
    participants.write_text(nbnb.to_csv(rows, nbnb.COLUMNS), encoding="utf-8")

    page = login(projectleider)
    page.goto(reverse("monitoring:programme", kwargs={"code": "nbnb"}))
    submit(page, page.get_by_role("link", name="Projecten of deelnemers importeren"))
    assert_no_serious_axe_violations(page)
    import_url = reverse("monitoring:import", kwargs={"code": "nbnb"})
    preview_url = re.compile(re.escape(import_url) + r"[\w-]+/$")
    busy = page.locator("#import-busy")
    expect(busy).to_have_count(1)
    expect(busy).to_be_hidden()  # shown only while the server works
    page.get_by_label("Projecten").check()
    page.get_by_label("Bestand").set_input_files(str(projects))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(preview_url)  # the form is sent by htmx; the address bar follows the redirect
    expect(page.get_by_role("heading", name="Voorbeeld", exact=False).first).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Importeren bevestigen").click()
    page.wait_for_url("**" + import_url)
    expect(page.get_by_text("projecten.csv is geïmporteerd: 8 projecten nieuw")).to_be_visible()
    assert Programme.objects.get(code="nbnb").projects.count() == 8

    page.goto(reverse("monitoring:import", kwargs={"code": "nbnb"}))
    page.get_by_label("Deelnemers").check()
    page.get_by_label("Bestand").set_input_files(str(participants))
    submit(page, page.get_by_role("button", name="Controleren"))
    error = page.locator("table.import-errors tbody tr").first.inner_text()
    assert error.split()[:2] == ["5", "uitstroom"] and "'werk'" in error  # line, column, problem; nothing saved
    assert not Trajectory.objects.exists()
    assert_no_serious_axe_violations(page)
    here = page.url
    page.get_by_role("button", name="Importeren bevestigen").click()  # not yet choosing "only the valid rows"
    page.get_by_text("er is niets geïmporteerd").first.wait_for()
    assert page.url == here and not Trajectory.objects.exists()  # still the preview's address
    page.get_by_label("Importeer alleen de geldige regels").check()
    page.get_by_role("button", name="Importeren bevestigen").click()
    page.wait_for_url("**" + import_url)
    assert Trajectory.objects.count() == 39

    page.goto(reverse("monitoring:completeness", kwargs={"code": "nbnb"}))
    expect(page.get_by_role("heading", name="Werklijst")).to_be_visible()
    assert_no_serious_axe_violations(page)
    unknown = Trajectory.objects.filter(country_of_origin="").first() or Trajectory.objects.first()
    page.goto(reverse("monitoring:trajectory_edit", kwargs={"pk": unknown.pk}))
    assert_no_serious_axe_violations(page)
    submit(page, page.get_by_role("button", name="Opslaan"))
    assert_no_console_errors(page)


@pytest.mark.browser
def test_follow_up_worklist_confirms_a_measurement(world, login):
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur)
    project = make_project(make_programme(world.gemeente), world.reintegratie)
    trajectory = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))  # the 6-month follow-up is overdue

    page = login(world.begeleider)
    page.goto(reverse("monitoring:followups"))
    expect(page.get_by_text("Te laat").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.locator("summary", has_text="Meting vastleggen").first.click()
    page.get_by_label("Nee").first.check()
    submit(page, page.get_by_role("button", name="Meting opslaan").first)
    follow_up = FollowUp.objects.get(trajectory=trajectory, months=6)
    assert follow_up.status == "gedaan" and follow_up.in_paid_work == "nee"
    trajectory.refresh_from_db()
    assert trajectory.work_6m == "nee"
    assert_no_serious_axe_violations(page)

    # Reached after all: corrected from the participant's file.
    page.goto(reverse("participants:detail", args=[world.participant.pk]))
    page.get_by_role("link", name="bekijken of corrigeren (vervolgmeting 6 maanden)").click()
    page.locator("summary", has_text="Meting corrigeren").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Ja, betaald werk").check()
    submit(page, page.get_by_role("button", name="Correctie opslaan"))
    expect(page.get_by_text("Vervolgmeting 6 maanden gecorrigeerd")).to_be_visible()
    trajectory.refresh_from_db()
    assert trajectory.work_6m == "ja"
    assert_no_console_errors(page)


@pytest.mark.browser
def test_research_page_for_a_researcher(world, login):
    programme = make_programme(world.gemeente)
    researcher = make_user(world.gemeente, Role.ONDERZOEKER, username="noor")
    page = login(researcher)
    page.goto(reverse("monitoring:research", kwargs={"code": programme.code}))
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
