"""Logging in to Mijn Koers with DigiD, through django-digid-eherkenning (docs/architecture.md "DigiD").

Two modes (``settings.KOERS_PORTAL_DIGID``):

- ``saml``: the real DigiD. ``start`` renders the library's SAML AuthnRequest (an auto-submitted form to DigiD);
  DigiD sends the participant back to ``acs`` with an artifact, which the library's ``DigiDClient`` resolves
  (signed, over the back channel with the TLS client certificate) into the BSN.
- ``mock``: the library's mock identity provider (``digid_eherkenning.mock``), for demo mode and tests: a page
  where one picks or types a BSN, which comes back to ``acs`` in the URL.

Both end in the same place: ``services.digid.account_for_bsn`` decides whether the BSN opens an account.
The URL names are the library's (namespace ``digid``: ``digid:login``, ``digid:acs``) because its SAML client
builds the metadata's AssertionConsumerService from ``reverse("digid:acs")``.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from koers.portal.door import public_portal_page
from koers.portal.forms.passkeys import DIGID_MESSAGES
from koers.portal.rules.language import portal_languages
from koers.portal.services import accounts
from koers.portal.services import digid as services
from koers.portal.views.auth import start_session


def _digid_on(request) -> str:
    mode = settings.KOERS_PORTAL_DIGID
    if not mode or "digid" not in settings.KOERS_PORTAL_LOGIN_METHODS:
        raise Http404
    if request.user.is_authenticated and not request.user.is_participant:
        raise Http404  # staff have nothing in the portal, and cannot start a participant's login from a session
    return mode


@public_portal_page
def start(request):
    mode = _digid_on(request)
    if mode == "mock":
        params = {
            "acs": request.build_absolute_uri(reverse("digid:acs")),
            "next": request.build_absolute_uri(reverse("portal:home")),
            "cancel": request.build_absolute_uri(reverse("portal:login")),
        }
        return redirect(f"{reverse('digid-mock:login')}?{urlencode(params)}")
    return _saml_start(request)


def _saml_start(request):  # pragma: no cover - needs DigiD's metadata and certificates (docs: "DigiD")
    from digid_eherkenning.views.digid import DigiDLoginView

    class PortalDigiDLoginView(DigiDLoginView):
        def get_relay_state(self):
            return settings.KOERS_PORTAL_PREFIX

        def render_to_response(self, context, **kwargs):
            response = super().render_to_response(context, **kwargs)
            target = urlsplit(context["url"])
            # The form posts to DigiD: allow exactly that origin as a form target on this one response.
            response.headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
                "form-action 'self'", f"form-action 'self' {target.scheme}://{target.netloc}")
            return response

    return PortalDigiDLoginView.as_view()(request)


def _bsn_from_artifact(request) -> tuple[str, str]:  # pragma: no cover - needs the real DigiD (see _saml_start)
    """The BSN in DigiD's answer, as the library's own DigiDBackend reads it; or the reason it failed."""
    from digid_eherkenning.choices import SectorType
    from digid_eherkenning.saml2.digid import DigiDClient
    from onelogin.saml2.utils import OneLogin_Saml2_ValidationError

    artifact = request.GET.get("SAMLart", "")
    if not artifact:
        return "", "failed"
    try:
        name_id = DigiDClient().artifact_resolve(request, artifact).get_nameid()
    except OneLogin_Saml2_ValidationError as error:
        cancelled = error.code == OneLogin_Saml2_ValidationError.STATUS_CODE_AUTHNFAILED
        return "", "cancelled" if cancelled else "failed"
    sector, _, number = (name_id or "").partition(":")
    return (number, "") if sector == SectorType.bsn else ("", "failed")


@public_portal_page
def acs(request):
    mode = _digid_on(request)
    if mode == "mock":
        bsn, problem = request.GET.get("bsn", "")[:20], ""  # the mock identity provider puts it in the URL
    else:  # pragma: no cover
        bsn, problem = _bsn_from_artifact(request)
    if not problem:
        try:
            # No request: the audit record would keep the path, and the mock's path carries the BSN.
            account = services.account_for_bsn(bsn=bsn)
        except services.DigiDRefusal as refusal:
            problem = refusal.code
    if problem:
        return render(request, "portal/digid_refused.html", {
            "message": DIGID_MESSAGES.get(problem, DIGID_MESSAGES["failed"]), "languages": portal_languages(),
        }, status=403)
    start_session(request, account.user)
    accounts.logged_in_with(account=account, method="DigiD")
    return redirect("portal:home")
