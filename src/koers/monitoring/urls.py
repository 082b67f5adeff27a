"""Monitoring URLs under /monitoring/. Each part keeps its own list; the app namespace is "monitoring"."""

from koers.monitoring import followup_urls, import_urls, programme_urls, report_urls, research_urls

app_name = "monitoring"

# Fixed paths ("vervolgmetingen/") before the programme pages' "<code>/", which would otherwise take them.
urlpatterns = [
    *followup_urls.urlpatterns,
    *programme_urls.urlpatterns,
    *report_urls.urlpatterns,
    *import_urls.urlpatterns,
    *research_urls.urlpatterns,
]
