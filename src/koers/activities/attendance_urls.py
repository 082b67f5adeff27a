"""Groups, sessions and attendance. Included by ``activities/urls.py`` (namespace ``activities``)."""

from django.urls import path

from koers.activities import attendance_views as views

urlpatterns = [
    path("bijeenkomsten/", views.my_sessions, name="my_sessions"),
    path("bijeenkomsten/<int:session_id>/aanwezigheid/", views.attendance_entry, name="attendance"),
    path("bijeenkomsten/<int:session_id>/wijzigen/", views.session_edit, name="session_edit"),
    path("<int:activity_id>/bijeenkomsten/", views.session_list, name="sessions"),
    path("<int:activity_id>/bijeenkomsten/genereren/", views.sessions_generate, name="sessions_generate"),
    path("<int:activity_id>/bijeenkomsten/nieuw/", views.session_create, name="session_create"),
    path("vrije-dagen/", views.closed_days, name="closed_days"),
    path("vrije-dagen/<int:day_id>/verwijderen/", views.closed_day_delete, name="closed_day_delete"),
    path("<int:activity_id>/groepen/", views.group_list, name="groups"),
    path("<int:activity_id>/groepen/voorstel/", views.group_suggestions, name="group_suggestions"),
    path("<int:activity_id>/groepen/voorstel/aanmaken/", views.group_from_suggestion, name="group_from_suggestion"),
    path("groepen/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groepen/<int:group_id>/deelnemer/<int:enrolment_id>/eruit/", views.group_remove_member,
         name="group_remove_member"),
    path("deelnemer/<int:pk>/aanwezigheid/", views.participant_attendance, name="participant_attendance"),
]
