"""Routes in the casework namespace (included from urls.py, under /acties/): contacts, guidance hours,
escalations and warm handovers."""

from django.urls import path

from . import contact_views, views

urlpatterns: list = [
    path("deelnemer/<int:pk>/contacten/", contact_views.participant_contacts, name="participant_contacts"),
    path("deelnemer/<int:pk>/contacten/nieuw/", contact_views.contact_create, name="contact_create"),
    path("deelnemer/<int:pk>/contacten/<int:contact_id>/", contact_views.contact_detail, name="contact_detail"),
    path("deelnemer/<int:pk>/contacten/<int:contact_id>/wijzigen/", contact_views.contact_edit,
         name="contact_edit"),
    path("deelnemer/<int:pk>/contacten/<int:contact_id>/verwijderen/", contact_views.contact_delete,
         name="contact_delete"),
    path("begeleidingsuren/", contact_views.guidance_hours, name="guidance_hours"),
    path("escalaties/", views.escalations, name="escalations"),
    path("deelnemer/<int:pk>/overdracht/", contact_views.handover_create, name="handover_create"),
    path("overdrachten/", contact_views.my_handovers, name="my_handovers"),
    path("overdrachten/<int:handover_id>/", contact_views.handover_detail, name="handover_detail"),
    path("overdrachten/<int:handover_id>/bevestigen/", contact_views.handover_confirm, name="handover_confirm"),
]
