"""The translation catalogues (``koers/locale/<code>/LC_MESSAGES/django.po`` and the compiled ``.mo``): how complete
and how reviewed each is, and what is wrong with one.

Review marking (docs/architecture.md, "Translations"): a translation written by the Koers team, not by a native
speaker, carries the translator comment ``# needs-review``; a native speaker who checked it replaces that line by
``# reviewed: <name or initials>, <date>``. Translator comments survive ``makemessages`` (msgmerge) and do not
stop gettext from using the translation (the ``fuzzy`` flag would: msgfmt leaves fuzzy entries out, and msgmerge
drops flags it does not know).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import get_language_info

from koers.core import i18n

NEEDS_REVIEW = "needs-review"
REVIEWED = "reviewed:"
#: The gettext context of texts on staff pages (``pgettext("staff", ...)``, ``{% translate "..." context "staff" %}``):
#: they count only in the catalogues of ``settings.KOERS_STAFF_LANGUAGES`` (English); a participant's language
#: has no staff pages, so its catalogue need not translate them (docs/architecture.md, "Translations").
STAFF_CONTEXT = "staff"


class CatalogueError(Exception):
    """A catalogue that cannot be read (a syntax error); the message says where."""


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(code: str, root: Path | None = None) -> Path:
    return (root or locale_dir()) / code / "LC_MESSAGES" / "django.po"


#: One line of a .po file: a comment, a keyword with a quoted string, or a quoted string that continues one.
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf'^\s*(?:#.*|(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+)?{_QUOTED}\s*|)$')


def _syntax_error(text: str) -> str:
    """The first line that is not .po syntax ("line 12: ..."), or "". polib accepts some broken lines (a string
    without its closing quote), and GNU msgfmt may not be installed, so the check is our own."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _LINE.match(line):
            return f"regel {number}: {line.strip()[:60]}"
    return ""


def load(path: Path) -> polib.POFile:
    try:
        text = path.read_text(encoding="utf-8")
        error = _syntax_error(text)
        if error:
            raise ValueError(error)
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def _comment_lines(entry: polib.POEntry) -> list[str]:
    return [line.strip() for line in (entry.tcomment or "").splitlines()]


def needs_review(entry: polib.POEntry) -> bool:
    return NEEDS_REVIEW in _comment_lines(entry)


def is_reviewed(entry: polib.POEntry) -> bool:
    return any(line.startswith(REVIEWED) for line in _comment_lines(entry)) and not needs_review(entry)


def is_translated(entry: polib.POEntry) -> bool:
    """What gettext will use: not obsolete, not fuzzy, every form filled in."""
    return not entry.obsolete and entry.translated()


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt} | {entry.msgid}" if entry.msgctxt else entry.msgid


@dataclass
class LanguageStatus:
    code: str
    name: str
    name_local: str
    bidi: bool
    total: int = 0
    translated: int = 0
    reviewed: int = 0
    untranslated: list[str] = field(default_factory=list)
    unreviewed: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def translated_pct(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 0

    @property
    def reviewed_pct(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


def counts_in(entry: polib.POEntry, code: str) -> bool:
    """Whether ``entry`` belongs to what the catalogue of ``code`` must translate: every text, except staff texts
    in a language staff cannot choose."""
    return entry.msgctxt != STAFF_CONTEXT or code in settings.KOERS_STAFF_LANGUAGES


def status(code: str, root: Path | None = None) -> LanguageStatus:
    """How complete and reviewed the catalogue of ``code`` is: counts and the msgids still to do (all of them;
    the page shows the first few). Staff texts count only in a staff language (``counts_in``)."""
    info = get_language_info(code)
    result = LanguageStatus(code, info["name"], dict(settings.LANGUAGES).get(code, info["name_local"]),
                            bool(info["bidi"]))
    try:
        catalogue = load(po_path(code, root))
    except CatalogueError as exc:
        result.error = str(exc)
        return result
    for entry in catalogue:
        if entry.obsolete or not counts_in(entry, code):
            continue
        result.total += 1
        if not is_translated(entry):
            result.untranslated.append(_label(entry))
        elif is_reviewed(entry):
            result.reviewed += 1
            result.translated += 1
        else:
            result.translated += 1
            result.unreviewed.append(_label(entry))
    return result


def all_statuses(root: Path | None = None) -> list[LanguageStatus]:
    return [status(code, root) for code in i18n.translated_languages()]


def _translations(entries, compiled: bool = False) -> dict:
    """(context, msgid, plural) → translation(s): what a compiled catalogue holds (``compiled``: every entry of
    a .mo; else the entries of a .po that msgfmt compiles)."""
    result = {}
    for entry in entries:
        if entry.msgid == "" or not (compiled or is_translated(entry)):
            continue
        value = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)) if entry.msgid_plural \
            else entry.msgstr
        result[(entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")] = value
    return result


def problems(code: str, root: Path | None = None) -> list[str]:
    """What is wrong with the catalogue of ``code`` (Dutch messages; empty: nothing):
    a syntax error, a missing or stale ``.mo``, a translation marked neither ``needs-review`` nor ``reviewed:``,
    and (when GNU msgfmt is installed) what ``msgfmt --check`` finds, such as a placeholder left out."""
    path = po_path(code, root)
    try:
        catalogue = load(path)
    except CatalogueError as exc:
        return [f"{code}: de catalogus is niet te lezen ({exc})"]
    found = []
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{code}: {mo_path.name} ontbreekt: draai `make messages`")
    else:
        try:
            compiled = _translations(polib.mofile(str(mo_path)), compiled=True)
        except (OSError, ValueError) as exc:
            compiled = None
            found.append(f"{code}: {mo_path.name} is niet te lezen ({exc}): draai `make messages`")
        if compiled is not None and compiled != _translations(catalogue):
            found.append(f"{code}: {mo_path.name} past niet bij {path.name} (verouderd): draai `make messages`")
    for entry in catalogue:
        if is_translated(entry) and not (needs_review(entry) or is_reviewed(entry)):
            found.append(f"{code}: vertaling zonder '# {NEEDS_REVIEW}' of '# {REVIEWED} …': {_label(entry)!r}")
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        run = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        if run.returncode:
            found.append(f"{code}: msgfmt --check: {run.stderr.strip()}")
    return found
