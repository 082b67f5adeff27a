"""Placements with their terms, aftercare and the closure of a trajectory with its outcome."""

__all__: list[str] = []
