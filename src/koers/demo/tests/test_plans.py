"""``koers demo``: the case journeys' plans in versions, the health goal's visibility and the leerroute signals
(``koers.demo.plans``)."""

from __future__ import annotations

import pytest

from koers.core.access import grant_for
from koers.core.codes import LifeDomain
from koers.core.models import User
from koers.demo.participants import CASE_NAMES
from koers.participants.models import Participant
from koers.plans.models import ComponentProgress, PlanKind, RouteSwitch, SwitchStatus, VersionStatus
from koers.plans.queries import plans as queries
from koers.plans.rules import leerroute as rules
from koers.plans.rules.diff import diff_versions


@pytest.fixture
def demo(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def user(username: str) -> User:
    return User.objects.get(username=username)


def case(preferred: str) -> Participant:
    return Participant.objects.get(preferred_name=preferred, name__in=CASE_NAMES)


def test_every_case_journey_has_a_signed_plan_with_goals_steps_and_agreements(demo):
    for name in CASE_NAMES:
        participant = Participant.objects.get(name=name)
        current = rules.current_version(participant)
        assert current.status == VersionStatus.SIGNED and current.kind in (PlanKind.PIP, PlanKind.TOEKOMSTPLAN)
        assert current.signed_by_participant and current.signed_by == participant.regisseur
        assert current.long_term_goal
        goals = list(current.goals.all())
        assert len({g.domain for g in goals}) >= 2 and all(g.steps.exists() for g in goals)
        assert current.agreements.exists()
        assert ComponentProgress.objects.filter(participant=participant).count() == 2
        # The PIP was signed in time: the deadline is done, not overdue.
        pip = next(d for d in rules.deadlines(participant) if d.code == "pip")
        assert pip.done and "na de termijn" not in pip.explanation
    # Step owners: the municipality, the language provider, the re-integration company and the participant.
    nahom = rules.current_version(case("Nahom"))
    steps = [s for g in nahom.goals.all() for s in g.steps.all()]
    assert {s.owner_organisation.name for s in steps} >= {
        "Gemeente Rivierstad", "Taalcentrum Rivierland", "Werkkracht Re-integratie"}
    assert any(s.owner_user is None for s in steps)


def test_nahom_has_two_signed_versions_that_compare(demo):
    nahom = case("Nahom")
    versions = list(nahom.plan_versions.order_by("number"))
    assert [v.status for v in versions] == [VersionStatus.SIGNED, VersionStatus.SIGNED]
    assert versions[0].signed_on < versions[1].signed_on
    grant = grant_for(user("regisseur"), nahom)
    old, new = (queries.get_version_or_404(nahom, grant, v.number) for v in versions)
    diff = diff_versions(old, new, grant.read)
    assert diff.counts["gewijzigd"] and diff.counts["toegevoegd"]
    assert any(c.what == "Doel" and c.kind == "gewijzigd" and any(f[0] == "doel" for f in c.fields)
               for c in diff.changes)


def test_heba_has_a_concept_version_two(demo):
    heba = case("Heba")
    statuses = dict(heba.plan_versions.values_list("number", "status"))
    assert statuses == {1: VersionStatus.SIGNED, 2: VersionStatus.CONCEPT}
    draft = heba.plan_versions.get(number=2)
    assert draft.based_on.number == 1 and draft.edits.count() == draft.revision


def test_hebas_health_goal_only_for_the_regisseur_and_the_organisation_with_consent(demo):
    heba = case("Heba")

    def domains(username):
        grant = grant_for(user(username), heba)
        page = queries.plan_page(heba, grant)
        special = {d.code for d in page["deadlines"] if d.category == "bijzonder"}
        return {g.domain for g in page["version"].goals.all()}, special

    for username in ("regisseur", "jobcoach"):
        goals, special = domains(username)
        assert LifeDomain.GEESTELIJKE_GEZONDHEID in goals and special
    for username in ("taaldocent", "maatschappelijk"):
        goals, special = domains(username)
        assert LifeDomain.GEESTELIJKE_GEZONDHEID not in goals and not special
        assert LifeDomain.COMMUNICATIE_TAAL in goals


def test_leerroute_signals_of_the_demo(demo):
    regisseur = user("regisseur")
    statuses = {}
    for p in Participant.objects.filter(regisseur=regisseur, integration__isnull=False).exclude(name__in=CASE_NAMES):
        pip = next((d for d in rules.deadlines(p) if d.code == "pip"), None)
        if pip and not pip.done:
            statuses[pip.status] = p
    assert set(statuses) == {rules.SOON, rules.OVERDUE}
    pending = RouteSwitch.objects.get(status=SwitchStatus.AANGEVRAAGD)
    assert pending.needs_approval and pending.participant.name not in CASE_NAMES
    assert pending.participant.regisseur == regisseur
    nabil = case("Nabil")
    switch = RouteSwitch.objects.get(participant=nabil)
    assert switch.status == SwitchStatus.GOEDGEKEURD and nabil.learning_route == switch.to_route
    assert nabil.changes.filter(field="learning_route").exists()
