from django.urls import include, path

from koers.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nieuw/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.activity_update, name="update"),
    path("<int:pk>/inschrijven/", views.enrol_activity, name="enrol_activity"),
    path("deelnemer/<int:pk>/", views.participant_enrolments, name="participant_enrolments"),
    path("deelnemer/<int:pk>/inschrijven/", views.enrol_participant, name="enrol"),
    path("deelnemer/<int:pk>/rooster/", views.participant_schedule, name="participant_schedule"),
    path("deelnemer/<int:pk>/weekkaart.pdf", views.participant_week_card, name="week_card"),
    path("inschrijving/<int:pk>/status/", views.enrolment_status, name="enrolment_status"),
    path("", include("koers.activities.attendance_urls")),
]
