"""Import of a programme's projects and participants files: the reads it needs besides the file (the owner of a new
programme, an organisation by name). Reading and validating the file: rules/imports.py; the writes:
services/imports.py."""

from __future__ import annotations

from koers.core.codes import OrganisationKind
from koers.core.models import Organisation


def default_owner() -> Organisation | None:
    """The owner of a new programme when none is given: the only municipality, if there is exactly one."""
    municipalities = list(Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, is_active=True)[:2])
    return municipalities[0] if len(municipalities) == 1 else None


def find_organisation(name: str) -> Organisation | None:
    key = name.strip().casefold()
    for org in Organisation.objects.all():
        if org.name.strip().casefold() == key:
            return org
    return None
