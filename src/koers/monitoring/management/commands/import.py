"""``koers import``: a programme's projects or participants file (CSV or XLSX; docs/import-format.md).

    koers import projects --programme CODE FILE [--owner NAAM] [--controleer]
    koers import participants --programme CODE FILE [--alleen-geldige] [--controleer]

``projects`` creates the programme when absent (owned by ``--owner``, or else by the only municipality).
Every row is validated; errors go to stderr, one per line ("regel N, kolom X: ..."). By default nothing is
imported when any row fails (exit code 1); ``--alleen-geldige`` imports the valid rows and reports the rest;
``--controleer`` only validates and changes nothing. The command reads within ``import_rules.CLI_LIMITS`` (larger
than the web's) and every run is recorded in the audit trail.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from koers.core.models import Organisation
from koers.monitoring.models import Programme
from koers.monitoring.queries import imports as import_queries
from koers.monitoring.rules import imports as import_rules
from koers.monitoring.services import imports as import_services


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Projecten of deelnemers van een programma inlezen uit CSV of XLSX (zie docs/import-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["projects", "participants"],
                            help="projects (projectenbestand) of participants (deelnemersbestand)")
        parser.add_argument("file", help="CSV-bestand (UTF-8, ';' of ',') of XLSX-bestand")
        parser.add_argument("--programme", required=True, help="code van het programma, bijvoorbeeld nbnb")
        parser.add_argument("--owner", help="projects: naam van de organisatie die een nieuw programma beheert "
                                            "(standaard de enige gemeente)")
        parser.add_argument("--alleen-geldige", action="store_true", dest="partial",
                            help="participants: de geldige regels importeren en de fouten melden")
        parser.add_argument("--controleer", action="store_true", dest="check",
                            help="alleen controleren; er wordt niets opgeslagen")

    def handle(self, *args, kind: str, file: str, programme: str, owner: str | None = None, partial: bool = False,
               check: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        limits = import_rules.CLI_LIMITS
        if path.stat().st_size > limits.max_bytes:
            size = limits.max_bytes // import_rules.MB
            raise CommandError(f"{path.name} is groter dan {size} MB; splits het bestand "
                               "in kleinere bestanden.")
        data = path.read_bytes()
        started = time.perf_counter()
        if kind == "projects":
            if partial:
                raise CommandError("--alleen-geldige geldt alleen voor deelnemers; een projectenbestand wordt "
                                   "helemaal of niet geïmporteerd.")
            result = import_services.import_projects(data, path.name, programme_code=programme,
                                               owner=self._owner(owner, programme), apply=not check,
                                               limits=limits)
        else:
            if owner:
                raise CommandError("--owner geldt alleen voor projects.")
            if not Programme.objects.filter(code=programme).exists():
                raise CommandError(f"Programma '{programme}' bestaat niet; importeer eerst het projectenbestand "
                                   f"(koers import projects --programme {programme} BESTAND).")
            result = import_services.import_participants(data, path.name, programme=programme, apply=not check,
                                                   partial=partial, limits=limits)
        seconds = time.perf_counter() - started
        self._report(result, kind, path.name, check=check, seconds=seconds)

    def _owner(self, name: str | None, code: str) -> Organisation | None:
        if name:
            org = import_queries.find_organisation(name)
            if org is None:
                raise CommandError(f"Organisatie '{name}' bestaat niet. Controleer de naam (hoofdletters maken niet "
                                   "uit) of maak de organisatie eerst aan onder Beheer.")
            return org
        if Programme.objects.filter(code=code).exists():
            return None
        org = import_queries.default_owner()
        if org is None:
            raise CommandError(f"Programma '{code}' bestaat nog niet en er is niet precies één gemeente om het aan "
                               "toe te wijzen. Geef de beherende organisatie op met --owner \"Naam\".")
        return org

    def _report(self, result: import_rules.ImportResult, kind: str, filename: str, *, check: bool,
                seconds: float) -> None:
        for error in result.errors:
            self.stderr.write(str(error))
        for warning in result.warnings:
            self.stdout.write(f"Let op: {warning}")
        what = "projecten" if kind == "projects" else "deelnemers"
        counts = f"{_n(result.created)} nieuw, {_n(result.updated)} bijgewerkt"
        if result.applied:
            skipped = f"; {_n(result.error_lines)} regel(s) met fouten overgeslagen" if result.errors else ""
            self.stdout.write(f"{filename}: {_n(result.total_rows)} regels {what} gelezen; {counts}{skipped} "
                              f"({seconds:.1f} s).")
            return
        if result.errors:
            n = len(result.errors)
            raise CommandError(f"{filename}: {n} fout(en) gevonden; er is niets geïmporteerd. Verbeter de "
                               "genoemde regels en probeer het opnieuw"
                               + (" (of gebruik --alleen-geldige)." if kind == "participants" else "."),
                               returncode=1)
        if check:
            self.stdout.write(f"[controle: niets opgeslagen] {filename}: {_n(result.total_rows)} regels {what} "
                              f"zonder fouten; bij importeren {counts}.")
        else:
            self.stdout.write(f"{filename}: geen regels om te importeren.")
