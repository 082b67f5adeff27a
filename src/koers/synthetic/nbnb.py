"""A fictional programme modelled on the NBNB interim evaluation (8 completed projects, 395 participants).

The aggregate figures are those of the published report: outflow per project (Table B3.1), targets and
planned participants (Table 2.1), duration and intensity (Table 2.2), job functions (Figure 4.4), contract
duration and hours (Table 4.1), and the gender split of participation. The participants themselves are drawn
(deterministically, from ``seed``) to fit those figures; they are fictional. The rows use the column names of
the import format (docs/import-format.md), so the same data serves the demo, the tests and the benchmark.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date
from decimal import Decimal

PROGRAMME = {
    "code": "nbnb",
    "name": "Een nieuw bestaan, een nieuwe baan",
    "funder": "Fonds Nieuw Bestaan (fictief)",
}

#: Projects in the column order of Table B3.1. Targets are per outcome code; where the report names a
#: combination ("werk of opleiding") the rationale says so.
PROJECTS: list[dict] = [
    {"code": "kim", "naam": "De KIM", "organisatie": "Stichting De KIM", "tranche": "2019", "gepland": 50,
     "startdatum": "2019-04-01", "einddatum": "2021-03-31", "looptijd": "2 jaar, geen vaste trajectduur",
     "intensiteit": "12 uur per week, 1–2 uur begeleiding",
     "doelen": {"betaald_werk": (35, "35 (70%) naar passend werk of studie; als betaald werk vastgelegd.")}},
    {"code": "ndc", "naam": "New Dutch Connections", "organisatie": "New Dutch Connections", "tranche": "2019",
     "gepland": 25, "startdatum": "2019-03-01", "einddatum": "2021-02-28",
     "looptijd": "2 jaar, traject 1 jaar 3 maanden",
     "intensiteit": "les 3 uur, coaching 1 uur, leren-werken 4 dagen per week",
     "doelen": {"betaald_werk": (5, "5 (20%) een baan.")}},
    {"code": "newbees", "naam": "NewBees", "organisatie": "NewBees", "tranche": "2019", "gepland": 75,
     "startdatum": "2019-05-01", "einddatum": "2021-02-28", "looptijd": "2 jaar, traject 3 maanden + matching",
     "intensiteit": "stage 2–3 dagen per week",
     "doelen": {"betaald_werk": (38, "38 (50%) naar werk of opleiding; als betaald werk vastgelegd.")}},
    {"code": "rc", "naam": "Refugee Company", "organisatie": "Refugee Company", "tranche": "2019", "gepland": 200,
     "startdatum": "2019-03-01", "einddatum": "2021-02-28", "looptijd": "2 jaar, traject 6 maanden",
     "intensiteit": "3 dagen per week",
     "doelen": {"betaald_werk": (100, "140 (70%) uit de uitkering; na een jaar 100 (50%) nog in betaald werk.")}},
    {"code": "dt", "naam": "The Dutch Tulip", "organisatie": "The Dutch Tulip", "tranche": "2019", "gepland": 20,
     "startdatum": "2019-06-01", "einddatum": "2021-02-28", "looptijd": "2 jaar, traject 3 maanden",
     "intensiteit": "werkervaringsplaats minstens 8 uur per week",
     "doelen": {"betaald_werk": (10, "10 (50%) betaald werk."),
                "reguliere_opleiding": (4, "4 (20%) opleiding."),
                "leer_werktraject": (2, "2 (10%) andere participatie; 4 naar schuldhulp (geen uitstroomcode).")}},
    {"code": "werkshop", "naam": "Werkshop", "organisatie": "Werkshop", "tranche": "2019", "gepland": 40,
     "startdatum": "2019-09-01", "einddatum": "2020-08-31", "looptijd": "1 jaar, traject 3–6 maanden",
     "intensiteit": "module van 6 weken ~24 uur per week, daarna 8–16 uur begeleiding",
     "doelen": {"betaald_werk": (20, "20 (50%) regulier werk."),
                "werkervaringsplaats": (15, "15 (38%) opleiding of werkervaringsplaats.")}},
    {"code": "vw1", "naam": "VluchtelingenWerk WMN tranche 1", "organisatie": "VluchtelingenWerk Midden-Nederland",
     "tranche": "2019", "gepland": 40, "startdatum": "2019-02-01", "einddatum": "2020-01-31",
     "looptijd": "1 jaar, werkervaringsplaats 6 maanden",
     "intensiteit": "training 8 weken een dagdeel; werkervaringsplaats 1–2 dagen per week",
     "doelen": {"reguliere_opleiding": (5, "5 (13%) opleiding."), "betaald_werk": (10, "10 (25%) betaald werk.")}},
    {"code": "vw2", "naam": "VluchtelingenWerk WMN tranche 2", "organisatie": "VluchtelingenWerk Midden-Nederland",
     "tranche": "2020", "gepland": 40, "startdatum": "2020-02-01", "einddatum": "2021-01-31",
     "looptijd": "1 jaar, werkervaringsplaats 6 maanden",
     "intensiteit": "training 8 weken een dagdeel; werkervaringsplaats 1–2 dagen per week",
     "doelen": {"reguliere_opleiding": (5, "Minstens 5 (13%) erkende opleiding."),
                "betaald_werk": (10, "Minstens 10 (25%) betaald werk.")}},
]

PROJECT_CODES = [p["code"] for p in PROJECTS]

#: Table B3.1: outflow at the end of the project, per project (column order as PROJECTS).
OUTFLOW: dict[str, list[int]] = {
    "betaald_werk":        [1, 2, 10, 14, 9, 25, 13, 2],
    "reguliere_opleiding": [0, 0, 2, 5, 2, 0, 9, 13],
    "leer_werktraject":    [0, 0, 0, 0, 2, 0, 1, 0],
    "werkervaringsplaats": [0, 0, 0, 5, 1, 2, 7, 0],
    "vrijwilligerswerk":   [0, 0, 0, 0, 0, 3, 0, 0],
    "ander_project":       [0, 0, 0, 1, 0, 3, 0, 0],
    "certificaat_behaald": [0, 0, 0, 0, 0, 0, 21, 6],
    "geen_werk":           [0, 18, 57, 42, 0, 0, 4, 12],
    "voortijdige_uitval":  [3, 1, 0, 26, 0, 19, 12, 6],
    "kan_niet_werken":     [0, 0, 0, 4, 0, 0, 0, 0],
    "onbekend":            [18, 4, 0, 1, 7, 1, 1, 0],
}
TOTALS = [22, 25, 69, 98, 21, 53, 68, 39]  # Figure 3.1; 395 in all

#: Figure 4.4 — functions of the 76 paid jobs ("" = unknown, 16).
FUNCTIONS: list[tuple[str, int]] = [
    ("horeca", 11), ("magazijn", 8), ("schoonmaak", 6), ("administratie", 5), ("productie", 4), ("keuken", 3),
    ("verkoop", 3), ("transport", 2), ("bouw", 2), ("afwasser", 1), ("voedselbezorger", 1), ("timmerman", 1),
    ("sociale werkplek", 1), ("postbezorger", 1), ("monteur fietsen/auto's", 1), ("zorg", 1), ("vulploeg", 1),
    ("technologie", 1), ("religieuze instelling", 1), ("communicatie", 1), ("kapper(assistent)", 1), ("IT'er", 1),
    ("docent", 1), ("design engineer", 1), ("chauffeur (van personen)", 1), ("", 16),
]
#: Table 4.1 — contract duration in months (None = unknown) and hours per week (0 = zero-hours, None = unknown).
CONTRACT_MONTHS: list[tuple[int | None, int]] = [
    (65, 1), (24, 1), (15, 1), (12, 10), (9, 2), (8, 1), (7, 14), (6, 13), (5, 1), (3, 2), (1, 2), (None, 28),
]
HOURS: list[tuple[int | None, int]] = [
    (40, 8), (36, 7), (32, 4), (24, 9), (20, 2), (16, 3), (13, 2), (10, 3), (7, 1), (4, 4), (2, 1), (0, 23), (None, 9),
]
#: Regular education entered (N=31): 18 at entree/mbo 1, 4 higher education (1 university).
EDUCATION_ENTERED: list[tuple[str, int]] = [
    ("entree", 10), ("mbo1", 8), ("mbo2", 4), ("mbo3", 3), ("mbo4", 2), ("hbo", 3), ("wo", 1),
]
EDUCATION_FIELDS: list[tuple[str, int]] = [("zorg", 14), ("administratief", 4), ("techniek", 3), ("", 10)]
#: Dropout (N=67): mostly attributed to motivation; explained in four cases.
DROPOUT: list[tuple[str, int]] = [
    ("motivatie", 40), ("verwachtingen", 1), ("contact_verloren", 1), ("combinatie_inburgering", 1),
    ("reisafstand", 1), ("onbekend", 23),
]
#: Mean age per project in the report runs from 30 (Werkshop) to 41 (De KIM).
MEAN_AGE = {"kim": 41, "ndc": 33, "newbees": 31, "rc": 34, "dt": 35, "werkshop": 30, "vw1": 36, "vw2": 35}
COUNTRIES = [("SY", 40), ("ER", 25), ("AF", 6), ("IR", 6), ("IQ", 5), ("TR", 4), ("YE", 3), ("SO", 2), ("ET", 2),
             ("SD", 2), ("", 5)]
EDUCATION_LEVELS = [("geen", 8), ("primair", 14), ("voortgezet", 22), ("beroeps", 14), ("hoger", 19),
                    ("onbekend", 23)]  # 89 of 395 unknown, as in the report (306 known)

PARTICIPATION = ("betaald_werk", "reguliere_opleiding", "leer_werktraject", "werkervaringsplaats",
                 "vrijwilligerswerk", "ander_project")

COLUMNS = [
    "extern_id", "project", "geslacht", "geboortejaar", "land_herkomst", "opleidingsniveau", "status", "leerroute",
    "taalniveau_spreken", "startdatum", "einddatum", "uitstroom", "reden_uitval", "functie", "contractsoort",
    "contract_maanden", "uren_per_week", "opleiding_niveau", "opleiding_richting", "werk_na_6_maanden",
    "werk_na_12_maanden",
]
PROJECT_COLUMNS = ["code", "naam", "organisatie", "tranche", "gepland", "startdatum", "einddatum"] + [
    f"doel_{code}" for code in OUTFLOW
]


def _expand(pairs) -> list:
    return [value for value, n in pairs for _ in range(n)]


def _weighted(rng: random.Random, pairs, k: int) -> list:
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights, k=k)


def project_rows() -> list[dict[str, str]]:
    """Rows of the projects file."""
    rows = []
    for p in PROJECTS:
        row = dict.fromkeys(PROJECT_COLUMNS, "")
        row.update(code=p["code"], naam=p["naam"], organisatie=p["organisatie"], tranche=p["tranche"],
                   gepland=str(p["gepland"]), startdatum=p["startdatum"], einddatum=p["einddatum"])
        for code, (count, _why) in p["doelen"].items():
            row[f"doel_{code}"] = str(count)
        rows.append(row)
    return rows


def participant_rows(seed: int = 2021) -> list[dict[str, str]]:
    """The 395 participant rows, fitting every published aggregate exactly (see the module docstring)."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for col, p in enumerate(PROJECTS):
        start_year = int(p["startdatum"][:4])
        for outcome, counts in OUTFLOW.items():
            for _ in range(counts[col]):
                month = rng.randint(1, 9)
                start = f"{start_year}-{month:02d}-{rng.randint(1, 28):02d}"
                end_month = month + rng.randint(3, 11)
                end = f"{start_year + (end_month - 1) // 12}-{(end_month - 1) % 12 + 1:02d}-{rng.randint(1, 28):02d}"
                age = max(18, min(64, round(rng.gauss(MEAN_AGE[p["code"]], 7))))
                rows.append(dict.fromkeys(COLUMNS, "") | {
                    "project": p["code"], "uitstroom": outcome, "startdatum": start, "einddatum": end,
                    "geboortejaar": str(2021 - age),
                })
    assert len(rows) == sum(TOTALS) == 395

    # Gender: 250 men, 143 women, 2 other; participation men 33%, women 35%; paid work men 22%, women 14%;
    # regular education women 16%, men 4% (section 3 of the report).
    quota = {
        "betaald_werk": ["man"] * 55 + ["vrouw"] * 20 + ["anders"],
        "reguliere_opleiding": ["man"] * 9 + ["vrouw"] * 22,
        "other_participation": ["man"] * 18 + ["vrouw"] * 7,
        "rest": ["man"] * 168 + ["vrouw"] * 94 + ["anders"],
    }
    for pool in quota.values():
        rng.shuffle(pool)

    def group(outcome: str) -> str:
        if outcome in ("betaald_werk", "reguliere_opleiding"):
            return outcome
        return "other_participation" if outcome in PARTICIPATION else "rest"

    for row in rows:
        row["geslacht"] = quota[group(row["uitstroom"])].pop()

    paid = [r for r in rows if r["uitstroom"] == "betaald_werk"]
    for column, values in (("functie", _expand(FUNCTIONS)), ("contract_maanden", _expand(CONTRACT_MONTHS)),
                           ("uren_per_week", _expand(HOURS))):
        rng.shuffle(values)
        for row, value in zip(paid, values, strict=True):
            row[column] = "" if value is None else str(value)
    for row in paid:
        if row["uren_per_week"] == "0":
            row["contractsoort"] = "nul_uren"
        elif row["contract_maanden"]:
            row["contractsoort"] = "vast" if int(row["contract_maanden"]) >= 60 else "tijdelijk"
        row["werk_na_6_maanden"] = rng.choice(["ja", "ja", "nee", "onbekend"])
        row["werk_na_12_maanden"] = rng.choice(["ja", "nee", "onbekend", "onbekend"])

    school = [r for r in rows if r["uitstroom"] == "reguliere_opleiding"]
    for column, values in (("opleiding_niveau", _expand(EDUCATION_ENTERED)),
                           ("opleiding_richting", _expand(EDUCATION_FIELDS))):
        rng.shuffle(values)
        for row, value in zip(school, values, strict=True):
            row[column] = value

    dropped = [r for r in rows if r["uitstroom"] == "voortijdige_uitval"]
    reasons = _expand(DROPOUT)
    rng.shuffle(reasons)
    for row, reason in zip(dropped, reasons, strict=True):
        row["reden_uitval"] = reason

    # exactly 89 unknown (306 of 395 known, as in the report): draw the known levels, the rest unknown
    known = [v for v in _expand(EDUCATION_LEVELS) if v != "onbekend"]
    drawn = [rng.choice(known) for _ in range(306)] + ["onbekend"] * 89
    rng.shuffle(drawn)
    for row, level in zip(rows, drawn, strict=True):
        row["opleidingsniveau"] = level

    countries = _weighted(rng, COUNTRIES, len(rows))
    routes = _weighted(rng, [("b1", 20), ("onderwijs", 5), ("z", 5), ("geen", 50), ("onbekend", 20)], len(rows))
    speaking = _weighted(rng, [("A1", 20), ("A2", 35), ("B1", 20), ("B2", 5), ("onbekend", 20)], len(rows))
    status = _weighted(rng, [("asielstatushouder", 85), ("gezinsmigrant", 10), ("onbekend", 5)], len(rows))
    for k, row in enumerate(rows):
        row["land_herkomst"] = countries[k]
        row["leerroute"] = routes[k]
        row["taalniveau_spreken"] = speaking[k]
        row["status"] = status[k]

    order = list(range(len(rows)))
    rng.shuffle(order)
    for n, k in enumerate(order, start=1):
        rows[k]["extern_id"] = f"DRS-{n:04d}"
    return rows


#: Import-format column → Trajectory field, for building reference rows directly (tests, benchmark) without the
#: importer's validation; the importer (importing.py) is the one that checks real files.
FIELD_OF = {
    "geslacht": "gender", "geboortejaar": "birth_year", "land_herkomst": "country_of_origin",
    "opleidingsniveau": "education_level", "status": "migration_status", "leerroute": "learning_route",
    "taalniveau_spreken": "level_spreken", "startdatum": "started_on", "einddatum": "ended_on",
    "uitstroom": "outcome", "reden_uitval": "dropout_reason", "functie": "job_title",
    "contractsoort": "contract_type", "contract_maanden": "contract_months", "uren_per_week": "hours_per_week",
    "opleiding_niveau": "education_entered", "opleiding_richting": "education_field",
    "werk_na_6_maanden": "work_6m", "werk_na_12_maanden": "work_12m",
}
_CONVERT = {"birth_year": int, "contract_months": int, "hours_per_week": Decimal,
            "started_on": date.fromisoformat, "ended_on": date.fromisoformat}


def trajectory_values(row: dict[str, str]) -> dict:
    """The Trajectory field values of one (valid) reference row; empty cells are left to the model's unknowns."""
    return {field: _CONVERT.get(field, str)(row[col].strip()) for col, field in FIELD_OF.items()
            if (row.get(col) or "").strip()}


def expected_outflow() -> dict:
    """The published figures, as the JSON report must print them (for tests)."""
    return {
        "total": sum(TOTALS),
        "outcomes": {code: sum(counts) for code, counts in OUTFLOW.items()},
        "projects": {code: {o: OUTFLOW[o][i] for o in OUTFLOW} for i, code in enumerate(PROJECT_CODES)},
        "participation": sum(sum(OUTFLOW[o]) for o in PARTICIPATION),
        "contract_months_mean": round(439 / 48, 2),
        "contract_months_known": 48,
        "hours_mean": round(1085 / 67, 2),
        "hours_known": 67,
        "zero_hours": 23,
    }


def to_csv(rows: list[dict[str, str]], columns: list[str], delimiter: str = ";") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def check(rows: list[dict[str, str]]) -> Counter:
    """Outcome counts per (project, outcome) — used by tests to compare with OUTFLOW."""
    return Counter((r["project"], r["uitstroom"]) for r in rows)
