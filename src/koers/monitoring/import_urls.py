"""URLs of the import pages (included by monitoring/urls.py)."""

from django.urls import path

from koers.monitoring import import_views as v

urlpatterns: list = [
    path("<slug:code>/import/", v.import_page, name="import"),
    path("<slug:code>/import/<slug:token>/", v.import_preview, name="import_preview"),
    path("<slug:code>/import/<slug:token>/bevestigen/", v.import_confirm, name="import_confirm"),
    path("<slug:code>/import/<slug:token>/annuleren/", v.import_cancel, name="import_cancel"),
]
