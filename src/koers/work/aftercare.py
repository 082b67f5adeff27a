"""Aftercare (nazorg) of a placement: the plan from the default schedule, check-ins, the friction log, escalation to
the regisseur and the eindgesprek that closes it.

The schedule every new placement gets is ``DEFAULT_SCHEDULE`` (week 1, week 2, month 2, month 6, month 12 after the
start), or the setting ``KOERS_AFTERCARE_SCHEDULE`` when a deployment sets one: a list of ``(label, unit, n)`` with
unit ``"d"`` (days), ``"w"`` (weeks) or ``"m"`` (calendar months). Check-ins can be added or left undone; the plan
is closed only by recording an eindgesprek (``close_with_final_talk``), never by fading out: the database refuses a
closed plan without one, and overdue check-ins and a plan with nothing left to do are signals (``work_signals``).

Aftercare is work data (category ``werk``): reading needs it, writing needs write access to it. Escalating creates
an action item for the participant's regisseur (``casework.services``), which also needs trajectory write access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.core import audit, locking
from koers.core.access import Grant, require_category
from koers.core.codes import Category, LifeDomain
from koers.core.models import AuditAction
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


def create_plan(placement: Placement) -> AftercarePlan:
    """The aftercare plan of a new placement, with a check-in per moment of the schedule (one insert)."""
    plan = AftercarePlan.objects.create(placement=placement, started_on=placement.start_date)
    CheckIn.objects.bulk_create([
        CheckIn(plan=plan, label=label, planned_on=moment(placement.start_date, unit, n))
        for label, unit, n in schedule()
    ])
    return plan


def get_plan(placement: Placement) -> AftercarePlan:
    try:
        return placement.aftercare
    except AftercarePlan.DoesNotExist as exc:
        raise Http404("Nazorg niet gevonden") from exc


def _open_plan(placement: Placement) -> AftercarePlan:
    plan = AftercarePlan.objects.select_for_update().filter(placement=placement).first()
    if plan is None:
        raise Http404("Nazorg niet gevonden")
    if plan.is_closed:
        raise ValidationError(MSG_CLOSED)
    return plan


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


# --- Writes ----------------------------------------------------------------------------------------------------


@dataclass
class CheckInData:
    done_on: date
    with_whom: str
    topics: list[str] = field(default_factory=list)
    notes: str = ""


def _check_done(data: CheckInData, placement: Placement, today: date) -> dict[str, str]:
    errors = {}
    if data.done_on is None:
        errors["done_on"] = "Vul de datum in waarop het gesprek was."
    elif data.done_on > today:
        errors["done_on"] = "Een gesprek in de toekomst kan nog niet worden vastgelegd. Kies vandaag of eerder."
    elif data.done_on < placement.start_date:
        errors["done_on"] = "Deze datum ligt vóór de start van de plaatsing."
    if data.with_whom not in CheckInWith.values:
        errors["with_whom"] = "Kies met wie het gesprek was."
    if not (data.notes or "").strip():
        errors["notes"] = "Schrijf kort op hoe het gaat en wat er is afgesproken."
    return errors


@transaction.atomic
def check_in_values(check_in: CheckIn) -> dict:
    """What recording a check-in writes (the version the form carries covers these)."""
    return {"done_on": check_in.done_on, "with_whom": check_in.with_whom, "topics": check_in.topics,
            "notes": check_in.notes}


CHECK_IN_LABELS = {"done_on": "datum gesprek", "with_whom": "met wie", "topics": "onderwerpen", "notes": "notities"}


def check_in_version(check_in: CheckIn) -> str:
    return locking.make_version(check_in_values(check_in))


@transaction.atomic
def record_check_in(user, participant, grant: Grant, placement: Placement, check_in_id, data: CheckInData, *,
                    today: date | None = None, request=None, version: str | None = None) -> CheckIn:
    """Record a planned check-in as held (date, with whom, topics, notes).

    ``version`` (``check_in_version`` as the form was loaded) makes a second recording by a colleague a refusal
    (``locking.StaleEdit``) instead of an overwrite."""
    require_category(grant, W, write=True)
    today = today or timezone.localdate()
    plan = _open_plan(placement)
    check_in = CheckIn.objects.select_for_update().filter(plan=plan, pk=check_in_id).first()
    if check_in is None:
        raise Http404("Nazorgmoment niet gevonden")
    # Recorded by a colleague after this form was opened: refuse instead of overwriting their notes unseen.
    locking.check(version, check_in_values(check_in), labels=CHECK_IN_LABELS,
                  who=check_in.done_by.get_full_name() if check_in.done_by_id else "", when=None)
    errors = _check_done(data, placement, today)
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    check_in.done_on = data.done_on
    check_in.with_whom = data.with_whom
    check_in.topics = CheckIn.topics_value(data.topics)
    check_in.notes = data.notes.strip()
    check_in.done_by = user
    check_in.organisation_id = user.organisation_id
    check_in.save()
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Nazorg {check_in.label} vastgelegd ({placement.employer})")
    return check_in


@transaction.atomic
def add_check_in(user, participant, grant: Grant, placement: Placement, label: str, planned_on: date, *,
                 request=None) -> CheckIn:
    """An extra check-in (an employer visit between the scheduled moments, a follow-up after friction)."""
    require_category(grant, W, write=True)
    plan = _open_plan(placement)
    errors = {}
    if not (label or "").strip():
        errors["label"] = "Geef het moment een naam, bijvoorbeeld ‘Bezoek werkgever’."
    if planned_on is None:
        errors["planned_on"] = "Vul de datum in."
    elif planned_on < placement.start_date:
        errors["planned_on"] = "Deze datum ligt vóór de start van de plaatsing."
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    check_in = CheckIn.objects.create(plan=plan, label=label.strip()[:60], planned_on=planned_on)
    audit.record(user, participant, W, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Nazorgmoment ingepland: {check_in.label}")
    return check_in


@transaction.atomic
def log_friction(user, participant, grant: Grant, placement: Placement, *, occurred_on: date, what: str,
                 follow_up: str = "", today: date | None = None, request=None) -> Friction:
    require_category(grant, W, write=True)
    today = today or timezone.localdate()
    plan = _open_plan(placement)
    errors = {}
    if not (what or "").strip():
        errors["what"] = "Beschrijf wat er speelt."
    if occurred_on is None:
        errors["occurred_on"] = "Vul de datum in."
    elif occurred_on > today:
        errors["occurred_on"] = "Deze datum ligt in de toekomst."
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    friction = Friction.objects.create(plan=plan, occurred_on=occurred_on, what=what.strip()[:500],
                                       follow_up=(follow_up or "").strip()[:500], recorded_by=user)
    audit.record(user, participant, W, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail="Knelpunt in de nazorg vastgelegd")
    return friction


def _friction(plan_placement: Placement, friction_id) -> Friction:
    friction = (Friction.objects.select_for_update(of=("self",)).select_related("plan")
                .filter(plan__placement=plan_placement, pk=friction_id).first())
    if friction is None:
        raise Http404("Knelpunt niet gevonden")
    return friction


@transaction.atomic
def resolve_friction(user, participant, grant: Grant, placement: Placement, friction_id, *, follow_up: str = "",
                     today: date | None = None, request=None) -> Friction:
    require_category(grant, W, write=True)
    friction = _friction(placement, friction_id)
    if friction.resolved_on:
        return friction
    friction.resolved_on = today or timezone.localdate()
    if follow_up.strip():
        friction.follow_up = follow_up.strip()[:500]
    friction.save(update_fields=["resolved_on", "follow_up"])
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail="Knelpunt in de nazorg opgelost")
    return friction


def can_escalate(grant: Grant) -> bool:
    return grant.can_change(W) and grant.can_change(Category.TRAJECTORY)


@transaction.atomic
def escalate_friction(user, participant, grant: Grant, placement: Placement, friction_id, *,
                      today: date | None = None, request=None):
    """Escalate a friction to the regisseur: an action item for the regisseur (or the regie organisation when
    the participant has none), due in ``ESCALATION_DAYS`` days, linked from the friction."""
    from koers.casework.services import actions as casework

    require_category(grant, W, write=True)
    friction = _friction(placement, friction_id)
    if friction.action_item_id:
        raise ValidationError("Dit knelpunt is al geëscaleerd naar de regisseur.")
    if friction.resolved_on:
        raise ValidationError("Dit knelpunt is al opgelost; escaleren is niet nodig.")
    today = today or timezone.localdate()
    draft = casework.ActionDraft(
        title=f"Nazorg {placement.employer}: knelpunt bespreken"[:200],
        owner_organisation_id=participant.regie_organisation_id,
        assignee_id=participant.regisseur_id,
        due_date=today + timedelta(days=ESCALATION_DAYS),
        domain=LifeDomain.PARTICIPATIE,
        description=f"Geëscaleerd vanuit de nazorg ({placement.job_title} bij {placement.employer}): "
                    f"{friction.what}" + (f"\nVervolg tot nu toe: {friction.follow_up}" if friction.follow_up else ""),
        created_by_id=user.pk,
    )
    (item,) = casework.create_action_items(user, participant, grant, [draft])
    friction.action_item = item
    friction.save(update_fields=["action_item"])
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail="Knelpunt in de nazorg geëscaleerd naar de regisseur")
    return item


@dataclass
class FinalTalkData:
    held_on: date
    with_whom: str
    summary: str


@transaction.atomic
def close_with_final_talk(user, participant, grant: Grant, placement: Placement, data: FinalTalkData, *,
                          today: date | None = None, request=None) -> AftercarePlan:
    """Close the aftercare with its eindgesprek. Check-ins still planned are left as they are (not held)."""
    require_category(grant, W, write=True)
    today = today or timezone.localdate()
    plan = _open_plan(placement)
    errors = {}
    if data.held_on is None:
        errors["held_on"] = "Vul de datum van het eindgesprek in."
    elif data.held_on > today:
        errors["held_on"] = "Een eindgesprek in de toekomst kan nog niet worden vastgelegd."
    elif data.held_on < placement.start_date:
        errors["held_on"] = "Deze datum ligt vóór de start van de plaatsing."
    if data.with_whom not in CheckInWith.values:
        errors["with_whom"] = "Kies met wie het eindgesprek was."
    if not (data.summary or "").strip():
        errors["summary"] = (
            "Schrijf op wat er in het eindgesprek is besproken: hoe het gaat, wat er is bereikt en bij wie de "
            "deelnemer en de werkgever terecht kunnen als er later iets is."
        )
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    plan.final_talk_on = data.held_on
    plan.final_talk_with = data.with_whom
    plan.final_talk_summary = data.summary.strip()
    plan.final_talk_by = user
    plan.ended_on = data.held_on
    plan.save()
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Nazorg afgesloten met eindgesprek ({placement.employer})")
    return plan
