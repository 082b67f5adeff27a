"""Import of a programme's projects and participants files (docs/import-format.md documents the format).

Both imports read CSV (UTF-8, a BOM is allowed, ``;`` or ``,`` sniffed from the header) or XLSX (the first sheet),
validate every row and report every problem per line and column in Dutch. By default nothing is written when any row
fails (one transaction); ``partial=True`` writes the valid rows and reports the rest. With ``apply=False`` nothing
is written at all: the result says what *would* happen (the web preview, ``--controleer``).

* Projects: ``code`` identifies a project within the programme; a re-import updates it and replaces its targets
  by the file's non-empty ``doel_<uitstroomcode>`` columns. Organisations are matched by name (case-insensitive)
  and created (kind ``overig``) when absent; the programme is created when absent.
* Participants: one row = one ``Trajectory`` (``source = import``), identified by ``extern_id`` within the
  programme; a re-import of the same ``extern_id`` updates that trajectory. Columns absent from the file are left
  as they are on an update; an empty cell is "unknown". The import reads the programme's existing trajectories
  once and writes in batches of ``BATCH_SIZE`` (no per-row queries): 100,000 rows fit well within a minute.

Bounded reading (``Limits``): before anything is parsed, an XLSX file's zip directory is checked — the uncompressed
size of its parts together, and how strongly each part is compressed (a "zip bomb" of a few hundred KB that expands
to a million rows is refused in milliseconds). Rows are then read one at a time (openpyxl ``read_only``,
``csv.reader``) and reading stops at the row or column limit or the time budget, so a hostile file never costs more
than a few seconds. The web uses ``WEB_LIMITS``; ``koers import`` the higher ``CLI_LIMITS``.

Every run (web and command line, check and import) is recorded in the audit trail (``AuditAction.IMPORT``).

Pure (no database): this module reads and validates a file; the writes are services/imports.py, the two lookups
of organisations queries/imports.py."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pycountry

from koers.core.codes import (
    ContractType,
    DropoutReason,
    EducationEntered,
    EducationLevel,
    Gender,
    LanguageLevel,
    LearningRoute,
    MigrationStatus,
    Outcome,
    YesNoUnknown,
)

BATCH_SIZE = 2000


MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a file Koers reads: file size, uncompressed size of an XLSX's parts together, how strongly a
    part may be compressed (parts above 1 MB), data rows and columns. ``channel`` names where the limits apply
    in the messages."""

    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_rows: int
    max_columns: int
    channel: str
    #: Reading stops after this many seconds (a file within the other limits can still be slow to parse: an
    #: XLSX of 50 MB of XML takes openpyxl well over ten seconds). None: no time limit.
    max_seconds: float | None = None

    def advice(self) -> str:
        if self is CLI_LIMITS:
            return "Splits het bestand in kleinere bestanden."
        return ("Splits het bestand in kleinere bestanden, of laat de beheerder het inlezen met de opdrachtregel "
                "(koers import; zie de handleiding importformaat).")


#: The web upload: a preview answers within seconds, whatever the file.
WEB_LIMITS = Limits(max_bytes=20 * MB, max_uncompressed=50 * MB, max_ratio=100, max_rows=200_000,
                    max_columns=100, channel="via de website", max_seconds=8)


#: ``koers import``, run by whoever administers the server: large programmes in one file.
CLI_LIMITS = Limits(max_bytes=500 * MB, max_uncompressed=2048 * MB, max_ratio=200, max_rows=2_000_000,
                    max_columns=100, channel="via de opdrachtregel")


MAX_BYTES = WEB_LIMITS.max_bytes


#: Parts of an XLSX above this size must not be compressed more strongly than ``max_ratio``.
RATIO_FROM = MB


MAX_ZIP_MEMBERS = 1000


#: Internal key of cells beyond the header's last column (reported as an error for that line).
EXTRA = "\x00extra"


PROJECT_COLUMNS = ("code", "naam", "organisatie", "tranche", "gepland", "startdatum", "einddatum")


TARGET_PREFIX = "doel_"


PARTICIPANT_COLUMNS = (
    "extern_id", "project", "geslacht", "geboortejaar", "land_herkomst", "opleidingsniveau", "status", "leerroute",
    "taalniveau_spreken", "startdatum", "einddatum", "uitstroom", "reden_uitval", "functie", "contractsoort",
    "contract_maanden", "uren_per_week", "opleiding_niveau", "opleiding_richting", "werk_na_6_maanden",
    "werk_na_12_maanden",
)


MAX_HOURS = 60


MAX_CONTRACT_MONTHS = 600


@dataclass(frozen=True)
class RowError:
    """One problem: ``line`` 1 is the header row, the first data row is line 2 (XLSX: the sheet row);
    line 0 is the file as a whole."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        if not self.column:
            return f"regel {self.line}: {self.message}"
        return f"regel {self.line}, kolom {self.column}: {self.message}"


@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def error_lines(self) -> int:
        """Number of data rows with at least one error."""
        return len({e.line for e in self.errors if e.line > 1})

    @property
    def header_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.line <= 1]


class FileError(ValueError):
    """The file cannot be read at all (message in Dutch)."""


def _cell(value) -> str:
    """An XLSX cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def thousands(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _too_many_rows(limits: Limits) -> FileError:
    return FileError(f"Het bestand heeft meer dan {thousands(limits.max_rows)} regels; Koers leest {limits.channel} "
                     f"hoogstens {thousands(limits.max_rows)} regels per bestand in. {limits.advice()}")


def _too_many_columns(limits: Limits) -> FileError:
    return FileError(f"Het bestand heeft meer dan {limits.max_columns} kolommen; een importbestand heeft er "
                     f"hoogstens {limits.max_columns}. Verwijder de overbodige kolommen (ook lege kolommen met "
                     "opmaak) en probeer het opnieuw.")


def _too_slow(limits: Limits, rows: int) -> FileError:
    return FileError(
        f"Het bestand is te groot om {limits.channel} binnen {limits.max_seconds:g} seconden te lezen (na "
        f"{thousands(rows)} regels gestopt). Lever het aan als CSV (dat leest veel sneller dan XLSX), splits het in "
        "kleinere bestanden, of laat de beheerder het inlezen met de opdrachtregel (koers import)."
    )


class _Clock:
    """Checks the time budget of ``limits`` every ``every`` rows (a clock read per row would cost time too)."""

    def __init__(self, limits: Limits, every: int = 500):
        self.limits = limits
        self.every = every
        self.deadline = None if limits.max_seconds is None else time.monotonic() + limits.max_seconds

    def check(self, index: int) -> None:
        if self.deadline is not None and index % self.every == 0 and time.monotonic() > self.deadline:
            raise _too_slow(self.limits, index)


def check_xlsx_size(data: bytes, limits: Limits = WEB_LIMITS) -> None:
    """Refuse an XLSX whose parts expand beyond ``limits`` — from the zip directory, before anything is
    unpacked. (Python's zipfile never unpacks more than a part's declared size, so the directory cannot lie.)"""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileError("Het XLSX-bestand kan niet worden gelezen; sla het opnieuw op in Excel of als CSV.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileError(f"Het XLSX-bestand bestaat uit meer dan {MAX_ZIP_MEMBERS} delen; dat is geen gewoon "
                        "werkblad. Sla het opnieuw op in Excel (alleen het werkblad met de gegevens) of als CSV.")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise FileError(
            f"Het XLSX-bestand is uitgepakt {thousands(total // MB)} MB groot; Koers leest {limits.channel} hoogstens "
            f"{thousands(limits.max_uncompressed // MB)} MB uitgepakte gegevens in. {limits.advice()} Een CSV-bestand "
            "is kleiner dan uitgepakte XLSX-gegevens."
        )
    for m in members:
        if m.file_size > RATIO_FROM and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise FileError(
                "Het XLSX-bestand is ongewoon sterk samengeperst (meer dan "
                f"{limits.max_ratio} keer); zo'n bestand kan de server lamleggen en wordt niet ingelezen. Sla het "
                "opnieuw op in Excel, of lever de gegevens aan als CSV."
            )


def _records_xlsx(data: bytes, limits: Limits, sample: int | None = None):
    """The rows of the first sheet as lists of text, one at a time; at most ``limits.max_rows`` data rows and
    ``limits.max_columns`` columns (a file beyond them raises FileError while reading, never after)."""
    from openpyxl import load_workbook

    check_xlsx_size(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors)
        raise FileError("Het XLSX-bestand kan niet worden gelezen; sla het opnieuw op in Excel of als CSV.") from exc
    try:
        sheet = workbook.worksheets[0]
        width = limits.max_columns + 1  # one more, to see a cell beyond the limit (and never pad rows further)
        clock = _Clock(limits)
        try:
            for index, row in enumerate(sheet.iter_rows(values_only=True, max_col=width)):
                clock.check(index)
                if index > limits.max_rows:
                    raise _too_many_rows(limits)
                if len(row) == width and row[-1] not in (None, ""):
                    raise _too_many_columns(limits)
                yield [_cell(v) for v in row[:limits.max_columns]]
                if sample is not None and index >= sample:
                    return
        except FileError:
            raise
        except Exception as exc:  # broken XML inside the zip, a part that fails its checksum
            raise FileError("Het XLSX-bestand kan niet worden gelezen; sla het opnieuw op in Excel of als "
                            "CSV.") from exc
    finally:
        workbook.close()


def _records_csv(data: bytes, limits: Limits, sample: int | None = None):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(
            "Het bestand is geen UTF-8-tekst. Sla het in Excel op als ‘CSV UTF-8 (door komma's gescheiden)’ "
            "of lever een XLSX-bestand aan."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    clock = _Clock(limits)
    try:
        for index, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
            clock.check(index)
            if index > limits.max_rows:
                raise _too_many_rows(limits)
            if len(record) > limits.max_columns and any(c.strip() for c in record[limits.max_columns:]):
                raise _too_many_columns(limits)
            yield [c.strip() for c in record[:limits.max_columns]]
            if sample is not None and index >= sample:
                return
    except csv.Error as exc:  # a field beyond csv's field size limit, a stray NUL
        raise FileError(f"Het CSV-bestand kan niet worden gelezen ({exc}); controleer de aanhalingstekens en sla "
                        "het opnieuw op als ‘CSV UTF-8’.") from None


def _is_xlsx(data: bytes, filename: str) -> bool:
    """XLSX by extension, else by the zip signature (an .xlsx saved under another name)."""
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def read_table(data: bytes, filename: str, *, limits: Limits = WEB_LIMITS,
               sample: int | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV or XLSX file; every cell as stripped text ("" when empty). ``sample``:
    read only the first that many data rows (the preview). ``limits``: see ``Limits``.

    Row ``i`` of the list is line ``i + 2`` of the file (line 1 is the header); empty rows are kept (as all-empty
    dicts) so line numbers stay right. Cells beyond the header are collected under ``EXTRA``. Raises
    ``FileError`` (Dutch message) when the file cannot be read.
    """
    name = filename.lower()
    if name.endswith((".xls", ".ods")):
        raise FileError("Alleen CSV- of XLSX-bestanden kunnen worden geïmporteerd; sla het bestand op als XLSX of CSV.")
    if len(data) > limits.max_bytes:
        size = thousands(limits.max_bytes // MB)
        raise FileError(f"Het bestand is groter dan {size} MB; Koers leest {limits.channel} "
                        f"hoogstens {size} MB per bestand in. {limits.advice()}")
    reader = _records_xlsx if _is_xlsx(data, filename) else _records_csv
    records = list(reader(data, limits, sample))
    if not records or not any(records[0]):
        raise FileError("De eerste regel van het bestand moet de kolomnamen bevatten; het bestand is leeg of de "
                        "eerste regel is leeg.")
    header = [h.strip().lstrip("\ufeff").strip() for h in records[0]]
    # Trailing unnamed columns (a ';' at the end of each line, formatted empty Excel columns) are not columns.
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows: list[dict[str, str]] = []
    for record in records[1:]:
        row = dict(zip(header, record[:width], strict=False))
        for name_ in header[len(record):]:
            row[name_] = ""
        extra = [c for c in record[width:] if c]
        if extra:
            row[EXTRA] = "; ".join(extra)
        rows.append(row)
    return header, rows


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


_NL_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")


def parse_date(value: str) -> date | None:
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if m:
        y, mo, d = m.groups()
    else:
        m = _NL_DATE.match(value)
        if not m:
            raise ValueError(f"'{value}' is geen datum; schrijf JJJJ-MM-DD (bijvoorbeeld 2020-03-31) of DD-MM-JJJJ "
                             "(31-03-2020), of laat de cel leeg als de datum onbekend is")
        d, mo, y = m.groups()
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise ValueError(f"'{value}' is geen bestaande datum; controleer dag en maand") from None


def _number(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise ValueError(f"'{value}' is geen getal; vul een getal in of laat de cel leeg als het onbekend is") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' is geen getal; vul een getal in of laat de cel leeg als het onbekend is")
    return number


def parse_count(value: str, *, maximum: int | None = None, what: str = "een aantal") -> int | None:
    """A whole non-negative number ("" = unknown)."""
    if not value:
        return None
    number = _number(value)
    if number != number.to_integral_value():
        raise ValueError(f"'{value}' is geen heel getal; vul {what} in zonder decimalen")
    if number < 0:
        raise ValueError(f"'{value}' is negatief; vul 0 of meer in")
    if maximum is not None and number > maximum:
        raise ValueError(f"'{value}' is te groot; vul hoogstens {maximum} in")
    return int(number)


def parse_hours(value: str) -> Decimal | None:
    if not value:
        return None
    number = _number(value)
    if number < 0:
        raise ValueError(f"'{value}' is negatief; vul 0 of meer uren in (0 = nulurencontract)")
    if number > MAX_HOURS:
        raise ValueError(f"'{value}' uur per week is niet aannemelijk; vul hoogstens {MAX_HOURS} in")
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def parse_birth_year(value: str, bounds: tuple[int, int]) -> int | None:
    if not value:
        return None
    low, high = bounds
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(f"'{value}' is geen aannemelijk geboortejaar; vul een jaar tussen {low} en {high} in "
                         "(vier cijfers) of laat de cel leeg als het onbekend is")
    return int(value)


_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries)


def parse_country(value: str) -> str:
    if not value:
        return ""
    code = value.upper()
    if code not in _COUNTRIES:
        raise ValueError(f"'{value}' is geen landcode; gebruik de tweeletterige ISO 3166-code (bijvoorbeeld SY voor "
                         "Syrië, ER voor Eritrea) of laat de cel leeg als het onbekend is")
    return code


class CodeList:
    """One code column: case-insensitive lookup, the canonical code stored; ``onbekend``/empty = ``unknown``."""

    def __init__(self, choices, unknown: str):
        self.values = list(choices.values)
        self.lookup = {v.casefold(): v for v in self.values}
        self.unknown = unknown
        self.lookup.setdefault("onbekend", unknown)

    def parse(self, value: str) -> str:
        if not value:
            return self.unknown
        code = self.lookup.get(value.casefold())
        if code is None:
            raise ValueError(f"'{value}' is geen geldige code; gebruik een van: {', '.join(self.values)} "
                             "(of laat de cel leeg als het onbekend is)")
        return code


SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


CODES = {
    "geslacht": ("gender", CodeList(Gender, Gender.ONBEKEND)),
    "opleidingsniveau": ("education_level", CodeList(EducationLevel, EducationLevel.ONBEKEND)),
    "status": ("migration_status", CodeList(MigrationStatus, MigrationStatus.ONBEKEND)),
    "leerroute": ("learning_route", CodeList(LearningRoute, LearningRoute.ONBEKEND)),
    "taalniveau_spreken": ("level_spreken", CodeList(LanguageLevel, LanguageLevel.ONBEKEND)),
    "uitstroom": ("outcome", CodeList(Outcome, Outcome.ONBEKEND)),
    # Empty dropout reason / education level: "onbekend" only when the outcome asks for it (see _derive).
    "reden_uitval": ("dropout_reason", CodeList(DropoutReason, "")),
    "contractsoort": ("contract_type", CodeList(ContractType, "")),
    "opleiding_niveau": ("education_entered", CodeList(EducationEntered, "")),
    "werk_na_6_maanden": ("work_6m", CodeList(YesNoUnknown, YesNoUnknown.ONBEKEND)),
    "werk_na_12_maanden": ("work_12m", CodeList(YesNoUnknown, YesNoUnknown.ONBEKEND)),
}


TEXTS = {"functie": ("job_title", 200), "opleiding_richting": ("education_field", 200)}


#: File column → Trajectory field, for the columns that are written as they are parsed.
FIELD_OF = {
    **{column: name for column, (name, _) in CODES.items()},
    **{column: name for column, (name, _) in TEXTS.items()},
    "geboortejaar": "birth_year", "land_herkomst": "country_of_origin", "startdatum": "started_on",
    "einddatum": "ended_on", "contract_maanden": "contract_months", "uren_per_week": "hours_per_week",
}
