"""``make bench``: page timings on a synthetic population of 100,000 participants (SQLite).

1. Prepares ``bench/out/bench.sqlite3`` (gitignored): migrate, then ``koers generate``. Skipped when a marker
   says the database was already generated with the same parameters and the same migrations.
2. Tops up and times the other benchmarks (attendance, signals, matching) and runs ``bench/monitoring.py`` on
   its own database ``bench/out/monitoring.sqlite3`` (outflow report vs DuckDB, import).
3. Runs ``bench/measure.py`` in a fresh Python process on that database: the filtered participant list and
   the participant detail page, through Django's test client, as a regisseur of the biggest municipality and
   as a taaldocent of a partner. It prints a table; it asserts nothing (benchmarks are not tests).

    python bench/run.py [--participants 100000] [--seed 1] [--requests 30] [--warmup 3] [--fresh]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DB_PATH = OUT_DIR / "bench.sqlite3"
MARKER = OUT_DIR / "bench.json"


def bench_env() -> dict[str, str]:
    """The environment of every step: its own database and var dir, test settings, no second factor."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "KOERS_DEMO", "KOERS_DEBUG"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="koers.settings",
        KOERS_SQLITE_PATH=str(DB_PATH),
        KOERS_VAR_DIR=str(OUT_DIR),
        KOERS_STATIC_ROOT=str(OUT_DIR / "static"),
        KOERS_TESTING="1",
        KOERS_REQUIRE_2FA="0",
        KOERS_AXES="0",
        KOERS_ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        KOERS_LOG_LEVEL="ERROR",
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_DIR / "src"), env.get("PYTHONPATH", "")])),
    )
    return env


def migrations_digest() -> str:
    """Changes when any migration changes: the generated database must then be made again."""
    h = hashlib.sha256()
    for path in sorted((PROJECT_DIR / "src" / "koers").glob("*/migrations/*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def koers(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "koers", *args], check=True, env=bench_env(), cwd=PROJECT_DIR)


def prepare(participants: int, seed: int, organisations: int | None, fresh: bool) -> None:
    wanted = {
        "participants": participants,
        "seed": seed,
        "organisations": organisations,
        "migrations": migrations_digest(),
    }
    if not fresh and DB_PATH.exists() and MARKER.exists():
        try:
            if json.loads(MARKER.read_text()) == wanted:
                print(f"Database {DB_PATH.relative_to(PROJECT_DIR)} is al gegenereerd met {wanted}; hergebruikt.")
                return
        except ValueError:
            pass
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    MARKER.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    print(f"==> Nieuwe benchmarkdatabase {DB_PATH.relative_to(PROJECT_DIR)}: migreren")
    koers("migrate", "--noinput", "--verbosity", "0")
    print(f"==> koers generate --participants {participants} --seed {seed}")
    started = time.perf_counter()
    args = ["generate", "--participants", str(participants), "--seed", str(seed)]
    if organisations:
        args += ["--organisations", str(organisations)]
    koers(*args)
    print(f"    generate duurde {time.perf_counter() - started:.1f} s (inclusief opstarten)")
    MARKER.write_text(json.dumps(wanted, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--organisations", type=int, default=None, help="aantal gemeenten (standaard automatisch)")
    parser.add_argument("--requests", type=int, default=30, help="gemeten verzoeken per pagina")
    parser.add_argument("--warmup", type=int, default=3, help="opwarmverzoeken per pagina")
    parser.add_argument("--fresh", action="store_true", help="de database altijd opnieuw genereren")
    parser.add_argument(
        "--attendance", type=int, default=5_000_000, help="aantal aanwezigheidsregistraties (0 = overslaan)"
    )
    args = parser.parse_args(argv)

    prepare(args.participants, args.seed, args.organisations, args.fresh)
    if args.attendance:
        # Idempotent: stops at once when the attendance table already holds that many rows.
        print(f"==> Aanwezigheid aanvullen tot {args.attendance:,} registraties".replace(",", "."))
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "attendance.py"), "--target", str(args.attendance)],
            check=True, env=bench_env(), cwd=PROJECT_DIR,
        )
    print("==> Signalen: contacten en actiepunten aanvullen, signalen van een caseload en koers tick meten")
    subprocess.run([sys.executable, str(BENCH_DIR / "signals.py")], check=True, env=bench_env(), cwd=PROJECT_DIR)
    print("==> Matching: werkgevers, 5.000 vacatures en werkprofielen aanvullen, rangschikken meten")
    subprocess.run([sys.executable, str(BENCH_DIR / "matching.py")], check=True, env=bench_env(), cwd=PROJECT_DIR)
    print("==> Monitoring: 100.000 trajecten in 100 projecten (eigen database), uitstroomrapportage tegen DuckDB, "
          "import van 100.000 rijen")
    subprocess.run([sys.executable, str(BENCH_DIR / "monitoring.py")], check=True, env=bench_env(), cwd=PROJECT_DIR)
    (OUT_DIR / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT
    print("==> Meten (nieuw Python-proces)")
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "measure.py"), "--requests", str(args.requests), "--warmup", str(args.warmup)],
        env=bench_env(),
        cwd=PROJECT_DIR,
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
