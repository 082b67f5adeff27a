"""The access policy: who sees which participant and which data categories. Hidden is 404, never 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.core import access
from koers.core.codes import Barrier, BarrierStatus, Category, LegalBasis, OrganisationKind, Role
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user
from koers.participants.models import Membership, ParticipantBarrier

pytestmark = pytest.mark.django_db


def detail(p):
    return reverse("participants:detail", kwargs={"pk": p.pk})


def test_regisseur_sees_own_municipality_not_the_other(world):
    visible = set(access.visible_participants(world.regisseur))
    assert world.participant in visible
    assert world.other_participant not in visible


def test_other_municipality_gets_404_on_every_participant_page(world, client_for):
    client = client_for(world.andere_regisseur)
    pk = world.participant.pk
    for name in ["detail", "history", "access", "audit", "audit_csv", "add_assessment", "add_work_experience"]:
        assert client.get(reverse(f"participants:{name}", kwargs={"pk": pk})).status_code == 404, name
    edit = reverse("participants:edit_section", kwargs={"pk": pk, "section": "identiteit"})
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"name": "Overgenomen"}).status_code == 404
    world.participant.refresh_from_db()
    assert world.participant.name == "Nahom Tesfay"


def test_language_provider_sees_only_identity_trajectory_and_language(world):
    grant = access.grant_for(world.taaldocent, world.participant)
    assert grant.read == {Category.IDENTITY, Category.TRAJECTORY, Category.LANGUAGE}
    assert grant.write == {Category.LANGUAGE}
    assert not grant.special
    assert not grant.can_manage_access


def test_language_provider_never_sees_health_barriers_even_with_consent(world, client_for):
    world.membership.legal_basis = LegalBasis.TOESTEMMING
    world.membership.consent_date = timezone.localdate()
    world.membership.scope = Membership.scope_value(access.ALL_CATEGORIES)
    world.membership.save()
    world.participant.barrier_status = BarrierStatus.WEL
    world.participant.save()
    ParticipantBarrier.objects.create(participant=world.participant, code=Barrier.PSYCHISCHE_GEZONDHEID)
    ParticipantBarrier.objects.create(participant=world.participant, code=Barrier.KINDEROPVANG)

    page = client_for(world.taaldocent).get(detail(world.participant)).content.decode()
    assert "Geen kinderopvang" in page
    assert "Psychische gezondheid" not in page

    page = client_for(world.regisseur).get(detail(world.participant)).content.decode()
    assert "Psychische gezondheid" in page


def test_special_category_needs_consent_not_a_legal_task(world):
    m = MembershipFactory(
        participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
        legal_basis=LegalBasis.WETTELIJKE_TAAK, scope=Membership.scope_value(access.ALL_CATEGORIES),
    )
    assert not access.grant_for(world.begeleider, world.participant).special
    m.legal_basis = LegalBasis.TOESTEMMING
    m.consent_date = timezone.localdate()
    m.save()
    grant = access.grant_for(world.begeleider, world.participant)
    assert grant.special
    assert Category.INCOME in grant.read


def test_non_regisseur_at_the_municipality_does_not_see_special_data(world):
    accountmanager = make_user(world.gemeente, Role.ACCOUNTMANAGER)
    grant = access.grant_for(accountmanager, world.participant)
    assert Category.SPECIAL not in grant.read
    assert Category.INCOME not in grant.read
    assert Category.WORK in grant.read


def test_ending_membership_removes_access_at_once(world, client_for):
    client = client_for(world.taaldocent)
    assert client.get(detail(world.participant)).status_code == 200
    url = reverse("participants:end_membership", kwargs={"pk": world.participant.pk,
                                                         "membership_id": world.membership.pk})
    response = client_for(world.regisseur).post(url, {"reason": "Cursus afgerond"})
    assert response.status_code == 302
    client = client_for(world.taaldocent)
    assert client.get(detail(world.participant)).status_code == 404
    assert world.participant not in access.visible_participants(world.taaldocent)


def test_withdrawn_consent_takes_effect_immediately(world, client_for):
    vwn = OrganisationFactory(name="Steunpunt Nieuwkomers", kind=OrganisationKind.MAATSCHAPPELIJK)
    helper = make_user(vwn, Role.BEGELEIDER)
    m = MembershipFactory(participant=world.participant, organisation=vwn, added_by=world.regisseur,
                          legal_basis=LegalBasis.TOESTEMMING, consent_date=timezone.localdate(),
                          scope="identiteit traject bijzonder")
    assert access.grant_for(helper, world.participant).special
    client_for(world.regisseur).post(
        reverse("participants:end_membership", kwargs={"pk": world.participant.pk, "membership_id": m.pk}),
        {"reason": "Deelnemer trekt toestemming in", "withdrawn": "on"},
    )
    m.refresh_from_db()
    assert m.consent_withdrawn and m.ended_at is not None
    assert client_for(helper).get(detail(world.participant)).status_code == 404


def test_expired_and_future_memberships_give_no_access(world):
    today = timezone.localdate()
    world.membership.valid_until = today - timedelta(days=1)
    world.membership.save()
    assert world.participant not in access.visible_participants(world.taaldocent)
    world.membership.valid_until = None
    world.membership.valid_from = today + timedelta(days=3)
    world.membership.save()
    assert world.participant not in access.visible_participants(world.taaldocent)


def test_beheerder_and_onderzoeker_see_no_participants(world, client_for):
    onderzoeker = make_user(world.gemeente, Role.ONDERZOEKER)
    for user in (world.beheerder, onderzoeker):
        assert not access.visible_participants(user).exists()
        assert client_for(user).get(detail(world.participant)).status_code == 404
        assert client_for(user).get(reverse("participants:list")).status_code == 404


def test_inactive_organisation_loses_access(world):
    world.taal.is_active = False
    world.taal.save()
    world.taaldocent.refresh_from_db()
    assert not access.visible_participants(world.taaldocent).exists()


def test_visible_among_is_the_same_rule_as_visible_participants(world):
    """``visible_among`` decides on a short list what ``visible_participants`` decides by query: regie, or an
    active membership (not an ended or future one), nothing for roles without participants or a closed
    organisation."""
    today = timezone.localdate()
    ended = ParticipantFactory(name="Beëindigd", regie_organisation=world.gemeente)
    MembershipFactory(participant=ended, organisation=world.taal, added_by=world.regisseur,
                      valid_until=today - timedelta(days=1))
    future = ParticipantFactory(name="Later", regie_organisation=world.gemeente)
    MembershipFactory(participant=future, organisation=world.taal, added_by=world.regisseur,
                      valid_from=today + timedelta(days=2))
    people = [world.participant, world.other_participant, ended, future]
    for user in (world.regisseur, world.taaldocent, world.andere_regisseur, world.beheerder):
        among = access.visible_among(user, people)
        assert set(among) == {p.pk for p in access.visible_participants(user).filter(pk__in=[p.pk for p in people])}
        for pk, grant in among.items():
            assert grant == access.grant_for(user, next(p for p in people if p.pk == pk))
    world.taal.is_active = False
    world.taal.save()
    world.taaldocent.refresh_from_db()
    assert access.visible_among(world.taaldocent, people) == {}


def test_filter_cannot_reveal_a_hidden_category(world):
    """A partner whose scope lacks 'traject' cannot find participants by leerroute."""
    employer = OrganisationFactory(name="Bouwbedrijf Oost", kind=OrganisationKind.WERKGEVER)
    am = make_user(employer, Role.ACCOUNTMANAGER)
    world.participant.learning_route = "z"
    world.participant.save()
    MembershipFactory(participant=world.participant, organisation=employer, added_by=world.regisseur,
                      scope="identiteit werk")
    from koers.participants.queries.file import filter_participants

    assert list(filter_participants(am, {})) == [world.participant]
    assert list(filter_participants(am, {"leerroute": "z"})) == []
    assert list(filter_participants(world.regisseur, {"leerroute": "z"})) == [world.participant]


def test_non_numeric_or_unknown_id_is_404(world, client_for):
    client = client_for(world.regisseur)
    assert client.get("/deelnemers/999999/").status_code == 404
    other = ParticipantFactory(regie_organisation=world.andere_gemeente)
    assert client.get(detail(other)).status_code == 404
