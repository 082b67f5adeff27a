"""My data and who sees it: organisations and basis, withdrawing a consent, the access log, the download."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from koers.casework.models import ActionItem
from koers.core import access
from koers.core.codes import LegalBasis
from koers.core.tests.factories import MembershipFactory


def staff_client(user) -> Client:
    """A second browser: the ``client`` fixture is the participant's session in these tests."""
    client = Client()
    client.force_login(user)
    return client


def _consent(world):
    return MembershipFactory(participant=world.participant, organisation=world.reintegratie,
                             added_by=world.regisseur, legal_basis=LegalBasis.TOESTEMMING,
                             purpose="Werkfit-traject")


def test_the_organisations_and_their_basis_are_listed(world, portal_client):
    _consent(world)
    body = portal_client.get(reverse("portal:my_data")).content.decode()
    assert "Gemeente Rivierstad" in body and "Taalhuis Rivierland" in body and "Werkkracht" in body
    assert "U heeft toestemming gegeven." in body
    assert body.count("Toestemming intrekken") == 1  # only the consent, not the legal task


def test_withdrawing_a_consent_ends_the_partners_access_at_once_and_tells_the_regisseur(world, portal_client):
    membership = _consent(world)
    begeleider = staff_client(world.begeleider)
    detail = reverse("participants:detail", kwargs={"pk": world.participant.pk})
    assert begeleider.get(detail).status_code == 200
    url = reverse("portal:withdraw_consent", kwargs={"membership_id": membership.pk})
    assert "Ja, toestemming intrekken" in portal_client.get(url).content.decode()
    response = portal_client.post(url, follow=True)
    assert "ziet uw gegevens niet meer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.consent_withdrawn and membership.ended_at is not None
    assert not access.grant_for(world.begeleider, world.participant).read
    assert begeleider.get(detail).status_code == 404
    item = ActionItem.objects.get(participant=world.participant, title__startswith="Toestemming ingetrokken")
    assert item.assignee == world.regisseur and item.owner_organisation == world.gemeente
    # A legal-task membership cannot be ended from the portal.
    url = reverse("portal:withdraw_consent", kwargs={"membership_id": world.membership.pk})
    assert portal_client.post(url).status_code == 404
    world.membership.refresh_from_db()
    assert world.membership.ended_at is None


def test_the_access_log_names_organisations_not_staff(world, portal_client):
    staff_client(world.taaldocent).get(reverse("participants:detail", kwargs={"pk": world.participant.pk}))
    body = portal_client.get(reverse("portal:my_data")).content.decode()
    assert "Taalhuis Rivierland" in body and "bekeken" in body
    assert world.taaldocent.first_name not in body.split("<main", 1)[1]


def test_the_download_holds_the_own_data_without_health(world, portal_client):
    from koers.plans.tests.conftest import draft_with_content, sign

    sign(world, draft_with_content(world))
    response = portal_client.get(reverse("portal:download"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["persoon"]["naam"] == "Nahom Tesfay"
    titles = [g["doel"] for g in data["plan"]["doelen"]]
    assert "Werkervaring opdoen in de techniek" in titles
    assert not any("slapen" in t for t in titles)
    assert {o["organisatie"] for o in data["organisaties"]} >= {"Gemeente Rivierstad", "Taalhuis Rivierland"}


def test_the_pdf_download_in_arabic(world, portal_client, tmp_path):
    from koers.portal.models import PortalAccount
    from koers.portal.tests.test_accounts import pdf_text

    PortalAccount.objects.filter(participant=world.participant).update(language="ar")
    response = portal_client.get(reverse("portal:download_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Nahom Tesfay" in text and "Gemeente Rivierstad" in text
    assert "بياناتي" in text


def test_the_download_holds_the_own_portfolio_items(world, account, portal_client):
    from koers.portal.services import portfolio

    portfolio.add_item(account=account, title="Brief van mijn stagebegeleider", on_cv=False)
    data = json.loads(portal_client.get(reverse("portal:download")).content)
    assert data["portfolio"] == [{"titel": "Brief van mijn stagebegeleider", "beschrijving": "", "datum": None,
                                  "op_cv": False, "bestand": None}]
