"""Django signal receivers of the monitoring: native trajectories follow the participant file, the closure and the
placements (``services.sync.refresh``), and a new closure schedules the follow-up measurements. Connected by
``MonitoringConfig.ready`` (``connect``). A participant without a native trajectory costs one indexed EXISTS query.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from koers.monitoring.queries.sync import has_trajectories
from koers.monitoring.services import followups as followup_services
from koers.monitoring.services.sync import refresh
from koers.participants.models import Participant
from koers.work.models import Closure, Placement, PlacementTerm


def _participant_saved(sender, instance, raw=False, **kwargs):
    if raw or not has_trajectories(instance.pk):
        return
    refresh(instance.pk)


def _closure_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not has_trajectories(instance.participant_id):
        return
    refresh(instance.participant_id)
    if created:
        followup_services.schedule_for_closure(instance)


def _closure_deleted(sender, instance, **kwargs):
    if has_trajectories(instance.participant_id):
        refresh(instance.participant_id)


def _placements_changed(participant_id) -> None:
    if participant_id is None or not has_trajectories(participant_id):
        return
    refresh(participant_id)
    followup_services.refresh_prefill(participant_id)


def _placement_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _placements_changed(instance.participant_id)


def _term_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # While a placement is being deleted its terms go first; the placement's own receiver refreshes then.
    pid = Placement.objects.filter(pk=instance.placement_id).values_list("participant_id", flat=True).first()
    _placements_changed(pid)


def connect() -> None:
    """Connect the receivers (from ``MonitoringConfig.ready``)."""
    post_save.connect(_participant_saved, sender=Participant, dispatch_uid="monitoring_participant_saved")
    post_save.connect(_closure_saved, sender=Closure, dispatch_uid="monitoring_closure_saved")
    post_delete.connect(_closure_deleted, sender=Closure, dispatch_uid="monitoring_closure_deleted")
    post_save.connect(_placement_changed, sender=Placement, dispatch_uid="monitoring_placement_saved")
    post_delete.connect(_placement_changed, sender=Placement, dispatch_uid="monitoring_placement_deleted")
    post_save.connect(_term_changed, sender=PlacementTerm, dispatch_uid="monitoring_term_saved")
    post_delete.connect(_term_changed, sender=PlacementTerm, dispatch_uid="monitoring_term_deleted")
