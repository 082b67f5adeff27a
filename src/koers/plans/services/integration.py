"""Every write to the integration record: the start of the inburgeringsplicht, leerroute switches, the progress
per component, exemptions, the closing interview and completing the route (the leerroute rules: rules/leerroute.py).
Checked against the access policy, audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.core import audit
from koers.core.access import Grant, require_category
from koers.core.codes import Category, LearningRoute
from koers.core.models import AuditAction, MunicipalityPolicy
from koers.participants.models import Participant
from koers.participants.services import file as participant_services
from koers.plans.models import (
    ClosingInterview,
    ComponentProgress,
    Exemption,
    IntegrationRecord,
    RouteSwitch,
    SwitchStatus,
)
from koers.plans.rules import leerroute as rules
from koers.plans.services.plans import PlanError

T = Category.TRAJECTORY


def _require_edit(grant: Grant) -> None:
    require_category(grant, T, write=True)


def _audit(user, participant, grant: Grant, categories, action: str, detail: str, request=None) -> None:
    audit.record(user, participant, categories, action, legal_basis=grant.legal_basis, detail=detail,
                 request=request)


def _record(participant: Participant, user) -> IntegrationRecord:
    record, _ = IntegrationRecord.objects.select_for_update().get_or_create(
        participant=participant, defaults={"updated_by": user}
    )
    return record


def _require_regisseur(grant: Grant) -> None:
    if not grant.is_regisseur:
        raise Http404("Pagina niet gevonden")


@transaction.atomic
def set_obligation_start(user, participant: Participant, grant: Grant, start: date, request=None) -> None:
    _require_regisseur(grant)
    record = _record(participant, user)
    if start > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"obligation_start": ["Deze datum ligt te ver in de toekomst. Klopt het jaartal?"]})
    old = record.obligation_start
    record.obligation_start = start
    record.updated_by = user
    record.save()
    _audit(user, participant, grant, T, AuditAction.UPDATE,
           f"Start inburgeringsplicht: {old:%d-%m-%Y} → {start:%d-%m-%Y}" if old else
           f"Start inburgeringsplicht vastgelegd: {start:%d-%m-%Y}", request)


def _apply_switch(user, participant: Participant, switch: RouteSwitch) -> None:
    participant_services.set_learning_route(user, participant, switch.to_route)


ROUTES = (LearningRoute.B1, LearningRoute.ONDERWIJS, LearningRoute.Z)


@transaction.atomic
def request_route_switch(user, participant: Participant, grant: Grant, *, to_route: str, switch_on: date,
                         reason: str = "", request=None) -> RouteSwitch:
    """A leerroute switch. Within the window it takes effect at once; later it needs a reason and waits for
    a regisseur's approval. The first assignment of a route (from *onbekend* or *geen*) is not a switch: it
    takes effect at once, whenever it is recorded."""
    _require_edit(grant)
    record = _record(participant, user)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    first_assignment = participant.learning_route not in ROUTES
    errors: dict[str, str] = {}
    if to_route not in ROUTES:
        errors["to_route"] = "Kies de B1-route, de onderwijsroute of de Z-route."
    elif to_route == participant.learning_route:
        errors["to_route"] = f"De deelnemer volgt de {LearningRoute(to_route).label} al."
    if switch_on > timezone.localdate() + timedelta(days=92):
        errors["switch_on"] = "Deze datum ligt te ver in de toekomst (meer dan drie maanden)."
    needs_approval = False
    if not first_assignment:
        if record.obligation_start is None:
            raise ValidationError("Leg eerst de start van de inburgeringsplicht vast: de wisseltermijn telt vanaf "
                                  "die datum.")
        if switch_on < record.obligation_start:
            errors["switch_on"] = "De wissel kan niet vóór de start van de inburgeringsplicht liggen."
        policy = MunicipalityPolicy.for_participant(participant)
        needs_approval = rules.switch_needs_approval(record.obligation_start, switch_on, policy)
        if needs_approval and not reason.strip():
            end = rules.switch_window_end(record.obligation_start, policy)
            errors["reason"] = (
                f"De wisseltermijn is voorbij (tot en met {end:%d-%m-%Y}). Leg de reden vast; een regisseur moet "
                "de wissel goedkeuren."
            )
    if RouteSwitch.objects.filter(participant=participant, status=SwitchStatus.AANGEVRAAGD).exists():
        errors["__all__"] = "Er wacht al een wissel op goedkeuring. Laat die eerst beoordelen."
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
    switch = RouteSwitch.objects.create(
        participant=participant, from_route=participant.learning_route, to_route=to_route, switch_on=switch_on,
        reason=reason.strip(), needs_approval=needs_approval,
        status=SwitchStatus.AANGEVRAAGD if needs_approval else SwitchStatus.GOEDGEKEURD, requested_by=user,
    )
    if not needs_approval:
        switch.decided_by, switch.decided_at = user, timezone.now()
        switch.save(update_fields=["decided_by", "decided_at"])
        _apply_switch(user, participant, switch)
    _audit(user, participant, grant, T, AuditAction.CREATE,
           f"Leerroute {switch.get_from_route_display()} → {switch.get_to_route_display()}"
           + (" aangevraagd (goedkeuring nodig)" if needs_approval else " vastgelegd"), request)
    return switch


@transaction.atomic
def decide_route_switch(user, participant: Participant, grant: Grant, switch_id: int, *, approve: bool,
                        note: str = "", request=None) -> RouteSwitch:
    """A regisseur approves (the route changes) or rejects a switch that came after the window."""
    _require_regisseur(grant)
    try:
        switch = RouteSwitch.objects.select_for_update().get(pk=int(switch_id), participant=participant)
    except (ValueError, TypeError, RouteSwitch.DoesNotExist) as exc:
        raise Http404("Wissel niet gevonden") from exc
    if switch.status != SwitchStatus.AANGEVRAAGD:
        raise PlanError("Over deze wissel is al besloten.")
    if not approve and not note.strip():
        raise ValidationError({"note": ["Geef aan waarom de wissel wordt afgewezen."]})
    switch.status = SwitchStatus.GOEDGEKEURD if approve else SwitchStatus.AFGEWEZEN
    switch.decided_by, switch.decided_at, switch.decision_note = user, timezone.now(), note.strip()
    switch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        _apply_switch(user, participant, switch)
    _audit(user, participant, grant, T, AuditAction.UPDATE,
           f"Leerroutewissel naar {switch.get_to_route_display()} {switch.get_status_display().lower()}", request)
    return switch


@transaction.atomic
def set_component(user, participant: Participant, grant: Grant, component: str, *, status: str, status_on: date,
                  note: str = "", request=None) -> ComponentProgress:
    _require_edit(grant)
    if status_on > timezone.localdate():
        raise ValidationError({"status_on": ["Deze datum ligt in de toekomst."]})
    item, created = ComponentProgress.objects.select_for_update().get_or_create(
        participant=participant, component=component,
        defaults={"status": status, "status_on": status_on, "note": note, "updated_by": user},
    )
    old = "" if created else item.get_status_display()
    if not created:
        item.status, item.status_on, item.note, item.updated_by = status, status_on, note, user
        item.save()
    _audit(user, participant, grant, T, AuditAction.UPDATE,
           f"{item.get_component_display()}: {old + ' → ' if old else ''}{item.get_status_display()}", request)
    return item


@transaction.atomic
def add_exemption(user, participant: Participant, grant: Grant, *, kind: str, part: str, decided_on: date,
                  reason: str, request=None) -> Exemption:
    _require_regisseur(grant)
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": ["De datum van het besluit kan niet in de toekomst liggen."]})
    item = Exemption.objects.create(participant=participant, kind=kind, part=part, decided_on=decided_on,
                                    reason=reason, recorded_by=user)
    _audit(user, participant, grant, T, AuditAction.CREATE, f"{item.get_kind_display()} vastgelegd: {part}",
           request)
    return item


@transaction.atomic
def record_closing_interview(user, participant: Participant, grant: Grant, *, held_on: date, summary: str,
                             request=None) -> ClosingInterview:
    _require_edit(grant)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": ["Een eindgesprek kan pas worden vastgelegd als het is gevoerd."]})
    item = ClosingInterview.objects.create(participant=participant, held_on=held_on, held_by=user, summary=summary)
    _audit(user, participant, grant, T, AuditAction.CREATE, "Eindgesprek vastgelegd", request)
    return item


@transaction.atomic
def complete_route(user, participant: Participant, grant: Grant, *, completed_on: date, request=None) -> None:
    """Record that the leerroute is completed. For the Z-route the municipality decides, after an
    eindgesprek: without a recorded eindgesprek (on or before the date) it is refused."""
    _require_regisseur(grant)
    record = _record(participant, user)
    participant = Participant.objects.get(pk=participant.pk)
    route = participant.learning_route
    if route not in ROUTES:
        raise ValidationError("Leg eerst de leerroute van de deelnemer vast.")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": ["Deze datum ligt in de toekomst."]})
    if route == LearningRoute.Z and not ClosingInterview.objects.filter(
        participant=participant, held_on__lte=completed_on
    ).exists():
        raise ValidationError({"completed_on": [
            "De Z-route kan pas worden afgerond na een eindgesprek. Leg eerst het eindgesprek vast."
        ]})
    record.route_completed_on, record.route_completed, record.updated_by = completed_on, route, user
    record.save()
    _audit(user, participant, grant, T, AuditAction.UPDATE,
           f"{LearningRoute(route).label} afgerond op {completed_on:%d-%m-%Y}", request)
