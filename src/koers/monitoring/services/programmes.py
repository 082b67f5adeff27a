"""Programmes and projects (with their targets): the writes.

They hold no participant data, so they are not in the participant audit trail; like the beheer pages they log to
``koers.security``. Creating a programme needs ``access.can_create_programmes`` (the owner is the user's
organisation); changing a programme or a project needs a managing scope (``Scope.can_manage``). Anything else is
a 404, as on the pages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.http import Http404

from koers.core.models import Organisation
from koers.monitoring import access
from koers.monitoring.models import Programme, Project, ProjectTarget

logger = logging.getLogger("koers.security")

PROGRAMME_FIELDS = ("name", "code", "funder", "starts_on", "ends_on", "description")
PROJECT_FIELDS = (
    "name", "code", "organisation", "tranche", "starts_on", "ends_on", "target_group", "planned_participants",
    "duration", "intensity", "entry_point", "problem", "instruments", "mechanisms", "intermediate_goals",
)


def _check_fields(values: dict, allowed: tuple[str, ...], what: str) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"{what} has no field(s) {sorted(unknown)}")


def _require_manage(user, programme: Programme) -> None:
    scope = access.scope_for(user, programme)
    if scope is None or not scope.can_manage:
        raise Http404("Programma niet gevonden")


def save_programme(user, programme: Programme | None = None, *, research_organisations: Iterable[Organisation] = (),
                   **values) -> Programme:
    """Create (``programme`` None; owner = the user's organisation) or update a programme. ``values``: validated
    fields of ``PROGRAMME_FIELDS``; the code of an existing programme never changes (it is in addresses and file
    names)."""
    _check_fields(values, PROGRAMME_FIELDS, "A programme")
    creating = programme is None
    if creating:
        if not access.can_create_programmes(user):
            raise Http404("Pagina niet gevonden")
        programme = Programme(owner_id=user.organisation_id)
    else:
        _require_manage(user, programme)
        values.pop("code", None)
    for name, value in values.items():
        setattr(programme, name, value)
    with transaction.atomic():
        programme.save()
        programme.research_organisations.set(list(research_organisations))
    logger.info("monitoring programme %s: %s (%s) by user %s", "created" if creating else "updated",
                programme.pk, programme.code, user.pk)
    return programme


def save_project(user, programme: Programme, project: Project | None = None, *,
                 targets: dict[str, tuple[int, str]], **values) -> Project:
    """Create (``project`` None) or update a project of ``programme`` and replace its targets (outcome → (count,
    rationale); an outcome not given loses its target), in one transaction. ``values``: validated fields of
    ``PROJECT_FIELDS``."""
    _check_fields(values, PROJECT_FIELDS, "A project")
    _require_manage(user, programme)
    creating = project is None
    if creating:
        project = Project(programme=programme)
    elif project.programme_id != programme.pk:
        raise Http404("Project niet gevonden")
    for name, value in values.items():
        setattr(project, name, value)
    with transaction.atomic():
        project.programme = programme
        project.save()
        project.targets.exclude(outcome__in=list(targets)).delete()
        for outcome, (count, rationale) in targets.items():
            ProjectTarget.objects.update_or_create(
                project=project, outcome=outcome, defaults={"count": count, "rationale": rationale},
            )
    logger.info("monitoring project %s: %s (%s/%s) by user %s, targets %s", "created" if creating else "updated",
                project.pk, programme.code, project.code, user.pk, sorted(targets))
    return project
