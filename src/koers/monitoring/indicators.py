"""The indicators, defined once (docs/indicators.md documents each rule; keep both in step).

CONTRACT (the report pages, the PDF, the exports and ``koers report`` rely on these names and shapes):

* ``Filters`` / ``filtered(scope, filters)`` — the trajectories of a programme the viewer may see, narrowed by
  project, organisation and period. ``scope`` comes from ``monitoring.access``.
* ``Figure`` — one headline figure with its N and its number of unknowns.
* ``summary(trajectories) -> list[Figure]`` — headline figures (started, active, ended, participation, dropout
  rate, time to first placement, attendance rate, guidance hours, durability at 6 and 12 months).
* ``*_table(...) -> tables.Table`` — one function per report table.
* ``programme_report(scope, filters) -> list[Table]`` — every table in report order, small cells suppressed
  when ``scope.external``.
* ``outflow_json(programme, trajectories, projects) -> dict`` — the machine-readable outflow report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from .models import Programme, Project, Trajectory
from .tables import Table


@dataclass(frozen=True)
class Filters:
    project_ids: tuple[int, ...] = ()  # empty = all visible projects
    organisation_id: int | None = None  # the project's (executing) organisation
    date_from: date | None = None  # trajectories active in the period: started on/before date_to and
    date_to: date | None = None  # not ended before date_from (unknown start counts as "in")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | int | None  # None when nothing is known
    n: int  # participants the figure is about
    unknown: int  # of which the input was unknown
    unit: str = ""  # "", "%", "dagen", "uur"
    note: str = ""


BREAKDOWNS: dict[str, str] = {
    "geslacht": "Geslacht",
    "leeftijd": "Leeftijdsgroep",
    "opleidingsniveau": "Opleidingsniveau herkomstland",
    "land": "Land van herkomst",
    "leerroute": "Leerroute",
    "organisatie": "Organisatie",
}


def filtered(scope, filters: Filters) -> QuerySet[Trajectory]:
    raise NotImplementedError


def summary(trajectories: QuerySet[Trajectory]) -> list[Figure]:
    raise NotImplementedError


def outflow_table(trajectories: QuerySet[Trajectory], projects: list[Project]) -> Table:
    raise NotImplementedError


def programme_report(scope, filters: Filters) -> list[Table]:
    raise NotImplementedError


def outflow_json(programme: Programme, trajectories: QuerySet[Trajectory], projects: list[Project]) -> dict:
    raise NotImplementedError
