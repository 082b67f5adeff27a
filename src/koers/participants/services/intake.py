"""The brede intake: the writes (start, save a step, complete). Its steps and the reads: queries/intake.py."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.core import audit, locking
from koers.core.access import Grant, require_category
from koers.core.codes import DOMAIN_CATEGORY, Category, LifeDomain, Phase
from koers.core.models import AuditAction
from koers.participants.forms.file import BarriersForm, Section
from koers.participants.models import Intake, IntakeDomain, IntakeStatus, Participant
from koers.participants.queries.intake import (
    ALL_STEPS,
    DOMAIN_LABELS,
    DOMAIN_ORDER,
    STEP_ORDER,
    IntakeClosed,
    domain_notes,
    domain_values,
    draft_for,
)
from koers.participants.services import file as services


def lock_draft(intake: Intake) -> Intake:
    """The draft under a row lock; IntakeClosed when it was completed meanwhile."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status != IntakeStatus.CONCEPT:
        raise IntakeClosed
    return locked


@transaction.atomic
def start_intake(user, participant: Participant, grant: Grant) -> tuple[Intake, bool]:
    """Start a brede intake, or return the draft that is already open (one draft per participant).

    A re-intake starts with the life-domain notes of the previous completed intake, to be brought up to date.
    """
    require_category(grant, Category.TRAJECTORY, write=True)
    Participant.objects.select_for_update().filter(pk=participant.pk).exists()  # one start at a time
    draft = draft_for(participant)
    if draft is not None:
        return draft, False
    previous = participant.intakes.filter(status=IntakeStatus.AFGEROND).order_by("-completed_at", "-id").first()
    intake = Intake.objects.create(
        participant=participant, organisation_id=user.organisation_id, conducted_by=user,
        held_on=timezone.localdate(), current_step=ALL_STEPS[0].slug,
    )
    if previous is not None:
        IntakeDomain.objects.bulk_create(
            IntakeDomain(intake=intake, domain=d.domain, situation=d.situation, own_view=d.own_view,
                         support_needed=d.support_needed)
            for d in previous.domains.all()
        )
    if participant.phase == Phase.AANMELDING:
        services.set_phase(user, participant, Phase.INTAKE)
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail="Brede intake gestart" + (" (herhaalintake)" if previous else ""))
    return intake, True


def advance(intake: Intake, reached: str) -> None:
    """Remember the furthest step reached (going back to fix a step does not lose the place)."""
    if STEP_ORDER.get(reached, 0) > STEP_ORDER.get(intake.current_step, 0):
        intake.current_step = reached
        Intake.objects.filter(pk=intake.pk).update(current_step=reached)


@transaction.atomic
def save_conversation(user, participant: Participant, grant: Grant, intake: Intake, *, values: dict,
                      version: str | None, reached: str) -> Intake:
    """Step 1: date, home visit, location, co-interviewer, interpreter (``values``: field → validated value)."""
    require_category(grant, Category.TRAJECTORY, write=True)
    locked = lock_draft(intake)
    fields = list(values)  # changed by a colleague after this step was opened: refuse (core.locking)
    locking.check(version, locking.model_values(locked, fields), labels=locking.model_labels(Intake, fields))
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=fields)
    saved = locked
    advance(saved, reached)
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail="Brede intake: gesprek vastgelegd")
    return saved


@transaction.atomic
def save_section(user, participant: Participant, grant: Grant, intake: Intake, section: Section, *,
                 values: dict, version: str | None, reached: str) -> bool:
    """A file section within the intake: saved by the file's own services (history, audit)."""
    lock_draft(intake)
    if section.form_class is BarriersForm:
        changed = services.set_barriers(user, participant, grant, values["barrier_status"], values["barriers"],
                                        version=version)
    else:
        changed = bool(services.update_section(user, participant, grant, section, values=values,
                                               version=version))
    advance(intake, reached)
    return changed


@transaction.atomic
def save_domains(user, participant: Participant, grant: Grant, intake: Intake, notes: dict[str, dict], *,
                 reached: str, versions: dict[str, str | None] | None = None) -> list[str]:
    """Notes per life domain ({code: {situation, own_view, support_needed}}); returns the domains changed.

    ``versions`` ({code: version as the form was loaded}, ``domain_version``): notes a colleague changed after
    the step was opened raise ``locking.StaleEdit`` with what changed, instead of being overwritten."""
    for code in notes:
        if code not in DOMAIN_CATEGORY:
            raise Http404("Leefdomein niet gevonden")
        require_category(grant, DOMAIN_CATEGORY[code], write=True)
    lock_draft(intake)
    existing = domain_notes(intake, notes)
    stale: list[locking.Change] = []
    for code, version in (versions or {}).items():
        current = domain_values(existing.get(code))
        for name in locking.changed_fields(version, current) or []:
            stale.append(locking.Change(f"{LifeDomain(code).label}, {DOMAIN_LABELS[name]}", "",
                                        locking.display(current[name])))
    if stale:
        raise locking.StaleEdit(stale)
    changed, to_create, to_update = [], [], []
    for code, values in notes.items():
        values = {k: (values.get(k) or "").strip() for k in ("situation", "own_view", "support_needed")}
        row = existing.get(code)
        if row is None:
            if any(values.values()):
                to_create.append(IntakeDomain(intake=intake, domain=code, **values))
                changed.append(code)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            to_update.append(row)
            changed.append(code)
    IntakeDomain.objects.bulk_create(to_create)
    IntakeDomain.objects.bulk_update(to_update, ["situation", "own_view", "support_needed"])
    advance(intake, reached)
    if changed:
        changed.sort(key=DOMAIN_ORDER.__getitem__)
        audit.record(user, participant, {DOMAIN_CATEGORY[c] for c in changed}, AuditAction.UPDATE,
                     legal_basis=grant.legal_basis,
                     detail="Brede intake, leefdomeinen: " + ", ".join(LifeDomain(c).label for c in changed))
    return changed


def complete(user, participant: Participant, locked: Intake, summary: str, plan: list[dict]) -> bool:
    """Mark a locked draft completed with its summary and action plan; move the participant from
    aanmelding/intake into the trajectory. Returns whether the phase moved. The caller (the app that
    registered the closing step) holds the transaction and records the audit."""
    locked.action_plan = plan
    locked.summary = summary.strip()
    locked.status = IntakeStatus.AFGEROND
    locked.completed_at = timezone.now()
    locked.completed_by = user
    locked.current_step = "afronden"
    locked.save(update_fields=["action_plan", "summary", "status", "completed_at", "completed_by",
                               "current_step"])
    return participant.phase in (Phase.AANMELDING, Phase.INTAKE) and services.set_phase(
        user, participant, Phase.TRAJECT
    )
