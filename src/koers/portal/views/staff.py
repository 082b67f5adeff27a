"""Staff side of Mijn Koers, inside the participant's file: the invitation letter and blocking access, and the
files of the participant's own portfolio items (for staff who may read work data, as the panel).

Only the regisseur of the organisation that holds the regie (``grant.can_manage_access``) hands out letters:
one trusted counsellor, and the person a participant asks when the code or password is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from koers.core import audit, uploads
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.core.pages import participant_page
from koers.portal import pdf
from koers.portal.forms.accounts import InviteForm
from koers.portal.queries import accounts as queries
from koers.portal.queries import portfolio as portfolio_queries
from koers.portal.rules.language import portal_language_for
from koers.portal.services import accounts as services


def _require_regisseur(grant) -> None:
    if not queries.may_invite(grant):
        raise Http404


@participant_page
def invite(request, participant, grant):
    _require_regisseur(grant)
    state = queries.status(participant)
    account = state["account"]
    initial = account.language if account else portal_language_for(participant.languages)
    form = InviteForm(request.POST or None, initial={"language": initial})
    if request.method == "POST" and form.is_valid():
        new = services.invite(participant=participant, by=request.user, language=form.cleaned_data["language"],
                              legal_basis=grant.legal_basis, request=request)
        link = pdf.activation_link(request.build_absolute_uri(reverse("portal:activate")),
                                   new.account.user.username, new.code, new.account.language)
        content = pdf.letter_pdf(
            participant=participant, username=new.account.user.username, code=new.code,
            expires_at=new.invitation.expires_at, language=new.account.language, link=link,
            organisation_name=request.user.organisation.name,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="uitnodiging-mijn-koers-{participant.pk}.pdf"'
        return response
    audit.record(request.user, participant, Category.IDENTITY, legal_basis=grant.legal_basis,
                 detail="Mijn Koers: status en uitnodiging", request=request)
    return render(request, "portal/staff/invite.html", {
        "nav": "participants", "p": participant, "grant": grant, "form": form,
        "days": settings.KOERS_PORTAL_INVITATION_DAYS, **state,
    })


@require_POST
@participant_page
def block(request, participant, grant):
    _require_regisseur(grant)
    account = queries.status(participant)["account"]
    if account is None:
        raise Http404
    services.block(account=account, by=request.user, legal_basis=grant.legal_basis, request=request)
    messages.success(request, "Toegang tot Mijn Koers is geblokkeerd. Met een nieuwe brief kan de deelnemer weer "
                              "inloggen.")
    return redirect("portal_staff:invite", pk=participant.pk)


@participant_page
def portfolio_file(request, participant, grant, item_id):
    """The file of one of the participant's own portfolio items (a certificate, a photo of work): work data, for
    staff whose grant reads it; another participant's item is a 404, like the item without a file."""
    if Category.WORK not in grant.read:
        raise Http404
    item = portfolio_queries.item_or_404(participant, item_id)
    if not item.file:
        raise Http404
    audit.record(request.user, participant, Category.WORK, AuditAction.EXPORT, legal_basis=grant.legal_basis,
                 detail=f"Mijn Koers: bestand van portfolio-item {item.pk} geopend", request=request)
    return uploads.download(item.file, portfolio_queries.download_name(item))
