"""Beheer > Beveiliging: denied attempts and beheer actions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator

from koers.core.forms.security import SecurityEventFilterForm
from koers.core.queries import security as queries
from koers.core.views.beheer import beheer_required, render_beheer


@beheer_required
def security_events(request):
    """Denied attempts (404s on what the access policy hides) and beheer actions: who, what, when, how many.

    Reads the audit trail only (append-only); which events a functional administrator sees: queries/security.py.
    """
    filters = SecurityEventFilterForm(request.GET or None)
    period, kind = "7d", ""
    if filters.is_valid():
        period = filters.cleaned_data["periode"] or "7d"
        kind = filters.cleaned_data["soort"]
    events = queries.events(request.user, period, kind)
    per_user = queries.denied_per_user(events)
    page = Paginator(events.order_by("-at", "-id"), settings.KOERS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = urlencode({"periode": period, **({"soort": kind} if kind else {})})
    return render_beheer(request, "core/security_events.html", {
        "filters": filters, "page": page, "events": page.object_list, "per_user": per_user,
        "period_label": queries.PERIODS[period][0], "kind": kind, "query": query,
        "filtered": bool(request.GET.get("periode") or kind),
    })
