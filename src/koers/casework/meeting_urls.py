"""Routes of the casusoverleg in the casework namespace (included from urls.py, under /acties/)."""

from django.urls import path

from . import meeting_views as views

urlpatterns: list = [
    path("deelnemer/<int:pk>/bespreken/", views.request_discussion, name="request_discussion"),
    path("casusoverleg/", views.meeting_list, name="meetings"),
    path("casusoverleg/nieuw/", views.meeting_create, name="meeting_create"),
    path("casusoverleg/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("casusoverleg/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("casusoverleg/<int:pk>/notulen/", views.meeting_minutes, name="meeting_minutes"),
    path("casusoverleg/<int:pk>/vaststellen/", views.meeting_finalise, name="meeting_finalise"),
    path("casusoverleg/<int:pk>/agenda.pdf", views.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("casusoverleg/<int:pk>/notulen.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
]
