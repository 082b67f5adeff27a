"""The indicators engine on the NBNB reference programme (395 imported trajectories in 8 projects)."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.activities.models import Attendance, Session
from koers.activities.tests.activity_factories import make_activity, make_enrolment
from koers.casework.models import Contact
from koers.core.codes import OrganisationKind, Outcome, Role
from koers.core.tests.factories import OrganisationFactory, ParticipantFactory, make_user
from koers.monitoring.access import SMALL_CELL, Scope, scope_for
from koers.monitoring.models import Programme, Project, ProjectTarget, Source, Trajectory
from koers.monitoring.queries import indicators
from koers.monitoring.queries.indicators import Filters
from koers.monitoring.rules.tables import SUPPRESSED
from koers.synthetic import nbnb

# --- building the NBNB programme from the import-format rows (independent of the importer) ---------------------

def trajectory_from_row(programme: Programme, project: Project, row: dict[str, str]) -> Trajectory:
    """One import-format participant row as a Trajectory (empty = the model's 'unknown')."""
    return Trajectory(programme=programme, project=project, extern_id=row["extern_id"], source=Source.IMPORT,
                      imported_at=timezone.now(), **nbnb.trajectory_values(row))


def load_nbnb(owner=None, code: str = "nbnb") -> Programme:
    """The NBNB programme as Programme/Project/ProjectTarget/Trajectory rows (bulk insert)."""
    owner = owner or OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    programme = Programme.objects.create(code=code, name=nbnb.PROGRAMME["name"], owner=owner)
    rationale = {(p["code"], o): why for p in nbnb.PROJECTS for o, (_n, why) in p["doelen"].items()}
    projects = {}
    for row in nbnb.project_rows():
        org = OrganisationFactory(name=row["organisatie"], kind=OrganisationKind.SOCIAAL_ONDERNEMER)
        project = Project.objects.create(
            programme=programme, code=row["code"], name=row["naam"], organisation=org, tranche=row["tranche"],
            planned_participants=int(row["gepland"]), starts_on=date.fromisoformat(row["startdatum"]),
            ends_on=date.fromisoformat(row["einddatum"]), imported=True,
        )
        projects[row["code"]] = project
        for column, value in row.items():
            if column.startswith("doel_") and value:
                outcome = column.removeprefix("doel_")
                ProjectTarget.objects.create(project=project, outcome=outcome, count=int(value),
                                             rationale=rationale.get((row["code"], outcome), ""))
    Trajectory.objects.bulk_create(
        [trajectory_from_row(programme, projects[r["project"]], r) for r in nbnb.participant_rows()]
    )
    return programme


def owner_scope(programme: Programme) -> Scope:
    return Scope(programme, "owner", frozenset())


def half_up(x: float) -> int:
    return math.floor(x + 0.5)


@pytest.fixture
def programme(db):
    return load_nbnb()


@pytest.fixture
def report(programme):
    return {t.key: t for t in indicators.programme_report(owner_scope(programme), Filters())}


def row(table, code):
    return next(r for r in table.rows if r.code == code)


def counts(table, column=0) -> dict[str, int]:
    return {r.code: r.cells[column].count for r in table.rows if not r.total}


# --- outflow ---------------------------------------------------------------------------------------------------


def test_outflow_table_reproduces_table_b31_with_column_percentages(report):
    table = report["outflow"]
    assert table.columns == (*(p["naam"] for p in nbnb.PROJECTS), "Totaal")
    assert [r.code for r in table.rows if not r.total] == [*Outcome.values, indicators.ACTIVE_CODE]
    assert table.with_pct and table.chart == "stacked"
    assert table.n == 395 and table.unknown == 32
    for code, per_project in nbnb.OUTFLOW.items():
        cells = row(table, code).cells
        for j, count in enumerate([*per_project, sum(per_project)]):
            column_total = [*nbnb.TOTALS, 395][j]
            assert cells[j].count == count, (code, j)
            assert cells[j].display_pct() == f"{half_up(count * 100 / column_total)}%", (code, j)
    totals = next(r for r in table.rows if r.total)
    assert [c.count for c in totals.cells] == [*nbnb.TOTALS, 395]
    assert all(c.pct is None for c in totals.cells)
    assert [c.count for c in row(table, indicators.ACTIVE_CODE).cells] == [0] * 9
    # a few cells as printed in the report
    kim, vw1 = 0, 6
    assert row(table, "onbekend").cells[kim].display_pct() == "82%"
    assert row(table, "leer_werktraject").cells[vw1].display_pct() == "1%"
    assert row(table, "betaald_werk").cells[-1].display() == "76"
    assert row(table, "betaald_werk").cells[-1].display_pct() == "19%"
    assert row(table, "geen_werk").cells[-1].display_pct() == "34%"


def test_outflow_json_equals_the_published_figures(programme):
    scope = owner_scope(programme)
    data = indicators.outflow_json(programme, indicators.filtered(scope, Filters()),
                                   indicators.report_projects(scope, Filters()))
    expected = nbnb.expected_outflow()
    assert data["programme"] == "nbnb"
    assert data["total"] == expected["total"] == 395
    assert data["outcomes"] == expected["outcomes"]
    assert list(data["outcomes"]) == list(Outcome.values)
    assert {p["code"]: p["outcomes"] for p in data["projects"]} == expected["projects"]
    assert [p["code"] for p in data["projects"]] == nbnb.PROJECT_CODES
    assert [p["total"] for p in data["projects"]] == nbnb.TOTALS
    assert data["participation"] == {"count": 132, "share": 0.3342}
    assert data["job_quality"] == data["job_quality"] | {
        "contract_months_mean": 9.15, "contract_months_known": 48, "hours_mean": 16.19, "hours_known": 67,
        "zero_hours": 23,
    }
    assert data["active"] == 0 and data["ended"] == 395


def test_running_trajectories_are_a_row_of_their_own_and_not_in_the_participation_share(programme):
    project = programme.projects.get(code="kim")
    Trajectory.objects.filter(project=project, outcome="onbekend").update(outcome="", ended_on=None)
    scope = owner_scope(programme)
    qs = indicators.filtered(scope, Filters())
    projects = indicators.report_projects(scope, Filters())
    table = indicators.outflow_table(qs, projects)
    assert row(table, indicators.ACTIVE_CODE).cells[0].count == 18
    assert row(table, indicators.ACTIVE_CODE).cells[0].display_pct() == "82%"
    assert row(table, "onbekend").cells[-1].count == 14
    data = indicators.outflow_json(programme, qs, projects)
    assert data["total"] == 395 and data["active"] == 18 and data["ended"] == 377
    assert sum(data["outcomes"].values()) == 377
    assert data["participation"] == {"count": 132, "share": round(132 / 377, 4)}
    figures = {f.key: f for f in indicators.summary(qs)}
    assert figures["active"].value == 18 and figures["ended"].value == 377


def test_outflow_report_takes_a_fixed_number_of_queries(programme):
    scope = owner_scope(programme)
    with CaptureQueriesContext(connection) as ctx:
        qs = indicators.filtered(scope, Filters())
        projects = indicators.report_projects(scope, Filters())
        counts_ = indicators.outflow_counts(qs)
        indicators.outflow_table(qs, projects, counts=counts_)
        indicators.outflow_json(programme, qs, projects, counts=counts_)
    assert len(ctx.captured_queries) == 3  # projects, GROUP BY project/outcome, job quality
    with CaptureQueriesContext(connection) as ctx:
        indicators.programme_report(scope, Filters())
    assert len(ctx.captured_queries) <= 20


# --- participation, job quality, education, dropout ------------------------------------------------------------


def test_participation_is_the_six_outcomes_and_a_certificate_is_not(report, programme):
    table = report["participation"]
    assert [r.code for r in table.rows if not r.total] == list(indicators.PARTICIPATION_CODES)
    assert "certificaat_behaald" not in indicators.PARTICIPATION_CODES
    total = next(r for r in table.rows if r.total)
    assert total.cells[0].count == 132 and total.cells[0].display_pct() == "33%"
    assert table.n == 395 and table.unknown == 32
    figures = {f.key: f for f in indicators.summary(indicators.filtered(owner_scope(programme), Filters()))}
    assert figures["participation_count"].value == 132
    assert figures["participation"].value == 33.4 and figures["participation"].n == 395
    assert figures["dropout_rate"].value == 17.0 and figures["dropout_rate"].unknown == 32
    assert figures["participants"].value == 395 and figures["ended"].value == 395
    assert figures["started"].value == 395 and figures["started"].unknown == 0


def test_job_quality_tables_match_table_41(report):
    months = report["contract_months"]
    assert counts(months) == {"65": 1, "24": 1, "15": 1, "12": 10, "9": 2, "8": 1, "7": 14, "6": 13, "5": 1,
                              "3": 2, "1": 2, "onbekend": 28}
    assert [r.code for r in months.rows if not r.total][:3] == ["65", "24", "15"]  # longest first
    assert row(months, "gemiddelde").cells[0].value == 9.15
    assert row(months, "gemiddelde").cells[0].display() == "9,15"
    assert (months.n, months.unknown) == (76, 28)

    hours = report["hours"]
    assert counts(hours)["0"] == 23 and counts(hours)["40"] == 8 and counts(hours)["onbekend"] == 9
    assert row(hours, "0").label == "0 (nulurencontract)"
    assert row(hours, "gemiddelde").cells[0].value == 16.19
    assert row(hours, "aandeel").cells[0].value == 34.3  # 23 of 67 known
    assert (hours.n, hours.unknown) == (76, 9)

    types = report["contract_types"]
    assert counts(types)["nul_uren"] == 23
    known = 76 - counts(types)["onbekend"]
    temporary = counts(types)["tijdelijk"] + 23
    assert row(types, "aandeel").cells[0].value == round(temporary * 100 / known, 1)

    functions = report["functions"]
    assert functions.rows[0].label == "horeca" and functions.rows[0].cells[0].count == 11
    assert counts(functions)["onbekend"] == 16
    assert counts(functions)["IT'er"] == 1
    assert sum(counts(functions).values()) == 76


def test_education_and_dropout_tables(report):
    education = report["education"]
    assert counts(education) == {"entree": 10, "mbo1": 8, "mbo2": 4, "mbo3": 3, "mbo4": 2, "hbo": 3, "wo": 1,
                                 "overig": 0, "onbekend": 0}
    assert counts(report["education_field"]) == {"zorg": 14, "administratief": 4, "techniek": 3, "onbekend": 10}

    dropout = report["dropout"]
    assert counts(dropout)["motivatie"] == 40
    assert counts(dropout)["onbekend"] == 23  # 'onbekend' as reason is unknown
    assert counts(dropout)["zorgtaken"] == 0  # every reason present, zeros included
    assert (dropout.n, dropout.unknown) == (67, 23)
    assert "67 van 395" in dropout.note


def test_empty_dropout_reason_counts_as_unknown(programme):
    Trajectory.objects.filter(outcome="voortijdige_uitval", dropout_reason="onbekend").update(dropout_reason="")
    table = indicators.dropout_table(indicators.filtered(owner_scope(programme), Filters()))
    assert counts(table)["onbekend"] == 23 and table.unknown == 23


def test_durability_over_known_answers(report, programme):
    rows = nbnb.participant_rows()
    paid = [r for r in rows if r["uitstroom"] == "betaald_werk"]
    yes6 = sum(r["werk_na_6_maanden"] == "ja" for r in paid)
    no6 = sum(r["werk_na_6_maanden"] == "nee" for r in paid)
    table = report["durability"]
    assert row(table, "ja").cells[0].count == yes6
    assert row(table, "nee").cells[0].count == no6
    assert row(table, "onbekend").cells[0].count == 76 - yes6 - no6
    assert row(table, "aandeel").cells[0].value == round(yes6 * 100 / (yes6 + no6), 1)
    assert next(r for r in table.rows if r.total).cells[2].count == 395  # all ended
    figures = {f.key: f for f in indicators.summary(indicators.filtered(owner_scope(programme), Filters()))}
    assert figures["durability_6m"].n == 76 and figures["durability_6m"].unknown == 76 - yes6 - no6


# --- targets ---------------------------------------------------------------------------------------------------


def test_targets_against_realised(report, programme):
    table = report["targets"]
    werkshop = row(table, "werkshop:betaald_werk")
    assert [werkshop.cells[0].value, werkshop.cells[1].count, werkshop.cells[2].value] == [20, 25, 1]
    assert werkshop.cells[1].display_pct() == "125%"
    kim = row(table, "kim:betaald_werk")
    assert [kim.cells[0].value, kim.cells[1].count, kim.cells[2].value] == [35, 1, 0]
    assert row(table, "vw1:reguliere_opleiding").cells[2].value == 1
    assert row(table, "vw2:reguliere_opleiding").cells[2].value == 1
    assert row(table, "dt:leer_werktraject").cells[2].value == 1
    scope = owner_scope(programme)
    results = indicators.target_results(indicators.filtered(scope, Filters()),
                                        indicators.report_projects(scope, Filters()))
    rc = next(r for r in results if r.project.code == "rc")
    assert rc.rationale.startswith("140 (70%)") and not rc.met and rc.realised == 14


# --- breakdowns ------------------------------------------------------------------------------------------------


def test_breakdown_by_gender(report):
    table = report["breakdown_geslacht"]
    assert table.columns[0] == "Deelnemers"
    man, vrouw = row(table, "man"), row(table, "vrouw")
    assert [man.cells[0].count, vrouw.cells[0].count, row(table, "anders").cells[0].count] == [250, 143, 2]
    assert man.cells[2].count == 82 and man.cells[2].display_pct() == "33%"  # participation of men
    assert man.cells[3].display_pct() == "22%" and vrouw.cells[3].display_pct() == "14%"  # paid work
    assert next(r for r in table.rows if r.total).cells[2].count == 132


def test_breakdowns_by_every_dimension_add_up(report):
    for dimension in indicators.BREAKDOWNS:
        table = report[f"breakdown_{dimension}"]
        total = next(r for r in table.rows if r.total)
        assert total.cells[0].count == 395, dimension
        assert sum(r.cells[0].count for r in table.rows if not r.total) == 395, dimension
        assert sum(r.cells[2].count for r in table.rows if not r.total) == 132, dimension
    assert row(report["breakdown_opleidingsniveau"], "onbekend").cells[0].count == 89
    assert row(report["breakdown_land"], "SY").label.startswith("SY – ")
    organisations = report["breakdown_organisatie"]
    vw = next(r for r in organisations.rows if r.label == "VluchtelingenWerk Midden-Nederland")
    assert vw.cells[0].count == 68 + 39


def test_age_groups_from_birth_year_and_start_year(programme):
    assert indicators.age_group(2000, 2024) == "tot25"
    assert indicators.age_group(2000, 2025) == "25-34"
    assert indicators.age_group(1970, 2025) == "55plus"
    assert indicators.age_group(None, 2025) == "onbekend"
    assert indicators.age_group(1990, None) == "onbekend"
    Trajectory.objects.filter(extern_id="DRS-0001").update(birth_year=None)
    table = indicators.breakdown_table(indicators.filtered(owner_scope(programme), Filters()), "leeftijd")
    assert [r.code for r in table.rows if not r.total] == ["tot25", "25-34", "35-44", "45-54", "55plus",
                                                           "onbekend"]
    assert row(table, "onbekend").cells[0].count == 1


# --- scopes and filters ----------------------------------------------------------------------------------------


def test_external_scope_suppresses_small_cells(programme):
    researcher = Scope(programme, "researcher", frozenset())
    assert researcher.external
    tables = {t.key: t for t in indicators.programme_report(researcher, Filters())}
    outflow = tables["outflow"]
    assert outflow.suppressed
    for r in outflow.rows:
        for c in r.cells:
            assert c.suppressed or c.count == 0 or c.count >= SMALL_CELL or r.total
    kim = 0
    assert row(outflow, "betaald_werk").cells[kim].display() == SUPPRESSED  # 1 participant
    assert row(outflow, "betaald_werk").cells[kim].display_pct() == ""
    assert row(outflow, "onbekend").cells[kim].display() == "18"
    assert next(r for r in outflow.rows if r.total).cells[kim].count == 22  # totals stay
    assert row(outflow, "reguliere_opleiding").cells[kim].display() == "0"  # zero reveals no one
    # secondary suppression: no column has exactly one hidden category cell
    for j in range(len(outflow.columns)):
        assert sum(r.cells[j].suppressed for r in outflow.rows if not r.total) != 1
    # the percentage of a target goes with the realised count
    kim_target = row(tables["targets"], "kim:betaald_werk")
    assert kim_target.cells[1].suppressed and kim_target.cells[2].suppressed
    assert kim_target.cells[0].value == 35
    # everything is suppressed, nothing leaks a count below the threshold
    for table in tables.values():
        for r in table.rows:
            if not r.total:
                assert all(c.suppressed or not (0 < (c.count or 0) < SMALL_CELL) for c in r.cells), table.key
    # the owner sees the small cells
    own = indicators.programme_report(owner_scope(programme), Filters())[0]
    assert row(own, "betaald_werk").cells[kim].count == 1 and not own.suppressed


def test_headline_figures_for_researchers_hide_small_numbers_and_counts_in_notes(programme):
    Trajectory.objects.filter(outcome="betaald_werk").update(work_6m="onbekend")
    Trajectory.objects.filter(extern_id__in=["DRS-0001", "DRS-0002"], outcome="betaald_werk").update(work_6m="ja")
    qs = indicators.filtered(owner_scope(programme), Filters())
    own = {f.key: f for f in indicators.summary(qs)}
    shared = {f.key: f for f in indicators.summary(qs, external=True)}
    assert shared["participation"].value == own["participation"].value == 33.4
    assert "132" in own["participation"].note and "132" not in shared["participation"].note
    known_6m = own["durability_6m"].n - own["durability_6m"].unknown
    assert 0 < known_6m < SMALL_CELL and own["durability_6m"].value == 100.0
    assert shared["durability_6m"].value is None and shared["durability_6m"].n == 76


def test_a_mean_over_fewer_than_five_known_values_is_hidden_for_researchers(programme):
    Trajectory.objects.filter(outcome="betaald_werk").exclude(extern_id__in=["DRS-0001"]).update(
        contract_months=None)
    researcher = Scope(programme, "researcher", frozenset())
    tables = {t.key: t for t in indicators.programme_report(researcher, Filters())}
    assert row(tables["contract_months"], "gemiddelde").cells[0].suppressed
    assert not row(tables["hours"], "gemiddelde").cells[0].suppressed


def test_partner_scope_never_counts_another_organisations_trajectories(programme):
    rc = programme.projects.get(code="rc")
    staff = make_user(rc.organisation, Role.PROJECTLEIDER)
    scope = scope_for(staff, programme)
    assert scope.kind == "partner" and not scope.external
    tables = {t.key: t for t in indicators.programme_report(scope, Filters())}
    assert tables["outflow"].columns == ("Refugee Company", "Totaal")
    assert tables["outflow"].n == 98
    assert row(tables["outflow"], "betaald_werk").cells[-1].count == 14
    assert {r.code.split(":")[0] for r in tables["targets"].rows} == {"rc"}
    assert [r.label for r in tables["breakdown_organisatie"].rows if not r.total] == ["Refugee Company"]
    # asking for another organisation's project does not widen the scope
    kim = programme.projects.get(code="kim")
    assert indicators.filtered(scope, Filters(project_ids=(kim.pk,))).count() == 0
    assert indicators.report_projects(scope, Filters(project_ids=(kim.pk,))) == []
    assert indicators.filtered(scope, Filters(organisation_id=kim.organisation_id)).count() == 0
    data = indicators.outflow_json(programme, indicators.filtered(scope, Filters()),
                                   indicators.report_projects(scope, Filters()))
    assert data["total"] == 98 and [p["code"] for p in data["projects"]] == ["rc"]


def test_filters_by_project_organisation_and_period(programme):
    scope = owner_scope(programme)
    kim = programme.projects.get(code="kim")
    vw1 = programme.projects.get(code="vw1")
    assert indicators.filtered(scope, Filters(project_ids=(kim.pk,))).count() == 22
    assert indicators.filtered(scope, Filters(project_ids=(kim.pk, vw1.pk))).count() == 22 + 68
    by_org = Filters(organisation_id=vw1.organisation_id)
    assert indicators.filtered(scope, by_org).count() == 68 + 39
    assert [p.code for p in indicators.report_projects(scope, by_org)] == ["vw1", "vw2"]

    rows = nbnb.participant_rows()
    start, end = date(2019, 6, 1), date(2019, 12, 31)
    expected = sum(date.fromisoformat(r["startdatum"]) <= end and date.fromisoformat(r["einddatum"]) >= start
                   for r in rows)
    period = Filters(date_from=start, date_to=end)
    assert 0 < indicators.filtered(scope, period).count() == expected < 395
    # unknown dates count as "in the period"
    Trajectory.objects.filter(extern_id="DRS-0001").update(started_on=None, ended_on=None)
    assert indicators.filtered(scope, Filters(date_from=date(2030, 1, 1), date_to=date(2030, 12, 31))).count() == 1
    # the report follows the filters
    tables = {t.key: t for t in indicators.programme_report(scope, Filters(project_ids=(kim.pk,)))}
    assert tables["outflow"].columns == ("De KIM", "Totaal") and tables["outflow"].n == 22


# --- native-only figures ---------------------------------------------------------------------------------------


def test_native_only_figures_are_unknown_for_imported_trajectories(programme):
    figures = {f.key: f for f in indicators.summary(indicators.filtered(owner_scope(programme), Filters()))}
    for key in ("attendance_rate", "guidance_hours"):
        assert figures[key].value is None, key
        assert figures[key].n == 395 and figures[key].unknown == 395, key
    # no first placement dates in the import: paid work without dates is unknown
    assert figures["time_to_placement"].value is None
    assert figures["time_to_placement"].n == 76 and figures["time_to_placement"].unknown == 76


@pytest.mark.django_db
def test_attendance_guidance_hours_and_time_to_placement_of_native_trajectories():
    gemeente = OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    provider = OrganisationFactory(name="Werkkracht", kind=OrganisationKind.REINTEGRATIE)
    other = OrganisationFactory(name="Taalhuis", kind=OrganisationKind.TAALAANBIEDER)
    staff = make_user(provider, Role.BEGELEIDER)
    programme = Programme.objects.create(code="eigen", name="Eigen werk", owner=gemeente)
    project = Project.objects.create(programme=programme, code="p", name="Project", organisation=provider)
    alice, bob = ParticipantFactory(regie_organisation=gemeente), ParticipantFactory(regie_organisation=gemeente)
    start = date(2024, 1, 1)
    Trajectory.objects.create(programme=programme, project=project, participant=alice, started_on=start,
                              ended_on=date(2024, 6, 30), outcome="betaald_werk",
                              first_placement_on=start + timedelta(days=40))
    Trajectory.objects.create(programme=programme, project=project, participant=bob, started_on=start,
                              first_placement_on=start + timedelta(days=100))
    Trajectory.objects.create(programme=programme, project=project, extern_id="X-1", source=Source.IMPORT)

    activity = make_activity(provider, staff, start=date(2023, 12, 1), end=date(2024, 12, 31))
    enrolment = make_enrolment(alice, activity, staff)
    statuses = ["aanwezig", "te_laat", "afwezig_met_afmelding", "ziek"]
    for k, status in enumerate(statuses):
        session = Session.objects.create(activity=activity, date=date(2024, 2, 5) + timedelta(weeks=k),
                                         start_time=time(9), end_time=time(12))
        Attendance.objects.create(session=session, enrolment=enrolment, participant=alice, status=status,
                                  recorded_by=staff)
    outside = Session.objects.create(activity=activity, date=date(2023, 12, 4), start_time=time(9),
                                     end_time=time(12))  # before the start: not counted
    Attendance.objects.create(session=outside, enrolment=enrolment, participant=alice, status="aanwezig",
                              recorded_by=staff)

    def contact(participant, org, minutes, day):
        Contact.objects.create(participant=participant, kind="gesprek", organisation=org, duration_minutes=minutes,
                               happened_at=timezone.make_aware(datetime.combine(day, time(10))),
                               summary="Gesprek", recorded_by=staff)

    contact(alice, provider, 60, date(2024, 2, 1))
    contact(alice, provider, 30, date(2024, 3, 1))
    contact(alice, other, 45, date(2024, 3, 1))  # another organisation's time
    contact(alice, provider, 90, date(2024, 8, 1))  # after the end
    contact(bob, provider, 90, date(2024, 2, 1))

    qs = indicators.filtered(Scope(programme, "owner", frozenset()), Filters())
    figures = {f.key: f for f in indicators.summary(qs, today=date(2024, 12, 1))}
    att = figures["attendance_rate"]
    assert att.value == 50.0  # 2 of 4 recorded sessions in the trajectory's period
    assert att.n == 3 and att.unknown == 2  # bob has no records, the imported one is unknown
    hours = figures["guidance_hours"]
    assert hours.value == 1.5  # (60 + 30 + 90) minutes over 2 native trajectories
    assert hours.unknown == 1
    placement = figures["time_to_placement"]
    assert placement.value == 70 and placement.n == 2 and placement.unknown == 0
    assert figures["time_to_placement_mean"].value == 70.0
    assert figures["active"].value == 2 and figures["started"].unknown == 1


@pytest.mark.django_db
def test_an_empty_programme_reports_zeros_and_unknowns_not_errors():
    owner = OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    programme = Programme.objects.create(code="leeg", name="Leeg", owner=owner)
    Project.objects.create(programme=programme, code="p", name="Project")
    scope = owner_scope(programme)
    tables = {t.key: t for t in indicators.programme_report(scope, Filters())}
    assert list(tables) == list(indicators.report_keys())
    assert next(r for r in tables["outflow"].rows if r.total).cells[0].count == 0
    assert row(tables["contract_months"], "gemiddelde").cells[0].value is None
    data = indicators.outflow_json(programme, indicators.filtered(scope, Filters()),
                                   indicators.report_projects(scope, Filters()))
    assert data["total"] == 0 and data["participation"] == {"count": 0, "share": None}
    assert data["job_quality"]["hours_mean"] is None
    figures = indicators.summary(indicators.filtered(scope, Filters()))
    assert all(f.n == 0 for f in figures)
    researcher = indicators.programme_report(Scope(programme, "researcher", frozenset()), Filters())
    assert all(t.suppressed for t in researcher)
