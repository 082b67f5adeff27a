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

from koers.activities.queries import schedule as schedule_queries
from koers.activities.rules.schedule import Block, Event, slot_dagdelen, times_overlap
from koers.casework.models import Appointment
from koers.casework.queries import contacts as contact_queries
from koers.core import access
from koers.core.access import Grant
from koers.core.codes import DAGDELEN, AppointmentStatus, Category, ContactKind
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


@dataclass
class WeekConflicts:
    """What a new appointment runs into: the participant's classes at that time, and the dagdelen of it the
    participant is not available in (their availability in the file; unknown availability is no conflict)."""

    classes: list[Block]
    unavailable: list[str]

    def __bool__(self) -> bool:
        return bool(self.classes or self.unavailable)


def week_conflicts(participant, data: AppointmentData) -> WeekConflicts:
    """Timetables that clash are a known reason to miss either; the planner decides after seeing them."""
    if data.starts_at is None or data.duration_minutes is None:
        return WeekConflicts([], [])
    start = timezone.localtime(data.starts_at)
    day, end = start.date(), start + timedelta(minutes=data.duration_minutes)
    end_time = end.time() if end.date() == day else time(23, 59)
    blocks = schedule_queries.enrolment_blocks(schedule_queries.scheduled_enrolments(participant.pk,
                                                                                     between=(day, day)))
    classes = sorted((b for b in blocks if b.on(day) and times_overlap(b.start, b.end, start.time(), end_time)),
                     key=lambda b: b.start)
    unavailable = []
    if participant.availability is not None:
        unavailable = [dict(DAGDELEN).get(code, code) for code in slot_dagdelen(day.weekday(), start.time(), end_time)
                       if code not in participant.availability]
    return WeekConflicts(classes, unavailable)


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


def week_events(participant, grant: Grant | None, first: date, last: date) -> list[Event]:
    """The planned and held appointments from ``first`` to ``last`` as events of the participant's week (the
    week registry of activities; one query). Trajectory data: nothing without that category in the grant."""
    if grant is None or not can_see(grant):
        return []
    found = []
    for a in between(participant, first, last):
        start = timezone.localtime(a.starts_at)
        end = start + timedelta(minutes=a.duration_minutes)
        found.append(Event(
            id=a.pk, day=start.date(), start=start.time(),
            end=end.time() if end.date() == start.date() else time(23, 59),
            title=a.purpose, kind_label=a.get_kind_display(),
            with_whom=(a.with_user.first_name or str(a.with_user)) if a.with_user_id else "",
            organisation=a.organisation.name if a.organisation_id else "", location=a.location,
            held=a.status == AppointmentStatus.GEHOUDEN,
        ))
    return found


def contact_initial(appointment: Appointment, user) -> dict:
    """The contact form's values for recording this appointment: what was planned, the user taking part too."""
    staff = list(dict.fromkeys([appointment.with_user_id, user.pk]))
    happened = min(timezone.localtime(appointment.starts_at), timezone.localtime().replace(second=0, microsecond=0))
    return {"kind": appointment.kind, "happened_at": happened, "duration_minutes": appointment.duration_minutes,
            "staff": staff, "participant_present": True, "summary": appointment.purpose}
