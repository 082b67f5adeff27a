"""Acknowledging a signaal of the caseload (the alert engine's one write). Thin: parse, call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from koers.casework.forms.alerts import AcknowledgeForm
from koers.casework.services import alerts as alert_services
from koers.core.http import safe_next


@require_POST
def acknowledge(request, pk):
    """Acknowledge one signal of one participant with a note (404 when the participant is not visible)."""
    form = AcknowledgeForm(request.POST)
    back = safe_next(request, reverse("casework:caseload"))
    if not form.is_valid():
        if "code" in form.errors:
            raise Http404("Signaal niet gevonden")
        messages.error(request, " ".join(form.errors.get("note", ["De notitie is niet goed ingevuld."])))
        return redirect(back)
    try:
        ack = alert_services.acknowledge(request.user, pk, form.cleaned_data["code"], form.cleaned_data["subject"],
                                         form.cleaned_data["note"], request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Signaal afgehandeld. Het komt op {ack.snooze_until:%d-%m-%Y} terug als de oorzaak er dan nog is."
        )
    return redirect(back)
