"""Inviting, activating, logging in and out of Mijn Koers; wrong, expired, reused and guessed codes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.core.models import AuditEvent, User
from koers.portal.models import Invitation, PortalAccount
from koers.portal.rules import codes
from koers.portal.services import accounts as services
from koers.portal.tests.conftest import PASSWORD

INVITE = "portal_staff:invite"


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext niet geïnstalleerd (apt-get install poppler-utils)")
    path = tmp_path / "brief.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _activate(client, username, code, password=PASSWORD, password2=None):
    return client.post(reverse("portal:activate"), {
        "username": username, "code": code, "password1": password, "password2": password2 or password,
    })


# --- The letter -------------------------------------------------------------------------------------------------

def test_the_regisseur_prints_a_letter_in_dutch_and_tigrinya_with_username_and_code(world, client_for, tmp_path):
    client = client_for(world.regisseur)
    page = client.get(reverse(INVITE, kwargs={"pk": world.participant.pk}))
    assert page.status_code == 200
    assert 'value="ti" selected' in page.content.decode()  # Nahom's first language is preselected
    response = client.post(reverse(INVITE, kwargs={"pk": world.participant.pk}), {"language": "ti"})
    assert response["Content-Type"] == "application/pdf"
    account = PortalAccount.objects.get(participant=world.participant)
    text = pdf_text(response.content, tmp_path)
    assert account.user.username in text
    assert "Mijn Koers" in text
    assert account.user.is_participant and not account.user.has_usable_password()
    # The code is in the letter, never in the database: only its hash.
    invitation = account.invitations.get()
    code = next(line.strip() for line in text.splitlines() if codes.normalise(line.strip()))
    assert code.replace("-", "") not in invitation.code_hash
    assert services.check_code(username=account.user.username, code=code) == invitation
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="toegang_verleend").exists()


def test_only_the_regisseur_of_the_regie_invites(world, client_for):
    url = reverse(INVITE, kwargs={"pk": world.participant.pk})
    assert client_for(world.taaldocent).get(url).status_code == 404
    assert client_for(world.taaldocent).post(url, {"language": "nl"}).status_code == 404
    assert client_for(world.andere_regisseur).get(url).status_code == 404
    assert not PortalAccount.objects.exists()


def test_a_new_letter_voids_the_old_code_and_unblocks(world, invitation, client_for):
    second = services.invite(participant=world.participant, by=world.regisseur)
    with pytest.raises(services.ActivationError) as error:
        services.check_code(username=invitation.account.user.username, code=invitation.code)
    assert error.value.code == "void"
    assert services.check_code(username=second.account.user.username, code=second.code) == second.invitation
    client = client_for(world.regisseur)
    client.post(reverse("portal_staff:block", kwargs={"pk": world.participant.pk}))
    user = User.objects.get(pk=invitation.account.user_id)
    assert not user.is_active
    with pytest.raises(services.ActivationError):
        services.check_code(username=user.username, code=second.code)
    services.invite(participant=world.participant, by=world.regisseur)
    user.refresh_from_db()
    assert user.is_active


# --- Activation -------------------------------------------------------------------------------------------------

def test_activation_with_the_code_sets_the_password_and_logs_in(world, client):
    invitation = services.invite(participant=world.participant, by=world.regisseur, language="ti")
    username = invitation.account.user.username
    response = _activate(client, username.upper(), invitation.code.lower().replace("-", " "))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert 'lang="ti"' in home.content.decode()
    account = PortalAccount.objects.get(pk=invitation.account.pk)
    assert account.activated_at is not None
    assert client.session.get_expiry_age() <= 15 * 60
    event = AuditEvent.objects.filter(participant_id=world.participant.pk, user_id=account.user_id).first()
    assert event.legal_basis == "betrokkene" and event.organisation_id is None


@pytest.mark.parametrize("case", ["used", "expired", "wrong_user", "malformed"])
def test_a_code_that_does_not_work_says_why_and_changes_nothing(world, invitation, client, case):
    username, code = invitation.account.user.username, invitation.code
    if case == "used":
        _activate(client, username, code)
        client.logout()
    elif case == "expired":
        Invitation.objects.filter(pk=invitation.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "wrong_user":
        username = "iemand.1234"
    else:
        code = "<script>"
    before = User.objects.get(pk=invitation.account.user_id).password
    response = _activate(client, username, code, password="een ander lang wachtwoord")
    assert response.status_code == 200
    body = response.content.decode()
    expected = {"used": "al gebruikt", "expired": "verlopen", "wrong_user": "klopt niet",
                "malformed": "klopt niet"}[case]
    assert expected in body
    assert User.objects.get(pk=invitation.account.user_id).password == before
    assert "_auth_user_id" not in client.session


def test_guessing_codes_voids_the_invitation_after_five_tries(world, invitation, client):
    username = invitation.account.user.username
    for _ in range(5):
        response = _activate(client, username, codes.new_code())
        assert "klopt niet" in response.content.decode()
    # Even the right code no longer works: the letter is void, the regisseur makes a new one.
    response = _activate(client, username, invitation.code)
    assert "werkt niet meer" in response.content.decode()
    assert not User.objects.get(pk=invitation.account.user_id).has_usable_password()


def test_activation_is_throttled_per_address(world, invitation, client, settings):
    settings.KOERS_PORTAL_ACTIVATION_LIMIT_PER_IP = 2
    for _ in range(2):
        _activate(client, "iemand.1234", codes.new_code())
    response = _activate(client, invitation.account.user.username, invitation.code)
    assert "te vaak" in response.content.decode()
    assert PortalAccount.objects.get(pk=invitation.account.pk).activated_at is None


def test_a_too_weak_password_is_refused_in_the_participants_language(world, invitation, client):
    response = _activate(client, invitation.account.user.username, invitation.code, password="kort")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "te kort" in response.content.decode()
    assert PortalAccount.objects.get(pk=invitation.account.pk).activated_at is None
    mismatch = _activate(client, invitation.account.user.username, invitation.code, password2="iets anders dan dit")
    assert "niet hetzelfde" in mismatch.content.decode()


# --- Logging in and out -----------------------------------------------------------------------------------------

def test_login_and_logout(world, account, client):
    response = client.post(reverse("portal:login"), {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    out = client.post(reverse("portal:logout"))
    assert out.status_code == 302 and "uitgelogd=1" in out["Location"]
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("portal:login"))


def test_a_staff_account_cannot_log_in_to_the_portal_nor_a_participant_to_the_staff_side(world, account, client):
    world.regisseur.set_password(PASSWORD)
    world.regisseur.save()
    response = client.post(reverse("portal:login"), {"username": "regisseur", "password": PASSWORD})
    assert response.status_code == 200 and "klopt niet" in response.content.decode()
    staff = client.post(reverse("login"), {"username": account.user.username, "password": PASSWORD})
    assert staff.status_code == 200 and "account voor Mijn Koers" in staff.content.decode()
    assert "_auth_user_id" not in client.session


def test_too_many_wrong_passwords_lock_the_portal_login_with_its_own_page(world, account, client):
    for _ in range(5):
        client.post(reverse("portal:login"), {"username": account.user.username, "password": "fout"})
    response = client.post(reverse("portal:login"), {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "U kunt even niet inloggen" in body and "Mijn Koers" in body
    assert "_auth_user_id" not in client.session


def test_a_blocked_account_cannot_log_in(world, account, client):
    services.block(account=account, by=world.regisseur)
    response = client.post(reverse("portal:login"), {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_absurdly_long_username_is_a_wrong_login_not_an_error(world, client):
    response = client.post(reverse("portal:login"), {"username": "x" * 100_000, "password": "x" * 1000})
    assert response.status_code == 200 and "klopt niet" in response.content.decode()


@pytest.mark.parametrize(("language", "words"), [("ar", ["الرمز", "صالح"]), ("ti", ["ኮድ", "መሕለፊ"])])
def test_the_letter_renders_arabic_and_geez_script(world, tmp_path, language, words):
    from koers.portal import pdf

    new = services.invite(participant=world.participant, by=world.regisseur, language=language)
    content = pdf.letter_pdf(participant=world.participant, username=new.account.user.username, code=new.code,
                             expires_at=new.invitation.expires_at, language=language,
                             link="https://koers.example/mijn/activeren/", organisation_name="Gemeente Rivierstad")
    text = pdf_text(content, tmp_path)
    assert "Uw eigen pagina: Mijn Koers" in text  # the Dutch letter first
    for word in words:
        assert word in text, f"{word!r} not in the {language} letter"
