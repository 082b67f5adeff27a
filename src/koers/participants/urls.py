from django.urls import include, path

from koers.participants import views

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="list"),
    path("nieuw/", views.participant_create, name="create"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/wijzigen/<slug:section>/", views.edit_section, name="edit_section"),
    path("<int:pk>/taalniveau/", views.add_assessment, name="add_assessment"),
    path("<int:pk>/werkervaring/", views.add_work_experience, name="add_work_experience"),
    path("<int:pk>/werkervaring/<int:item_id>/verwijderen/", views.remove_work_experience,
         name="remove_work_experience"),
    path("<int:pk>/geschiedenis/", views.history, name="history"),
    path("<int:pk>/toegang/", views.memberships, name="access"),
    path("<int:pk>/toegang/<int:membership_id>/beeindigen/", views.end_membership, name="end_membership"),
    path("<int:pk>/audittrail/", views.audit_trail, name="audit"),
    path("<int:pk>/audittrail.csv", views.audit_trail_csv, name="audit_csv"),
    path("", include("koers.participants.intake_urls")),
]
