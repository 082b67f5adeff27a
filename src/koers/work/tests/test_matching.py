"""Matching: each criterion, the near-miss explanations, properties (hypothesis), access, audit, query budgets."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from koers.core.codes import DAGDELEN, Category, LegalBasis, MatchMode, OrganisationKind, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user
from koers.participants.models import Membership, WorkExperience
from koers.work.models import Match, MatchStatus
from koers.work.queries import matching as matching_queries
from koers.work.rules import matching as m
from koers.work.tests import matching_factories as f

LOCATOR = m.Locator(f.AREAS)


def job(**kwargs) -> m.Job:
    kwargs.setdefault("id", 1)
    kwargs.setdefault("title", "Productiemedewerker")
    kwargs.setdefault("kind", "betaald_werk")
    kwargs.setdefault("sector", "C")
    kwargs.setdefault("postcode", "6511 AB")
    return m.Job(**kwargs)


def cand(**kwargs) -> m.Candidate:
    kwargs.setdefault("id", 1)
    kwargs.setdefault("name", "Deelnemer")
    kwargs.setdefault("postcode", "6521 CD")
    return m.Candidate(**kwargs)


def ev(c: m.Candidate, j: m.Job) -> m.Evaluation:
    return m.evaluate(c, m.JobContext(j, LOCATOR))


def crit(evaluation: m.Evaluation, code: str) -> m.Criterion:
    return next(c for c in evaluation.criteria if c.code == code)


def texts(evaluation: m.Evaluation) -> list[str]:
    return [b.text for b in evaluation.blockers]


# --- Criteria, one by one -------------------------------------------------------------------------------------


def test_points_add_up_to_100_and_every_criterion_explains_itself():
    e = ev(cand(), job())
    assert e.max_points == 100 == sum(c.max_points for c in e.criteria)
    assert all(c.explanation for c in e.criteria)
    assert e.points == sum(c.points for c in e.criteria)


def test_language_requirement_met_unknown_and_below():
    j = job(levels={"spreken": "A2"})
    met = ev(cand(levels={"spreken": "B1"}), j)
    assert crit(met, "taal").points == 20 and "Spreken B1 (eis A2, voldoet)" in crit(met, "taal").explanation
    unknown = ev(cand(levels={"spreken": "onbekend"}), j)
    assert unknown.eligible and crit(unknown, "taal").points == 17
    assert "onbekend" in crit(unknown, "taal").explanation
    below = ev(cand(levels={"spreken": "A1"}), j)
    assert texts(below) == ["A2 spreken nodig, nu A1"]
    assert crit(ev(cand(), job()), "taal").explanation == "Geen taaleisen"


def test_language_hidden_is_afgeschermd_and_never_a_blocker():
    e = ev(cand(levels={}, see_language=False), job(levels={"spreken": "B1"}))
    assert e.eligible
    assert crit(e, "taal").state == "afgeschermd" and "afgeschermd" in crit(e, "taal").explanation


def test_missing_certificate_and_driving_licence_are_explained():
    j = job(certificates=((7, "VCA"), (8, "Heftruckcertificaat")), driving_licence=True)
    e = ev(cand(certificates=frozenset({8}), driving_licence="nee"), j)
    assert "VCA-certificaat ontbreekt" in texts(e)
    assert "Rijbewijs B nodig; de deelnemer heeft geen rijbewijs" in texts(e)
    unknown = ev(cand(certificates=frozenset({7}), driving_licence="onbekend"), job(driving_licence=True))
    assert any("onbekend of de deelnemer het heeft" in t for t in texts(unknown))
    missing_named = ev(cand(certificates=frozenset({7})), j.__class__(**{**_fields(j), "driving_licence": False}))
    assert texts(missing_named) == ["Heftruckcertificaat ontbreekt"]
    ok = ev(cand(certificates=frozenset({7, 8}), driving_licence="ja"), j)
    assert ok.eligible


def _fields(j):
    return {name: getattr(j, name) for name in j.__slots__}


def test_hidden_work_data_gives_a_note_instead_of_a_filter():
    e = ev(cand(see_work=False), job(certificates=((7, "VCA"),)))
    assert e.eligible
    assert any("afgeschermd" in n for n in e.notes)


def test_availability_must_cover_the_days_when_known():
    j = job(days=frozenset({"ma_o", "di_m"}))
    e = ev(cand(availability=frozenset({"ma_o"})), j)
    assert texts(e) == ["Beschikbaarheid nodig op dinsdag middag; nu niet beschikbaar"]
    assert ev(cand(availability=None), j).eligible  # unknown is not a reason to exclude
    assert ev(cand(availability=frozenset({"ma_o", "di_m", "wo_o"})), j).eligible


def test_not_interested_flags_and_closed_trajectory_exclude():
    j = job(sector="I", kind="proefplaatsing")
    e = ev(cand(excluded_sectors=frozenset({"I"}), excluded_kinds=frozenset({"proefplaatsing"})), j)
    assert texts(e) == [
        "Geen interesse in de sector Horeca", "Geen interesse in proefplaatsing (met behoud van uitkering)"
    ]
    assert texts(ev(cand(phase="afgesloten"), job())) == ["Het traject is afgesloten"]


def test_sector_wish():
    assert crit(ev(cand(sector_interests=frozenset({"C"})), job()), "sector").points == 15
    assert crit(ev(cand(), job()), "sector").points == 7
    other = crit(ev(cand(sector_interests=frozenset({"Q"})), job()), "sector")
    assert other.points == 0 and "Gezondheids- en welzijnszorg" in other.explanation


def test_hours_against_availability_and_wish():
    j = job(hours=24)
    assert crit(ev(cand(availability=frozenset(c for c, _ in DAGDELEN[:8])), j), "uren").points == 15  # ~32 h
    assert crit(ev(cand(availability=frozenset(c for c, _ in DAGDELEN[:5])), j), "uren").points == 7  # ~20 h
    assert crit(ev(cand(availability=frozenset({"ma_o"})), j), "uren").points == 0
    assert crit(ev(cand(hours_wanted=24), j), "uren").explanation == "24 uur per week past (wil 24 uur)"
    assert crit(ev(cand(), j), "uren").state == "onbekend"
    assert crit(ev(cand(), job(hours=None)), "uren").explanation == "Aantal uren van de plek onbekend"


def test_travel_by_postcode_falls_back_to_municipality_and_is_neutral_when_unknown():
    near = crit(ev(cand(postcode="6521 CD", max_travel_km=10), job()), "reis")
    assert near.points == 15 and "maximaal 10 km" in near.explanation
    far = crit(ev(cand(postcode="7411 AA", max_travel_km=10), job()), "reis")
    assert far.points == 0 and "Ca. 50 km" in far.explanation
    by_city = crit(ev(cand(postcode="", city="Waaldorp"), job()), "reis")
    assert "gemeenteniveau" in by_city.explanation and "uitgegaan van 15 km" in by_city.explanation
    unknown = crit(ev(cand(postcode="", city="Nergenshuizen"), job()), "reis")
    assert unknown.points == 7 and unknown.state == "onbekend"


def test_experience_and_education_overlap():
    j = job(title="Lasser", tasks="MIG-lassen van frames", sector="C")
    e = crit(ev(cand(work_history=("Lasser",), education_field="Metaalbewerking en lassen"), j), "ervaring")
    assert e.points == 20 and "Lasser" in e.explanation
    none = crit(ev(cand(work_history=("Kapper",), education_field="Rechten"), j), "ervaring")
    assert none.points == 0 and "sluit niet aan" in none.explanation
    compound = crit(ev(cand(work_history=("Productiewerk",)), job(title="Productiemedewerker")), "ervaring")
    assert compound.points >= 12


def test_own_wishes():
    j = job(title="Kok", tasks="Koken in de keuken", sector="I")
    assert crit(ev(cand(dream_job="Kok"), j), "wensen").points == 15
    assert crit(ev(cand(dream_job="Leraar", plan_b="Keukenhulp"), j), "wensen").points == 10
    assert crit(ev(cand(), j), "wensen").points == 5
    assert crit(ev(cand(dream_job="Piloot"), j), "wensen").points == 0


def test_near_misses_are_ordered_by_fewest_blockers():
    j = job(levels={"spreken": "A2"}, certificates=((7, "VCA"),))
    ranking = m.rank_candidates(
        [cand(id=1, levels={"spreken": "A1"}), cand(id=2, levels={"spreken": "A1"}, certificates=frozenset({7})),
         cand(id=3, levels={"spreken": "A2"}, certificates=frozenset({7}))], j, LOCATOR)
    assert [e.candidate.id for e in ranking.eligible] == [3]
    assert [e.candidate.id for e in ranking.near_misses] == [2, 1]
    assert texts(ranking.near_misses[0]) == ["A2 spreken nodig, nu A1"]


# --- Properties --------------------------------------------------------------------------------------------------

LEVELS = ["A0", "A1", "A2", "B1", "B2", "onbekend"]
DAYS = [c for c, _ in DAGDELEN[:10]]
WORDS = ["Lasser", "Kok", "Schoonmaker", "Productiemedewerker", "Magazijnmedewerker", "Verpleegkundige", ""]
SECTORS = ["C", "H", "I", "N", "Q"]
KINDS = ["betaald_werk", "proefplaatsing", "stage"]


# The strategies are built once: building and validating them inside every draw took most of the time.
_PHASE = st.sampled_from(["traject", "intake", "afgesloten"])
_CANDIDATE_POSTCODE = st.sampled_from(["6511 AB", "6601 AA", "7411 XY", ""])
_CITY = st.sampled_from(["Rivierstad", ""])
_AVAILABILITY = st.none() | st.frozensets(st.sampled_from(DAYS))
_LEVEL = st.sampled_from(LEVELS)
_WORD = st.sampled_from(WORDS)
_HISTORY = st.lists(st.sampled_from(WORDS[:-1]), max_size=2)
_SECTOR_INTERESTS = st.frozensets(st.sampled_from(SECTORS), max_size=2)
_LICENCE = st.sampled_from(["ja", "nee", "onbekend"])
_TRAVEL_KM = st.none() | st.integers(0, 80)
_HOURS_WANTED = st.none() | st.integers(0, 40)
_CERTIFICATES = st.frozensets(st.sampled_from([1, 2, 3]))
_EXCLUDED_SECTORS = st.frozensets(st.sampled_from(SECTORS), max_size=1)
_EXCLUDED_KINDS = st.frozensets(st.sampled_from(KINDS), max_size=1)
_TITLE = st.sampled_from(WORDS[:-1])
_KIND = st.sampled_from(KINDS)
_SECTOR = st.sampled_from(SECTORS)
_JOB_HOURS = st.none() | st.integers(0, 60)
_JOB_DAYS = st.frozensets(st.sampled_from(DAYS), max_size=3)
_JOB_POSTCODE = st.sampled_from(["6511 AB", "6601 AA", ""])
_JOB_LEVEL = st.sampled_from(["", "", "A1", "A2", "B1"])
_JOB_CERTIFICATES = st.frozensets(st.sampled_from([1, 2, 3]), max_size=2)
_POPULATION_SIZE = st.integers(1, 8)


@st.composite
def candidates(draw, cid):
    return m.Candidate(
        id=cid, name=f"D{cid}", phase=draw(_PHASE),
        postcode=draw(_CANDIDATE_POSTCODE),
        city=draw(_CITY),
        availability=draw(_AVAILABILITY),
        levels={s: draw(_LEVEL) for s in m.SKILLS},
        education_field=draw(_WORD),
        work_history=tuple(draw(_HISTORY)),
        sector_interests=draw(_SECTOR_INTERESTS),
        dream_job=draw(_WORD), plan_b=draw(_WORD),
        driving_licence=draw(_LICENCE),
        max_travel_km=draw(_TRAVEL_KM), hours_wanted=draw(_HOURS_WANTED),
        certificates=draw(_CERTIFICATES),
        excluded_sectors=draw(_EXCLUDED_SECTORS),
        excluded_kinds=draw(_EXCLUDED_KINDS),
    )


@st.composite
def jobs(draw, jid=1):
    return m.Job(
        id=jid, title=draw(_TITLE), kind=draw(_KIND),
        sector=draw(_SECTOR), hours=draw(_JOB_HOURS),
        days=draw(_JOB_DAYS),
        postcode=draw(_JOB_POSTCODE),
        levels={s: lvl for s in m.SKILLS if (lvl := draw(_JOB_LEVEL))},
        certificates=tuple((i, f"C{i}") for i in sorted(draw(_JOB_CERTIFICATES))),
        driving_licence=draw(st.booleans()),
    )


@st.composite
def populations(draw):
    n = draw(_POPULATION_SIZE)
    return [draw(candidates(i + 1)) for i in range(n)]


def satisfied_requirements(c: m.Candidate, j: m.Job) -> list[m.Job]:
    """Variants of the job with one more requirement that the candidate demonstrably meets."""
    options = []
    fields = _fields(j)
    for skill in m.SKILLS:
        level = c.levels.get(skill)
        if level in m.LEVEL_ORDER and level != "A0" and not j.levels.get(skill):
            options.append(m.Job(**{**fields, "levels": {**j.levels, skill: level}}))
    for cert in sorted(c.certificates - {i for i, _ in j.certificates}):
        options.append(m.Job(**{**fields, "certificates": tuple(sorted((*j.certificates, (cert, f"C{cert}"))))}))
    if c.driving_licence == "ja" and not j.driving_licence:
        options.append(m.Job(**{**fields, "driving_licence": True}))
    for day in sorted((c.availability or frozenset()) - j.days):
        options.append(m.Job(**{**fields, "days": j.days | {day}}))
    return options


def position(ranking: m.Ranking, cid: int) -> int | None:
    ids = [e.candidate.id for e in ranking.eligible]
    return ids.index(cid) if cid in ids else None


@settings(max_examples=200, deadline=None)
@given(populations(), jobs(), st.data())
def test_adding_a_satisfied_requirement_never_lowers_a_candidates_rank(people, j, data):
    before = m.rank_candidates(people, j, LOCATOR)
    assume(before.eligible)
    target = data.draw(st.sampled_from(before.eligible)).candidate
    variants = satisfied_requirements(target, j)
    assume(variants)
    stricter = data.draw(st.sampled_from(variants))
    after = m.rank_candidates(people, stricter, LOCATOR)
    assert position(after, target.id) is not None, "a satisfied requirement excluded the candidate"
    assert position(after, target.id) <= position(before, target.id)


@settings(max_examples=150, deadline=None)
@given(candidates(1), st.lists(jobs(), min_size=1, max_size=12), st.booleans(), st.booleans(), st.booleans(),
       st.frozensets(st.sampled_from(DAYS), max_size=3), st.sampled_from([0.0, 6.0, 20.0]),
       st.sampled_from([(), ((2, "VCA Basis"),)]), st.sampled_from(["Rivierstad", "", "Elders"]))
def test_supply_led_memo_gives_what_each_opening_alone_gives(c, raw_jobs, see_t, see_l, see_w, class_days, hours,
                                                             coming, city):
    """``rank_jobs`` shares a criterion's result between openings with the same inputs (``_job_keys``): each
    evaluation must equal scoring that opening on its own, whatever the candidate may be shown."""
    c = m.Candidate(**{**{f: getattr(c, f) for f in c.__dataclass_fields__}, "see_trajectory": see_t,
                       "see_language": see_l, "see_work": see_w, "class_dagdelen": class_days,
                       "class_hours": hours, "coming_certificates": coming})
    # Openings repeat each other's inputs (the pools are small), with their own ids and employers.
    js = [m.Job(**{**_fields(j), "id": i + 1, "employer_name": f"W{i}", "city": city if i % 2 else ""})
          for i, j in enumerate(raw_jobs)]
    together = {e.job.id: e for e in m.evaluate_jobs(c, js, LOCATOR)}
    for j in js:
        alone = ev(c, j)
        got = together[j.id]
        assert (got.points, got.criteria, got.blockers, got.notes) == (
            alone.points, alone.criteria, alone.blockers, alone.notes), j


@settings(max_examples=100, deadline=None)
@given(candidates(1), st.lists(jobs(), min_size=1, max_size=6), st.data())
def test_supply_led_a_satisfied_requirement_never_lowers_the_openings_rank(c, raw_jobs, data):
    js = [m.Job(**{**_fields(j), "id": i + 1}) for i, j in enumerate(raw_jobs)]
    before = m.rank_jobs(c, js, LOCATOR)
    assume(before.eligible)
    target = data.draw(st.sampled_from(before.eligible)).job
    variants = satisfied_requirements(c, target)
    assume(variants)
    stricter = data.draw(st.sampled_from(variants))
    after = m.rank_jobs(c, [stricter if j.id == target.id else j for j in js], LOCATOR)
    ids_before = [e.job.id for e in before.eligible]
    ids_after = [e.job.id for e in after.eligible]
    assert target.id in ids_after and ids_after.index(target.id) <= ids_before.index(target.id)


@settings(max_examples=200, deadline=None)
@given(populations(), jobs())
def test_hard_filters_are_never_violated(people, j):
    ranking = m.rank_candidates(people, j, LOCATOR)
    for e in ranking.eligible:
        c = e.candidate
        assert c.phase != "afgesloten"
        if c.availability is not None:
            assert j.days <= c.availability
        for skill, required in j.levels.items():
            level = c.levels[skill]
            assert level not in m.LEVEL_ORDER or m.LEVEL_ORDER[level] >= m.LEVEL_ORDER[required]
        assert {i for i, _ in j.certificates} <= c.certificates
        assert not j.driving_licence or c.driving_licence == "ja"
        assert j.sector not in c.excluded_sectors and j.kind not in c.excluded_kinds
    assert len(ranking.eligible) + len(ranking.near_misses) == len(people)
    assert all(e.blockers for e in ranking.near_misses)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(), jobs(), st.randoms(use_true_random=False))
def test_ranking_is_deterministic_and_ties_are_broken_by_id(people, j, rnd):
    first = m.rank_candidates(people, j, LOCATOR)
    shuffled = list(people)
    rnd.shuffle(shuffled)
    second = m.rank_candidates(shuffled, j, LOCATOR)
    assert [e.candidate.id for e in first.eligible] == [e.candidate.id for e in second.eligible]
    assert [e.candidate.id for e in first.near_misses] == [e.candidate.id for e in second.near_misses]
    assert [e.snapshot() for e in first.eligible] == [e.snapshot() for e in second.eligible]
    keys = [(-e.points, e.candidate.id) for e in first.eligible]
    assert keys == sorted(keys)


def test_keywords_are_stable_stems():
    assert m.keywords("Lassen, lasser!") == frozenset({"lass"})
    assert "producti" in m.keywords("Industrie (productie)")
    assert m.stem_words("Industrie (productie)")["producti"] == "productie"
    assert "lasser" in m.JobContext(job(title="Lasser", tasks="lassen"), LOCATOR).overlap("Lasser")
    assert m.keywords("de en van") == frozenset()


# --- Through the database: access, audit, pages ---------------------------------------------------------------


@pytest.fixture
def work(world):
    """The world plus an accountmanager at the municipality, an employer, VCA and postcode areas."""
    f.postcode_areas()
    world.accountmanager = f.accountmanager(world.gemeente)
    world.vca = f.certificate()
    world.employer = f.employer(world.gemeente)
    world.opening = f.opening(world.employer, world.accountmanager, req_spreken="A2", certificates=[world.vca])
    p = world.participant
    p.phase, p.level_spreken, p.postcode, p.sector_interests = "traject", "B1", "6521 AB", ["C"]
    p.save()
    f.work_profile(p, certificates=[world.vca], max_travel_km=20)
    WorkExperience.objects.create(participant=p, occupation="Productiemedewerker", years=2)
    world.near = ParticipantFactory(name="Yonas Kidane", regie_organisation=world.gemeente, phase="traject",
                                    level_spreken="A1")
    f.work_profile(world.near, certificates=[world.vca])
    return world


def test_demand_led_shows_only_visible_participants_and_explains_near_misses(work, client_for):
    work.other_participant.level_spreken = "B2"
    work.other_participant.save()
    f.work_profile(work.other_participant, certificates=[work.vca])
    ranking, grants = matching_queries.rank_participants(work.accountmanager, work.opening)
    ids = {e.candidate.id for e in ranking.eligible + ranking.near_misses}
    assert work.other_participant.pk not in ids
    assert [e.candidate.id for e in ranking.eligible] == [work.participant.pk]
    near = next(e for e in ranking.near_misses if e.candidate.id == work.near.pk)
    assert texts(near) == ["A2 spreken nodig, nu A1"]
    response = client_for(work.accountmanager).get(reverse("work:opening_matches", args=[work.opening.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nahom Tesfay" in html and "Yonas Kidane" in html and "A2 spreken nodig, nu A1" in html
    assert "Samira Haddad" not in html
    assert "Waarom" in html and "Taalniveau" in html


def test_demand_led_page_audits_one_record_per_participant_shown(work, client_for):
    before = AuditEvent.objects.count()
    client_for(work.accountmanager).get(reverse("work:opening_matches", args=[work.opening.pk]))
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert sorted(e.participant_id for e in events) == sorted([work.participant.pk, work.near.pk])
    assert {e.category for e in events} == {Category.WORK}


def test_demand_led_query_budget_does_not_grow_with_the_number_of_participants(work, client_for, max_queries):
    for i in range(30):
        p = ParticipantFactory(name=f"Extra {i}", regie_organisation=work.gemeente, phase="traject")
        f.work_profile(p, certificates=[work.vca] if i % 2 else [])
        WorkExperience.objects.create(participant=p, occupation="Schoonmaker")
    client = client_for(work.accountmanager)
    url = reverse("work:opening_matches", args=[work.opening.pk])
    with max_queries(18):
        assert client.get(url).status_code == 200


def test_supply_led_page_ranks_open_openings_with_a_query_budget(work, client_for, max_queries):
    for i in range(10):
        f.opening(work.employer, work.accountmanager, title=f"Schoonmaker {i}", sector="N")
    f.opening(work.employer, work.accountmanager, title="Gesloten plek", status="gesloten")
    client = client_for(work.regisseur)
    url = reverse("work:participant_matches", args=[work.participant.pk])
    with max_queries(22):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Productiemedewerker" in html and "Schoonmaker 9" in html and "Gesloten plek" not in html


def test_participant_matches_is_404_for_another_organisations_participant_and_without_work_data(work, client_for):
    url = reverse("work:participant_matches", args=[work.other_participant.pk])
    assert client_for(work.accountmanager).get(url).status_code == 404
    own = reverse("work:participant_matches", args=[work.participant.pk])
    assert client_for(work.taaldocent).get(own).status_code == 404  # a language provider never sees work data
    assert client_for(work.accountmanager).get(own).status_code == 200
    propose = reverse("work:propose_match", args=[work.opening.pk, work.other_participant.pk])
    assert client_for(work.accountmanager).get(propose).status_code == 404


def test_partner_without_work_scope_sees_afgeschermd(work, client_for):
    nieuw_thuis = OrganisationFactory(name="Nieuw Thuis", kind=OrganisationKind.MAATSCHAPPELIJK)
    begeleider = make_user(nieuw_thuis, Role.BEGELEIDER, username="bg2")
    MembershipFactory(participant=work.participant, organisation=nieuw_thuis, added_by=work.regisseur,
                      scope=Membership.scope_value({Category.IDENTITY, Category.TRAJECTORY}),
                      legal_basis=LegalBasis.WETTELIJKE_TAAK)
    ranking, grants = matching_queries.rank_participants(begeleider, work.opening)
    (e,) = ranking.eligible
    assert e.candidate.id == work.participant.pk and not e.candidate.see_work
    assert crit(e, "taal").state == "afgeschermd" and crit(e, "sector").state == "afgeschermd"
    html = client_for(begeleider).get(reverse("work:opening_matches", args=[work.opening.pk])).content.decode()
    assert "afgeschermd" in html and "Voorstellen" not in html  # no work write: no proposal


def test_propose_match_records_who_how_and_the_score(work, client_for):
    client = client_for(work.accountmanager)
    url = reverse("work:propose_match", args=[work.opening.pk, work.participant.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"mode": MatchMode.VIA_BEDRIJFSBEZOEK, "note": "Kent de werkvloer"})
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.proposed_by, match.mode, match.status) == (work.accountmanager, "via_bedrijfsbezoek", "voorgesteld")
    assert match.score == match.score_snapshot["points"]
    assert match.score_snapshot["criteria"][0]["label"] == "Taalniveau"
    again = client.post(url, {"mode": MatchMode.DIGITAAL})
    assert "al voorgesteld" in again.content.decode() and Match.objects.count() == 1
    assert AuditEvent.objects.filter(participant_id=work.participant.pk, action="aanmaken", category="werk").exists()
    reject = client.post(reverse("work:match_reject", args=[match.pk]), {"reason": "Werkgever koos een ander"})
    assert reject.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.AFGEWEZEN


def test_projectleider_sees_candidates_but_cannot_propose(work, client_for):
    leider = make_user(work.gemeente, Role.PROJECTLEIDER, username="pl")
    html = client_for(leider).get(reverse("work:opening_matches", args=[work.opening.pk])).content.decode()
    assert "Nahom Tesfay" in html and "Voorstellen" not in html
    url = reverse("work:propose_match", args=[work.opening.pk, work.participant.pk])
    assert client_for(leider).post(url, {"mode": "digitaal"}).status_code == 404


def test_work_profile_is_saved_with_history_and_audit(work, client_for):
    p = work.near
    client = client_for(work.regisseur)
    url = reverse("work:work_profile", args=[p.pk])
    response = client.post(url, {"driving_licence": "ja", "max_travel_km": "25", "hours_wanted": "",
                                 "certificates": [work.vca.pk], "excluded_sectors": ["I"], "notes": ""})
    assert response.status_code == 302
    p.work_profile.refresh_from_db()
    assert (p.work_profile.driving_licence, p.work_profile.max_travel_km) == ("ja", 25)
    assert p.changes.filter(field="werkprofiel.driving_licence", category="werk").exists()
    assert client_for(work.taaldocent).get(reverse("work:work_profile", args=[work.participant.pk])).status_code == 404
    bad = client_for(work.regisseur).post(url, {"driving_licence": "ja", "certificates": [999]})
    assert bad.status_code == 200 and "bestaat niet in Koers" in bad.content.decode()


def test_matching_a_large_population_is_deterministic_across_calls(work):
    rng = random.Random(3)
    for i in range(40):
        ParticipantFactory(name=f"P{i}", regie_organisation=work.gemeente, phase="traject",
                           level_spreken=rng.choice(["A1", "A2", "B1", "onbekend"]),
                           availability=rng.choice([None, ["ma_o", "di_o"]]))
    first, _ = matching_queries.rank_participants(work.accountmanager, work.opening)
    second, _ = matching_queries.rank_participants(work.accountmanager, work.opening)
    assert [e.candidate.id for e in first.eligible] == [e.candidate.id for e in second.eligible]
    assert matching_queries.can_propose(_[work.participant.pk])
