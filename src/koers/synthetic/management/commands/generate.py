"""``koers generate``: a reproducible synthetic population of fictional participants, for benchmarks."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from koers.synthetic.population import PopulationExists, default_municipalities, fingerprint, generate


class Command(BaseCommand):
    help = (
        "Maakt een synthetische populatie van verzonnen deelnemers (met eigen gemeenten, partners en "
        "medewerkers), reproduceerbaar per seed. Bedoeld voor benchmarks en tests, nooit voor productie."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, required=True, help="Aantal deelnemers.")
        parser.add_argument("--seed", type=int, default=1, help="Seed van de toevalsgenerator (standaard 1).")
        parser.add_argument(
            "--organisations", type=int, default=None,
            help="Aantal gemeenten (standaard: één per 5.000 deelnemers, minimaal 2, maximaal 40); "
                 "partnerorganisaties komen daar naar verhouding bij.",
        )
        parser.add_argument("--fingerprint", action="store_true", help="Druk een controlegetal van de populatie af.")
        parser.add_argument(
            "--force", action="store_true",
            help="Ook buiten demo-, test- of ontwikkelmodus (KOERS_DEMO, KOERS_TESTING, KOERS_DEBUG).",
        )

    def handle(self, *args, **options):
        n = options["participants"]
        if n < 1:
            raise CommandError("Geef met --participants een aantal van minstens 1.")
        if options["organisations"] is not None and options["organisations"] < 1:
            raise CommandError("Geef met --organisations een aantal gemeenten van minstens 1.")
        if not (settings.DEMO_MODE or settings.TESTING or settings.DEBUG or options["force"]):
            raise CommandError(
                "Synthetische deelnemers horen niet in een echte database. Gebruik KOERS_TESTING=1 of KOERS_DEMO=1 "
                "met een aparte database (KOERS_SQLITE_PATH), of --force als je zeker weet wat je doet."
            )
        k = options["organisations"] or default_municipalities(n)
        self.stdout.write(f"Genereer {n:,} deelnemers over {k} gemeenten (seed {options['seed']})".replace(",", "."))
        try:
            summary = generate(n, options["seed"], k, progress=self.stdout.write)
        except PopulationExists as exc:
            raise CommandError(str(exc)) from exc
        # Fresh statistics after a bulk load, so the query planner picks the access-policy indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Klaar."))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        if options["fingerprint"]:
            self.stdout.write(f"  Controlegetal:       {fingerprint()}")
