"""The activity catalogue: publishing and changing activities (own organisation only), the list with its
filters, the detail page with the two-step model and an enrolment list limited by the access policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from koers.activities.models import Activity
from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.core.codes import ActivityKind, OrganisationKind, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user

pytestmark = pytest.mark.django_db


def activity_data(**overrides) -> dict:
    start = this_monday()
    data = {
        "title": "VCA Basis", "kind": ActivityKind.CERTIFICERING, "description": "Veilig werken.", "theme": "",
        "follows": "", "is_group": "on", "delivery": "fysiek", "location": "Leslokaal 2", "language": "nl",
        "start_date": start.isoformat(), "end_date": (start + timedelta(weeks=6)).isoformat(),
        "min_group_size": "6", "max_group_size": "12", "certificate": "VCA Basis", "is_published": "on",
        "level_spreken": "A2", "level_luisteren": "", "level_lezen": "A1", "level_schrijven": "",
        "slots-TOTAL_FORMS": "2", "slots-INITIAL_FORMS": "0", "slots-MIN_NUM_FORMS": "0", "slots-MAX_NUM_FORMS": "14",
        "slots-0-weekday": "1", "slots-0-start_time": "09:00", "slots-0-end_time": "12:00",
        "slots-1-weekday": "", "slots-1-start_time": "", "slots-1-end_time": "",
    }
    data.update(overrides)
    return data


def test_provider_staff_publish_an_activity_with_pattern_and_requirements(world, client_for):
    client = client_for(world.taaldocent)
    response = client.post(reverse("activities:create"), activity_data())
    activity = Activity.objects.get(title="VCA Basis")
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.provider == world.taal and activity.created_by == world.taaldocent
    assert activity.required_levels == {"spreken": "A2", "lezen": "A1"}
    assert [str(s) for s in activity.slots.all()] == ["dinsdag 09:00–12:00"]
    page = client.get(response["Location"]).content.decode()
    assert "A2 spreken, A1 lezen" in page and "dinsdag 09:00–12:00" in page and "min. 6, max. 12" in page


def test_changing_an_activity_keeps_provider_and_edits_slots(world, client_for):
    activity = make_activity(world.taal, world.taaldocent, slots=[(0, "09:00", "12:00")])
    slot = activity.slots.get()
    client = client_for(world.taaldocent)
    data = activity_data(
        title="NT2 Basis", kind=ActivityKind.TAAL_FORMEEL, level_spreken="", level_lezen="",
        **{"slots-TOTAL_FORMS": "2", "slots-INITIAL_FORMS": "1", "slots-0-id": str(slot.pk),
           "slots-0-weekday": "0", "slots-0-start_time": "09:00", "slots-0-end_time": "12:00", "slots-0-DELETE": "on",
           "slots-1-weekday": "3", "slots-1-start_time": "13:00", "slots-1-end_time": "16:00"},
    )
    assert client.post(reverse("activities:update", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "NT2 Basis" and activity.provider == world.taal and activity.required_levels == {}
    assert [str(s) for s in activity.slots.all()] == ["donderdag 13:00–16:00"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2020-01-01"}, "De einddatum ligt vóór de startdatum."),
        ({"slots-0-end_time": "08:00"}, "De eindtijd ligt niet na de begintijd"),
        ({"slots-0-end_time": "09:00"}, "De eindtijd ligt niet na de begintijd"),
        ({"slots-0-start_time": "25:00"}, "Voer een geldige tijd in"),
        ({"slots-1-weekday": "1", "slots-1-start_time": "11:30", "slots-1-end_time": "13:00"},
         "Twee tijdblokken overlappen elkaar"),
        ({"min_group_size": "10", "max_group_size": "4"}, "De maximale groepsgrootte is kleiner dan de minimale."),
        ({"is_group": "", "min_group_size": "3"}, "Een groepsgrootte hoort alleen bij een groepsactiviteit."),
        ({"title": ""}, "Dit veld is verplicht."),
    ],
)
def test_bad_activity_input_is_refused_with_a_clear_message(world, client_for, overrides, message):
    response = client_for(world.taaldocent).post(reverse("activities:create"), activity_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_touching_slots_are_allowed(world, client_for):
    data = activity_data(**{"slots-1-weekday": "1", "slots-1-start_time": "12:00", "slots-1-end_time": "13:00"})
    assert client_for(world.taaldocent).post(reverse("activities:create"), data).status_code == 302
    assert Activity.objects.get().slots.count() == 2


def test_only_the_providers_own_staff_change_an_activity(world, client_for):
    activity = make_activity(world.taal, world.taaldocent)
    other_provider = OrganisationFactory(name="Taalschool Noord", kind=OrganisationKind.TAALAANBIEDER)
    other_teacher = make_user(other_provider, Role.TAALDOCENT, username="noord")
    url = reverse("activities:update", args=[activity.pk])
    for user in (other_teacher, world.regisseur, world.andere_regisseur):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, activity_data(title="Gekaapt")).status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Taalles NT2"
    assert client_for(world.taaldocent).get(url).status_code == 200
    # Staff without an activity role (a functional administrator) cannot publish either.
    assert client_for(world.beheerder).get(reverse("activities:create")).status_code == 404


def test_unpublished_activities_are_only_visible_to_the_own_organisation(world, client_for):
    draft = make_activity(world.taal, world.taaldocent, title="Concept taalcafé", is_published=False)
    assert client_for(world.regisseur).get(reverse("activities:detail", args=[draft.pk])).status_code == 404
    assert "Concept taalcafé" not in client_for(world.regisseur).get(reverse("activities:list")).content.decode()
    page = client_for(world.taaldocent).get(reverse("activities:list")).content.decode()
    assert "Concept taalcafé" in page and "niet gepubliceerd" in page


def test_catalogue_filters(world, client_for):
    past = this_monday() - timedelta(weeks=30)
    make_activity(world.taal, world.taaldocent, title="NT2 Basis", theme="Wonen")
    make_activity(world.gemeente, world.regisseur, title="Thema Gezondheid", kind=ActivityKind.THEMA_EIGEN_TAAL,
                  language="ar")
    make_activity(world.taal, world.taaldocent, title="Oude cursus", start=past, end=past + timedelta(weeks=4))
    client = client_for(world.regisseur)

    def titles(**params):
        page = client.get(reverse("activities:list"), params).content.decode()
        return {t for t in ("NT2 Basis", "Thema Gezondheid", "Oude cursus") if t in page}

    assert titles() == {"NT2 Basis", "Thema Gezondheid", "Oude cursus"}
    assert titles(kind=ActivityKind.THEMA_EIGEN_TAAL) == {"Thema Gezondheid"}
    assert titles(provider=world.taal.pk) == {"NT2 Basis", "Oude cursus"}
    assert titles(language="ar") == {"Thema Gezondheid"}
    assert titles(q="wonen") == {"NT2 Basis"}
    assert titles(current="on") == {"NT2 Basis", "Thema Gezondheid"}
    assert "Geen activiteiten gevonden met deze filters" in client.get(
        reverse("activities:list"), {"q": "bestaat niet"}).content.decode()
    assert client.get(reverse("activities:list"), {"provider": "abc"}).status_code == 200


def test_two_step_pair_is_shown_on_both_pages(world, client_for):
    theme = make_activity(world.gemeente, world.regisseur, title="Themabijeenkomst Wonen (Arabisch)",
                          kind=ActivityKind.THEMA_EIGEN_TAAL, theme="Wonen in de buurt", language="ar")
    client = client_for(world.taaldocent)
    data = activity_data(title="Nederlandse les Wonen", kind=ActivityKind.TAAL_PRAKTIJK, follows=str(theme.pk),
                         level_spreken="", level_lezen="")
    assert client.post(reverse("activities:create"), data).status_code == 302
    lesson = Activity.objects.get(title="Nederlandse les Wonen")
    assert lesson.follows == theme and lesson.theme == "Wonen in de buurt"  # theme taken over
    lesson_page = client.get(reverse("activities:detail", args=[lesson.pk])).content.decode()
    theme_page = client.get(reverse("activities:detail", args=[theme.pk])).content.decode()
    assert "Tweestapsmodel" in lesson_page and "Themabijeenkomst Wonen (Arabisch)" in lesson_page
    assert "Tweestapsmodel" in theme_page and "Nederlandse les Wonen" in theme_page
    # Only theme meetings can be the first step; a theme meeting does not follow another one.
    bad = activity_data(title="Les", follows=str(lesson.pk))
    page = client.post(reverse("activities:create"), bad).content.decode()
    assert "Kies een themabijeenkomst in de eigen taal uit de lijst" in page
    bad = activity_data(title="Thema 2", kind=ActivityKind.THEMA_EIGEN_TAAL, follows=str(theme.pk))
    assert "zelf de eerste stap" in client.post(reverse("activities:create"), bad).content.decode()


def test_enrolment_list_shows_only_visible_participants_and_is_audited(world, client_for):
    activity = make_activity(world.taal, world.taaldocent)
    make_enrolment(world.participant, activity, world.taaldocent)
    make_enrolment(world.other_participant, activity, world.taaldocent)  # another municipality, no membership
    detail = reverse("activities:detail", args=[activity.pk])
    page = client_for(world.regisseur).get(detail).content.decode()
    assert "Nahom Tesfay" in page and "Samira Haddad" not in page
    assert "2 (aangemeld of actief)" in page  # the number is not personal data
    events = AuditEvent.objects.filter(action="lijst", category="traject")
    assert list(events.values_list("participant_id", flat=True)) == [world.participant.pk]
    page = client_for(world.andere_regisseur).get(detail).content.decode()
    assert "Samira Haddad" in page and "Nahom Tesfay" not in page


def test_catalogue_list_and_detail_query_budgets(world, client_for, max_queries):
    theme = make_activity(world.gemeente, world.regisseur, title="Thema", kind=ActivityKind.THEMA_EIGEN_TAAL)
    for i in range(30):
        a = make_activity(world.taal, world.taaldocent, title=f"Cursus {i:02d}", slots=[(i % 5, "09:00", "12:00")],
                          follows=theme)
        p = ParticipantFactory(regie_organisation=world.gemeente)
        MembershipFactory(participant=p, organisation=world.taal, added_by=world.regisseur)
        make_enrolment(p, a, world.taaldocent)
        make_enrolment(p, theme, world.regisseur, start=theme.start_date + timedelta(days=i * 7),
                       end=theme.start_date + timedelta(days=i * 7 + 6))
    client = client_for(world.taaldocent)
    with max_queries(10):
        assert client.get(reverse("activities:list")).status_code == 200
    with max_queries(10):
        assert client.get(reverse("activities:list"), {"q": "cursus", "current": "on"}).status_code == 200
    with max_queries(16):
        assert client.get(reverse("activities:detail", args=[theme.pk])).status_code == 200


def test_a_period_that_no_longer_fits_its_enrolments_is_refused(world, client_for):
    activity = make_activity(world.taal, world.taaldocent, start=this_monday(), end=this_monday() + timedelta(weeks=10))
    make_enrolment(world.participant, activity, world.taaldocent, start=this_monday() + timedelta(weeks=5))
    data = activity_data(title="Taalles NT2", end_date=(this_monday() + timedelta(weeks=4)).isoformat(),
                         level_spreken="", level_lezen="")
    response = client_for(world.taaldocent).post(reverse("activities:update", args=[activity.pk]), data)
    assert "inschrijvingen die buiten de nieuwe periode vallen" in response.content.decode()
    activity.refresh_from_db()
    assert activity.end_date == this_monday() + timedelta(weeks=10) and activity.slots.count() == 0
