"""Aftercare (nazorg) of a placement: the plan from the default schedule, check-ins, the friction log, escalation to
the regisseur and the eindgesprek that closes it.

The schedule every new placement gets is ``DEFAULT_SCHEDULE`` (week 1, week 2, month 2, month 6, month 12 after the
start), or the setting ``KOERS_AFTERCARE_SCHEDULE`` when a deployment sets one: a list of ``(label, unit, n)`` with
unit ``"d"`` (days), ``"w"`` (weeks) or ``"m"`` (calendar months). Check-ins can be added or left undone; the plan
is closed only by recording an eindgesprek (``close_with_final_talk``), never by fading out: the database refuses a
closed plan without one, and overdue check-ins and a plan with nothing left to do are signals (``queries/alerts.py``).

Aftercare is work data (category ``werk``): reading needs it, writing needs write access to it. Escalating creates
an action item for the participant's regisseur (``casework.services``), which also needs trajectory write access.

The writes are in the services package (same module name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from koers.casework.queries import actions as action_queries
from koers.core import access
from koers.core.access import Grant
from koers.core.codes import ActionStatus, Category, ContactKind, Role
from koers.plans.rules.leerroute import add_months
from koers.work.models import AftercarePlan, CheckIn, CheckInWith, Friction, Placement

W = Category.WORK


#: The default aftercare schedule: (label, unit, n) — unit d(ays), w(eeks) or m(onths) after the start.
DEFAULT_SCHEDULE: tuple[tuple[str, str, int], ...] = (
    ("Week 1", "w", 1),
    ("Week 2", "w", 2),
    ("Maand 2", "m", 2),
    ("Maand 6", "m", 6),
    ("Maand 12", "m", 12),
)


#: Days an escalated friction gives the regisseur to act (the action item's due date).
ESCALATION_DAYS = 7


MSG_CLOSED = "De nazorg van deze plaatsing is afgesloten met een eindgesprek; er kan niets meer worden toegevoegd."


def schedule() -> tuple[tuple[str, str, int], ...]:
    return tuple(getattr(settings, "KOERS_AFTERCARE_SCHEDULE", None) or DEFAULT_SCHEDULE)


def moment(start: date, unit: str, n: int) -> date:
    if unit == "d":
        return start + timedelta(days=n)
    if unit == "w":
        return start + timedelta(weeks=n)
    if unit == "m":
        return add_months(start, n)
    raise ValueError(f"Onbekende eenheid in KOERS_AFTERCARE_SCHEDULE: {unit!r} (gebruik d, w of m)")


def get_plan(placement: Placement) -> AftercarePlan:
    try:
        return placement.aftercare
    except AftercarePlan.DoesNotExist as exc:
        raise Http404("Nazorg niet gevonden") from exc


def status(plan: AftercarePlan, today: date | None = None) -> dict:
    """What to show about a plan (uses the prefetched check-ins): next check-in, overdue ones, counts."""
    today = today or timezone.localdate()
    items = list(plan.check_ins.all())
    pending = [c for c in items if c.done_on is None]
    overdue = [c for c in pending if c.planned_on < today]
    return {
        "plan": plan, "check_ins": items, "done": len(items) - len(pending), "total": len(items),
        "next": pending[0] if pending else None, "overdue": overdue,
        "ready_to_close": not plan.is_closed and not pending,
    }


@dataclass
class CheckInData:
    done_on: date
    with_whom: str
    topics: list[str] = field(default_factory=list)
    notes: str = ""
    #: How the check-in was held and how long it took: recorded as a contact (casework), so the contact clock
    #: and the guidance hours count it. ``at`` is the time of day (None: now when held today, else noon).
    channel: str = ContactKind.GESPREK
    duration_minutes: int | None = 30
    at: time | None = None
    #: Open action items this check-in completes (the same event closed once).
    close_action_ids: list[int] = field(default_factory=list)


#: How a check-in was held (a contact kind); held together with participant and employer in person it is a
#: driegesprek.
CHANNELS = [(ContactKind.GESPREK, "Gesprek (op de werkplek of op kantoor)"), (ContactKind.TELEFOON, "Telefoon"),
            (ContactKind.BERICHT, "WhatsApp / bericht")]


def contact_kind(with_whom: str, channel: str) -> str:
    if channel == ContactKind.GESPREK and with_whom == CheckInWith.SAMEN:
        return ContactKind.DRIEGESPREK
    return channel if channel in dict(CHANNELS) else ContactKind.GESPREK


def held_at(done_on: date, at: time | None, now: datetime | None = None) -> datetime:
    """When the check-in took place, as an aware datetime (for the contact)."""
    now = timezone.localtime(now)
    if at is None:
        at = now.time().replace(second=0, microsecond=0) if done_on == now.date() else time(12, 0)
    return timezone.make_aware(datetime.combine(done_on, at))


def closable_action_items(user, participant, grant: Grant, placement: Placement) -> list:
    """The participant's running action items this user may complete, with the ones that belong to this placement
    first (escalated frictions, or an item naming aftercare or the employer) and marked ``suggested``."""
    linked = set(Friction.objects.filter(plan__placement=placement, action_item__isnull=False)
                 .values_list("action_item_id", flat=True))
    employer = str(placement.employer).lower()
    items = []
    for item in action_queries.participant_action_items(participant, grant):
        if item.status not in (ActionStatus.OPEN, ActionStatus.BEZIG) or not action_queries.can_change_status(
                user, item):
            continue
        title = item.title.lower()
        item.suggested = item.pk in linked or "nazorg" in title or employer in title
        items.append(item)
    return sorted(items, key=lambda i: (not i.suggested, i.due_date, i.pk))


CHECK_IN_LABELS = {"done_on": "datum gesprek", "with_whom": "met wie", "topics": "onderwerpen", "notes": "notities"}


def can_escalate(grant: Grant) -> bool:
    return grant.can_change(W) and grant.can_change(Category.TRAJECTORY)


@dataclass
class FinalTalkData:
    held_on: date
    with_whom: str
    summary: str


# --- the jobcoach's list of check-ins due --------------------------------------------------------------------

#: Check-ins planned up to this many days ahead are on the list (overdue ones always).
DUE_AHEAD_DAYS = 14

MINE, ORGANISATION = "mijn", "organisatie"
SCOPES = {MINE: "Waar ik jobcoach ben", ORGANISATION: "Hele organisatie"}


def does_aftercare(user) -> bool:
    """Jobcoaches see "Nazorg" in the menu (by role, no query on every page; a regisseur finds overdue check-ins
    as signals on the caseload and can open the list at /werk/nazorg/)."""
    return access.works_with_participants(user) and Role.JOBCOACH in user.role_codes


def lands_on_check_ins(user) -> bool:
    """The jobcoach's start page is the list of check-ins due (a regisseur keeps the caseload)."""
    roles = user.role_codes
    return access.works_with_participants(user) and Role.JOBCOACH in roles and Role.REGISSEUR not in roles


def check_ins_due(user, *, scope: str = MINE, today: date | None = None) -> list[CheckIn]:
    """Open check-ins planned up to ``DUE_AHEAD_DAYS`` ahead (overdue first, then by date) of running aftercare
    of participants whose work data the user may see: where the user is the jobcoach (``mijn``), or of placements
    coached or recorded by the user's organisation (``organisatie``). Withdrawn placements are left out; closed
    trajectories are not: aftercare goes on after the closure. Two queries."""
    today = today or timezone.localdate()
    visible = access.visible_participants(user).filter(access.category_q(user, Category.WORK))
    qs = CheckIn.objects.filter(
        done_on__isnull=True, planned_on__lte=today + timedelta(days=DUE_AHEAD_DAYS), plan__ended_on__isnull=True,
        plan__placement__withdrawn_at__isnull=True, plan__placement__participant__in=visible.values("pk"),
    )
    if scope == ORGANISATION and user.organisation_id:
        qs = qs.filter(Q(plan__placement__jobcoach__organisation_id=user.organisation_id)
                       | Q(plan__placement__organisation_id=user.organisation_id))
    else:
        qs = qs.filter(plan__placement__jobcoach=user)
    rows = list(qs.select_related("plan__placement__participant", "plan__placement__employer",
                                  "plan__placement__jobcoach").order_by("planned_on", "id"))
    for c in rows:
        c.late_days = (today - c.planned_on).days if c.planned_on < today else 0
        c.in_days = (c.planned_on - today).days if c.planned_on > today else 0
    return rows
