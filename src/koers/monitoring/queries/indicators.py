"""The indicators, defined once (docs/indicators.md documents each rule; keep both in step).

CONTRACT (the report pages, the PDF, the exports and ``koers report`` rely on these names and shapes):

* ``Filters`` / ``filtered(scope, filters)`` — the trajectories of a programme the viewer may see, narrowed by
  project, organisation and period. ``scope`` comes from ``monitoring.access``.
* ``Figure`` — one headline figure with its N and its number of unknowns.
* ``summary(trajectories) -> list[Figure]`` — headline figures (started, active, ended, participation, dropout
  rate, time to first placement, attendance rate, guidance hours, durability at 6 and 12 months).
* ``*_table(...) -> tables.Table`` — one function per report table.
* ``programme_report(scope, filters) -> list[Table]`` — every table in report order, small cells suppressed
  when ``scope.external``.
* ``outflow_json(programme, trajectories, projects) -> dict`` — the machine-readable outflow report.

How it computes: every figure is an aggregate query (``GROUP BY`` with conditional ``COUNT``/``SUM``) on the
``Trajectory`` table, never a loop over model instances, so a programme of 100,000 trajectories reports in a
fraction of a second. The only per-row data fetched are the (start, first placement) date pairs of the median.
Native-only figures (attendance, guidance hours) join the activities' attendance and casework's contacts of
the linked participant files; imported trajectories are "unknown" for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean, median

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.utils import timezone

from koers.core.codes import (
    PARTICIPATION_OUTCOMES,
    PRESENT_STATUSES,
    ContractType,
    DropoutReason,
    EducationEntered,
    EducationLevel,
    Gender,
    LearningRoute,
    Outcome,
    YesNoUnknown,
    country_choices,
)
from koers.monitoring.access import SMALL_CELL
from koers.monitoring.models import Programme, Project, ProjectTarget, Source, Trajectory
from koers.monitoring.rules import tables
from koers.monitoring.rules.suppression import ratio_hidden
from koers.monitoring.rules.tables import Cell, Row, Table, format_number


@dataclass(frozen=True)
class Filters:
    project_ids: tuple[int, ...] = ()  # empty = all visible projects
    organisation_id: int | None = None  # the project's (executing) organisation
    date_from: date | None = None  # trajectories active in the period: started on/before date_to and
    date_to: date | None = None  # not ended before date_from (unknown start counts as "in")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | int | None  # None when nothing is known
    n: int  # participants the figure is about
    unknown: int  # of which the input was unknown
    unit: str = ""  # "", "%", "dagen", "uur"
    note: str = ""
    count: int | None = None  # a share's numerator (participants), for small-cell suppression
    base: int | None = None  # what a share or mean rests on; None: the known ones (n - unknown)

    def hidden_externally(self) -> bool:
        """Whether an external viewer must not see the value (``suppression.ratio_hidden``): a count figure when
        it or the rest of its known N is small, a share when its numerator, base or their difference is small,
        a mean or rate when it rests on a small base."""
        known = self.n - self.unknown
        if self.unit == "":
            return isinstance(self.value, int) and ratio_hidden(self.value, known, external=True)
        return ratio_hidden(self.count, known if self.base is None else self.base, external=True)


BREAKDOWNS: dict[str, str] = {
    "geslacht": "Geslacht",
    "leeftijd": "Leeftijdsgroep",
    "opleidingsniveau": "Opleidingsniveau herkomstland",
    "land": "Land van herkomst",
    "leerroute": "Leerroute",
    "organisatie": "Organisatie",
}

#: Outcome codes in code-list order (the rows of the outflow table; every code is always present).
OUTCOME_CODES: tuple[str, ...] = tuple(Outcome.values)
#: Participation outcomes in code-list order (a certificate alone is not participation).
PARTICIPATION_CODES: tuple[str, ...] = tuple(c for c in OUTCOME_CODES if c in PARTICIPATION_OUTCOMES)
#: Row code and label of the trajectories without an outcome in the outflow table.
ACTIVE_CODE = "nog_in_traject"
ACTIVE_LABEL = "Nog in traject"
UNKNOWN = "onbekend"
UNKNOWN_LABEL = "Onbekend"
TOTAL_LABEL = "Totaal"
#: Contract types counted as temporary (flexible) work.
TEMPORARY_CONTRACTS = frozenset({ContractType.TIJDELIJK, ContractType.NUL_UREN, ContractType.OPROEP,
                                 ContractType.UITZEND})
#: Age groups (age at the start of the trajectory = start year − birth year).
AGE_GROUPS: tuple[tuple[str, str, int, int], ...] = (
    ("tot25", "Jonger dan 25", 0, 24),
    ("25-34", "25–34 jaar", 25, 34),
    ("35-44", "35–44 jaar", 35, 44),
    ("45-54", "45–54 jaar", 45, 54),
    ("55plus", "55 jaar en ouder", 55, 120),
)

_PAID = Outcome.BETAALD_WERK
_ENDED = ~Q(outcome="")
_PARTICIPATION = Q(outcome__in=PARTICIPATION_CODES)
_NATIVE = Q(source=Source.KOERS, participant__isnull=False)


# --- small helpers ---------------------------------------------------------------------------------------------


def _pct(part: int | float, whole: int | float) -> float | None:
    return part * 100 / whole if whole else None


def _round(value: Decimal | float | int | None, digits: int) -> float | None:
    """Round half up (as a person would), not half to even."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _mean(total, known: int, digits: int = 2) -> float | None:
    if not known:
        return None
    return _round(Decimal(str(total)) / Decimal(known), digits)


def _count(c: int, whole: int | None = None) -> Cell:
    return Cell(count=c, pct=_pct(c, whole) if whole is not None else None)


def _label(choices, code: str) -> str:
    try:
        return choices(code).label
    except ValueError:
        return code or UNKNOWN_LABEL


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- selection -------------------------------------------------------------------------------------------------


def filtered(scope, filters: Filters) -> QuerySet[Trajectory]:
    """``scope.trajectories()`` (what the viewer may see) narrowed by the filters.

    Period: a trajectory is in when it started on or before ``date_to`` (or its start is unknown) and did not
    end before ``date_from`` (or its end is unknown / it is still running).
    """
    qs = scope.trajectories()
    if filters.project_ids:
        qs = qs.filter(project_id__in=filters.project_ids)
    if filters.organisation_id is not None:
        qs = qs.filter(project__organisation_id=filters.organisation_id)
    if filters.date_to is not None:
        qs = qs.filter(Q(started_on__isnull=True) | Q(started_on__lte=filters.date_to))
    if filters.date_from is not None:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=filters.date_from))
    return qs


def report_projects(scope, filters: Filters) -> list[Project]:
    """The projects that are columns of the report: visible to the viewer and within the filters, in the order
    they were created (for an imported programme: the order of the projects file)."""
    qs = scope.projects()
    if filters.project_ids:
        qs = qs.filter(pk__in=filters.project_ids)
    if filters.organisation_id is not None:
        qs = qs.filter(organisation_id=filters.organisation_id)
    return list(qs.order_by("pk"))


# --- outflow ---------------------------------------------------------------------------------------------------


def outflow_counts(trajectories: QuerySet[Trajectory]) -> dict[tuple[int, str], int]:
    """{(project_id, outcome): n} in one ``GROUP BY`` (outcome "" = still running)."""
    rows = trajectories.order_by().values_list("project_id", "outcome").annotate(n=Count("pk"))
    return {(project_id, outcome): n for project_id, outcome, n in rows}


def _per_outcome(counts: dict[tuple[int, str], int], project_id: int | None = None) -> dict[str, int]:
    """Outcome → n for one project (or all), every code present; "" = active."""
    out = dict.fromkeys((*OUTCOME_CODES, ""), 0)
    for (pid, outcome), n in counts.items():
        if project_id is None or pid == project_id:
            out[outcome] = out.get(outcome, 0) + n
    return out


def outflow_table(
    trajectories: QuerySet[Trajectory], projects: list[Project], *, counts: dict | None = None
) -> Table:
    """Outflow per project (Table B3.1): rows = the 11 outcome codes in code-list order plus "Nog in traject",
    columns = the projects and "Totaal", counts with column percentages, and a totals row."""
    counts = outflow_counts(trajectories) if counts is None else counts
    columns = [_per_outcome(counts, p.pk) for p in projects] + [_per_outcome(counts)]
    col_totals = [sum(c.values()) for c in columns]
    rows = []
    for code in (*OUTCOME_CODES, ""):
        label = Outcome(code).label if code else ACTIVE_LABEL
        rows.append(Row(label, tuple(_count(col[code], col_totals[j]) for j, col in enumerate(columns)),
                        code=code or ACTIVE_CODE))
    rows.append(Row(TOTAL_LABEL, tuple(Cell(count=t) for t in col_totals), total=True))
    total = col_totals[-1]
    return Table(
        key="outflow",
        title="Uitstroom per project",
        row_header="Uitstroom",
        columns=(*(p.name for p in projects), TOTAL_LABEL),
        rows=tuple(rows),
        n=total,
        unknown=columns[-1][Outcome.ONBEKEND],
        note=("Alle trajectdeelnames; de uitstroom zoals vastgelegd bij afsluiting. Percentages van het "
              "kolomtotaal (alle deelnemers van het project, ook wie nog in traject is)."),
        with_pct=True,
        chart="stacked",
    )


def job_quality(trajectories: QuerySet[Trajectory]) -> dict:
    """Contract months, hours and contract types over the paid-work trajectories (one aggregate query).

    Means are over the known values only (NULL = unknown is excluded); hours of a zero-hours contract count as 0.
    """
    agg = trajectories.filter(outcome=_PAID).aggregate(
        jobs=Count("pk"),
        months_known=Count("contract_months"),
        months_sum=Sum("contract_months"),
        hours_known=Count("hours_per_week"),
        hours_sum=Sum("hours_per_week"),
        zero_hours=Count("pk", filter=Q(hours_per_week=0)),
        type_known=Count("pk", filter=~Q(contract_type="")),
        temporary=Count("pk", filter=Q(contract_type__in=TEMPORARY_CONTRACTS)),
    )
    return {
        "jobs": agg["jobs"],
        "contract_months_mean": _mean(agg["months_sum"] or 0, agg["months_known"]),
        "contract_months_known": agg["months_known"],
        "hours_mean": _mean(agg["hours_sum"] or 0, agg["hours_known"]),
        "hours_known": agg["hours_known"],
        "zero_hours": agg["zero_hours"],
        "zero_hours_share": _round(agg["zero_hours"] / agg["hours_known"], 4) if agg["hours_known"] else None,
        "contract_type_known": agg["type_known"],
        "temporary_contracts": agg["temporary"],
        "temporary_share": _round(agg["temporary"] / agg["type_known"], 4) if agg["type_known"] else None,
    }


def outflow_json(
    programme: Programme, trajectories: QuerySet[Trajectory], projects: list[Project], *, counts: dict | None = None
) -> dict:
    """The machine-readable outflow report (issue 6, item 8); docs/indicators.md describes every key.

    ``total`` counts every trajectory (also the running ones, given separately as ``active``); ``outcomes``
    holds every outcome code (0 when none); the participation share is a fraction (0..1, 4 decimals) of the
    ended trajectories; means are rounded to 2 decimals (half up).
    """
    counts = outflow_counts(trajectories) if counts is None else counts

    def block(outcomes: dict[str, int]) -> dict:
        return {
            "total": sum(outcomes.values()),
            "active": outcomes[""],
            "outcomes": {code: outcomes[code] for code in OUTCOME_CODES},
        }

    overall = block(_per_outcome(counts))
    ended = overall["total"] - overall["active"]
    participation = sum(overall["outcomes"][c] for c in PARTICIPATION_CODES)
    quality = job_quality(trajectories)
    return {
        "programme": programme.code,
        "total": overall["total"],
        "active": overall["active"],
        "ended": ended,
        "outcomes": overall["outcomes"],
        "projects": [{"code": p.code, **block(_per_outcome(counts, p.pk))} for p in projects],
        "participation": {"count": participation, "share": _round(participation / ended, 4) if ended else None},
        "job_quality": {
            "contract_months_mean": quality["contract_months_mean"],
            "contract_months_known": quality["contract_months_known"],
            "hours_mean": quality["hours_mean"],
            "hours_known": quality["hours_known"],
            "zero_hours": quality["zero_hours"],
            "jobs": quality["jobs"],
            "temporary_contracts": quality["temporary_contracts"],
            "contract_type_known": quality["contract_type_known"],
        },
    }


# --- targets ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetResult:
    """One project's target for one outcome code against what was realised."""

    project: Project
    outcome: str
    target: int
    realised: int
    rationale: str

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def pct(self) -> float | None:
        return _pct(self.realised, self.target)

    @property
    def met(self) -> bool:
        return self.realised >= self.target


def target_results(
    trajectories: QuerySet[Trajectory], projects: list[Project], *, counts: dict | None = None
) -> list[TargetResult]:
    """Targets of the projects (ProjectTarget) with the realised count: ended trajectories of that project with
    exactly that outcome code. Ordered by project (as given), then code-list order."""
    counts = outflow_counts(trajectories) if counts is None else counts
    position = {p.pk: i for i, p in enumerate(projects)}
    by_pk = {p.pk: p for p in projects}
    order = {code: i for i, code in enumerate(OUTCOME_CODES)}
    targets = sorted(
        ProjectTarget.objects.filter(project_id__in=list(by_pk)).values_list(
            "project_id", "outcome", "count", "rationale"),
        key=lambda t: (position[t[0]], order.get(t[1], 99)),
    )
    return [TargetResult(by_pk[pid], outcome, count, counts.get((pid, outcome), 0), rationale)
            for pid, outcome, count, rationale in targets]


def targets_table(
    trajectories: QuerySet[Trajectory], projects: list[Project], *, counts: dict | None = None
) -> Table:
    """Targets vs realised (Table B3.2): per project and outcome code the target, the realised count (with the
    percentage of the target) and whether it was met (ja/nee)."""
    counts = outflow_counts(trajectories) if counts is None else counts
    results = target_results(trajectories, projects, counts=counts)
    rows = tuple(
        Row(f"{r.project.name}: {r.outcome_label}",
            (Cell(value=r.target), Cell(count=r.realised, pct=r.pct), Cell(value=r.met)),
            code=f"{r.project.code}:{r.outcome}")
        for r in results
    )
    ids = {p.pk for p in projects}
    n = sum(v for (pid, _), v in counts.items() if pid in ids)
    unknown = sum(v for (pid, o), v in counts.items() if pid in ids and o == Outcome.ONBEKEND)
    met = sum(r.met for r in results)
    return Table(
        key="targets",
        title="Doelstellingen en realisatie",
        row_header="Project en uitstroom",
        columns=("Doel", "Gerealiseerd", "Gehaald"),
        rows=rows,
        n=n,
        unknown=unknown,
        note=(f"{met} van de {len(results)} doelstellingen gehaald. Gerealiseerd = beëindigde trajecten van het "
              "project met precies deze uitstroom; het percentage is van het doel."),
        note_external=("Gerealiseerd = beëindigde trajecten van het project met precies deze uitstroom; het "
                       "percentage is van het doel."),
        with_pct=True,
    )


# --- participation, dropout ------------------------------------------------------------------------------------


_PARTICIPATION_NOTE = (
    "Participatie is uitstroom naar betaald werk, reguliere opleiding, leerwerktraject, werkervaringsplaats, "
    "vrijwilligerswerk of een ander project; een certificaat alleen telt niet mee. Percentages van de beëindigde "
    "trajecten.")


def participation_table(trajectories: QuerySet[Trajectory], *, counts: dict | None = None) -> Table:
    """The six participation outcomes, with percentages of the ended trajectories, and their total."""
    counts = outflow_counts(trajectories) if counts is None else counts
    overall = _per_outcome(counts)
    ended = sum(overall.values()) - overall[""]
    part = sum(overall[c] for c in PARTICIPATION_CODES)
    rows = [Row(Outcome(c).label, (_count(overall[c], ended),), code=c) for c in PARTICIPATION_CODES]
    rows.append(Row("Participatie (totaal)", (_count(part, ended),), total=True))
    return Table(
        key="participation",
        title="Participatie",
        row_header="Vorm van participatie",
        columns=("Aantal",),
        rows=tuple(rows),
        n=ended,
        unknown=overall[Outcome.ONBEKEND],
        note=(f"{part} van {ended} beëindigde trajecten. " + _PARTICIPATION_NOTE),
        note_external=_PARTICIPATION_NOTE,
        with_pct=True,
        chart="bar",
    )


_DROPOUT_NOTE = "Percentages van de uitvallers; geen of 'onbekend' als reden telt als onbekend."


def dropout_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Reasons of the trajectories that ended in ``voortijdige_uitval``; empty and 'onbekend' are unknown."""
    agg = trajectories.aggregate(ended=Count("pk", filter=_ENDED),
                                 dropout=Count("pk", filter=Q(outcome=Outcome.VOORTIJDIGE_UITVAL)))
    rows_db = dict(
        trajectories.filter(outcome=Outcome.VOORTIJDIGE_UITVAL).order_by()
        .values_list("dropout_reason").annotate(n=Count("pk"))
    )
    total = agg["dropout"]
    unknown = rows_db.pop("", 0) + rows_db.pop(DropoutReason.ONBEKEND, 0)
    rows = [Row(label, (_count(rows_db.get(code, 0), total),), code=code)
            for code, label in DropoutReason.choices if code != DropoutReason.ONBEKEND]
    rows.append(Row(UNKNOWN_LABEL, (_count(unknown, total),), code=UNKNOWN))
    rows.append(Row("Totaal voortijdige uitval", (Cell(count=total),), total=True))
    rate = _pct(total, agg["ended"])
    rate_text = f" ({tables.format_number(_round(rate, 1))}%)" if rate is not None else ""
    return Table(
        key="dropout",
        title="Redenen van voortijdige uitval",
        row_header="Reden",
        columns=("Aantal",),
        rows=tuple(rows),
        n=total,
        unknown=unknown,
        note=(f"Uitvalpercentage: {total} van {agg['ended']} beëindigde trajecten{rate_text}. " + _DROPOUT_NOTE),
        note_external=_DROPOUT_NOTE,
        with_pct=True,
        chart="bar",
    )


# --- job quality tables ----------------------------------------------------------------------------------------


def _mean_row(label: str, value: float | None) -> Row:
    return Row(label, (Cell(value=value),), code="gemiddelde", total=True)


def functions_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Functions of the paid jobs (``job_title`` as recorded; empty = onbekend), most frequent first."""
    rows_db = list(trajectories.filter(outcome=_PAID).order_by().values_list("job_title").annotate(n=Count("pk")))
    jobs = sum(n for _, n in rows_db)
    unknown = sum(n for title, n in rows_db if not title.strip())
    known = sorted(((t, n) for t, n in rows_db if t.strip()), key=lambda r: (-r[1], r[0].lower()))
    rows = [Row(t, (_count(n, jobs),), code=t) for t, n in known]
    rows.append(Row(UNKNOWN_LABEL, (_count(unknown, jobs),), code=UNKNOWN))
    rows.append(Row(TOTAL_LABEL, (Cell(count=jobs),), total=True))
    return Table(
        key="functions", title="Functies van de betaalde banen", row_header="Functie", columns=("Aantal",),
        rows=tuple(rows), n=jobs, unknown=unknown,
        note="Trajecten met uitstroom naar betaald werk; de functie zoals vastgelegd.",
        with_pct=True, chart="bar",
    )


def _number_label(value) -> str:
    return tables.format_number(float(value))


def _paid_job_values(trajectories: QuerySet[Trajectory], field: str, convert=lambda v: v):
    """A numeric field over the paid jobs: (jobs, unknown, [(value, count), ...] highest value first)."""
    rows_db = list(trajectories.filter(outcome=_PAID).order_by().values_list(field).annotate(n=Count("pk")))
    jobs = sum(n for _, n in rows_db)
    unknown = sum(n for v, n in rows_db if v is None)
    known = sorted(((convert(v), n) for v, n in rows_db if v is not None), reverse=True)
    return jobs, unknown, known


def _unknown_and_total(unknown: int, jobs: int) -> list[Row]:
    return [Row(UNKNOWN_LABEL, (_count(unknown, jobs),), code=UNKNOWN),
            Row(TOTAL_LABEL, (Cell(count=jobs),), total=True)]


def contract_months_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Contract duration in months of the paid jobs (Table 4.1), longest first, with the mean over known values."""
    jobs, unknown, known = _paid_job_values(trajectories, "contract_months")
    known_n = jobs - unknown
    rows = [Row(_number_label(v), (_count(n, jobs),), code=str(v)) for v, n in known]
    rows += _unknown_and_total(unknown, jobs)
    rows.append(_mean_row("Gemiddelde (maanden, over bekende waarden)", _mean(sum(v * n for v, n in known), known_n)))
    return Table(
        key="contract_months", title="Contractduur van de betaalde banen (maanden)", row_header="Maanden",
        columns=("Aantal",), rows=tuple(rows), n=jobs, unknown=unknown,
        note=(f"Gemiddelde over de {known_n} banen met een bekende contractduur; onbekend telt niet mee in het "
              "gemiddelde."),
        with_pct=True, chart="bar",
    )


def contract_types_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Contract types of the paid jobs, with the share of temporary contracts over the known types."""
    rows_db = dict(
        trajectories.filter(outcome=_PAID).order_by().values_list("contract_type").annotate(n=Count("pk"))
    )
    jobs = sum(rows_db.values())
    unknown = rows_db.get("", 0)
    known_n = jobs - unknown
    temporary = sum(rows_db.get(c, 0) for c in TEMPORARY_CONTRACTS)
    rows = [Row(label, (_count(rows_db.get(code, 0), jobs),), code=code) for code, label in ContractType.choices]
    rows += _unknown_and_total(unknown, jobs)
    share = _round(_pct(temporary, known_n), 1) if known_n else None
    rows.append(Row("Aandeel tijdelijk (% van bekende contractsoort)", (Cell(value=share),), code="aandeel",
                    total=True))
    return Table(
        key="contract_types", title="Contractsoort van de betaalde banen", row_header="Contractsoort",
        columns=("Aantal",), rows=tuple(rows), n=jobs, unknown=unknown,
        note=("Tijdelijk = tijdelijk contract, nulurencontract, oproepcontract of uitzendcontract; het aandeel is "
              f"van de {known_n} banen met een bekende contractsoort."),
        with_pct=True, chart="bar",
    )


def hours_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Hours per week of the paid jobs (Table 4.1): 0 = zero-hours contract, counted as 0 in the mean."""
    jobs, unknown, known = _paid_job_values(trajectories, "hours_per_week", Decimal)
    known_n = jobs - unknown
    zero = sum(n for v, n in known if v == 0)
    rows = [Row(_number_label(v) + (" (nulurencontract)" if v == 0 else ""), (_count(n, jobs),),
                code=str(int(v)) if v == int(v) else str(v)) for v, n in known]
    rows += _unknown_and_total(unknown, jobs)
    rows.append(_mean_row("Gemiddelde (uur per week, nuluren als 0)",
                          _mean(sum(v * n for v, n in known), known_n)))
    rows.append(Row("Aandeel nulurencontracten (% van bekende uren)",
                    (Cell(value=_round(_pct(zero, known_n), 1) if known_n else None),), code="aandeel", total=True))
    return Table(
        key="hours", title="Uren per week van de betaalde banen", row_header="Uren per week",
        columns=("Aantal",), rows=tuple(rows), n=jobs, unknown=unknown,
        note=(f"Gemiddelde over de {known_n} banen met bekende uren; een nulurencontract telt als 0 uur, "
              "onbekend telt niet mee."),
        with_pct=True, chart="bar",
    )


# --- regular education -----------------------------------------------------------------------------------------


def education_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Level of the regular education entered (outcome ``reguliere_opleiding``)."""
    rows_db = dict(
        trajectories.filter(outcome=Outcome.REGULIERE_OPLEIDING).order_by()
        .values_list("education_entered").annotate(n=Count("pk"))
    )
    total = sum(rows_db.values())
    unknown = rows_db.pop("", 0) + rows_db.pop(EducationEntered.ONBEKEND, 0)
    rows = [Row(label, (_count(rows_db.get(code, 0), total),), code=code)
            for code, label in EducationEntered.choices if code != EducationEntered.ONBEKEND]
    rows.append(Row(UNKNOWN_LABEL, (_count(unknown, total),), code=UNKNOWN))
    rows.append(Row(TOTAL_LABEL, (Cell(count=total),), total=True))
    return Table(
        key="education", title="Niveau van de reguliere opleiding", row_header="Niveau", columns=("Aantal",),
        rows=tuple(rows), n=total, unknown=unknown,
        note="Trajecten met uitstroom naar een reguliere opleiding.", with_pct=True, chart="bar",
    )


def education_field_table(trajectories: QuerySet[Trajectory]) -> Table:
    """Field of the regular education entered (as recorded; empty = onbekend)."""
    rows_db = list(
        trajectories.filter(outcome=Outcome.REGULIERE_OPLEIDING).order_by()
        .values_list("education_field").annotate(n=Count("pk"))
    )
    total = sum(n for _, n in rows_db)
    unknown = sum(n for f, n in rows_db if not f.strip())
    known = sorted(((f, n) for f, n in rows_db if f.strip()), key=lambda r: (-r[1], r[0].lower()))
    rows = [Row(f, (_count(n, total),), code=f) for f, n in known]
    rows.append(Row(UNKNOWN_LABEL, (_count(unknown, total),), code=UNKNOWN))
    rows.append(Row(TOTAL_LABEL, (Cell(count=total),), total=True))
    return Table(
        key="education_field", title="Richting van de reguliere opleiding", row_header="Richting",
        columns=("Aantal",), rows=tuple(rows), n=total, unknown=unknown,
        note="Trajecten met uitstroom naar een reguliere opleiding.", with_pct=True, chart="bar",
    )


# --- durability ------------------------------------------------------------------------------------------------


def _durability_counts(trajectories: QuerySet[Trajectory]) -> dict[str, int]:
    exprs = {}
    for scope, q in (("paid", Q(outcome=_PAID)), ("ended", _ENDED)):
        exprs[f"{scope}"] = Count("pk", filter=q)
        for months in (6, 12):
            for answer in (YesNoUnknown.JA, YesNoUnknown.NEE):
                exprs[f"{scope}_{months}_{answer}"] = Count("pk", filter=q & Q(**{f"work_{months}m": answer}))
    return trajectories.aggregate(**exprs)


def durability_table(trajectories: QuerySet[Trajectory], *, agg: dict | None = None) -> Table:
    """Still in paid work at the 6- and 12-month follow-up: of the paid-work trajectories and of all ended."""
    agg = _durability_counts(trajectories) if agg is None else agg
    columns = []
    for scope in ("paid", "ended"):
        for months in (6, 12):
            yes, no = agg[f"{scope}_{months}_ja"], agg[f"{scope}_{months}_nee"]
            columns.append((yes, no, agg[scope] - yes - no, agg[scope]))
    rows = (
        Row("Ja, (nog) in betaald werk", tuple(_count(c[0], c[3]) for c in columns), code=YesNoUnknown.JA),
        Row("Nee", tuple(_count(c[1], c[3]) for c in columns), code=YesNoUnknown.NEE),
        Row(UNKNOWN_LABEL + " / niet gemeten", tuple(_count(c[2], c[3]) for c in columns), code=UNKNOWN),
        Row(TOTAL_LABEL, tuple(Cell(count=c[3]) for c in columns), total=True),
        Row("In betaald werk (% van bekende antwoorden)",
            tuple(Cell(value=_round(_pct(c[0], c[0] + c[1]), 1) if c[0] + c[1] else None) for c in columns),
            code="aandeel", total=True),
    )
    return Table(
        key="durability",
        title="Duurzaamheid: betaald werk bij de vervolgmetingen",
        row_header="Betaald werk",
        columns=("Uitstroom betaald werk: 6 maanden", "Uitstroom betaald werk: 12 maanden",
                 "Alle beëindigde: 6 maanden", "Alle beëindigde: 12 maanden"),
        rows=rows,
        n=agg["paid"],
        unknown=columns[0][2],
        note=("Antwoorden van de vervolgmetingen 6 en 12 maanden na afsluiting. Het aandeel in betaald werk is "
              "van de bekende antwoorden (ja of nee); onbekend of nog niet gemeten telt niet mee."),
        with_pct=True,
    )


# --- breakdowns ------------------------------------------------------------------------------------------------

_BREAKDOWN_COUNTS = {
    "n": Count("pk"),
    "ended": Count("pk", filter=_ENDED),
    "participation": Count("pk", filter=_PARTICIPATION),
    "paid": Count("pk", filter=Q(outcome=_PAID)),
    "education": Count("pk", filter=Q(outcome=Outcome.REGULIERE_OPLEIDING)),
    "dropout": Count("pk", filter=Q(outcome=Outcome.VOORTIJDIGE_UITVAL)),
}
_BREAKDOWN_COLUMNS = ("Deelnemers", "Beëindigd", "Participatie", "Betaald werk", "Reguliere opleiding",
                      "Voortijdige uitval")


def age_group(birth_year: int | None, start_year: int | None) -> str:
    """The age-group code of a participant at the start (start year − birth year), or 'onbekend'."""
    if birth_year is None or start_year is None:
        return UNKNOWN
    age = start_year - birth_year
    for code, _, low, high in AGE_GROUPS:
        if low <= age <= high:
            return code
    return UNKNOWN


def _start_year():
    """The year of ``started_on``. SQLite stores dates as ISO text: its first four characters are the year, which
    avoids Django's per-row Python function behind ``ExtractYear`` on SQLite (4x faster on 100,000 rows)."""
    if connection.vendor == "sqlite":
        return Substr("started_on", 1, 4)
    return ExtractYear("started_on")


def _breakdown_groups(trajectories: QuerySet[Trajectory], dimension: str) -> list[tuple[str, str, dict]]:
    """[(code, label, counts)] in display order, one GROUP BY query."""
    qs = trajectories.order_by()

    def merge(pairs) -> dict[str, dict]:
        out: dict[str, dict] = defaultdict(lambda: dict.fromkeys(_BREAKDOWN_COUNTS, 0))
        for key, row in pairs:
            for name in _BREAKDOWN_COUNTS:
                out[key][name] += row[name]
        return out

    def coded(field: str, choices) -> list[tuple[str, str, dict]]:
        groups = merge((r[field] or UNKNOWN, r) for r in qs.values(field).annotate(**_BREAKDOWN_COUNTS))
        order = [c for c in choices.values if c != UNKNOWN]
        extra = sorted(k for k in groups if k not in order and k != UNKNOWN)
        return [(c, _label(choices, c), groups[c]) for c in (*order, *extra)] + [
            (UNKNOWN, UNKNOWN_LABEL, groups[UNKNOWN])]

    if dimension == "geslacht":
        return coded("gender", Gender)
    if dimension == "opleidingsniveau":
        return coded("education_level", EducationLevel)
    if dimension == "leerroute":
        return coded("learning_route", LearningRoute)
    if dimension == "leeftijd":
        rows = qs.values("birth_year", start_year=_start_year()).annotate(**_BREAKDOWN_COUNTS)
        groups = merge((age_group(r["birth_year"], int(r["start_year"]) if r["start_year"] else None), r)
                       for r in rows)
        return [(code, label, groups[code]) for code, label, _, _ in AGE_GROUPS] + [
            (UNKNOWN, UNKNOWN_LABEL, groups[UNKNOWN])]
    if dimension == "land":
        names = dict(country_choices())
        groups = merge(((r["country_of_origin"] or "").upper() or UNKNOWN, r)
                       for r in qs.values("country_of_origin").annotate(**_BREAKDOWN_COUNTS))
        known = sorted((k for k in groups if k != UNKNOWN), key=lambda k: (-groups[k]["n"], k))
        return [(k, f"{k} – {names.get(k, 'onbekende code')}", groups[k]) for k in known] + [
            (UNKNOWN, UNKNOWN_LABEL, groups[UNKNOWN])]
    if dimension == "organisatie":
        rows = list(qs.values("project__organisation_id", "project__organisation__name")
                    .annotate(**_BREAKDOWN_COUNTS))
        names = {str(r["project__organisation_id"]): r["project__organisation__name"]
                 for r in rows if r["project__organisation_id"] is not None}
        groups = merge((str(r["project__organisation_id"]) if r["project__organisation_id"] else UNKNOWN, r)
                       for r in rows)
        known = sorted(names, key=lambda k: names[k].lower())
        out = [(k, names[k], groups[k]) for k in known]
        if groups[UNKNOWN]["n"]:
            out.append((UNKNOWN, "Geen organisatie vastgelegd", groups[UNKNOWN]))
        return out
    raise ValueError(f"Onbekende uitsplitsing: {dimension}")


def breakdown_table(trajectories: QuerySet[Trajectory], dimension: str) -> Table:
    """Participants, participation and main outcomes per category of ``dimension`` (a key of BREAKDOWNS).

    Percentages: "Deelnemers" = share of all participants; the outcome columns = share of the group's ended
    trajectories (e.g. participation of women).
    """
    groups = _breakdown_groups(trajectories, dimension)
    total = {name: sum(g[name] for _, _, g in groups) for name in _BREAKDOWN_COUNTS}

    def cells(g: dict, totals: bool = False) -> tuple[Cell, ...]:
        return (
            Cell(count=g["n"], pct=None if totals else _pct(g["n"], total["n"])),
            Cell(count=g["ended"]),
            *(Cell(count=g[k], pct=_pct(g[k], g["ended"])) for k in ("participation", "paid", "education",
                                                                       "dropout")),
        )

    rows = [Row(label, cells(g), code=code) for code, label, g in groups]
    rows.append(Row(TOTAL_LABEL, cells(total, totals=True), total=True))
    unknown = next((g["n"] for code, _, g in groups if code == UNKNOWN), 0)
    title = BREAKDOWNS[dimension]
    return Table(
        key=f"breakdown_{dimension}",
        title=f"Participatie en uitstroom naar {title[0].lower() + title[1:]}",
        row_header=title,
        columns=_BREAKDOWN_COLUMNS,
        rows=tuple(rows),
        n=total["n"],
        unknown=unknown,
        note=("Percentage bij Deelnemers: van alle deelnemers. Percentages bij de uitstroom: van de beëindigde "
              "trajecten in de groep." + (" Leeftijd bij de start: startjaar min geboortejaar."
                                          if dimension == "leeftijd" else "")),
        with_pct=True,
        chart="bar",
    )


# --- headline figures ------------------------------------------------------------------------------------------


def attendance(trajectories: QuerySet[Trajectory], *, today: date | None = None) -> dict:
    """Attendance of native trajectories: the participant's attendance records (activities app) of sessions
    between the trajectory's start and end (or today), present = aanwezig or te laat. One aggregate query."""
    today = _today(today)
    in_period = (
        (Q(started_on__isnull=True) | Q(participant__attendances__session__date__gte=F("started_on")))
        & Q(participant__attendances__session__date__lte=Coalesce(F("ended_on"), today))
    )
    agg = trajectories.filter(_NATIVE).aggregate(
        native=Count("pk", distinct=True),
        recorded=Count("participant__attendances", filter=in_period),
        present=Count("participant__attendances",
                      filter=in_period & Q(participant__attendances__status__in=list(PRESENT_STATUSES))),
        with_records=Count("pk", distinct=True, filter=in_period),
    )
    return agg


def guidance_minutes(trajectories: QuerySet[Trajectory], *, today: date | None = None) -> dict:
    """Guidance minutes of native trajectories: the participant's contacts (casework) between the trajectory's
    start and end (or today), recorded by the project's organisation (casework attributes a contact's time to
    the organisation that recorded it; a project without organisation counts every organisation's contacts)."""
    today = _today(today)
    c = "participant__contacts__"
    in_scope = (
        (Q(started_on__isnull=True) | Q(**{f"{c}happened_at__date__gte": F("started_on")}))
        & Q(**{f"{c}happened_at__date__lte": Coalesce(F("ended_on"), today)})
        & (Q(project__organisation__isnull=True) | Q(**{f"{c}organisation_id": F("project__organisation_id")}))
    )
    return trajectories.filter(_NATIVE).aggregate(
        native=Count("pk", distinct=True),
        minutes=Sum(f"{c}duration_minutes", filter=in_scope),
        contacts=Count(f"{c}id", filter=in_scope),
    )


def placement_days(trajectories: QuerySet[Trajectory]) -> tuple[int, list[int]]:
    """(N, days): N = trajectories with a first placement date or ending in paid work; days = start → first
    placement for those with both dates (a placement before the start is inconsistent and counts as unknown)."""
    pairs = list(
        trajectories.filter(Q(first_placement_on__isnull=False) | Q(outcome=_PAID))
        .order_by().values_list("started_on", "first_placement_on")
    )
    days = [(p - s).days for s, p in pairs if s is not None and p is not None and p >= s]
    return len(pairs), days


#: Figure notes without counts, for figures shown outside the organisations involved.
_EXTERNAL_NOTES = {
    "participation": "Van de beëindigde trajecten; een certificaat telt niet mee.",
    "participation_count": "Van de beëindigde trajecten.",
    "dropout_rate": "Van de beëindigde trajecten.",
    "attendance_rate": "Alleen trajecten in Koers; geïmporteerde tellen als onbekend.",
    "guidance_hours": "Contacten van de uitvoerende organisatie; alleen trajecten in Koers.",
    "durability_6m": "Van de bekende antwoorden van uitstromers naar betaald werk.",
    "durability_12m": "Van de bekende antwoorden van uitstromers naar betaald werk.",
}


def external_note(figure: Figure) -> str:
    """The figure's note for external viewers: without the counts behind it."""
    return _EXTERNAL_NOTES.get(figure.key, figure.note)


def _suppress_figure(figure: Figure) -> Figure:
    """For viewers outside the organisations involved: no count below the threshold, no mean or share over
    fewer than ``threshold`` known values, and notes without counts."""
    return replace(figure, value=None if figure.hidden_externally() else figure.value,
                   note=external_note(figure))


def summary(trajectories: QuerySet[Trajectory], *, today: date | None = None,
            external: bool = False) -> list[Figure]:
    """The headline figures, each with its N and its number of unknowns (rules in docs/indicators.md).

    ``external`` (a researcher's scope): counts below SMALL_CELL, means and shares over fewer than SMALL_CELL
    known values are None, and the notes carry no counts."""
    figures = _summary(trajectories, _today(today))
    return [_suppress_figure(f) for f in figures] if external else figures


def _summary(trajectories: QuerySet[Trajectory], today: date) -> list[Figure]:
    agg = trajectories.aggregate(
        total=Count("pk"),
        started=Count("pk", filter=Q(started_on__lte=today)),
        no_start=Count("pk", filter=Q(started_on__isnull=True)),
        active=Count("pk", filter=Q(outcome="")),
        ended=Count("pk", filter=_ENDED),
        outcome_unknown=Count("pk", filter=Q(outcome=Outcome.ONBEKEND)),
        participation=Count("pk", filter=_PARTICIPATION),
        dropout=Count("pk", filter=Q(outcome=Outcome.VOORTIJDIGE_UITVAL)),
        native=Count("pk", filter=_NATIVE),
    )
    total, ended = agg["total"], agg["ended"]
    imported = total - agg["native"]
    figures = [
        Figure("participants", "Deelnemers", total, total, 0,
               note="Alle trajectdeelnames in de selectie."),
        Figure("started", "Gestart", agg["started"], total, agg["no_start"],
               note="Startdatum bekend en niet na vandaag."),
        Figure("active", "Nog in traject", agg["active"], total, 0, note="Nog geen uitstroom vastgelegd."),
        Figure("ended", "Beëindigd", ended, total, 0, note="Uitstroom vastgelegd (ook 'onbekend')."),
        Figure("participation_count", "Participatie (aantal)", agg["participation"], ended,
               agg["outcome_unknown"], note=f"Van {ended} beëindigde trajecten."),
        Figure("participation", "Participatie", _round(_pct(agg["participation"], ended), 1), ended,
               agg["outcome_unknown"], unit="%", count=agg["participation"], base=ended,
               note=f"{agg['participation']} van {ended} beëindigde trajecten; een certificaat telt niet mee."),
        Figure("dropout_rate", "Voortijdige uitval", _round(_pct(agg["dropout"], ended), 1), ended,
               agg["outcome_unknown"], unit="%", count=agg["dropout"], base=ended,
               note=f"{agg['dropout']} van {ended} beëindigde trajecten."),
    ]
    placed, days = placement_days(trajectories)
    figures += [
        Figure("time_to_placement", "Tijd tot eerste plaatsing (mediaan)", median(days) if days else None,
               placed, placed - len(days), unit="dagen", base=len(days),
               note="Van startdatum tot eerste plaatsing, over trajecten met beide datums."),
        Figure("time_to_placement_mean", "Tijd tot eerste plaatsing (gemiddeld)",
               _round(mean(days), 1) if days else None, placed, placed - len(days), unit="dagen", base=len(days)),
    ]
    att = attendance(trajectories, today=today)
    figures.append(Figure(
        "attendance_rate", "Aanwezigheid", _round(_pct(att["present"], att["recorded"]), 1), total,
        imported + att["native"] - att["with_records"], unit="%", base=att["with_records"],
        note=(f"{att['present']} van {att['recorded']} geregistreerde bijeenkomsten aanwezig (of te laat); "
              "alleen trajecten in Koers, geïmporteerde tellen als onbekend."),
    ))
    guidance = guidance_minutes(trajectories, today=today)
    minutes = guidance["minutes"] or 0
    figures.append(Figure(
        "guidance_hours", "Begeleidingsuren per deelnemer",
        _round(minutes / 60 / guidance["native"], 1) if guidance["native"] else None, total, imported,
        unit="uur", base=guidance["native"],
        note=(f"{format_number(_round(minutes / 60, 1))} uur in {guidance['contacts']} contacten van de "
              "uitvoerende organisatie; "
              "alleen trajecten in Koers, geïmporteerde tellen als onbekend."),
    ))
    dur = _durability_counts(trajectories)
    for months in (6, 12):
        yes, no = dur[f"paid_{months}_ja"], dur[f"paid_{months}_nee"]
        figures.append(Figure(
            f"durability_{months}m", f"Nog in betaald werk na {months} maanden",
            _round(_pct(yes, yes + no), 1), dur["paid"], dur["paid"] - yes - no, unit="%", count=yes, base=yes + no,
            note=f"{yes} van {yes + no} bekende antwoorden, van {dur['paid']} uitstromers naar betaald werk.",
        ))
    quality = job_quality(trajectories)
    figures += [
        Figure("contract_months_mean", "Contractduur (gemiddeld)", quality["contract_months_mean"],
               quality["jobs"], quality["jobs"] - quality["contract_months_known"], unit="maanden"),
        Figure("hours_mean", "Uren per week (gemiddeld)", quality["hours_mean"], quality["jobs"],
               quality["jobs"] - quality["hours_known"], unit="uur", note="Een nulurencontract telt als 0."),
        Figure("zero_hours_share", "Nulurencontracten",
               _round(_pct(quality["zero_hours"], quality["hours_known"]), 1), quality["jobs"],
               quality["jobs"] - quality["hours_known"], unit="%", count=quality["zero_hours"],
               base=quality["hours_known"]),
        Figure("temporary_share", "Tijdelijke contracten",
               _round(_pct(quality["temporary_contracts"], quality["contract_type_known"]), 1), quality["jobs"],
               quality["jobs"] - quality["contract_type_known"], unit="%", count=quality["temporary_contracts"],
               base=quality["contract_type_known"]),
    ]
    return figures


# --- the whole report ------------------------------------------------------------------------------------------


def suppress_table(table: Table, threshold: int = SMALL_CELL) -> Table:
    """``tables.suppress`` plus the derived figures it cannot see: a mean or share (a ``value`` cell in a totals
    row) is hidden when fewer than ``threshold`` known values are behind it, and in the targets table the %
    of target and "met" go with the realised count they reveal."""
    out = tables.suppress(table, threshold)
    rows = [list(r.cells) for r in out.rows]
    if table.key == "targets":
        for cells in rows:
            if cells[1].suppressed:
                cells[2] = Cell(suppressed=True)
    else:
        for j in range(len(table.columns)):
            known = sum((r.cells[j].count or 0) for r in table.rows
                        if not r.total and r.code != UNKNOWN and j < len(r.cells))
            if known >= threshold:
                continue
            for i, r in enumerate(table.rows):
                if r.total and j < len(r.cells) and r.cells[j].value is not None:
                    rows[i][j] = Cell(suppressed=True)
    return replace(out, rows=tuple(replace(r, cells=tuple(c)) for r, c in zip(out.rows, rows, strict=True)))


def programme_report(scope, filters: Filters) -> list[Table]:
    """Every table of the programme report in report order; small cells suppressed when ``scope.external``."""
    trajectories = filtered(scope, filters)
    projects = report_projects(scope, filters)
    counts = outflow_counts(trajectories)
    result = [
        outflow_table(trajectories, projects, counts=counts),
        targets_table(trajectories, projects, counts=counts),
        participation_table(trajectories, counts=counts),
        functions_table(trajectories),
        contract_months_table(trajectories),
        contract_types_table(trajectories),
        hours_table(trajectories),
        education_table(trajectories),
        education_field_table(trajectories),
        dropout_table(trajectories),
        durability_table(trajectories),
        *(breakdown_table(trajectories, dimension) for dimension in BREAKDOWNS),
    ]
    if scope.external:
        result = [suppress_table(t, SMALL_CELL) for t in result]
    return result


def report_keys() -> tuple[str, ...]:
    """The table keys of ``programme_report`` in report order."""
    return ("outflow", "targets", "participation", "functions", "contract_months", "contract_types", "hours",
            "education", "education_field", "dropout", "durability", *(f"breakdown_{d}" for d in BREAKDOWNS))
