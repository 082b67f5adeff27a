"""Beheer > Vertalingen: per language how complete and how reviewed the translations are."""

from __future__ import annotations

from koers.core.queries import translations as queries
from koers.core.views.beheer import beheer_required, render_beheer


@beheer_required
def translations(request):
    return render_beheer(request, "core/translations.html", {"languages": queries.overview(request.user)})
