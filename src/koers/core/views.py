from __future__ import annotations

import logging
import smtplib
from base64 import b32encode
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.core import access, audit, extensions, lockout, ratelimit, services
from koers.core.codes import OrganisationKind
from koers.core.forms import (
    KoersPasswordChangeForm,
    KoersPasswordResetForm,
    KoersSetPasswordForm,
    OrganisationFilterForm,
    OrganisationForm,
    SecurityEventFilterForm,
    TokenForm,
    UserForm,
    apply_errors,
)
from koers.core.http import safe_next
from koers.core.models import AuditAction, Organisation, User, UserRole

security_log = logging.getLogger("koers.security")


def home(request):
    """Start page: the caseload for regisseurs and counsellors, participants for other case workers,
    administration for functional administrators, the programmes for researchers (each registered by its app
    in ``core.extensions``)."""
    destination = extensions.home_for(request.user)
    if destination:
        return redirect(destination)
    return render(request, "core/home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    if isinstance(exception, access.NotVisible) and request.user.is_authenticated:
        # A logged-in user asked for something the access policy hides: a security event.
        audit.record_denied(request, str(exception), participant_id=exception.participant_id)
    return render(request, "404.html", status=404)


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
        messages.success(self.request, "Uw wachtwoord is gewijzigd.")
        return response


# --- Two-factor authentication (TOTP) ------------------------------------------------------------------------

def _qr_svg(url: str) -> str:
    """The QR code as inline SVG: no external image, no ``style`` attribute (the CSP forbids inline styles)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=5, dark="#000", light="#fff", title="QR-code voor de authenticator-app", svgclass="qr-code",
    )
    width, height = qr.symbol_size(scale=5)
    # A viewBox lets CSS scale the code down on a narrow screen (max-width: 100%; height: auto).
    attrs = f'role="img" aria-label="QR-code voor de authenticator-app" viewBox="0 0 {width} {height}" '
    return mark_safe(svg.replace("<svg ", f"<svg {attrs}", 1))


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _verify(device, token: str) -> str | None:
    """None when the code is right, else the Dutch message that says what to do."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "U heeft te vaak een verkeerde code ingevoerd. Wacht een minuut en probeer het dan opnieuw."
    if device.verify_token(token):
        return None
    return ("Deze code klopt niet. Voer de code in die de app nu toont. Klopt hij nog steeds niet? Controleer "
            "dan of de tijd op uw telefoon automatisch wordt ingesteld.")


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

def account(request):
    user = request.user
    return render(request, "core/account.html", {
        "account": user,
        "roles": user.role_labels,
        "has_2fa": user_has_device(user, confirmed=True),
        "verified": user.is_verified(),
        "require_2fa": settings.KOERS_REQUIRE_2FA,
    })


# --- Beheer: organisations and staff ---------------------------------------------------------------------------
#
# A functional administrator manages their own organisation; the platform administrator (superuser) every
# organisation (access.py, "Beheer"). Anything else is a 404 that the 404 handler records as a security event.

def beheer_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.can_manage_organisations(request.user):
            raise access.NotVisible("Beheerpagina zonder beheerrol")
        return view(request, *args, **kwargs)

    return wrapper


def _beheer(request, template: str, context: dict, **kwargs):
    return render(request, template, {
        "nav": "beheer", "is_platform_admin": access.is_platform_admin(request.user), **context,
    }, **kwargs)


def _managed_organisation_or_404(request, pk) -> Organisation:
    """An organisation whose staff the acting administrator manages (their own, or any for the platform admin)."""
    organisation_id = access.safe_id(pk)
    organisation = access.managed_organisations(request.user).filter(pk=organisation_id).first() \
        if organisation_id is not None else None
    if organisation is None:
        raise access.NotVisible(f"Organisatie {pk} buiten eigen beheer")
    return organisation


def _managed_user_or_404(request, pk) -> User:
    """A staff member the acting administrator may manage: of their own organisation and no superuser (the
    platform administrator manages everyone)."""
    user_id = access.safe_id(pk)
    member = access.managed_staff(request.user, User.objects.select_related("organisation")).filter(
        pk=user_id).first() if user_id is not None else None
    if member is None:
        raise access.NotVisible(f"Medewerker {pk} buiten eigen beheer")
    return member




@beheer_required
def organisation_list(request):
    filters = OrganisationFilterForm(request.GET or None)
    organisations = access.managed_organisations(request.user).annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True))
    ).order_by("name")
    kind = ""
    if filters.is_valid() and filters.cleaned_data["kind"]:
        kind = filters.cleaned_data["kind"]
        organisations = organisations.filter(kind=kind)
    page = Paginator(organisations, settings.KOERS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = urlencode({"kind": kind}) if kind else ""
    return _beheer(request, "core/organisation_list.html", {
        "filters": filters, "page": page, "organisations": page.object_list, "kind": kind, "query": query,
        "kind_label": OrganisationKind(kind).label if kind else "",
    })


@beheer_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if not access.can_create_organisations(request.user):
        raise access.NotVisible("Organisatie aanmaken zonder platformbeheer")
    form = OrganisationForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(acting_user=request.user, request=request,
                                                        **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Organisatie {organisation.name} is aangemaakt.")
            return redirect("core:organisation_detail", pk=organisation.pk)
    return _beheer(request, "core/organisation_form.html", {"form": form, "organisation": None})


@beheer_required
def organisation_detail(request, pk):
    organisation = _managed_organisation_or_404(request, pk)
    staff = (
        access.managed_staff(request.user, organisation.staff.all()).annotate(
            has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    staff = list(staff)
    return _beheer(request, "core/organisation_detail.html", {
        "organisation": organisation,
        "staff": staff,
        "active_count": sum(1 for member in staff if member.is_active),
    })


@beheer_required
@require_http_methods(["GET", "POST"])
def organisation_update(request, pk):
    organisation = _managed_organisation_or_404(request, pk)
    form = OrganisationForm(request.POST or None, instance=organisation, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(organisation, acting_user=request.user, request=request,
                                         **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"De gegevens van {organisation.name} zijn opgeslagen.")
            return redirect("core:organisation_detail", pk=organisation.pk)
    if form.is_bound and form.errors:
        organisation.refresh_from_db()
    return _beheer(request, "core/organisation_form.html", {"form": form, "organisation": organisation})


def _send_mail(request, user: User, *, activation: bool) -> bool:
    """Send a password (activation) mail and tell the administrator how it went."""
    try:
        services.send_password_reset(
            user, domain=request.get_host(), use_https=request.is_secure(), activation=activation,
            acting_user=request.user, request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except (smtplib.SMTPException, OSError):
        messages.warning(request, f"De e-mail aan {user.email} kon niet worden verstuurd. Probeer het later "
                                  "opnieuw met de knop 'Wachtwoordmail sturen'.")
        return False
    return True


@beheer_required
@require_http_methods(["GET", "POST"])
def user_create(request, pk):
    organisation = _managed_organisation_or_404(request, pk)
    form = UserForm(request.POST or None, acting_user=request.user,
                    instance=User(organisation=organisation, is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(acting_user=request.user, request=request, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Medewerker {user} is aangemaakt.")
            if user.is_active and _send_mail(request, user, activation=True):
                messages.info(request, f"De activatielink is gemaild naar {user.email}.")
            return redirect("core:organisation_detail", pk=user.organisation_id)
    return _beheer(request, "core/user_form.html", {"form": form, "organisation": organisation, "member": None})


@beheer_required
@require_http_methods(["GET", "POST"])
def user_update(request, pk):
    member = _managed_user_or_404(request, pk)
    organisation = member.organisation
    form = UserForm(request.POST or None, instance=member, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(member, acting_user=request.user, request=request, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"De gegevens van {member} zijn opgeslagen.")
            return redirect("core:organisation_detail", pk=member.organisation_id)
    if form.is_bound and form.errors:
        member.refresh_from_db()
    return _beheer(request, "core/user_form.html", {
        "form": form,
        "organisation": organisation,
        "member": member,
        "member_has_2fa": user_has_device(member, confirmed=True),
        "is_self": member.pk == request.user.pk,
    })


def _confirm(request, member: User, *, template_context: dict):
    return _beheer(request, "core/user_confirm.html", {"member": member, **template_context})


@beheer_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    member = _managed_user_or_404(request, pk)
    if member.pk == request.user.pk:
        messages.error(request, services.MSG_OWN_DEACTIVATION)
        return redirect("core:user_update", pk=member.pk)
    if request.method == "POST":
        services.set_user_active(member, False, acting_user=request.user, request=request)
        messages.success(request, f"Het account van {member} is gedeactiveerd. {member} kan niet meer inloggen.")
        return redirect("core:organisation_detail", pk=member.organisation_id)
    return _confirm(request, member, template_context={
        "title": f"{member} deactiveren",
        "question": f"Weet u zeker dat u het account van {member} wilt deactiveren?",
        "explanation": "De medewerker kan daarna niet meer inloggen; wie nu is ingelogd, wordt bij de volgende "
                       "klik uitgelogd. Gegevens blijven bewaard. U kunt het account later weer activeren.",
        "button": "Ja, deactiveren",
        "danger": True,
    })


@beheer_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request, pk):
    member = _managed_user_or_404(request, pk)
    if request.method == "POST":
        services.set_user_active(member, True, acting_user=request.user, request=request)
        messages.success(request, f"Het account van {member} is weer actief.")
        return redirect("core:organisation_detail", pk=member.organisation_id)
    return _confirm(request, member, template_context={
        "title": f"{member} weer activeren",
        "question": f"Wilt u het account van {member} weer activeren?",
        "explanation": "De medewerker kan daarna weer inloggen met het eigen wachtwoord.",
        "button": "Ja, weer activeren",
        "danger": False,
    })


@beheer_required
@require_http_methods(["GET", "POST"])
def user_send_reset(request, pk):
    member = _managed_user_or_404(request, pk)
    if request.method == "POST":
        activation = not member.has_usable_password()
        if _send_mail(request, member, activation=activation):
            kind = "activatielink" if activation else "wachtwoordmail"
            messages.success(request, f"De {kind} is gestuurd naar {member.email}.")
        return redirect("core:user_update", pk=member.pk)
    return _confirm(request, member, template_context={
        "title": f"Wachtwoordmail sturen aan {member}",
        "question": f"Wilt u {member} een e-mail sturen om een nieuw wachtwoord te kiezen?",
        "explanation": f"De e-mail gaat naar {member.email or '(geen e-mailadres)'}. De link erin is "
                       f"{settings.PASSWORD_RESET_TIMEOUT // 3600} uur geldig. Het huidige wachtwoord blijft "
                       "werken tot de medewerker een nieuw wachtwoord kiest.",
        "button": "E-mail sturen",
        "danger": False,
    })


@beheer_required
@require_http_methods(["GET", "POST"])
def user_reset_2fa(request, pk):
    member = _managed_user_or_404(request, pk)
    if request.method == "POST":
        count = services.reset_two_factor(member, acting_user=request.user, request=request)
        if count:
            messages.success(request, f"De tweestapsverificatie van {member} is gewist. Bij de volgende keer "
                                      "inloggen stelt de medewerker een nieuwe app in.")
        else:
            messages.info(request, f"{member} had geen tweestapsverificatie ingesteld; er is niets gewijzigd.")
        return redirect("core:user_update", pk=member.pk)
    return _confirm(request, member, template_context={
        "title": f"Tweestapsverificatie van {member} wissen",
        "question": f"Weet u zeker dat u de tweestapsverificatie van {member} wilt wissen?",
        "explanation": "Doe dit alleen als de medewerker de telefoon met de authenticator-app kwijt is of een "
                       "nieuwe telefoon heeft, en u zeker weet dat het verzoek van de medewerker zelf komt. Bij de "
                       "volgende keer inloggen stelt de medewerker een nieuwe app in.",
        "button": "Ja, wissen",
        "danger": True,
    })


# --- Beheer: security events ---------------------------------------------------------------------------------

SECURITY_PERIODS = {"24u": ("de laatste 24 uur", 1), "7d": ("de laatste 7 dagen", 7),
                    "30d": ("de laatste 30 dagen", 30)}
SECURITY_KINDS = {"geweigerd": AuditAction.DENIED, "beheer": AuditAction.ADMIN}


@beheer_required
def security_events(request):
    """Denied attempts (404s on what the access policy hides) and beheer actions: who, what, when, how many.

    Reads the audit trail only (append-only); a functional administrator sees the events of their own
    organisation's staff and the denied attempts on participants whose regie their organisation holds.
    """
    filters = SecurityEventFilterForm(request.GET or None)
    period, kind = "7d", ""
    if filters.is_valid():
        period = filters.cleaned_data["periode"] or "7d"
        kind = filters.cleaned_data["soort"]
    since = timezone.now() - timedelta(days=SECURITY_PERIODS[period][1])
    events = access.security_events(request.user).filter(at__gte=since)
    if kind:
        events = events.filter(action=SECURITY_KINDS[kind])
    per_user = list(
        events.filter(action=AuditAction.DENIED)
        .values("user_id", "user_name", "organisation_name")
        .annotate(count=Count("id"))
        .order_by("-count", "user_name")[:10]
    )
    page = Paginator(events.order_by("-at", "-id"), settings.KOERS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = urlencode({"periode": period, **({"soort": kind} if kind else {})})
    return _beheer(request, "core/security_events.html", {
        "filters": filters, "page": page, "events": page.object_list, "per_user": per_user,
        "period_label": SECURITY_PERIODS[period][0], "kind": kind, "query": query,
        "filtered": bool(request.GET.get("periode") or kind),
    })
