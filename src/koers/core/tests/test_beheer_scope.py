"""Beheer stays inside the organisation, every beheer action is audited, and the Beveiliging page shows denied
attempts and beheer actions (issue 10, items 3 and 9).

Two levels: the functional administrator (role beheerder) manages their own organisation; the platform
administrator (Django superuser) creates organisations and manages staff of every organisation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.core import audit
from koers.core.codes import OrganisationKind, Role
from koers.core.models import AuditAction, AuditEvent, Organisation, User, UserRole
from koers.core.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", "x-very-long-password")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_data(org: Organisation, **overrides) -> dict:
    data = {
        "username": "indringer", "first_name": "Ivo", "last_name": "Indringer", "email": "ivo@example.org",
        "phone": "", "organisation": org.pk, "roles": [Role.REGISSEUR], "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def admin_events() -> list[str]:
    return list(AuditEvent.objects.filter(action=AuditAction.ADMIN).order_by("id").values_list("detail", flat=True))


# --- The attack from the probe -----------------------------------------------------------------------------------

def test_beheerder_cannot_create_a_regisseur_in_another_municipality_and_read_its_participants(world):
    """Beheerder of Gemeente Rivierstad posts a new regisseur into Gemeente Heuvelrand, then tries to read
    Heuvelrand's participants. Every door is shut: no account, no participant, recorded as security events."""
    client = login(world.beheerder)
    heuvelrand = world.andere_gemeente

    # 1. The create page of the other organisation is hidden.
    url = reverse("core:user_create", args=[heuvelrand.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, staff_data(heuvelrand)).status_code == 404
    # 2. The own organisation's create page with the other organisation's id in the form.
    url = reverse("core:user_create", args=[world.gemeente.pk])
    response = client.post(url, staff_data(heuvelrand))
    assert response.status_code == 200
    assert "Kies een organisatie uit de lijst." in response.content.decode()
    assert not User.objects.filter(username="indringer").exists()
    # 3. Moving an own colleague to Heuvelrand is refused as well.
    url = reverse("core:user_update", args=[world.regisseur.pk])
    response = client.post(url, staff_data(heuvelrand, username="regisseur", email=world.regisseur.email))
    assert "Kies een organisatie uit de lijst." in response.content.decode()
    world.regisseur.refresh_from_db()
    assert world.regisseur.organisation == world.gemeente
    # 4. Nothing reached Heuvelrand, and no Heuvelrand participant is readable with any Rivierstad account.
    assert list(heuvelrand.staff.values_list("username", flat=True)) == ["andere"]
    assert login(world.regisseur).get(
        reverse("participants:detail", args=[world.other_participant.pk])
    ).status_code == 404
    # The attempts are security events with who, what and where.
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, user_id=world.beheerder.pk)
    assert denied.count() == 2
    assert {e.path for e in denied} == {reverse("core:user_create", args=[heuvelrand.pk])}


def test_platform_admin_can_create_staff_in_any_organisation(world, root):
    client = login(root)
    url = reverse("core:user_create", args=[world.andere_gemeente.pk])
    response = client.post(url, staff_data(world.andere_gemeente, username="h.nieuw", email="h@heuvelrand.nl"))
    assert response.status_code == 302
    user = User.objects.get(username="h.nieuw")
    assert user.organisation == world.andere_gemeente
    assert set(user.role_codes) == {Role.REGISSEUR}
    assert len(mail.outbox) == 1  # the activation link
    assert admin_events() == [
        "Medewerker h.nieuw aangemaakt bij Gemeente Heuvelrand: rollen regisseur, actief ja",
        "Activatiemail gestuurd aan medewerker h.nieuw (h@heuvelrand.nl)",
    ]


def test_beheerder_sees_and_touches_nothing_of_another_organisation(world):
    client = login(world.beheerder)
    outsider = world.andere_regisseur
    TOTPDevice.objects.create(user=outsider, name="app", confirmed=True)
    urls = [
        reverse("core:organisation_detail", args=[world.andere_gemeente.pk]),
        reverse("core:organisation_update", args=[world.andere_gemeente.pk]),
        reverse("core:organisation_detail", args=[world.taal.pk]),
        reverse("core:user_update", args=[outsider.pk]),
        reverse("core:user_deactivate", args=[outsider.pk]),
        reverse("core:user_reactivate", args=[outsider.pk]),
        reverse("core:user_send_reset", args=[outsider.pk]),
        reverse("core:user_reset_2fa", args=[outsider.pk]),
        reverse("core:user_update", args=[world.taaldocent.pk]),
        reverse("core:organisation_create"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, staff_data(world.gemeente, name="Overname", kind="gemeente")).status_code == 404, url
    outsider.refresh_from_db()
    assert outsider.is_active
    assert TOTPDevice.objects.filter(user=outsider).exists()
    assert mail.outbox == []
    assert Organisation.objects.count() == 4
    html = client.get(reverse("core:organisation_list")).content.decode()
    assert "Gemeente Rivierstad" in html
    assert "Gemeente Heuvelrand" not in html and "Taalhuis Rivierland" not in html
    assert "Organisatie toevoegen" not in html
    assert admin_events() == []


def test_huge_ids_on_beheer_urls_are_a_404(world):
    client = login(world.beheerder)
    for url in ["/beheer/medewerkers/99999999999999999999999/wijzigen/",
                "/beheer/organisaties/99999999999999999999999/"]:
        assert client.get(url).status_code == 404


def test_beheerder_cannot_change_kind_or_status_of_own_organisation(world):
    client = login(world.beheerder)
    url = reverse("core:organisation_update", args=[world.gemeente.pk])
    html = client.get(url).content.decode()
    assert "Alleen de platformbeheerder kan dit wijzigen." in html
    response = client.post(url, {"name": "Gemeente Rivierstad", "kind": OrganisationKind.OVERIG,
                                 "municipality": "Rivierstad", "email": "info@rivierstad.nl", "phone": ""})
    assert response.status_code == 302
    world.gemeente.refresh_from_db()
    assert world.gemeente.kind == OrganisationKind.GEMEENTE  # disabled field: the posted value is ignored
    assert world.gemeente.is_active
    assert world.gemeente.email == "info@rivierstad.nl"
    assert admin_events() == [
        "Organisatie Gemeente Rivierstad gewijzigd: e-mailadres (leeg) → info@rivierstad.nl"
    ]


def test_beheerder_cannot_escalate_to_platform_admin(world):
    client = login(world.beheerder)
    url = reverse("core:user_update", args=[world.beheerder.pk])
    client.post(url, staff_data(world.gemeente, username="beheerder", email=world.beheerder.email,
                                roles=[Role.BEHEERDER], is_superuser="on", is_staff="on"))
    world.beheerder.refresh_from_db()
    assert not world.beheerder.is_superuser and not world.beheerder.is_staff
    # The Django admin is not a way around it either: only the platform administrator gets in.
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("admin:core_user_changelist")).status_code == 302
    # Even with is_staff and every permission on users (set by someone in the database), the admin stays shut.
    world.beheerder.is_staff = True
    world.beheerder.save()
    world.beheerder.user_permissions.set(Permission.objects.filter(content_type__app_label="core"))
    client = login(User.objects.get(pk=world.beheerder.pk))
    assert client.get(reverse("admin:core_user_changelist")).status_code == 302
    response = client.post(reverse("admin:core_user_change", args=[world.andere_regisseur.pk]),
                           {"username": "andere", "is_superuser": "on"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    world.andere_regisseur.refresh_from_db()
    assert not world.andere_regisseur.is_superuser


def test_beheerder_can_make_a_colleague_beheerder_but_only_in_own_organisation(world):
    client = login(world.beheerder)
    url = reverse("core:user_update", args=[world.regisseur.pk])
    client.post(url, staff_data(world.gemeente, username="regisseur", email=world.regisseur.email,
                                first_name=world.regisseur.first_name, last_name=world.regisseur.last_name,
                                roles=[Role.REGISSEUR, Role.BEHEERDER]))
    assert set(UserRole.objects.filter(user=world.regisseur).values_list("role", flat=True)) == {
        Role.REGISSEUR, Role.BEHEERDER}
    assert admin_events() == ["Medewerker regisseur: rollen regisseur → beheerder, regisseur"]
    url = reverse("core:user_update", args=[world.andere_regisseur.pk])
    assert client.post(url, staff_data(world.andere_gemeente, username="andere", email=world.andere_regisseur.email,
                                       roles=[Role.REGISSEUR, Role.BEHEERDER])).status_code == 404
    assert not UserRole.objects.filter(user=world.andere_regisseur, role=Role.BEHEERDER).exists()


# --- Every beheer action is audited ------------------------------------------------------------------------------

def test_every_beheer_action_writes_an_audit_record(world, root):
    client = login(world.beheerder)
    TOTPDevice.objects.create(user=world.regisseur, name="app", confirmed=True)
    client.post(reverse("core:user_create", args=[world.gemeente.pk]),
                staff_data(world.gemeente, username="j.smit", email="j.smit@rivierstad.nl"))
    smit = User.objects.get(username="j.smit")
    client.post(reverse("core:user_update", args=[smit.pk]),
                staff_data(world.gemeente, username="j.smit", email="j.smit@rivierstad.nl",
                           roles=[Role.REGISSEUR, Role.BEHEERDER]))
    client.post(reverse("core:user_deactivate", args=[smit.pk]))
    client.post(reverse("core:user_reactivate", args=[smit.pk]))
    client.post(reverse("core:user_send_reset", args=[world.regisseur.pk]))
    client.post(reverse("core:user_reset_2fa", args=[world.regisseur.pk]))
    login(root).post(reverse("core:organisation_create"), {
        "name": "Stichting Nieuw", "kind": OrganisationKind.OVERIG, "municipality": "", "email": "", "phone": "",
        "is_active": "on"})
    assert admin_events() == [
        "Medewerker j.smit aangemaakt bij Gemeente Rivierstad: rollen regisseur, actief ja",
        "Activatiemail gestuurd aan medewerker j.smit (j.smit@rivierstad.nl)",
        "Medewerker j.smit: rollen regisseur → beheerder, regisseur",
        "Medewerker j.smit gedeactiveerd",
        "Medewerker j.smit weer geactiveerd",
        f"Wachtwoordmail gestuurd aan medewerker regisseur ({world.regisseur.email})",
        "Tweestapsverificatie van medewerker regisseur gewist (1 app)",
        "Organisatie Stichting Nieuw aangemaakt (soort overig, actief ja)",
    ]
    events = AuditEvent.objects.filter(action=AuditAction.ADMIN).order_by("id")
    assert {e.user_id for e in events[:7]} == {world.beheerder.pk}
    assert events[0].organisation_name == "Gemeente Rivierstad"
    assert events[0].path == reverse("core:user_create", args=[world.gemeente.pk])
    assert events.last().user_id == root.pk
    assert audit.verify_chain()[1] is None


def test_saving_without_changes_writes_no_audit_record(world):
    client = login(world.beheerder)
    client.post(reverse("core:user_update", args=[world.regisseur.pk]),
                staff_data(world.gemeente, username="regisseur", email=world.regisseur.email,
                           first_name=world.regisseur.first_name, last_name=world.regisseur.last_name))
    assert admin_events() == []


def test_beheer_actions_go_to_the_security_log(world, caplog):
    import logging

    # The configured level lets the INFO lines through (the root logger stays at WARNING).
    assert logging.getLogger("koers.security").getEffectiveLevel() == logging.INFO
    caplog.set_level("INFO", logger="koers.security")
    login(world.beheerder).post(reverse("core:user_deactivate", args=[world.regisseur.pk]))
    assert any("Medewerker regisseur gedeactiveerd" in r.getMessage() for r in caplog.records)


# --- Beveiliging page ----------------------------------------------------------------------------------------------

def test_security_page_shows_denied_attempts_with_counts_per_user(world):
    probe = login(world.andere_regisseur)
    for _ in range(3):
        assert probe.get(reverse("participants:detail", args=[world.participant.pk])).status_code == 404
    login(world.regisseur).get(reverse("participants:detail", args=[world.other_participant.pk]))

    html = login(world.beheerder).get(reverse("core:security_events")).content.decode()
    # Heuvelrand's regisseur probed a Rivierstad participant: the Rivierstad beheerder sees it, with the count.
    assert "Ayla" in html and "3 geweigerde pogingen in de laatste 7 dagen" in html
    assert reverse("participants:detail", args=[world.participant.pk]) in html
    # Rivierstad's own regisseur probing Heuvelrand is shown too (own staff).
    assert "1 geweigerde poging in de laatste 7 dagen" in html


def test_security_page_scope(world, root):
    # Rivierstad's regisseur opens a Heuvelrand participant: a denied attempt on Heuvelrand's participant by
    # Rivierstad's staff. Both administrators see it; a third organisation's administrator does not.
    login(world.regisseur).get(reverse("participants:detail", args=[world.other_participant.pk]))
    heuvel_admin = make_user(world.andere_gemeente, Role.BEHEERDER, username="h.beheer")
    taal_admin = make_user(world.taal, Role.BEHEERDER, username="t.beheer")
    login(world.beheerder).post(reverse("core:user_deactivate", args=[world.regisseur.pk]))
    for admin, sees_denied, sees_admin in [(world.beheerder, True, True), (heuvel_admin, True, False),
                                            (taal_admin, False, False), (root, True, True)]:
        html = login(admin).get(reverse("core:security_events")).content.decode()
        assert ("Deelnemer " + str(world.other_participant.pk) in html) is sees_denied, admin
        assert ("Medewerker regisseur gedeactiveerd" in html) is sees_admin, admin
    taal_html = login(taal_admin).get(reverse("core:security_events")).content.decode()
    assert "Geen geweigerde pogingen of beheerhandelingen in de laatste 7 dagen." in taal_html


def test_security_page_filters_by_kind_and_period_and_paginates(world, settings):
    settings.KOERS_PAGE_SIZE = 5
    probe = login(world.regisseur)
    for _ in range(7):
        probe.get(reverse("participants:detail", args=[world.other_participant.pk]))
    client = login(world.beheerder)
    client.post(reverse("core:user_send_reset", args=[world.regisseur.pk]))
    url = reverse("core:security_events")
    html = client.get(url, {"soort": "beheer"}).content.decode()
    assert "Wachtwoordmail gestuurd" in html and "Geweigerd</span>" not in html
    html = client.get(url, {"soort": "geweigerd"}).content.decode()
    assert "Wachtwoordmail gestuurd" not in html
    assert "Pagina 1 van 2" in html
    assert "7 geweigerde pogingen in de laatste 7 dagen" in html
    page2 = client.get(url, {"soort": "geweigerd", "pagina": 2}).content.decode()
    assert "Pagina 2 van 2" in page2
    # The period: an event older than 24 hours is outside "24u", inside "7d".
    old = timezone.now() - timedelta(days=2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: old)
        audit.record_event(world.regisseur, AuditAction.DENIED, "oud verzoek", request=None)
    assert "oud verzoek" not in client.get(url, {"periode": "24u", "soort": "geweigerd"}).content.decode()
    assert "oud verzoek" in client.get(url, {"periode": "7d", "soort": "geweigerd", "pagina": 2}).content.decode()
    # A bad filter value is a form error, not a server error.
    response = client.get(url, {"periode": "9999j"})
    assert response.status_code == 200 and "Kies een periode uit de lijst." in response.content.decode()


def test_security_page_is_hidden_from_others_and_linked_for_beheerders(world):
    assert login(world.regisseur).get(reverse("core:security_events")).status_code == 404
    html = login(world.beheerder).get(reverse("core:organisation_list")).content.decode()
    assert f'href="{reverse("core:security_events")}"' in html
    html = login(world.beheerder).get(reverse("core:security_events")).content.decode()
    assert "style=" not in html and "<script>" not in html


def test_security_page_never_changes_the_trail(world):
    login(world.regisseur).get(reverse("participants:detail", args=[world.other_participant.pk]))
    before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    login(world.beheerder).get(reverse("core:security_events"))
    assert list(AuditEvent.objects.order_by("id").values_list("id", "hash")) == before


def test_platform_admin_without_organisation_gets_the_beheer_pages_and_no_participants(world, root):
    client = login(root)
    assert client.get("/")["Location"] == reverse("core:organisation_list")
    html = client.get(reverse("core:organisation_list")).content.decode()
    assert "Gemeente Heuvelrand" in html and "Organisatie toevoegen" in html
    assert client.get(reverse("core:security_events")).status_code == 200
    assert client.get(reverse("core:organisation_update", args=[world.andere_gemeente.pk])).status_code == 200
    # Superuser is platform administration, not a key to participant files.
    assert client.get(reverse("participants:detail", args=[world.participant.pk])).status_code == 404
