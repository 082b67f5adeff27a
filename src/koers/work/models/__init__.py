"""Work: employers, openings and matching (employers.py); placements, aftercare and closure (placements.py)."""

from .employers import *  # noqa: F403
from .placements import *  # noqa: F403
