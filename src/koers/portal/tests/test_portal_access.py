"""The portal's door: a participant sees only their own data; staff and strangers get nothing."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from koers.core.models import AuditEvent

#: Portal routes for visitors who are not logged in (everything else is behind ``portal_page``).
PUBLIC = {"portal:login", "portal:activate", "portal:visitor_language", "portal:logout", "portal:passkey_login",
          "portal:passkey_login_options"}
POST_ONLY = {"portal:language", "portal:logout", "portal:passkey_login", "portal:passkey_login_options",
             "portal:passkey_add_options", "portal:email_notices"}
#: The only portal routes that name an object, and the kind of object (always looked up within the participant's
#: own file: another participant's id is a 404).
OBJECT_ROUTES = {
    "portal:withdraw_consent": "membership_id",
    "portal:message_attachment": "message_id",
    "portal:portfolio_edit": "item_id",
    "portal:portfolio_delete": "item_id",
    "portal:portfolio_file": "item_id",
    "portal:passkey_remove": "passkey_id",
}


def _others_objects(world, other_account) -> dict[str, int]:
    """For each object route: the id of such an object in Samira's file (another participant)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from koers.casework.services import messages
    from koers.core.codes import LegalBasis
    from koers.core.tests.factories import MembershipFactory
    from koers.portal.models import Passkey
    from koers.portal.services import portfolio

    membership = MembershipFactory(participant=other_account.participant, organisation=world.taal,
                                   added_by=world.andere_regisseur, legal_basis=LegalBasis.TOESTEMMING)
    message = messages.send_from_participant(other_account.user, other_account.participant, body="Samira's vraag",
                                             attachment=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 Samira"))
    item = portfolio.add_item(account=other_account, title="Samira's werkstuk")
    passkey = Passkey.objects.create(account=other_account, credential_id="c2FtaXJh", public_key=b"k",
                                     name="Telefoon van Samira")
    return {"portal:passkey_remove": passkey.pk, "portal:withdraw_consent": membership.pk,
            "portal:message_attachment": message.pk,
            "portal:portfolio_edit": item.pk, "portal:portfolio_delete": item.pk, "portal:portfolio_file": item.pk}


def _portal_routes():
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "portal":
            for p in entry.url_patterns:
                assert isinstance(p, URLPattern)
                yield f"portal:{p.name}", p


def test_every_portal_route_is_behind_the_door_or_listed_as_public():
    for name, pattern in _portal_routes():
        names = set(pattern.pattern.regex.groupindex)
        assert names <= {OBJECT_ROUTES.get(name)} - {None}, f"{name}: a portal URL naming an object must be listed"
        assert getattr(pattern.callback, "portal_page", False) or name in PUBLIC, name


def test_a_participant_never_sees_another_participants_data_on_any_portal_url(world, portal_client,
                                                                            other_account):
    from koers.participants.models import Membership
    from koers.portal.models import Passkey, PortfolioItem

    others = _others_objects(world, other_account)
    assert set(others) == set(OBJECT_ROUTES)
    for name in OBJECT_ROUTES:
        url = reverse(name, kwargs={OBJECT_ROUTES[name]: others[name]})
        assert portal_client.get(url).status_code == 404, name
        assert portal_client.post(url, {"title": "Overschreven"}).status_code == 404, name
    assert Membership.objects.get(pk=others["portal:withdraw_consent"]).ended_at is None
    assert PortfolioItem.objects.get(pk=others["portal:portfolio_edit"]).title == "Samira's werkstuk"
    assert Passkey.objects.filter(pk=others["portal:passkey_remove"]).exists()
    for name, _pattern in _portal_routes():
        if name in POST_ONLY or name in OBJECT_ROUTES:
            continue
        other = other_account.participant_id
        for query in ("", f"?pk={other}&participant={other}&week=volgende"):
            response = portal_client.get(reverse(name) + query)
            assert response.status_code in (200, 302, 404), name
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                assert "Samira" not in response.content.decode(), name
    # Every page the participant opened was recorded as their own access, never as Samira's.
    assert not AuditEvent.objects.filter(participant_id=other_account.participant_id,
                                         user_id=portal_client.session["_auth_user_id"]).exists()


def test_staff_get_404_on_the_portal_and_participants_stay_inside_it(world, account, client_for, client):
    staff = client_for(world.regisseur)
    for name in ("portal:home", "portal:plan", "portal:week", "portal:portfolio", "portal:portfolio_add",
                 "portal:cv"):
        assert staff.get(reverse(name)).status_code == 404
    client.force_login(account.user)
    for url in ("/deelnemers/", f"/deelnemers/{world.participant.pk}/", "/", "/monitoring/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/mijn/", url


def test_anonymous_visitors_go_to_the_portal_login(client, db):
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login") + "?next=")


@pytest.mark.parametrize("name", ["portal:home", "portal:plan", "portal:week", "portal:portfolio",
                                  "portal:portfolio_add", "portal:cv"])
def test_every_portal_page_is_audited_as_the_participants_own_access(world, portal_client, name):
    before = AuditEvent.objects.count()
    assert portal_client.get(reverse(name)).status_code == 200
    events = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert events and all(e.participant_id == world.participant.pk and e.legal_basis == "betrokkene"
                          for e in events)
