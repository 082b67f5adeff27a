"""Issue 6 acceptance, end to end on the command line: import a programme's files, report its outflow."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from koers.core.codes import OrganisationKind, Outcome
from koers.core.tests.factories import OrganisationFactory
from koers.monitoring.models import Programme, Trajectory
from koers.synthetic import nbnb


@pytest.fixture
def files(tmp_path):
    projects = tmp_path / "projecten.csv"
    projects.write_text(nbnb.to_csv(nbnb.project_rows(), nbnb.PROJECT_COLUMNS), encoding="utf-8")
    participants = tmp_path / "deelnemers.csv"
    participants.write_text(nbnb.to_csv(nbnb.participant_rows(), nbnb.COLUMNS), encoding="utf-8")
    return projects, participants


def _import(kind: str, path, *extra) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", kind, "--programme", "nbnb", str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _report_json() -> dict:
    out = io.StringIO()
    call_command("report", "outflow", "--programme", "nbnb", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_imported_programme_reports_the_source_counts_exactly(files):
    OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    projects, participants = files
    _import("projects", projects)
    _import("participants", participants)

    report = _report_json()
    expected = nbnb.expected_outflow()
    assert report["programme"] == "nbnb"
    assert report["total"] == expected["total"] == 395
    assert report["outcomes"] == expected["outcomes"]
    assert set(report["outcomes"]) == set(Outcome.values)  # every code present, zeros included
    by_project = {p["code"]: p for p in report["projects"]}
    for code, outcomes in expected["projects"].items():
        assert by_project[code]["outcomes"] == outcomes
        assert by_project[code]["total"] == sum(outcomes.values())
    assert report["participation"]["count"] == 132
    assert report["participation"]["share"] == pytest.approx(132 / 395, abs=1e-4)
    quality = report["job_quality"]
    assert quality["contract_months_mean"] == 9.15
    assert quality["contract_months_known"] == 48
    assert quality["hours_mean"] == 16.19
    assert quality["hours_known"] == 67
    assert quality["zero_hours"] == 23

    # importing the same files again updates, it does not duplicate
    _import("participants", participants)
    assert Trajectory.objects.filter(programme__code="nbnb").count() == 395
    assert _report_json()["outcomes"] == expected["outcomes"]


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_row_column_and_problem(files, tmp_path):
    OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    projects, _ = files
    _import("projects", projects)
    rows = nbnb.participant_rows()
    rows[41]["uitstroom"] = "werk"  # data row 42 = line 43 (the header is line 1)
    bad = tmp_path / "fout.csv"
    bad.write_text(nbnb.to_csv(rows, nbnb.COLUMNS), encoding="utf-8")

    with pytest.raises((CommandError, SystemExit)) as excinfo:
        _import("participants", bad)
    message = str(excinfo.value)
    assert not Trajectory.objects.exists()
    assert Programme.objects.get(code="nbnb").projects.count() == 8
    # the error names the line, the column and the problem, in Dutch
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises((CommandError, SystemExit)):
        call_command("import", "participants", "--programme", "nbnb", str(bad), stdout=out, stderr=err)
    text = message + out.getvalue() + err.getvalue()
    assert "regel 43" in text
    assert "uitstroom" in text
    assert "'werk'" in text
