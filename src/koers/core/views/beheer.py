"""Beheer: organisations and staff (the functional administrator's pages; security events: views/security.py)."""

from __future__ import annotations

import smtplib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from koers.core import access
from koers.core.codes import OrganisationKind
from koers.core.forms.beheer import OrganisationFilterForm, OrganisationForm, UserForm
from koers.core.formtools import apply_errors
from koers.core.models import User
from koers.core.queries import beheer as queries
from koers.core.services import beheer as services

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


def render_beheer(request, template: str, context: dict, **kwargs):
    return render(request, template, {
        "nav": "beheer", "is_platform_admin": access.is_platform_admin(request.user), **context,
    }, **kwargs)


@beheer_required
def organisation_list(request):
    filters = OrganisationFilterForm(request.GET or None)
    kind = ""
    if filters.is_valid() and filters.cleaned_data["kind"]:
        kind = filters.cleaned_data["kind"]
    page = Paginator(queries.organisations(request.user, kind), settings.KOERS_PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    query = urlencode({"kind": kind}) if kind else ""
    return render_beheer(request, "core/organisation_list.html", {
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
    return render_beheer(request, "core/organisation_form.html", {"form": form, "organisation": None})


@beheer_required
def organisation_detail(request, pk):
    organisation = queries.managed_organisation_or_404(request.user, pk)
    staff = queries.staff(request.user, organisation)
    return render_beheer(request, "core/organisation_detail.html", {
        "organisation": organisation,
        "staff": staff,
        "active_count": sum(1 for member in staff if member.is_active),
    })


@beheer_required
@require_http_methods(["GET", "POST"])
def organisation_update(request, pk):
    organisation = queries.managed_organisation_or_404(request.user, pk)
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
    return render_beheer(request, "core/organisation_form.html", {"form": form, "organisation": organisation})


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
    organisation = queries.managed_organisation_or_404(request.user, pk)
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
    return render_beheer(request, "core/user_form.html", {"form": form, "organisation": organisation, "member": None})


@beheer_required
@require_http_methods(["GET", "POST"])
def user_update(request, pk):
    member = queries.managed_staff_member_or_404(request.user, pk)
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
    return render_beheer(request, "core/user_form.html", {
        "form": form,
        "organisation": organisation,
        "member": member,
        "member_has_2fa": user_has_device(member, confirmed=True),
        "is_self": member.pk == request.user.pk,
    })


def _confirm(request, member: User, *, template_context: dict):
    return render_beheer(request, "core/user_confirm.html", {"member": member, **template_context})


@beheer_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    member = queries.managed_staff_member_or_404(request.user, pk)
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
    member = queries.managed_staff_member_or_404(request.user, pk)
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
    member = queries.managed_staff_member_or_404(request.user, pk)
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
    member = queries.managed_staff_member_or_404(request.user, pk)
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
