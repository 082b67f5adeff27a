"""'Messages': the participant's conversation with their regisseur and counsellors. The messages and their
contacts are written by casework's services (the same as the staff side); this is the participant's door."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from koers.casework.forms.messages import MessageForm
from koers.casework.queries import messages as queries
from koers.casework.services import messages as services
from koers.core import access, audit, uploads
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.portal.door import portal_page


@portal_page
def conversation(request, participant):
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_from_participant(request.user, participant, body=form.cleaned_data["body"],
                                           attachment=form.cleaned_data["attachment"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Uw bericht is verstuurd. U krijgt zo snel mogelijk antwoord, meestal binnen "
                                     "twee werkdagen."))
            return redirect("portal:messages")
    if request.method == "GET":
        services.mark_read_by_participant(request.user, participant)
    items = list(queries.conversation(participant))
    audit.record(request.user, participant, {Category.IDENTITY, Category.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=access.OWN_BASIS, detail="Mijn Koers: berichten", request=request)
    return render(request, "portal/messages.html", {"p": participant, "nav": "messages", "items": items,
                                                    "form": form})


@portal_page
def attachment(request, participant, message_id):
    message = queries.message_or_404(participant, message_id)
    if not message.attachment:
        raise Http404
    audit.record(request.user, participant, Category.TRAJECTORY, AuditAction.EXPORT, legal_basis=access.OWN_BASIS,
                 detail=f"Mijn Koers: bijlage van bericht {message.pk} geopend", request=request)
    return uploads.download(message.attachment, message.attachment_name or "bijlage")
