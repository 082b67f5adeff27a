"""Test data for employers, openings and matching (fictional)."""

from __future__ import annotations

from koers.core.codes import OrganisationKind, PlacementKind, Role
from koers.core.tests.factories import OrganisationFactory, make_user
from koers.work.models import Certificate, Employer, Opening, PostcodeArea, WorkProfile

#: Three postcode areas around the fictional Rivierstad and one 40 km away.
AREAS = [
    ("6511", 51.8425, 5.8528, "Rivierstad"),
    ("6521", 51.8500, 5.8700, "Rivierstad"),
    ("6601", 51.8200, 5.7400, "Waaldorp"),
    ("7411", 52.2550, 6.1600, "Verreveld"),
]


def postcode_areas() -> None:
    PostcodeArea.objects.bulk_create([PostcodeArea(postcode4=a, latitude=b, longitude=c, municipality=d)
                                      for a, b, c, d in AREAS])


def accountmanager(organisation, username: str = "accountmanager"):
    return make_user(organisation, Role.ACCOUNTMANAGER, username=username, first_name="Mark")


def certificate(code: str = "vca", name: str = "VCA") -> Certificate:
    return Certificate.objects.get_or_create(code=code, defaults={"name": name})[0]


def employer(organisation, name: str = "Bakkerij De Korrel", sector: str = "C", **kwargs) -> Employer:
    kwargs.setdefault("city", "Rivierstad")
    kwargs.setdefault("postcode", "6511 AB")
    return Employer.objects.create(name=name, organisation=organisation, sector=sector, **kwargs)


def opening(emp: Employer, user, *, certificates=(), **kwargs) -> Opening:
    kwargs.setdefault("title", "Productiemedewerker")
    kwargs.setdefault("kind", PlacementKind.BETAALD_WERK)
    kwargs.setdefault("sector", emp.sector)
    kwargs.setdefault("hours_per_week", 24)
    o = Opening.objects.create(employer=emp, created_by=user, **kwargs)
    if certificates:
        o.certificates.set(certificates)
    return o


def work_profile(participant, *, certificates=(), **kwargs) -> WorkProfile:
    profile = WorkProfile.objects.create(participant=participant, **kwargs)
    if certificates:
        profile.certificates.set(certificates)
    return profile


def werkgever_org(name: str = "Werkgever BV"):
    return OrganisationFactory(name=name, kind=OrganisationKind.WERKGEVER)
