"""The conversation with a participant, for the regisseur and the counsellors (the participant's side is in the
portal). Thin: the door, a query or service, a template."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from koers.casework.forms.messages import MessageForm
from koers.casework.queries import messages as queries
from koers.casework.services import messages as services
from koers.core import audit, uploads
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_page


def _require(request, grant) -> None:
    if not queries.may_read(request.user, grant):
        raise Http404("Pagina niet gevonden")


@participant_page
def conversation(request, participant, grant):
    _require(request, grant)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_from_staff(request.user, participant, grant, body=form.cleaned_data["body"],
                                     attachment=form.cleaned_data["attachment"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, "Uw bericht is verstuurd. De deelnemer ziet het in Mijn Koers.")
            return redirect("casework:conversation", pk=participant.pk)
    if request.method == "GET":
        services.mark_read_by_staff(request.user, participant, grant)
    items = list(queries.conversation(participant))
    audit.record(request.user, participant, {Category.IDENTITY, Category.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Berichten bekeken", request=request)
    return render(request, "casework/messages/conversation.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "contacten", "items": items, "form": form,
    })


@participant_page
def attachment(request, participant, grant, message_id):
    _require(request, grant)
    message = queries.message_or_404(participant, message_id)
    if not message.attachment:
        raise Http404("Geen bijlage")
    audit.record(request.user, participant, Category.TRAJECTORY, AuditAction.EXPORT, legal_basis=grant.legal_basis,
                 detail=f"Bijlage van bericht {message.pk} geopend", request=request)
    return uploads.download(message.attachment, message.attachment_name or "bijlage")
