"""Aftercare (nazorg) of a placement: the writes — the plan from the default schedule, check-ins (under optimistic
locking), the friction log, escalation. Reads: queries/aftercare.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.casework.queries import contacts as contact_queries
from koers.casework.services import actions as casework
from koers.casework.services import contacts as contact_services
from koers.core import audit, locking
from koers.core.access import Grant, require_category
from koers.core.codes import ActionStatus, LifeDomain
from koers.core.models import AuditAction
from koers.work.models import AftercarePlan, CheckIn, CheckInWith, Friction, Placement
from koers.work.queries.aftercare import (
    CHECK_IN_LABELS,
    ESCALATION_DAYS,
    MSG_CLOSED,
    CheckInData,
    FinalTalkData,
    W,
    closable_action_items,
    contact_kind,
    held_at,
    moment,
    schedule,
)


def create_plan(placement: Placement) -> AftercarePlan:
    """The aftercare plan of a new placement, with a check-in per moment of the schedule (one insert)."""
    plan = AftercarePlan.objects.create(placement=placement, started_on=placement.start_date)
    CheckIn.objects.bulk_create([
        CheckIn(plan=plan, label=label, planned_on=moment(placement.start_date, unit, n))
        for label, unit, n in schedule()
    ])
    return plan


def _open_plan(placement: Placement) -> AftercarePlan:
    plan = AftercarePlan.objects.select_for_update().filter(placement=placement).first()
    if plan is None:
        raise Http404("Nazorg niet gevonden")
    if plan.is_closed:
        raise ValidationError(MSG_CLOSED)
    return plan


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
    contact_data = _contact_data(user, placement, check_in, data) if not errors else None
    if contact_data is not None and contact_queries.can_record(grant):
        problems = contact_queries.check_contact(participant, grant, contact_data)
        errors.update({CONTACT_FIELDS.get(k, k): v for k, v in problems.items()})
    closable = {i.pk: i for i in closable_action_items(user, participant, grant, placement)}
    unknown = [pk for pk in data.close_action_ids if pk not in closable]
    if unknown:
        errors["close_action_ids"] = "Dit actiepunt kunt u niet afronden, of het is al afgerond. Kies opnieuw."
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    check_in.done_on = data.done_on
    check_in.with_whom = data.with_whom
    check_in.topics = CheckIn.topics_value(data.topics)
    check_in.notes = data.notes.strip()
    check_in.done_by = user
    check_in.organisation_id = user.organisation_id
    # One event, recorded once: the check-in is also the contact (contact clock, guidance hours). A second
    # recording of the same check-in corrects that contact (when still correctable) instead of adding one.
    recorded_contact = ""
    if contact_queries.can_record(grant):
        existing = check_in.contact
        if existing is None:
            check_in.contact = contact_services.record_contact(user, participant, grant, contact_data,
                                                               request=request)
            recorded_contact = "; als contact vastgelegd"
        elif contact_queries.can_correct(user, existing):
            contact_services.update_contact(user, existing, grant, contact_data, request=request)
    check_in.save()
    closed = []
    for pk in data.close_action_ids:
        item = casework.change_status(user, closable[pk], ActionStatus.AFGEROND, request=request)
        closed.append(item.title)
    audit.record(user, participant, W, AuditAction.UPDATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Nazorg {check_in.label} vastgelegd ({placement.employer}){recorded_contact}"
                        + (f"; actiepunt afgerond: {', '.join(closed)}" if closed else ""))
    return check_in


#: Where a problem with the contact shows on the check-in form (others go to the top of the form).
CONTACT_FIELDS = {"happened_at": "at", "kind": "channel", "third_party": "with_whom"}


def _contact_data(user, placement: Placement, check_in: CheckIn, data: CheckInData) -> contact_queries.ContactData:
    employer_there = data.with_whom in (CheckInWith.WERKGEVER, CheckInWith.SAMEN, CheckInWith.APART)
    return contact_queries.ContactData(
        kind=contact_kind(data.with_whom, data.channel), happened_at=held_at(data.done_on, data.at),
        duration_minutes=data.duration_minutes,
        summary=f"Nazorg {check_in.label} ({placement.job_title} bij {placement.employer}): {data.notes.strip()}",
        staff=[user], participant_present=data.with_whom != CheckInWith.WERKGEVER,
        employer_present=employer_there, third_party=str(placement.employer)[:200] if employer_there else "",
    )


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


@transaction.atomic
def escalate_friction(user, participant, grant: Grant, placement: Placement, friction_id, *,
                      today: date | None = None, request=None):
    """Escalate a friction to the regisseur: an action item for the regisseur (or the regie organisation when
    the participant has none), due in ``ESCALATION_DAYS`` days, linked from the friction."""
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
