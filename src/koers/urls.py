from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("koers.core.urls")),
    path("deelnemers/", include("koers.participants.urls")),
    path("deelnemers/", include("koers.plans.urls")),
    path("acties/", include("koers.casework.urls")),
    path("activiteiten/", include("koers.activities.urls")),
    path("werk/", include("koers.work.urls")),
    path("monitoring/", include("koers.monitoring.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "koers.core.views.site.not_found"
