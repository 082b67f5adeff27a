"""Which language Mijn Koers speaks to a participant: the catalogues of ``core/i18n.py``, Dutch as fallback."""

from __future__ import annotations

from django.conf import settings

from koers.core import i18n


def portal_languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def is_portal_language(code: str) -> bool:
    return code in dict(settings.LANGUAGES)


def portal_language_for(languages) -> str:
    """The first of the participant's languages with a catalogue (Dari reads Farsi, ...), else Dutch."""
    return i18n.catalogue_language(languages) or settings.LANGUAGE_CODE
