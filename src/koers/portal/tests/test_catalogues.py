"""The portal speaks every catalogue language (the catalogues themselves: core/tests/test_translations.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


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
