"""The import pages of a programme: upload a projects or participants file, preview it, confirm it.

Only staff who may manage the programme (``Scope.can_manage``) see these pages; anyone else gets a 404. The
uploaded file is kept between preview and confirmation under ``MEDIA_ROOT/imports/<random token>`` (never
served: Koers has no public media URL), named in the uploader's session only, validated again on
confirmation and deleted once applied or cancelled; files left behind are removed after a day.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from koers.monitoring.access import get_scope_or_404
from koers.monitoring.forms.imports import KINDS, ConfirmForm, UploadForm
from koers.monitoring.rules import imports as import_rules
from koers.monitoring.services import imports as import_services

NAV = "monitoring"
SESSION_KEY = "monitoring_imports"
PREVIEW_ROWS = 20
PREVIEW_SAMPLE = 10 * PREVIEW_ROWS  # rows read for the sample (empty ones are skipped)
MAX_SHOWN_ERRORS = 1000
STALE_SECONDS = 24 * 60 * 60


def _manage_scope(request, code: str):
    scope = get_scope_or_404(request.user, code)
    if not scope.can_manage:
        raise Http404("Programma niet gevonden")
    return scope


def _programme_url(code: str) -> str:
    try:
        return reverse("monitoring:programme", kwargs={"code": code})
    except NoReverseMatch:  # the programme pages are optional for the import
        return f"/monitoring/{code}/"


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _remove_stale(directory: Path) -> None:
    limit = time.time() - STALE_SECONDS
    for item in directory.iterdir():
        with contextlib.suppress(OSError):  # removed meanwhile by a concurrent request
            if item.is_file() and item.stat().st_mtime < limit:
                item.unlink(missing_ok=True)


def _store(upload) -> str:
    directory = _upload_dir()
    _remove_stale(directory)
    token = secrets.token_urlsafe(24)
    fd = os.open(directory / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token


def _pending(request, code: str, token: str) -> dict | None:
    """The session's record of an uploaded file for this programme (the token is only ever looked up)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry.get("programme") != code:
        return None
    path = _upload_dir() / token
    if not path.is_file():
        return None
    return entry | {"path": path}


def _forget(request, token: str) -> None:
    """Drop the session's record and the file (only a token the session issued names a file)."""
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is None:
        return
    request.session[SESSION_KEY] = pending
    (_upload_dir() / token).unlink(missing_ok=True)


def _run(request, scope, entry: dict, data: bytes, *, apply: bool, partial: bool = False,
         record: bool = True) -> import_rules.ImportResult:
    """Check (``apply=False``) or import the file within the web limits; every run is audited (``record``)."""
    common = {"user": request.user, "apply": apply, "limits": import_rules.WEB_LIMITS, "request": request,
              "record": record}
    if entry["kind"] == "projecten":
        return import_services.import_projects(data, entry["filename"], programme_code=scope.programme.code,
                                         owner=scope.programme.owner, **common)
    return import_services.import_participants(data, entry["filename"], programme=scope.programme, partial=partial,
                                         **common)


def import_page(request, code):
    scope = _manage_scope(request, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = _store(upload)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"programme": code, "kind": form.cleaned_data["kind"], "filename": Path(upload.name).name}
        request.session[SESSION_KEY] = pending
        return redirect("monitoring:import_preview", code=code, token=token)
    return render(request, "monitoring/import_start.html", {
        "nav": NAV, "scope": scope, "programme": scope.programme, "form": form,
        "programme_url": _programme_url(code),
        "runs": scope.programme.imports.select_related("user")[:10],
    })


def _preview_context(scope, entry: dict, data: bytes, result: import_rules.ImportResult) -> dict:
    try:  # only the rows the sample needs (the check has read the whole file already)
        header, rows = import_rules.read_table(data, entry["filename"], limits=import_rules.WEB_LIMITS,
                                            sample=PREVIEW_SAMPLE)
    except import_rules.FileError:
        header, rows = [], []
    bad_lines = {e.line for e in result.errors}
    sample = []
    for index, row in enumerate(rows):
        if not any(row.values()):
            continue
        line = index + 2
        sample.append({"line": line, "cells": [row.get(h, "") for h in header], "bad": line in bad_lines})
        if len(sample) == PREVIEW_ROWS:
            break
    valid = result.created + result.updated
    return {
        "nav": NAV, "scope": scope, "programme": scope.programme, "entry": entry,
        "kind_label": dict(KINDS)[entry["kind"]].lower(), "result": result, "header": header, "sample": sample,
        "errors": result.errors[:MAX_SHOWN_ERRORS], "more_errors": max(0, len(result.errors) - MAX_SHOWN_ERRORS),
        "can_apply": not result.errors or (
            entry["kind"] == "deelnemers" and valid > 0 and not result.header_errors
        ),
        "programme_url": _programme_url(scope.programme.code),
    }


def _gone(request, code):
    messages.error(request, "Dit bestand is niet meer beschikbaar (al geïmporteerd of verlopen). Kies het "
                            "bestand opnieuw.")
    return redirect("monitoring:import", code=code)


def import_preview(request, code, token):
    scope = _manage_scope(request, code)
    entry = _pending(request, code, token)
    if entry is None:
        return _gone(request, code)
    data = entry["path"].read_bytes()
    result = _run(request, scope, entry, data, apply=False, partial=True)
    context = _preview_context(scope, entry, data, result)
    context.update(token=token, confirm_form=ConfirmForm())
    return render(request, "monitoring/import_preview.html", context)


@require_POST
def import_confirm(request, code, token):
    scope = _manage_scope(request, code)
    entry = _pending(request, code, token)
    if entry is None:
        return _gone(request, code)
    form = ConfirmForm(request.POST)
    partial = form.is_valid() and form.cleaned_data["partial"] and entry["kind"] == "deelnemers"
    data = entry["path"].read_bytes()
    result = _run(request, scope, entry, data, apply=True, partial=partial)
    if not result.applied:
        if result.errors and not partial:
            form.add_error("partial" if entry["kind"] == "deelnemers" else None,
                           "Het bestand bevat fouten, dus er is niets geïmporteerd. Verbeter het bestand, of kies "
                           "ervoor alleen de geldige regels te importeren.")
        else:
            form.add_error(None, "Er is niets geïmporteerd: het bestand bevat geen geldige regels.")
        preview = _run(request, scope, entry, data, apply=False, partial=True, record=False)
        context = _preview_context(scope, entry, data, preview)
        context.update(token=token, confirm_form=form)
        response = render(request, "monitoring/import_preview.html", context, status=200)
        if request.htmx:  # the address bar keeps the preview's URL (the confirm URL only takes POST)
            response["HX-Push-Url"] = reverse("monitoring:import_preview", kwargs={"code": code, "token": token})
        return response
    _forget(request, token)
    what = "projecten" if entry["kind"] == "projecten" else "deelnemers"
    skipped = f" {result.error_lines} regel(s) met fouten zijn overgeslagen." if result.errors else ""
    messages.success(request, f"{entry['filename']} is geïmporteerd: {result.created} {what} nieuw, "
                              f"{result.updated} bijgewerkt.{skipped}")
    return redirect("monitoring:import", code=code)


@require_POST
def import_cancel(request, code, token):
    _manage_scope(request, code)
    _forget(request, token)
    messages.info(request, "De import is geannuleerd; het bestand is verwijderd.")
    return redirect("monitoring:import", code=code)

