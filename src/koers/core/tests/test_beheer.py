"""The functional administrator's pages: organisations, staff, roles, accounts (beheer)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.core.codes import OrganisationKind, Role
from koers.core.models import AuditEvent, Organisation, User, UserRole
from koers.core.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; these tests are not about hashing (test_auth.py keeps argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root(db):
    """The platform administrator (a Django superuser, no organisation)."""
    return User.objects.create_superuser("root", "root@example.org", "x-very-long-password")


def beheer_urls(w) -> list[str]:
    member = w.regisseur
    org = w.gemeente
    return [
        reverse("core:organisation_list"),
        reverse("core:organisation_create"),
        reverse("core:organisation_detail", args=[org.pk]),
        reverse("core:organisation_update", args=[org.pk]),
        reverse("core:user_create", args=[org.pk]),
        reverse("core:user_update", args=[member.pk]),
        reverse("core:user_deactivate", args=[member.pk]),
        reverse("core:user_reactivate", args=[member.pk]),
        reverse("core:user_send_reset", args=[member.pk]),
        reverse("core:user_reset_2fa", args=[member.pk]),
    ]


def user_data(org: Organisation, **overrides) -> dict:
    data = {
        "username": "nieuw",
        "first_name": "Noor",
        "last_name": "de Vries",
        "email": "noor@rivierstad.nl",
        "phone": "",
        "organisation": org.pk,
        "roles": [Role.REGISSEUR],
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def quick_user(org: Organisation, *roles: str, username: str, **kwargs) -> User:
    """A staff member without hashing a password (argon2 is slow on purpose), for bulk data."""
    user = User(username=username, first_name=username, email=f"{username}@example.org", organisation=org,
                **kwargs)
    user.set_unusable_password()
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
    return user


def roles_of(user) -> set[str]:
    return set(UserRole.objects.filter(user=user).values_list("role", flat=True))


# --- Access: hidden pages are a 404 ---------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["regisseur", "taaldocent"])
def test_non_beheerders_get_404_on_every_beheer_url(client_for, world, who):
    client = client_for(getattr(world, who))
    for url in beheer_urls(world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x"}).status_code == 404, url
    assert Organisation.objects.count() == 4
    world.regisseur.refresh_from_db()
    assert world.regisseur.is_active


def test_anonymous_is_sent_to_login(client, world):
    for url in beheer_urls(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_beheerder_and_superuser_get_in(client_for, world):
    assert client_for(world.beheerder).get(reverse("core:organisation_list")).status_code == 200
    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    assert client_for(root).get(reverse("core:organisation_list")).status_code == 200


def test_beheerder_cannot_edit_a_superuser(client_for, world):
    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-password",
                                         organisation=world.gemeente)
    client = client_for(world.beheerder)
    assert client.get(reverse("core:user_update", args=[root.pk])).status_code == 404
    assert client.post(reverse("core:user_send_reset", args=[root.pk])).status_code == 404
    assert "root@example.org" not in client.get(
        reverse("core:organisation_detail", args=[world.gemeente.pk])
    ).content.decode()


# --- Organisations -------------------------------------------------------------------------------------------

def test_organisation_list_shows_kind_and_active_staff(client_for, world):
    quick_user(world.gemeente, Role.BEGELEIDER, username="oud", is_active=False)
    html = client_for(world.beheerder).get(reverse("core:organisation_list")).content.decode()
    row = re.search(r"Gemeente Rivierstad</a></th>(.*?)</tr>", html, re.S).group(1)
    assert "Gemeente" in row
    assert "<td>2</td>" in row  # regisseur and beheerder; the deactivated member does not count


def test_organisation_list_filters_by_kind(client_for, world, root):
    client = client_for(root)
    html = client.get(reverse("core:organisation_list"), {"kind": OrganisationKind.TAALAANBIEDER}).content.decode()
    assert ">Taalhuis Rivierland</a>" in html
    assert ">Gemeente Rivierstad</a>" not in html
    html = client.get(reverse("core:organisation_list"), {"kind": OrganisationKind.WERKGEVER}).content.decode()
    assert "Er zijn geen organisaties van deze soort" in html


def test_organisation_list_query_count_is_flat(client_for, world, root, django_assert_max_num_queries):
    client = client_for(root)
    with django_assert_max_num_queries(7):
        client.get(reverse("core:organisation_list"))
    for i in range(15):
        org = OrganisationFactory(name=f"Extra {i}", kind=OrganisationKind.OVERIG)
        quick_user(org, Role.BEGELEIDER, username=f"b{i}")
        quick_user(org, Role.JOBCOACH, username=f"j{i}")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("core:organisation_list"))
    assert "Extra 14" in response.content.decode()


def test_create_organisation(client_for, world, root):
    client = client_for(root)
    assert client.get(reverse("core:organisation_create")).status_code == 200
    response = client.post(reverse("core:organisation_create"), {
        "name": "VluchtelingenWerk Rivierstad", "kind": OrganisationKind.MAATSCHAPPELIJK, "municipality": "Rivierstad",
        "email": "", "phone": "", "is_active": "on",
    }, follow=True)
    org = Organisation.objects.get(name="VluchtelingenWerk Rivierstad")
    assert response.redirect_chain[-1][0] == reverse("core:organisation_detail", args=[org.pk])
    html = response.content.decode()
    assert "Organisatie VluchtelingenWerk Rivierstad is aangemaakt." in html
    assert "Nog geen medewerkers. " in html and "Voeg de eerste toe." in html


def test_create_organisation_errors_are_dutch_and_save_nothing(client_for, world, root):
    client = client_for(root)
    response = client.post(reverse("core:organisation_create"), {
        "name": "gemeente rivierstad", "kind": "", "email": "geen-adres",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "Er is al een organisatie met deze naam" in html
    assert "Kies de soort organisatie." in html
    assert "Vul een geldig e-mailadres in" in html
    assert '<a href="#id_kind">' in html
    assert Organisation.objects.count() == 4


def test_update_organisation(client_for, world, root):
    client = client_for(root)
    url = reverse("core:organisation_update", args=[world.taal.pk])
    assert "Taalhuis Rivierland" in client.get(url).content.decode()
    response = client.post(url, {"name": "Taalhuis Rivierland-Oost", "kind": OrganisationKind.TAALAANBIEDER,
                                 "municipality": "", "email": "info@taalhuis.nl", "phone": ""}, follow=True)
    world.taal.refresh_from_db()
    assert world.taal.name == "Taalhuis Rivierland-Oost"
    assert not world.taal.is_active  # the checkbox was left empty
    assert "zijn opgeslagen" in response.content.decode()


def test_organisation_detail_lists_staff_with_roles(client_for, world, django_assert_max_num_queries):
    client = client_for(world.beheerder)
    url = reverse("core:organisation_detail", args=[world.gemeente.pk])
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "Regisseur (klantmanager)" in html and "Functioneel beheerder" in html
    for i in range(12):
        quick_user(world.gemeente, Role.BEGELEIDER, Role.JOBCOACH, username=f"extra{i}")
    TOTPDevice.objects.create(user=world.regisseur, name="app", confirmed=True)
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "extra11" in html
    assert "Jobcoach" in html


# --- Staff ---------------------------------------------------------------------------------------------------

def test_create_user_sends_activation_link_that_works(client_for, client, world):
    admin_client = client_for(world.beheerder)
    url = reverse("core:user_create", args=[world.gemeente.pk])
    html = admin_client.get(url).content.decode()
    assert f'<option value="{world.gemeente.pk}" selected>' in html
    assert "<legend>Rollen" in html
    response = admin_client.post(url, user_data(world.gemeente, roles=[Role.REGISSEUR, Role.BEGELEIDER]),
                                 follow=True)
    user = User.objects.get(username="nieuw")
    assert response.redirect_chain[-1][0] == reverse("core:organisation_detail", args=[world.gemeente.pk])
    assert "Medewerker Noor de Vries is aangemaakt." in response.content.decode()
    assert roles_of(user) == {Role.REGISSEUR, Role.BEGELEIDER}
    assert user.organisation == world.gemeente
    assert not user.has_usable_password()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@rivierstad.nl"]
    assert "activatielink" in message.body
    assert "nieuw" in message.body  # the username
    path = re.search(r"https?://[^/\s]+(/wachtwoord-kiezen/\S+/)", message.body).group(1)

    admin_client.post(reverse("logout"))
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    password = "mijn-eigen-lange-wachtwoord"
    client.post(form_url, {"new_password1": password, "new_password2": password})
    user.refresh_from_db()
    assert user.check_password(password)


def test_create_user_validation_is_dutch(client_for, world):
    client = client_for(world.beheerder)
    url = reverse("core:user_create", args=[world.gemeente.pk])
    response = client.post(url, user_data(world.gemeente, email="BEHEERDER@example.org", roles=None,
                                          username="Regisseur", first_name=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit e-mailadres wordt al gebruikt" in html
    assert "Kies ten minste één rol." in html
    assert "Deze gebruikersnaam bestaat al" in html
    assert "Vul de voornaam in." in html
    assert '<a href="#id_roles_0">' in html
    assert User.objects.filter(first_name="Noor").count() == 0
    assert mail.outbox == []


def test_email_is_required(client_for, world):
    response = client_for(world.beheerder).post(
        reverse("core:user_create", args=[world.gemeente.pk]), user_data(world.gemeente, email="")
    )
    assert "Vul een e-mailadres in." in response.content.decode()


def test_update_user_roles_and_organisation(client_for, world, root):
    """The platform administrator may move a staff member to another organisation (a beheerder may not:
    test_beheer_scope.py)."""
    client = client_for(root)
    url = reverse("core:user_update", args=[world.regisseur.pk])
    html = client.get(url).content.decode()
    assert 'value="regisseur"' in html and "checked" in html
    response = client.post(url, user_data(world.reintegratie, username="regisseur", email="rita@werkkracht.nl",
                                          roles=[Role.BEGELEIDER, Role.JOBCOACH]), follow=True)
    world.regisseur.refresh_from_db()
    assert world.regisseur.organisation == world.reintegratie
    assert world.regisseur.email == "rita@werkkracht.nl"
    assert roles_of(world.regisseur) == {Role.BEGELEIDER, Role.JOBCOACH}
    assert "zijn opgeslagen" in response.content.decode()


def test_update_user_keeps_own_email(client_for, world):
    client = client_for(world.beheerder)
    data = user_data(world.gemeente, username="regisseur", email=world.regisseur.email.upper())
    response = client.post(reverse("core:user_update", args=[world.regisseur.pk]), data)
    assert response.status_code == 302


def test_beheerder_cannot_remove_own_beheerder_role_or_deactivate_self(client_for, world):
    client = client_for(world.beheerder)
    url = reverse("core:user_update", args=[world.beheerder.pk])
    response = client.post(url, user_data(world.gemeente, username="beheerder", email=world.beheerder.email,
                                          roles=[Role.REGISSEUR], is_active=None))
    html = response.content.decode()
    assert response.status_code == 200
    assert "U kunt uw eigen rol functioneel beheerder niet weghalen" in html
    assert "U kunt uw eigen account niet deactiveren" in html
    world.beheerder.refresh_from_db()
    assert world.beheerder.is_active
    assert roles_of(world.beheerder) == {Role.BEHEERDER}

    response = client.post(reverse("core:user_deactivate", args=[world.beheerder.pk]), follow=True)
    assert "U kunt uw eigen account niet deactiveren" in response.content.decode()
    world.beheerder.refresh_from_db()
    assert world.beheerder.is_active


def test_beheerder_can_add_roles_to_self(client_for, world):
    client = client_for(world.beheerder)
    client.post(reverse("core:user_update", args=[world.beheerder.pk]),
                user_data(world.gemeente, username="beheerder", email=world.beheerder.email,
                          roles=[Role.BEHEERDER, Role.PROJECTLEIDER]))
    assert roles_of(world.beheerder) == {Role.BEHEERDER, Role.PROJECTLEIDER}


def test_deactivate_needs_confirmation_and_logs_the_user_out(client_for, client, world):
    """A colleague of the beheerder's own organisation (the taalhuis teacher is not theirs to deactivate)."""
    victim_client = client.__class__()
    victim_client.force_login(world.regisseur)
    admin_client = client_for(world.beheerder)
    url = reverse("core:user_deactivate", args=[world.regisseur.pk])
    response = admin_client.get(url)
    assert "Weet u zeker dat u het account van" in response.content.decode()
    world.regisseur.refresh_from_db()
    assert world.regisseur.is_active  # a GET changes nothing

    response = admin_client.post(url, follow=True)
    world.regisseur.refresh_from_db()
    assert not world.regisseur.is_active
    assert "is gedeactiveerd" in response.content.decode()
    assert victim_client.get(reverse("core:account"))["Location"].startswith(reverse("login"))

    response = admin_client.post(reverse("core:user_reactivate", args=[world.regisseur.pk]), follow=True)
    world.regisseur.refresh_from_db()
    assert world.regisseur.is_active
    assert "is weer actief" in response.content.decode()


def test_send_reset_mail(client_for, world):
    client = client_for(world.beheerder)
    url = reverse("core:user_send_reset", args=[world.regisseur.pk])
    assert "E-mail sturen" in client.get(url).content.decode()
    assert mail.outbox == []
    response = client.post(url, follow=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.regisseur.email]
    assert mail.outbox[0].subject == "Nieuw wachtwoord voor Koers"
    assert "De wachtwoordmail is gestuurd" in response.content.decode()


def test_send_reset_refused_for_deactivated_account(client_for, world):
    world.regisseur.is_active = False
    world.regisseur.save()
    response = client_for(world.beheerder).post(reverse("core:user_send_reset", args=[world.regisseur.pk]),
                                                follow=True)
    assert mail.outbox == []
    assert "Activeer het account eerst" in response.content.decode()


def test_reset_2fa_needs_confirmation(client_for, world):
    device = TOTPDevice.objects.create(user=world.regisseur, name="app", confirmed=True)
    client = client_for(world.beheerder)
    url = reverse("core:user_reset_2fa", args=[world.regisseur.pk])
    assert "Weet u zeker" in client.get(url).content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.post(url, follow=True)
    assert not TOTPDevice.objects.filter(user=world.regisseur).exists()
    assert "is gewist" in response.content.decode()


def test_beheer_pages_have_no_inline_styles_or_scripts(client_for, world):
    client = client_for(world.beheerder)
    urls = beheer_urls(world) + [reverse("core:account"), reverse("core:password_change")]
    for url in urls:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert "<script>" not in html, url


# --- Django admin ----------------------------------------------------------------------------------------------

def test_admin_audit_trail_is_read_only(client, world):
    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    client.force_login(root)
    AuditEvent.objects.create(at=timezone.now(), user_name="x", organisation_name="y", category="identiteit",
                              action="bekijken", legal_basis="regie", prev_hash="0" * 64, hash="0" * 64)
    event = AuditEvent.objects.get()
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = client.post(reverse("admin:core_auditevent_change", args=[event.pk]), {"user_name": "z"})
    assert response.status_code == 403
    assert client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200
    assert client.get(reverse("admin:core_user_change", args=[world.regisseur.pk])).status_code == 200
    assert client.get(reverse("admin:core_organisation_changelist")).status_code == 200
