"""The monitoring panel on the participant page: the projects the participant takes part in (programme, start,
outcome, follow-ups) and "Aan project koppelen" for those who may enrol (``services.sync.enrol_in_project``).

Usage in the participant view (the caller audits the page; the panel is trajectory data)::

    monitoring_panel = participant_panel.panel_context(request.user, participant, grant)

and in the template ``{% include "monitoring/_participant_panel.html" with monitoring_panel=monitoring_panel %}``.
Renders nothing without the trajectory category, or when there is neither a trajectory nor a project to link to.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from koers.core.codes import Category
from koers.monitoring.forms.followups import EnrolForm
from koers.monitoring.models import FollowUp, Trajectory
from koers.monitoring.queries import followups as followup_queries
from koers.monitoring.queries import sync as sync_queries


def trajectories_of(participant) -> list[Trajectory]:
    return list(
        Trajectory.objects.filter(participant=participant)
        .select_related("project__organisation", "programme")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("organisation")
                                   .order_by("months")))
        .order_by("-started_on", "-pk")
    )


def panel_context(user, participant, grant, *, today=None) -> dict:
    if not grant.can_see(Category.TRAJECTORY):
        return {}
    today = today or timezone.localdate()
    items = []
    for t in trajectories_of(participant):
        # Staff of the responsible organisation get a link to record or correct the measurement.
        fus = [{"follow_up": f, "overdue": followup_queries.is_overdue(f, today),
                "own": f.organisation_id == user.organisation_id} for f in t.follow_ups.all()]
        items.append({"trajectory": t, "follow_ups": fus if grant.can_see(Category.WORK) else []})
    form = None
    if sync_queries.can_enrol(grant):
        projects = sync_queries.enrollable_projects(user, participant, today=today)
        if projects.exists():
            form = EnrolForm(projects=projects, prefix="enrol")
    if not items and form is None:
        return {}
    return {"items": items, "form": form, "participant": participant, "today": today}
