"""Data completeness: filling in the reportable fields of an imported trajectory (the write, under optimistic locking).
The worklist: queries/completeness.py."""

from __future__ import annotations

import logging

from django.db import transaction

from koers.core import locking
from koers.monitoring.models import Trajectory
from koers.monitoring.queries.completeness import FIELDS_BY_NAME, OUTCOME_DETAILS, editable

logger = logging.getLogger("koers.security")

#: The empty value of each outcome detail (what a detail of another outcome is cleared to).
_EMPTY = {"dropout_reason": "", "job_title": "", "contract_type": "", "contract_months": None,
          "hours_per_week": None, "education_entered": "", "education_field": ""}


@transaction.atomic
def fill_in(user, trajectory: Trajectory, data: dict, *, version: str | None = None) -> list[str]:
    """Save the reportable fields of an imported trajectory. Returns the names of the changed fields.

    Details of an outcome the trajectory no longer has are cleared, so the row stays consistent. ``version``
    (``trajectory_version`` as the form was loaded): a row filled in by a colleague meanwhile raises
    ``locking.StaleEdit`` with what changed instead of being overwritten.
    """
    if not editable(trajectory):
        raise ValueError("Alleen geïmporteerde deelnames kunnen hier worden aangevuld.")
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    locking.check(version, locking.model_values(locked, FIELDS_BY_NAME),
                  labels=locking.model_labels(Trajectory, FIELDS_BY_NAME), when=locked.updated_at)
    changed = []
    for name, value in data.items():
        if name not in FIELDS_BY_NAME:
            continue
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    for outcome, details in OUTCOME_DETAILS.items():
        if locked.outcome != outcome:
            for name in details:
                if getattr(locked, name) != _EMPTY[name]:
                    setattr(locked, name, _EMPTY[name])
                    if name not in changed:
                        changed.append(name)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        logger.info("imported trajectory %s filled in by user %s: %s", locked.pk, user.pk, ", ".join(changed))
    for name in changed:
        setattr(trajectory, name, getattr(locked, name))
    return changed
