"""Test data for placements, aftercare and closure: an employer, an opening, a match and a placement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from koers.core.codes import ContractType, MatchMode, PlacementKind, Sector
from koers.work.models import Employer, Match, Opening
from koers.work.queries import placements as placement_queries
from koers.work.services import placements as placement_services


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


def data(world, **overrides) -> placement_queries.PlacementData:
    values = {
        "employer_id": employer(world).pk, "kind": PlacementKind.BETAALD_WERK, "job_title": "Productiemedewerker",
        "start_date": date(2026, 3, 2), "contract_type": ContractType.TIJDELIJK, "hours_per_week": Decimal("24"),
        "contract_end": date(2026, 9, 30),
    }
    values.update(overrides)
    return placement_queries.PlacementData(**values)


def place(world, participant=None, user=None, **overrides):
    """A placement recorded through the service (with its terms and aftercare plan)."""
    from koers.core import access

    participant = participant or world.participant
    user = user or world.regisseur
    return placement_services.create_placement(user, participant, access.grant_for(user, participant),
                                       data(world, **overrides))
