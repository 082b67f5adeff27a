"""URLs of the research pages (included by monitoring/urls.py)."""

urlpatterns: list = []
