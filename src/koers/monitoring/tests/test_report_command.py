"""``koers report`` on the NBNB reference programme: JSON, CSV and XLSX, filters and errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from koers.core.codes import OrganisationKind, Outcome
from koers.core.tests.factories import OrganisationFactory
from koers.monitoring.models import Trajectory
from koers.monitoring.queries import indicators
from koers.monitoring.tests.test_indicators import load_nbnb
from koers.synthetic import nbnb


@pytest.fixture
def programme(db):
    return load_nbnb()


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def report_json(*extra) -> dict:
    out, _ = run("outflow", "--programme", "nbnb", "--format", "json", *extra)
    return json.loads(out)


def test_json_prints_the_outflow_object(programme):
    data = report_json()
    expected = nbnb.expected_outflow()
    assert data["programme"] == "nbnb" and data["total"] == 395
    assert data["outcomes"] == expected["outcomes"]
    assert set(data["outcomes"]) == set(Outcome.values)
    assert {p["code"]: p["outcomes"] for p in data["projects"]} == expected["projects"]
    for project in data["projects"]:
        assert set(project) >= {"code", "total", "outcomes"}
    assert data["participation"] == {"count": 132, "share": 0.3342}
    quality = data["job_quality"]
    assert (quality["contract_months_mean"], quality["contract_months_known"]) == (9.15, 48)
    assert (quality["hours_mean"], quality["hours_known"], quality["zero_hours"]) == (16.19, 67, 23)
    assert (quality["jobs"], quality["temporary_contracts"], quality["contract_type_known"]) == (76, 55, 56)
    # json is the default for outflow
    out, _ = run("outflow", "--programme", "nbnb")
    assert json.loads(out) == data


def test_json_follows_the_filters(programme):
    data = report_json("--project", "kim", "--project", "vw2")
    assert data["total"] == 22 + 39 and [p["code"] for p in data["projects"]] == ["kim", "vw2"]
    data = report_json("--organisatie", "vluchtelingenwerk midden-nederland")
    assert [p["code"] for p in data["projects"]] == ["vw1", "vw2"] and data["total"] == 68 + 39
    Trajectory.objects.filter(project__code="kim").update(started_on="2030-01-01")
    data = report_json("--van", "01-01-2019", "--tot", "2029-12-31")
    assert data["total"] == 395 - 22
    assert next(p for p in data["projects"] if p["code"] == "kim")["total"] == 0


def test_csv_to_stdout_and_to_a_file(programme, tmp_path):
    out, _ = run("outflow", "--programme", "nbnb", "--format", "csv")
    lines = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert lines[0] == ["Uitstroom per project"]
    header = lines[1]
    assert header[:3] == ["Uitstroom", "De KIM", "De KIM %"] and header[-2:] == ["Totaal", "Totaal %"]
    paid = next(line for line in lines if line[0] == "Betaald werk")
    assert paid[1:3] == ["1", "4,5"] and paid[-2:] == ["76", "19,2"]  # decimal comma, as Dutch Excel reads it
    assert any(line[:1] == ["Participatie"] for line in lines)  # the tables behind the JSON follow

    target = tmp_path / "uitstroom.csv"
    out, err = run("outflow", "--programme", "nbnb", "--format", "csv", "--output", str(target))
    assert out == "" and str(target) in err
    assert target.read_text(encoding="utf-8").startswith("Uitstroom per project\n")


def test_xlsx_needs_output_and_writes_readable_sheets(programme, tmp_path):
    with pytest.raises(CommandError, match="--output"):
        run("outflow", "--programme", "nbnb", "--format", "xlsx")
    target = tmp_path / "uitstroom.xlsx"
    run("outflow", "--programme", "nbnb", "--format", "xlsx", "--output", str(target))
    wb = load_workbook(target)
    assert wb.sheetnames[0] == "Uitstroom per project"  # the title a reader knows, not the code
    ws = wb["Uitstroom per project"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Uitstroom per project"
    header = rows[1]
    paid = next(r for r in rows if r[0] == "Betaald werk")
    assert paid[header.index("Totaal")] == 76
    assert paid[header.index("Werkshop")] == 25
    total = next(r for r in rows if r[0] == "Totaal")
    assert total[header.index("Totaal")] == 395


def test_report_all_writes_every_table(programme, tmp_path):
    target = tmp_path / "alles.xlsx"
    run("all", "--programme", "nbnb", "--format", "xlsx", "--output", str(target))
    names = load_workbook(target).sheetnames
    assert len(names) == len(indicators.report_keys()) + 1 and len(set(names)) == len(names)
    assert all(len(n) <= 31 and not any(c in n for c in "[]:*?/\\") for n in names)
    assert "Uitstroom per project" in names and not set(names) & {*indicators.report_keys(), "completeness"}
    target_csv = tmp_path / "alles.csv"
    run("all", "--programme", "nbnb", "--format", "csv", "--output", str(target_csv))
    text = target_csv.read_text(encoding="utf-8")
    for title in ("Uitstroom per project", "Doelstellingen en realisatie", "Redenen van voortijdige uitval",
                  "Participatie en uitstroom naar geslacht"):
        assert f"\n{title}\n" in "\n" + text
    with pytest.raises(CommandError, match="csv of --format xlsx"):
        run("all", "--programme", "nbnb", "--format", "json")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("outflow", "--programme", "bestaat-niet"), "Programma 'bestaat-niet' bestaat niet"),
        (("outflow", "--programme", "nbnb", "--project", "xyz"), "xyz bestaan niet"),
        (("outflow", "--programme", "nbnb", "--organisatie", "Onbekend BV"), "voert geen project uit"),
        (("outflow", "--programme", "nbnb", "--van", "31-02-2020"), "geen bestaande datum"),
        (("outflow", "--programme", "nbnb", "--tot", "gisteren"), "geen datum"),
        (("outflow", "--programme", "nbnb", "--van", "2021-01-01", "--tot", "2020-01-01"), "--van ligt na --tot"),
    ],
)
def test_errors_are_clear_dutch(programme, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_the_command_sees_the_whole_programme_without_suppression(programme):
    out, _ = run("outflow", "--programme", "nbnb", "--format", "csv")
    assert "<5" not in out


@pytest.mark.django_db
def test_through_the_real_importer(tmp_path):
    """The same figures when the programme is imported with ``koers import`` (not the test helper)."""
    OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    projects = tmp_path / "projecten.csv"
    projects.write_text(nbnb.to_csv(nbnb.project_rows(), nbnb.PROJECT_COLUMNS), encoding="utf-8")
    participants = tmp_path / "deelnemers.csv"
    participants.write_text(nbnb.to_csv(nbnb.participant_rows(), nbnb.COLUMNS), encoding="utf-8")
    for kind, path in (("projects", projects), ("participants", participants)):
        call_command("import", kind, "--programme", "nbnb", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    data = report_json()
    expected = nbnb.expected_outflow()
    assert data["outcomes"] == expected["outcomes"]
    assert {p["code"]: p["outcomes"] for p in data["projects"]} == expected["projects"]
    assert [p["code"] for p in data["projects"]] == nbnb.PROJECT_CODES
    assert data["participation"]["count"] == 132
    assert data["job_quality"]["contract_months_mean"] == 9.15
    assert data["job_quality"]["hours_mean"] == 16.19
    assert data["job_quality"]["zero_hours"] == 23
