"""Enrolments: who may enrol whom, entry requirements, schedule conflicts shown before saving (the confirm
step), bad periods, double enrolments, status transitions, audit and query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.activities.models import Enrolment, Session
from koers.activities.services import activities as services
from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.core.access import grant_for
from koers.core.codes import ActivityKind, OrganisationKind, Role
from koers.core.models import AuditEvent, MunicipalityPolicy
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user

pytestmark = pytest.mark.django_db


def enrol_url(p):
    return reverse("activities:enrol", kwargs={"pk": p.pk})


def post_enrol(client, participant, activity, **extra):
    data = {"activity": activity.pk, "start_date": extra.pop("start", this_monday()).isoformat(),
            "end_date": extra.pop("end", ""), "status": extra.pop("status", "aangemeld"), **extra}
    if hasattr(data["end_date"], "isoformat"):
        data["end_date"] = data["end_date"].isoformat()
    return client.post(enrol_url(participant), data)


@pytest.fixture
def course(world):
    """The fixed formal language course: monday and wednesday mornings."""
    return make_activity(world.taal, world.taaldocent, title="NT2 Basis", slots=[(0, "09:00", "12:00"),
                                                                                 (2, "09:00", "12:00")])


@pytest.fixture
def sport(world):
    return make_activity(world.gemeente, world.regisseur, title="Buitensport", kind=ActivityKind.GEZONDHEID_SPORT,
                         slots=[(0, "11:00", "13:00")])


def test_regisseur_enrols_without_problems_in_one_step(world, client_for, course):
    client = client_for(world.regisseur)
    response = post_enrol(client, world.participant, course)
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:participant_enrolments", kwargs={"pk": world.participant.pk})
    e = Enrolment.objects.get()
    assert (e.participant, e.activity, e.status, e.enrolled_by) == (world.participant, course, "aangemeld",
                                                                    world.regisseur)
    assert e.requirement_override == "" and e.conflict_override == ""
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="aanmaken", category="traject",
                                     detail__contains="NT2 Basis").exists()
    # Unknown availability is a notice after saving, not a conflict.
    page = client.get(response["Location"]).content.decode()
    assert "beschikbaarheid van de deelnemer is onbekend" in page and "NT2 Basis" in page


def test_schedule_conflict_is_shown_before_saving_and_needs_a_reason(world, client_for, course, sport):
    make_enrolment(world.participant, course, world.taaldocent)
    assert not Session.objects.exists()  # overlap comes from the weekly pattern, not from generated sessions
    client = client_for(world.regisseur)
    response = post_enrol(client, world.participant, sport)
    page = response.content.decode()
    assert response.status_code == 200 and "Roosterconflict" in page and "Er is nog niets opgeslagen" in page
    assert "Overlapt met ‘NT2 Basis’ (vaste taalles) op maandag 09:00–12:00" in page
    assert Enrolment.objects.count() == 1
    fingerprint = page.split('name="seen" value="')[1].split('"')[0]
    # Confirming without a reason: refused, still nothing saved.
    response = post_enrol(client, world.participant, sport, **{"confirm-step": "1", "seen": fingerprint})
    assert "Geef een reden om ondanks het conflict in te schrijven." in response.content.decode()
    assert Enrolment.objects.count() == 1
    response = post_enrol(client, world.participant, sport, **{
        "confirm-step": "1", "seen": fingerprint, "confirm-conflict_override": "Sport na de les, afgesproken."})
    assert response.status_code == 302
    e = Enrolment.objects.get(activity=sport)
    assert e.conflict_override == "Sport na de les, afgesproken." and e.requirement_override == ""
    assert "ondanks roosterconflict" in AuditEvent.objects.filter(action="aanmaken").last().detail


def test_conflicts_that_changed_after_confirming_are_shown_again(world, client_for, course, sport):
    make_enrolment(world.participant, course, world.taaldocent)
    client = client_for(world.regisseur)
    response = post_enrol(client, world.participant, sport, **{
        "confirm-step": "1", "seen": "stale", "confirm-conflict_override": "Akkoord."})
    assert response.status_code == 200 and "intussen gewijzigd" in response.content.decode()
    assert not Enrolment.objects.filter(activity=sport).exists()


def test_touching_slots_are_no_conflict(world, client_for, course):
    make_enrolment(world.participant, course, world.taaldocent)
    lunch = make_activity(world.gemeente, world.regisseur, title="Taalcafé", kind=ActivityKind.TAAL_PRAKTIJK,
                          slots=[(0, "12:00", "13:00")])
    assert post_enrol(client_for(world.regisseur), world.participant, lunch).status_code == 302


def test_availability_and_hours_conflicts(world, client_for, course):
    world.participant.availability = ["ma_o", "wo_o"]
    world.participant.save()
    MunicipalityPolicy.objects.create(organisation=world.gemeente, max_hours_per_week=8)
    make_enrolment(world.participant, course, world.taaldocent)  # 6 hours
    work = make_activity(world.gemeente, world.regisseur, title="Werkervaring", kind=ActivityKind.WERKERVARING,
                         slots=[(1, "13:00", "16:00")])
    page = post_enrol(client_for(world.regisseur), world.participant, work).content.decode()
    assert "valt buiten de beschikbaarheid van de deelnemer (dinsdag middag)" in page
    assert "komt de deelnemer op 9 uur; de gemeente hanteert maximaal 8 uur per week" in page
    assert not Enrolment.objects.filter(activity=work).exists()


def test_entry_requirements_warn_with_the_reason_and_need_a_justification(world, client_for):
    world.participant.level_spreken = "A1"
    world.participant.save()
    vca = make_activity(world.gemeente, world.regisseur, title="VCA Basis", kind=ActivityKind.CERTIFICERING,
                        required_levels={"spreken": "A2", "lezen": "A1"})
    client = client_for(world.regisseur)
    page = post_enrol(client, world.participant, vca).content.decode()
    assert "voldoet niet aan de instapeisen" in page
    assert "A2 spreken vereist, nu A1" in page and "A1 lezen vereist, nu onbekend" in page
    assert not Enrolment.objects.exists()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    response = post_enrol(client, world.participant, vca, **{"confirm-step": "1", "seen": seen})
    assert "Geef een reden om de deelnemer toch in te schrijven." in response.content.decode()
    response = post_enrol(client, world.participant, vca, **{
        "confirm-step": "1", "seen": seen, "confirm-requirement_override": "Praktijkexamen met tolk."})
    assert response.status_code == 302
    assert Enrolment.objects.get().requirement_override == "Praktijkexamen met tolk."
    # Meeting the requirements: no warning.
    world.participant.level_spreken, world.participant.level_lezen = "B1", "A1"
    world.participant.save()
    assert services.check_enrolment(world.regisseur, world.participant, grant_for(world.regisseur, world.participant),
                                    vca, this_monday(), None).gaps == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (0, -1, "De einddatum ligt vóór de startdatum"),
        (-400, None, "De start valt buiten de periode van de activiteit"),
        (400, None, "De start valt buiten de periode van de activiteit"),
        (0, 400, "De einddatum ligt na het einde van de activiteit"),
    ],
)
def test_bad_periods_are_refused(world, client_for, course, start, end, message):
    s = this_monday() + timedelta(days=start)
    e = this_monday() + timedelta(days=end) if end is not None else ""
    response = post_enrol(client_for(world.regisseur), world.participant, course, start=s, end=e)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_overlapping_enrolment_in_the_same_activity_is_refused(world, client_for, course):
    first_end = this_monday() + timedelta(weeks=4)
    make_enrolment(world.participant, course, world.taaldocent, start=this_monday(), end=first_end)
    client = client_for(world.regisseur)
    response = post_enrol(client, world.participant, course, start=first_end)  # overlaps on the last day
    assert "al ingeschreven voor deze activiteit" in response.content.decode()
    assert Enrolment.objects.count() == 1
    # The service refuses too (not only the form), also for a second call in a race.
    grant = grant_for(world.regisseur, world.participant)
    with pytest.raises(ValidationError):
        services.enrol(world.regisseur, world.participant, grant, course, start=this_monday() + timedelta(days=1),
                       end=None)
    # The day after the first one ends is fine (the conflict with itself is gone too).
    response = post_enrol(client, world.participant, course, start=first_end + timedelta(days=1))
    assert response.status_code == 302 and Enrolment.objects.count() == 2


def test_another_organisations_participant_cannot_be_enrolled(world, client_for, course):
    # From the participant's side: 404.
    assert client_for(world.regisseur).get(enrol_url(world.other_participant)).status_code == 404
    assert post_enrol(client_for(world.regisseur), world.other_participant, course).status_code == 404
    # From the activity's side: the participant is not a valid choice, nothing is saved.
    client = client_for(world.taaldocent)
    url = reverse("activities:enrol_activity", kwargs={"pk": course.pk})
    page = client.get(url).content.decode()
    assert "Nahom Tesfay" in page and "Samira Haddad" not in page
    response = client.post(url, {"participant": world.other_participant.pk,
                                 "start_date": this_monday().isoformat(), "status": "aangemeld"})
    assert "Kies een deelnemer uit de lijst" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_provider_staff_enrol_only_in_their_own_activities(world, client_for, course, sport):
    client = client_for(world.taaldocent)
    page = client.get(enrol_url(world.participant)).content.decode()
    assert "NT2 Basis" in page and "Buitensport" not in page
    assert "Kies een activiteit uit de lijst" in post_enrol(client, world.participant, sport).content.decode()
    # The activity page of another provider offers no enrolment to them.
    assert client.get(reverse("activities:enrol_activity", kwargs={"pk": sport.pk})).status_code == 404
    # ... but their own: yes, from the activity's side with a participant search.
    url = reverse("activities:enrol_activity", kwargs={"pk": course.pk})
    assert "Nahom Tesfay" not in client.get(url, {"zoek": "samira"}).content.decode()
    response = client.post(url, {"participant": world.participant.pk, "start_date": this_monday().isoformat(),
                                 "status": "actief"})
    assert response.status_code == 302 and Enrolment.objects.get().enrolled_by == world.taaldocent
    # A begeleider of an organisation not involved in the trajectory: 404.
    assert client_for(world.begeleider).get(enrol_url(world.participant)).status_code == 404


def test_a_regisseur_enrols_only_their_own_participants_in_another_providers_activity(world, client_for, course):
    partner_only = ParticipantFactory(name="Alleen Partner", regie_organisation=world.andere_gemeente)
    MembershipFactory(participant=partner_only, organisation=world.gemeente, added_by=world.andere_regisseur)
    page = client_for(world.regisseur).get(reverse("activities:enrol_activity", kwargs={"pk": course.pk}))
    assert "Nahom Tesfay" in page.content.decode() and "Alleen Partner" not in page.content.decode()


def test_status_transitions(world, client_for, course):
    e = make_enrolment(world.participant, course, world.taaldocent, start=this_monday(), status="aangemeld")
    client = client_for(world.regisseur)
    url = reverse("activities:enrolment_status", kwargs={"pk": e.pk})
    assert client.post(url, {"status": "actief"}).status_code == 302
    e.refresh_from_db()
    assert e.status == "actief" and e.end_date is None
    # Dropout needs a reason code.
    response = client.post(url, {"status": "uitgevallen", "on": timezone.localdate().isoformat()})
    assert "Kies een reden van uitval" in response.content.decode()
    # An end before the start is refused.
    response = client.post(url, {"status": "uitgevallen", "reason": "zorgtaken",
                                 "on": (this_monday() - timedelta(days=1)).isoformat()})
    assert "ligt vóór de start" in response.content.decode()
    on = this_monday() + timedelta(days=2)
    response = client.post(url, {"status": "uitgevallen", "reason": "financiele_zorgen", "note": "Bang voor toeslagen",
                                 "on": on.isoformat()})
    assert response.status_code == 302
    e.refresh_from_db()
    assert (e.status, e.dropout_reason, e.dropout_note, e.end_date) == (
        "uitgevallen", "financiele_zorgen", "Bang voor toeslagen", on)
    assert AuditEvent.objects.filter(action="wijzigen", detail__contains="actief → uitgevallen").exists()
    # Final: no more changes.
    assert client.get(url).status_code == 302
    with pytest.raises(ValidationError):
        services.change_status(world.regisseur, e, grant_for(world.regisseur, world.participant), "actief")


def test_completing_sets_the_end_date(world, client_for, course):
    e = make_enrolment(world.participant, course, world.taaldocent, start=this_monday(), status="actief")
    response = client_for(world.taaldocent).post(
        reverse("activities:enrolment_status", kwargs={"pk": e.pk}),
        {"status": "afgerond", "on": (this_monday() + timedelta(days=4)).isoformat()},
    )
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.status == "afgerond" and e.end_date == this_monday() + timedelta(days=4)
    response = client_for(world.taaldocent).post(
        reverse("activities:enrolment_status", kwargs={"pk": e.pk}), {"status": "actief"})
    assert response.status_code == 302 and Enrolment.objects.get().status == "afgerond"


def test_enrolment_pages_are_hidden_from_other_organisations(world, client_for, course):
    e = make_enrolment(world.participant, course, world.taaldocent)
    other_provider = OrganisationFactory(name="Taalschool Noord", kind=OrganisationKind.TAALAANBIEDER)
    stranger = make_user(other_provider, Role.TAALDOCENT, username="noord")
    for user in (world.andere_regisseur, stranger):
        client = client_for(user)
        assert client.get(reverse("activities:participant_enrolments", kwargs={"pk": world.participant.pk})
                          ).status_code == 404
        assert client.get(reverse("activities:enrolment_status", kwargs={"pk": e.pk})).status_code == 404
        assert client.post(reverse("activities:enrolment_status", kwargs={"pk": e.pk}),
                           {"status": "afgerond"}).status_code == 404
    e.refresh_from_db()
    assert e.status == "actief"


def test_participant_enrolments_page_query_budget_and_audit(world, client_for, max_queries):
    for i in range(15):
        a = make_activity(world.taal, world.taaldocent, title=f"Cursus {i}", slots=[(i % 5, "09:00", "10:00")])
        make_enrolment(world.participant, a, world.taaldocent, status="uitgevallen" if i % 3 else "actief",
                       dropout_reason="motivatie" if i % 3 else "")
    client = client_for(world.regisseur)
    with max_queries(10):
        page = client.get(reverse("activities:participant_enrolments", kwargs={"pk": world.participant.pk}))
    assert page.status_code == 200 and "Cursus 14" in page.content.decode()
    with max_queries(14):
        assert client.get(reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})
                          ).status_code == 200
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, detail="Activiteiten bekeken").exists()


# --- choosing the group (issue 12) -------------------------------------------------------------------------


def test_the_enrolment_form_offers_the_activitys_groups_and_keeps_the_choice(world, client_for, course):
    from koers.activities.models import Group

    ochtend = Group.objects.create(activity=course, name="Groep ochtend", created_by=world.taaldocent)
    Group.objects.create(activity=course, name="Groep middag", created_by=world.taaldocent)
    other = make_activity(world.taal, world.taaldocent, title="Schrijven", slots=[(4, "09:00", "11:00")])
    elders = Group.objects.create(activity=other, name="Groep vrijdag", created_by=world.taaldocent)
    client = client_for(world.regisseur)
    page = client.get(enrol_url(world.participant)).content.decode()
    assert 'name="group"' in page and "Groep ochtend" in page and '<optgroup label="NT2 Basis">' in page
    # A group of another activity: a Dutch message next to the field, nothing saved.
    response = post_enrol(client, world.participant, course, group=elders.pk)
    assert response.status_code == 200
    assert "hoort niet bij ‘NT2 Basis’" in response.content.decode() and not Enrolment.objects.exists()
    response = post_enrol(client, world.participant, course, group=999999)
    assert "Kies een groep uit de lijst" in response.content.decode()
    assert not Enrolment.objects.exists()
    # The chosen group, not the one with the most room (both are empty: that would be "Groep middag").
    assert post_enrol(client, world.participant, course, group=ochtend.pk).status_code == 302
    assert Enrolment.objects.get().group == ochtend
    # From the activity's side only that activity's groups.
    page = client_for(world.taaldocent).get(reverse("activities:enrol_activity", kwargs={"pk": other.pk}))
    assert "Groep vrijdag" in page.content.decode() and "Groep middag" not in page.content.decode()


def test_no_group_field_without_groups_and_an_empty_choice_picks_the_roomiest(world, client_for, course):
    from koers.activities.models import Group

    client = client_for(world.regisseur)
    assert 'name="group"' not in client.get(enrol_url(world.participant)).content.decode()
    full = Group.objects.create(activity=course, name="A volle groep", created_by=world.taaldocent)
    room = Group.objects.create(activity=course, name="B ruime groep", created_by=world.taaldocent)
    course.max_group_size = 1
    course.save()
    make_enrolment(ParticipantFactory(regie_organisation=world.gemeente), course, world.taaldocent, group=full)
    response = post_enrol(client, world.participant, course, group=full.pk)
    assert "De groep ‘A volle groep’ is vol (1 deelnemers)" in response.content.decode()
    assert not Enrolment.objects.filter(participant=world.participant).exists()
    assert post_enrol(client, world.participant, course).status_code == 302
    assert Enrolment.objects.get(participant=world.participant).group == room


def test_the_service_refuses_a_group_of_another_activity(world, course, sport):
    from koers.activities.models import Group

    elders = Group.objects.create(activity=sport, name="Sportgroep", created_by=world.regisseur)
    with pytest.raises(ValidationError) as exc:
        services.enrol(world.regisseur, world.participant, grant_for(world.regisseur, world.participant), course,
                       start=this_monday(), end=None, group=elders)
    assert "group" in exc.value.message_dict and not Enrolment.objects.exists()
