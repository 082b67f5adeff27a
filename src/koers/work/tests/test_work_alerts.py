"""Placement and aftercare signals on the caseload: every rule at its boundary, the category, the query budget."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.casework.queries import alerts
from koers.core import access
from koers.core.codes import Category, ContractType, Phase, PlacementKind
from koers.core.tests.factories import ParticipantFactory
from koers.participants.models import Participant
from koers.work.models import CheckIn, CheckInWith, EndReason, Placement
from koers.work.queries import aftercare as aftercare_queries
from koers.work.queries import alerts as work_alerts
from koers.work.queries import placements as placement_queries
from koers.work.services import aftercare as aftercare_services
from koers.work.services import placements as placement_services
from koers.work.tests.placement_factories import place

pytestmark = pytest.mark.django_db

START = date(2026, 1, 5)
END = date(2026, 7, 31)


def codes(p, today):
    p = Participant.objects.get(pk=p.pk)
    return {s.code: s for s in alerts.compute([p], today=today)[p.pk] if s.code in work_alerts.CODES}


def all_check_ins_done(p):
    CheckIn.objects.filter(plan__placement=p).update(done_on=START, with_whom=CheckInWith.SAMEN)


def test_the_codes_are_registered_for_the_filters():
    assert alerts.CODES["contract_loopt_af"] == "Contract loopt af"
    assert work_alerts.placement_terms in alerts.PROVIDERS and work_alerts.aftercare in alerts.PROVIDERS


def test_contract_ending_28_days_signals_and_29_does_not(world):
    p = place(world, start_date=START, contract_end=END)
    all_check_ins_done(p)
    assert "contract_loopt_af" not in codes(world.participant, END - timedelta(days=29))
    s = codes(world.participant, END - timedelta(days=28))["contract_loopt_af"]
    assert s.label == "Contract loopt af over 28 dagen" and s.category == Category.WORK
    assert s.todo.startswith("Bespreek verlenging met werkgever en deelnemer")
    assert s.since == END - timedelta(days=28) and s.severity == alerts.ATTENTION
    assert codes(world.participant, END - timedelta(days=7))["contract_loopt_af"].severity == alerts.URGENT
    assert codes(world.participant, END)["contract_loopt_af"].label == "Contract loopt af vandaag"
    late = codes(world.participant, END + timedelta(days=1))["contract_loopt_af"]
    assert late.label == "Contract verlopen op 31-7-2026"


def test_an_extension_or_an_end_clears_the_contract_signal(world):
    p = place(world, start_date=START, contract_end=END)
    today = END - timedelta(days=10)
    g = access.grant_for(world.regisseur, world.participant)
    placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
        END + timedelta(days=1), ContractType.TIJDELIJK, Decimal("24"), date(2027, 1, 31)))
    assert "contract_loopt_af" not in codes(world.participant, today)
    p2 = place(world, start_date=START, contract_end=END, job_title="Inpakker")
    assert "contract_loopt_af" in codes(world.participant, today)
    Placement.objects.filter(pk=p2.pk).update(ended_on=today, end_reason=EndReason.CONTRACT_NIET_VERLENGD)
    assert "contract_loopt_af" not in codes(world.participant, today)


def test_probation_ending_boundaries(world):
    probation = date(2026, 3, 5)
    place(world, start_date=START, probation_end=probation)
    assert "proeftijd_loopt_af" not in codes(world.participant, probation - timedelta(days=29))
    assert "proeftijd_loopt_af" in codes(world.participant, probation - timedelta(days=28))
    assert "proeftijd_loopt_af" not in codes(world.participant, probation + timedelta(days=1))


def test_trial_placement_past_its_agreed_end(world):
    agreed = date(2026, 2, 15)
    place(world, kind=PlacementKind.PROEFPLAATSING, contract_type=ContractType.GEEN, hours_per_week=Decimal("20"),
          start_date=START, contract_end=agreed)
    assert "proefplaatsing_te_lang" not in codes(world.participant, agreed)
    found = codes(world.participant, agreed + timedelta(days=1))
    assert found["proefplaatsing_te_lang"].severity == alerts.URGENT
    assert "contract_loopt_af" not in found  # a trial past its end is this signal, not "contract expired"


def test_trial_placement_without_an_end_longer_than_two_months(world):
    place(world, kind=PlacementKind.PROEFPLAATSING, contract_type=ContractType.GEEN, hours_per_week=Decimal("20"),
          start_date=START, contract_end=None)
    assert "proefplaatsing_te_lang" not in codes(world.participant, date(2026, 3, 5))  # start + 2 months
    assert "proefplaatsing_te_lang" in codes(world.participant, date(2026, 3, 6))


def test_hours_dropping(world):
    p = place(world, start_date=START, contract_end=END)
    g = access.grant_for(world.regisseur, world.participant)
    today = date(2026, 3, 1)
    placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
        date(2026, 2, 1), ContractType.TIJDELIJK, Decimal("32"), END))
    assert "uren_gedaald" not in codes(world.participant, today)
    placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
        date(2026, 2, 15), ContractType.NUL_UREN, Decimal("0"), None))
    s = codes(world.participant, today)["uren_gedaald"]
    assert s.label == "Uren gedaald naar 0 per week" and "eerder 32" in s.why


def test_aftercare_check_in_overdue_boundary(world):
    place(world, start_date=START, contract_end=END)
    week1 = START + timedelta(weeks=1)
    assert "nazorg_te_laat" not in codes(world.participant, week1)
    s = codes(world.participant, week1 + timedelta(days=1))["nazorg_te_laat"]
    assert s.since == week1 + timedelta(days=1) and s.severity == alerts.ATTENTION
    assert codes(world.participant, week1 + timedelta(days=15))["nazorg_te_laat"].severity == alerts.URGENT


def test_nothing_left_but_the_eindgesprek_and_a_closed_plan_is_quiet(world):
    p = place(world, start_date=START, contract_end=None, contract_type=ContractType.VAST)
    all_check_ins_done(p)
    today = date(2027, 3, 1)
    found = codes(world.participant, today)
    assert "nazorg_afronden" in found and "nazorg_te_laat" not in found
    aftercare_services.close_with_final_talk(world.regisseur, world.participant, access.grant_for(world.regisseur,
                                    world.participant), p, aftercare_queries.FinalTalkData(START, CheckInWith.SAMEN,
                                                                                           "Klaar"),
                                    today=today)
    assert codes(world.participant, today) == {}


def test_closed_trajectories_get_only_aftercare_signals(world):
    # Was: a closed trajectory got no signals at all. Aftercare goes on after the closure (issue 12), so an
    # overdue check-in still signals; the contract signals stop.
    place(world, start_date=START, contract_end=END)
    Participant.objects.filter(pk=world.participant.pk).update(phase=Phase.AFGESLOTEN)
    found = codes(world.participant, END - timedelta(days=3))
    assert set(found) == {"nazorg_te_laat"}
    all_check_ins_done(Placement.objects.get())
    assert set(codes(world.participant, END - timedelta(days=3))) == {"nazorg_afronden"}


def test_signals_are_work_data(world):
    place(world, start_date=START, contract_end=END)
    p = Participant.objects.get(pk=world.participant.pk)
    found = alerts.compute([p], today=END - timedelta(days=3))[p.pk]
    teacher = access.grant_for(world.taaldocent, p)
    assert not [s for s in alerts.visible(found, teacher) if s.code in work_alerts.CODES]


def test_queries_do_not_grow_with_the_batch(world):
    def people(n):
        result = []
        for i in range(n):
            person = ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur)
            place(world, participant=person, start_date=START, contract_end=END, job_title=f"Functie {i}")
            result.append(person)
        return result

    def batch(participants):
        return alerts.Batch(list(participants), END - timedelta(days=3),
                             alerts.policies_for({world.gemeente.pk}))

    def run(b):
        return list(work_alerts.placement_terms(b)) + list(work_alerts.aftercare(b))

    small = batch(people(2))
    with CaptureQueriesContext(connection) as few:
        found_few = run(small)
    large = batch(list(small.participants) + people(8))
    with CaptureQueriesContext(connection) as more:
        found_more = run(large)
    assert len(more) == len(few) == 2
    assert len(found_more) > len(found_few)


def test_a_contract_ending_in_three_weeks_shows_on_the_caseload(world, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    place(world, start_date=today - timedelta(days=200), contract_end=today + timedelta(days=21),
          job_title="Productiemedewerker")
    page = client_for(world.regisseur).get(reverse("casework:caseload")).content.decode()
    assert "Contract loopt af over 21 dagen" in page
    assert "Bespreek verlenging met werkgever en deelnemer" in page
