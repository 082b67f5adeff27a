"""A staff member's own interface language (issue 13, item 7: "Staff pages get the same machinery"): Dutch by
default, English on request on "Mijn account"; never the browser's Accept-Language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from koers.core import catalogues
from koers.core.models import User
from koers.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ENGLISH_SHELL = ['<html lang="en" dir="ltr">', ">My account</a>", ">Log out</button>", ">Participants</a>",
                 ">Case meetings</a>", "Skip to content", 'aria-label="Main menu"']
DUTCH_SHELL = ['<html lang="nl" dir="ltr">', ">Mijn account</a>", ">Uitloggen</button>", ">Deelnemers</a>",
               ">Casusoverleg</a>", "Naar de inhoud", 'aria-label="Hoofdmenu"']


def _choose(client, language):
    return client.post(reverse("core:account"), {"interface_language": language})


def test_a_new_staff_member_reads_dutch(world, client_for):
    assert world.regisseur.interface_language == "nl"
    html = client_for(world.regisseur).get(reverse("core:account")).content.decode()
    assert all(text in html for text in DUTCH_SHELL)
    assert '<option value="nl" selected>Nederlands</option>' in html


def test_choosing_english_on_my_account_switches_the_shell(world, client_for):
    client = client_for(world.regisseur)
    response = _choose(client, "en")
    assert response.status_code == 302 and response.url == reverse("core:account")
    world.regisseur.refresh_from_db()
    assert world.regisseur.interface_language == "en"
    html = client.get(reverse("core:account")).content.decode()
    assert all(text in html for text in ENGLISH_SHELL), html
    assert "The language of Koers has been changed." in html  # the confirmation, already in English
    assert "<h1>My account</h1>" in html and '<option value="en" selected>English</option>' in html
    # Other staff pages get the English shell too (their own texts stay Dutch for now).
    caseload = client.get(reverse("casework:caseload")).content.decode()
    assert '<html lang="en" dir="ltr">' in caseload and ">Action items</a>" in caseload
    # And back to Dutch.
    _choose(client, "nl")
    assert all(text in client.get(reverse("core:account")).content.decode() for text in DUTCH_SHELL)


def test_another_staff_member_stays_dutch(world, client_for, client):
    world.regisseur.interface_language = "en"
    world.regisseur.save(update_fields=["interface_language"])
    assert '<html lang="en"' in client_for(world.regisseur).get(reverse("core:account")).content.decode()
    client.logout()
    html = client_for(world.taaldocent).get(reverse("core:account")).content.decode()
    assert all(text in html for text in DUTCH_SHELL)


def test_the_browser_alone_never_changes_a_staff_page(world, client_for):
    """Accept-Language is ignored both ways: Dutch stays Dutch, and a chosen English stays English."""
    client = client_for(world.regisseur)
    html = client.get(reverse("core:account"), HTTP_ACCEPT_LANGUAGE="en,ar;q=0.8").content.decode()
    assert all(text in html for text in DUTCH_SHELL)
    _choose(client, "en")
    html = client.get(reverse("core:account"), HTTP_ACCEPT_LANGUAGE="nl,ar;q=0.8").content.decode()
    assert '<html lang="en" dir="ltr">' in html


@pytest.mark.parametrize("bad", ["xx", "ar", "fa", "", "en" * 50])
def test_an_unknown_language_is_a_form_error_and_changes_nothing(world, client_for, bad):
    """Participants' languages (Arabic, Farsi) are not staff languages: the staff pages have no translation."""
    client = client_for(world.regisseur)
    response = _choose(client, bad)
    assert response.status_code == 200
    html = response.content.decode()
    message = "Kies een taal." if bad == "" else "Deze taal is er niet. Kies Nederlands of English."
    assert f'id="id_interface_language_error"><li><span class="visually-hidden">Fout: </span>{message}' in html
    assert 'aria-invalid="true"' in html and "Er is iets niet goed ingevuld" in html
    assert "<title>Fout: Mijn account · Koers</title>" in html
    world.regisseur.refresh_from_db()
    assert world.regisseur.interface_language == "nl"


def test_the_form_error_is_in_the_chosen_language(world, client_for):
    world.regisseur.interface_language = "en"
    world.regisseur.save(update_fields=["interface_language"])
    html = _choose(client_for(world.regisseur), "xx").content.decode()
    assert "This language is not available. Choose Nederlands or English." in html
    world.regisseur.refresh_from_db()
    assert world.regisseur.interface_language == "en"


def test_the_account_page_needs_a_login(client):
    response = client.post(reverse("core:account"), {"interface_language": "en"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_participants_account_cannot_choose_a_staff_language(world, client):
    """A portal account is confined to /mijn/ (the POST goes nowhere) and the service refuses it too; the
    middleware never applies a staff language to it, whatever is stored."""
    from django.core.exceptions import ValidationError

    from koers.core.services import auth as services

    user = User.objects.create_user("deelnemer-1", password=PASSWORD, is_participant=True)
    client.force_login(user)
    response = client.post(reverse("core:account"), {"interface_language": "en"})
    assert response.status_code == 302 and response.url == "/mijn/"
    user.refresh_from_db()
    assert user.interface_language == "nl"
    with pytest.raises(ValidationError):
        services.set_interface_language(user, language="en")


def test_the_language_is_put_back_after_the_request(world, client_for):
    """The next request on the same worker thread (another user, or a participant page) starts in Dutch."""
    client = client_for(world.regisseur)
    _choose(client, "en")
    client.get(reverse("core:account"))
    assert translation.get_language() in (None, "nl")


def test_staff_texts_count_only_in_the_staff_languages_catalogues():
    """The staff shell is translated into English; Arabic, Tigrinya, Ukrainian and Farsi (participants'
    languages) need not translate it, and their completeness ignores it."""
    english = catalogues.load(catalogues.po_path("en"))
    staff = [entry for entry in english if entry.msgctxt == catalogues.STAFF_CONTEXT and not entry.obsolete]
    assert len(staff) > 60 and all(entry.translated() for entry in staff)
    arabic = catalogues.load(catalogues.po_path("ar"))
    untranslated_staff = [entry for entry in arabic if entry.msgctxt == catalogues.STAFF_CONTEXT
                          and not entry.translated()]
    assert untranslated_staff  # left alone on purpose ...
    assert catalogues.status("ar").untranslated == []  # ... and not counted as missing
    assert catalogues.status("en").total > catalogues.status("ar").total


def test_changing_the_password_in_english(world, client_for):
    world.regisseur.interface_language = "en"
    world.regisseur.save(update_fields=["interface_language"])
    client = client_for(world.regisseur)
    html = client.get(reverse("core:password_change")).content.decode()
    assert "<h1>Change password</h1>" in html and ">Save password</button>" in html
    short = client.post(reverse("core:password_change"), {
        "old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"}).content.decode()
    assert "This password is too short. Choose a password of at least 12 characters." in short
    world.regisseur.refresh_from_db()
    assert world.regisseur.check_password(PASSWORD)
    new = "een nieuwe lange zin voor Rita"
    response = client.post(reverse("core:password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new}, follow=True)
    assert "Your password has been changed." in response.content.decode()
