"""The translation catalogues: compiled files match their sources, and the portal speaks every language."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language, tmp_path):
    """`make messages` compiles the .po files; a .po edited without compiling is caught here (msgfmt also fails
    on a syntax error or a broken %(name)s placeholder)."""
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt niet geïnstalleerd (apt-get install gettext)")
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(source)], check=True)
    assert compiled.read_bytes() == (source.with_suffix(".mo")).read_bytes(), (
        f"{source} is changed but not compiled: run `make messages`")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_translates_the_portal_menu(language):
    with translation.override(language):
        assert translation.gettext("Mijn week") != "Mijn week"
        assert translation.gettext("Uitloggen") != "Uitloggen"


def test_the_login_page_is_in_the_chosen_language_with_the_right_direction(db):
    client = Client()
    arabic = client.get(reverse("portal:login") + "?taal=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic and "تسجيل الدخول" in arabic
    tigrinya = client.get(reverse("portal:login") + "?taal=ti").content.decode()
    assert 'lang="ti" dir="ltr"' in tigrinya and "እቶ" in tigrinya
    # The choice is remembered for the form's POST (a cookie), and a staff page stays Dutch.
    assert 'lang="ti"' in client.get(reverse("portal:activate")).content.decode()
    assert 'lang="nl"' in client.get(reverse("login")).content.decode()
