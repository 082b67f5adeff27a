"""Exports in one place (``core.exports``): no CSV cell starts with an unescaped formula prefix and no XLSX cell
is a formula, through every export of Koers, for names an attacker chose (participant, project, organisation,
job title, staff member)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from koers.casework.models import Contact
from koers.core import audit, exports
from koers.core.codes import ContactKind, Role
from koers.core.models import AuditAction
from koers.core.tests.factories import OrganisationFactory, make_user
from koers.monitoring.models import Programme, Project, Source, Trajectory

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]
PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    assert text.startswith(exports.BOM), "a CSV download starts with the byte-order mark (Excel reads UTF-8)"
    return [cell for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=";") for cell in row]


def assert_csv_safe(content: bytes, *, expected: tuple[str, ...] = ()) -> list[str]:
    cells = _csv_cells(content)
    unsafe = [c for c in cells if c.startswith(PREFIXES)]
    assert not unsafe, f"CSV cells that a spreadsheet would run: {unsafe}"
    for value in expected:
        assert "'" + value in cells, f"{value!r} is missing (or not neutralised) in the CSV"
    return cells


def assert_xlsx_safe(content: bytes, *, expected: tuple[str, ...] = ()) -> list:
    wb = load_workbook(io.BytesIO(content))
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert not formulas, f"XLSX cells stored as formulas: {formulas}"
    texts = [c.value.replace("\r", "\n") for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(PREFIXES)]
    for value in expected:
        assert "'" + value in texts, f"{value!r} is missing (or not neutralised) in the XLSX"
    return cells


# --- the writers themselves ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_cell_prefixes_formula_text(value):
    assert exports.safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [0, -2, 3.5, date(2024, 1, 2), "Kok", "’s-Hertogenbosch", "a=b", ""])
def test_safe_cell_keeps_numbers_dates_and_ordinary_text(value):
    assert exports.safe_cell(value) == value


def test_csv_writer_dutch_conventions():
    text = exports.csv_text([["naam", "aantal"], ["=1+1", -2], [None, 3]], bom=True)
    assert text == '\ufeffnaam;aantal\n\'=1+1;-2\n;3\n'


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers():
    content = exports.xlsx_bytes([exports.Sheet("blad", rows=[["naam", "getal"], *([v, -2] for v in HOSTILE)],
                                                bold_rows=frozenset({0}))])
    # (XML reads a stored carriage return back as a line feed; it is still behind the apostrophe.)
    cells = assert_xlsx_safe(content, expected=tuple(v.replace("\r", "\n") for v in HOSTILE))
    numbers = [c for c in cells if c.column == 2 and c.row > 1]
    assert {c.value for c in numbers} == {-2} and {c.data_type for c in numbers} == {"n"}
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}


# --- every export of the app ------------------------------------------------------------------------------------


@pytest.fixture
def hostile_programme(world):
    """A programme whose project, executing organisation and job titles are formula-like (five of each, so they
    survive small-cell suppression), readable by the owner's project leader."""
    org = OrganisationFactory(name="@SUM(A1)")
    programme = Programme.objects.create(code="nbnb", name="Nieuw Begin", owner=world.gemeente)
    project = Project.objects.create(programme=programme, code="werk", name='=HYPERLINK("http://x","y")',
                                     organisation=org, tranche="2021")
    for i in range(6):
        Trajectory.objects.create(programme=programme, project=project, source=Source.IMPORT, extern_id=f"E{i}",
                                  started_on=date(2021, 1, 1), ended_on=date(2021, 12, 1), outcome="betaald_werk",
                                  job_title="+1+1", contract_type="vast", contract_months=6,
                                  education_field="-2")
    world.projectleider = make_user(world.gemeente, Role.PROJECTLEIDER, username="pl")
    return programme


@pytest.mark.parametrize("table_key", ["outflow", "functions"])
def test_report_table_csv_and_xlsx(client_for, world, hostile_programme, table_key):
    client = client_for(world.projectleider)
    expected = {"outflow": ('=HYPERLINK("http://x","y")',), "functions": ("+1+1",)}[table_key]
    for fmt, check in (("csv", assert_csv_safe), ("xlsx", assert_xlsx_safe)):
        response = client.get(reverse("monitoring:report_table",
                                      kwargs={"code": "nbnb", "table_key": table_key, "fmt": fmt}))
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        check(response.content, expected=expected)


def test_report_workbook_of_all_tables(client_for, world, hostile_programme):
    response = client_for(world.projectleider).get(reverse("monitoring:report_all_xlsx", kwargs={"code": "nbnb"}))
    # project (outflow), job title (functions), organisation (breakdown per organisation)
    assert_xlsx_safe(response.content, expected=('=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)"))


def test_report_command_csv_and_xlsx(world, hostile_programme, tmp_path):
    out = io.StringIO()
    call_command("report", "all", "--programme", "nbnb", "--format", "csv", stdout=out, stderr=io.StringIO())
    assert_csv_safe(exports.BOM.encode() + out.getvalue().encode(), expected=("+1+1",))
    path = tmp_path / "rapport.xlsx"
    call_command("report", "all", "--programme", "nbnb", "--format", "xlsx", "--output", str(path),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert_xlsx_safe(path.read_bytes(), expected=('=HYPERLINK("http://x","y")', "+1+1"))


def test_research_export_csv_and_xlsx(client_for, world, hostile_programme):
    client = client_for(world.projectleider)
    for fmt, check in (("csv", assert_csv_safe), ("xlsx", assert_xlsx_safe)):
        response = client.get(reverse("monitoring:research_export", kwargs={"code": "nbnb", "fmt": fmt}))
        assert response.status_code == 200
        check(response.content, expected=("+1+1",))


def test_guidance_hours_csv(client_for, world):
    world.participant.name = '=HYPERLINK("http://x","y")'
    world.participant.save(update_fields=["name"])
    Contact.objects.create(participant=world.participant, kind=ContactKind.GESPREK, happened_at=timezone.now(),
                           duration_minutes=30, organisation=world.gemeente, summary="Gesprek",
                           recorded_by=world.regisseur)
    world.gemeente.name = "-2 Rivierstad"
    world.gemeente.save(update_fields=["name"])
    today = timezone.localdate().isoformat()
    response = client_for(world.regisseur).get(reverse("casework:guidance_hours"),
                                               {"start": today, "end": today, "export": "csv"})
    assert response["Cache-Control"] == "no-store"
    cells = assert_csv_safe(response.content, expected=('=HYPERLINK("http://x","y")', "-2 Rivierstad"))
    assert "30" in cells  # minutes stay a plain number


def test_participant_audit_trail_csv(client_for, world):
    colleague = make_user(world.gemeente, Role.REGISSEUR, username="collega", first_name="@SUM(A1)",
                          last_name="")
    audit.record_event(colleague, AuditAction.VIEW, "+1+1 bekeken", participant_id=world.participant.pk)
    response = client_for(world.regisseur).get(reverse("participants:audit_csv",
                                                       kwargs={"pk": world.participant.pk}))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    cells = assert_csv_safe(response.content, expected=("+1+1 bekeken",))
    assert any(c.startswith("'@SUM(A1)") for c in cells)
