"""``koers sessions --generate``: create the missing sessions of running activities from their weekly pattern.

Idempotent (see ``activities/attendance.py``): safe to run from cron or ``koers tick`` every night, so that
groups formed later and closed days added later are reflected. Only activities that have not ended are touched.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koers.activities.models import Activity
from koers.activities.services import attendance as attendance_services


class Command(BaseCommand):
    help = "Bijeenkomsten aanmaken uit het weekpatroon van lopende activiteiten (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="ontbrekende bijeenkomsten aanmaken")
        parser.add_argument("--activity", type=int, action="append", help="alleen deze activiteit (id); herhaalbaar")

    def handle(self, *args, generate: bool, activity: list[int] | None, **options):
        if not generate:
            raise CommandError("Geef aan wat er moet gebeuren: --generate.")
        activities = Activity.objects.filter(end_date__gte=timezone.localdate(), slots__isnull=False).distinct()
        if activity:
            activities = activities.filter(pk__in=activity)
        created = holidays = 0
        for item in activities.order_by("pk"):
            result = attendance_services.generate_sessions(item)
            created += result.created
            holidays += result.holidays
            if result.created and options["verbosity"] > 1:
                self.stdout.write(f"{item.pk} {item.title}: {result.message()}")
        self.stdout.write(f"{created} bijeenkomst(en) aangemaakt, waarvan {holidays} op een vrije dag.")
