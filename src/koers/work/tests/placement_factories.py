"""Test data for placements, aftercare and closure: an employer, an opening, a match and a placement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from koers.core.codes import ContractType, MatchMode, PlacementKind, Sector
from koers.work import placements
from koers.work.models import Employer, Match, Opening


def employer(world, name="Kunststof Oost", sector=Sector.C):
    return Employer.objects.get_or_create(name=name, defaults={"organisation": world.gemeente, "sector": sector,
                                                               "city": "Rivierstad"})[0]


def opening(world, emp=None, *, kind=PlacementKind.BETAALD_WERK, title="Productiemedewerker", hours=38):
    emp = emp or employer(world)
    return Opening.objects.create(employer=emp, kind=kind, title=title, sector=emp.sector, hours_per_week=hours,
                                  created_by=world.regisseur)


def match(world, participant=None, op=None):
    return Match.objects.create(opening=op or opening(world), participant=participant or world.participant,
                                proposed_by=world.regisseur, organisation=world.gemeente,
                                mode=MatchMode.VIA_BEGELEIDER)


def data(world, **overrides) -> placements.PlacementData:
    values = {
        "employer_id": employer(world).pk, "kind": PlacementKind.BETAALD_WERK, "job_title": "Productiemedewerker",
        "start_date": date(2026, 3, 2), "contract_type": ContractType.TIJDELIJK, "hours_per_week": Decimal("24"),
        "contract_end": date(2026, 9, 30),
    }
    values.update(overrides)
    return placements.PlacementData(**values)


def place(world, participant=None, user=None, **overrides):
    """A placement recorded through the service (with its terms and aftercare plan)."""
    from koers.core import access

    participant = participant or world.participant
    user = user or world.regisseur
    return placements.create_placement(user, participant, access.grant_for(user, participant),
                                       data(world, **overrides))
