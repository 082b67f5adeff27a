"""The site's own pages: the start page, the health check and the 404 page."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render

from koers.core import access, audit, extensions


def home(request):
    """Start page: the caseload for regisseurs and counsellors, participants for other case workers,
    administration for functional administrators, the programmes for researchers (each registered by its app
    in ``core.extensions``)."""
    destination = extensions.home_for(request.user)
    if destination:
        return redirect(destination)
    return render(request, "core/home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    if isinstance(exception, access.NotVisible) and request.user.is_authenticated:
        # A logged-in user asked for something the access policy hides: a security event.
        audit.record_denied(request, str(exception), participant_id=exception.participant_id)
    return render(request, "404.html", status=404)
