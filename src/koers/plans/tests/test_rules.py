"""Leerroute rules and deadlines: the boundary days, approval after the window, the Z-route eindgesprek."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from koers.core.codes import LearningRoute, LifeDomain
from koers.core.models import MunicipalityPolicy
from koers.participants.models import Participant, ParticipantChange
from koers.plans.models import IntegrationRecord, RouteSwitch, SwitchStatus
from koers.plans.rules import leerroute as rules
from koers.plans.services import integration as services
from koers.plans.tests.conftest import draft_with_content, grant, sign

START = date(2025, 1, 31)


def _start(world, start=START):
    services.set_obligation_start(world.regisseur, world.participant, grant(world.regisseur, world.participant),
                                  start)


def _by_code(items):
    return {d.code: d for d in items}


def test_add_months_clamps_to_the_end_of_the_month():
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 8, 31), 18) == date(2026, 2, 28)
    assert rules.add_months(date(2025, 3, 15), 18) == date(2026, 9, 15)


class TestPipDeadline:
    def test_boundaries(self, world):
        _start(world)
        due = START + timedelta(weeks=10)
        p = Participant.objects.get(pk=world.participant.pk)
        assert _by_code(rules.deadlines(p, today=due - timedelta(days=15)))["pip"].status == rules.OK
        assert _by_code(rules.deadlines(p, today=due - timedelta(days=14)))["pip"].status == rules.SOON
        on_the_day = _by_code(rules.deadlines(p, today=due))["pip"]
        assert (on_the_day.due, on_the_day.status) == (due, rules.SOON)
        late = _by_code(rules.deadlines(p, today=due + timedelta(days=1)))["pip"]
        assert late.status == rules.OVERDUE
        assert "termijn is verstreken" in late.explanation and "10 weken" in late.explanation

    def test_follows_the_municipality_policy(self, world):
        MunicipalityPolicy.objects.create(organisation=world.gemeente, pip_due_weeks=8)
        _start(world)
        assert _by_code(rules.deadlines(world.participant))["pip"].due == START + timedelta(weeks=8)

    def test_met_when_a_pip_is_signed(self, world):
        _start(world, timezone.localdate() - timedelta(days=40))
        sign(world, draft_with_content(world, plan_date=timezone.localdate() - timedelta(days=5)))
        pip = _by_code(rules.deadlines(world.participant))["pip"]
        assert pip.done and "ondertekend op" in pip.explanation

    def test_no_obligation_start_no_legal_deadlines(self, world):
        assert "pip" not in _by_code(rules.deadlines(world.participant))


class TestSwitchWindow:
    def _switch(self, world, on, reason=""):
        return services.request_route_switch(world.begeleider_or_regisseur, world.participant,
                                             grant(world.begeleider_or_regisseur, world.participant),
                                             to_route=LearningRoute.Z, switch_on=on, reason=reason)

    @pytest.fixture(autouse=True)
    def _setup(self, world):
        world.begeleider_or_regisseur = world.regisseur
        Participant.objects.filter(pk=world.participant.pk).update(learning_route=LearningRoute.B1)
        world.participant.refresh_from_db()
        # The window ends about two weeks before today (switches may not lie far in the future).
        self.start = rules.add_months(timezone.localdate() - timedelta(days=14), -18) + timedelta(days=1)
        self.last_day = rules.switch_window_end(self.start, MunicipalityPolicy.for_organisation(world.gemeente.pk))
        _start(world, self.start)

    def test_window_is_the_first_18_months(self):
        policy = MunicipalityPolicy(route_switch_months=18)
        # 18 months after 31-1-2025 is 31-7-2026: the first day outside the window.
        assert rules.switch_window_end(START, policy) == date(2026, 7, 30)
        assert not rules.switch_needs_approval(START, date(2026, 7, 30), policy)
        assert rules.switch_needs_approval(START, date(2026, 7, 31), policy)

    def test_last_day_of_the_window_switches_directly_with_history(self, world):
        switch = self._switch(world, self.last_day)
        assert switch.status == SwitchStatus.GOEDGEKEURD and not switch.needs_approval
        assert Participant.objects.get(pk=world.participant.pk).learning_route == LearningRoute.Z
        change = ParticipantChange.objects.get(participant=world.participant, field="learning_route")
        assert (change.old_value, change.new_value) == ("B1-route", "Z-route")

    def test_day_after_the_window_needs_a_reason_and_approval(self, world):
        first_outside = self.last_day + timedelta(days=1)
        with pytest.raises(ValidationError) as exc:
            self._switch(world, first_outside)
        assert "wisseltermijn is voorbij" in str(exc.value.message_dict["reason"])
        switch = self._switch(world, first_outside, reason="Leerbaarheidstoets laat zien dat B1 niet haalbaar is")
        assert switch.status == SwitchStatus.AANGEVRAAGD and switch.needs_approval
        assert Participant.objects.get(pk=world.participant.pk).learning_route == LearningRoute.B1
        with pytest.raises(Http404):  # a taaldocent cannot approve
            services.decide_route_switch(world.taaldocent, world.participant,
                                         grant(world.taaldocent, world.participant), switch.pk, approve=True)
        services.decide_route_switch(world.regisseur, world.participant, grant(world.regisseur, world.participant),
                                     switch.pk, approve=True)
        switch.refresh_from_db()
        assert switch.status == SwitchStatus.GOEDGEKEURD and switch.decided_by == world.regisseur
        assert Participant.objects.get(pk=world.participant.pk).learning_route == LearningRoute.Z

    def test_rejection_needs_a_note_and_keeps_the_route(self, world):
        switch = self._switch(world, self.last_day + timedelta(days=10), reason="Wens deelnemer")
        g = grant(world.regisseur, world.participant)
        with pytest.raises(ValidationError):
            services.decide_route_switch(world.regisseur, world.participant, g, switch.pk, approve=False)
        services.decide_route_switch(world.regisseur, world.participant, g, switch.pk, approve=False,
                                     note="Eerst de taaltoets afwachten")
        assert RouteSwitch.objects.get(pk=switch.pk).status == SwitchStatus.AFGEWEZEN
        assert Participant.objects.get(pk=world.participant.pk).learning_route == LearningRoute.B1

    def test_window_deadline(self, world):
        item = _by_code(rules.deadlines(world.participant, today=self.last_day - timedelta(days=10)))
        assert (item["leerroute_wissel"].due, item["leerroute_wissel"].status) == (self.last_day, rules.SOON)
        assert not item["leerroute_wissel"].done
        after = _by_code(rules.deadlines(world.participant, today=self.last_day + timedelta(days=1)))
        after = after["leerroute_wissel"]
        assert after.done and "goedkeuring" in after.explanation


class TestZRoute:
    def test_completion_needs_an_eindgesprek(self, world):
        Participant.objects.filter(pk=world.participant.pk).update(learning_route=LearningRoute.Z)
        g = grant(world.regisseur, world.participant)
        today = timezone.localdate()
        with pytest.raises(ValidationError) as exc:
            services.complete_route(world.regisseur, world.participant, g, completed_on=today)
        assert "eindgesprek" in str(exc.value)
        services.record_closing_interview(world.regisseur, world.participant, g, held_on=today,
                                          summary="A1 gehaald, PIP uitgevoerd, zelfredzaam in de wijk.")
        services.complete_route(world.regisseur, world.participant, g, completed_on=today)
        record = IntegrationRecord.objects.get(participant=world.participant)
        assert (record.route_completed, record.route_completed_on) == (LearningRoute.Z, today)


def test_goal_and_step_deadlines_respect_the_health_category(world):
    v = draft_with_content(world)
    today = v.plan_date + timedelta(days=30)  # the health step (day 20) is overdue, the work step (day 40) soon
    items = rules.deadlines(world.participant, today=today)
    steps = {d.label: d for d in items if d.code.startswith("stap:")}
    assert steps["Stap: Afspraak bij de praktijkondersteuner GGZ"].status == rules.OVERDUE
    assert steps["Stap: Bedrijfsbezoek bij installatiebedrijf"].status == rules.SOON
    shown = rules.visible(items, grant(world.taaldocent, world.participant))
    assert [d.label for d in shown if d.code.startswith("stap:")] == ["Stap: Bedrijfsbezoek bij installatiebedrijf"]
    assert not any(LifeDomain.GEESTELIJKE_GEZONDHEID.label.lower() in d.explanation for d in shown)
