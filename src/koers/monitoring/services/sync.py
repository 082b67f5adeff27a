"""Native trajectories: a participant's trajectory in a project, with its monitoring data derived from the work.

**Enrolling** (``enrol_in_project``) links a participant file to a project of a programme: a ``Trajectory`` with
``source = koers``. Who: staff of the participant's *regie organisation* whose grant may change trajectory data
(the regisseur, and the regie organisation's begeleiders, bruggenbouwers and jobcoaches); everyone else gets 404,
as for a page they may not use. Which projects: those of a programme the user's organisation *owns* (every project
of it — a municipality's own work), and the projects the user's organisation *runs* in someone else's programme
(``usable_projects``). A project of a programme the organisation only researches, or in which it has no part, is
not offered and is refused. The start date may not lie in the future nor outside the project's period (when known).

**Refreshing** (``refresh``) copies into every native trajectory of a participant what the records say
(``rules/sync.py`` lists what and how), so the reports count native and imported trajectories by one rule and
never read a participant file.

``refresh`` runs from ``post_save``/``post_delete`` receivers on Participant, Closure, Placement and PlacementTerm
(``monitoring/receivers.py``, connected in ``MonitoringConfig.ready``). A participant without a native trajectory
costs one indexed EXISTS query; one with trajectories a fixed handful (trajectories, participant, closure,
placements with their terms, one bulk update of the rows that changed). A new closure also schedules the
follow-up measurements (``followup_services.schedule_for_closure``); a changed placement recomputes the open
follow-ups' proposals.
``refresh_all(programme)`` repairs every native trajectory of a programme.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.monitoring.models import Programme, Project, Source, Trajectory
from koers.monitoring.queries.sync import can_enrol, load_records, usable_projects
from koers.monitoring.rules.sync import SYNCED_FIELDS, Records, derived_values
from koers.monitoring.services import followups as followup_services

T = Category.TRAJECTORY


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


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
        followup_services.schedule_for_closure(records.closure, trajectories=[trajectory])
    audit.record(user, participant, T, AuditAction.CREATE, legal_basis=grant.legal_basis, request=request,
                 detail=f"Gekoppeld aan project {project.name} ({project.programme.name}) vanaf {_d(started_on)}")
    return trajectory


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
    ids = (Trajectory.objects.filter(programme=programme, participant__isnull=False)
           .values_list("participant_id", flat=True).distinct().order_by())
    changed = 0
    for pid in ids:
        changed += refresh(pid)
        followup_services.refresh_prefill(pid)
    return changed
