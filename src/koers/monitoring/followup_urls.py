"""URLs of the followup pages (included by monitoring/urls.py)."""

urlpatterns: list = []
