"""Native trajectories: the reads. Who may enrol a participant in which projects, and the records ``refresh``
copies from (the participant file, the latest closure, the placements with their terms), loaded in a fixed number
of queries. The enrolling and the refresh themselves: services/sync.py; the values: rules/sync.py.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from koers.core import access
from koers.core.codes import Category
from koers.monitoring.models import Project, Trajectory
from koers.monitoring.rules.sync import Records
from koers.participants.models import Participant
from koers.work.models import Closure, Placement, PlacementTerm

T = Category.TRAJECTORY


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


def has_trajectories(participant_id) -> bool:
    return Trajectory.objects.filter(participant_id=participant_id).exists()


def load_records(participant_id) -> Records | None:
    participant = Participant.objects.filter(pk=participant_id).only(
        "id", "gender", "date_of_birth", "country_of_origin", "education_level", "migration_status",
        "learning_route", "level_spreken",
    ).first()
    if participant is None:
        return None
    closure = Closure.objects.filter(participant_id=participant_id).order_by("-closed_on", "-id").first()
    placements = list(
        Placement.objects.counting().filter(participant_id=participant_id).select_related("employer")
        .prefetch_related(Prefetch("terms", queryset=PlacementTerm.objects.order_by("effective_from", "id")))
        .order_by("start_date", "id")
    )
    return Records(participant, closure, placements)
