"""Planning an appointment and marking it cancelled or missed: checked, audited, transactional. Reads and rules:
queries/appointments.py. Holding it is recording its contact (services/contacts.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.casework import notices
from koers.casework.models import Appointment
from koers.casework.queries import appointments as queries
from koers.core import audit
from koers.core.access import Grant
from koers.core.codes import AppointmentStatus, Category
from koers.core.models import AuditAction
from koers.participants.models import Participant


@transaction.atomic
def plan(user, participant: Participant, grant: Grant, data: queries.AppointmentData, *,
         request=None) -> Appointment:
    if not queries.can_plan(grant):
        raise Http404("Deelnemer niet gevonden")
    errors = queries.check(participant, data)
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
    appointment = Appointment.objects.create(
        participant=participant, kind=data.kind, starts_at=data.starts_at, duration_minutes=data.duration_minutes,
        organisation_id=user.organisation_id, with_user=data.with_user, purpose=data.purpose.strip(),
        location=(data.location or "").strip(), created_by=user)
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail=f"Afspraak gepland op {timezone.localtime(data.starts_at):%d-%m-%Y %H:%M}", request=request)
    notices.notify(participant, notices.APPOINTMENT, by=user)
    return appointment


@transaction.atomic
def set_status(user, appointment: Appointment, grant: Grant, status: str, *, request=None) -> Appointment:
    """Cancel an appointment (afgezegd) or note that the participant did not come (niet verschenen)."""
    if not queries.can_plan(grant):
        raise Http404("Afspraak niet gevonden")
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if status not in (AppointmentStatus.AFGEZEGD, AppointmentStatus.NIET_VERSCHENEN):
        raise ValidationError("Kies afzeggen of niet verschenen.")
    if appointment.status != AppointmentStatus.GEPLAND:
        raise ValidationError(queries.MSG_NOT_PLANNED.format(status=appointment.get_status_display().lower()))
    if status == AppointmentStatus.NIET_VERSCHENEN and appointment.starts_at > timezone.now():
        raise ValidationError("De afspraak is nog niet begonnen. Zeg hem af als hij niet doorgaat.")
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    audit.record(user, appointment.participant, Category.TRAJECTORY, AuditAction.UPDATE,
                 legal_basis=grant.legal_basis,
                 detail=f"Afspraak van {timezone.localtime(appointment.starts_at):%d-%m-%Y %H:%M}: "
                        f"{appointment.get_status_display().lower()}", request=request)
    if status == AppointmentStatus.AFGEZEGD and appointment.starts_at > timezone.now():
        notices.notify(appointment.participant, notices.APPOINTMENT_CANCELLED, by=user)
    return appointment


def hold(appointment_id: int, participant: Participant, contact) -> Appointment:
    """Link the recorded contact to its appointment (inside record_contact's transaction)."""
    try:
        appointment = Appointment.objects.select_for_update().get(pk=appointment_id, participant=participant)
    except Appointment.DoesNotExist as exc:
        raise Http404("Afspraak niet gevonden") from exc
    if appointment.status != AppointmentStatus.GEPLAND:
        raise ValidationError(queries.MSG_NOT_PLANNED.format(status=appointment.get_status_display().lower()))
    appointment.status = AppointmentStatus.GEHOUDEN
    appointment.contact = contact
    appointment.save(update_fields=["status", "contact", "updated_at"])
    return appointment
