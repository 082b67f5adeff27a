"""Data completeness: which reportable fields are unknown, for which trajectories (CONTRACT for other modules).

* ``FIELDS`` — the reportable fields, each with a label, whether it applies to a trajectory (e.g. contract
  months only for paid work) and how "unknown" is recognised.
* ``completeness_table(trajectories) -> tables.Table`` — per field: applicable N, unknown, % complete.
* ``worklist(...)`` — the trajectories with unknown fields, for the page with links to fix them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Trajectory
from .tables import Table


def completeness_table(trajectories: QuerySet[Trajectory]) -> Table:
    raise NotImplementedError
