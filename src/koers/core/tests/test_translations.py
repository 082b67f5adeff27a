"""Languages (issue 13, item 7): the languages Koers knows, the catalogues and their checks, the language of a
request, and the functional administrator's Vertalingen page."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from koers.core import catalogues, i18n
from koers.core.middleware import DefaultLanguageMiddleware

LANGUAGES = ["en", "ar", "ti", "uk", "fa"]


# --- Languages --------------------------------------------------------------------------------------------------


def test_languages_with_their_own_names():
    assert dict(settings.LANGUAGES) == {
        "nl": "Nederlands", "en": "English", "ar": "العربية", "ti": "ትግርኛ", "uk": "Українська", "fa": "فارسی",
    }
    assert settings.LANGUAGE_CODE == "nl"
    assert i18n.translated_languages() == LANGUAGES


def test_django_knows_tigrinya_and_which_languages_run_right_to_left():
    info = translation.get_language_info("ti")
    assert info["name_local"] == "ትግርኛ" and info["bidi"] is False
    html = Template('{% load i18n %}{% get_language_info for "ti" as l %}{{ l.name_local }} {{ l.bidi }}').render(
        Context())
    assert html == "ትግርኛ False"
    assert [code for code in ["nl", *LANGUAGES] if i18n.is_rtl(code)] == ["ar", "fa"]
    assert i18n.direction("fa") == "rtl" and i18n.direction("ti") == "ltr" and i18n.direction(None) == "ltr"


@pytest.mark.parametrize(("languages", "expected"), [
    (["ti", "en"], "ti"),
    (["so", "uk"], "uk"),  # Somali: no catalogue; the next language has one
    (["prs"], "fa"),  # Dari reads Persian
    (["apc", "en"], "ar"),  # spoken (Levantine) Arabic reads written Arabic
    (["nl", "ar"], None),  # a Dutch reader: Dutch only
    (["so"], None),
    ([], None),
    (None, None),
])
def test_catalogue_language_of_a_participant(languages, expected):
    assert i18n.catalogue_language(languages) == expected


def test_a_page_in_a_participants_language_does_not_leak_into_the_next_request():
    """Without LocaleMiddleware an activated language stays on the worker thread; the middleware resets it."""
    seen = {}

    def participant_view(request):
        i18n.activate_for(request, "ar")
        seen["during"] = (translation.get_language(), i18n.html_attributes())
        return HttpResponse(translation.gettext("Weekrooster"))

    def staff_view(request):
        seen["next"] = (translation.get_language(), i18n.html_attributes())
        return HttpResponse(translation.gettext("Weekrooster"))

    factory = RequestFactory()
    first = DefaultLanguageMiddleware(participant_view)(factory.get("/mijn/"))
    assert first.content.decode() == "الجدول الأسبوعي"
    assert seen["during"] == ("ar", {"html_lang": "ar", "html_dir": "rtl"})
    assert translation.get_language() == "nl"
    second = DefaultLanguageMiddleware(staff_view)(factory.get("/"))
    assert second.content.decode() == "Weekrooster"
    assert seen["next"] == ("nl", {"html_lang": "nl", "html_dir": "ltr"})


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "expected"), [
    ("ar", '<html lang="ar" dir="rtl">'), ("fa", '<html lang="fa" dir="rtl">'), ("ti", '<html lang="ti" dir="ltr">'),
])
def test_a_page_in_a_participants_language_has_lang_and_dir(code, expected):
    from django.contrib.auth.models import AnonymousUser
    from django.shortcuts import render

    def participant_view(request):
        i18n.activate_for(request, code)
        return render(request, "base.html")

    request = RequestFactory().get("/mijn/")
    request.user = AnonymousUser()
    html = DefaultLanguageMiddleware(participant_view)(request).content.decode()
    assert expected in html
    assert translation.get_language() == "nl"


def test_activate_for_an_unknown_language_is_dutch():
    request = RequestFactory().get("/")
    try:
        assert i18n.activate_for(request, "so") == "nl" and request.LANGUAGE_CODE == "nl"
        assert i18n.activate_for(request, "ti") == "ti" and translation.get_language() == "ti"
    finally:
        translation.deactivate()


@pytest.mark.django_db
def test_staff_pages_stay_dutch_whatever_the_browser_asks(world, client_for):
    html = client_for(world.regisseur).get(reverse("core:account"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.8").content
    assert b'<html lang="nl" dir="ltr">' in html


# --- Catalogues -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_readable_compiled_and_marked(code):
    """The guard for `make messages`: a syntax error, a stale .mo or an unmarked translation fails here."""
    assert catalogues.problems(code) == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_complete(code):
    """Every participant-facing text has a translation: an untranslated one shows in Dutch to the participant."""
    status = catalogues.status(code)
    assert status.error == "" and status.total > 60
    assert status.untranslated == [], f"{code}: nog te vertalen: {status.untranslated}"


def _copy(tmp_path: Path, code: str = "ar") -> Path:
    target = tmp_path / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    for name in ("django.po", "django.mo"):
        shutil.copy(catalogues.po_path(code).with_name(name), target / name)
    return target / "django.po"


def _edit(path: Path, msgid: str, **changes) -> None:
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    for name, value in changes.items():
        setattr(entry, name, value)
    po.save(str(path))


def test_a_stale_mo_is_found(tmp_path):
    po = _copy(tmp_path)
    assert catalogues.problems("ar", tmp_path) == []
    _edit(po, "Weekrooster", msgstr="جدول الأسبوع")
    assert any("verouderd" in p for p in catalogues.problems("ar", tmp_path))


def test_a_missing_mo_is_found(tmp_path):
    po = _copy(tmp_path)
    po.with_suffix(".mo").unlink()
    assert any("django.mo ontbreekt" in p for p in catalogues.problems("ar", tmp_path))


def test_a_syntax_error_is_found_and_shown_on_the_page_data(tmp_path):
    po = _copy(tmp_path)
    po.write_text(po.read_text() + '\nmsgid "Kapot"\nmsgstr "broken\n', encoding="utf-8")
    found = catalogues.problems("ar", tmp_path)
    assert len(found) == 1 and "niet te lezen" in found[0]
    assert catalogues.status("ar", tmp_path).error


def test_a_translation_without_review_marking_is_found(tmp_path):
    po = _copy(tmp_path)
    _edit(po, "Weekrooster", tcomment="")
    assert any("Weekrooster" in p and "needs-review" in p for p in catalogues.problems("ar", tmp_path))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is niet geïnstalleerd")
def test_a_placeholder_left_out_is_found_by_msgfmt(tmp_path):
    po_path = _copy(tmp_path)
    po = polib.pofile(str(po_path))
    po.append(polib.POEntry(msgid="Hallo %(naam)s", msgstr="مرحبا", flags=["python-format"],
                            tcomment="needs-review"))
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    assert any("msgfmt --check" in p for p in catalogues.problems("ar", tmp_path))


def test_counts_translated_reviewed_and_fuzzy(tmp_path):
    po = _copy(tmp_path)
    total = catalogues.status("ar", tmp_path).total
    _edit(po, "Weekrooster", tcomment="reviewed: H. Haddad, 2026-12-01")
    _edit(po, "week", flags=["fuzzy"])  # a fuzzy translation is not used, so it is not translated
    _edit(po, "Geld", msgstr="")
    status = catalogues.status("ar", tmp_path)
    assert (status.total, status.translated, status.reviewed) == (total, total - 2, 1)
    assert status.untranslated == ["week", "Geld"] or sorted(status.untranslated) == ["Geld", "week"]
    assert "Weekrooster" not in status.unreviewed and "Maatje" in status.unreviewed


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is niet geïnstalleerd")
def test_needs_review_survives_makemessages_and_is_still_used(tmp_path):
    """The marking is a translator comment: msgmerge (makemessages) keeps it, msgfmt compiles the translation."""
    po = _copy(tmp_path)
    pot = tmp_path / "new.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   '#: activities/pdf.py\nmsgid "Weekrooster"\nmsgstr ""\n', encoding="utf-8")
    merged = subprocess.run(["msgmerge", "-q", "--previous", str(po), str(pot)], capture_output=True, text=True,
                            check=True).stdout
    assert "# needs-review\n#: activities/pdf.py\nmsgid \"Weekrooster\"" in merged
    mo = tmp_path / "compiled.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as f:
        assert gettext.GNUTranslations(f).gettext("Weekrooster") == "الجدول الأسبوعي"


def test_django_uses_translations_that_need_review():
    entry = polib.pofile(str(catalogues.po_path("ti"))).find("maandag")
    assert catalogues.needs_review(entry)
    with translation.override("ti"):
        assert translation.gettext("maandag") == "ሰኑይ"


# --- The Vertalingen page ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_functional_administrator_sees_completeness_and_review_per_language(world, client_for):
    response = client_for(world.beheerder).get(reverse("core:translations"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vertalingen</h1>" in html and 'aria-current="page">Vertalingen</a>' in html
    for name in ("English", "العربية", "ትግርኛ", "Українська", "فارسی"):
        assert name in html
    total = catalogues.status("ar").total
    assert f"<td>{total}</td>" in html and f"<td>{total} (100%)</td>" in html and "<td>0 (0%)</td>" in html
    assert '<span lang="ar" dir="rtl">العربية</span>' in html
    assert "Vertaald, nog niet nagekeken" in html and f"En nog {total - 20} andere teksten." in html


@pytest.mark.django_db
def test_the_page_lists_what_is_left_to_translate(world, client_for, settings, tmp_path):
    for code in LANGUAGES:
        _copy(tmp_path, code)
    _edit(tmp_path / "uk" / "LC_MESSAGES" / "django.po", "Uitstapje", msgstr="")
    settings.LOCALE_PATHS = [tmp_path]
    html = client_for(world.beheerder).get(reverse("core:translations")).content.decode()
    assert "<li>Uitstapje</li>" in html


@pytest.mark.django_db
def test_other_roles_do_not_see_the_translations_page(world, client_for):
    for user in (world.regisseur, world.taaldocent, world.begeleider):
        assert client_for(user).get(reverse("core:translations")).status_code == 404
    html = client_for(world.regisseur).get(reverse("core:account")).content.decode()
    assert reverse("core:translations") not in html
