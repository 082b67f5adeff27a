"""Routes in the work namespace (included from urls.py): placements, aftercare and closing a trajectory."""

from django.urls import path

from koers.work import placement_views as v

P = "deelnemers/<int:pk>/plaatsingen/<int:placement_id>/"

urlpatterns: list = [
    path("deelnemers/<int:pk>/plaatsingen/", v.participant_placements, name="participant_placements"),
    path("deelnemers/<int:pk>/plaatsingen/nieuw/", v.placement_create, name="placement_create"),
    path("matches/<int:match_id>/plaatsing/", v.placement_from_match, name="placement_from_match"),
    path(P, v.placement_detail, name="placement_detail"),
    path(P + "afspraken/", v.term_add, name="placement_term_add"),
    path(P + "beeindigen/", v.placement_end, name="placement_end"),
    path(P + "nazorg/<int:check_in_id>/", v.check_in_record, name="check_in_record"),
    path(P + "nazorg/nieuw/", v.check_in_add, name="check_in_add"),
    path(P + "knelpunten/nieuw/", v.friction_add, name="friction_add"),
    path(P + "knelpunten/<int:friction_id>/opgelost/", v.friction_resolve, name="friction_resolve"),
    path(P + "knelpunten/<int:friction_id>/escaleren/", v.friction_escalate, name="friction_escalate"),
    path(P + "eindgesprek/", v.aftercare_close, name="aftercare_close"),
    path("deelnemers/<int:pk>/afsluiten/", v.close_trajectory, name="close_trajectory"),
    path("deelnemers/<int:pk>/afsluiting/", v.closure_detail, name="closure_detail"),
    path("deelnemers/<int:pk>/afsluiting/eindrapportage-<str:version>.pdf", v.closure_report, name="closure_report"),
]
