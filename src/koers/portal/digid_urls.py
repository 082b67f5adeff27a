"""DigiD for Mijn Koers (mounted at /mijn/digid/ when ``KOERS_PORTAL_DIGID`` is set; see views/digid.py).

The namespace and names are the library's (``digid:login``, ``digid:acs``): its SAML client and mock views reverse
them. ``mock_idp_urlpatterns`` is the library's mock identity provider (namespace ``digid-mock``), only in mock
mode, made reachable without a Koers login (LoginRequiredMiddleware).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from koers.portal.views import digid

app_name = "digid"

urlpatterns = [
    path("inloggen/", digid.start, name="login"),
    path("acs/", digid.acs, name="acs"),
]


def mock_idp_urlpatterns():
    from digid_eherkenning.mock.idp.views.digid import DigiDMockIDPBSNLoginView, DigiDMockIDPLoginView

    return ([
        path("inloggen/", login_not_required(DigiDMockIDPLoginView.as_view()), name="login"),
        path("inloggen_bsn/", login_not_required(DigiDMockIDPBSNLoginView.as_view()), name="bsn"),
    ], "digid-mock")
