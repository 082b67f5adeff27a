"""'My data and who sees it': organisations and their basis, withdrawing a consent, the access log, download."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.core.pdf import html_to_pdf
from koers.portal.door import portal_page
from koers.portal.forms.accounts import EmailNoticesForm
from koers.portal.queries import my_data as queries
from koers.portal.services import consent as consent_services
from koers.portal.services import notices as notice_services


@portal_page
def my_data(request, participant):
    audit.record(request.user, participant, {Category.IDENTITY, Category.TRAJECTORY}, AuditAction.VIEW,
                 legal_basis=access.OWN_BASIS, detail="Mijn Koers: mijn gegevens en wie ze ziet", request=request)
    return render(request, "portal/my_data.html", {
        "p": participant, "nav": "data", "involved": queries.involved(participant),
        "log": queries.access_log(participant, request.user.pk),
        "passkeys_on": "passkey" in settings.KOERS_PORTAL_LOGIN_METHODS,
        "notices_form": EmailNoticesForm(initial={"email_notices": request.portal_account.email_notices}),
    })


@require_POST
@portal_page
def email_notices(request, participant):
    form = EmailNoticesForm(request.POST)
    if form.is_valid() and (participant.email or "").strip():
        on = form.cleaned_data["email_notices"]
        notice_services.set_email_notices(account=request.portal_account, on=on, request=request)
        messages.success(request, _("U krijgt een e-mail als er nieuws voor u is.") if on
                         else _("U krijgt geen e-mails meer van Mijn Koers."))
    return redirect(reverse("portal:my_data") + "#meldingen")


@portal_page
def withdraw(request, participant, membership_id):
    membership_id = access.safe_id(membership_id)
    row = next((i for i in queries.involved(participant) if i.membership_id and i.membership_id == membership_id),
               None)
    if row is None:
        raise Http404
    if request.method == "POST":
        consent_services.withdraw(account=request.portal_account, membership_id=membership_id)
        messages.success(request, _("U heeft uw toestemming ingetrokken. %(organisation)s ziet uw gegevens niet "
                                    "meer. Uw contactpersoon bij de gemeente weet het.")
                         % {"organisation": row.organisation})
        return redirect("portal:my_data")
    return render(request, "portal/withdraw.html", {"p": participant, "nav": "data", "row": row})


@portal_page
def download(request, participant):
    data = queries.download(participant)
    audit.record(request.user, participant, sorted(access.own_grant().read), AuditAction.EXPORT,
                 legal_basis=access.OWN_BASIS, detail="Mijn Koers: al mijn gegevens gedownload (JSON)",
                 request=request)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response





@portal_page
def download_pdf(request, participant):
    data = queries.download(participant)
    html = render_to_string("portal/pdf/my_data.html", {"data": data, "made_at": timezone.localtime()})
    audit.record(request.user, participant, sorted(access.own_grant().read), AuditAction.EXPORT,
                 legal_basis=access.OWN_BASIS, detail="Mijn Koers: al mijn gegevens gedownload (PDF)",
                 request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.pdf"'
    return response
