"""Routes of the work app (namespace ``work``): employers and matching, placements and closure."""

from django.urls import include, path

app_name = "work"

urlpatterns = [
    path("", include("koers.work.employer_urls")),
    path("", include("koers.work.placement_urls")),
]
