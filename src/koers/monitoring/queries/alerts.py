"""Caseload alert provider of the monitoring (registered with the alert engine, ``casework.queries.alerts``, in
``MonitoringConfig.ready``).

``vervolgmeting_te_laat`` — an open follow-up measurement is past its due date (from the day after; not on the due
date itself). Category ``werk`` (the question is whether the participant has paid work). Attention; urgent from
``URGENT_DAYS`` days late. Unlike the built-in rules it also fires for *closed* trajectories: follow-ups only exist
after closing. The caseload keeps a closed participant on the list while such a follow-up is overdue
(``casework.queries.caseload.CLOSED_KEPT``).

One query per batch with closed trajectories, whatever its size; none for a batch without (follow-ups are
scheduled by closing, which puts the participant in phase *afgesloten*).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from koers.casework.queries import alerts, caseload
from koers.casework.queries.alerts import ATTENTION, URGENT, Batch, Signal
from koers.core.codes import Category, Phase
from koers.monitoring.models import FollowUp, FollowUpStatus

CODE = "vervolgmeting_te_laat"
LABEL = "Vervolgmeting te laat"
URGENT_DAYS = 30


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


def overdue_follow_ups(batch: Batch) -> Iterable[Signal]:
    today = batch.today
    closed = [p.pk for p in batch.participants if p.phase == Phase.AFGESLOTEN]
    if not closed:  # follow-ups are scheduled by closing: a batch without closed trajectories costs no query
        return
    rows = (
        FollowUp.objects.filter(trajectory__participant_id__in=closed,
                                status=FollowUpStatus.OPEN, due_on__lt=today)
        .values_list("id", "trajectory__participant_id", "months", "due_on", "trajectory__ended_on",
                     "trajectory__project__name", "organisation__name", "prefill")
        .order_by("due_on", "id")
    )
    for fu_id, pid, months, due, ended, project, organisation, prefill in rows:
        late = (today - due).days
        closed = f"na de afsluiting op {_d(ended)} " if ended else ""
        proposal = (" De plaatsingen geven al een voorstel; bevestig of corrigeer het." if prefill else "")
        yield Signal(
            pid, CODE, f"{LABEL} ({months} maanden)", due + timedelta(days=1),
            URGENT if late >= URGENT_DAYS else ATTENTION,
            f"De vervolgmeting {months} maanden {closed}(project {project}) moest uiterlijk op {_d(due)} gebeuren, "
            f"{_days(late)} geleden. Verantwoordelijk: {organisation}.",
            "Vraag de deelnemer (of met toestemming de werkgever) of de deelnemer betaald werk heeft en leg de "
            f"vervolgmeting vast bij Monitoring, Vervolgmetingen.{proposal}",
            subject=f"vervolgmeting:{fu_id}", category=Category.WORK,
        )


def closed_with_overdue_follow_up(today: date | None = None) -> Q:
    """Participants of a closed trajectory who still have an overdue follow-up (kept on the caseload)."""
    today = today or timezone.localdate()
    overdue = FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_on__lt=today,
                                      trajectory__participant__isnull=False)
    return Q(pk__in=overdue.values("trajectory__participant_id"))


def register() -> None:
    alerts.register(overdue_follow_ups, codes={CODE: LABEL})
    if closed_with_overdue_follow_up not in caseload.CLOSED_KEPT:
        caseload.CLOSED_KEPT.append(closed_with_overdue_follow_up)
