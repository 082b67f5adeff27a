"""Appointments (planned contacts): who may plan them, the upcoming and the overdue ones, the ones of a week (Mijn
Koers), and their rules. Writes: services/appointments.py; recording the contact of an appointment:
services/contacts.py (``record_contact(appointment=...)``).

The participant reads the appointment's ``purpose`` and ``location`` in Mijn Koers: they never hold
special-category data (the form says so), and appointments are trajectory data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.http import Http404
from django.utils import timezone

from koers.casework.models import Appointment
from koers.casework.queries import contacts as contact_queries
from koers.core import access
from koers.core.access import Grant
from koers.core.codes import AppointmentStatus, Category, ContactKind
from koers.core.models import User

#: Kinds one plans (a message is not planned).
KINDS = [(k, label) for k, label in ContactKind.choices if k != ContactKind.BERICHT]
MIN_DURATION, MAX_DURATION = 5, 480
#: How far ahead an appointment may be planned.
HORIZON_DAYS = 366
#: Upcoming appointments on the contacts page.
UPCOMING = 10

MSG_PAST = "Een afspraak plant u vooruit: kies een datum en tijd die nog moet komen."
MSG_FAR = "Kies een datum binnen een jaar."
MSG_DURATION = f"Vul een duur in van {MIN_DURATION} tot en met {MAX_DURATION} minuten."
MSG_WITH = ("{name} werkt niet bij een organisatie die bij het traject betrokken is. Kies een medewerker van de "
            "regie-organisatie of van een partner.")
MSG_NOT_PLANNED = "Deze afspraak is al {status}. Ververs de pagina om te zien wat er veranderd is."


def can_plan(grant: Grant) -> bool:
    return contact_queries.can_record(grant)


def can_see(grant: Grant) -> bool:
    return Category.TRAJECTORY in grant.read


@dataclass
class AppointmentData:
    kind: str
    starts_at: datetime
    duration_minutes: int
    with_user: User
    purpose: str
    location: str = ""


def check(participant, data: AppointmentData, *, now: datetime | None = None) -> dict[str, str]:
    """The problems with an appointment, per field (empty when it may be saved). Dutch messages."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if data.kind not in dict(KINDS):
        errors["kind"] = "Kies een soort afspraak."
    if data.starts_at is not None:
        if data.starts_at < now:
            errors["starts_at"] = MSG_PAST
        elif data.starts_at > now + timedelta(days=HORIZON_DAYS):
            errors["starts_at"] = MSG_FAR
    if data.duration_minutes is None or not MIN_DURATION <= data.duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = MSG_DURATION
    if data.with_user is not None and (
            data.with_user.organisation_id not in access.involved_organisation_ids(participant)
            or not data.with_user.is_active):
        errors["with_user"] = MSG_WITH.format(name=data.with_user)
    if not (data.purpose or "").strip():
        errors["purpose"] = "Schrijf kort waarover de afspraak gaat; de deelnemer leest dit in Mijn Koers."
    return errors


def appointment_or_404(participant, grant: Grant, appointment_id) -> Appointment:
    if not can_see(grant):
        raise Http404("Afspraak niet gevonden")
    try:
        return (Appointment.objects.select_related("with_user", "organisation")
                .get(pk=int(appointment_id), participant=participant))
    except (Appointment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("Afspraak niet gevonden") from exc


def planned(participant, grant: Grant) -> list[Appointment]:
    """Appointments still *gepland*: the ones to come and the ones past that nobody recorded yet (oldest first)."""
    if not can_see(grant):
        return []
    return list(Appointment.objects.filter(participant=participant, status=AppointmentStatus.GEPLAND)
                .select_related("with_user", "organisation").order_by("starts_at", "id")[:UPCOMING])


def between(participant, first: date, last: date) -> list[Appointment]:
    """The participant's planned and held appointments from ``first`` to ``last`` (Mijn Koers: my week)."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return list(Appointment.objects.filter(participant=participant, starts_at__gte=start, starts_at__lt=end)
                .exclude(status=AppointmentStatus.AFGEZEGD)
                .select_related("with_user", "organisation").order_by("starts_at", "id"))


def contact_initial(appointment: Appointment, user) -> dict:
    """The contact form's values for recording this appointment: what was planned, the user taking part too."""
    staff = list(dict.fromkeys([appointment.with_user_id, user.pk]))
    happened = min(timezone.localtime(appointment.starts_at), timezone.localtime().replace(second=0, microsecond=0))
    return {"kind": appointment.kind, "happened_at": happened, "duration_minutes": appointment.duration_minutes,
            "staff": staff, "participant_present": True, "summary": appointment.purpose}
