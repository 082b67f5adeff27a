"""`koers check-translations`: the catalogues are readable, compiled (.mo up to date) and every translation is
marked for review or reviewed (core/catalogues.py). Run by `make messages`; the test suite checks the same."""

from django.core.management.base import BaseCommand, CommandError

from koers.core import catalogues, i18n


class Command(BaseCommand):
    help = "Controleer de vertaalcatalogi (leesbaar, .mo bijgewerkt, elke vertaling gemarkeerd)."

    def handle(self, *args, **options):
        found = [problem for code in i18n.translated_languages() for problem in catalogues.problems(code)]
        for status in catalogues.all_statuses():
            self.stdout.write(
                f"{status.code}: {status.translated}/{status.total} vertaald, {status.reviewed} nagekeken"
            )
        if found:
            raise CommandError("\n".join(found))
