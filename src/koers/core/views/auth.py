"""Logging in and out, passwords, the second factor (TOTP) and my account."""

from __future__ import annotations

import logging
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.core import lockout, ratelimit
from koers.core.forms.auth import (
    InterfaceLanguageForm,
    KoersPasswordChangeForm,
    KoersPasswordResetForm,
    KoersSetPasswordForm,
    TokenForm,
)
from koers.core.formtools import apply_errors
from koers.core.http import safe_next
from koers.core.services import auth as services

security_log = logging.getLogger("koers.security")


def _safe_next(request) -> str:
    """The ``next`` parameter when it is a path inside Koers, else an empty string."""
    return safe_next(request, "")


# --- Logging in and out, passwords ---------------------------------------------------------------------------

class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "U bent uitgelogd.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Rate limited per e-mail address and per client address (settings KOERS_RESET_LIMIT_PER_*). Over a limit
    the answer is the same page ("if the address is known, we sent a mail"), so it reveals nothing, but no mail
    goes out: nobody can flood a colleague's inbox or probe many addresses from one place."""

    form_class = KoersPasswordResetForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(valid_hours=settings.PASSWORD_RESET_TIMEOUT // 3600, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        address = lockout.client_ip(self.request)
        within_email = ratelimit.hit("reset-email", email, settings.KOERS_RESET_LIMIT_PER_EMAIL)
        within_address = ratelimit.hit("reset-ip", address, settings.KOERS_RESET_LIMIT_PER_IP)
        if not (within_email and within_address):
            security_log.warning("password reset over the limit (%s) from %s; no mail sent",
                                 "address" if not within_address else "e-mail", address)
            return redirect(self.get_success_url())
        self.extra_email_context = {"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600, "activation": False}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = KoersSetPasswordForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = KoersPasswordChangeForm
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, pgettext("staff", "Uw wachtwoord is gewijzigd."))
        return response


# --- Two-factor authentication (TOTP) ------------------------------------------------------------------------

def _qr_svg(url: str) -> str:
    """The QR code as inline SVG: no external image, no ``style`` attribute (the CSP forbids inline styles)."""
    label = escape(pgettext("staff", "QR-code voor de authenticator-app"))
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", title=label, svgclass="qr-code")
    width, height = qr.symbol_size(scale=5)
    # A viewBox lets CSS scale the code down on a narrow screen (max-width: 100%; height: auto).
    attrs = f'role="img" aria-label="{label}" viewBox="0 0 {width} {height}" '
    return mark_safe(svg.replace("<svg ", f"<svg {attrs}", 1))


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _verify(device, token: str) -> str | None:
    """None when the code is right, else the Dutch message that says what to do."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return pgettext("staff", "U heeft te vaak een verkeerde code ingevoerd. Wacht een minuut en probeer het dan "
                                 "opnieuw.")
    if device.verify_token(token):
        return None
    return pgettext("staff", "Deze code klopt niet. Voer de code in die de app nu toont. Klopt hij nog steeds niet? "
                             "Controleer dan of de tijd op uw telefoon automatisch wordt ingesteld.")


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan a QR code (or type the key), confirm with one code: the new app replaces any earlier one."""
    user = request.user
    next_url = _safe_next(request)
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # Someone who only knows the password must not be able to replace the second factor.
        messages.info(request, "Voer eerst een code in uit uw huidige app. Daarna kunt u een nieuwe app instellen.")
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': reverse('two_factor_setup')})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _verify(device, form.cleaned_data["token"])
        if error is None:
            services.confirm_totp_device(device)
            otp_login(request, device)
            messages.success(request, "Tweestapsverificatie is ingesteld. Bij het inloggen vragen we voortaan om "
                                      "een code uit de app.")
            return redirect(next_url or reverse("core:account"))
        form.add_error("token", error)
    return render(request, "core/two_factor_setup.html", {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "replacing": user_has_device(user, confirmed=True),
    })


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of logging in: a code from the authenticator app."""
    next_url = _safe_next(request)
    if request.user.is_verified():
        return redirect(next_url or reverse("home"))
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        target = reverse("two_factor_setup")
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = None
        for device in devices:
            error = _verify(device, form.cleaned_data["token"])
            if error is None:
                otp_login(request, device)
                return redirect(next_url or reverse("home"))
        form.add_error("token", error)
    return render(request, "core/two_factor_verify.html", {"form": form, "next": next_url})


# --- My account ----------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def account(request):
    """My details, security and the language of the staff pages (the form posts here)."""
    user = request.user
    language_form = InterfaceLanguageForm(
        request.POST if request.method == "POST" else None, initial={"interface_language": user.interface_language})
    if request.method == "POST" and language_form.is_valid():
        try:
            services.set_interface_language(user, language=language_form.cleaned_data["interface_language"])
        except ValidationError as exc:
            apply_errors(language_form, exc, field_map={"language": "interface_language"})
        else:
            with translation.override(user.interface_language):  # the message in the language just chosen
                messages.success(request, pgettext("staff", "De taal van Koers is gewijzigd."))
            return redirect("core:account")
    return render(request, "core/account.html", {
        "language_form": language_form,
        "account": user,
        "roles": user.role_labels,
        "has_2fa": user_has_device(user, confirmed=True),
        "verified": user.is_verified(),
        "require_2fa": settings.KOERS_REQUIRE_2FA,
    })
