"""Routes in the casework namespace (included from urls.py)."""

urlpatterns: list = []
