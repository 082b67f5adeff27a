"""Every route of the monitoring app under /monitoring/ (namespace "monitoring"), in one list."""

from django.urls import path, re_path

from koers.monitoring.views import completeness as completeness_views
from koers.monitoring.views import followups as followups_views
from koers.monitoring.views import imports as imports_views
from koers.monitoring.views import programmes as programmes_views
from koers.monitoring.views import reports as reports_views
from koers.monitoring.views import research as research_views

app_name = "monitoring"

# Fixed paths ("vervolgmetingen/") before the programme pages' "<code>/", which would otherwise take them.
urlpatterns = [
    # followup
    path("vervolgmetingen/", followups_views.followup_list, name="followups"),
    path("vervolgmetingen/<int:pk>/", followups_views.followup_record, name="followup_record"),
    path("deelnemers/<int:pk>/project/", followups_views.enrol, name="enrol"),
    # programme
    path("", programmes_views.programme_list, name="programmes"),
    path("nieuw/", programmes_views.programme_create, name="programme_create"),
    path("<slug:code>/", programmes_views.programme_detail, name="programme"),
    path("<slug:code>/wijzigen/", programmes_views.programme_update, name="programme_update"),
    path("<slug:code>/projecten/nieuw/", programmes_views.project_create, name="project_create"),
    path("<slug:code>/projecten/<slug:project>/", programmes_views.project_detail, name="project"),
    path("<slug:code>/projecten/<slug:project>/wijzigen/", programmes_views.project_update, name="project_update"),
    # report
    path("<slug:code>/rapport/", reports_views.report, name="report"),
    path("<slug:code>/rapport.pdf", reports_views.report_pdf, name="report_pdf"),
    path("<slug:code>/rapport/alle-tabellen.xlsx", reports_views.report_all_xlsx, name="report_all_xlsx"),
    re_path(r"^(?P<code>[-\w]+)/rapport/(?P<table_key>[-\w]+)\.(?P<fmt>csv|xlsx)$", reports_views.report_table,
            name="report_table"),
    # import
    path("<slug:code>/import/", imports_views.import_page, name="import"),
    path("<slug:code>/import/<slug:token>/", imports_views.import_preview, name="import_preview"),
    path("<slug:code>/import/<slug:token>/bevestigen/", imports_views.import_confirm, name="import_confirm"),
    path("<slug:code>/import/<slug:token>/annuleren/", imports_views.import_cancel, name="import_cancel"),
    # completeness
    path("<slug:code>/volledigheid/", completeness_views.completeness_worklist, name="completeness"),
    path("deelnames/<int:pk>/aanvullen/", completeness_views.trajectory_edit, name="trajectory_edit"),
    # research
    path("<slug:code>/onderzoek/", research_views.research_page, name="research"),
    path("<slug:code>/onderzoek.<str:fmt>", research_views.research_export, name="research_export"),
]
