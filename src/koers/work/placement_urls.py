"""Routes in the work namespace (included from urls.py)."""

urlpatterns: list = []
