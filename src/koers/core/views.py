from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render

from . import access


def home(request):
    """Start page: participants for case workers, administration for functional administrators."""
    if access.works_with_participants(request.user):
        return redirect("participants:list")
    if access.can_manage_organisations(request.user):
        return redirect("core:organisation_list")
    return render(request, "core/home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
