"""URLs of the report pages (included by monitoring/urls.py)."""

urlpatterns: list = []
