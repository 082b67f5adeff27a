"""Planning appointments with a participant, and marking them cancelled or missed. Holding one is recording its
contact (views/contacts.py, ``?afspraak=``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.casework.forms.appointments import AppointmentForm
from koers.casework.queries import appointments as queries
from koers.casework.queries import contacts as contact_queries
from koers.casework.services import appointments as services
from koers.core import audit
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.models import AuditAction
from koers.core.pages import participant_page


@participant_page
def appointment_create(request, participant, grant):
    if not queries.can_plan(grant):
        raise Http404("Pagina niet gevonden")
    form = AppointmentForm(request.POST or None, staff=contact_queries.involved_staff_for(participant),
                           user=request.user)
    clashes = None
    if request.method == "POST" and form.is_valid():
        clashes = queries.week_conflicts(participant, form.to_data())
        if clashes and not form.cleaned_data["despite_clash"]:
            pass  # the form again, naming the classes and unavailability, with "Toch op dit moment plannen"
        else:
            try:
                appointment = services.plan(request.user, participant, grant, form.to_data(), request=request)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                when = timezone.localtime(appointment.starts_at)
                messages.success(request, f"Afspraak gepland op {when:%d-%m-%Y} om {when:%H:%M}. De deelnemer ziet "
                                          "hem in Mijn Koers.")
                return redirect("casework:participant_contacts", pk=participant.pk)
    audit.record(request.user, participant, Category.IDENTITY, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Formulier afspraak plannen", request=request)
    return render(request, "casework/appointments/form.html", {"nav": "participants", "p": participant,
                                                                "grant": grant, "form": form, "clashes": clashes})


@require_POST
@participant_page
def appointment_status(request, participant, grant, appointment_id):
    appointment = queries.appointment_or_404(participant, grant, appointment_id)
    try:
        appointment = services.set_status(request.user, appointment, grant, request.POST.get("status", ""),
                                          request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Afspraak van {timezone.localtime(appointment.starts_at):%d-%m-%Y %H:%M}: "
                                  f"{appointment.get_status_display().lower()}.")
    return redirect("casework:participant_contacts", pk=participant.pk)
