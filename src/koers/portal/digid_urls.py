"""DigiD for Mijn Koers (mounted at /mijn/digid/ when ``KOERS_PORTAL_DIGID`` is set; see views/digid.py).

The namespace and names are the library's (``digid:login``, ``digid:acs``): its SAML client and mock views reverse
them. ``mock_idp_urlpatterns`` is the library's mock identity provider (namespace ``digid-mock``), only in mock
mode, made reachable without a Koers login (LoginRequiredMiddleware).
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from koers.portal.views import digid

app_name = "digid"

urlpatterns = [
    path("inloggen/", digid.start, name="login"),
    path("acs/", digid.acs, name="acs"),
]


def _mock_page(view):
    """The library's mock pages use inline styles (they imitate DigiD's look): allow those on these pages only."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'")
        return response

    return login_not_required(wrapper)


def mock_idp_urlpatterns():
    from digid_eherkenning.mock.idp.views.digid import DigiDMockIDPBSNLoginView, DigiDMockIDPLoginView

    return ([
        path("inloggen/", _mock_page(DigiDMockIDPLoginView.as_view()), name="login"),
        path("inloggen_bsn/", _mock_page(DigiDMockIDPBSNLoginView.as_view()), name="bsn"),
    ], "digid-mock")
