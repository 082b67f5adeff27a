"""Work: employers, openings and matching (employers.py); placements, aftercare and closure (placements.py)."""

from koers.work.models.employers import *  # noqa: F403
from koers.work.models.placements import *  # noqa: F403
