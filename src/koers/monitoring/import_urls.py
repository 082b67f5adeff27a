"""URLs of the import pages (included by monitoring/urls.py)."""

urlpatterns: list = []
