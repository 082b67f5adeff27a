"""Every route of the activities app (namespace ``activities``), in one list."""

from django.urls import path

from koers.activities.views import activities as activities_views
from koers.activities.views import attendance as attendance_views
from koers.activities.views import groups as groups_views
from koers.activities.views import schedule as schedule_views

app_name = "activities"

urlpatterns = [
    path("", activities_views.activity_list, name="list"),
    path("nieuw/", activities_views.activity_create, name="create"),
    path("<int:pk>/", activities_views.activity_detail, name="detail"),
    path("<int:pk>/wijzigen/", activities_views.activity_update, name="update"),
    path("<int:pk>/inschrijven/", activities_views.enrol_activity, name="enrol_activity"),
    path("deelnemer/<int:pk>/", activities_views.participant_enrolments, name="participant_enrolments"),
    path("deelnemer/<int:pk>/inschrijven/", activities_views.enrol_participant, name="enrol"),
    path("deelnemer/<int:pk>/rooster/", schedule_views.participant_schedule, name="participant_schedule"),
    path("deelnemer/<int:pk>/weekkaart.pdf", schedule_views.participant_week_card, name="week_card"),
    path("inschrijving/<int:pk>/status/", activities_views.enrolment_status, name="enrolment_status"),
    # attendance
    path("bijeenkomsten/", attendance_views.my_sessions, name="my_sessions"),
    path("bijeenkomsten/<int:session_id>/aanwezigheid/", attendance_views.attendance_entry, name="attendance"),
    path("bijeenkomsten/<int:session_id>/wijzigen/", attendance_views.session_edit, name="session_edit"),
    path("<int:activity_id>/bijeenkomsten/", attendance_views.session_list, name="sessions"),
    path("<int:activity_id>/bijeenkomsten/genereren/", attendance_views.sessions_generate, name="sessions_generate"),
    path("<int:activity_id>/bijeenkomsten/nieuw/", attendance_views.session_create, name="session_create"),
    path("vrije-dagen/", attendance_views.closed_days, name="closed_days"),
    path("vrije-dagen/<int:day_id>/verwijderen/", attendance_views.closed_day_delete, name="closed_day_delete"),
    # groups
    path("<int:activity_id>/groepen/", groups_views.group_list, name="groups"),
    path("<int:activity_id>/groepen/voorstel/", groups_views.group_suggestions, name="group_suggestions"),
    path("<int:activity_id>/groepen/voorstel/aanmaken/", groups_views.group_from_suggestion,
         name="group_from_suggestion"),
    path("groepen/<int:group_id>/", groups_views.group_detail, name="group_detail"),
    path("groepen/<int:group_id>/deelnemer/<int:enrolment_id>/eruit/", groups_views.group_remove_member,
         name="group_remove_member"),
    path("deelnemer/<int:pk>/aanwezigheid/", attendance_views.participant_attendance, name="participant_attendance"),
]
