"""URLs of the follow-up pages and of linking a participant to a project (included by monitoring/urls.py)."""

from django.urls import path

from koers.monitoring import followup_views as v

urlpatterns: list = [
    path("vervolgmetingen/", v.followup_list, name="followups"),
    path("vervolgmetingen/<int:pk>/", v.followup_record, name="followup_record"),
    path("deelnemers/<int:pk>/project/", v.enrol, name="enrol"),
]
