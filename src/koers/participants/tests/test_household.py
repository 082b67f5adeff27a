"""One family, one plan (issue 12, break 12): the regie links participants of one household; who sees a member is
still decided per member."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.core.codes import Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import Household, Participant

pytestmark = pytest.mark.django_db


def page(pk):
    return reverse("participants:household", kwargs={"pk": pk})


@pytest.fixture
def family(world):
    world.husband = ParticipantFactory(name="Omar Tesfay", regie_organisation=world.gemeente,
                                       regisseur=world.regisseur)
    return world


def test_the_regisseur_links_husband_and_wife_and_sees_them_side_by_side(family, client_for):
    w = family
    client = client_for(w.regisseur)
    html = client.get(page(w.participant.pk), {"q": "omar"}).content.decode()
    assert "Omar Tesfay" in html and "Koppelen" in html
    response = client.post(page(w.participant.pk), {"other": w.husband.pk})
    assert response.status_code == 302
    w.participant.refresh_from_db()
    w.husband.refresh_from_db()
    assert w.participant.household_id and w.participant.household_id == w.husband.household_id
    html = client.get(page(w.husband.pk)).content.decode()
    assert reverse("participants:detail", kwargs={"pk": w.participant.pk}) in html  # from his page, hers
    assert AuditEvent.objects.filter(participant_id=w.participant.pk, action=AuditAction.VIEW,
                                     detail="Huishouden", user=w.regisseur).exists()
    # The dossier says so and leads there.
    detail = client.get(reverse("participants:detail", kwargs={"pk": w.participant.pk})).content.decode()
    assert "Gezinsleden bekijken" in detail
    # Taking him out again: a household of one is no household.
    client.post(reverse("participants:household_leave", kwargs={"pk": w.husband.pk}))
    w.participant.refresh_from_db()
    assert w.participant.household_id is None and not Household.objects.exists()


def test_a_partner_sees_only_the_members_it_may_see_and_cannot_link(family, client_for):
    w = family
    client_for(w.regisseur).post(page(w.participant.pk), {"other": w.husband.pk})
    # The language provider is involved with Nahom only: the husband is not mentioned to them at all.
    html = client_for(w.taaldocent).get(page(w.participant.pk)).content.decode()
    assert "Omar Tesfay" not in html and "Gezinslid koppelen" not in html
    # Not even that there is a household: the page and the dossier read as for someone never linked.
    assert "Geen gezinsleden in Koers die u mag inzien." in html
    detail = client_for(w.taaldocent).get(reverse("participants:detail", kwargs={"pk": w.participant.pk}))
    assert "Gezinsleden bekijken" not in detail.content.decode()
    before = Participant.objects.filter(household__isnull=False).count()
    other = ParticipantFactory(name="Ander Kind", regie_organisation=w.gemeente, regisseur=w.regisseur)
    MembershipFactory(participant=other, organisation=w.taal, added_by=w.regisseur)
    assert client_for(w.taaldocent).post(page(w.participant.pk), {"other": other.pk}).status_code == 404
    assert Participant.objects.filter(household__isnull=False).count() == before
    # Once the provider is involved with him too, he is shown next to her.
    MembershipFactory(participant=w.husband, organisation=w.taal, added_by=w.regisseur)
    assert "Omar Tesfay" in client_for(w.taaldocent).get(page(w.participant.pk)).content.decode()


@pytest.mark.parametrize("other", ["other_participant", "self", "junk"])
def test_linking_to_another_municipality_oneself_or_junk_is_a_plain_error(family, client_for, other):
    w = family
    value = {"other_participant": w.other_participant.pk, "self": w.participant.pk, "junk": "1 OR 1=1"}[other]
    response = client_for(w.regisseur).post(page(w.participant.pk), {"other": value})
    assert response.status_code == 200
    assert "Kies een andere deelnemer van uw gemeente." in response.content.decode()
    assert not Household.objects.exists()


def test_two_families_linked_become_one(family, client_for):
    w = family
    client = client_for(w.regisseur)
    child = ParticipantFactory(name="Sara Tesfay", regie_organisation=w.gemeente, regisseur=w.regisseur)
    aunt = ParticipantFactory(name="Lina Tesfay", regie_organisation=w.gemeente, regisseur=w.regisseur)
    client.post(page(w.participant.pk), {"other": w.husband.pk})
    client.post(page(child.pk), {"other": aunt.pk})
    client.post(page(w.participant.pk), {"other": child.pk})
    ids = set(Participant.objects.filter(household__isnull=False).values_list("household_id", flat=True))
    assert len(ids) == 1 and Household.objects.count() == 1
    assert Participant.objects.filter(household_id=ids.pop()).count() == 4


def test_another_regisseur_of_the_municipality_cannot_link_my_participants(family, client_for):
    w = family
    colleague = make_user(w.gemeente, Role.BEGELEIDER, username="coach")
    assert client_for(colleague).post(page(w.participant.pk), {"other": w.husband.pk}).status_code == 404
    assert not Household.objects.exists()
