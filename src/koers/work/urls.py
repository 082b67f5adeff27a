"""Routes of the work app (namespace ``work``): employers, matching, placements, aftercare and closure."""

from django.urls import path

from koers.work.views import aftercare as aftercare_views
from koers.work.views import closure as closure_views
from koers.work.views import employers as employers_views
from koers.work.views import matching as matching_views
from koers.work.views import placements as placements_views

app_name = "work"

#: The pages of one placement of a participant.
P = "deelnemers/<int:pk>/plaatsingen/<int:placement_id>/"

urlpatterns = [
    # employers, openings, certificates
    path("werkgevers/", employers_views.employer_list, name="employer_list"),
    path("werkgevers/nieuw/", employers_views.employer_create, name="employer_create"),
    path("werkgevers/<int:pk>/", employers_views.employer_detail, name="employer_detail"),
    path("werkgevers/<int:pk>/wijzigen/", employers_views.employer_update, name="employer_update"),
    path("werkgevers/<int:pk>/contactpersonen/nieuw/", employers_views.contact_create, name="contact_create"),
    path("contactpersonen/<int:pk>/wijzigen/", employers_views.contact_update, name="contact_update"),
    path("contactpersonen/<int:pk>/verwijderen/", employers_views.contact_delete, name="contact_delete"),
    path("werkgevers/<int:pk>/bedrijfsbezoeken/nieuw/", employers_views.visit_create, name="visit_create"),
    path("bedrijfsbezoeken/<int:pk>/wijzigen/", employers_views.visit_update, name="visit_update"),
    path("werkgevers/<int:pk>/vacatures/nieuw/", employers_views.opening_create, name="opening_create"),
    path("certificaten/", employers_views.certificate_list, name="certificates"),
    path("certificaten/<int:pk>/wijzigen/", employers_views.certificate_update, name="certificate_update"),
    path("vacatures/", employers_views.opening_list, name="opening_list"),
    path("vacatures/<int:pk>/", employers_views.opening_detail, name="opening_detail"),
    path("vacatures/<int:pk>/wijzigen/", employers_views.opening_update, name="opening_update"),
    # matching
    path("vacatures/<int:pk>/kandidaten/", matching_views.opening_matches, name="opening_matches"),
    path("vacatures/<int:pk>/voorstellen/<int:participant_pk>/", matching_views.propose_match, name="propose_match"),
    path("matches/<int:pk>/afwijzen/", matching_views.match_reject, name="match_reject"),
    path("deelnemer/<int:pk>/vacatures/", matching_views.participant_matches, name="participant_matches"),
    path("deelnemer/<int:pk>/werkprofiel/", matching_views.work_profile, name="work_profile"),
    # placements
    path("deelnemers/<int:pk>/plaatsingen/", placements_views.participant_placements, name="participant_placements"),
    path("deelnemers/<int:pk>/plaatsingen/nieuw/", placements_views.placement_create, name="placement_create"),
    path("matches/<int:match_id>/plaatsing/", placements_views.placement_from_match, name="placement_from_match"),
    path(P, placements_views.placement_detail, name="placement_detail"),
    path(P + "afspraken/", placements_views.term_add, name="placement_term_add"),
    path(P + "beeindigen/", placements_views.placement_end, name="placement_end"),
    path(P + "corrigeren/", placements_views.placement_correct, name="placement_correct"),
    path(P + "intrekken/", placements_views.placement_withdraw, name="placement_withdraw"),
    # aftercare
    path("nazorg/", aftercare_views.check_ins_due, name="check_ins_due"),
    path(P + "nazorg/<int:check_in_id>/", aftercare_views.check_in_record, name="check_in_record"),
    path(P + "nazorg/nieuw/", aftercare_views.check_in_add, name="check_in_add"),
    path(P + "knelpunten/nieuw/", aftercare_views.friction_add, name="friction_add"),
    path(P + "knelpunten/<int:friction_id>/opgelost/", aftercare_views.friction_resolve, name="friction_resolve"),
    path(P + "knelpunten/<int:friction_id>/escaleren/", aftercare_views.friction_escalate, name="friction_escalate"),
    path(P + "eindgesprek/", aftercare_views.aftercare_close, name="aftercare_close"),
    # closure
    path("deelnemers/<int:pk>/afsluiten/", closure_views.close_trajectory, name="close_trajectory"),
    path("deelnemers/<int:pk>/afsluiting/", closure_views.closure_detail, name="closure_detail"),
    path("deelnemers/<int:pk>/afsluiting/eindrapportage-<str:version>.pdf", closure_views.closure_report,
         name="closure_report"),
]
