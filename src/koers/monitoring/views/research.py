"""Pages of the research export: what it holds, and the pseudonymised file (CSV or XLSX).

The scope comes from ``monitoring.access``: the programme's owner and its researchers; anyone else gets a 404.
The export is audited (queries/research.py). The rules are documented in docs/privacy.md, "Monitoring en
onderzoeksexport".
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from koers.monitoring.access import Scope, get_scope_or_404
from koers.monitoring.queries import research as research_queries
from koers.monitoring.rules.suppression import shown

NAV = "monitoring"


def _research_scope(user, code: str) -> Scope:
    """The owner and the programme's researchers; partners get 404."""
    scope = get_scope_or_404(user, code)
    if scope.kind not in ("owner", "researcher"):
        raise Http404("Pagina niet gevonden")
    return scope


def research_page(request, code):
    scope = _research_scope(request.user, code)
    return render(request, "monitoring/research.html", {
        "nav": NAV, "programme": scope.programme, "scope": scope, "columns": research_queries.COLUMNS,
        "rows": shown(scope.trajectories().count(), external=scope.external),
        "threshold": research_queries.RARE_THRESHOLD,
    })


def research_export(request, code, fmt):
    scope = _research_scope(request.user, code)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Formaat niet gevonden")
    content, content_type, filename = research_queries.export(request.user, scope.programme, fmt, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
