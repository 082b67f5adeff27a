"""URLs of the programme pages (included by monitoring/urls.py)."""

urlpatterns: list = []
