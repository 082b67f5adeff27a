"""Routes in the casework namespace (included from urls.py, under /acties/): caseload, signals, team load."""

from django.urls import path

from . import signal_views

urlpatterns: list = [
    path("caseload/", signal_views.caseload, name="caseload"),
    path("caseload/team/", signal_views.team_caseload, name="team_caseload"),
    path("caseload/team/overdragen/", signal_views.team_reassign, name="team_reassign"),
    path("signalen/<int:pk>/afhandelen/", signal_views.acknowledge, name="signal_acknowledge"),
]
