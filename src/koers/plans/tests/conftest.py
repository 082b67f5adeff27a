"""Plan fixtures on top of the shared ``world``: a participant with a signed PIP (version 1) that has a
work goal, a mental-health goal and an agreement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from koers.core import access
from koers.core.codes import ActionStatus, LifeDomain
from koers.plans.models import PlanKind, SignMethod
from koers.plans.services import plans as services


def grant(user, participant):
    return access.grant_for(user, participant)


def draft_with_content(world, plan_date: date | None = None):
    """Version 1 as a concept with two goals (work, mental health), a step each and an agreement."""
    p, user = world.participant, world.regisseur
    g = grant(user, p)
    plan_date = plan_date or timezone.localdate() - timedelta(days=30)
    v = services.start_plan(user, p, g, kind=PlanKind.PIP, plan_date=plan_date,
                            long_term_goal="Werken als elektricien en zelfstandig wonen")
    work = services.save_goal(user, p, g, v.pk, 1, services.GoalData(
        domain=LifeDomain.PARTICIPATIE, title="Werkervaring opdoen in de techniek",
        due_date=plan_date + timedelta(days=180), next_goal="Betaald werk als monteur"))
    health = services.save_goal(user, p, g, v.pk, 2, services.GoalData(
        domain=LifeDomain.GEESTELIJKE_GEZONDHEID, title="Beter slapen met hulp van de huisarts"))
    services.save_step(user, p, g, v.pk, 3, work.pk, services.StepData(
        description="Bedrijfsbezoek bij installatiebedrijf", owner_organisation=world.gemeente,
        owner_user=world.regisseur, due_date=plan_date + timedelta(days=40), status=ActionStatus.OPEN))
    services.save_step(user, p, g, v.pk, 4, health.pk, services.StepData(
        description="Afspraak bij de praktijkondersteuner GGZ", owner_organisation=world.gemeente,
        owner_user=None, due_date=plan_date + timedelta(days=20), status=ActionStatus.OPEN))
    services.save_agreement(user, p, g, v.pk, 5, "Nahom meldt zich af bij de taalschool als hij ziek is.")
    v.refresh_from_db()
    return v


def sign(world, version, on: date | None = None):
    return services.sign(world.regisseur, world.participant, grant(world.regisseur, world.participant), version.pk,
                         version.revision, method=SignMethod.SCREEN, signed_on=on or timezone.localdate(),
                         participant_signed=True)


@pytest.fixture
def signed_plan(world):
    return sign(world, draft_with_content(world))


@pytest.fixture
def draft_plan(world):
    return draft_with_content(world)
