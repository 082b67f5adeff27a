"""Enrolling a participant in a partner's activity involves that partner (issue 12, break 3): the provider gets
access on the trajectory's legal basis, the participant is put in a group and appears on the attendance list, so
the teacher can open their attendance; the same for another municipality's participant in a shared course (each
municipality still sees only its own); ending the enrolment or closing the trajectory takes them off later lists."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.activities.models import Enrolment, Group, Session
from koers.activities.queries import attendance as attendance_queries
from koers.activities.services import activities as services
from koers.activities.tests.test_attendance import make_activity
from koers.core import access
from koers.core.codes import Category, LegalBasis, OrganisationKind, Phase, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import OrganisationFactory, ParticipantFactory, make_user
from koers.participants.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(world):
    """A language provider the participant has nothing to do with yet, with a teacher and a group course whose
    session is today."""
    world.centre = OrganisationFactory(name="Taalcentrum Oost", kind=OrganisationKind.TAALAANBIEDER)
    world.teacher = make_user(world.centre, Role.TAALDOCENT, username="tessa", first_name="Tessa")
    today = timezone.localdate()
    world.course = make_activity(world.centre, world.teacher, title="NT2 naar A2", is_published=True,
                                 slots=((today.weekday(), time(9), time(12)),), max_group_size=2)
    world.group_a = Group.objects.create(activity=world.course, name="Groep A", created_by=world.teacher)
    world.group_b = Group.objects.create(activity=world.course, name="Groep B", created_by=world.teacher)
    world.sessions = [
        Session.objects.create(activity=world.course, group=g, date=today, start_time=time(9), end_time=time(12))
        for g in (world.group_a, world.group_b)
    ]
    return world


def attendance_url(p):
    return reverse("activities:participant_attendance", kwargs={"pk": p.pk})


def enrol_by_post(client, participant, activity):
    return client.post(reverse("activities:enrol", kwargs={"pk": participant.pk}), {
        "activity": activity.pk, "start_date": activity.start_date.isoformat(), "end_date": "", "status": "actief",
    })


def on_register(user, session):
    return [r.participant.pk for r in attendance_queries.register_for(user, session).rows]


def test_enrolling_in_a_partners_course_involves_the_partner(centre, client_for):
    w = centre
    assert client_for(w.teacher).get(attendance_url(w.participant)).status_code == 404
    response = enrol_by_post(client_for(w.regisseur), w.participant, w.course)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(activity=w.course)
    membership = enrolment.membership
    assert (membership.organisation, membership.legal_basis) == (w.centre, LegalBasis.WETTELIJKE_TAAK)
    assert membership.scope_set == {Category.IDENTITY, Category.TRAJECTORY, Category.LANGUAGE}
    assert membership.is_active and "NT2 naar A2" in membership.purpose
    assert AuditEvent.objects.filter(participant_id=w.participant.pk, action=AuditAction.GRANT,
                                     detail__startswith="Taalcentrum Oost betrokken door inschrijving").exists()
    # In a group (the first with room), on that group's attendance list, and the teacher opens the attendance.
    assert enrolment.group == w.group_a
    assert on_register(w.teacher, w.sessions[0]) == [w.participant.pk]
    assert client_for(w.teacher).get(attendance_url(w.participant)).status_code == 200
    # The grant stays within the activity's needs: no work or income data.
    grant = access.grant_for(w.teacher, w.participant)
    assert grant.read == {Category.IDENTITY, Category.TRAJECTORY, Category.LANGUAGE}
    # The participant's access page lists the provider.
    page = client_for(w.regisseur).get(reverse("participants:access", kwargs={"pk": w.participant.pk}))
    assert "Taalcentrum Oost" in page.content.decode()


def test_groups_fill_evenly_and_no_group_when_all_are_full(centre):
    w = centre
    grant = access.grant_for(w.regisseur, w.participant)
    people = [w.participant] + [ParticipantFactory(regie_organisation=w.gemeente, regisseur=w.regisseur)
                                for _ in range(4)]
    groups = []
    for p in people:
        e = services.enrol(w.regisseur, p, access.grant_for(w.regisseur, p), w.course, start=w.course.start_date,
                           end=None, status="actief", conflict_override="-", requirement_override="-")
        groups.append(e.group.name if e.group else None)
    assert groups == ["Groep A", "Groep B", "Groep A", "Groep B", None]
    assert grant.is_regisseur
    # One membership per participant, none twice.
    assert Membership.objects.filter(organisation=w.centre).count() == 5


def test_another_municipality_enrols_its_own_participant_in_the_shared_course(centre, client_for):
    w = centre
    enrol_by_post(client_for(w.regisseur), w.participant, w.course)
    response = enrol_by_post(client_for(w.andere_regisseur), w.other_participant, w.course)
    assert response.status_code == 302
    theirs = Enrolment.objects.get(participant=w.other_participant)
    assert theirs.membership.organisation == w.centre
    # The provider sees both, each through its own membership; each municipality only its own.
    registered = on_register(w.teacher, w.sessions[0]) + on_register(w.teacher, w.sessions[1])
    assert sorted(registered) == sorted([w.participant.pk, w.other_participant.pk])
    assert client_for(w.teacher).get(attendance_url(w.other_participant)).status_code == 200
    assert client_for(w.andere_regisseur).get(attendance_url(w.participant)).status_code == 404
    assert client_for(w.regisseur).get(attendance_url(w.other_participant)).status_code == 404
    assert not access.visible_participants(w.andere_regisseur).filter(pk=w.participant.pk).exists()


def test_another_municipality_cannot_enrol_our_participant(centre, client_for):
    w = centre
    response = enrol_by_post(client_for(w.andere_regisseur), w.participant, w.course)
    assert response.status_code == 404
    assert not Enrolment.objects.exists() and not Membership.objects.filter(organisation=w.centre).exists()


def test_ending_the_enrolment_ends_the_providers_access_after_the_grace_period(centre, client_for):
    w = centre
    enrol_by_post(client_for(w.regisseur), w.participant, w.course)
    enrolment = Enrolment.objects.get(activity=w.course)
    today = timezone.localdate()
    services.change_status(w.regisseur, enrolment, access.grant_for(w.regisseur, w.participant), "afgerond",
                           on=today)
    membership = Membership.objects.get(pk=enrolment.membership_id)
    assert membership.valid_until == today + dt.timedelta(days=access.ENROLMENT_GRACE_DAYS)
    # Still reachable for the last registration, but no longer expected at a later session.
    later = Session.objects.create(activity=w.course, group=w.group_a, date=today + dt.timedelta(days=7),
                                   start_time=time(9), end_time=time(12))
    assert on_register(w.teacher, later) == []
    assert client_for(w.teacher).get(attendance_url(w.participant)).status_code == 200
    # After the grace period the teacher gets a 404.
    Membership.objects.filter(pk=membership.pk).update(valid_until=today - dt.timedelta(days=1))
    assert client_for(w.teacher).get(attendance_url(w.participant)).status_code == 404


def test_a_closed_participant_no_longer_appears_on_attendance_lists(centre, client_for):
    w = centre
    enrol_by_post(client_for(w.regisseur), w.participant, w.course)
    assert on_register(w.teacher, w.sessions[0]) == [w.participant.pk]
    w.participant.phase = Phase.AFGESLOTEN
    w.participant.save()
    assert on_register(w.teacher, w.sessions[0]) == []
    assert attendance_queries.expected_enrolments(w.sessions[0]).count() == 0
