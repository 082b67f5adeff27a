"""``koers audit-verify``: walk the hash chain of the audit trail; exit status 1 when it is broken."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from koers.core.audit import verify_chain
from koers.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Controleert de hashketen van de audittrail. Een verwijderd, gewijzigd of ingevoegd record breekt de "
        "keten; de opdracht eindigt dan met foutcode 1."
    )

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"Audittrail in orde: {checked} records gecontroleerd, keten intact."))
            return
        event = AuditEvent.objects.filter(pk=broken).first()
        when = f" ({event.at:%d-%m-%Y %H:%M:%S}, {event.user_name})" if event else ""
        self.stderr.write(
            self.style.ERROR(
                f"Audittrail GEBROKEN bij record {broken}{when}: de eerste {checked} records kloppen, dit record "
                "sluit niet aan op zijn voorganger of is gewijzigd. Bewaar een kopie van de database en meld dit "
                "als beveiligingsincident."
            )
        )
        sys.exit(1)
