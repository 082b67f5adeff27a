"""Request-wide policies: two-factor authentication, Content-Security-Policy, no-store.

"Login required" is Django's own ``LoginRequiredMiddleware`` (settings.MIDDLEWARE): every view needs a logged-in
user unless it is marked ``@login_not_required`` (Django's login and password-reset views are; ``healthz`` is
marked in core/urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django_otp import devices_for_user

from koers.core import i18n
from koers.core.pages import no_store

#: URL names reachable when logged in but before the second factor is verified.
TWO_FACTOR_URL_NAMES = {"two_factor_setup", "two_factor_verify", "logout"}


class DefaultLanguageMiddleware:
    """Every request starts and ends in Dutch (``settings.LANGUAGE_CODE``).

    There is no ``LocaleMiddleware``: the browser's language never decides. A staff member's own choice is
    activated by ``StaffLanguageMiddleware`` (after authentication); a participant page switches to the participant's
    language with ``core.i18n.activate_for``; Django keeps an activated language on the worker thread, so without
    this reset the next request on that thread (a staff page) would be rendered in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()


class StaffLanguageMiddleware:
    """A logged-in staff member's pages in the language they chose on "Mijn account" (``User.interface_language``,
    one of ``settings.KOERS_STAFF_LANGUAGES``; Dutch by default). Never the browser's ``Accept-Language``, and
    never for a participant's account (the portal's door picks the participant's language itself).
    ``DefaultLanguageMiddleware``, earlier in the chain, puts Dutch back after the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_participant:
            code = user.interface_language
            if code != settings.LANGUAGE_CODE and code in settings.KOERS_STAFF_LANGUAGES:
                i18n.activate_for(request, code)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreMiddleware:
    """No page, export or download of Koers is ever kept in a browser or proxy cache.

    Almost every dynamic response holds personal data (a participant page, a list of names, a CSV, a PDF, or the
    logged-in user's own name in the header), so the rule is structural rather than per view: every response that
    Django produces is ``Cache-Control: no-store``. Static files are served by WhiteNoise before this middleware
    and keep their long cache lifetime. ``core.pages.no_store`` remains for responses built outside a request
    (and the participant door sets the same header, so a view is safe even if the middleware were removed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            no_store(response)
        return response


class ParticipantConfinementMiddleware:
    """A participant's portal account (``User.is_participant``) reaches only the portal (``KOERS_PORTAL_PREFIX``)
    and static files; every other page sends it to the portal's home. Structural, so no staff page has to
    remember that a logged-in user may be a participant (they would see nothing there anyway: the access policy
    gives an account without organisation and roles no participant and no category)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.is_participant
                and not request.path.startswith((settings.KOERS_PORTAL_PREFIX, settings.STATIC_URL))):
            return redirect(settings.KOERS_PORTAL_PREFIX)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Outside demo mode every staff member verifies a TOTP code after the password (django-otp)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.KOERS_REQUIRE_2FA or not request.user.is_authenticated or request.user.is_participant:
            return None
        if request.user.is_verified():
            return None
        match = request.resolver_match
        if (match and match.url_name in TWO_FACTOR_URL_NAMES) or request.path.startswith(settings.STATIC_URL):
            return None
        has_device = any(True for _ in devices_for_user(request.user, confirmed=True))
        target = "two_factor_verify" if has_device else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
