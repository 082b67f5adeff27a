"""``koers demo``: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from koers.demo import loader
from koers.demo.portal import PORTAL_LOGINS
from koers.demo.world import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Laadt de demogegevens (verzonnen organisaties, medewerkers en deelnemers). Twee keer draaien kan."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Ook buiten demomodus laden (alleen voor tests en ontwikkeling)."
        )

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or options["force"]):
            raise CommandError(
                "De demogegevens worden alleen in demomodus geladen (KOERS_DEMO=1), zodat verzonnen deelnemers "
                "en het demowachtwoord nooit in een echte database terechtkomen. Start de demo met `make demo`."
            )
        started = time.perf_counter()
        created = loader.load()
        seconds = time.perf_counter() - started
        if created:
            summary = ", ".join(f"{n} {what}" for what, n in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demogegevens geladen in {seconds:.1f} s: {summary}."))
        else:
            self.stdout.write(f"De demogegevens waren al geladen; er is niets gewijzigd ({seconds:.1f} s).")
        self.stdout.write("")
        self.stdout.write(self.logins_table())
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write("")
        self.stdout.write("Mijn Koers (deelnemers, op /mijn/):")
        self.stdout.write(self.portal_logins_table())
        self.stdout.write("")
        self.stdout.write(f"Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}")
        self.stdout.write(f"Open http://127.0.0.1:{port} en log in met een van de accounts hierboven.")

    @staticmethod
    def portal_logins_table() -> str:
        rows = [f"  {login.username:<8} {login.name} ({login.language}), DigiD-BSN {login.bsn}"
                for login in PORTAL_LOGINS]
        return "\n".join([*rows, "  Of: Inloggen met DigiD (demo-DigiD: kies de deelnemer), en na inloggen een passkey"
                                  " toevoegen bij Mijn gegevens."])

    @staticmethod
    def logins_table() -> str:
        header = ("Gebruikersnaam", "Naam", "Organisatie", "Rol")
        rows = [header] + [(r.username, r.name, r.organisation, r.roles) for r in demo_logins()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)
