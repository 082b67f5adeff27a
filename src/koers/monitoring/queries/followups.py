"""Follow-up measurements (vervolgmetingen): is the participant still in paid work N months after closing?

**Scheduling.** When a trajectory is closed (a ``work.Closure`` is created; receiver in ``receivers.py``), every native
trajectory the closure ended gets one ``FollowUp`` per entry of ``settings.KOERS_FOLLOWUP_MONTHS`` (default 6 and
12), due ``plans.rules.add_months(closed_on, N)``. The *responsible organisation* is the project's organisation
when it may see the participant (it holds the regie or has an active membership), otherwise the organisation that
closed the trajectory: a follow-up nobody may see would never be done. Closing again moves the open follow-ups.

**Proposal from the placements** (``prefill``, recomputed whenever a placement or its terms change, for the open
follow-ups). A placement is *paid* when its kind is *betaald werk* or its terms in force on the due date (else its
current terms) have a paid contract type. It *runs on the due date* when it started by then, was not ended before
it (``ended_on`` empty or on/after the date) and its contract end is not before it.

- ``ja``  — a paid placement runs on the due date (the reason names the job and the employer);
- ``nee`` — there is a paid placement, and every paid placement was ended (a recorded end) before the due date;
- empty  — anything else (nothing recorded, a contract that lapsed without a recorded end, a job starting later).

The proposal is shown on the worklist; a person confirms it with one click or records another answer.

**Recording** (``record_follow_up``) — status *gedaan* needs ``ja`` or ``nee``; *niet bereikt* stores
``onbekend``. The 6-month answer goes to ``Trajectory.work_6m``, the 12-month one to ``work_12m`` (other months:
only the follow-up). Who: staff of the responsible organisation who may see the participant's trajectory and work
data (as for contacts: the measurement is done on behalf of the organisation, not a change of the file).
Everything else is a 404, as is another organisation's follow-up. Viewing and recording are audited.

**Correcting** (``record_follow_up(..., correct=True)``) — the same people may replace a recorded answer (a wrong
click, or a participant reached after all); the same rules apply, the trajectory field follows, and the audit
event (*gewijzigd*) names the previous answer.

The writes are in the services package (same module name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from koers.core import access, locking
from koers.core.codes import Category, YesNoUnknown
from koers.monitoring.models import FollowUp, FollowUpStatus, Trajectory
from koers.monitoring.rules.sync import is_paid
from koers.participants.models import Membership, Participant

T, W = Category.TRAJECTORY, Category.WORK


DEFAULT_MONTHS = (6, 12)


#: Which trajectory field a follow-up of N months answers.
TRAJECTORY_FIELD = {6: "work_6m", 12: "work_12m"}


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def follow_up_months() -> tuple[int, ...]:
    """``settings.KOERS_FOLLOWUP_MONTHS`` as sorted positive integers (a list, or text like "6,12")."""
    value = getattr(settings, "KOERS_FOLLOWUP_MONTHS", DEFAULT_MONTHS)
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",") if v.strip()]
    return tuple(sorted({int(v) for v in value if int(v) > 0}))


def responsible_organisation_id(trajectory: Trajectory, closure) -> int:
    """The project's organisation when it may see the participant, else the organisation that closed."""
    org_id = trajectory.project.organisation_id
    if org_id is None:
        return closure.organisation_id
    if Participant.objects.filter(pk=closure.participant_id, regie_organisation_id=org_id).exists():
        return org_id
    if Membership.objects.active().filter(participant_id=closure.participant_id, organisation_id=org_id).exists():
        return org_id
    return closure.organisation_id


def _term_on(placement, day: date):
    terms = sorted(placement.terms.all(), key=lambda t: (t.effective_from, t.id))
    before = [t for t in terms if t.effective_from <= day]
    return before[-1] if before else (terms[-1] if terms else None)


def runs_on(placement, term, day: date) -> bool:
    return (
        placement.start_date <= day
        and (placement.ended_on is None or placement.ended_on >= day)
        and (term is None or term.contract_end is None or term.contract_end >= day)
    )


def prefill_for(placements, due: date) -> tuple[str, str]:
    """(``ja``/``nee``/``""``, Dutch reason) from the participant's placements (terms prefetched)."""
    paid = []
    for p in placements:
        term = _term_on(p, due)
        if is_paid(p, term):
            paid.append((p, term))
    running = [(p, t) for p, t in paid if runs_on(p, t, due)]
    if running:
        p, term = max(running, key=lambda pt: (pt[0].start_date, pt[0].pk))
        until = (f"contract tot {_d(term.contract_end)}" if term and term.contract_end
                 else "zonder vastgelegde einddatum")
        return YesNoUnknown.JA, (
            f"Volgens de plaatsingen werkt de deelnemer op {_d(due)} als {p.job_title} bij {p.employer} ({until})."
        )[:300]
    if paid and all(p.ended_on is not None and p.ended_on < due for p, _t in paid):
        p, _t = max(paid, key=lambda pt: (pt[0].ended_on, pt[0].pk))
        return YesNoUnknown.NEE, (
            f"De plaatsing als {p.job_title} bij {p.employer} is beëindigd op {_d(p.ended_on)}; er is geen andere "
            "betaalde plaatsing vastgelegd."
        )[:300]
    return "", ""


#: A follow-up can be recorded from this many days before its due date (earlier says nothing about durability).
EARLY_DAYS = 30


def opens_on(follow_up: FollowUp) -> date:
    return follow_up.due_on - timedelta(days=EARLY_DAYS)


def is_overdue(follow_up: FollowUp, today: date | None = None) -> bool:
    return follow_up.status == FollowUpStatus.OPEN and follow_up.due_on < (today or timezone.localdate())


def _shown_participants(user):
    """Participants whose trajectory and work data the user may see (the worklist's filter, in SQL)."""
    return (access.visible_participants(user).filter(access.category_q(user, T))
            .filter(access.category_q(user, W)).values("pk"))


def open_follow_ups(user):
    """The open follow-ups of the user's organisation for participants they may see, due first (a queryset)."""
    if not access.works_with_participants(user):
        return FollowUp.objects.none()
    return (
        FollowUp.objects.filter(organisation_id=user.organisation_id, status=FollowUpStatus.OPEN,
                                trajectory__participant_id__in=_shown_participants(user))
        .select_related("trajectory__participant", "trajectory__project", "trajectory__programme")
        .order_by("due_on", "pk")
    )


def get_follow_up_or_404(user, pk) -> tuple[FollowUp, object, access.Grant]:
    """The follow-up, its participant and the user's grant; 404 for another organisation's follow-up or a
    participant whose trajectory and work data the user may not see."""
    try:
        fu = (FollowUp.objects.select_related("trajectory__project__programme", "trajectory__participant",
                                              "organisation", "done_by")
              .get(pk=int(pk), organisation_id=getattr(user, "organisation_id", None),
                   trajectory__participant__isnull=False))
    except (ValueError, TypeError, FollowUp.DoesNotExist) as exc:
        raise Http404("Vervolgmeting niet gevonden") from exc
    participant, grant = access.get_participant_or_404(user, fu.trajectory.participant_id)
    if not (grant.can_see(T) and grant.can_see(W)):
        raise Http404("Vervolgmeting niet gevonden")
    return fu, participant, grant


@dataclass
class Answer:
    status: str
    in_paid_work: str
    done_on: date | None
    note: str = ""


def check(follow_up: FollowUp, answer: Answer, *, today: date, correct: bool = False) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not correct and follow_up.status != FollowUpStatus.OPEN:
        errors["__all__"] = ("Deze vervolgmeting is al vastgelegd. Klopt het antwoord niet, kies dan "
                             "'Meting corrigeren'.")
        return errors
    if correct and follow_up.status == FollowUpStatus.OPEN:
        errors["__all__"] = "Deze vervolgmeting is nog niet vastgelegd; er is niets te corrigeren."
        return errors
    if answer.status not in (FollowUpStatus.GEDAAN, FollowUpStatus.NIET_BEREIKT):
        errors["status"] = "Kies of de meting is gedaan of dat de deelnemer niet is bereikt."
    elif answer.status == FollowUpStatus.GEDAAN and answer.in_paid_work not in (YesNoUnknown.JA, YesNoUnknown.NEE):
        errors["in_paid_work"] = "Kies ja of nee: heeft de deelnemer betaald werk?"
    if answer.done_on is None:
        errors["done_on"] = "Vul de datum van de meting in."
    elif answer.done_on > today:
        errors["done_on"] = "De datum van de meting ligt in de toekomst. Kies vandaag of eerder."
    elif answer.done_on < opens_on(follow_up):
        errors["done_on"] = (
            f"Een vervolgmeting na {follow_up.months} maanden kan vanaf {_d(opens_on(follow_up))} worden gedaan "
            f"({EARLY_DAYS} dagen voor de termijn); eerder zegt ze niets over blijvend werk."
        )
    elif follow_up.trajectory.ended_on and answer.done_on < follow_up.trajectory.ended_on:
        errors["done_on"] = (
            f"De meting kan niet vóór de afsluiting van het traject ({_d(follow_up.trajectory.ended_on)}) liggen."
        )
    if len(answer.note or "") > 500:
        errors["note"] = "De toelichting is te lang (hoogstens 500 tekens)."
    return errors


def answer_label(status: str, in_paid_work: str) -> str:
    if status == FollowUpStatus.NIET_BEREIKT:
        return "deelnemer niet bereikt"
    return f"betaald werk: {dict(YesNoUnknown.choices)[in_paid_work].lower()}"


def follow_up_values(fu: FollowUp) -> dict:
    """The answer of a follow-up as the form shows it (the version the form carries covers these)."""
    return {"status": fu.status, "in_paid_work": fu.in_paid_work, "done_on": fu.done_on, "note": fu.note}


FOLLOW_UP_LABELS = {"status": "status", "in_paid_work": "betaald werk", "done_on": "datum", "note": "toelichting"}


def follow_up_version(fu: FollowUp) -> str:
    return locking.make_version(follow_up_values(fu))
