"""The pseudonymised participant-level research export (docs/privacy.md, "Monitoring en onderzoeksexport").

One row per trajectory of the programme, for the programme's owner and its researchers (never partners):

* **no direct identifiers** — no name, BSN, contact data, address, ``extern_id``, participant or trajectory id,
  free-text notes; columns are built from an explicit list of trajectory fields (``COLUMNS``), so a field added
  to a model never leaks into the export by accident;
* **a stable pseudonym per programme** — HMAC-SHA256 keyed with the server's pseudonym key over the programme's
  salt and a stable subject id (the participant id for native trajectories, ``x:`` + ``extern_id`` for
  imported ones), first ``PSEUDONYM_LENGTH`` hex characters. The same participant gets the same pseudonym in
  every export of that programme and an unrelated one in another programme; without the key nobody can
  compute it. Rotating the key or the salt changes every pseudonym;
* **dates to the month** (``YYYY-MM``); **age at the start in 5-year bands** (``age_band``);
* **rare categories grouped** — a country of origin, job title or education field (normalised to lowercase)
  that occurs fewer than ``RARE_THRESHOLD`` times in the export becomes ``overig``;
* **no special-category data** — a health dropout reason becomes ``afgeschermd``.

The writes are in the services package (same module name)."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils import timezone

from koers.core import audit, exports
from koers.core.codes import SPECIAL_DROPOUT_REASONS, Category
from koers.core.models import AuditAction
from koers.monitoring.models import Programme, Trajectory

logger = logging.getLogger("koers.security")


PSEUDONYM_LENGTH = 16  # hex characters = 64 bits: no collisions to expect within a programme


RARE_THRESHOLD = 5  # same as the small-cell threshold of the reports (access.SMALL_CELL)


OTHER = "overig"


#: A health dropout reason is special-category data, which no researcher may see per person (docs/privacy.md):
#: the export says only that the reason is withheld; the aggregated dropout table still counts it.
WITHHELD = "afgeschermd"


UNKNOWN = "onbekend"


AGE_BAND_WIDTH = 5


AGE_MIN = 15  # younger: "<15"


AGE_TOP = 65  # this age and older: "65+"


#: (column, label for the explanation page). Dutch names as in the import format where the meaning is the same.
COLUMNS: list[tuple[str, str]] = [
    ("pseudoniem", "Vaste code per deelnemer binnen dit programma (geen naam of nummer uit Koers)"),
    ("project", "Projectcode"),
    ("organisatie", "Uitvoerende organisatie van het project"),
    ("tranche", "Tranche van het project"),
    ("bron", "koers (vastgelegd in Koers) of import"),
    ("geslacht", "man, vrouw, anders, onbekend"),
    ("leeftijdsgroep", "Leeftijd bij de start in groepen van 5 jaar (bijvoorbeeld 25-29), <15, 65+ of onbekend"),
    ("land_herkomst", "ISO-landcode; landen die minder dan 5 keer voorkomen: overig"),
    ("opleidingsniveau", "Opleidingsniveau in het land van herkomst"),
    ("status", "Verblijfsstatus"),
    ("leerroute", "Leerroute"),
    ("taalniveau_spreken", "Taalniveau spreken"),
    ("startmaand", "Start van de deelname (jjjj-mm)"),
    ("eindmaand", "Einde van de deelname (jjjj-mm), leeg als die nog loopt of onbekend is"),
    ("eerste_plaatsing_maand", "Eerste plaatsing (jjjj-mm)"),
    ("uitstroom", "Uitstroomcode, leeg als de deelname nog loopt"),
    ("reden_uitval", "Reden van voortijdige uitval"),
    ("functie", "Functie (kleine letters); functies die minder dan 5 keer voorkomen: overig"),
    ("contractsoort", "Contractsoort"),
    ("contract_maanden", "Contractduur in maanden (leeg: onbekend of vast contract)"),
    ("uren_per_week", "Uren per week (0 = nulurencontract)"),
    ("opleiding_niveau", "Niveau van de gestarte opleiding"),
    ("opleiding_richting", "Richting van de opleiding (kleine letters); minder dan 5 keer: overig"),
    ("werk_na_6_maanden", "Betaald werk bij de vervolgmeting na 6 maanden: ja, nee, onbekend"),
    ("werk_na_12_maanden", "Betaald werk bij de vervolgmeting na 12 maanden: ja, nee, onbekend"),
]


HEADER = [name for name, _ in COLUMNS]


#: The only trajectory fields the export reads (explicit: nothing else can end up in a row).
_FIELDS = (
    "participant_id", "extern_id", "source", "project__code", "project__organisation__name", "project__tranche",
    "gender", "birth_year", "country_of_origin", "education_level", "migration_status", "learning_route",
    "level_spreken", "started_on", "ended_on", "first_placement_on", "outcome", "dropout_reason", "job_title",
    "contract_type", "contract_months", "hours_per_week", "education_entered", "education_field", "work_6m",
    "work_12m",
)


def pseudonym_key() -> bytes:
    """The server secret of the pseudonyms: ``KOERS_PSEUDONYM_KEY`` when set, else the SECRET_KEY."""
    return (getattr(settings, "KOERS_PSEUDONYM_KEY", "") or settings.SECRET_KEY).encode()


def subject_id(participant_id: int | None, extern_id: str) -> str:
    """The stable id of the person behind a trajectory (never exported)."""
    return str(participant_id) if participant_id else f"x:{extern_id}"


def _pseudonym(key: bytes, salt: str, subject: str) -> str:
    return hmac.new(key, f"{salt}\x1f{subject}".encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonym(programme: Programme, subject: str) -> str:
    """The research pseudonym of ``subject`` (``subject_id``) in ``programme``."""
    return _pseudonym(pseudonym_key(), programme.pseudonym_salt, subject)


def month(d: date | None) -> str:
    return f"{d.year:04d}-{d.month:02d}" if d else ""


def age_band(birth_year: int | None, started_on: date | None) -> str:
    """Age at the start (year of start minus year of birth: only the year of birth is known) in 5-year bands."""
    if not birth_year or not started_on:
        return UNKNOWN
    age = started_on.year - birth_year
    if age < AGE_MIN:
        return f"<{AGE_MIN}"
    if age >= AGE_TOP:
        return f"{AGE_TOP}+"
    low = age - age % AGE_BAND_WIDTH
    return f"{low}-{low + AGE_BAND_WIDTH - 1}"


def _normalise(text: str) -> str:
    return " ".join((text or "").split()).lower()


def _grouped(values: list[str]) -> list[str]:
    """Values occurring fewer than RARE_THRESHOLD times become "overig"; empty (unknown) stays empty."""
    counts = Counter(v for v in values if v)
    return [v if not v or counts[v] >= RARE_THRESHOLD else OTHER for v in values]


def _number(value) -> int | float | str:
    if value is None:
        return ""
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def export_rows(programme: Programme, trajectories: Iterable[dict] | None = None) -> tuple[list[list], list[int]]:
    """The export's rows (without header) and the ids of the native participants in it (for the audit).

    ``trajectories``: ``Trajectory.objects.filter(...).values(*_FIELDS)``-shaped dicts; default: the whole
    programme.
    """
    if trajectories is None:
        trajectories = (
            Trajectory.objects.filter(programme=programme)
            .order_by("project__code", "pk")
            .values(*_FIELDS)
        )
    raw = list(trajectories)
    countries = _grouped([(t["country_of_origin"] or "").upper() for t in raw])
    jobs = _grouped([_normalise(t["job_title"]) for t in raw])
    fields = _grouped([_normalise(t["education_field"]) for t in raw])
    key, salt = pseudonym_key(), programme.pseudonym_salt
    rows, participant_ids = [], []
    for i, t in enumerate(raw):
        if t["participant_id"]:
            participant_ids.append(t["participant_id"])
        rows.append([
            _pseudonym(key, salt, subject_id(t["participant_id"], t["extern_id"])),
            t["project__code"],
            t["project__organisation__name"] or "",
            t["project__tranche"] or "",
            t["source"],
            t["gender"],
            age_band(t["birth_year"], t["started_on"]),
            countries[i],
            t["education_level"],
            t["migration_status"],
            t["learning_route"],
            t["level_spreken"],
            month(t["started_on"]),
            month(t["ended_on"]),
            month(t["first_placement_on"]),
            t["outcome"],
            WITHHELD if t["dropout_reason"] in SPECIAL_DROPOUT_REASONS else t["dropout_reason"],
            jobs[i],
            t["contract_type"],
            _number(t["contract_months"]),
            _number(t["hours_per_week"]),
            t["education_entered"],
            fields[i],
            t["work_6m"],
            t["work_12m"],
        ])
    rows.sort(key=lambda r: (r[1], r[0]))  # project, pseudonym: the order reveals nothing about entry order
    return rows, participant_ids


def to_csv(rows: list[list]) -> str:
    return exports.csv_text([HEADER, *rows])


def to_xlsx(rows: list[list], programme: Programme) -> bytes:
    """A workbook with the rows (sheet "onderzoek") and the column explanation (sheet "toelichting"); written in
    write-only mode by ``core.exports``, so 100,000 rows stay fast and small in memory."""
    about = [[f"Gepseudonimiseerde onderzoeksexport {programme.name} ({programme.code})"], [],
             *([name, label] for name, label in COLUMNS)]
    return exports.xlsx_bytes([
        exports.Sheet("onderzoek", rows=[HEADER, *rows], bold_rows=frozenset({0}), freeze="A2"),
        exports.Sheet("toelichting", rows=about, bold_rows=frozenset({0}), widths={"A": 24, "B": 90}),
    ])


def export(user, programme: Programme, fmt: str, *, request=None) -> tuple[bytes, str, str]:
    """Build the export (csv or xlsx) and record it: one audit record per native participant (action
    *geëxporteerd*, category traject) and a line in the ``koers.security`` log. Returns (content, content type,
    file name)."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(fmt)
    rows, participant_ids = export_rows(programme)
    if fmt == "csv":
        content = to_csv(rows).encode("utf-8-sig")
        content_type = exports.CSV_CONTENT_TYPE
    else:
        content = to_xlsx(rows, programme)
        content_type = exports.XLSX_CONTENT_TYPE
    detail = f"Gepseudonimiseerde onderzoeksexport programma {programme.code} ({fmt})"
    audit.record_many(
        user, [(pid, Category.TRAJECTORY, "") for pid in sorted(set(participant_ids))], AuditAction.EXPORT,
        detail=detail, request=request,
    )
    logger.info("research export of programme %s (%s) by user %s: %d rows, %d native participants",
                programme.code, fmt, user.pk, len(rows), len(set(participant_ids)))
    filename = f"onderzoek-{programme.code}-{timezone.localdate().isoformat()}.{fmt}"
    return content, content_type, filename
