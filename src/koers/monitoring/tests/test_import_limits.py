"""Bounded uploads and audited imports.

A hostile file (a zip bomb, a file with too many rows or columns) is refused before or while it is read, with a
Dutch message that names the limit and what to do; the preview of a zip bomb answers within seconds. Every
import run — web and command line, check and import — writes an audit record.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from koers.core.models import AuditAction, AuditEvent
from koers.monitoring.models import Programme
from koers.monitoring.rules import imports as import_rules
from koers.monitoring.rules.imports import FileError, Limits, read_table
from koers.monitoring.services.imports import import_projects
from koers.synthetic import nbnb

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><sheetData>')
SHEET_END = "</sheetData></worksheet>"


def _row(r: int, values: list[str], *, compact: bool = False) -> str:
    """One sheet row; ``compact`` leaves out the (optional) row and cell references, so every row is the same
    text and the sheet compresses like a real zip bomb."""
    if compact:
        return "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values) + "</row>"
    cells = "".join(f'<c r="{_col(j)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


def _col(j: int) -> str:
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx(rows: int, *, header=("code", "naam"), values=("x", "y"), extra: str = "", compact: bool = False) -> bytes:
    """A minimal XLSX written with zipfile at the highest compression, the sheet XML streamed (a million rows
    never sit in memory as one string)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            sheet.write(_row(1, list(header)).encode())
            chunk = []
            for r in range(2, rows + 2):
                chunk.append(_row(r, list(values), compact=compact))
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + extra + SHEET_END).encode())
    return buf.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(world):
    data = nbnb.to_csv(nbnb.project_rows(), nbnb.PROJECT_COLUMNS).encode()
    assert import_projects(data, "p.csv", programme_code="nbnb", owner=world.gemeente).applied
    return Programme.objects.get(code="nbnb")


def _preview(client, kind: str, name: str, content: bytes, content_type: str):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(reverse("monitoring:import", kwargs={"code": "nbnb"}), {"kind": kind, "file": upload})
    assert response.status_code == 302, response.content.decode()[:1000]
    return client.get(response.url)


# --- the zip bomb ------------------------------------------------------------------------------------------------


def test_zip_bomb_preview_is_refused_within_seconds(world, programme, client_for, capsys):
    bomb = xlsx(1_000_000, header=("extern_id", "project"), values=("1", "kim"), compact=True)
    assert len(bomb) < 1024 * 1024  # passes the upload's size check: only the expanded size is absurd
    client = client_for(world.beheerder)
    started = time.perf_counter()
    page = _preview(client, "deelnemers", "bom.xlsx", bomb, "application/octet-stream")
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n  zip bomb: {len(bomb) // 1024} KB compressed, preview refused in {seconds:.2f} s")
    html = page.content.decode()
    assert page.status_code == 200
    assert "uitgepakt" in html and "hoogstens 50 MB" in html and "Splits het bestand" in html
    assert "koers import" in html
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT).order_by("-pk").first()
    assert "bom.xlsx" in event.detail and "controle" in event.detail and "geweigerd" in event.detail


def test_a_strongly_compressed_part_is_refused_even_below_the_size_limit():
    bomb = xlsx(100_000, values=("a", "b"), compact=True)  # about 6 MB of XML in a few KB
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        sizes = [(m.file_size, m.compress_size) for m in zf.infolist() if m.filename.endswith("sheet1.xml")]
    assert sizes[0][0] < import_rules.WEB_LIMITS.max_uncompressed and sizes[0][0] > 100 * sizes[0][1]
    with pytest.raises(FileError, match="ongewoon sterk samengeperst"):
        read_table(bomb, "bestand.xlsx")


def test_a_broken_zip_is_a_file_error():
    with pytest.raises(FileError, match="kan niet worden gelezen"):
        read_table(b"PK\x03\x04" + b"\x00" * 100, "bestand.xlsx")


# --- rows and columns --------------------------------------------------------------------------------------------

SMALL = Limits(max_bytes=10 * import_rules.MB, max_uncompressed=10 * import_rules.MB, max_ratio=10_000, max_rows=50,
               max_columns=5, channel="via de website")


def test_rows_beyond_the_limit_are_refused_while_reading():
    header, rows = read_table(xlsx(50), "ok.xlsx", limits=SMALL)
    assert header == ["code", "naam"] and len(rows) == 50
    with pytest.raises(FileError, match=r"meer dan 50 regels.*koers import"):
        read_table(xlsx(51), "te-veel.xlsx", limits=SMALL)
    csv = "code;naam\n" + "x;y\n" * 51
    with pytest.raises(FileError, match="meer dan 50 regels"):
        read_table(csv.encode(), "te-veel.csv", limits=SMALL)
    assert len(read_table(("code;naam\n" + "x;y\n" * 50).encode(), "ok.csv", limits=SMALL)[1]) == 50


def test_columns_beyond_the_limit_are_refused():
    with pytest.raises(FileError, match="meer dan 5 kolommen"):
        read_table(xlsx(3, header=("a", "b", "c", "d", "e", "f"), values=("1",) * 6), "breed.xlsx", limits=SMALL)
    with pytest.raises(FileError, match="meer dan 5 kolommen"):
        read_table(("a;b;c;d;e;f\n" + "1;2;3;4;5;6\n").encode(), "breed.csv", limits=SMALL)
    # empty cells beyond the limit (formatted empty columns, a ';' too many) are no reason to refuse
    header, rows = read_table(("a;b\n" + "1;2" + ";" * 20 + "\n").encode(), "leeg.csv", limits=SMALL)
    assert header == ["a", "b"] and rows[0] == {"a": "1", "b": "2"}


def test_a_far_away_cell_does_not_make_every_row_wide():
    """A cell in column XFD would make openpyxl pad every row to 16,384 cells; reading stops at the column limit
    (cells beyond it are not read)."""
    far = '<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>'
    header, rows = read_table(xlsx(3, extra=far), "ver.xlsx", limits=SMALL)
    assert header == ["code", "naam"] and len(rows) == 4 and not any(row.get(import_rules.EXTRA) for row in rows)


@pytest.mark.parametrize("name,data", [("traag.xlsx", None), ("traag.csv", ("code;naam\n" + "x;y\n" * 10).encode())])
def test_reading_stops_at_the_time_budget(name, data):
    """A file within every other limit can still be slow to parse (openpyxl needs well over ten seconds for 50 MB
    of sheet XML): the web stops reading after ``max_seconds`` and says what to do instead."""
    spent = Limits(**{**SMALL.__dict__, "max_seconds": -1})  # a budget that is used up before the first row
    with pytest.raises(FileError, match=r"binnen -1 seconden.*als CSV.*koers import"):
        read_table(data or xlsx(10), name, limits=spent)
    assert import_rules.WEB_LIMITS.max_seconds and import_rules.CLI_LIMITS.max_seconds is None


def test_a_huge_csv_field_is_a_file_error_not_a_server_error():
    data = ("code;naam\nx;" + "y" * 200_000 + "\n").encode()
    with pytest.raises(FileError, match="CSV-bestand kan niet worden gelezen"):
        read_table(data, "veld.csv")


def test_the_command_line_has_its_own_higher_limits(world, programme, tmp_path, monkeypatch):
    assert import_rules.CLI_LIMITS.max_rows > import_rules.WEB_LIMITS.max_rows
    assert import_rules.CLI_LIMITS.max_uncompressed > import_rules.WEB_LIMITS.max_uncompressed
    monkeypatch.setattr(import_rules, "CLI_LIMITS", SMALL)
    path = tmp_path / "deelnemers.csv"
    path.write_text("extern_id;project\n" + "".join(f"E{i};kim\n" for i in range(51)), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "participants", "--programme", "nbnb", str(path), stdout=io.StringIO(),
                     stderr=(err := io.StringIO()))
    assert "meer dan 50 regels" in err.getvalue()


# --- imports are audited ----------------------------------------------------------------------------------------


def test_web_preview_and_confirm_are_audited(world, programme, client_for):
    client = client_for(world.beheerder)
    rows = nbnb.participant_rows()[:10]
    before = AuditEvent.objects.filter(action=AuditAction.IMPORT).count()
    upload = SimpleUploadedFile("deelnemers.csv", nbnb.to_csv(rows, nbnb.COLUMNS).encode(),
                                content_type="text/csv")
    response = client.post(reverse("monitoring:import", kwargs={"code": "nbnb"}),
                           {"kind": "deelnemers", "file": upload})
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    client.get(response.url)
    client.post(reverse("monitoring:import_confirm", kwargs={"code": "nbnb", "token": token}))
    events = list(AuditEvent.objects.filter(action=AuditAction.IMPORT).order_by("pk"))[before:]
    assert len(events) == 2
    check, done = events
    for event in events:
        assert event.user_id == world.beheerder.pk and event.category == "systeem"
        assert "programma nbnb" in event.detail and "deelnemers.csv" in event.detail and "10 regels" in event.detail
        assert "website" in event.detail
    assert "controle" in check.detail and "gecontroleerd: 10 nieuw" in check.detail
    assert "geïmporteerd: 10 nieuw" in done.detail


def test_command_line_runs_are_audited(world, programme, tmp_path):
    path = tmp_path / "deelnemers.csv"
    path.write_text(nbnb.to_csv(nbnb.participant_rows()[:5], nbnb.COLUMNS), encoding="utf-8")
    for extra in (["--controleer"], []):
        call_command("import", "participants", "--programme", "nbnb", str(path), *extra, stdout=io.StringIO(),
                     stderr=io.StringIO())
    check, done = AuditEvent.objects.filter(action=AuditAction.IMPORT).order_by("-pk")[:2][::-1]
    assert "opdrachtregel" in check.detail and "controle" in check.detail and "5 regels" in check.detail
    assert "geïmporteerd: 5 nieuw" in done.detail and "deelnemers.csv" in done.detail
    assert check.user_id is None
