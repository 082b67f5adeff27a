"""The household page of a participant: the family members the user may see, linking and unlinking (regisseur)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.participants.queries import household as queries
from koers.participants.services import household as services


@participant_page
def household(request, participant, grant):
    access.require_category(grant, Category.TRAJECTORY)
    error = ""
    if request.method == "POST":
        try:
            services.link(request.user, participant, request.POST.get("other"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Gekoppeld: deze deelnemers horen nu bij één huishouden.")
            return redirect("participants:household", pk=participant.pk)
    participant.refresh_from_db(fields=["household"])
    members = queries.members(request.user, participant)
    q = request.GET.get("q", "")[:100] if grant.is_regisseur else ""
    found = queries.candidates(request.user, participant, q) if q else []
    shown = [participant, *members, *found]
    grants = access.grants_for_page(request.user, shown)
    audit.record_many(
        request.user,
        [(participant.pk, Category.TRAJECTORY, grant.legal_basis)]
        + [(p.pk, c, grants[p.pk].legal_basis) for p in members for c in (Category.IDENTITY, Category.TRAJECTORY)]
        + [(p.pk, Category.IDENTITY, grants[p.pk].legal_basis) for p in found],
        AuditAction.VIEW, detail="Huishouden", request=request,
    )
    return render(request, "participants/household.html", {
        "nav": "participants", "p": participant, "grant": grant, "members": members, "found": found, "q": q,
        "error": error,
    })


@require_POST
@participant_page
def household_leave(request, participant, grant):
    services.leave(request.user, participant)
    messages.success(request, f"{participant.name} hoort niet meer bij het huishouden.")
    return redirect("participants:household", pk=participant.pk)
