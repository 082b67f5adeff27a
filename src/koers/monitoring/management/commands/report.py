"""``koers report``: a programme's figures on the command line (an administrator's tool: the whole programme).

    koers report outflow --programme CODE [--format json|csv|xlsx] [--output FILE]
                         [--project CODE ...] [--organisatie NAAM] [--van DATUM] [--tot DATUM]
    koers report all --programme CODE --format csv|xlsx --output FILE   (same filters)

``outflow --format json`` prints the machine-readable outflow report (docs/indicators.md, "JSON"); ``csv`` and
``xlsx`` write the tables behind it (outflow, participation, contract duration, contract types, hours). ``all``
writes every table of the programme report. CSV goes to stdout unless ``--output`` is given; XLSX needs
``--output``. Dates as JJJJ-MM-DD or DD-MM-JJJJ. The command sees the whole programme (owner scope, no
small-cell suppression): it is run by whoever administers the server, not by a partner or researcher.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from koers.monitoring.access import Scope
from koers.monitoring.models import Programme, Project
from koers.monitoring.queries import completeness as completeness_queries
from koers.monitoring.queries import indicators
from koers.monitoring.rules import tables

#: The tables of ``report outflow --format csv|xlsx`` (the tables behind the JSON).
OUTFLOW_TABLES = ("outflow", "participation", "contract_months", "contract_types", "hours")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def parse_date(value: str, option: str) -> date:
    value = value.strip()
    if m := _ISO.match(value):
        y, mo, d = m.groups()
    elif m := _NL.match(value):
        d, mo, y = m.groups()
    else:
        raise CommandError(f"{option}: '{value}' is geen datum; schrijf JJJJ-MM-DD (bijvoorbeeld 2020-03-31) of "
                           "DD-MM-JJJJ.")
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise CommandError(f"{option}: '{value}' is geen bestaande datum; controleer dag en maand.") from None


class Command(BaseCommand):
    help = "Cijfers van een programma: uitstroom (JSON, CSV of XLSX) of alle tabellen (CSV of XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["outflow", "all"],
                            help="outflow (uitstroomrapportage) of all (alle tabellen van de programmarapportage)")
        parser.add_argument("--programme", required=True, help="code van het programma, bijvoorbeeld nbnb")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default=None, dest="fmt",
                            help="json (alleen outflow), csv of xlsx; standaard json voor outflow")
        parser.add_argument("--output", help="bestand om naar te schrijven (verplicht bij xlsx)")
        parser.add_argument("--project", action="append", default=[], dest="projects", metavar="CODE",
                            help="alleen dit project (mag vaker)")
        parser.add_argument("--organisatie", help="alleen de projecten van deze uitvoerende organisatie (naam)")
        parser.add_argument("--van", help="periode: trajecten die niet vóór deze datum eindigden")
        parser.add_argument("--tot", help="periode: trajecten die op of vóór deze datum begonnen")

    def handle(self, *args, what: str, programme: str, fmt: str | None = None, output: str | None = None,
               projects: list[str] | None = None, organisatie: str | None = None, van: str | None = None,
               tot: str | None = None, **options):
        fmt = fmt or ("json" if what == "outflow" else None)
        if fmt is None:
            raise CommandError("Kies een formaat met --format csv of --format xlsx.")
        if what == "all" and fmt == "json":
            raise CommandError("'report all' schrijft tabellen: kies --format csv of --format xlsx.")
        if fmt == "xlsx" and not output:
            raise CommandError("Een XLSX-bestand kan niet naar het scherm; geef een bestandsnaam op met "
                               "--output, bijvoorbeeld --output rapportage.xlsx.")
        prog = Programme.objects.filter(code=programme).first()
        if prog is None:
            known = ", ".join(Programme.objects.order_by("code").values_list("code", flat=True)) or "geen"
            raise CommandError(f"Programma '{programme}' bestaat niet (bekende programma's: {known}).")
        filters = self._filters(prog, projects or [], organisatie, van, tot)
        scope = Scope(prog, "owner", frozenset())

        if what == "outflow" and fmt == "json":
            trajectories = indicators.filtered(scope, filters)
            data = indicators.outflow_json(prog, trajectories, indicators.report_projects(scope, filters))
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            self._write_text(text, output)
            return

        if what == "outflow":
            trajectories = indicators.filtered(scope, filters)
            projects_ = indicators.report_projects(scope, filters)
            counts = indicators.outflow_counts(trajectories)
            result = [
                indicators.outflow_table(trajectories, projects_, counts=counts),
                indicators.participation_table(trajectories, counts=counts),
                indicators.contract_months_table(trajectories),
                indicators.contract_types_table(trajectories),
                indicators.hours_table(trajectories),
            ]
        else:
            result = [*indicators.programme_report(scope, filters),
                      completeness_queries.completeness_table(indicators.filtered(scope, filters))]

        if fmt == "csv":
            self._write_text(tables.to_csv(result), output)
        else:
            path = Path(output)
            self._check_dir(path)
            path.write_bytes(tables.to_xlsx(result))
            self.stderr.write(f"{len(result)} tabel(len) geschreven naar {path}.")

    def _filters(self, prog: Programme, codes: list[str], organisation: str | None, van: str | None,
                 tot: str | None) -> indicators.Filters:
        project_ids: list[int] = []
        if codes:
            found = dict(Project.objects.filter(programme=prog, code__in=codes).values_list("code", "pk"))
            missing = [c for c in codes if c not in found]
            if missing:
                known = ", ".join(prog.projects.order_by("code").values_list("code", flat=True)) or "geen"
                raise CommandError(f"Project(en) {', '.join(missing)} bestaan niet in programma '{prog.code}' "
                                   f"(bekende projecten: {known}).")
            project_ids = [found[c] for c in codes]
        organisation_id = None
        if organisation:
            orgs = dict(prog.projects.filter(organisation__isnull=False)
                        .values_list("organisation_id", "organisation__name"))
            matches = [pk for pk, name in orgs.items() if name.casefold() == organisation.strip().casefold()]
            if not matches:
                known = "; ".join(sorted(set(orgs.values()))) or "geen"
                raise CommandError(f"Organisatie '{organisation}' voert geen project uit in programma "
                                   f"'{prog.code}' (organisaties: {known}).")
            organisation_id = matches[0]
        date_from = parse_date(van, "--van") if van else None
        date_to = parse_date(tot, "--tot") if tot else None
        if date_from and date_to and date_from > date_to:
            raise CommandError("--van ligt na --tot; draai de datums om.")
        return indicators.Filters(project_ids=tuple(project_ids), organisation_id=organisation_id,
                                  date_from=date_from, date_to=date_to)

    def _check_dir(self, path: Path) -> None:
        if not path.parent.exists():
            raise CommandError(f"De map {path.parent} bestaat niet.")

    def _write_text(self, text: str, output: str | None) -> None:
        if output:
            path = Path(output)
            self._check_dir(path)
            path.write_text(text, encoding="utf-8")
            self.stderr.write(f"Geschreven naar {path}.")
        else:
            self.stdout.write(text, ending="")
