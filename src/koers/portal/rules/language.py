"""Which language Mijn Koers speaks to a participant.

The portal's languages are ``settings.LANGUAGES`` (Dutch is the source). A participant's ``languages`` are ISO 639
codes, first the mother tongue; a few languages are read in a catalogue of a close written standard: Dari in the
Farsi catalogue (same script, mutually intelligible in writing), Levantine/Egyptian/Moroccan Arabic in Arabic.
"""

from __future__ import annotations

from django.conf import settings

#: A spoken language → the catalogue it reads best in.
CLOSE_CATALOGUE = {"prs": "fa", "apc": "ar", "arz": "ar", "ary": "ar"}

#: Languages written right to left (Django's LANG_INFO has ``bidi``; kept here for the PDF and the html tag).
RTL = frozenset({"ar", "fa"})


def portal_languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def is_portal_language(code: str) -> bool:
    return code in dict(portal_languages())


def portal_language_for(languages) -> str:
    """The first of the participant's languages that the portal speaks, else Dutch."""
    for code in languages or []:
        code = CLOSE_CATALOGUE.get(code, code)
        if is_portal_language(code):
            return code
    return settings.LANGUAGE_CODE


def direction(code: str) -> str:
    return "rtl" if code in RTL else "ltr"
