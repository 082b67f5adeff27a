"""Group feasibility (the pilots' decision figure), suggestions, and the group services and pages."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.activities.models import Group
from koers.activities.rules import groups as group_rules
from koers.activities.rules.groups import ATTENTION, FEASIBLE, HIDDEN, NOT_FEASIBLE, GroupSpec, MemberProfile, assess
from koers.activities.services import groups as group_services
from koers.activities.tests.test_attendance import enrol, make_activity, visible_participant
from koers.core.codes import ActivityKind, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import OrganisationFactory, ParticipantFactory, make_user

TUE_MORNING = frozenset({"di_o"})
ALWAYS = ["di_o", "di_m", "do_o"]


def member(n: int, level: str = "A2", availability=ALWAYS, sectors=()) -> MemberProfile:
    return MemberProfile(key=n, name=f"Deelnemer {n}", level=level, availability=availability, sectors=sectors)


# --- feasibility at the boundaries ---------------------------------------------------------------------------


def test_exactly_the_minimum_size_is_feasible_one_less_is_not():
    spec = GroupSpec(min_size=4, max_size=6, dagdelen=TUE_MORNING)
    assert assess(spec, [member(i) for i in range(4)]).verdict == FEASIBLE
    small = assess(spec, [member(i) for i in range(3)])
    assert small.verdict == NOT_FEASIBLE and small.codes() == {"te_klein"}
    assert "minimaal 4 nodig (nog 1 erbij)" in small.problems[0].text


def test_exactly_the_maximum_is_feasible_one_more_is_not():
    spec = GroupSpec(min_size=2, max_size=3, dagdelen=TUE_MORNING)
    assert assess(spec, [member(i) for i in range(3)]).feasible
    big = assess(spec, [member(i) for i in range(4)])
    assert not big.feasible and "te_groot" in big.codes() and "1 te veel" in big.problems[0].text


def test_an_empty_group_is_not_feasible_even_without_a_minimum():
    assert assess(GroupSpec(), []).verdict == NOT_FEASIBLE


def test_hidden_members_count_for_the_size():
    spec = GroupSpec(min_size=3, dagdelen=TUE_MORNING)
    result = assess(spec, [member(1), member(2)], hidden_members=1)
    assert result.size == 3 and "te_klein" not in result.codes() and "afgeschermd_lid" in result.codes()


@pytest.mark.parametrize(("levels", "warns"), [
    (["A1", "A1"], False),
    (["A1", "A2"], False),  # one step: fine
    (["A2", "B1", "A2"], False),
    (["A1", "A2", "B1"], True),  # two steps (A1 with B1): warn
    (["A0", "B2"], True),  # the pilots' "we moeten allemaal wachten"
])
def test_spread_of_speaking_levels(levels, warns):
    spec = GroupSpec(dagdelen=TUE_MORNING)
    result = assess(spec, [member(i, lvl) for i, lvl in enumerate(levels)])
    assert ("niveauverschil" in result.codes()) is warns
    assert result.verdict == (ATTENTION if warns else FEASIBLE)


def test_spread_text_names_the_levels():
    result = assess(GroupSpec(), [member(1, "A1"), member(2, "B1")])
    [warning] = [r for r in result.warnings if r.code == "niveauverschil"]
    assert "van A1 tot B1 (2 stappen" in warning.text and "1× A1, 1× B1" in warning.text
    assert result.level_range == ("A1", "B1")


def test_unknown_and_hidden_levels_are_reported_not_guessed():
    result = assess(GroupSpec(dagdelen=TUE_MORNING), [member(1, "A1"), member(2, "onbekend"), member(3, HIDDEN)])
    assert "niveau_onbekend" in result.codes() and "Deelnemer 2" in result.warnings[0].text
    assert "niveau_afgeschermd" in result.codes()
    assert "niveauverschil" not in result.codes()


def test_members_not_available_on_the_slot_block_the_group():
    spec = GroupSpec(min_size=2, dagdelen=frozenset({"di_o", "do_o"}))
    result = assess(spec, [member(1), member(2, availability=["di_o"]), member(3, availability=None)])
    assert result.verdict == NOT_FEASIBLE
    [problem] = result.problems
    assert problem.code == "niet_beschikbaar" and "donderdag ochtend: Deelnemer 2 (1 van 3)" in problem.text
    assert "beschikbaarheid_onbekend" in result.codes()


def test_no_weekly_pattern_says_availability_was_not_checked():
    result = assess(GroupSpec(min_size=1), [member(1, availability=[])])
    assert result.verdict == FEASIBLE and "geen_weekpatroon" in result.codes()


def test_sector_overlap_for_work_oriented_activities_only():
    members = [member(1, sectors=["C", "H"]), member(2, sectors=["C"]), member(3, sectors=["C", "H"]),
               member(4, sectors=[])]
    work = assess(GroupSpec(dagdelen=TUE_MORNING, work_oriented=True), members)
    assert work.top_sectors == (("C", 3), ("H", 2))
    assert "Industrie (productie) (3 van 4)" in work.notes[0].text and "sector_onbekend" in work.codes()
    assert assess(GroupSpec(dagdelen=TUE_MORNING), members).top_sectors == ()
    apart = assess(GroupSpec(work_oriented=True), [member(1, sectors=["C"]), member(2, sectors=["Q"])])
    assert "geen_gedeelde_sector" in apart.codes() and apart.verdict == ATTENTION


# --- suggestions ---------------------------------------------------------------------------------------------


def test_suggestions_split_by_level_and_maximum_size():
    spec = GroupSpec(min_size=2, max_size=4, dagdelen=TUE_MORNING)
    candidates = ([member(i, "A1") for i in range(3)] + [member(10 + i, "A2") for i in range(3)]
                  + [member(20 + i, "B2") for i in range(2)] + [member(30, "onbekend")]
                  + [member(40, "A1", availability=["do_o"])])
    result = group_rules.suggest_groups(spec, candidates)
    sizes = [len(s.members) for s in result.groups]
    assert sizes == [3, 3, 2]  # A1/A2 cluster of 6 split into two of 3; B2 on its own
    for s in result.groups:
        ranks = [m.level_rank for m in s.members]
        assert max(ranks) - min(ranks) <= 1 and s.feasibility.feasible
    assert [m.key for m in result.unknown_level] == [30] and [m.key for m in result.unavailable] == [40]
    assert result.groups[2].name == "Groep B2"


def test_suggestion_below_minimum_says_so():
    result = group_rules.suggest_groups(GroupSpec(min_size=3), [member(1, "A0"), member(2, "B1")])
    assert [s.feasibility.verdict for s in result.groups] == [NOT_FEASIBLE, NOT_FEASIBLE]


# --- services and pages --------------------------------------------------------------------------------------


@pytest.fixture
def course(world):
    activity = make_activity(world.taal, world.taaldocent, min_group_size=2, max_group_size=3,
                             slots=((1, time(9), time(12)),))
    people = [visible_participant(world, name=f"Lid {i}", level_spreken=lvl, availability=["di_o"])
              for i, lvl in enumerate(["A1", "A2", "B1"])]
    enrolments = [enrol(p, activity, world.regisseur) for p in people]
    return activity, enrolments


def test_create_group_add_and_remove_members(world, course):
    activity, enrolments = course
    group = group_services.create_group(world.taaldocent, activity, "Ochtend", [e.pk for e in enrolments[:2]])
    assert set(group.enrolments.values_list("pk", flat=True)) == {enrolments[0].pk, enrolments[1].pk}
    with pytest.raises(ValidationError, match="al een groep"):
        group_services.create_group(world.taaldocent, activity, "ochtend")
    group_services.remove_member(world.taaldocent, group, enrolments[0].pk)
    assert group.enrolments.count() == 1
    assert AuditEvent.objects.filter(participant_id=enrolments[0].participant_id, action="wijzigen").count() == 2


def test_adding_someone_not_enrolled_or_invisible_changes_nothing(world, course):
    activity, enrolments = course
    group = group_services.create_group(world.taaldocent, activity, "Ochtend")
    other = enrol(visible_participant(world), make_activity(world.taal, world.taaldocent, title="Ander"),
                  world.regisseur)
    hidden = enrol(ParticipantFactory(regie_organisation=world.gemeente), activity, world.regisseur)
    for bad in (other, hidden):
        with pytest.raises(ValidationError, match="niets gewijzigd"):
            group_services.add_members(world.taaldocent, group, [enrolments[0].pk, bad.pk])
    assert not group.enrolments.exists()


def test_group_pages_show_the_verdict_and_why(world, course, client_for, max_queries):
    activity, enrolments = course
    client = client_for(world.taaldocent)
    response = client.post(reverse("activities:groups", args=[activity.pk]), {"name": "Gemengd"})
    group = Group.objects.get(name="Gemengd")
    assert response["Location"] == reverse("activities:group_detail", args=[group.pk])
    url = reverse("activities:group_detail", args=[group.pk])
    client.post(url, {"enrolments": [e.pk for e in enrolments]})
    assert group.enrolments.count() == 3
    with max_queries(15):
        html = client.get(url).content.decode()
    assert "Haalbaar, met aandachtspunten" in html and "van A1 tot B1" in html
    html = client.get(reverse("activities:groups", args=[activity.pk])).content.decode()
    assert "Gemengd" in html and "van A1 tot B1" in html
    client.post(reverse("activities:group_remove_member", args=[group.pk, enrolments[2].pk]))
    client.post(reverse("activities:group_remove_member", args=[group.pk, enrolments[1].pk]))
    html = client.get(url).content.decode()
    assert "Lastig te organiseren" in html and "Waarom niet haalbaar" in html and "nog 1 erbij" in html


def test_suggestion_page_creates_a_group(world, course, client_for):
    activity, enrolments = course
    client = client_for(world.taaldocent)
    html = client.get(reverse("activities:group_suggestions", args=[activity.pk])).content.decode()
    assert "Voorstel 1: Groep A1/A2" in html and "Voorstel 2: Groep B1" in html
    response = client.post(reverse("activities:group_from_suggestion", args=[activity.pk]),
                           {"name": "Groep A1/A2", "enrolments": [enrolments[0].pk, enrolments[1].pk]})
    group = Group.objects.get(name="Groep A1/A2")
    assert response["Location"] == reverse("activities:group_detail", args=[group.pk])
    assert group.enrolments.count() == 2


def test_a_nul_character_in_a_suggested_group_name_never_reaches_the_database(world, course, client_for):
    """PostgreSQL refuses NUL in text; the suggestion form posts outside a Django form, so the view drops it."""
    activity, enrolments = course
    response = client_for(world.taaldocent).post(reverse("activities:group_from_suggestion", args=[activity.pk]),
                                                 {"name": "Groep\x00 A", "enrolments": [enrolments[0].pk]})
    assert response.status_code == 302
    assert Group.objects.filter(name="Groep A").exists()


def test_group_pages_are_404_for_another_provider(world, course, client_for):
    activity, enrolments = course
    group = group_services.create_group(world.taaldocent, activity, "Ochtend")
    other = OrganisationFactory(name="Andere taalschool")
    client = client_for(make_user(other, Role.TAALDOCENT, username="ander"))
    for url in (reverse("activities:groups", args=[activity.pk]),
                reverse("activities:group_suggestions", args=[activity.pk]),
                reverse("activities:group_detail", args=[group.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("activities:group_detail", args=[group.pk]),
                       {"enrolments": [enrolments[0].pk]}).status_code == 404
    assert not group.enrolments.exists()


def test_teacher_sees_levels_but_not_sectors_on_a_work_oriented_group(world, client_for):
    activity = make_activity(world.taal, world.taaldocent, kind=ActivityKind.VAKSCHOLING, title="Vakcursus")
    p = visible_participant(world, name="Werkzoeker", level_spreken="A2", sector_interests=["Q"])
    e = enrol(p, activity, world.regisseur)
    group = group_services.create_group(world.taaldocent, activity, "Vak", [e.pk])
    html = client_for(world.taaldocent).get(reverse("activities:group_detail", args=[group.pk])).content.decode()
    assert "Sectorinteresse afgeschermd voor u: Werkzoeker" in html and "Gezondheids- en welzijnszorg" not in html
