"""URLs of the research pages (included by monitoring/urls.py): data completeness and the research export."""

from django.urls import path

from koers.monitoring import research_views as v

urlpatterns: list = [
    path("<slug:code>/volledigheid/", v.completeness_worklist, name="completeness"),
    path("deelnames/<int:pk>/aanvullen/", v.trajectory_edit, name="trajectory_edit"),
    path("<slug:code>/onderzoek/", v.research_page, name="research"),
    path("<slug:code>/onderzoek.<str:fmt>", v.research_export, name="research_export"),
]
