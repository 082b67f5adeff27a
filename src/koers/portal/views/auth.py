"""Logging in to Mijn Koers, activating it with the letter's code, logging out, choosing the language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from koers.core import lockout, ratelimit
from koers.core.http import safe_next
from koers.portal.door import portal_page, public_portal_page, remember_language, visitor_language
from koers.portal.forms.accounts import ACTIVATION_MESSAGES, ActivationForm, LanguageForm, PortalLoginForm
from koers.portal.rules.language import portal_languages
from koers.portal.services import accounts as services

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _home_or_next(request):
    target = safe_next(request, "")
    return redirect(target if target.startswith(settings.KOERS_PORTAL_PREFIX) else "portal:home")


def start_session(request, user) -> None:
    login(request, user, backend=BACKEND)
    request.session.set_expiry(settings.KOERS_PORTAL_IDLE_SECONDS)


@public_portal_page
def login_view(request):
    if request.user.is_authenticated and request.user.is_participant:
        return redirect("portal:home")
    form = PortalLoginForm(request, data=request.POST or None)
    password_on = "password" in settings.KOERS_PORTAL_LOGIN_METHODS
    if request.method == "POST" and password_on and form.is_valid():
        user = form.get_user()
        start_session(request, user)
        account = user.portal_account
        services.logged_in(account=account)
        return _home_or_next(request)
    return login_page(request, form)


def login_page(request, form=None, *, problem: str = "", status: int = 200):
    """The login page with the methods the settings switch on; ``problem`` is a passkey or DigiD message."""
    methods = settings.KOERS_PORTAL_LOGIN_METHODS
    return render(request, "portal/login.html", {
        "form": form or PortalLoginForm(request), "languages": portal_languages(), "next": safe_next(request, ""),
        "password_login": "password" in methods, "passkey_login": "passkey" in methods,
        "digid_login": "digid" in methods and bool(settings.KOERS_PORTAL_DIGID), "problem": problem,
    }, status=status)


def _activate(request, form, invitation):
    try:
        account = services.activate(invitation=invitation, password=form.cleaned_data["password1"], request=request)
    except ValidationError as error:
        form.add_error("code", ACTIVATION_MESSAGES.get(error.code, ACTIVATION_MESSAGES["mismatch"]))
        return render(request, "portal/activate.html", {"form": form, "languages": portal_languages()})
    start_session(request, account.user)
    services.logged_in(account=account)
    return redirect("portal:home")


@public_portal_page
def activate_view(request):
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid():
            address = lockout.client_ip(request)
            if not ratelimit.hit("portal-activate-ip", address, settings.KOERS_PORTAL_ACTIVATION_LIMIT_PER_IP):
                form.add_error(None, ACTIVATION_MESSAGES["throttled"])
            else:
                try:
                    invitation = services.check_code(username=form.cleaned_data["username"],
                                                     code=form.cleaned_data["code"])
                except ValidationError as error:
                    form.add_error("code", ACTIVATION_MESSAGES.get(error.code, ACTIVATION_MESSAGES["mismatch"]))
                else:
                    if form.check_password_rules(invitation.account.user):
                        return _activate(request, form, invitation)
    else:
        form = ActivationForm(initial={"username": request.GET.get("gebruiker", "")[:150]})
    return render(request, "portal/activate.html", {"form": form, "languages": portal_languages()})


@require_POST
@login_not_required  # an expired session may still press the button: it then just lands on the login page
def logout_view(request):
    language = visitor_language(request)
    account = getattr(request.user, "portal_account", None) if request.user.is_authenticated else None
    if account is not None:
        language = account.language
    logout(request)
    response = redirect(f"{settings.KOERS_PORTAL_PREFIX}inloggen/?uitgelogd=1&taal={language}")
    return response


@public_portal_page
def choose_visitor_language(request):
    """The language buttons on the login and activation pages (a cookie: there is no account yet)."""
    form = LanguageForm(request.POST or request.GET or None)
    target = safe_next(request, "")
    if not target.startswith(settings.KOERS_PORTAL_PREFIX):
        target = f"{settings.KOERS_PORTAL_PREFIX}inloggen/"
    response = redirect(target)
    if form.is_valid():
        remember_language(response, form.cleaned_data["language"])
    return response


@require_POST
@portal_page(detail="Mijn Koers: taal gekozen")
def choose_language(request, participant):
    form = LanguageForm(request.POST)
    if form.is_valid():
        services.set_language(account=request.portal_account, language=form.cleaned_data["language"])
    return redirect("portal:home")



def lockout_page(request, context):
    """The lockout page of the portal login (registered with core.extensions; the axes middleware calls it)."""
    language = visitor_language(request)
    with translation.override(language):
        response = render(request, "portal/locked_out.html", {**context, "languages": portal_languages()},
                          status=429)
    response.headers.setdefault("Content-Language", language)
    return response
