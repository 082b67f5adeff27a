"""Every route of the participants app (namespace ``participants``), in one list."""

from django.urls import path

from koers.participants.views import file as file_views
from koers.participants.views import household as household_views
from koers.participants.views import intake as intake_views

app_name = "participants"

urlpatterns = [
    path("", file_views.participant_list, name="list"),
    path("nieuw/", file_views.participant_create, name="create"),
    path("<int:pk>/", file_views.participant_detail, name="detail"),
    path("<int:pk>/wijzigen/<slug:section>/", file_views.edit_section, name="edit_section"),
    path("<int:pk>/taalniveau/", file_views.add_assessment, name="add_assessment"),
    path("<int:pk>/werkervaring/", file_views.add_work_experience, name="add_work_experience"),
    path("<int:pk>/werkervaring/<int:item_id>/verwijderen/", file_views.remove_work_experience,
         name="remove_work_experience"),
    path("<int:pk>/geschiedenis/", file_views.history, name="history"),
    path("<int:pk>/toegang/", file_views.memberships, name="access"),
    path("<int:pk>/toegang/<int:membership_id>/beeindigen/", file_views.end_membership, name="end_membership"),
    path("<int:pk>/audittrail/", file_views.audit_trail, name="audit"),
    path("<int:pk>/audittrail.csv", file_views.audit_trail_csv, name="audit_csv"),
    # household
    path("<int:pk>/huishouden/", household_views.household, name="household"),
    path("<int:pk>/huishouden/loskoppelen/", household_views.household_leave, name="household_leave"),
    # intake
    path("<int:pk>/intakes/", intake_views.intake_list, name="intake_list"),
    path("<int:pk>/intakes/starten/", intake_views.intake_start, name="intake_start"),
    path("<int:pk>/intakes/<int:intake_id>/", intake_views.intake_detail, name="intake_detail"),
    path("<int:pk>/intakes/<int:intake_id>/hervatten/", intake_views.intake_resume, name="intake_resume"),
    path("<int:pk>/intakes/<int:intake_id>/stap/<slug:step>/", intake_views.intake_step, name="intake_step"),
]
