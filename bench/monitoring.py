"""Monitoring benchmark (issue 6: "the full outflow report for a programme of 100,000 participants in 100
projects in under 2 s on SQLite, and within 3x of DuckDB computing the same table from the same SQLite file in
the same run; import of 100,000 participant rows in under 60 s").

Uses its own database, ``bench/out/monitoring.sqlite3`` (gitignored), set up the way run.py sets up
``bench.sqlite3`` (same environment via ``run.bench_env()``, only another file; a marker
``bench/out/monitoring.json`` records the parameters and the migrations digest, and the database is reused while
they match).

1. **Prepare** (skipped when the marker matches): ``migrate``; a programme ``bench-monitoring`` with 100 projects
   of 50 organisations and 100,000 trajectories, bulk-inserted. Each project copies the distributions of one of
   the eight NBNB projects (``monitoring.nbnb``): rows are drawn from that project's 395-row reference data, 5%
   are made still running. Targets are the NBNB targets scaled to the project size.
2. **Koers** (median of ``--runs`` after one warm-up, in this process on the SQLite file): the outflow table
   alone (``outflow_counts``: the same table DuckDB computes), the full outflow report (projects,
   ``outflow_table`` and ``outflow_json`` — what ``koers report outflow`` and the report page compute), the
   whole ``programme_report`` (all tables) and ``summary``.
3. **DuckDB** computes the same table (count per project x outcome of the programme) from the same SQLite file.
   First choice: DuckDB's sqlite extension (the pip package ``duckdb-ext-sqlite``, pinned with duckdb in the dev
   dependencies, else ``INSTALL sqlite``; then ``ATTACH ... (TYPE sqlite)``), timed
   per query on the attached file. When the extension cannot be installed (no network: it is downloaded from
   DuckDB's extension server; the pip-packaged extension ``duckdb-ext-sqlite`` only loads in the DuckDB version
   it was built for), the fallback is stated in the output: Python's ``sqlite3`` reads the programme's
   (project_id, outcome) rows from the same file and writes them as CSV, DuckDB loads it with ``read_csv``, and
   both the query alone and the query including that transfer are reported.
4. **Import** (``--import-rows``, default 100,000; 0 = skip): a participants CSV in the import format for a
   second programme ``bench-import`` (same 100 projects), imported with ``import_services.import_participants`` as new
   rows, then once more as updates of the same ``extern_id``s. The programme's trajectories are removed before
   and after (raw SQL), so the report figures above are not affected.

Prints a table with the ratio Koers / DuckDB; asserts nothing (benchmarks are not tests).

    python bench/monitoring.py [--trajectories 100000] [--projects 100] [--runs 7] [--import-rows 100000]
                               [--fresh]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from run import OUT_DIR, PROJECT_DIR, bench_env, migrations_digest  # noqa: E402

DB_PATH = OUT_DIR / "monitoring.sqlite3"
MARKER = OUT_DIR / "monitoring.json"
CSV_PATH = OUT_DIR / "monitoring_outflow.csv"
PROGRAMME = "bench-monitoring"
IMPORT_PROGRAMME = "bench-import"
OWNER = "Gemeente Benchstad"
ORGANISATIONS = 50
ACTIVE_SHARE = 0.05
TARGET_REPORT_MS = 2_000
TARGET_RATIO = 3.0
TARGET_IMPORT_S = 60


def _setup() -> None:
    """The environment of run.py's steps, on this benchmark's own database; then Django."""
    env = bench_env()
    env["KOERS_SQLITE_PATH"] = str(DB_PATH)
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def _timed(fn, runs: int) -> tuple[float, float, object]:
    """(median s, max s, result) after one warm-up."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result


# --- data ------------------------------------------------------------------------------------------------------


def _project_rows(projects: int, trajectories: int) -> list[dict[str, str]]:
    """Projects-file rows: project k copies NBNB project k % 8 with its targets scaled to the project size."""
    from koers.synthetic import nbnb

    size = trajectories // projects
    rows = []
    for k in range(projects):
        template = nbnb.PROJECTS[k % len(nbnb.PROJECTS)]
        row = dict.fromkeys(nbnb.PROJECT_COLUMNS, "")
        scale = size / nbnb.TOTALS[k % len(nbnb.PROJECTS)]
        row.update(code=f"p{k + 1:03d}", naam=f"Project {k + 1:03d} ({template['naam']})",
                   organisatie=f"Bench-organisatie {k % ORGANISATIONS + 1:02d}", tranche=template["tranche"],
                   gepland=str(size), startdatum=template["startdatum"], einddatum=template["einddatum"])
        for code, (count, _why) in template["doelen"].items():
            row[f"doel_{code}"] = str(max(1, round(count * scale / 2)))
        rows.append(row)
    return rows


def _participant_rows(projects: int, trajectories: int, seed: int, prefix: str) -> list[dict[str, str]]:
    """Import-format rows: each project's rows drawn from its NBNB template project's 395-row reference data."""
    from koers.synthetic import nbnb

    rng = random.Random(seed)
    reference = nbnb.participant_rows()
    by_project = {code: [r for r in reference if r["project"] == code] for code in nbnb.PROJECT_CODES}
    size = trajectories // projects
    rows = []
    for k in range(projects):
        template = by_project[nbnb.PROJECT_CODES[k % len(nbnb.PROJECT_CODES)]]
        for _ in range(size if k < projects - 1 else trajectories - size * (projects - 1)):
            row = dict(rng.choice(template))
            row["project"] = f"p{k + 1:03d}"
            row["extern_id"] = f"{prefix}-{len(rows) + 1:06d}"
            if rng.random() < ACTIVE_SHARE:  # still running: no outcome, no end, no outcome details
                for column in ("einddatum", "uitstroom", "reden_uitval", "functie", "contractsoort",
                               "contract_maanden", "uren_per_week", "opleiding_niveau", "opleiding_richting"):
                    row[column] = ""
                row["werk_na_6_maanden"] = row["werk_na_12_maanden"] = ""
            rows.append(row)
    return rows


def prepare(trajectories: int, projects: int, seed: int, fresh: bool) -> None:
    wanted = {"trajectories": trajectories, "projects": projects, "seed": seed, "migrations": migrations_digest()}
    if not fresh and DB_PATH.exists() and MARKER.exists():
        try:
            if json.loads(MARKER.read_text()) == wanted:
                print(f"Database {DB_PATH.relative_to(PROJECT_DIR)} is al gegenereerd met {wanted}; hergebruikt.")
                return
        except ValueError:
            pass

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from koers.core.codes import OrganisationKind
    from koers.core.models import Organisation
    from koers.monitoring.models import Programme, Project, ProjectTarget, Source, Trajectory
    from koers.synthetic import nbnb

    connection.close()
    MARKER.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"==> Nieuwe database {DB_PATH.relative_to(PROJECT_DIR)}: migreren")
    call_command("migrate", "--noinput", verbosity=0)
    print(f"==> {_n(trajectories)} trajecten in {projects} projecten genereren")
    now = timezone.now()
    with transaction.atomic():
        owner = Organisation.objects.create(name=OWNER, kind=OrganisationKind.GEMEENTE)
        programme = Programme.objects.create(code=PROGRAMME, name="Benchmarkprogramma", owner=owner)
        orgs = {}
        by_code = {}
        for row in _project_rows(projects, trajectories):
            org = orgs.get(row["organisatie"])
            if org is None:
                org = orgs[row["organisatie"]] = Organisation.objects.create(
                    name=row["organisatie"], kind=OrganisationKind.SOCIAAL_ONDERNEMER)
            project = Project.objects.create(programme=programme, code=row["code"], name=row["naam"],
                                             organisation=org, tranche=row["tranche"],
                                             planned_participants=int(row["gepland"]), imported=True)
            by_code[row["code"]] = project
            ProjectTarget.objects.bulk_create([
                ProjectTarget(project=project, outcome=col.removeprefix("doel_"), count=int(v),
                              rationale="Geschaald van het NBNB-voorbeeldproject.")
                for col, v in row.items() if col.startswith("doel_") and v
            ])
        batch = []
        for row in _participant_rows(projects, trajectories, seed, "B"):
            values = nbnb.trajectory_values(row)
            batch.append(Trajectory(programme=programme, project=by_code[row["project"]],
                                    extern_id=row["extern_id"], source=Source.IMPORT, imported_at=now, **values))
            if len(batch) == 5000:
                Trajectory.objects.bulk_create(batch)
                batch = []
        Trajectory.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"    klaar in {time.perf_counter() - started:.1f} s")
    MARKER.write_text(json.dumps(wanted, indent=2) + "\n")


# --- DuckDB ----------------------------------------------------------------------------------------------------

DUCK_SQL = ("SELECT project_id, outcome, count(*) AS n FROM {table} WHERE programme_id = {programme} "
            "GROUP BY project_id, outcome")


def _sqlite_extension(duckdb) -> str:
    """The statement that loads DuckDB's sqlite extension: the pip-packaged one (``duckdb-ext-sqlite``, pinned with
    duckdb in the dev dependencies, so no download is needed) when it matches this DuckDB, else INSTALL from
    DuckDB's extension server."""
    import importlib.util

    spec = importlib.util.find_spec("duckdb_ext")
    for base in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(base).glob(f"extensions/v{duckdb.__version__}/*/sqlite_scanner.duckdb_extension"))
        if found:
            return f"LOAD '{found[0]}';"
    return "INSTALL sqlite; LOAD sqlite;"


def duckdb_measure(programme_id: int, runs: int) -> dict:
    """Time DuckDB computing the outflow counts from the SQLite file; returns method, timings and the counts."""
    import sqlite3

    import duckdb

    con = duckdb.connect()
    load_sql = _sqlite_extension(duckdb)
    try:
        con.execute(load_sql)
        extension_error = None
    except Exception as exc:  # noqa: BLE001 - any failure means: use the fallback, and say why
        extension_error = str(exc).splitlines()[0]

    if extension_error is None:
        def attached():
            c = duckdb.connect()
            c.execute(load_sql)
            c.execute(f"ATTACH '{DB_PATH}' AS src (TYPE sqlite, READ_ONLY)")
            return c.execute(DUCK_SQL.format(table="src.monitoring_trajectory", programme=programme_id)).fetchall()

        con.execute(f"ATTACH '{DB_PATH}' AS src (TYPE sqlite, READ_ONLY)")
        query = DUCK_SQL.format(table="src.monitoring_trajectory", programme=programme_id)
        q_median, q_max, rows = _timed(lambda: con.execute(query).fetchall(), runs)
        a_median, a_max, _ = _timed(attached, runs)
        return {"method": "DuckDB-extensie sqlite (ATTACH ... TYPE sqlite): leest het SQLite-bestand zelf",
                "query": (q_median, q_max), "with_transfer": (a_median, a_max),
                "transfer_label": "DuckDB incl. verbinden en ATTACH",
                "counts": {(p, o): n for p, o, n in rows}}

    def read():
        """Python's sqlite3 reads the programme's (project_id, outcome) rows from the file: the part any engine
        reading the file through SQLite's library pays, the sqlite extension included."""
        src = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)
        try:
            return src.execute("SELECT project_id, outcome FROM monitoring_trajectory WHERE programme_id = ?",
                               (programme_id,)).fetchall()
        finally:
            src.close()

    def load(rows):
        """Hand the rows to DuckDB: CSV file, ``read_csv`` into a DuckDB table (no pandas/pyarrow here)."""
        with CSV_PATH.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["project_id", "outcome"])
            writer.writerows(rows)
        c = duckdb.connect()
        source = (f"read_csv('{CSV_PATH}', header = true, nullstr = '\\N', "
                  "columns = {'project_id': 'BIGINT', 'outcome': 'VARCHAR'})")
        c.execute(f"CREATE TABLE trajectory AS SELECT {int(programme_id)} AS programme_id, * FROM {source}")  # noqa: S608
        return c

    def scan():
        """SQLite alone scans the table's two columns (no Python objects per row): a lower bound of reading
        them from the file, as the sqlite extension does (it scans the table, it does not use indexes)."""
        src = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)
        try:
            return src.execute("SELECT sum(project_id), sum(length(outcome)) FROM monitoring_trajectory "
                               "NOT INDEXED WHERE programme_id = ?", (programme_id,)).fetchall()
        finally:
            src.close()

    scan_median, scan_max, _ = _timed(scan, runs)
    read_median, read_max, fetched = _timed(read, runs)
    load_median, load_max, loaded = _timed(lambda: load(fetched), max(3, runs // 2))
    query = DUCK_SQL.format(table="trajectory", programme=programme_id)
    q_median, q_max, rows = _timed(lambda: loaded.execute(query).fetchall(), runs)
    e_median, e_max, _ = _timed(lambda: load(read()).execute(query).fetchall(), max(3, runs // 2))
    CSV_PATH.unlink(missing_ok=True)
    return {"method": ("terugval: de DuckDB-extensie sqlite is hier niet te installeren "
                       f"({extension_error}); Python's sqlite3 leest de rijen van het programma uit hetzelfde "
                       "SQLite-bestand, DuckDB krijgt ze via CSV en read_csv (geen pandas/pyarrow in de omgeving)"),
            "query": (q_median, q_max),
            "steps": [("SQLite: tabelscan van de 2 kolommen (ondergrens lezen)", scan_median, scan_max),
                      ("DuckDB: lezen uit het SQLite-bestand (sqlite3)", read_median, read_max),
                      ("DuckDB: overzetten (CSV -> read_csv)", load_median, load_max)],
            "from_file": [("DuckDB uit het bestand, ondergrens: tabelscan + query", scan_median + q_median),
                          ("DuckDB uit het bestand: lezen (sqlite3) + query", read_median + q_median)],
            "with_transfer": (e_median, e_max),
            "transfer_label": "DuckDB alles: lezen + CSV + read_csv + query",
            "counts": {(p, o if o is not None else ""): n for p, o, n in rows}}


# --- import ----------------------------------------------------------------------------------------------------


def import_measure(rows_n: int, projects: int, seed: int) -> list[tuple[str, float, str]]:
    """Time importing ``rows_n`` participant rows (new, then again as updates) into a second programme."""
    from django.db import connection

    from koers.core.models import Organisation
    from koers.monitoring.models import Programme
    from koers.monitoring.services import imports as import_services
    from koers.synthetic import nbnb

    def clear():
        programme = Programme.objects.filter(code=IMPORT_PROGRAMME).first()
        if programme is None:
            return
        with connection.cursor() as cursor:
            ids = "SELECT id FROM monitoring_trajectory WHERE programme_id = %s"
            cursor.execute(f"DELETE FROM monitoring_followup WHERE trajectory_id IN ({ids})",  # noqa: S608
                           [programme.pk])
            cursor.execute("DELETE FROM monitoring_trajectory WHERE programme_id = %s", [programme.pk])

    project_csv = nbnb.to_csv(_project_rows(projects, rows_n), nbnb.PROJECT_COLUMNS).encode()
    result = import_services.import_projects(project_csv, "projecten.csv", programme_code=IMPORT_PROGRAMME,
                                       owner=Organisation.objects.get(name=OWNER))
    if result.errors:
        raise SystemExit(f"Projectenbestand niet geïmporteerd: {result.errors[:3]}")
    data = nbnb.to_csv(_participant_rows(projects, rows_n, seed + 1, "I"), nbnb.COLUMNS).encode()
    size = f"{len(data) / 1024 / 1024:.1f} MB"
    clear()
    out = []
    try:
        for label in ("nieuw", "opnieuw (bijwerken)"):
            started = time.perf_counter()
            result = import_services.import_participants(data, "deelnemers.csv", programme=IMPORT_PROGRAMME)
            seconds = time.perf_counter() - started
            if result.errors:
                raise SystemExit(f"Deelnemersbestand niet geïmporteerd: {[str(e) for e in result.errors[:3]]}")
            out.append((f"import {_n(rows_n)} deelnemers, {label} ({size} CSV)", seconds,
                        f"{_n(result.created)} nieuw, {_n(result.updated)} bijgewerkt"))
    finally:
        clear()
    return out


# --- main ------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="gemeten herhalingen (mediaan)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rijen voor de importmeting (0 = overslaan)")
    parser.add_argument("--fresh", action="store_true", help="de database altijd opnieuw genereren")
    args = parser.parse_args(argv)

    _setup()
    prepare(args.trajectories, args.projects, args.seed, args.fresh)

    from django.db import connection

    from koers.monitoring.access import Scope
    from koers.monitoring.models import Programme
    from koers.monitoring.queries import indicators

    programme = Programme.objects.get(code=PROGRAMME)
    scope = Scope(programme, "owner", frozenset())
    filters = indicators.Filters()
    n_traj = programme.trajectories.count()
    n_proj = programme.projects.count()

    def counts_only():
        return indicators.outflow_counts(indicators.filtered(scope, filters))

    def full_outflow():
        qs = indicators.filtered(scope, filters)
        projects = indicators.report_projects(scope, filters)
        counts = indicators.outflow_counts(qs)
        return indicators.outflow_table(qs, projects, counts=counts), indicators.outflow_json(
            programme, qs, projects, counts=counts)

    runs = args.runs
    koers_counts = _timed(counts_only, runs)
    koers_full = _timed(full_outflow, runs)
    koers_report = _timed(lambda: indicators.programme_report(scope, filters), runs)
    koers_summary = _timed(lambda: indicators.summary(indicators.filtered(scope, filters)), runs)
    connection.close()  # DuckDB reads a file nobody is writing

    duck = duckdb_measure(programme.pk, runs)
    same = duck["counts"] == koers_counts[2]

    rows = [["meting", "mediaan ms", "max ms", "doel", "resultaat"]]
    full_ms = koers_full[0]
    rows.append(["Koers: uitstroomtabel (GROUP BY project, uitstroom)", _ms(koers_counts[0]), _ms(koers_counts[1]),
                 "", f"{len(koers_counts[2])} cellen"])
    rows.append(["Koers: volledige uitstroomrapportage (tabel + JSON)", _ms(full_ms), _ms(koers_full[1]),
                 f"< {TARGET_REPORT_MS} ms", "ok" if full_ms * 1000 < TARGET_REPORT_MS else "TE TRAAG"])
    rows.append(["Koers: programmarapportage (alle tabellen)", _ms(koers_report[0]), _ms(koers_report[1]), "",
                 f"{len(koers_report[2])} tabellen"])
    rows.append(["Koers: kerncijfers (summary)", _ms(koers_summary[0]), _ms(koers_summary[1]), "",
                 f"{len(koers_summary[2])} cijfers"])
    rows.append(["DuckDB: dezelfde tabel, alleen de query", _ms(duck["query"][0]), _ms(duck["query"][1]), "",
                 "zelfde tellingen" if same else "AFWIJKENDE TELLINGEN"])
    for label, median, worst in duck.get("steps", []):
        rows.append([label, _ms(median), _ms(worst), "", ""])
    # DuckDB "from the same SQLite file": with the extension the query reads the file; in the fallback the
    # estimates that include reading the file. The query on a table already loaded into DuckDB is shown for
    # information (it does not read the SQLite file).
    from_file = list(duck.get("from_file", []))
    for label, seconds in from_file:
        rows.append([label, _ms(seconds), "", "", "som van de medianen"])
    rows.append([duck["transfer_label"], _ms(duck["with_transfer"][0]), _ms(duck["with_transfer"][1]), "", ""])
    targets = (from_file or [("DuckDB query op het bestand", duck["query"][0])]) + [
        ("DuckDB alles", duck["with_transfer"][0])]
    for label, seconds in targets:
        ratio = full_ms / seconds
        rows.append([f"Koers volledig / {label.removeprefix('DuckDB ')}", f"{ratio:.2f}x", "",
                     f"<= {TARGET_RATIO:.0f}x", "ok" if ratio <= TARGET_RATIO else "BUITEN DOEL"])
    if from_file:
        rows.append(["ter informatie: Koers volledig / alleen DuckDB-query", f"{full_ms / duck['query'][0]:.2f}x",
                     "", "", "DuckDB-tabel al in geheugen"])
        rows.append(["ter informatie: Koers tabel / alleen DuckDB-query",
                     f"{koers_counts[0] / duck['query'][0]:.2f}x", "", "", "zelfde tabel"])

    if args.import_rows:
        print(f"==> Importmeting: {_n(args.import_rows)} deelnemersrijen")
        for label, seconds, result in import_measure(args.import_rows, args.projects, args.seed):
            rows.append([label, f"{seconds * 1000:.0f}", "", f"< {TARGET_IMPORT_S} s",
                         f"{'ok' if seconds < TARGET_IMPORT_S else 'TE TRAAG'}: {result}"])

    print(f"\nMonitoring: programma {PROGRAMME}, {_n(n_traj)} trajecten in {n_proj} projecten "
          f"(SQLite {DB_PATH.relative_to(PROJECT_DIR)}), mediaan van {runs} na 1 opwarmronde.")
    print(f"DuckDB {__import__('duckdb').__version__}: {duck['method']}.\n")
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(c.rjust(w) if j in (1, 2) and i else c.ljust(w)
                        for j, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nDoelen (issue 6): volledige uitstroomrapportage < {TARGET_REPORT_MS} ms en binnen {TARGET_RATIO:.0f}x "
          f"van DuckDB; import van 100.000 deelnemersrijen < {TARGET_IMPORT_S} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
