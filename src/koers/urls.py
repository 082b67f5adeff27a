from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from koers.portal.urls import staff_urlpatterns as portal_staff_urls

urlpatterns = [
    path("", include("koers.core.urls")),
    path("deelnemers/", include("koers.participants.urls")),
    path("deelnemers/", include("koers.plans.urls")),
    path("acties/", include("koers.casework.urls")),
    path("activiteiten/", include("koers.activities.urls")),
    path("werk/", include("koers.work.urls")),
    path("monitoring/", include("koers.monitoring.urls")),
    path("mijn/", include("koers.portal.urls")),
    path("deelnemers/", include(portal_staff_urls)),
    path("admin/", admin.site.urls),
]

if settings.KOERS_PORTAL_DIGID:  # DigiD for Mijn Koers (portal/digid_urls.py, docs/architecture.md "DigiD")
    from koers.portal.digid_urls import mock_idp_urlpatterns

    urlpatterns.append(path("mijn/digid/", include("koers.portal.digid_urls")))
    if settings.KOERS_PORTAL_DIGID == "mock":
        urlpatterns.append(path("mijn/digid-mock/", include(mock_idp_urlpatterns())))

handler404 = "koers.core.views.site.not_found"
