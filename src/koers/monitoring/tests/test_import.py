"""Import of projects and participants files: the NBNB reference data, validation, re-import, CLI."""

from __future__ import annotations

import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from koers.core.codes import OrganisationKind
from koers.core.models import Organisation
from koers.core.tests.factories import OrganisationFactory, ParticipantFactory
from koers.monitoring.models import ImportRun, Programme, Project, Source, Trajectory
from koers.monitoring.rules import imports as import_rules
from koers.monitoring.rules.imports import RowError, read_table
from koers.monitoring.services.imports import import_participants, import_projects
from koers.synthetic import nbnb


def csv_bytes(rows, columns, delimiter=";", bom=False) -> bytes:
    rows = [{c: r.get(c, "") for c in columns} for r in rows]
    return (("\ufeff" if bom else "") + nbnb.to_csv(rows, columns, delimiter=delimiter)).encode()


def xlsx_bytes(rows, columns) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(columns)
    for row in rows:
        ws.append([_xlsx_value(row[c]) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(text: str):
    """Numbers as numbers, the way a spreadsheet holds them."""
    if text.isdigit():
        return int(text)
    return text or None


PROJECTS = csv_bytes(nbnb.project_rows(), nbnb.PROJECT_COLUMNS)


@pytest.fixture
def owner(db):
    return OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)


@pytest.fixture
def programme(owner):
    result = import_projects(PROJECTS, "projecten.csv", programme_code="nbnb", owner=owner)
    assert result.applied, result.errors
    return Programme.objects.get(code="nbnb")


def outflow(programme) -> dict[str, list[int]]:
    counts = Counter(Trajectory.objects.filter(programme=programme).values_list("project__code", "outcome"))
    return {o: [counts[(p, o)] for p in nbnb.PROJECT_CODES] for o in nbnb.OUTFLOW}


def assert_nbnb(programme):
    assert Trajectory.objects.filter(programme=programme).count() == 395
    assert outflow(programme) == nbnb.OUTFLOW
    assert not Trajectory.objects.filter(programme=programme).exclude(source=Source.IMPORT).exists()
    assert not Trajectory.objects.filter(programme=programme, imported_at__isnull=True).exists()
    paid = Trajectory.objects.filter(programme=programme, outcome="betaald_werk")
    months = [m for m in paid.values_list("contract_months", flat=True) if m is not None]
    hours = [h for h in paid.values_list("hours_per_week", flat=True) if h is not None]
    expected = nbnb.expected_outflow()
    assert (len(months), round(sum(months) / len(months), 2)) == (48, expected["contract_months_mean"])
    assert (len(hours), round(float(sum(hours)) / len(hours), 2)) == (67, expected["hours_mean"])
    assert sum(1 for h in hours if h == 0) == 23


# --- projects ----------------------------------------------------------------------------------------------------


def test_projects_create_programme_projects_targets_and_organisations(owner):
    result = import_projects(PROJECTS, "projecten.csv", programme_code="nbnb", owner=owner)
    assert result.applied and not result.errors
    assert (result.total_rows, result.created, result.updated) == (8, 8, 0)
    programme = Programme.objects.get(code="nbnb")
    assert programme.owner == owner
    projects = {p.code: p for p in Project.objects.filter(programme=programme)}
    assert sorted(projects) == sorted(nbnb.PROJECT_CODES)
    for spec in nbnb.PROJECTS:
        p = projects[spec["code"]]
        assert p.imported and p.name == spec["naam"] and p.planned_participants == spec["gepland"]
        assert p.organisation.name == spec["organisatie"]
        assert p.starts_on.isoformat() == spec["startdatum"]
        assert {t.outcome: t.count for t in p.targets.all()} == {k: v[0] for k, v in spec["doelen"].items()}
    # VluchtelingenWerk runs two projects: one organisation, created once, kind "overig"
    vw = Organisation.objects.get(name="VluchtelingenWerk Midden-Nederland")
    assert vw.kind == OrganisationKind.OVERIG and vw.monitoring_projects.count() == 2
    run = ImportRun.objects.get()
    assert (run.kind, run.rows, run.created, run.filename) == ("projects", 8, 8, "projecten.csv")


def test_projects_match_organisation_by_name_case_insensitive(owner):
    existing = OrganisationFactory(name="Refugee Company", kind=OrganisationKind.SOCIAAL_ONDERNEMER)
    rows = [r | {"organisatie": "  refugee COMPANY "} if r["code"] == "rc" else r for r in nbnb.project_rows()]
    import_projects(csv_bytes(rows, nbnb.PROJECT_COLUMNS), "p.csv", programme_code="nbnb", owner=owner)
    assert Project.objects.get(code="rc").organisation == existing
    assert Organisation.objects.filter(name__iexact="refugee company").count() == 1


def test_projects_reimport_updates_and_replaces_targets(programme):
    rows = nbnb.project_rows()
    dt = next(r for r in rows if r["code"] == "dt")
    dt.update(naam="The Dutch Tulip (herzien)", gepland="25", doel_betaald_werk="12", doel_reguliere_opleiding="",
              doel_leer_werktraject="", doel_vrijwilligerswerk="3")
    result = import_projects(csv_bytes(rows, nbnb.PROJECT_COLUMNS), "p.csv", programme_code="nbnb")
    assert (result.created, result.updated) == (0, 8)
    project = Project.objects.get(programme=programme, code="dt")
    assert project.name == "The Dutch Tulip (herzien)" and project.planned_participants == 25
    assert {t.outcome: t.count for t in project.targets.all()} == {"betaald_werk": 12, "vrijwilligerswerk": 3}
    assert Project.objects.filter(programme=programme).count() == 8


def test_projects_bad_row_imports_nothing(owner):
    rows = nbnb.project_rows()
    rows[2]["einddatum"] = "2018-01-01"
    rows[5]["gepland"] = "-4"
    result = import_projects(csv_bytes(rows, nbnb.PROJECT_COLUMNS), "p.csv", programme_code="nbnb", owner=owner)
    assert not result.applied
    assert not Programme.objects.exists() and not Project.objects.exists()
    assert [(e.line, e.column) for e in result.errors] == [(4, "einddatum"), (7, "gepland")]
    assert "vóór de startdatum" in result.errors[0].message


def test_projects_unknown_target_code_is_header_error(owner):
    columns = [*nbnb.PROJECT_COLUMNS, "doel_baan"]
    rows = [r | {"doel_baan": "3"} for r in nbnb.project_rows()]
    result = import_projects(csv_bytes(rows, columns), "p.csv", programme_code="nbnb", owner=owner)
    assert not result.applied
    assert result.errors[0].line == 1 and result.errors[0].column == "doel_baan"
    assert "doel_<uitstroomcode>" in result.errors[0].message


def test_projects_without_owner_takes_the_only_municipality(owner):
    result = import_projects(PROJECTS, "p.csv", programme_code="nbnb")
    assert result.applied
    assert Programme.objects.get(code="nbnb").owner == owner


def test_projects_without_owner_and_two_municipalities_is_an_error(owner):
    OrganisationFactory(name="Gemeente Heuvelrand", kind=OrganisationKind.GEMEENTE)
    result = import_projects(PROJECTS, "p.csv", programme_code="nbnb")
    assert not result.applied and not Programme.objects.exists()
    assert "--owner" in result.errors[0].message


# --- participants ------------------------------------------------------------------------------------------------


def test_participants_csv_reproduces_nbnb(programme):
    data = csv_bytes(nbnb.participant_rows(), nbnb.COLUMNS)
    result = import_participants(data, "deelnemers.csv", programme=programme)
    assert result.applied and not result.errors
    assert (result.total_rows, result.created, result.updated) == (395, 395, 0)
    assert_nbnb(programme)
    run = ImportRun.objects.filter(kind="participants").get()
    assert (run.rows, run.created, run.updated) == (395, 395, 0)


def test_participants_xlsx_reproduces_nbnb(programme):
    projects = xlsx_bytes(nbnb.project_rows(), nbnb.PROJECT_COLUMNS)
    assert import_projects(projects, "projecten.xlsx", programme_code="nbnb").updated == 8
    result = import_participants(xlsx_bytes(nbnb.participant_rows(), nbnb.COLUMNS), "deelnemers.xlsx",
                                 programme=programme)
    assert result.applied and not result.errors, result.errors[:3]
    assert_nbnb(programme)


def test_participant_fields_are_mapped(programme):
    row = dict.fromkeys(nbnb.COLUMNS, "") | {
        "extern_id": "A-1", "project": "KIM", "geslacht": "Vrouw", "geboortejaar": "1985", "land_herkomst": "sy",
        "opleidingsniveau": "hoger", "status": "gezinsmigrant", "leerroute": "b1", "taalniveau_spreken": "a2",
        "startdatum": "01-02-2020", "einddatum": "2020-12-31", "uitstroom": "betaald_werk", "functie": "kok",
        "contractsoort": "tijdelijk", "contract_maanden": "7", "uren_per_week": "32,5",
        "werk_na_6_maanden": "ja", "werk_na_12_maanden": "nee",
    }
    empty = dict.fromkeys(nbnb.COLUMNS, "") | {"extern_id": "A-2", "project": "kim"}
    dropout = empty | {"extern_id": "A-3", "uitstroom": "voortijdige_uitval"}
    result = import_participants(csv_bytes([row, empty, dropout], nbnb.COLUMNS), "d.csv", programme=programme)
    assert result.applied, result.errors
    t = Trajectory.objects.get(extern_id="A-1")
    assert (t.project.code, t.gender, t.birth_year, t.country_of_origin, t.education_level) == (
        "kim", "vrouw", 1985, "SY", "hoger")
    assert (t.migration_status, t.learning_route, t.level_spreken) == ("gezinsmigrant", "b1", "A2")
    assert (t.started_on.isoformat(), t.ended_on.isoformat(), t.outcome) == ("2020-02-01", "2020-12-31",
                                                                             "betaald_werk")
    assert (t.job_title, t.contract_type, t.contract_months, t.hours_per_week) == ("kok", "tijdelijk", 7,
                                                                                  Decimal("32.5"))
    assert (t.work_6m, t.work_12m, t.is_imported) == ("ja", "nee", True)
    u = Trajectory.objects.get(extern_id="A-2")  # empty = unknown; an imported row without outcome has ended
    assert (u.gender, u.birth_year, u.country_of_origin, u.outcome, u.dropout_reason) == (
        "onbekend", None, "", "onbekend", "")
    assert (u.contract_months, u.hours_per_week, u.started_on, u.work_6m) == (None, None, None, "onbekend")
    assert Trajectory.objects.get(extern_id="A-3").dropout_reason == "onbekend"
    assert any("zonder uitstroom" in w for w in result.warnings)


def test_one_bad_row_imports_nothing_and_names_line_column_problem(programme):
    rows = nbnb.participant_rows()
    rows[5]["uitstroom"] = "werk"  # line 7
    result = import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme)
    assert not result.applied and result.created == 0
    assert not Trajectory.objects.exists() and not ImportRun.objects.filter(kind="participants").exists()
    assert result.errors == [RowError(7, "uitstroom", result.errors[0].message)]
    text = str(result.errors[0])
    assert text.startswith("regel 7, kolom uitstroom: 'werk' is geen geldige code; gebruik een van: betaald_werk, ")
    assert "voortijdige_uitval" in text


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("startdatum", "2020-13-01", "geen bestaande datum"),
    ("startdatum", "1 maart", "JJJJ-MM-DD"),
    ("einddatum", "2000-01-01", "vóór de startdatum"),
    ("geboortejaar", "1850", "geen aannemelijk geboortejaar"),
    ("geboortejaar", "85", "geen aannemelijk geboortejaar"),
    ("contract_maanden", "-3", "negatief"),
    ("contract_maanden", "6,5", "geen heel getal"),
    ("uren_per_week", "-1", "negatief"),
    ("uren_per_week", "veel", "geen getal"),
    ("land_herkomst", "XX", "ISO 3166"),
    ("land_herkomst", "Syrië", "ISO 3166"),
    ("geslacht", "m", "gebruik een van: man, vrouw, anders, onbekend"),
    ("werk_na_6_maanden", "misschien", "gebruik een van: onbekend, ja, nee"),
    ("project", "xyz", "project 'xyz' bestaat niet in programma nbnb; gebruik een van: dt, kim,"),
    ("extern_id", "", "het extern_id ontbreekt"),
])
def test_row_validation(programme, column, value, expected):
    rows = nbnb.participant_rows()[:3]
    rows[1][column] = value
    result = import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme)
    assert not result.applied
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert expected in result.errors[0].message


def test_decimal_point_and_comma_and_dutch_dates(programme):
    rows = nbnb.participant_rows()[:2]
    rows[0] |= {"uren_per_week": "24.5", "startdatum": "5-3-2020", "einddatum": "31/12/2020"}
    rows[1] |= {"uren_per_week": "0", "contract_maanden": "12"}
    assert import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme).applied
    first = Trajectory.objects.get(extern_id=rows[0]["extern_id"])
    assert first.hours_per_week == Decimal("24.5") and first.started_on.isoformat() == "2020-03-05"
    assert first.ended_on.isoformat() == "2020-12-31"
    assert Trajectory.objects.get(extern_id=rows[1]["extern_id"]).hours_per_week == 0  # zero-hours, not unknown


def test_duplicate_extern_id_in_file(programme):
    rows = nbnb.participant_rows()[:4]
    rows[3]["extern_id"] = rows[0]["extern_id"]
    result = import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme)
    assert not result.applied
    assert [(e.line, e.column) for e in result.errors] == [(5, "extern_id")]
    assert "staat ook op regel 2" in result.errors[0].message


def test_unknown_and_missing_columns_are_header_errors(programme):
    columns = [c for c in nbnb.COLUMNS if c != "project"] + ["geslact"]
    rows = [r | {"geslact": "man"} for r in nbnb.participant_rows()[:2]]
    result = import_participants(csv_bytes(rows, columns), "d.csv", programme=programme)
    assert not result.applied
    assert {(e.line, e.column) for e in result.errors} == {(1, "geslact"), (1, "project")}
    assert "bedoelt u 'geslacht'?" in next(e.message for e in result.errors if e.column == "geslact")


def test_comma_delimiter_and_bom(programme):
    data = csv_bytes(nbnb.participant_rows(), nbnb.COLUMNS, delimiter=",", bom=True)
    header, rows = read_table(data, "d.csv")
    assert header == nbnb.COLUMNS and len(rows) == 395
    result = import_participants(data, "d.csv", programme=programme)
    assert result.applied and result.created == 395
    assert outflow(programme) == nbnb.OUTFLOW


def test_not_utf8_is_a_clear_error(programme):
    data = nbnb.to_csv(nbnb.participant_rows()[:2], nbnb.COLUMNS).replace("DRS", "Ré").encode("cp1252")
    result = import_participants(data, "d.csv", programme=programme)
    assert not result.applied and "UTF-8" in result.errors[0].message and result.errors[0].line == 0


def test_reimport_updates_instead_of_duplicating(programme):
    rows = nbnb.participant_rows()
    import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme)
    target = rows[0]
    moved = "vw2" if target["project"] != "vw2" else "kim"
    target |= {"uitstroom": "betaald_werk", "werk_na_12_maanden": "ja", "project": moved, "uren_per_week": "20"}
    result = import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme)
    assert result.applied and (result.created, result.updated) == (0, 395)
    assert Trajectory.objects.filter(programme=programme).count() == 395
    t = Trajectory.objects.get(extern_id=target["extern_id"])
    assert (t.outcome, t.work_12m, t.project.code, t.hours_per_week) == ("betaald_werk", "ja", moved, 20)
    assert ImportRun.objects.filter(kind="participants").count() == 2


def test_reimport_with_fewer_columns_keeps_the_others(programme):
    rows = nbnb.participant_rows()[:3]
    import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme)
    followup = [{"extern_id": r["extern_id"], "project": r["project"], "werk_na_12_maanden": "ja"} for r in rows]
    result = import_participants(csv_bytes(followup, ["extern_id", "project", "werk_na_12_maanden"]), "f.csv",
                                 programme=programme)
    assert (result.created, result.updated) == (0, 3)
    t = Trajectory.objects.get(extern_id=rows[0]["extern_id"])
    assert t.work_12m == "ja" and t.outcome == rows[0]["uitstroom"] and t.gender == rows[0]["geslacht"]


def test_extern_id_of_a_native_trajectory_is_an_error(programme):
    participant = ParticipantFactory()
    Trajectory.objects.create(programme=programme, project=Project.objects.get(code="kim"),
                              participant=participant, extern_id="DRS-0001")
    result = import_participants(csv_bytes(nbnb.participant_rows(), nbnb.COLUMNS), "d.csv", programme=programme)
    assert not result.applied
    assert [e.column for e in result.errors] == ["extern_id"]
    assert "in Koers zelf" in result.errors[0].message
    assert Trajectory.objects.get(extern_id="DRS-0001").source == Source.KOERS


def test_partial_imports_valid_rows(programme):
    rows = nbnb.participant_rows()
    rows[0]["project"] = "onbekend-project"
    rows[10]["geboortejaar"] = "3000"
    result = import_participants(csv_bytes(rows, nbnb.COLUMNS), "d.csv", programme=programme, partial=True)
    assert result.applied and result.created == 393 and result.error_lines == 2
    assert Trajectory.objects.count() == 393
    assert not Trajectory.objects.filter(extern_id__in=[rows[0]["extern_id"], rows[10]["extern_id"]]).exists()


def test_check_only_writes_nothing(programme):
    result = import_participants(csv_bytes(nbnb.participant_rows(), nbnb.COLUMNS), "d.csv", programme=programme,
                                 apply=False)
    assert not result.applied and result.created == 395 and not Trajectory.objects.exists()


def test_empty_rows_are_skipped_and_lines_still_count(programme):
    text = nbnb.to_csv(nbnb.participant_rows()[:2], nbnb.COLUMNS).replace("\n", "\n;;;\n", 1)
    lines = text.splitlines()
    lines[3] = lines[3].replace(";man;", ";mannelijk;").replace(";vrouw;", ";mannelijk;").replace(
        ";anders;", ";mannelijk;")
    result = import_participants("\n".join(lines).encode(), "d.csv", programme=programme)
    assert result.total_rows == 2
    assert [(e.line, e.column) for e in result.errors] == [(4, "geslacht")]


def test_xlsx_reports_sheet_rows(programme):
    rows = nbnb.participant_rows()[:5]
    rows[3]["startdatum"] = "gisteren"
    result = import_participants(xlsx_bytes(rows, nbnb.COLUMNS), "d.xlsx", programme=programme)
    assert [(e.line, e.column) for e in result.errors] == [(5, "startdatum")]


# --- CLI ---------------------------------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_projects_and_participants(owner, tmp_path):
    OrganisationFactory(name="Gemeente Heuvelrand", kind=OrganisationKind.GEMEENTE)
    projects = tmp_path / "projecten.csv"
    projects.write_bytes(PROJECTS)
    with pytest.raises(CommandError, match="--owner"):
        run("projects", "--programme", "nbnb", str(projects))
    out, _ = run("projects", "--programme", "nbnb", str(projects), "--owner", "gemeente rivierstad")
    assert "8 nieuw, 0 bijgewerkt" in out
    assert Programme.objects.get(code="nbnb").owner == owner
    participants = tmp_path / "deelnemers.csv"
    participants.write_bytes(csv_bytes(nbnb.participant_rows(), nbnb.COLUMNS))
    out, _ = run("participants", "--programme", "nbnb", str(participants), "--controleer")
    assert "niets opgeslagen" in out and not Trajectory.objects.exists()
    out, _ = run("participants", "--programme", "nbnb", str(participants))
    assert "395 regels deelnemers gelezen; 395 nieuw, 0 bijgewerkt" in out
    out, _ = run("participants", "--programme", "nbnb", str(participants))
    assert "0 nieuw, 395 bijgewerkt" in out


def test_cli_errors_on_stderr_and_exit_code(programme, tmp_path):
    rows = nbnb.participant_rows()
    rows[5]["uitstroom"] = "werk"
    path = tmp_path / "deelnemers.csv"
    path.write_bytes(csv_bytes(rows, nbnb.COLUMNS))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="niets geïmporteerd") as exc:
        call_command("import", "participants", "--programme", "nbnb", str(path), stdout=out, stderr=err)
    assert exc.value.returncode == 1
    assert err.getvalue().startswith("regel 7, kolom uitstroom: 'werk' is geen geldige code; gebruik een van: ")
    assert not Trajectory.objects.exists()
    out, err = run("participants", "--programme", "nbnb", str(path), "--alleen-geldige")
    assert "394 nieuw" in out and "1 regel(s) met fouten overgeslagen" in out
    assert "regel 7, kolom uitstroom" in err
    assert Trajectory.objects.count() == 394


def test_cli_process_exit_code(tmp_path):
    """``koers import`` dispatches to this command; an error exits with code 1 and a Dutch message on stderr."""
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", "from koers.cli import main; main()", "import", "participants", "--programme",
         "nbnb", str(tmp_path / "ontbreekt.csv")],
        capture_output=True, text=True, env={**os.environ, "KOERS_TESTING": "1"}, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Bestand niet gevonden" in proc.stderr


def test_cli_unknown_programme_for_participants(db, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes(nbnb.participant_rows()[:1], nbnb.COLUMNS))
    with pytest.raises(CommandError, match="importeer eerst het projectenbestand"):
        run("participants", "--programme", "nbnb", str(path))


def test_module_constants_match_reference_columns():
    assert list(import_rules.PARTICIPANT_COLUMNS) == nbnb.COLUMNS
    assert list(import_rules.PROJECT_COLUMNS) == nbnb.PROJECT_COLUMNS[:7]


def test_examples_in_the_documentation_import_cleanly(owner):
    from pathlib import Path

    import koers

    doc = (Path(koers.__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    blocks = re.findall(r"```csv\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 2
    result = import_projects(blocks[0].encode(), "voorbeeld.csv", programme_code="nbnb", owner=owner)
    assert result.applied and result.created == 4, result.errors
    assert import_projects(PROJECTS, "p.csv", programme_code="nbnb").applied
    result = import_participants(blocks[1].encode(), "voorbeeld.csv", programme="nbnb")
    assert result.applied and result.created == 5, result.errors
    zero = Trajectory.objects.get(extern_id="DRS-0004")
    assert (zero.hours_per_week, zero.contract_type) == (0, "nul_uren")
    assert Trajectory.objects.get(extern_id="DRS-0005").outcome == "onbekend"
