"""Leerroute rules and deadlines (Wet inburgering 2021; terms configurable per municipality).

The terms come from ``MunicipalityPolicy`` of the regie organisation (defaults: PIP within 10 weeks of the
start of the integration obligation, leerroute switch within 18 months). Deadlines are data: ``deadlines()``
returns them for a participant so that pages (and later the signals of the caseload) can show them. Each
deadline carries the data category it belongs to; a caller shows it only when the viewer's grant covers it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from koers.core.codes import ActionStatus, Category, YesNoUnknown
from koers.core.models import MunicipalityPolicy
from koers.participants.models import Participant
from koers.plans.models import GoalStatus, IntegrationRecord, PlanKind, PlanVersion, VersionStatus, domain_category

#: The language level a leerroute works towards (Wet inburgering 2021): the B1-route ends with exams at B1; the
#: onderwijsroute's taalschakeltraject prepares for education at B1 at least (often up to B2). The Z-route has
#: no level to reach (zelfredzaamheid), nor has "geen" or "onbekend".
TARGET_LEVELS: dict[str, str] = {"b1": "B1", "onderwijs": "B1"}

#: The first milestone every participant passes: A2, enough to start most work-oriented activities.
FIRST_MILESTONE = "A2"


def target_level(route: str) -> str | None:
    """The level the leerroute aims at (``TARGET_LEVELS``), or None when it has none."""
    return TARGET_LEVELS.get(route)


def language_milestones(route: str) -> list[str]:
    """The levels whose reaching the regisseur is told about: A2 and the leerroute's target (in order)."""
    levels = [FIRST_MILESTONE]
    target = target_level(route)
    if target and target not in levels:
        levels.append(target)
    return levels


#: A deadline is "soon" from this many days before its date.
SOON_DAYS = 14

OK, SOON, OVERDUE = "ok", "soon", "overdue"
STATUS_LABELS = {OK: "op schema", SOON: "binnenkort", OVERDUE: "te laat"}


@dataclass(frozen=True)
class Deadline:
    code: str  # "pip", "leerroute_wissel", "doel:<lineage>", "stap:<lineage>"
    label: str
    due: date
    status: str  # ok | soon | overdue
    explanation: str
    category: str = Category.TRAJECTORY
    done: bool = False

    @property
    def status_label(self) -> str:
        return "afgerond" if self.done else STATUS_LABELS[self.status]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pip_due(start: date, policy: MunicipalityPolicy) -> date:
    """The last day on which the PIP is on time."""
    return start + timedelta(weeks=policy.pip_due_weeks)


def switch_window_end(start: date, policy: MunicipalityPolicy) -> date:
    """The last day on which a leerroute switch is allowed without approval: the window covers the first
    ``route_switch_months`` months of the obligation (start + 18 months is the first day outside it)."""
    return add_months(start, policy.route_switch_months) - timedelta(days=1)


def switch_needs_approval(start: date, switch_on: date, policy: MunicipalityPolicy) -> bool:
    return switch_on > switch_window_end(start, policy)


def _status(due: date, today: date) -> str:
    if due < today:
        return OVERDUE
    if due <= today + timedelta(days=SOON_DAYS):
        return SOON
    return OK


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


#: Marks an argument of ``deadlines`` the function loads itself.
LOAD = object()


def deadlines(
    participant: Participant, today: date | None = None, *, current=LOAD, record=LOAD, pip_signed_on=LOAD
) -> list[Deadline]:
    """Every deadline of this participant, soonest first (finished ones last).

    ``current`` (the plan version whose goals count, or None, with its goals and steps prefetched), ``record``
    (the IntegrationRecord or None) and ``pip_signed_on`` (the date the first PIP version was signed, or None)
    may be passed when the caller has them loaded already: the signals of a whole caseload load them in bulk
    (``koers.casework.signals``) and then call this function without any query.
    """
    today = today or timezone.localdate()
    policy = MunicipalityPolicy.for_participant(participant)
    if record is LOAD:
        record = IntegrationRecord.objects.filter(participant=participant).first()
    result: list[Deadline] = []
    start = record.obligation_start if record else None
    if start and participant.integration_obliged != YesNoUnknown.NEE:
        due = pip_due(start, policy)
        signed = pip_signed_on if pip_signed_on is not LOAD else (
            PlanVersion.objects.filter(participant=participant, kind=PlanKind.PIP, status=VersionStatus.SIGNED)
            .order_by("signed_on")
            .values_list("signed_on", flat=True)
            .first()
        )
        weeks = policy.pip_due_weeks
        if signed:
            late = " (na de termijn)" if signed > due else ""
            result.append(Deadline(
                "pip", "PIP vaststellen", due, OK,
                f"De PIP is ondertekend op {_d(signed)}{late}. Termijn: {weeks} weken na de start van de "
                f"inburgeringsplicht ({_d(start)}).", done=True,
            ))
        else:
            status = _status(due, today)
            prefix = "De termijn is verstreken: " if status == OVERDUE else ""
            result.append(Deadline(
                "pip", "PIP vaststellen", due, status,
                f"{prefix}de PIP moet binnen {weeks} weken na de start van de inburgeringsplicht ({_d(start)}) "
                f"ondertekend zijn, uiterlijk {_d(due)}.",
            ))
        end = switch_window_end(start, policy)
        months = policy.route_switch_months
        if end < today:
            result.append(Deadline(
                "leerroute_wissel", "Leerroute wisselen zonder goedkeuring", end, OK,
                f"De wisseltermijn ({months} maanden na {_d(start)}) is voorbij. Een wissel van leerroute kan nog, "
                "maar alleen met een vastgelegde reden en goedkeuring van een regisseur.", done=True,
            ))
        else:
            result.append(Deadline(
                "leerroute_wissel", "Leerroute wisselen zonder goedkeuring", end, _status(end, today),
                f"Tot en met {_d(end)} kan de leerroute direct worden gewisseld ({months} maanden na de start "
                "van de inburgeringsplicht). Daarna is een reden en goedkeuring van een regisseur nodig.",
            ))
    if current is LOAD:
        current = current_version(participant)
    if current is not None:
        for goal in current.goals.all():
            category = domain_category(goal.domain)
            if goal.due_date and goal.status not in (GoalStatus.BEHAALD, GoalStatus.VERVALLEN):
                status = _status(goal.due_date, today)
                result.append(Deadline(
                    f"doel:{goal.lineage}", f"Doel: {goal.title}", goal.due_date, status,
                    f"Streefdatum van het doel ({goal.get_domain_display().lower()})"
                    + (" is verstreken." if status == OVERDUE else "."),
                    category=category,
                ))
            for step in goal.steps.all():
                if step.status in (ActionStatus.AFGEROND, ActionStatus.VERVALLEN):
                    continue
                status = _status(step.due_date, today)
                result.append(Deadline(
                    f"stap:{step.lineage}", f"Stap: {step.description}", step.due_date, status,
                    f"Stap bij het doel ‘{goal.title}’, door {step.owner_label}"
                    + (": de datum is verstreken." if status == OVERDUE else "."),
                    category=category,
                ))
    result.sort(key=lambda d: (d.done, d.due))
    return result


def visible(items: list[Deadline], grant) -> list[Deadline]:
    """The deadlines whose category the grant lets one see (a health goal's date is health data)."""
    return [d for d in items if d.category in grant.read]


def current_version(participant: Participant) -> PlanVersion | None:
    """The plan everybody works from: the newest signed version, or the concept when none is signed yet."""
    versions = PlanVersion.objects.filter(participant=participant).prefetch_related(
        "goals__steps__owner_organisation", "goals__steps__owner_user"
    )
    return versions.filter(status=VersionStatus.SIGNED).order_by("-number").first() or versions.order_by(
        "-number"
    ).first()
