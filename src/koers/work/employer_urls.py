"""Routes for employers, openings, certificates and matching (namespace ``work``, under /werk/)."""

from django.urls import path

from koers.work import employer_views as views

urlpatterns = [
    path("werkgevers/", views.employer_list, name="employer_list"),
    path("werkgevers/nieuw/", views.employer_create, name="employer_create"),
    path("werkgevers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("werkgevers/<int:pk>/wijzigen/", views.employer_update, name="employer_update"),
    path("werkgevers/<int:pk>/contactpersonen/nieuw/", views.contact_create, name="contact_create"),
    path("contactpersonen/<int:pk>/wijzigen/", views.contact_update, name="contact_update"),
    path("contactpersonen/<int:pk>/verwijderen/", views.contact_delete, name="contact_delete"),
    path("werkgevers/<int:pk>/bedrijfsbezoeken/nieuw/", views.visit_create, name="visit_create"),
    path("bedrijfsbezoeken/<int:pk>/wijzigen/", views.visit_update, name="visit_update"),
    path("werkgevers/<int:pk>/vacatures/nieuw/", views.opening_create, name="opening_create"),
    path("certificaten/", views.certificate_list, name="certificates"),
    path("certificaten/<int:pk>/wijzigen/", views.certificate_update, name="certificate_update"),
    path("vacatures/", views.opening_list, name="opening_list"),
    path("vacatures/<int:pk>/", views.opening_detail, name="opening_detail"),
    path("vacatures/<int:pk>/wijzigen/", views.opening_update, name="opening_update"),
    path("vacatures/<int:pk>/kandidaten/", views.opening_matches, name="opening_matches"),
    path("vacatures/<int:pk>/voorstellen/<int:participant_pk>/", views.propose_match, name="propose_match"),
    path("matches/<int:pk>/afwijzen/", views.match_reject, name="match_reject"),
    path("deelnemer/<int:pk>/vacatures/", views.participant_matches, name="participant_matches"),
    path("deelnemer/<int:pk>/werkprofiel/", views.work_profile, name="work_profile"),
]
