"""Native trajectories: a participant's trajectory in a project, with its monitoring data derived from the work.

**Enrolling** (``enrol_in_project``) links a participant file to a project of a programme: a ``Trajectory`` with
``source = koers``. Who: staff of the participant's *regie organisation* whose grant may change trajectory data
(the regisseur, and the regie organisation's begeleiders, bruggenbouwers and jobcoaches); everyone else gets 404,
as for a page they may not use. Which projects: those of a programme the user's organisation *owns* (every project
of it — a municipality's own work), and the projects the user's organisation *runs* in someone else's programme
(``usable_projects``). A project of a programme the organisation only researches, or in which it has no part, is
not offered and is refused. The start date may not lie in the future nor outside the project's period (when known).

**Refreshing** (``refresh``) copies into every native trajectory of a participant what the records say, so the
reports count native and imported trajectories by one rule and never read a participant file:

- from the file: gender, birth year (from the date of birth; NULL when unknown), country of origin, education
  level, migration status, leerroute and speaking level ("onbekend" stays "onbekend");
- from the latest ``work.Closure`` when it was closed on or after the trajectory's start: ended on, outcome and
  dropout reason. Without such a closure the trajectory runs (no end, no outcome);
- ``first_placement_on``: the earliest placement start on or after the trajectory's start (and not after its end);
- job data, only for a trajectory ended with outcome *betaald werk*: the placement behind the outcome is the
  closure's ``employer_placement`` when it is a paid placement, else the latest paid placement that started by the
  closing date. A placement is *paid* when its kind is *betaald werk* or its current terms have a paid contract
  type (anything but "geen"). From it: ``job_title``; from its current terms (the newest ``PlacementTerm``):
  ``contract_type`` and ``hours_per_week`` (0 = zero-hours); ``contract_months`` = the months from the placement's
  start to the terms' ``contract_end`` (days inclusive / 30.4375, rounded, at least 1) — NULL for a permanent
  contract (*vast*, no end by definition) and NULL when the end is not recorded (unknown).

``refresh`` runs from ``post_save``/``post_delete`` receivers on Participant, Closure, Placement and PlacementTerm
(connected in ``MonitoringConfig.ready``). A participant without a native trajectory costs one indexed EXISTS
query; one with trajectories a fixed handful (trajectories, participant, closure, placements with their terms, one
bulk update of the rows that changed). A new closure also schedules the follow-up measurements
(``followup_services.schedule_for_closure``); a changed placement recomputes the open follow-ups' proposals.
``refresh_all(programme)`` repairs every native trajectory of a programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone

from koers.core import access, audit
from koers.core.codes import Category, ContractType, Outcome, PlacementKind
from koers.core.models import AuditAction
from koers.monitoring.models import Programme, Project, Source, Trajectory

T = Category.TRAJECTORY

#: Fields ``refresh`` owns on a native trajectory (everything else is set by enrolling or a follow-up).
SYNCED_FIELDS = (
    "gender", "birth_year", "country_of_origin", "education_level", "migration_status", "learning_route",
    "level_spreken", "ended_on", "outcome", "dropout_reason", "first_placement_on", "job_title", "contract_type",
    "hours_per_week", "contract_months",
)
DAYS_PER_MONTH = 30.4375


# --- who may enrol, in which projects ----------------------------------------------------------------------------


def usable_projects(user) -> QuerySet[Project]:
    """Projects the user's organisation may put participants in: every project of a programme it owns, and the
    projects it runs itself in another organisation's programme."""
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return Project.objects.none()
    return (
        Project.objects.filter(Q(programme__owner_id=org_id) | Q(organisation_id=org_id))
        .select_related("programme", "organisation").order_by("programme__name", "name", "pk")
    )


def can_enrol(grant: access.Grant) -> bool:
    """The regie organisation's staff who may change the participant's trajectory data."""
    return grant.is_regie and grant.can_change(T)


def enrollable_projects(user, participant, *, today: date | None = None) -> QuerySet[Project]:
    """The projects offered on the participant page: usable, not ended, not already joined."""
    today = today or timezone.localdate()
    return (
        usable_projects(user).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(trajectories__participant=participant)
    )


def _check_enrol(user, participant, project: Project, started_on: date | None, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if project is None or not usable_projects(user).filter(pk=project.pk).exists():
        errors["project"] = "Kies een project van een programma van uw organisatie."
        return errors
    if started_on is None:
        errors["started_on"] = "Vul de startdatum in."
    elif started_on > today:
        errors["started_on"] = "De startdatum ligt in de toekomst. Koppel de deelnemer op of na de start."
    elif project.starts_on and started_on < project.starts_on:
        errors["started_on"] = f"Het project begint pas op {_d(project.starts_on)}. Kies die datum of later."
    elif project.ends_on and started_on > project.ends_on:
        errors["started_on"] = f"Het project is geëindigd op {_d(project.ends_on)}."
    if Trajectory.objects.filter(project=project, participant=participant).exists():
        errors["project"] = f"De deelnemer is al gekoppeld aan {project.name}."
    return errors


@transaction.atomic
def enrol_in_project(user, participant, project: Project, *, started_on: date | None, grant=None, request=None,
                     today: date | None = None) -> Trajectory:
    """Link the participant to ``project`` from ``started_on``: a native trajectory, filled from the records.

    404 when the user may not see the participant or may not enrol (not the regie organisation, no trajectory
    write access); a ``ValidationError`` with Dutch messages per field (``project``, ``started_on``) otherwise."""
    grant = grant if grant is not None else access.grant_for(user, participant)
    if not (access.visible_participants(user).filter(pk=participant.pk).exists() and can_enrol(grant)):
        raise Http404("Pagina niet gevonden")
    today = today or timezone.localdate()
    errors = _check_enrol(user, participant, project, started_on, today)
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    trajectory = Trajectory.objects.create(
        programme_id=project.programme_id, project=project, participant=participant, source=Source.KOERS,
        started_on=started_on,
    )
    records = load_records(participant.pk)
    refresh(participant, records=records)
    trajectory.refresh_from_db()
    if trajectory.ended_on is not None and records is not None and records.closure is not None:
        # Enrolled after the closing (recorded late): the follow-ups are due all the same.
        from koers.monitoring.services import followups as followup_services

        followup_services.schedule_for_closure(records.closure, trajectories=[trajectory])
    audit.record(user, participant, T, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Gekoppeld aan project {project.name} ({project.programme.name}) vanaf {_d(started_on)}")
    return trajectory


# --- refresh -----------------------------------------------------------------------------------------------------


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def has_trajectories(participant_id) -> bool:
    return Trajectory.objects.filter(participant_id=participant_id).exists()


def current_term(placement):
    terms = list(placement.terms.all())
    return max(terms, key=lambda t: (t.effective_from, t.id)) if terms else None


def is_paid(placement, term=None) -> bool:
    """Paid work: kind *betaald werk*, or terms with a paid contract type."""
    if placement.kind == PlacementKind.BETAALD_WERK:
        return True
    term = term if term is not None else current_term(placement)
    return term is not None and term.contract_type not in ("", ContractType.GEEN)


def contract_months(start: date, term) -> int | None:
    """Months from the placement's start to the terms' contract end; None for a permanent contract or unknown."""
    if term is None or term.contract_type == ContractType.VAST or term.contract_end is None:
        return None
    days = (term.contract_end - start).days + 1
    return max(1, round(days / DAYS_PER_MONTH))


@dataclass
class Records:
    """What ``refresh`` reads of one participant (loaded once, shared by all their trajectories)."""

    participant: object
    closure: object | None
    placements: list


def load_records(participant_id) -> Records | None:
    from koers.participants.models import Participant
    from koers.work.models import Closure, Placement, PlacementTerm

    participant = Participant.objects.filter(pk=participant_id).only(
        "id", "gender", "date_of_birth", "country_of_origin", "education_level", "migration_status",
        "learning_route", "level_spreken",
    ).first()
    if participant is None:
        return None
    closure = Closure.objects.filter(participant_id=participant_id).order_by("-closed_on", "-id").first()
    placements = list(
        Placement.objects.filter(participant_id=participant_id).select_related("employer")
        .prefetch_related(Prefetch("terms", queryset=PlacementTerm.objects.order_by("effective_from", "id")))
        .order_by("start_date", "id")
    )
    return Records(participant, closure, placements)


def job_placement(records: Records):
    """The paid placement behind a paid-work outcome (see the module docstring), or None."""
    closure = records.closure
    paid = [p for p in records.placements if is_paid(p)]
    if closure is not None and closure.employer_placement_id:
        chosen = next((p for p in paid if p.pk == closure.employer_placement_id), None)
        if chosen is not None:
            return chosen
    until = closure.closed_on if closure is not None else date.max
    started = [p for p in paid if p.start_date <= until]
    return max(started, key=lambda p: (p.start_date, p.pk)) if started else None


def derived_values(trajectory: Trajectory, records: Records) -> dict:
    """The values ``refresh`` writes into one native trajectory."""
    p = records.participant
    values = {
        "gender": p.gender,
        "birth_year": p.date_of_birth.year if p.date_of_birth else None,
        "country_of_origin": p.country_of_origin or "",
        "education_level": p.education_level,
        "migration_status": p.migration_status,
        "learning_route": p.learning_route,
        "level_spreken": p.level_spreken,
        "ended_on": None, "outcome": "", "dropout_reason": "", "first_placement_on": None,
        "job_title": "", "contract_type": "", "hours_per_week": None, "contract_months": None,
    }
    start = trajectory.started_on or date.min
    closure = records.closure
    if closure is not None and closure.closed_on >= start:
        values.update(ended_on=closure.closed_on, outcome=closure.outcome, dropout_reason=closure.dropout_reason)
    end = values["ended_on"] or date.max
    firsts = [pl.start_date for pl in records.placements if start <= pl.start_date <= end]
    values["first_placement_on"] = min(firsts) if firsts else None
    if values["outcome"] == Outcome.BETAALD_WERK:
        placement = job_placement(records)
        if placement is not None:
            term = current_term(placement)
            values.update(
                job_title=placement.job_title[:200],
                contract_type=term.contract_type if term else "",
                hours_per_week=term.hours_per_week if term else None,
                contract_months=contract_months(placement.start_date, term),
            )
    return values


def refresh(participant, *, records: Records | None = None) -> int:
    """Copy the records into every native trajectory of ``participant`` (an instance or an id). Returns the
    number of trajectories changed."""
    pid = getattr(participant, "pk", participant)
    trajectories = list(Trajectory.objects.filter(participant_id=pid))
    if not trajectories:
        return 0
    records = records or load_records(pid)
    if records is None:
        return 0
    changed = []
    now = timezone.now()
    for t in trajectories:
        values = derived_values(t, records)
        if any(getattr(t, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(t, k, v)
            t.updated_at = now
            changed.append(t)
    if changed:
        Trajectory.objects.bulk_update(changed, [*SYNCED_FIELDS, "updated_at"])
    return len(changed)


def refresh_all(programme: Programme) -> int:
    """Repair: refresh every native trajectory of the programme (and the open follow-ups' proposals)."""
    from koers.monitoring.services import followups as followup_services

    ids = (Trajectory.objects.filter(programme=programme, participant__isnull=False)
           .values_list("participant_id", flat=True).distinct().order_by())
    changed = 0
    for pid in ids:
        changed += refresh(pid)
        followup_services.refresh_prefill(pid)
    return changed


# --- receivers ---------------------------------------------------------------------------------------------------


def _participant_saved(sender, instance, raw=False, **kwargs):
    if raw or not has_trajectories(instance.pk):
        return
    refresh(instance.pk)


def _closure_saved(sender, instance, created=False, raw=False, **kwargs):
    from koers.monitoring.services import followups as followup_services

    if raw or not has_trajectories(instance.participant_id):
        return
    refresh(instance.participant_id)
    if created:
        followup_services.schedule_for_closure(instance)


def _closure_deleted(sender, instance, **kwargs):
    if has_trajectories(instance.participant_id):
        refresh(instance.participant_id)


def _placements_changed(participant_id) -> None:
    from koers.monitoring.services import followups as followup_services

    if participant_id is None or not has_trajectories(participant_id):
        return
    refresh(participant_id)
    followup_services.refresh_prefill(participant_id)


def _placement_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _placements_changed(instance.participant_id)


def _term_changed(sender, instance, raw=False, **kwargs):
    from koers.work.models import Placement

    if raw:
        return
    # While a placement is being deleted its terms go first; the placement's own receiver refreshes then.
    pid = Placement.objects.filter(pk=instance.placement_id).values_list("participant_id", flat=True).first()
    _placements_changed(pid)


def connect() -> None:
    """Connect the receivers (from ``MonitoringConfig.ready``)."""
    from koers.participants.models import Participant
    from koers.work.models import Closure, Placement, PlacementTerm

    post_save.connect(_participant_saved, sender=Participant, dispatch_uid="monitoring_participant_saved")
    post_save.connect(_closure_saved, sender=Closure, dispatch_uid="monitoring_closure_saved")
    post_delete.connect(_closure_deleted, sender=Closure, dispatch_uid="monitoring_closure_deleted")
    post_save.connect(_placement_changed, sender=Placement, dispatch_uid="monitoring_placement_saved")
    post_delete.connect(_placement_changed, sender=Placement, dispatch_uid="monitoring_placement_deleted")
    post_save.connect(_term_changed, sender=PlacementTerm, dispatch_uid="monitoring_term_saved")
    post_delete.connect(_term_changed, sender=PlacementTerm, dispatch_uid="monitoring_term_deleted")
