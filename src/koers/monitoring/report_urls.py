"""URLs of the report pages (included by monitoring/urls.py)."""

from django.urls import path, re_path

from koers.monitoring import report_views as views

urlpatterns = [
    path("<slug:code>/rapport/", views.report, name="report"),
    path("<slug:code>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:code>/rapport/alle-tabellen.xlsx", views.report_all_xlsx, name="report_all_xlsx"),
    re_path(r"^(?P<code>[-\w]+)/rapport/(?P<table_key>[-\w]+)\.(?P<fmt>csv|xlsx)$", views.report_table,
            name="report_table"),
]
