"""The one door of every participant's own page (``/mijn/…``).

``portal_page`` is to the portal what ``core.pages.participant_page`` is to staff pages: it answers for
anonymous visitors (to the portal's own login, never the staff login), for staff (404: the portal has nothing of
theirs), and for a blocked account; it loads the participant of the logged-in account, never one from the URL, so
no portal URL can name another participant's data; it renews the short idle session; it speaks the account's
language for the whole request; and it makes sure the request left an audit record as the participant's own
access (legal basis ``betrokkene``).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import reverse_lazy
from django.utils import translation

from koers.core import audit
from koers.core.access import OWN_BASIS
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.portal.queries.accounts import account_of
from koers.portal.rules.language import is_portal_language

#: The language a visitor chose on the login page (before there is an account to keep it in).
LANGUAGE_COOKIE = "mijn_koers_taal"


def visitor_language(request) -> str:
    """``?taal=`` (a link on the letter and the login page), else the cookie, else the browser's, else Dutch."""
    for candidate in (request.GET.get("taal", ""), request.COOKIES.get(LANGUAGE_COOKIE, "")):
        if is_portal_language(candidate):
            return candidate
    accepted = translation.get_language_from_request(request, check_path=False)
    return accepted if is_portal_language(accepted) else settings.LANGUAGE_CODE


def remember_language(response, language: str) -> None:
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True)


def portal_page(view=None, *, detail: str = ""):
    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            account = account_of(request.user)
            if account is None or not account.user.is_active:
                raise Http404
            request.portal_account = account
            request.session.set_expiry(settings.KOERS_PORTAL_IDLE_SECONDS)
            participant = account.participant
            with translation.override(account.language), audit.tracking() as seen:
                request.LANGUAGE_CODE = account.language
                response = func(request, participant, *args, **kwargs)
                if participant.pk not in seen:
                    audit.record(request.user, participant, Category.IDENTITY, AuditAction.VIEW,
                                 legal_basis=OWN_BASIS, detail=detail or "Mijn Koers", request=request)
            response.headers.setdefault("Content-Language", account.language)
            return response

        wrapper.portal_page = True
        # Anonymous visitors: LoginRequiredMiddleware sends them to the portal's login, not the staff login.
        wrapper.login_url = reverse_lazy("portal:login")
        return wrapper

    return decorate(view) if view is not None else decorate


def public_portal_page(func):
    """A portal page for visitors who are not logged in (login, activation): in the visitor's chosen language."""
    @login_not_required
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        language = visitor_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = func(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        if request.GET.get("taal") == language and request.COOKIES.get(LANGUAGE_COOKIE) != language:
            remember_language(response, language)  # the letter's link: keep its language after the form posts
        return response

    wrapper.portal_public = True
    return wrapper
