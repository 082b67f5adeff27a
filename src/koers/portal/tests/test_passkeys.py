"""Passkeys on Mijn Koers: adding one after logging in, logging in with it, and every way it must not work."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from koers.core.models import AuditEvent
from koers.portal.models import Passkey
from koers.portal.tests.softkey import SoftPasskey


def _options(client, name: str) -> dict:
    response = client.post(reverse(name))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def _add(client, key: SoftPasskey, name: str = "Mijn telefoon"):
    options = _options(client, "portal:passkey_add_options")
    return client.post(reverse("portal:passkeys"), {"name": name, "credential": key.register(options)})


def _login(client, key: SoftPasskey, **sign):
    options = _options(client, "portal:passkey_login_options")
    return client.post(reverse("portal:passkey_login"), {"credential": key.sign(options, **sign)})


def _logged_in_user(client):
    return client.session.get(SESSION_KEY)


@pytest.fixture
def key(portal_client, account):
    """Nahom's phone, with a passkey added on the passkeys page; then he logs out."""
    phone = SoftPasskey()
    response = _add(portal_client, phone)
    assert response.status_code == 302 and response["Location"] == reverse("portal:passkeys")
    portal_client.post(reverse("portal:logout"))
    return phone


def test_a_participant_adds_a_passkey_sees_it_and_logs_in_with_it(portal_client, account, client):
    page = portal_client.get(reverse("portal:passkeys"))
    assert "U heeft nog geen passkey." in page.content.decode()
    phone = SoftPasskey()
    response = _add(portal_client, phone, name="Telefoon")
    assert response.status_code == 302
    passkey = Passkey.objects.get(account=account)
    assert passkey.name == "Telefoon" and passkey.credential_id == phone.id
    page = portal_client.get(reverse("portal:passkeys")).content.decode()
    assert "Telefoon" in page and "De passkey is toegevoegd" in page
    assert AuditEvent.objects.filter(participant_id=account.participant_id, detail="Mijn Koers: passkey toegevoegd",
                                     legal_basis="betrokkene").exists()

    portal_client.post(reverse("portal:logout"))
    response = _login(client, phone)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert str(_logged_in_user(client)) == str(account.user.pk)
    assert client.get(reverse("portal:home")).status_code == 200
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None and passkey.sign_count == 1
    assert AuditEvent.objects.filter(participant_id=account.participant_id, detail="Mijn Koers: ingelogd met passkey",
                                     user=account.user).exists()


def test_the_login_page_offers_the_passkey_only_to_javascript_and_the_passkeys_page_is_linked(portal_client):
    from django.test import Client

    page = Client().get(reverse("portal:login")).content.decode()
    assert 'id="passkey-login" hidden' in page and "portal/passkey" in page
    assert "Inloggen met passkey" in page
    assert reverse("portal:passkeys") in portal_client.get(reverse("portal:my_data")).content.decode()


def test_a_replayed_answer_does_not_log_in_again(key, client, account):
    options = _options(client, "portal:passkey_login_options")
    answer = key.sign(options)
    assert client.post(reverse("portal:passkey_login"), {"credential": answer}).status_code == 302
    client.post(reverse("portal:logout"))
    replay = client.post(reverse("portal:passkey_login"), {"credential": answer})
    assert replay.status_code == 400
    assert "Dat duurde te lang" in replay.content.decode()
    assert _logged_in_user(client) is None
    # A new challenge in the session does not make the old answer good either.
    _options(client, "portal:passkey_login_options")
    replay = client.post(reverse("portal:passkey_login"), {"credential": answer})
    assert replay.status_code == 400 and _logged_in_user(client) is None
    assert "Inloggen met de passkey is niet gelukt" in replay.content.decode()


def test_an_answer_to_another_sessions_challenge_is_refused(key, client):
    from django.test import Client

    other = Client()
    foreign = _options(other, "portal:passkey_login_options")  # the challenge of another browser (a phisher's)
    _options(client, "portal:passkey_login_options")
    response = client.post(reverse("portal:passkey_login"), {"credential": key.sign(foreign)})
    assert response.status_code == 400 and _logged_in_user(client) is None
    assert AuditEvent.objects.filter(action="geweigerd", detail__startswith="Inloggen met passkey").exists()


def test_an_answer_for_another_origin_is_refused(key, client):
    response = _login(client, key, origin="https://mijn-koers.phishing.example")
    assert response.status_code == 400 and _logged_in_user(client) is None


def test_another_accounts_credential_does_not_open_that_account(key, client, other_account):
    samira_phone = SoftPasskey()
    Passkey.objects.create(account=other_account, credential_id=samira_phone.id, public_key=b"\x00", name="Samira")
    theirs = Passkey.objects.get(account=other_account)
    # Nahom's phone signs, but names Samira's credential: the signature does not match her public key.
    response = _login(client, key, credential_id=theirs.credential_id)
    assert response.status_code == 400 and _logged_in_user(client) is None
    assert AuditEvent.objects.filter(action="geweigerd", participant_id=other_account.participant_id).exists()


def test_a_credential_already_added_by_another_account_cannot_be_added_again(portal_client, account, other_account):
    phone = SoftPasskey()
    Passkey.objects.create(account=other_account, credential_id=phone.id, public_key=b"\x00", name="Samira")
    response = _add(portal_client, phone)
    assert response.status_code == 400
    assert "Deze passkey heeft u al toegevoegd." in response.content.decode()
    assert not Passkey.objects.filter(account=account).exists()


def test_an_add_without_a_challenge_or_with_a_bad_answer_saves_nothing(portal_client, account):
    phone = SoftPasskey()
    options = _options(portal_client, "portal:passkey_add_options")
    answer = phone.register(options)
    response = portal_client.post(reverse("portal:passkeys"), {"name": "x", "credential": "{nonsense"})
    assert response.status_code == 400
    # The challenge was used up by the failed try: the good answer now comes too late.
    response = portal_client.post(reverse("portal:passkeys"), {"name": "x", "credential": answer})
    assert response.status_code == 400 and "Dat duurde te lang" in response.content.decode()
    assert not Passkey.objects.exists()


def test_a_blocked_account_cannot_log_in_with_its_passkey(key, client, account, world):
    from koers.portal.services import accounts

    accounts.block(account=account, by=world.regisseur)
    response = _login(client, key)
    assert response.status_code == 400 and _logged_in_user(client) is None
    assert "Dit account is geblokkeerd" in response.content.decode()


def test_too_many_passkey_tries_from_one_address_are_refused(key, client, settings):
    settings.KOERS_PORTAL_PASSKEY_LIMIT_PER_IP = 2
    for _ in range(2):
        assert _login(client, key, origin="https://elders.example").status_code == 400
    response = _login(client, key)
    assert response.status_code == 429 and _logged_in_user(client) is None
    assert "te vaak geprobeerd" in response.content.decode()


def test_the_participant_removes_a_passkey_and_can_no_longer_log_in_with_it(key, client, account):
    client.force_login(account.user)
    passkey = Passkey.objects.get(account=account)
    url = reverse("portal:passkey_remove", kwargs={"passkey_id": passkey.pk})
    assert "Passkey verwijderen" in client.get(url).content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()  # a GET only asks
    assert client.post(url).status_code == 302
    assert not Passkey.objects.filter(pk=passkey.pk).exists()
    client.post(reverse("portal:logout"))
    response = _login(client, key)
    assert response.status_code == 400 and "Deze passkey kennen wij niet" in response.content.decode()


def test_staff_cannot_use_the_passkey_login_and_the_setting_switches_it_off(world, client_for, client, account,
                                                                            settings):
    staff = client_for(world.regisseur)
    assert staff.post(reverse("portal:passkey_login_options")).status_code == 404
    settings.KOERS_PORTAL_LOGIN_METHODS = ("password",)
    assert client.post(reverse("portal:passkey_login_options")).status_code == 404
    assert "passkey-login" not in client.get(reverse("portal:login")).content.decode()
    client.force_login(account.user)
    assert client.get(reverse("portal:passkeys")).status_code == 404


def test_the_passkey_pages_speak_the_participants_language(portal_client, account):
    account.language = "ar"
    account.save(update_fields=["language"])
    response = portal_client.get(reverse("portal:passkeys"))
    assert response["Content-Language"] == "ar" and 'dir="rtl"' in response.content.decode()
