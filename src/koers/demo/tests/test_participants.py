"""``koers demo``: idempotent, the four case journeys, and the access rules visible in the demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.casework.models import ActionItem
from koers.core.access import grant_for, visible_participants
from koers.core.codes import Category, LifeDomain, OrganisationKind, Role
from koers.core.models import Organisation, User, UserRole
from koers.demo.participants import CASE_NAMES, EXTRA_PARTICIPANTS, OTHER_MUNICIPALITY_PARTICIPANTS
from koers.demo.world import DEMO_PASSWORD, STAFF, demo_logins
from koers.participants.models import (
    Intake,
    IntakeDomain,
    LanguageAssessment,
    Membership,
    Participant,
    ParticipantBarrier,
    ParticipantChange,
    WorkExperience,
)

MODELS = [
    Organisation,
    User,
    UserRole,
    Participant,
    Membership,
    LanguageAssessment,
    WorkExperience,
    ParticipantBarrier,
    ParticipantChange,
    Intake,
    IntakeDomain,
    ActionItem,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="KOERS_DEMO=1"):
        call_command("demo", stdout=StringIO())
    assert Participant.objects.count() == 0


def test_runs_in_demo_mode_and_prints_the_logins(db, settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for login in demo_logins():
        assert login.username in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000" in text


def test_running_twice_changes_nothing(demo):
    first = counts()
    out = StringIO()
    call_command("demo", "--force", stdout=out)
    assert counts() == first
    assert "niets gewijzigd" in out.getvalue()
    # + 2: Heba's husband (HEBA_PARTNER), linked with her as one household, and Olena Kovalenko, the Ukrainian
    # participant of Mijn Koers (demo/portal.py).
    assert first["Participant"] == len(CASE_NAMES) + EXTRA_PARTICIPANTS + OTHER_MUNICIPALITY_PARTICIPANTS + 2


def test_heba_and_her_husband_are_one_household_shown_on_her_page(demo, client_for):
    """Issue 12 ("one family, one plan"): the demo had no household; Heba and her husband are linked, and the
    regisseur who directs both sees his trajectory on Heba's page."""
    from django.urls import reverse

    from koers.demo.participants import HEBA_PARTNER

    heba = Participant.objects.get(name="Heba Khatib")
    rami = Participant.objects.get(name=HEBA_PARTNER["name"])
    assert heba.household_id is not None and rami.household_id == heba.household_id
    assert rami.regisseur_id == heba.regisseur_id and rami.street == heba.street
    client = client_for(heba.regisseur)
    page = client.get(reverse("participants:detail", kwargs={"pk": heba.pk})).content.decode()
    assert "Huishouden" in page and "Gekoppeld aan gezinsleden in Koers." in page
    page = client.get(reverse("participants:household", kwargs={"pk": heba.pk})).content.decode()
    assert HEBA_PARTNER["name"] in page


def test_restores_a_changed_demo_password(demo):
    taaldocent = user("taaldocent")
    taaldocent.set_password("iets-anders-gekozen")
    taaldocent.save()
    call_command("demo", "--force", stdout=StringIO())
    taaldocent.refresh_from_db()
    assert taaldocent.check_password(DEMO_PASSWORD)


def test_every_role_has_a_login_with_the_demo_password(demo):
    assert set(UserRole.objects.values_list("role", flat=True)) == set(Role.values)
    assert UserRole.objects.filter(role=Role.REGISSEUR, user__organisation__name="Gemeente Rivierstad").count() == 2
    assert [row.username for row in demo_logins()] == [spec.username for spec in STAFF]
    assert user("regisseur").check_password(DEMO_PASSWORD)
    assert user("taaldocent").organisation.kind == OrganisationKind.TAALAANBIEDER
    assert user("jobcoach").organisation.kind == OrganisationKind.SOCIAAL_ONDERNEMER


def test_the_four_case_journeys_have_a_full_file(demo):
    for name in CASE_NAMES:
        participant = Participant.objects.get(name=name)
        assert participant.regie_organisation.name == "Gemeente Rivierstad"
        intake = participant.intakes.get()
        assert intake.status == "afgerond"
        assert {d.domain for d in intake.domains.all()} == set(LifeDomain.values)
        assert all(d.situation for d in intake.domains.all())
        assert participant.work_history.exists()
        assert participant.changes.exists()
        assert participant.action_items.exists()
        # The current levels are the newest assessment per skill; earlier assessments were lower or equal.
        for skill in ("spreken", "luisteren", "lezen", "schrijven"):
            history = list(participant.language_assessments.filter(skill=skill).order_by("tested_on"))
            assert len(history) >= 3
            assert history[-1].level == participant.level(skill)
            assert history[0].level <= history[-1].level  # A0 < A1 < A2 < B1 < B2 as strings too
        assert participant.memberships.filter(organisation__kind=OrganisationKind.TAALAANBIEDER).exists()
        assert participant.memberships.filter(organisation__kind=OrganisationKind.MAATSCHAPPELIJK).exists()


def test_action_items_include_overdue_and_done(demo):
    items = list(ActionItem.objects.filter(participant__name__in=CASE_NAMES))
    assert any(item.is_overdue for item in items)
    assert any(item.status == "afgerond" and item.completed_at for item in items)
    assert any(item.status == "open" and not item.is_overdue for item in items)


def test_taaldocent_sees_exactly_the_active_language_memberships(demo):
    docent = user("taaldocent")
    active = set(
        Membership.objects.active().filter(organisation=docent.organisation).values_list("participant_id", flat=True)
    )
    ended = set(
        Membership.objects.filter(organisation=docent.organisation, ended_at__isnull=False).values_list(
            "participant_id", flat=True
        )
    )
    assert ended - active, "the demo should contain an ended language membership"
    visible = set(visible_participants(docent).values_list("pk", flat=True))
    assert visible == active
    assert set(Participant.objects.filter(name__in=CASE_NAMES).values_list("pk", flat=True)) <= visible
    assert EXTRA_PARTICIPANTS / 4 < len(visible) < EXTRA_PARTICIPANTS / 2 + len(CASE_NAMES)


def test_participants_of_the_other_municipality_are_invisible(demo):
    heuvelrand = set(
        Participant.objects.filter(regie_organisation__name="Gemeente Heuvelrand").values_list("pk", flat=True)
    )
    assert len(heuvelrand) == OTHER_MUNICIPALITY_PARTICIPANTS
    for username in ("regisseur", "taaldocent", "begeleider", "bruggenbouwer", "jobcoach"):
        assert not heuvelrand & set(visible_participants(user(username)).values_list("pk", flat=True)), username
    assert set(visible_participants(user("heuvelrand")).values_list("pk", flat=True)) == heuvelrand


def test_health_data_is_visible_only_where_consent_covers_it(demo):
    heba = Participant.objects.get(name="Heba Khatib")
    assert heba.barriers.filter(code="psychische_gezondheid").exists()
    consent = heba.memberships.get(organisation__kind=OrganisationKind.SOCIAAL_ONDERNEMER)
    assert consent.legal_basis == "toestemming" and consent.consent_date
    assert Category.SPECIAL in consent.scope_set
    assert grant_for(user("regisseur"), heba).can_see(Category.SPECIAL)
    assert grant_for(user("jobcoach"), heba).can_see(Category.SPECIAL)
    taal = grant_for(user("taaldocent"), heba)
    assert taal.can_see(Category.LANGUAGE) and not taal.can_see(Category.SPECIAL)
    assert not taal.can_see(Category.INCOME)
    assert not grant_for(user("bruggenbouwer"), heba).can_see(Category.SPECIAL)
