"""Reads of the Vertalingen page: per language how complete and how reviewed its catalogue is
(``core/catalogues.py``), for whoever may see it (``access.can_see_translations``)."""

from __future__ import annotations

from dataclasses import dataclass

from koers.core import access, catalogues

#: How many untranslated and unreviewed texts the page lists per language.
LIST_LIMIT = 20


@dataclass
class LanguageRow:
    status: catalogues.LanguageStatus
    untranslated: list[str]
    more_untranslated: int
    unreviewed: list[str]
    more_unreviewed: int


def overview(user, limit: int = LIST_LIMIT) -> list[LanguageRow]:
    if not access.can_see_translations(user):
        raise access.NotVisible("Vertalingen zonder beheerrol")
    return [
        LanguageRow(s, s.untranslated[:limit], max(0, len(s.untranslated) - limit),
                    s.unreviewed[:limit], max(0, len(s.unreviewed) - limit))
        for s in catalogues.all_statuses()
    ]
