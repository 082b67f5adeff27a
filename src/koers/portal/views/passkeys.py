"""Passkeys: logging in with one (public), and the participant's own page to add and remove them.

The browser part is ``static/portal/passkey.js``: it asks for options (a fresh challenge, kept in the session),
lets the phone sign, puts the answer in a hidden field and submits an ordinary form. Without JavaScript or
without passkey support in the browser none of this shows, and the password login works as before.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core import lockout, ratelimit
from koers.portal.door import portal_page, public_portal_page
from koers.portal.forms.passkeys import PASSKEY_MESSAGES, PasskeyAddForm, PasskeyLoginForm
from koers.portal.models import Passkey
from koers.portal.services import accounts
from koers.portal.services import passkeys as services
from koers.portal.views.auth import login_page, start_session

LOGIN_CHALLENGE = "portal_passkey_login_challenge"
ADD_CHALLENGE = "portal_passkey_add_challenge"


def relying(request) -> services.Relying:
    """The relying party id and origins from the settings, else from the request's host (ALLOWED_HOSTS-checked)."""
    host = request.get_host()
    rp_id = settings.KOERS_WEBAUTHN_RP_ID or host.rsplit(":", 1)[0].strip("[]")
    origins = settings.KOERS_WEBAUTHN_ORIGINS or (f"{request.scheme}://{host}",)
    return services.Relying(rp_id, tuple(origins))


def _json(ceremony) -> HttpResponse:
    return HttpResponse(ceremony.options_json, content_type="application/json")


def _passkeys_on() -> None:
    if "passkey" not in settings.KOERS_PORTAL_LOGIN_METHODS:
        raise Http404


def _no_staff(request) -> None:
    """Staff have nothing in the portal: a staff session cannot start a participant's login here."""
    if request.user.is_authenticated and not request.user.is_participant:
        raise Http404


# --- Logging in ---------------------------------------------------------------------------------------------

@require_POST
@public_portal_page
def login_options(request):
    _passkeys_on()
    _no_staff(request)
    ceremony = services.authentication_options(relying=relying(request))
    request.session[LOGIN_CHALLENGE] = ceremony.challenge
    return _json(ceremony)


@require_POST
@public_portal_page
def login(request):
    _passkeys_on()
    _no_staff(request)
    challenge = request.session.pop(LOGIN_CHALLENGE, None)  # single use, whatever happens next
    form = PasskeyLoginForm(request.POST)
    if not ratelimit.hit("portal-passkey-ip", lockout.client_ip(request),
                         settings.KOERS_PORTAL_PASSKEY_LIMIT_PER_IP):
        return login_page(request, problem=PASSKEY_MESSAGES["throttled"], status=429)
    if not form.is_valid():
        return login_page(request, problem=PASSKEY_MESSAGES["invalid"], status=400)
    try:
        account = services.authenticate(credential=form.cleaned_data["credential"], challenge=challenge,
                                        relying=relying(request), request=request)
    except services.PasskeyError as error:
        return login_page(request, problem=PASSKEY_MESSAGES.get(error.code, PASSKEY_MESSAGES["invalid"]),
                          status=400)
    start_session(request, account.user)
    accounts.logged_in_with(account=account, method="passkey", request=request)
    return redirect("portal:home")


# --- The participant's passkeys -----------------------------------------------------------------------------

@portal_page(detail="Mijn Koers: passkeys")
def passkeys(request, participant):
    _passkeys_on()
    account = request.portal_account
    form = PasskeyAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        challenge = request.session.pop(ADD_CHALLENGE, None)
        if form.is_valid():
            try:
                services.register(account=account, credential=form.cleaned_data["credential"], challenge=challenge,
                                  relying=relying(request), name=form.cleaned_data["name"] or _("Passkey"),
                                  request=request)
            except services.PasskeyError as error:
                form.add_error(None, PASSKEY_MESSAGES.get(error.code, PASSKEY_MESSAGES["invalid"]))
            else:
                messages.success(request, _("De passkey is toegevoegd. U kunt nu inloggen zonder wachtwoord."))
                return redirect("portal:passkeys")
        status = 400
    return render(request, "portal/passkeys.html", {
        "form": form, "passkeys": list(account.passkeys.all()), "nav": "data",
        "max_passkeys": services.MAX_PASSKEYS,
    }, status=status)


@require_POST
@portal_page(detail="Mijn Koers: passkey toevoegen")
def add_options(request, participant):
    _passkeys_on()
    ceremony = services.registration_options(account=request.portal_account, relying=relying(request))
    request.session[ADD_CHALLENGE] = ceremony.challenge
    return _json(ceremony)


@portal_page(detail="Mijn Koers: passkey verwijderen")
def remove(request, participant, passkey_id: int):
    passkey = get_object_or_404(Passkey, pk=passkey_id, account=request.portal_account)
    if request.method == "POST":
        services.remove(account=request.portal_account, passkey=passkey, request=request)
        messages.success(request, _("De passkey is verwijderd."))
        return redirect("portal:passkeys")
    return render(request, "portal/passkey_remove.html", {"passkey": passkey, "nav": "data"})
