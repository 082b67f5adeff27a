from django.urls import include, path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.my_actions, name="my_actions"),
    path("organisatie/", views.org_actions, name="org_actions"),
    path("deelnemer/<int:pk>/", views.participant_actions, name="participant_actions"),
    path("deelnemer/<int:pk>/nieuw/", views.action_create, name="action_create"),
    path("<int:item_id>/status/", views.change_status, name="change_status"),
    path("", include("koers.casework.contact_urls")),
    path("", include("koers.casework.signal_urls")),
    path("", include("koers.casework.meeting_urls")),
]
