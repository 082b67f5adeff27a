"""Matching and the dual week (issue 12, break 4): the hours someone has for work are their availability minus
the classes they are in, and a course they are enrolled in but have not finished (VCA) meets a certificate
requirement *binnenkort* instead of excluding them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.core.codes import ActivityKind
from koers.work.queries import matching as matching_queries
from koers.work.rules.matching import Candidate, Job, JobContext, Locator, course_leads_to, evaluate
from koers.work.tests import matching_factories as f

pytestmark = pytest.mark.django_db

WEEKDAYS = ["ma_o", "ma_m", "di_o", "di_m", "wo_o", "wo_m", "do_o", "do_m", "vr_o"]


def hours_of(ev):
    return next(c for c in ev.criteria if c.code == "uren")


def test_class_hours_are_taken_off_the_available_hours():
    job = JobContext(Job(id=1, title="Inpakker", kind="betaald_werk", sector="C", hours=24), Locator())
    free = evaluate(Candidate(id=1, availability=frozenset(WEEKDAYS)), job)
    assert hours_of(free).points == 15  # 9 dagdelen: about 36 hours
    in_class = evaluate(Candidate(id=1, availability=frozenset(WEEKDAYS), class_hours=20), job)
    criterion = hours_of(in_class)
    assert criterion.points < 15
    assert "beschikbaar ca. 16 uur naast 20 uur les" in criterion.explanation
    # A wish of 24 hours is capped by what the classes leave.
    wish = evaluate(Candidate(id=1, availability=frozenset(WEEKDAYS), class_hours=20, hours_wanted=24), job)
    assert "naast 20 uur les ca. 16 uur vrij" in hours_of(wish).explanation
    # Someone whose trajectory the viewer may not see: the classes are not used.
    hidden = evaluate(Candidate(id=1, availability=None, class_hours=20, see_trajectory=False, hours_wanted=24), job)
    assert hours_of(hidden).points == 15


def test_a_course_not_yet_finished_meets_a_certificate_requirement_binnenkort():
    job = JobContext(Job(id=1, title="Inpakker", kind="betaald_werk", sector="C",
                         certificates=((7, "VCA"),)), Locator())
    without = evaluate(Candidate(id=1), job)
    assert [b.text for b in without.blockers] == ["VCA-certificaat ontbreekt"]
    coming = evaluate(Candidate(id=1, coming_certificates=((7, "VCA Basis (zaterdagcursus)"),)), job)
    assert coming.eligible
    assert "VCA: binnenkort (ingeschreven voor ‘VCA Basis (zaterdagcursus)’, nog niet afgerond)" in coming.notes
    assert course_leads_to("VCA Basis", "VCA", "vca") and course_leads_to("vca", "VCA", "vca")
    assert not course_leads_to("VCAB", "VCA", "vca") and not course_leads_to("", "VCA", "vca")


def test_an_opening_on_a_class_dagdeel_gets_a_note():
    job = JobContext(Job(id=1, title="Inpakker", kind="betaald_werk", sector="C", days=frozenset({"ma_o"})),
                     Locator())
    ev = evaluate(Candidate(id=1, availability=frozenset(WEEKDAYS), class_dagdelen=frozenset({"ma_o"})), job)
    assert ev.eligible and "Op maandag ochtend heeft de deelnemer nu les: bespreek het rooster." in ev.notes


@pytest.fixture
def vca_world(world):
    f.postcode_areas()
    world.accountmanager = f.accountmanager(world.gemeente)
    world.vca = f.certificate()
    world.employer = f.employer(world.gemeente)
    world.opening = f.opening(world.employer, world.accountmanager, certificates=[world.vca], hours_per_week=24)
    p = world.participant
    p.phase, p.availability = "traject", WEEKDAYS
    p.save()
    f.work_profile(p)
    monday = this_monday()
    course = make_activity(world.reintegratie, world.begeleider, title="VCA Basis (zaterdagcursus)",
                           kind=ActivityKind.CERTIFICERING, certificate="VCA Basis", slots=[(5, "09:00", "16:00")],
                           start=monday + timedelta(weeks=2), end=monday + timedelta(weeks=5))
    world.vca_enrolment = make_enrolment(p, course, world.regisseur, status="aangemeld")
    taal = make_activity(world.taal, world.taaldocent, title="Taalexpres",
                         slots=[(d, "09:00", "14:00") for d in range(4)])
    make_enrolment(p, taal, world.regisseur)
    return world


def test_matching_reads_the_classes_and_the_coming_course(vca_world, client_for):
    w = vca_world
    ranking, _grants = matching_queries.rank_participants(w.accountmanager, w.opening)
    ev = next(e for e in ranking.eligible if e.candidate.id == w.participant.pk)
    assert ev.candidate.class_hours == 20
    assert any("binnenkort" in n for n in ev.notes)
    assert "naast 20 uur les" in hours_of(ev).explanation
    html = client_for(w.accountmanager).get(reverse("work:opening_matches", args=[w.opening.pk])).content.decode()
    assert "VCA: binnenkort" in html
    # Once the course is dropped, the certificate is missing again.
    w.vca_enrolment.status = "uitgevallen"
    w.vca_enrolment.dropout_reason = "onbekend"
    w.vca_enrolment.save()
    ranking, _grants = matching_queries.rank_participants(w.accountmanager, w.opening)
    near = next(e for e in ranking.near_misses if e.candidate.id == w.participant.pk)
    assert [b.text for b in near.blockers] == ["VCA-certificaat ontbreekt"]
