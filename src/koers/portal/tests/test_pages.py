"""My plan and my week: the participant's own data, in their language, never special-category content."""

from __future__ import annotations

from datetime import time, timedelta

from django.urls import reverse
from django.utils import timezone

from koers.plans.tests.conftest import draft_with_content, sign


def test_my_plan_shows_the_signed_plan_without_health_goals(world, portal_client):
    assert "nog niet klaar" in portal_client.get(reverse("portal:plan")).content.decode()
    sign(world, draft_with_content(world))
    body = portal_client.get(reverse("portal:plan")).content.decode()
    assert "Werken als elektricien" in body  # the horizon
    assert "Werkervaring opdoen in de techniek" in body
    assert "Bedrijfsbezoek bij installatiebedrijf" in body
    assert "Beter slapen" not in body and "praktijkondersteuner" not in body  # special category: never here
    assert 'dir="ltr"' in body


def test_my_plan_pdf_is_a_download_without_health_goals(world, portal_client):
    sign(world, draft_with_content(world))
    response = portal_client.get(reverse("portal:plan_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_plan_pdf_before_the_plan_is_signed(world, portal_client):
    draft_with_content(world)
    assert portal_client.get(reverse("portal:plan_pdf")).status_code == 404


def test_my_week_shows_classes_this_week_and_next(world, portal_client):
    from koers.activities.models import Activity, ActivitySlot, Enrolment

    today = timezone.localdate()
    activity = Activity.objects.create(
        title="Nederlands A2 ochtend", provider=world.taal, kind="taal_formeel", start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=60), created_by=world.regisseur,
    )
    for weekday in range(7):  # every day, so that today or tomorrow has a class whatever day the test runs
        ActivitySlot.objects.create(activity=activity, weekday=weekday, start_time=time(9), end_time=time(12))
    Enrolment.objects.create(participant=world.participant, activity=activity, start_date=today - timedelta(days=7),
                             status="actief", enrolled_by=world.regisseur)
    body = portal_client.get(reverse("portal:week")).content.decode()
    assert body.count("Nederlands A2 ochtend") >= 5
    assert "09:00–12:00" in body
    home = portal_client.get(reverse("portal:home")).content.decode()
    assert "Nederlands A2 ochtend" in home  # tomorrow's (or today's) class
    card = portal_client.get(reverse("portal:week_card") + "?week=volgende")
    assert card.status_code == 200 and card.content.startswith(b"%PDF")


def test_choosing_another_language(world, portal_client):
    response = portal_client.post(reverse("portal:language"), {"language": "nl"})
    assert response.status_code == 302
    assert 'lang="nl"' in portal_client.get(reverse("portal:home")).content.decode()
    bad = portal_client.post(reverse("portal:language"), {"language": "xx"})
    assert bad.status_code == 302
    assert 'lang="nl"' in portal_client.get(reverse("portal:home")).content.decode()


def test_portal_pages_have_a_query_budget(world, portal_client, max_queries):
    sign(world, draft_with_content(world))
    for name in ("portal:home", "portal:week", "portal:plan"):
        with max_queries(25):
            assert portal_client.get(reverse(name)).status_code == 200


def test_appointments_show_in_my_week_and_tomorrows_reminder(world, portal_client, other_account):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from koers.casework.models import Appointment
    from koers.core.codes import AppointmentStatus, ContactKind

    tomorrow = timezone.localdate() + timedelta(days=1)
    at = timezone.make_aware(datetime.combine(tomorrow, time(9, 30)))

    def plan(participant, purpose, status=AppointmentStatus.GEPLAND):
        return Appointment.objects.create(
            participant=participant, kind=ContactKind.GESPREK, starts_at=at, organisation=world.gemeente,
            with_user=world.regisseur, purpose=purpose, location="Stadskantoor", created_by=world.regisseur,
            status=status)

    plan(world.participant, "Gesprek over uw plan")
    plan(world.participant, "Afgezegd gesprek", AppointmentStatus.AFGEZEGD)
    plan(other_account.participant, "Samira's afspraak")
    home = portal_client.get(reverse("portal:home")).content.decode()
    assert "09:30" in home and "Gesprek over uw plan" in home and "met Rita" in home
    week = portal_client.get(reverse("portal:week")).content.decode()
    assert "Gesprek over uw plan" in week and "Stadskantoor" in week
    assert "Afgezegd gesprek" not in week and "Samira" not in week and "Samira" not in home


def test_a_staff_language_never_reaches_the_portal(world, account, portal_client):
    """Staff choose their language on "Mijn account" (core.middleware.StaffLanguageMiddleware); a participant's
    account is left to the portal's door, whatever its user row holds and whatever the browser asks."""
    account.user.interface_language = "en"
    account.user.save(update_fields=["interface_language"])
    html = portal_client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="nl"' in html and 'lang="en"' not in html
