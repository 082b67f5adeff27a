"""Languages: which catalogues Koers has, which participant reads which, and how a page switches language.

Staff pages are Dutch (``settings.LANGUAGE_CODE``; there is no ``LocaleMiddleware``, docs/architecture.md,
"Translations"), unless a staff member chose English on "Mijn account" (``User.interface_language``, activated by
``core.middleware.StaffLanguageMiddleware``; staff texts carry the gettext context ``staff``). Participant-facing
texts (the plan PDF's summary, the week card, the portal) are translated with gettext: the catalogues live in
``koers/locale/<code>/LC_MESSAGES/django.po`` (Dutch is the source language).

- ``catalogue_language(participant.languages)``: the first of a participant's languages Koers has a catalogue for
  (``None``: Dutch only). Varieties read in a catalogue's script map to it (Dari → Persian, spoken Arabic →
  Arabic).
- In Python: ``with translation.override(code): gettext(...)``; in a template:
  ``{% language code %}{% translate "..." %}{% endlanguage %}``.
- A whole page in a participant's language (the portal): ``activate_for(request, code)`` in the view;
  ``DefaultLanguageMiddleware`` puts Dutch back after every response, so nothing leaks to the next request on
  the same worker thread. The context processor gives ``html_lang`` and ``html_dir`` for
  ``<html lang="{{ html_lang }}" dir="{{ html_dir }}">``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

#: Languages Django does not know (``django.conf.locale.LANG_INFO``); added once by ``register_languages``.
EXTRA_LANG_INFO = {
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
}

#: Participants' languages (ISO 639 codes as Koers stores them) that read the catalogue of another code.
CATALOGUE_FOR = {
    "prs": "fa",  # Dari: written Persian
    "apc": "ar", "arz": "ar", "ary": "ar",  # spoken Arabic (Levantine, Egyptian, Moroccan): written Arabic
}


def register_languages() -> None:
    """Teach Django the languages of ``EXTRA_LANG_INFO`` (``get_language_info``, ``{% get_language_info %}``,
    ``get_language_bidi``). Called from ``CoreConfig.ready``."""
    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def translated_languages() -> list[str]:
    """The codes with a catalogue: every configured language except the source language (Dutch)."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def is_rtl(code: str | None) -> bool:
    if not code:
        return False
    return bool(translation.get_language_info(code).get("bidi")) if code in dict(settings.LANGUAGES) else False


def direction(code: str | None) -> str:
    """``rtl`` for Arabic and Persian, else ``ltr``."""
    return "rtl" if is_rtl(code) else "ltr"


def catalogue_language(languages: Iterable[str] | None) -> str | None:
    """The first of a participant's ``languages`` that has a catalogue, or None.

    None when they read none of them, and when Dutch comes first (a Dutch reader gets Dutch only)."""
    available = set(translated_languages())
    for code in languages or ():
        code = CATALOGUE_FOR.get(code, code)
        if code == settings.LANGUAGE_CODE:
            return None
        if code in available:
            return code
    return None


def activate_for(request, code: str | None) -> str:
    """Switch the rest of this request to ``code`` (a catalogue language; anything else: Dutch) and return the
    code used. ``DefaultLanguageMiddleware`` switches back to Dutch after the response."""
    code = code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    translation.activate(code)
    request.LANGUAGE_CODE = code
    return code


def html_attributes() -> dict[str, str]:
    """``html_lang`` and ``html_dir`` of the active language, for the ``<html>`` element."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return {"html_lang": code, "html_dir": "rtl" if translation.get_language_bidi() else "ltr"}
