"""In a real browser on a phone (390×844): a teacher registers attendance for a group in a few taps, and the
regisseur sees the unexcused absence the same day. Axe on the session, attendance and group pages."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.activities.models import Attendance, Session
from koers.activities.services import groups as group_services
from koers.activities.tests.test_attendance import enrol, group_session, make_activity, visible_participant
from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations
from koers.core.codes import AttendanceStatus

pytestmark = pytest.mark.browser


def check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} is wider than the screen"


def test_teacher_registers_a_group_on_a_phone_and_the_regisseur_sees_the_absence(world, login, phone_page,
                                                                                 new_page):
    activity, group, session, enrolments = group_session(world, 6)
    absent = enrolments[2].participant
    page = login(world.taaldocent, page=phone_page)

    page.goto(reverse("activities:my_sessions"))
    assert_no_serious_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Aanwezigheid registreren").click()
    expect(page.get_by_role("heading", name="Aanwezigheid")).to_be_visible()
    assert_no_serious_axe_violations(page)
    # Nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Everybody is preselected as present: one tap changes the absent one, one more saves.
    row = page.get_by_role("group", name=absent.name)
    row.get_by_text("Afwezig, niet afgemeld").click()
    expect(row.get_by_role("radio", name="Afwezig, niet afgemeld")).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Aanwezigheid opgeslagen voor 6 deelnemers")
    assert_no_console_errors(page)
    assert Attendance.objects.filter(session=session).count() == 6
    assert Attendance.objects.get(participant=absent).status == AttendanceStatus.ONGEOORLOOFD

    regisseur_page = login(world.regisseur, page=new_page(width=390, height=844, is_mobile=True, has_touch=True))
    regisseur_page.goto(reverse("activities:participant_attendance", kwargs={"pk": absent.pk}))
    signal = regisseur_page.locator(".attendance-panel")
    expect(signal).to_contain_text("Afwezig zonder afmelding")
    expect(signal).to_contain_text("Vandaag")
    assert_no_serious_axe_violations(regisseur_page)
    assert_no_console_errors(regisseur_page)
    # ... and on the participant's file itself, the page the regisseur opens first.
    regisseur_page.goto(reverse("participants:detail", kwargs={"pk": absent.pk}))
    signal = regisseur_page.locator(".attendance-panel")
    expect(signal).to_contain_text("Afwezig zonder afmelding")
    expect(signal).to_contain_text("Vandaag")
    assert_no_serious_axe_violations(regisseur_page)


def test_keyboard_only_registration(world, login, page):
    activity, group, session, enrolments = group_session(world, 2)
    login(world.taaldocent, page=page)
    page.goto(reverse("activities:attendance", kwargs={"session_id": session.pk}))
    first = page.get_by_role("radio", name="Aanwezig").first
    first.focus()
    page.keyboard.press("ArrowRight")  # radio group: arrow keys move the choice
    expect(page.get_by_role("radio", name="Te laat").first).to_be_checked()
    page.get_by_role("button", name="Aanwezigheid opslaan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    statuses = sorted(Attendance.objects.values_list("status", flat=True))
    assert statuses == [AttendanceStatus.AANWEZIG, AttendanceStatus.TE_LAAT]


def test_session_and_group_pages_pass_axe(world, login, phone_page):
    activity, group, session, enrolments = group_session(world, 3)
    e = enrolments[0]
    e.participant.level_spreken = "A1"
    e.participant.save()
    enrol(visible_participant(world, name="Nog niet ingedeeld", level_spreken="B1"), activity, world.regisseur)
    Session.objects.create(activity=activity, group=group, date=session.date.replace(day=1) if session.date.day > 1
                           else session.date.replace(day=2), start_time=time(13), end_time=time(15),
                           status="geannuleerd", note="Docent ziek")
    make_activity(world.taal, world.taaldocent, title="Zonder groepen", is_group=False)
    group_services.create_group(world.taaldocent, activity, "Lege groep")
    page = login(world.taaldocent, page=phone_page)
    for path in [
        reverse("activities:my_sessions"),
        reverse("activities:sessions", kwargs={"activity_id": activity.pk}),
        reverse("activities:session_create", kwargs={"activity_id": activity.pk}),
        reverse("activities:session_edit", kwargs={"session_id": session.pk}),
        reverse("activities:closed_days"),
        reverse("activities:attendance", kwargs={"session_id": session.pk}),
        reverse("activities:groups", kwargs={"activity_id": activity.pk}),
        reverse("activities:group_suggestions", kwargs={"activity_id": activity.pk}),
        reverse("activities:group_detail", kwargs={"group_id": group.pk}),
        reverse("activities:participant_attendance", kwargs={"pk": e.participant_id}),
    ]:
        check(page, path)
