"""Logging in and out, lockout after failed attempts, password reset and password change."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.core.codes import Role
from koers.core.tests.factories import PASSWORD, OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-lange-nieuwe-zin-voor-koers"


@pytest.fixture
def staff(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # what production uses
    return make_user(OrganisationFactory(name="Gemeente Testdorp"), Role.BEHEERDER, username="bea",
                     email="bea@testdorp.nl")


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/wachtwoord-kiezen/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_login_page_is_dutch_and_labelled(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl" dir="ltr">' in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert reverse("password_reset") in html
    assert "style=" not in html


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("core:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_with_right_password(client, staff):
    assert staff.password.startswith("argon2$")
    response = _login(client, "bea", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("core:account")).status_code == 200


def test_wrong_password_shows_dutch_error_summary(client, staff):
    response = _login(client, "bea", "verkeerd")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "Inloggen is niet gelukt" in html
    assert "wachtwoord" in html.lower()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_logs_out(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failed_logins(client, staff, settings):
    settings.AXES_ENABLED = True
    for _ in range(4):
        assert _login(client, "bea", "verkeerd").status_code == 200
    response = _login(client, "bea", "verkeerd")
    assert response.status_code == 429
    # Even the right password is refused during the lockout, and the page says what to do.
    response = _login(client, "bea", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in html
    # A short cool-off (15 minutes, no longer the old hour), and the page says from when on it works again.
    until = timezone.localtime(timezone.now() + timedelta(minutes=15))
    assert re.search(r"inloggen vanaf\s*<strong>(\d\d:\d\d) uur</strong>", html).group(1) in {
        until.strftime("%H:%M"), (until - timedelta(minutes=1)).strftime("%H:%M")}
    assert "een uur" not in html
    assert "functioneel beheerder" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user(client, staff):
    other = make_user(staff.organisation, Role.REGISSEUR, username="rita")
    for _ in range(5):
        _login(client, "bea", "verkeerd")
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_password_reset_mail_and_link_work(client, staff):
    response = client.post(reverse("password_reset"), {"email": "BEA@testdorp.nl"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bea@testdorp.nl"]
    assert message.subject == "Nieuw wachtwoord voor Koers"
    link = _reset_link(message)

    response = client.get(link, follow=True)
    assert "Kies een nieuw wachtwoord" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert _login(client, "bea", NEW_PASSWORD).status_code == 302
    # The link works once.
    client.post(reverse("logout"))
    assert "Deze link werkt niet meer" in client.get(link, follow=True).content.decode()


def test_password_reset_refuses_a_weak_password_in_dutch(client, staff):
    client.post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    response = client.get(_reset_link(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "te kort" in html
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, staff):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_reaches_account_that_never_chose_a_password(client, staff):
    staff.set_unusable_password()
    staff.save()
    client.post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    assert len(mail.outbox) == 1


def test_password_reset_not_for_deactivated_account(client, staff):
    staff.is_active = False
    staff.save()
    client.post(reverse("password_reset"), {"email": "bea@testdorp.nl"})
    assert mail.outbox == []


def test_password_reset_form_error_is_dutch(client):
    response = client.post(reverse("password_reset"), {"email": "geen-adres"})
    html = response.content.decode()
    assert "Vul een geldig e-mailadres in" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html


def test_password_change(client, staff):
    client.force_login(staff)
    url = reverse("core:password_change")
    response = client.post(url, {"old_password": "fout", "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:account")
    assert "Uw wachtwoord is gewijzigd." in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


def test_account_page_shows_name_organisation_roles_and_2fa_status(client, staff):
    client.force_login(staff)
    html = client.get(reverse("core:account")).content.decode()
    assert "Gemeente Testdorp" in html
    assert "Functioneel beheerder" in html
    assert "Niet ingesteld" in html
    assert reverse("core:password_change") in html
    assert reverse("two_factor_setup") in html
