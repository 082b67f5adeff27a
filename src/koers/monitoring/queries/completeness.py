"""Data completeness: which reportable fields are unknown, for which trajectories (CONTRACT for other modules).

* ``FIELDS`` — the reportable fields, each with a label, whether it applies to a trajectory (e.g. contract
  months only for paid work) and how "unknown" is recognised.
* ``completeness_table(trajectories) -> tables.Table`` — per field: applicable N, unknown, % complete.
* ``field_completeness(trajectories) -> dict[field, (n, unknown)]`` — the same figures as a dict, to show
  next to a figure in a report.
* ``worklist(...)`` — the trajectories with unknown fields, for the page with links to fix them.

Every rule is a ``Q`` on ``Trajectory``, so the figures of a whole programme come from ONE aggregate query
(conditional counts) and the worklist and the edit form use exactly the same definitions (annotated flags).

The writes are in the services package (same module name)."""

from __future__ import annotations

import calendar
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from koers.core import access, locking
from koers.core.codes import Outcome, Phase
from koers.monitoring.models import Source, Trajectory
from koers.monitoring.rules.tables import Cell, Row, Table
from koers.participants.models import Participant

ONBEKEND = "onbekend"


#: Ended trajectories have an outcome (``onbekend`` is a value); running ones have none.
ENDED = ~Q(outcome="")


PAID = Q(outcome=Outcome.BETAALD_WERK)


EDUCATION = Q(outcome=Outcome.REGULIERE_OPLEIDING)


DROPOUT = Q(outcome=Outcome.VOORTIJDIGE_UITVAL)


def add_months(d: date, months: int) -> date:
    """``d`` shifted by whole months, the day clamped to the end of a shorter month (31 Aug + 6 = 28/29 Feb)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _follow_up_due(months: int) -> Callable[[date], Q]:
    """Durability applies to ended trajectories whose follow-up moment (end + N months) has passed."""

    def applies(today: date) -> Q:
        return ENDED & Q(ended_on__isnull=False, ended_on__lte=add_months(today, -months))

    return applies


def _always(today: date) -> Q | None:
    return None


def _when(q: Q) -> Callable[[date], Q]:
    return lambda today: q


@dataclass(frozen=True)
class Field:
    """One reportable field of a trajectory.

    ``applies(today)`` is the filter of the trajectories the field is asked of (None = all); ``unknown`` the
    filter of those where it is unknown (always ANDed with ``applies``). ``column`` is its import column.
    """

    name: str
    label: str
    column: str
    unknown: Q
    applies: Callable[[date], Q | None] = _always
    applies_text: str = "alle deelnames"

    def applies_q(self, today: date) -> Q | None:
        return self.applies(today)

    def unknown_q(self, today: date) -> Q:
        applies = self.applies(today)
        return self.unknown if applies is None else applies & self.unknown


FIELDS: tuple[Field, ...] = (
    Field("gender", "Geslacht", "geslacht", Q(gender=ONBEKEND)),
    Field("birth_year", "Geboortejaar", "geboortejaar", Q(birth_year__isnull=True)),
    Field("country_of_origin", "Land van herkomst", "land_herkomst", Q(country_of_origin="")),
    Field("education_level", "Opleidingsniveau herkomstland", "opleidingsniveau", Q(education_level=ONBEKEND)),
    Field("migration_status", "Verblijfsstatus", "status", Q(migration_status=ONBEKEND)),
    Field("learning_route", "Leerroute", "leerroute", Q(learning_route=ONBEKEND)),
    Field("level_spreken", "Taalniveau spreken", "taalniveau_spreken", Q(level_spreken=ONBEKEND)),
    Field("started_on", "Startdatum", "startdatum", Q(started_on__isnull=True)),
    Field("outcome", "Uitstroom", "uitstroom", Q(outcome=Outcome.ONBEKEND), _when(ENDED), "afgesloten deelnames"),
    Field("dropout_reason", "Reden uitval", "reden_uitval", Q(dropout_reason="") | Q(dropout_reason=ONBEKEND),
          _when(DROPOUT), "voortijdige uitval"),
    Field("job_title", "Functie", "functie", Q(job_title=""), _when(PAID), "uitstroom naar betaald werk"),
    Field("contract_type", "Contractsoort", "contractsoort", Q(contract_type=""), _when(PAID),
          "uitstroom naar betaald werk"),
    # A permanent contract has no duration: NULL months with contract type "vast" is not unknown.
    Field("contract_months", "Contractduur (maanden)", "contract_maanden", Q(contract_months__isnull=True),
          _when(PAID & ~Q(contract_type="vast")), "betaald werk zonder vast contract"),
    Field("hours_per_week", "Uren per week", "uren_per_week", Q(hours_per_week__isnull=True), _when(PAID),
          "uitstroom naar betaald werk"),
    Field("education_entered", "Niveau opleiding", "opleiding_niveau",
          Q(education_entered="") | Q(education_entered=ONBEKEND), _when(EDUCATION),
          "uitstroom naar reguliere opleiding"),
    Field("education_field", "Richting opleiding", "opleiding_richting", Q(education_field=""), _when(EDUCATION),
          "uitstroom naar reguliere opleiding"),
    Field("work_6m", "Betaald werk na 6 maanden", "werk_na_6_maanden", Q(work_6m=ONBEKEND), _follow_up_due(6),
          "afgesloten, einddatum minstens 6 maanden geleden"),
    Field("work_12m", "Betaald werk na 12 maanden", "werk_na_12_maanden", Q(work_12m=ONBEKEND),
          _follow_up_due(12), "afgesloten, einddatum minstens 12 maanden geleden"),
)


FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def any_unknown_q(today: date | None = None, fields: Iterable[Field] = FIELDS) -> Q:
    """Trajectories with at least one unknown reportable field (of ``fields``)."""
    today = _today(today)
    return reduce(operator.or_, (f.unknown_q(today) for f in fields))


def _counts(trajectories: QuerySet[Trajectory], today: date) -> dict:
    """ONE aggregate query: per field the applicable and the unknown count, plus totals."""
    aggregates = {"_total": Count("pk"), "_incomplete": Count("pk", filter=any_unknown_q(today))}
    for f in FIELDS:
        applies = f.applies_q(today)
        aggregates[f"n_{f.name}"] = Count("pk") if applies is None else Count("pk", filter=applies)
        aggregates[f"u_{f.name}"] = Count("pk", filter=f.unknown_q(today))
    return trajectories.order_by().aggregate(**aggregates)


def pct_complete(n: int, unknown: int) -> float | None:
    """Share of the applicable trajectories where the field is known (None when it applies to nobody)."""
    return None if not n else 100.0 * (n - unknown) / n


def field_completeness(trajectories: QuerySet[Trajectory], today: date | None = None) -> dict[str, tuple[int, int]]:
    """Per field name: (applicable N, unknown). One query."""
    counts = _counts(trajectories, _today(today))
    return {f.name: (counts[f"n_{f.name}"], counts[f"u_{f.name}"]) for f in FIELDS}


def completeness_table(trajectories: QuerySet[Trajectory], today: date | None = None) -> Table:
    """Per reportable field: for how many trajectories it applies, how many are unknown, % complete.

    ``n`` is the number of trajectories, ``unknown`` those with at least one unknown field. One query.
    """
    counts = _counts(trajectories, _today(today))
    rows = []
    for f in FIELDS:
        n, unknown = counts[f"n_{f.name}"], counts[f"u_{f.name}"]
        pct = pct_complete(n, unknown)
        rows.append(Row(label=f.label, code=f.name, cells=(
            Cell(count=n), Cell(count=unknown), Cell(value=None if pct is None else round(pct, 1)),
        )))
    return Table(
        key="completeness",
        title="Volledigheid van de gegevens",
        row_header="Gegeven",
        columns=("Van toepassing", "Onbekend", "% volledig"),
        rows=tuple(rows),
        n=counts["_total"],
        unknown=counts["_incomplete"],
        note="Per gegeven: bij hoeveel deelnames het van toepassing is (bijvoorbeeld contractduur alleen bij "
             "betaald werk zonder vast contract, werk na 6 of 12 maanden pas als dat moment voorbij is), hoe "
             "vaak het onbekend is en welk deel is ingevuld.",
    )


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def annotate_flags(trajectories: QuerySet[Trajectory], today: date | None = None) -> QuerySet[Trajectory]:
    """Adds ``applies_<field>`` and ``unknown_<field>`` booleans to every row (same rules as the figures)."""
    today = _today(today)
    annotations = {}
    for f in FIELDS:
        applies = f.applies_q(today)
        annotations[f"applies_{f.name}"] = Value(True, output_field=BooleanField()) if applies is None \
            else _flag(applies)
        annotations[f"unknown_{f.name}"] = _flag(f.unknown_q(today))
    return trajectories.annotate(**annotations)


def unknown_fields(trajectory: Trajectory) -> list[Field]:
    """The unknown fields of a row from ``annotate_flags``/``worklist``."""
    return [f for f in FIELDS if getattr(trajectory, f"unknown_{f.name}")]


def applicable_fields(trajectory: Trajectory) -> list[Field]:
    """The fields that apply to a row from ``annotate_flags``."""
    return [f for f in FIELDS if getattr(trajectory, f"applies_{f.name}")]


def worklist(trajectories: QuerySet[Trajectory], *, field: str = "", today: date | None = None) -> QuerySet:
    """The trajectories with an unknown reportable field (or with ``field`` unknown), per organisation and
    project, flags annotated (``unknown_fields(row)``)."""
    today = _today(today)
    fields = [FIELDS_BY_NAME[field]] if field else FIELDS
    qs = trajectories.filter(any_unknown_q(today, fields))
    return annotate_flags(qs, today).select_related("project", "project__organisation").order_by(
        "project__organisation__name", "project__name", "project_id", "pk")


def per_project(trajectories: QuerySet[Trajectory], today: date | None = None) -> list[dict]:
    """Per project: trajectories and those with at least one unknown field (one grouped query)."""
    rows = (
        trajectories.order_by()
        .values("project_id", "project__name", "project__code", "project__organisation__name")
        .annotate(total=Count("pk"), incomplete=Count("pk", filter=any_unknown_q(today)))
        .order_by("project__organisation__name", "project__name")
    )
    return list(rows)


#: Details that belong to one outcome; cleared when the outcome changes to another.
OUTCOME_DETAILS = {
    Outcome.VOORTIJDIGE_UITVAL: ("dropout_reason",),
    Outcome.BETAALD_WERK: ("job_title", "contract_type", "contract_months", "hours_per_week"),
    Outcome.REGULIERE_OPLEIDING: ("education_entered", "education_field"),
}


def editable(trajectory: Trajectory) -> bool:
    """Only imported trajectories are filled in here; a native one's fields come from the participant file."""
    return trajectory.source == Source.IMPORT and trajectory.participant_id is None


def trajectory_version(trajectory: Trajectory) -> str:
    """The version the fill-in form carries: the reportable fields as loaded (core.locking)."""
    return locking.make_version(locking.model_values(trajectory, FIELDS_BY_NAME))


# --- Out of sight: a running trajectory in no project ----------------------------------------------------------

#: How many participants without a project the worklist names (the count is always complete).
WITHOUT_PROJECT_SHOWN = 20


def without_project(user, programme, *, limit: int = WITHOUT_PROJECT_SHOWN) -> tuple[int, list[Participant]]:
    """Participants of the programme owner's regie with a running trajectory that is in no project of this
    programme: nobody reports on them, so they drop out of sight (the evaluations' "uit het oog verloren").

    Returns the number (all of them: a figure for the owner's own staff) and the first ``limit`` by name of those
    ``user`` may see (names only through the access policy)."""
    in_programme = Trajectory.objects.filter(programme=programme, participant__isnull=False).values("participant_id")
    qs = (
        Participant.objects.filter(regie_organisation_id=programme.owner_id)
        .exclude(phase__in=(Phase.AANMELDING, Phase.AFGESLOTEN))
        .exclude(pk__in=in_programme)
    )
    named = access.visible_participants(user, qs).order_by("name_search", "pk")[:limit]
    return qs.count(), list(named)
