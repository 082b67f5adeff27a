"""Import of a programme's projects and participants files (docs/import-format.md documents the format).

Both imports read CSV (UTF-8, a BOM is allowed, ``;`` or ``,`` sniffed from the header) or XLSX (the first
sheet), validate every row and report every problem per line and column in Dutch. By default nothing is written
when any row fails (one transaction); ``partial=True`` writes the valid rows and reports the rest. With
``apply=False`` nothing is written at all: the result says what *would* happen (the web preview, ``--controleer``).

* Projects: ``code`` identifies a project within the programme; a re-import updates it and replaces its targets
  by the file's non-empty ``doel_<uitstroomcode>`` columns. Organisations are matched by name (case-insensitive)
  and created (kind ``overig``) when absent; the programme is created when absent.
* Participants: one row = one ``Trajectory`` (``source = import``), identified by ``extern_id`` within the
  programme; a re-import of the same ``extern_id`` updates that trajectory. Columns absent from the file are left
  as they are on an update; an empty cell is "unknown". The import reads the programme's existing trajectories
  once and writes in batches of ``BATCH_SIZE`` (no per-row queries): 100,000 rows fit well within a minute.

Bounded reading (``Limits``): before anything is parsed, an XLSX file's zip directory is checked — the
uncompressed size of its parts together, and how strongly each part is compressed (a "zip bomb" of a few
hundred KB that expands to a million rows is refused in milliseconds). Rows are then read one at a time
(openpyxl ``read_only``, ``csv.reader``) and reading stops at the row or column limit or the time budget, so a
hostile file never costs more than a few seconds. The web uses ``WEB_LIMITS``; ``koers import`` the higher
``CLI_LIMITS``.

Every run (web and command line, check and import) is recorded in the audit trail (``AuditAction.IMPORT``).
"""

from __future__ import annotations

import csv
import difflib
import getpass
import hashlib
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pycountry
from django.db import connection, transaction
from django.utils import timezone

from koers.core.codes import (
    ContractType,
    DropoutReason,
    EducationEntered,
    EducationLevel,
    Gender,
    LanguageLevel,
    LearningRoute,
    MigrationStatus,
    OrganisationKind,
    Outcome,
    YesNoUnknown,
)
from koers.core.models import Organisation
from koers.monitoring.models import (
    RESERVED_PROGRAMME_CODES,
    ImportRun,
    Programme,
    Project,
    ProjectTarget,
    Source,
    Trajectory,
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


# --- Reading -----------------------------------------------------------------------------------------------------


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


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _too_many_rows(limits: Limits) -> FileError:
    return FileError(f"Het bestand heeft meer dan {_n(limits.max_rows)} regels; Koers leest {limits.channel} "
                     f"hoogstens {_n(limits.max_rows)} regels per bestand in. {limits.advice()}")


def _too_many_columns(limits: Limits) -> FileError:
    return FileError(f"Het bestand heeft meer dan {limits.max_columns} kolommen; een importbestand heeft er "
                     f"hoogstens {limits.max_columns}. Verwijder de overbodige kolommen (ook lege kolommen met "
                     "opmaak) en probeer het opnieuw.")


def _too_slow(limits: Limits, rows: int) -> FileError:
    return FileError(
        f"Het bestand is te groot om {limits.channel} binnen {limits.max_seconds:g} seconden te lezen (na "
        f"{_n(rows)} regels gestopt). Lever het aan als CSV (dat leest veel sneller dan XLSX), splits het in "
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
            f"Het XLSX-bestand is uitgepakt {_n(total // MB)} MB groot; Koers leest {limits.channel} hoogstens "
            f"{_n(limits.max_uncompressed // MB)} MB uitgepakte gegevens in. {limits.advice()} Een CSV-bestand "
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
        raise FileError(f"Het bestand is groter dan {_n(limits.max_bytes // MB)} MB; Koers leest {limits.channel} "
                        f"hoogstens {_n(limits.max_bytes // MB)} MB per bestand in. {limits.advice()}")
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


# --- Value parsers (each returns the stored value or raises ValueError with a Dutch message) ---------------------

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


def _birth_year_bounds() -> tuple[int, int]:
    year = timezone.localdate().year
    return year - 100, year - 12


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


# --- Header checks ----------------------------------------------------------------------------------------------


def _check_header(header: list[str], allowed: set[str], required: tuple[str, ...], errors: list[RowError],
                  *, hint: str = "") -> None:
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            errors.append(RowError(1, f"{position}", "deze kolom heeft geen naam; zet de kolomnaam in de eerste "
                                                     "regel of verwijder de kolom"))
            continue
        if name in seen:
            errors.append(RowError(1, name, "deze kolom staat twee keer in het bestand; laat er één over"))
        seen.add(name)
        if name not in allowed:
            close = difflib.get_close_matches(name.lower(), sorted(allowed), n=1)
            advice = f"bedoelt u '{close[0]}'?" if close else "verwijder de kolom of hernoem hem"
            errors.append(RowError(1, name, f"onbekende kolom; {advice} {hint}".strip()))
    for name in required:
        if name not in seen:
            errors.append(RowError(1, name, "deze verplichte kolom ontbreekt; voeg een kolom met precies deze naam "
                                            "toe"))


def _is_empty(row: dict[str, str]) -> bool:
    return not any(row.values())


def _read(data: bytes, filename: str, result: ImportResult,
          limits: Limits) -> tuple[list[str], list[dict[str, str]]] | None:
    try:
        return read_table(data, filename, limits=limits)
    except FileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return None


def _record_run(programme: Programme, kind: str, data: bytes, filename: str, result: ImportResult, user) -> None:
    ImportRun.objects.create(
        programme=programme, kind=kind, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
        rows=result.total_rows, created=result.created, updated=result.updated,
        user=user if getattr(user, "is_authenticated", False) else None,
    )


# --- Projects -----------------------------------------------------------------------------------------------------

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def default_owner() -> Organisation | None:
    """The owner of a new programme when none is given: the only municipality, if there is exactly one."""
    municipalities = list(Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, is_active=True)[:2])
    return municipalities[0] if len(municipalities) == 1 else None


def find_organisation(name: str) -> Organisation | None:
    key = name.strip().casefold()
    for org in Organisation.objects.all():
        if org.name.strip().casefold() == key:
            return org
    return None


def _audit(user, request, kind: str, programme_code: str, filename: str, result: ImportResult, *, apply: bool,
           partial: bool = False) -> None:
    """One audit record per import run (``AuditAction.IMPORT``): programme, file, rows and result."""
    from koers.core import audit
    from koers.core.models import AuditAction

    what = "projecten" if kind == "projects" else "deelnemers"
    if result.applied:
        outcome = f"geïmporteerd: {_n(result.created)} nieuw, {_n(result.updated)} bijgewerkt"
        if result.errors:
            outcome += f", {_n(result.error_lines)} regel(s) met fouten overgeslagen"
    elif result.header_errors and not result.total_rows:
        outcome = "geweigerd: " + "; ".join(e.message for e in result.header_errors[:2])
    elif not apply:
        outcome = (f"gecontroleerd: {_n(result.created)} nieuw, {_n(result.updated)} bijgewerkt, "
                   f"{_n(result.error_lines)} regel(s) met fouten")
    else:
        outcome = f"niets geïmporteerd: {len(result.errors)} fout(en)"
    step = "controle" if not apply else ("import (alleen geldige regels)" if partial else "import")
    via = "website" if request is not None else f"opdrachtregel, systeemgebruiker {_os_user()}"
    detail = (f"Import {what} ({step}, {via}) programma {programme_code}, bestand {filename}: "
              f"{_n(result.total_rows)} regels; {outcome}")
    audit.record_event(user, AuditAction.IMPORT, detail[:500], request=request)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment (a container)
        return "onbekend"


def import_projects(data: bytes, filename: str, *, programme_code: str, owner=None, user=None,
                    apply: bool = True, limits: Limits = WEB_LIMITS, request=None, record: bool = True
                    ) -> ImportResult:
    """Import a projects file into the programme ``programme_code`` (created when absent, owned by ``owner`` or
    else the only municipality). Nothing is written when any row fails or when ``apply`` is false. The run is
    audited unless ``record`` is false (a preview shown again after a refused import)."""
    result = _import_projects(data, filename, programme_code=programme_code, owner=owner, user=user, apply=apply,
                              limits=limits)
    if record:
        _audit(user, request, "projects", programme_code, filename, result, apply=apply)
    return result


def _import_projects(data: bytes, filename: str, *, programme_code: str, owner, user, apply: bool,
                     limits: Limits) -> ImportResult:
    result = ImportResult()
    programme_code = programme_code.strip()
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        if not _SLUG.match(programme_code) or len(programme_code) > 40 or programme_code in RESERVED_PROGRAMME_CODES:
            result.errors.append(RowError(0, "", f"'{programme_code}' is geen geldige programmacode; gebruik "
                                                 "alleen letters, cijfers, '-' en '_' (hoogstens 40 tekens), en niet "
                                                 f"{', '.join(sorted(RESERVED_PROGRAMME_CODES))}."))
            return result
        owner = owner or default_owner()
        if owner is None:
            result.errors.append(RowError(0, "", f"Programma '{programme_code}' bestaat nog niet. Geef de "
                                                 "organisatie die het programma beheert op (--owner NAAM); er is "
                                                 "niet precies één gemeente om automatisch te kiezen."))
            return result
        result.warnings.append(f"Programma '{programme_code}' bestaat nog niet en wordt aangemaakt met {owner} als "
                               "opdrachtgever.")

    table = _read(data, filename, result, limits)
    if table is None:
        return result
    header, rows = table
    outcome_codes = set(Outcome.values)
    allowed = set(PROJECT_COLUMNS) | {TARGET_PREFIX + code for code in outcome_codes}
    _check_header(header, allowed, ("code",), result.errors,
                  hint="(doelen heten doel_<uitstroomcode>, bijvoorbeeld doel_betaald_werk)")
    if result.errors:
        return result
    present = set(header)
    target_columns = [h for h in header if h.startswith(TARGET_PREFIX)]

    organisations = {o.name.strip().casefold(): o for o in Organisation.objects.all()}
    existing = {p.code: p for p in Project.objects.filter(programme=programme)} if programme else {}
    new_orgs: dict[str, str] = {}
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        line = index + 2
        if _is_empty(row):
            continue
        result.total_rows += 1
        errs: list[RowError] = []

        def check(column, fn, value, _errs=errs, _line=line):
            try:
                return fn(value)
            except ValueError as exc:
                _errs.append(RowError(_line, column, str(exc)))
                return None

        if EXTRA in row:
            errs.append(RowError(line, "", f"deze regel heeft meer waarden dan er kolommen zijn ({row[EXTRA]}); "
                                           "controleer scheidingstekens en aanhalingstekens"))
        code = row.get("code", "")
        if not code:
            errs.append(RowError(line, "code", "de projectcode ontbreekt; vul een korte code in, bijvoorbeeld kim"))
        elif not _SLUG.match(code) or len(code) > 60:
            errs.append(RowError(line, "code", f"'{code}' is geen geldige code; gebruik alleen letters, cijfers, "
                                               "'-' en '_' (hoogstens 60 tekens)"))
        elif code in seen:
            errs.append(RowError(line, "code", f"project '{code}' staat ook op regel {seen[code]}; elk project mag "
                                               "één keer voorkomen"))
        else:
            seen[code] = line
        values: dict = {"code": code}
        for column, limit in (("naam", 200), ("organisatie", 200), ("tranche", 40)):
            text = row.get(column, "")
            if len(text) > limit:
                errs.append(RowError(line, column, f"de tekst is te lang ({len(text)} tekens); hoogstens {limit}"))
            values[column] = text
        values["gepland"] = check("gepland", lambda v: parse_count(v, maximum=1_000_000), row.get("gepland", ""))
        start = check("startdatum", parse_date, row.get("startdatum", ""))
        end = check("einddatum", parse_date, row.get("einddatum", ""))
        if start and end and end < start:
            errs.append(RowError(line, "einddatum", f"de einddatum {end:%d-%m-%Y} ligt vóór de startdatum "
                                                    f"{start:%d-%m-%Y}; controleer beide datums"))
        values["startdatum"], values["einddatum"] = start, end
        targets = {}
        for column in target_columns:
            count = check(column, lambda v: parse_count(v, maximum=1_000_000), row.get(column, ""))
            if count is not None:
                targets[column[len(TARGET_PREFIX):]] = count
        values["doelen"] = targets
        org_name = values["organisatie"]
        if org_name and org_name.casefold() not in organisations and org_name.casefold() not in new_orgs:
            new_orgs[org_name.casefold()] = org_name
        if errs:
            result.errors.extend(errs)
            continue
        parsed.append((line, values))
        if code in existing:
            result.updated += 1
        else:
            result.created += 1

    for name in new_orgs.values():
        result.warnings.append(f"Organisatie '{name}' bestaat nog niet en wordt aangemaakt (soort overig).")
    if result.errors or not apply:
        if result.errors:
            result.created = result.updated = 0
        return result

    with transaction.atomic():
        if programme is None:
            programme = Programme.objects.create(code=programme_code, name=programme_code, owner=owner)
        for key, name in new_orgs.items():
            organisations[key] = Organisation.objects.create(name=name, kind=OrganisationKind.OVERIG)
        for _line, values in parsed:
            project = existing.get(values["code"]) or Project(programme=programme, code=values["code"])
            if "naam" in present or project.pk is None:
                project.name = values["naam"] or project.name or values["code"]
            if "organisatie" in present:
                org = values["organisatie"]
                project.organisation = organisations[org.casefold()] if org else None
            if "tranche" in present:
                project.tranche = values["tranche"]
            if "gepland" in present:
                project.planned_participants = values["gepland"]
            if "startdatum" in present:
                project.starts_on = values["startdatum"]
            if "einddatum" in present:
                project.ends_on = values["einddatum"]
            project.imported = True
            project.save()
            if target_columns:
                current = {t.outcome: t for t in project.targets.all()}
                for outcome, count in values["doelen"].items():
                    target = current.pop(outcome, None)
                    if target is None:
                        ProjectTarget.objects.create(project=project, outcome=outcome, count=count)
                    elif target.count != count:
                        target.count = count
                        target.save(update_fields=["count"])
                ProjectTarget.objects.filter(pk__in=[t.pk for t in current.values()]).delete()
        result.applied = True
        _record_run(programme, "projects", data, filename, result, user)
    return result


# --- Participants ---------------------------------------------------------------------------------------------------

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


def _derive(values: dict) -> None:
    """Unknowns that depend on the outcome: a dropout without a reason has reason ``onbekend``; regular education
    without a level has level ``onbekend`` (elsewhere the field does not apply and stays empty)."""
    outcome = values.get("outcome")
    if "dropout_reason" in values and not values["dropout_reason"] and outcome == Outcome.VOORTIJDIGE_UITVAL:
        values["dropout_reason"] = DropoutReason.ONBEKEND
    if "education_entered" in values and not values["education_entered"] and \
            outcome == Outcome.REGULIERE_OPLEIDING:
        values["education_entered"] = "onbekend"


def _programme(programme) -> Programme | None:
    if isinstance(programme, Programme):
        return programme
    return Programme.objects.filter(code=str(programme).strip()).first()


def import_participants(data: bytes, filename: str, *, programme, user=None, apply: bool = True,
                        partial: bool = False, limits: Limits = WEB_LIMITS, request=None,
                        record: bool = True) -> ImportResult:
    """Import a participants file into ``programme`` (a Programme or its code; it must exist, with its projects).

    Every row becomes or updates one imported trajectory. With errors nothing is written, unless ``partial``:
    then the valid rows are written and the errors reported. ``apply=False`` only validates. The run is audited
    unless ``record`` is false."""
    result = _import_participants(data, filename, programme=programme, user=user, apply=apply, partial=partial,
                                  limits=limits)
    if record:
        code = programme.code if isinstance(programme, Programme) else str(programme)
        _audit(user, request, "participants", code, filename, result, apply=apply, partial=partial)
    return result


def _import_participants(data: bytes, filename: str, *, programme, user, apply: bool, partial: bool,
                         limits: Limits) -> ImportResult:
    result = ImportResult()
    prog = _programme(programme)
    if prog is None:
        result.errors.append(RowError(0, "", f"Programma '{programme}' bestaat niet; importeer eerst het "
                                             "projectenbestand (dat maakt het programma aan)."))
        return result
    table = _read(data, filename, result, limits)
    if table is None:
        return result
    header, rows = table
    _check_header(header, set(PARTICIPANT_COLUMNS), ("extern_id", "project"), result.errors)
    if result.errors:
        return result

    projects = {p.code.casefold(): p.pk for p in Project.objects.filter(programme=prog).only("id", "code")}
    project_list = ", ".join(sorted(p for p in projects)) or "(nog geen projecten; importeer eerst het "\
        "projectenbestand)"
    existing: dict[str, tuple[int, str]] = {
        extern_id: (pk, source)
        for pk, extern_id, source in Trajectory.objects.filter(programme=prog).exclude(extern_id="")
        .values_list("pk", "extern_id", "source")
    }
    present = [c for c in header if c in FIELD_OF]
    bounds = _birth_year_bounds()
    parsers = {column: codes.parse for column, (_f, codes) in CODES.items()}
    parsers.update({
        "geboortejaar": lambda v: parse_birth_year(v, bounds),
        "land_herkomst": parse_country,
        "startdatum": parse_date,
        "einddatum": parse_date,
        "contract_maanden": lambda v: parse_count(v, maximum=MAX_CONTRACT_MONTHS, what="het aantal maanden"),
        "uren_per_week": parse_hours,
    })
    for column, (_name, limit) in TEXTS.items():
        def text(v, _limit=limit):
            if len(v) > _limit:
                raise ValueError(f"de tekst is te lang ({len(v)} tekens); hoogstens {_limit}")
            return v
        parsers[column] = text
    column_parsers = [(column, FIELD_OF[column], parsers[column]) for column in present]

    new: list[tuple[str, int, dict]] = []  # (extern_id, project_id, values)
    changed: list[tuple[int, int, dict]] = []  # (pk, project_id, values)
    seen: dict[str, int] = {}
    unknown_outcome = 0
    has_outcome = "uitstroom" in header
    for index, row in enumerate(rows):
        if _is_empty(row):
            continue
        line = index + 2
        result.total_rows += 1
        errs: list[RowError] = []
        if EXTRA in row:
            errs.append(RowError(line, "", f"deze regel heeft meer waarden dan er kolommen zijn ({row[EXTRA]}); "
                                           "controleer scheidingstekens en aanhalingstekens"))
        extern_id = row["extern_id"]
        target = None
        if not extern_id:
            errs.append(RowError(line, "extern_id", "het extern_id ontbreekt; elke regel heeft een eigen nummer "
                                                    "nodig (bijvoorbeeld het dossiernummer)"))
        elif len(extern_id) > 80:
            errs.append(RowError(line, "extern_id", "het extern_id is te lang; hoogstens 80 tekens"))
        elif extern_id in seen:
            errs.append(RowError(line, "extern_id", f"'{extern_id}' staat ook op regel {seen[extern_id]}; elk "
                                                    "extern_id mag één keer in het bestand voorkomen"))
        else:
            seen[extern_id] = line
            target = existing.get(extern_id)
            if target is not None and target[1] != Source.IMPORT:
                errs.append(RowError(line, "extern_id", f"'{extern_id}' hoort bij een deelname die in Koers zelf "
                                                        "is vastgelegd en kan niet door een import worden "
                                                        "overschreven; gebruik een ander extern_id"))
        code = row["project"]
        project_id = projects.get(code.casefold()) if code else None
        if not code:
            errs.append(RowError(line, "project", f"de projectcode ontbreekt; gebruik een van: {project_list}"))
        elif project_id is None:
            errs.append(RowError(line, "project", f"project '{code}' bestaat niet in programma {prog.code}; "
                                                  f"gebruik een van: {project_list}"))
        values: dict = {}
        for column, name, parse in column_parsers:
            try:
                values[name] = parse(row[column])
            except ValueError as exc:
                errs.append(RowError(line, column, str(exc)))
        start, end = values.get("started_on"), values.get("ended_on")
        if start and end and end < start:
            errs.append(RowError(line, "einddatum", f"de einddatum {end:%d-%m-%Y} ligt vóór de startdatum "
                                                    f"{start:%d-%m-%Y}; controleer beide datums"))
        if errs:
            result.errors.extend(errs)
            continue
        if has_outcome and not row["uitstroom"]:
            unknown_outcome += 1
        _derive(values)
        if target is None:
            new.append((extern_id, project_id, values))
        else:
            changed.append((target[0], project_id, values))

    if unknown_outcome:
        result.warnings.append(f"{unknown_outcome} regel(s) zonder uitstroom worden vastgelegd met uitstroom "
                               "‘onbekend’ (een import is een registratie achteraf).")
    if result.errors and not partial:
        return result
    result.created, result.updated = len(new), len(changed)
    if not apply or not (new or changed):
        return result

    now = timezone.now()
    with transaction.atomic():
        _create(prog, new, now, has_outcome)
        _update(changed, now, [FIELD_OF[c] for c in present])
        result.applied = True
        _record_run(prog, "participants", data, filename, result, user)
    return result


def _create(programme: Programme, new: list[tuple[str, int, dict]], now, has_outcome: bool) -> None:
    objects = []
    for extern_id, project_id, values in new:
        if not has_outcome:
            values["outcome"] = Outcome.ONBEKEND
        objects.append(Trajectory(
            programme=programme, project_id=project_id, extern_id=extern_id, source=Source.IMPORT,
            imported_at=now, created_at=now, **values,
        ))
        if len(objects) >= BATCH_SIZE:
            Trajectory.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            objects = []
    if objects:
        Trajectory.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def _update(changed: list[tuple[int, int, dict]], now, names: list[str]) -> None:
    """One prepared UPDATE per row, sent with executemany in batches: fast on SQLite and PostgreSQL alike
    (``bulk_update``'s CASE expressions grow quadratically with the batch)."""
    if not changed:
        return
    meta = Trajectory._meta
    fields = [meta.get_field(n) for n in ["project", "imported_at", "updated_at", *names]]
    qn = connection.ops.quote_name
    # Only the model's own table and column names go into the statement; every value is a parameter.
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    prep = [(f.name, f) for f in fields[3:]]
    imported_at = meta.get_field("imported_at").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(changed), BATCH_SIZE):
            params = []
            for pk, project_id, values in changed[start:start + BATCH_SIZE]:
                params.append([project_id, imported_at, imported_at,
                               *(f.get_db_prep_save(values[name], connection) for name, f in prep), pk])
            cursor.executemany(sql, params)
