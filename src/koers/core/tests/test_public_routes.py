"""Login required by default (Django's LoginRequiredMiddleware): a public page is a deliberate, listed choice."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

#: Every view reachable without logging in, by URL name, and why.
PUBLIC = {
    "login": "logging in",
    "password_reset": "asking for a reset mail",
    "password_reset_done": "the 'mail sent' page",
    "password_reset_confirm": "choosing a password from the mail's link",
    "password_reset_complete": "the 'password chosen' page",
    "healthz": "the load balancer's health check (says only 'ok')",
    "admin:login": "Django admin's own login (superusers; 2FA still applies after it)",
    "portal:login": "a participant logging in to Mijn Koers",
    "portal:activate": "a participant choosing a password with the code from the invitation letter",
    "portal:visitor_language": "the language buttons on the portal's login page (a cookie, no data)",
    "portal:logout": "logging out of Mijn Koers (also after the short session has already expired)",
    "portal:passkey_login": "a participant logging in with a passkey (the signed answer to a challenge)",
    "portal:passkey_login_options": "the single-use challenge for a passkey login (no account named)",
    "digid:login": "starting a DigiD login for Mijn Koers (a SAML request to DigiD)",
    "digid:acs": "DigiD's return with an artifact; opens Mijn Koers only for an invited participant",
    "digid-mock:login": "the mock DigiD's login page (only with KOERS_PORTAL_DIGID=mock: demo, development, tests)",
    "digid-mock:bsn": "the mock DigiD's BSN form (only with KOERS_PORTAL_DIGID=mock)",
}


def _routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, entry.callback


def test_only_the_listed_views_are_public():
    public = {name for name, view in _routes() if not getattr(view, "login_required", True)}
    assert public == set(PUBLIC)


@pytest.mark.django_db
def test_an_anonymous_request_goes_to_the_login_page_with_next(client):
    response = client.get("/deelnemers/?zoek=x")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/deelnemers/%3Fzoek%3Dx"
    assert client.get("/healthz").status_code == 200
    assert client.get("/wachtwoord-vergeten/").status_code == 200
