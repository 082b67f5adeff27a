"""TOTP two-factor authentication (django-otp): set-up, verification, enforcement."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.core.codes import Role
from koers.core.tests.factories import PASSWORD, OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; these tests are not about hashing (test_auth.py keeps argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.KOERS_REQUIRE_2FA = True


@pytest.fixture
def staff(db):
    return make_user(OrganisationFactory(name="Gemeente Testdorp"), Role.BEHEERDER, username="bea")


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the authenticator app shows now (``offset`` steps later for a second, unused code)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_without_a_device_every_page_leads_to_setup(client, staff):
    client.force_login(staff)
    for url in (reverse("core:account"), reverse("core:organisation_list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup") + "?next=")


def test_with_a_device_every_page_leads_to_verification(client, staff):
    confirmed_device(staff)
    client.force_login(staff)
    response = client.get(reverse("core:organisation_list"))
    assert response.status_code == 302
    expected = f"{reverse('two_factor_verify')}?{urlencode({'next': reverse('core:organisation_list')})}"
    assert response["Location"] == expected


def test_password_login_then_code(client, staff):
    device = confirmed_device(staff)
    response = client.post(reverse("login"), {"username": "bea", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"token": code_for(device), "next": "/account/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.get(reverse("core:account")).status_code == 200


def test_setup_shows_inline_qr_svg_and_secret_and_confirms_with_a_real_code(client, staff):
    client.force_login(staff)
    response = client.get(reverse("two_factor_setup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    assert "style=" not in html  # the CSP forbids inline styles
    assert "<img" not in html
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert secret.replace(" ", "") == device.config_url.split("secret=")[1].split("&")[0]
    # Reloading the page keeps the same secret (the app the user just scanned keeps working).
    client.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    response = client.post(reverse("two_factor_setup"), {"token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account")
    device.refresh_from_db()
    assert device.confirmed
    response = client.get(reverse("core:account"))
    assert response.status_code == 200
    assert "Ingesteld" in response.content.decode()


def test_setup_honours_safe_next(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(reverse("two_factor_setup"), {"token": code_for(device), "next": "/beheer/organisaties/"})
    assert response["Location"] == "/beheer/organisaties/"


def test_wrong_code_is_refused_in_dutch(client, staff):
    device = confirmed_device(staff)
    client.force_login(staff)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two_factor_verify"), {"token": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deze code klopt niet" in html
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert client.get(reverse("core:account")).status_code == 302


def test_malformed_code_is_refused_in_dutch(client, staff):
    confirmed_device(staff)
    client.force_login(staff)
    response = client.post(reverse("two_factor_verify"), {"token": "12ab"})
    assert "Een code bestaat uit 6 cijfers" in response.content.decode()
    response = client.post(reverse("two_factor_verify"), {"token": ""})
    assert "Vul de code van 6 cijfers uit de app in." in response.content.decode()


def test_wrong_code_at_setup_does_not_confirm(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two_factor_setup"), {"token": wrong})
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_repeated_wrong_codes_are_throttled(client, staff):
    device = confirmed_device(staff)
    client.force_login(staff)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("two_factor_verify"), {"token": wrong})
    # Straight after a failure even the right code waits: guessing 10^6 codes is not an option.
    response = client.post(reverse("two_factor_verify"), {"token": code_for(device)})
    assert "te vaak een verkeerde code" in response.content.decode()


def test_unsafe_next_is_ignored(client, staff):
    device = confirmed_device(staff)
    client.force_login(staff)
    response = client.post(
        reverse("two_factor_verify"), {"token": code_for(device), "next": "https://evil.example/steal"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_password_alone_cannot_replace_the_second_factor(client, staff):
    """Someone who only knows the password must not be able to register their own app."""
    device = confirmed_device(staff)
    client.force_login(staff)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_setup"), {"token": "123456"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


def test_verified_user_can_replace_the_app(client, staff):
    old = confirmed_device(staff)
    client.force_login(staff)
    client.post(reverse("two_factor_verify"), {"token": code_for(old)})
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 200
    assert "werkt uw oude app niet meer" in response.content.decode()
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"token": code_for(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=staff)) == [new]


def test_verify_without_device_goes_to_setup(client, staff):
    client.force_login(staff)
    response = client.get(reverse("two_factor_verify"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_logout_is_possible_before_verification(client, staff):
    confirmed_device(staff)
    client.force_login(staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_reset_by_beheerder_forces_new_setup(client, staff):
    colleague = make_user(staff.organisation, Role.REGISSEUR, username="rita")
    device = confirmed_device(colleague)
    client.force_login(staff)
    client.get(reverse("two_factor_setup"))  # the beheerder sets up their own app first
    own = TOTPDevice.objects.get(user=staff)
    client.post(reverse("two_factor_setup"), {"token": code_for(own)})

    response = client.post(reverse("core:user_reset_2fa", args=[colleague.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()

    client.force_login(colleague)
    response = client.get(reverse("core:account"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
