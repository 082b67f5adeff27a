"""URLs of the programme pages (included by monitoring/urls.py)."""

from django.urls import path

from koers.monitoring import programme_views as views

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("nieuw/", views.programme_create, name="programme_create"),
    path("<slug:code>/", views.programme_detail, name="programme"),
    path("<slug:code>/wijzigen/", views.programme_update, name="programme_update"),
    path("<slug:code>/projecten/nieuw/", views.project_create, name="project_create"),
    path("<slug:code>/projecten/<slug:project>/", views.project_detail, name="project"),
    path("<slug:code>/projecten/<slug:project>/wijzigen/", views.project_update, name="project_update"),
]
