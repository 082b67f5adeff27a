"""Every CSV and XLSX file Koers hands out is written here (one CSV writer, one XLSX writer).

Why one place: a name, project, organisation or job title such as ``=HYPERLINK("http://x","y")`` or ``+1+1`` is
run as a formula by Excel and LibreOffice when a cell starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one). Such text gets a leading apostrophe (the OWASP rule, ``safe_cell``), so the
spreadsheet shows it as text; in XLSX the cell is also written as a plain string (data type ``s``), never as a
formula. Numbers stay numbers (a negative number is a number, not text starting with ``-``).

Dutch conventions: CSV is UTF-8 with a byte-order mark (so Excel reads it as UTF-8), ``;`` as separator and a
decimal comma (``12,5``: Dutch Excel reads ``12.5`` as text or a date); yes/no as ``ja``/``nee``. Sheet names
are what a reader understands (a table's title, not its code), cut to Excel's 31 characters without the
characters Excel refuses, and unique within the workbook.

* ``safe_cell(value)`` — the value as it may go into a cell.
* ``CsvWriter(stream)`` / ``csv_text(rows)`` / ``csv_response(filename)`` — CSV.
* ``Sheet`` / ``xlsx_bytes(sheets)`` — an XLSX workbook, written in write-only mode (100,000 rows stay small in
  memory).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse

#: A text cell starting with one of these would be read as a formula (or a DDE command) by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(text: str) -> str:
    """Text that a spreadsheet would run as a formula, with a leading apostrophe; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(value):
    """A value ready for a CSV or XLSX cell: None as empty, numbers and dates as they are, text made safe.

    Anything else (a lazy translation, a model instance) is written as its text, made safe as well."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    return safe_text(str(value))


class CsvWriter:
    """``csv.writer`` with ``;``, a decimal comma and every cell through ``safe_cell``; ``bom=True`` writes the
    byte-order mark first (for a download; leave it off for text that is embedded elsewhere)."""

    def __init__(self, stream, *, delimiter: str = ";", bom: bool = False, lineterminator: str = "\r\n"):
        if bom:
            stream.write(BOM)
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)
        self._decimal_comma = delimiter == ";"  # the Dutch spreadsheet convention goes with the separator

    def _cell(self, value):
        value = safe_cell(value)
        if self._decimal_comma and isinstance(value, float | Decimal):
            return str(value).replace(".", ",")
        return value

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([self._cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable], *, delimiter: str = ";", bom: bool = False) -> str:
    """The rows as CSV text (lines end in ``\\n``)."""
    buf = io.StringIO()
    CsvWriter(buf, delimiter=delimiter, bom=bom, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def download(content, content_type: str, filename: str) -> HttpResponse:
    """A download response that no browser or proxy keeps (exports hold personal or small-number data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(filename: str, *, delimiter: str = ";") -> tuple[HttpResponse, CsvWriter]:
    """An empty CSV download (UTF-8 with BOM, ``no-store``) and the writer that fills it."""
    response = download(b"", CSV_CONTENT_TYPE, filename)
    return response, CsvWriter(response, delimiter=delimiter, bom=True)


@dataclass
class Sheet:
    """One worksheet: ``rows`` (lists of values), the 0-based indexes of rows printed bold, column widths by
    letter, and an optional frozen cell (``"A2"`` keeps the header row in view)."""

    title: str
    rows: Iterable[Iterable] = ()
    bold_rows: frozenset[int] = frozenset()
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None


def _xlsx_cell(ws, value, *, bold: bool):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    value = safe_cell(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text is text: never a formula, whatever it starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


#: Characters Excel does not allow in a sheet name.
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Sheet names for these titles: forbidden characters out, at most 31 characters, unique ("…(2)")."""
    names: list[str] = []
    for title in titles:
        base = " ".join(str(title).translate(SHEET_NAME_FORBIDDEN).split())
        if len(base) > 31:  # cut at a word, with an ellipsis
            base = base[:30].rsplit(" ", 1)[0].rstrip(" ,;-") + "…"
        base = base or "blad"
        name, n = base, 2
        while name.casefold() in {x.casefold() for x in names}:
            suffix = f" ({n})"
            name, n = base[:31 - len(suffix)].rstrip() + suffix, n + 1
        names.append(name)
    return names


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook with the sheets in order (names from ``sheet_names``)."""
    from openpyxl import Workbook

    sheets = list(sheets)
    wb = Workbook(write_only=True)
    for sheet, name in zip(sheets, sheet_names(s.title for s in sheets), strict=True):
        ws = wb.create_sheet(title=name)
        for letter, width in sheet.widths.items():
            ws.column_dimensions[letter].width = width
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        for index, row in enumerate(sheet.rows):
            bold = index in sheet.bold_rows
            ws.append([_xlsx_cell(ws, v, bold=bold) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
