"""Every write to plans (versions and their goals, steps and agreements; signing): checked against the access
policy, audited. The integration record's writes: services/integration.py.

Editing a concept uses optimistic locking: each form carries the concept's ``revision`` as the editor loaded
it; a save whose revision is no longer current is refused with the edits made since (``StaleDraftError``), so
nobody overwrites a colleague's work unseen. A signed version is never changed (``SignedPlanError``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from koers.core import access, audit, uploads
from koers.core.access import Grant, require_category
from koers.core.codes import ActionStatus, Category
from koers.core.models import AuditAction, Organisation, User
from koers.participants.models import Participant
from koers.plans.models import (
    Agreement,
    Goal,
    GoalStatus,
    PlanEdit,
    PlanVersion,
    SignedPlanError,
    SignMethod,
    Step,
    VersionStatus,
    domain_category,
)
from koers.plans.queries import plans as plan_queries
from koers.plans.rules.diff import agreement_fields, changed_fields, goal_fields, header_fields, step_fields

T = Category.TRAJECTORY
#: Due dates further than this after the plan date are taken for a typing error.
MAX_PLAN_YEARS = 10


class StaleDraftError(Exception):
    """Somebody saved the concept after this editor loaded it. ``edits`` are the changes made since."""

    def __init__(self, edits: list[PlanEdit]):
        self.edits = edits
        super().__init__(
            "Iemand anders heeft dit concept gewijzigd nadat u het opende. Uw wijziging is niet opgeslagen. "
            "Bekijk wat er veranderd is en voer uw wijziging zo nodig opnieuw in."
        )


class PlanError(ValidationError):
    """A plan action that is not possible now (a clear Dutch message)."""


# --- Reading helpers the services need ------------------------------------------------------------------


def _require_edit(grant: Grant) -> None:
    require_category(grant, T, write=True)


def _require_category_for_domain(grant: Grant, domain: str, *, write: bool) -> None:
    require_category(grant, domain_category(domain), write=write)


def _lock_draft(participant: Participant, version_id: int, revision: int | None) -> PlanVersion:
    """The concept, locked for this transaction; refused when signed or changed since ``revision``."""
    try:
        version = PlanVersion.objects.select_for_update().get(pk=int(version_id), participant=participant)
    except (ValueError, TypeError, PlanVersion.DoesNotExist) as exc:
        raise Http404("Plan niet gevonden") from exc
    if version.is_signed:
        raise SignedPlanError()
    if revision is not None and version.revision != revision:
        raise StaleDraftError(list(version.edits.filter(revision__gt=revision).select_related("user")))
    return version


def _bump(user, version: PlanVersion, summary: str, category: str = T) -> None:
    version.revision += 1
    version.updated_by = user
    version.save(update_fields=["revision", "updated_by", "updated_at"])
    PlanEdit.objects.create(version=version, revision=version.revision, user=user, category=category,
                            summary=summary[:500])


def _audit(user, participant, grant: Grant, categories, action: str, detail: str, request=None) -> None:
    audit.record(user, participant, categories, action, legal_basis=grant.legal_basis, detail=detail,
                 request=request)


def _describe(fields: list[tuple[str, str, str]]) -> str:
    return ", ".join(name for name, _, _ in fields)


# --- Checks (also used by the forms, so the user sees the message next to the field) ---------------------


def check_due_date(version: PlanVersion, due: date | None, previous: date | None = None) -> str | None:
    """A due date must lie after the plan's date. An unchanged date is accepted: a new version is dated today
    and keeps the dates of the old one, which may have passed."""
    if due is None or due == previous:
        return None
    if due < version.plan_date:
        return f"Deze datum ligt vóór de datum van het plan ({version.plan_date:%d-%m-%Y}). Kies een latere datum."
    if due > version.plan_date + timedelta(days=365 * MAX_PLAN_YEARS):
        return f"Deze datum ligt meer dan {MAX_PLAN_YEARS} jaar na de datum van het plan. Klopt het jaartal?"
    return None


def check_step(participant: Participant, version: PlanVersion, goal: Goal, *, organisation: Organisation | None,
               owner: User | None, due: date | None, previous_due: date | None = None) -> dict[str, str]:
    """Problems with a step, per form field (empty when it may be saved)."""
    errors: dict[str, str] = {}
    category = domain_category(goal.domain)
    involved = access.involved_organisation_ids(participant)
    if organisation is None or organisation.pk not in involved or not organisation.is_active:
        errors["owner_organisation"] = (
            "Deze organisatie is niet betrokken bij het traject van de deelnemer. Kies de regie-organisatie of "
            "een organisatie die als partner is toegevoegd."
        )
    elif not access.organisation_may_see(participant, organisation.pk, category):
        errors["owner_organisation"] = (
            f"{organisation} mag de gegevens over dit doel (gezondheid) niet inzien. Kies een andere organisatie."
        )
    if owner is not None and "owner_organisation" not in errors and (
        owner.organisation_id != organisation.pk or not owner.is_active
    ):
        errors["owner_user"] = f"{owner} werkt niet bij {organisation}. Kies een medewerker van die organisatie."
    if due is None:
        errors["due_date"] = "Vul de datum in waarop de stap klaar moet zijn."
    else:
        problem = check_due_date(version, due, previous_due)
        if problem:
            errors["due_date"] = problem
    return errors




def check_document(upload) -> str | None:
    """The problem with an uploaded signed plan, or None (``core.uploads``: extension, content and size)."""
    return uploads.check_upload(upload, missing="Voeg de scan of foto van het ondertekende plan toe.")


# --- Versions -----------------------------------------------------------------------------------------


@transaction.atomic
def start_plan(user, participant: Participant, grant: Grant, *, kind: str, plan_date: date,
               long_term_goal: str = "", request=None) -> PlanVersion:
    """The first concept of a participant's plan."""
    _require_edit(grant)
    if PlanVersion.objects.filter(participant=participant).exists():
        raise PlanError("Deze deelnemer heeft al een plan. Start een nieuwe versie vanuit het huidige plan.")
    version = PlanVersion.objects.create(
        participant=participant, number=1, kind=kind, plan_date=plan_date, long_term_goal=long_term_goal,
        created_by=user, updated_by=user,
    )
    # What the intake found (support needed per life domain) becomes the concept's goals: not typed twice.
    from_intake = plan_queries.goals_from_intake(participant, grant)
    for position, values in enumerate(from_intake, start=1):
        Goal.objects.create(version=version, position=position,
                            **{k: v for k, v in values.items() if k != "intake_category"})
    summary = "Concept aangemaakt" + (f", {len(from_intake)} doel(en) uit de brede intake" if from_intake else "")
    PlanEdit.objects.create(version=version, revision=1, user=user, summary=summary)
    categories = {T} | {domain_category(g["domain"]) for g in from_intake} | {g["intake_category"] for g in from_intake}
    _audit(user, participant, grant, categories, AuditAction.CREATE,
           f"Plan aangemaakt (versie 1, concept{', doelen uit de intake' if from_intake else ''})", request)
    return version


@transaction.atomic
def new_version(user, participant: Participant, grant: Grant, *, request=None) -> PlanVersion:
    """A new concept, copied from the newest signed version (goals, steps, agreements keep their lineage)."""
    _require_edit(grant)
    # Lock the participant row: two clicks at once must not both copy.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    draft = PlanVersion.objects.filter(participant=participant, status=VersionStatus.CONCEPT).first()
    if draft is not None:
        raise PlanError(f"Er is al een concept (versie {draft.number}). Werk dat concept verder bij.")
    source = (
        PlanVersion.objects.filter(participant=participant, status=VersionStatus.SIGNED)
        .prefetch_related("goals__steps", "agreements")
        .order_by("-number")
        .first()
    )
    if source is None:
        raise PlanError("Er is nog geen ondertekend plan om een nieuwe versie van te maken.")
    number = (PlanVersion.objects.filter(participant=participant).aggregate(n=Max("number"))["n"] or 0) + 1
    today = timezone.localdate()
    try:
        with transaction.atomic():
            version = PlanVersion.objects.create(
                participant=participant, number=number, based_on=source, kind=source.kind,
                plan_date=max(today, source.plan_date), long_term_goal=source.long_term_goal,
                created_by=user, updated_by=user,
            )
    except IntegrityError as exc:  # a colleague started one at the same moment
        raise PlanError("Er is zojuist al een nieuw concept gestart. Open het plan opnieuw.") from exc
    for goal in source.goals.all():
        steps = list(goal.steps.all())
        goal.pk = None
        goal.version = version
        goal.save()
        for step in steps:
            step.pk = None
            step.goal = goal
        Step.objects.bulk_create(steps)
    agreements = list(source.agreements.all())
    for a in agreements:
        a.pk = None
        a.version = version
    Agreement.objects.bulk_create(agreements)
    PlanEdit.objects.create(version=version, revision=1, user=user,
                            summary=f"Nieuwe versie gestart vanuit versie {source.number}")
    _audit(user, participant, grant, T, AuditAction.CREATE,
           f"Nieuwe planversie {number} gestart vanuit versie {source.number}", request)
    return version


@transaction.atomic
def update_header(user, participant: Participant, grant: Grant, version_id: int, revision: int, *, kind: str,
                  plan_date: date, long_term_goal: str, request=None) -> bool:
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    before = header_fields(version)
    version.kind, version.plan_date, version.long_term_goal = kind, plan_date, long_term_goal
    diff = changed_fields(before, header_fields(version))
    if not diff:
        return False
    version.save(update_fields=["kind", "plan_date", "long_term_goal", "updated_at"])
    _bump(user, version, f"Plan gewijzigd: {_describe(diff)}")
    _audit(user, participant, grant, T, AuditAction.UPDATE, f"Plan versie {version.number}: {_describe(diff)}",
           request)
    return True


@dataclass
class GoalData:
    domain: str
    title: str
    description: str = ""
    due_date: date | None = None
    status: str = GoalStatus.OPEN
    next_goal: str = ""


def _goal_in(version: PlanVersion, goal_id, grant: Grant) -> Goal:
    try:
        goal = Goal.objects.get(pk=int(goal_id), version=version)
    except (ValueError, TypeError, Goal.DoesNotExist) as exc:
        raise Http404("Doel niet gevonden") from exc
    _require_category_for_domain(grant, goal.domain, write=False)
    return goal


@transaction.atomic
def save_goal(user, participant: Participant, grant: Grant, version_id: int, revision: int, data: GoalData,
              goal_id: int | None = None, request=None) -> Goal:
    """Add a goal, or change one. A goal set to *behaald* gets today's date."""
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    _require_category_for_domain(grant, data.domain, write=True)
    if goal_id is None:
        goal = Goal(version=version, position=(version.goals.aggregate(p=Max("position"))["p"] or 0) + 1)
        before: dict[str, str] = {}
        old_category = None
    else:
        goal = _goal_in(version, goal_id, grant)
        _require_category_for_domain(grant, goal.domain, write=True)
        before = goal_fields(goal)
        old_category = goal.category
    problem = check_due_date(version, data.due_date, goal.due_date)
    if problem:
        raise ValidationError({"due_date": [problem]})
    for f in ("domain", "title", "description", "due_date", "status", "next_goal"):
        setattr(goal, f, getattr(data, f))
    if goal.status == GoalStatus.BEHAALD and goal.completed_on is None:
        goal.completed_on = timezone.localdate()
    elif goal.status != GoalStatus.BEHAALD:
        goal.completed_on = None
    diff = changed_fields(before, goal_fields(goal))
    if goal_id is not None and not diff:
        return goal
    goal.save()
    what = "toegevoegd" if goal_id is None else f"gewijzigd: {_describe(diff)}"
    _bump(user, version, f"Doel ‘{goal.title}’ {what}", goal.category)
    cats = {goal.category, old_category or goal.category}
    _audit(user, participant, grant, cats, AuditAction.CREATE if goal_id is None else AuditAction.UPDATE,
           f"Plan versie {version.number}: doel {what}", request)
    return goal


@transaction.atomic
def delete_goal(user, participant: Participant, grant: Grant, version_id: int, revision: int, goal_id: int,
                request=None) -> None:
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    goal = _goal_in(version, goal_id, grant)
    _require_category_for_domain(grant, goal.domain, write=True)
    title, category = goal.title, goal.category
    goal.delete()
    _bump(user, version, f"Doel ‘{title}’ verwijderd", category)
    _audit(user, participant, grant, category, AuditAction.DELETE, f"Plan versie {version.number}: doel verwijderd",
           request)


@transaction.atomic
def complete_goal(user, participant: Participant, grant: Grant, lineage: str, *, revision: int | None = None,
                  request=None) -> tuple[PlanVersion, Goal, Goal | None]:
    """Goal chaining in one click: mark the goal *behaald* and add its next goal (same life domain).

    On a signed plan this first starts a new version (a signed version never changes); the change is then
    in that concept, to be signed. Returns (concept, completed goal, new goal or None).
    """
    _require_edit(grant)
    draft = PlanVersion.objects.filter(participant=participant, status=VersionStatus.CONCEPT).first()
    if draft is None:
        draft = new_version(user, participant, grant, request=request)
        revision = None
    version = _lock_draft(participant, draft.pk, revision)
    goal = Goal.objects.filter(version=version, lineage=lineage).first()
    if goal is None:
        raise Http404("Doel niet gevonden")
    _require_category_for_domain(grant, goal.domain, write=True)
    if goal.status == GoalStatus.BEHAALD:
        raise PlanError(f"Het doel ‘{goal.title}’ is al behaald.")
    goal.status = GoalStatus.BEHAALD
    goal.completed_on = timezone.localdate()
    goal.save(update_fields=["status", "completed_on"])
    follow_up = None
    summary = f"Doel ‘{goal.title}’ behaald"
    if goal.next_goal:
        follow_up = Goal.objects.create(
            version=version, domain=goal.domain, title=goal.next_goal, follows=goal.title,
            position=(version.goals.aggregate(p=Max("position"))["p"] or 0) + 1,
        )
        summary += f"; volgend doel ‘{follow_up.title}’ toegevoegd"
    _bump(user, version, summary, goal.category)
    _audit(user, participant, grant, goal.category, AuditAction.UPDATE, f"Plan versie {version.number}: {summary}",
           request)
    return version, goal, follow_up


@dataclass
class StepData:
    description: str
    owner_organisation: Organisation | None
    owner_user: User | None
    due_date: date | None
    status: str = ActionStatus.OPEN


def _step_in(version: PlanVersion, goal: Goal, step_id) -> Step:
    try:
        return Step.objects.select_related("owner_organisation", "owner_user").get(pk=int(step_id), goal=goal)
    except (ValueError, TypeError, Step.DoesNotExist) as exc:
        raise Http404("Stap niet gevonden") from exc


@transaction.atomic
def save_step(user, participant: Participant, grant: Grant, version_id: int, revision: int, goal_id: int,
              data: StepData, step_id: int | None = None, request=None) -> Step:
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    goal = _goal_in(version, goal_id, grant)
    _require_category_for_domain(grant, goal.domain, write=True)
    step = _step_in(version, goal, step_id) if step_id is not None else None
    errors = check_step(participant, version, goal, organisation=data.owner_organisation, owner=data.owner_user,
                        due=data.due_date, previous_due=step.due_date if step else None)
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
    if step is None:
        step = Step(goal=goal, position=(goal.steps.aggregate(p=Max("position"))["p"] or 0) + 1)
        before: dict[str, str] = {}
    else:
        before = step_fields(step)
    step.description, step.owner_organisation, step.owner_user = (
        data.description, data.owner_organisation, data.owner_user)
    step.due_date, step.status = data.due_date, data.status
    diff = changed_fields(before, step_fields(step))
    if step_id is not None and not diff:
        return step
    step.save()
    what = "toegevoegd" if step_id is None else f"gewijzigd: {_describe(diff)}"
    _bump(user, version, f"Stap ‘{step.description}’ bij doel ‘{goal.title}’ {what}", goal.category)
    _audit(user, participant, grant, goal.category, AuditAction.CREATE if step_id is None else AuditAction.UPDATE,
           f"Plan versie {version.number}: stap {what}", request)
    return step


@transaction.atomic
def delete_step(user, participant: Participant, grant: Grant, version_id: int, revision: int, goal_id: int,
                step_id: int, request=None) -> None:
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    goal = _goal_in(version, goal_id, grant)
    _require_category_for_domain(grant, goal.domain, write=True)
    step = _step_in(version, goal, step_id)
    description = step.description
    step.delete()
    _bump(user, version, f"Stap ‘{description}’ bij doel ‘{goal.title}’ verwijderd", goal.category)
    _audit(user, participant, grant, goal.category, AuditAction.DELETE, f"Plan versie {version.number}: stap "
           "verwijderd", request)


def _agreement_in(version: PlanVersion, agreement_id) -> Agreement:
    try:
        return Agreement.objects.get(pk=int(agreement_id), version=version)
    except (ValueError, TypeError, Agreement.DoesNotExist) as exc:
        raise Http404("Afspraak niet gevonden") from exc


@transaction.atomic
def save_agreement(user, participant: Participant, grant: Grant, version_id: int, revision: int, text: str,
                   agreement_id: int | None = None, request=None) -> Agreement:
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    if agreement_id is None:
        agreement = Agreement(version=version,
                              position=(version.agreements.aggregate(p=Max("position"))["p"] or 0) + 1)
        before: dict[str, str] = {}
    else:
        agreement = _agreement_in(version, agreement_id)
        before = agreement_fields(agreement)
    agreement.text = text
    if agreement_id is not None and not changed_fields(before, agreement_fields(agreement)):
        return agreement
    agreement.save()
    what = "toegevoegd" if agreement_id is None else "gewijzigd"
    _bump(user, version, f"Afspraak {what}: ‘{text[:80]}’")
    _audit(user, participant, grant, T, AuditAction.CREATE if agreement_id is None else AuditAction.UPDATE,
           f"Plan versie {version.number}: afspraak {what}", request)
    return agreement


@transaction.atomic
def delete_agreement(user, participant: Participant, grant: Grant, version_id: int, revision: int,
                     agreement_id: int, request=None) -> None:
    _require_edit(grant)
    version = _lock_draft(participant, version_id, revision)
    agreement = _agreement_in(version, agreement_id)
    text = agreement.text
    agreement.delete()
    _bump(user, version, f"Afspraak verwijderd: ‘{text[:80]}’")
    _audit(user, participant, grant, T, AuditAction.DELETE, f"Plan versie {version.number}: afspraak verwijderd",
           request)


@transaction.atomic
def sign(user, participant: Participant, grant: Grant, version_id: int, revision: int, *, method: str,
         signed_on: date, participant_signed: bool, document=None, note: str = "", request=None) -> PlanVersion:
    """Sign the concept on behalf of the municipality (a regisseur of the regie organisation), with the
    participant: on screen, or on paper with the scan or photo attached. The version is immutable after."""
    if not grant.is_regisseur:
        raise Http404("Pagina niet gevonden")
    version = _lock_draft(participant, version_id, revision)
    errors: dict[str, str] = {}
    if not version.goals.exists():
        errors["__all__"] = "Een plan zonder doelen kan niet worden ondertekend. Voeg eerst een doel toe."
    if not participant_signed:
        errors["participant_signed"] = "Het plan wordt samen met de deelnemer ondertekend. Vink aan dat de " \
                                       "deelnemer heeft getekend."
    if signed_on > timezone.localdate():
        errors["signed_on"] = "De datum van ondertekening kan niet in de toekomst liggen."
    elif signed_on < version.plan_date:
        errors["signed_on"] = (
            f"De datum van ondertekening ligt vóór de datum van het plan ({version.plan_date:%d-%m-%Y})."
        )
    if method == SignMethod.PAPER:
        problem = check_document(document)
        if problem:
            errors["document"] = problem
    elif method == SignMethod.SCREEN:
        document = None
    else:
        errors["method"] = "Kies hoe het plan is ondertekend."
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
    version.status = VersionStatus.SIGNED
    version.signed_on = signed_on
    version.signed_at = timezone.now()
    version.signed_by = user
    version.signed_by_participant = True
    version.sign_method = method
    version.sign_note = note
    if document is not None:
        version.signed_document.save(document.name, document, save=False)
    version.revision += 1
    version.updated_by = user
    version.save()
    PlanEdit.objects.create(version=version, revision=version.revision, user=user,
                            summary=f"Ondertekend ({SignMethod(method).label.lower()})")
    _audit(user, participant, grant, T, AuditAction.UPDATE,
           f"Plan versie {version.number} ondertekend ({SignMethod(method).label.lower()})", request)
    return version
