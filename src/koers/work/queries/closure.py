"""Closing a trajectory: the outcome (``uitstroom``) proposed from the records and confirmed by the regisseur, the
decision on placements still running, and the eindrapportage (warm handover) for the municipality and — with the
participant's consent — the employer.

**The proposal** (``propose``) takes the highest participation form found in the records on the closing date, in
the order of the code list (``Outcome``):

- an open placement, by its kind: *betaald werk* (or *beschermd werk* with a paid contract) → ``betaald_werk``;
  *leerwerkplek* (BBL, also with a contract) or *stage* → ``leer_werktraject``; *werkervaringsplaats* or
  *proefplaatsing* → ``werkervaringsplaats``; *vrijwilligerswerk* → ``vrijwilligerswerk``; *dagbesteding* or unpaid
  *beschermd werk* → ``ander_project``;
- a running enrolment at an *onderwijsinstelling* → ``reguliere_opleiding``; in an activity of kind werkervaring,
  stage or vrijwilligerswerk → as the placements above;
- otherwise a completed certificate course → ``certificaat_behaald``; a last record that is a dropout (an
  enrolment *uitgevallen*) → ``voortijdige_uitval`` with its reason; any other records → ``geen_werk``; no records
  at all → ``onbekend``.

The regisseur confirms or chooses another outcome (both are stored). ``voortijdige_uitval`` needs a dropout reason
(``reden_uitval``), ``onbekend`` a note on what was tried. Placements still running (or starting later) must each be
ended (date and reason) or explicitly kept running with a recorded reason (``kept_reason``); otherwise the closing
is refused with a message naming them. A placement that starts after the closing date can only be kept (or
withdrawn beforehand). Aftercare is not a condition: it usually runs 6–12 months and goes on after the closure,
its check-ins stay due (signals, the jobcoach's list). Closing moves the phase to *afgesloten*.

Who: the regisseur of the regie organisation (everyone else: 404). The closure is trajectory data; a dropout reason
on health is special-category data.

The writes are in the services package (same module name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils import timezone

from koers.activities.models import Enrolment
from koers.activities.queries import activities as activity_queries
from koers.core.access import Grant
from koers.core.codes import (
    SPECIAL_DROPOUT_REASONS,
    ActivityKind,
    Category,
    ContractType,
    DropoutReason,
    EnrolmentStatus,
    LanguageSkill,
    OrganisationKind,
    Outcome,
    Phase,
    PlacementKind,
)
from koers.participants.models import Participant
from koers.work.models import Closure, Placement
from koers.work.queries import placements as placement_queries

#: Dropout reasons that are health data (special category).
HEALTH_REASONS = SPECIAL_DROPOUT_REASONS


KIND_OUTCOME = {
    PlacementKind.BETAALD_WERK: Outcome.BETAALD_WERK,
    PlacementKind.LEERWERKPLEK: Outcome.LEER_WERKTRAJECT,
    PlacementKind.STAGE: Outcome.LEER_WERKTRAJECT,
    PlacementKind.WERKERVARINGSPLAATS: Outcome.WERKERVARINGSPLAATS,
    PlacementKind.PROEFPLAATSING: Outcome.WERKERVARINGSPLAATS,
    PlacementKind.VRIJWILLIGERSWERK: Outcome.VRIJWILLIGERSWERK,
    PlacementKind.DAGBESTEDING: Outcome.ANDER_PROJECT,
    PlacementKind.BESCHERMD_WERK: Outcome.ANDER_PROJECT,
}


ACTIVITY_OUTCOME = {
    ActivityKind.WERKERVARING: Outcome.WERKERVARINGSPLAATS,
    ActivityKind.STAGE: Outcome.LEER_WERKTRAJECT,
    ActivityKind.VRIJWILLIGERSWERK: Outcome.VRIJWILLIGERSWERK,
}


RUNNING = (EnrolmentStatus.AANGEMELD, EnrolmentStatus.ACTIEF)


ORDER = {code: i for i, code in enumerate(Outcome.values)}


KEEP, END = "doorlopen", "beeindigen"


MSG_NOT_REGISSEUR = "Alleen de regisseur van de regie-organisatie sluit een traject af."


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


@dataclass(frozen=True)
class Proposal:
    outcome: str
    reason: str
    dropout_reason: str = ""

    @property
    def label(self) -> str:
        return Outcome(self.outcome).label


def placement_outcome(placement: Placement, contract_type: str) -> str:
    """The outcome a running placement stands for: its kind decides (a BBL place with a contract is still a
    leer-werktraject); protected work with a paid contract counts as paid work."""
    if placement.kind == PlacementKind.BESCHERMD_WERK and contract_type not in ("", ContractType.GEEN):
        return Outcome.BETAALD_WERK
    return KIND_OUTCOME.get(placement.kind, Outcome.ANDER_PROJECT)


def propose(participant: Participant, *, on: date | None = None, ending: set[int] | frozenset = frozenset()
            ) -> Proposal:
    """The outcome the records point to on ``on`` (placements in ``ending`` count as ended). Three queries.

    A placement or enrolment that starts after ``on`` counts as well: the job or the course has been found and
    agreed (closing "around" a placement that starts next month still ends in that job). Withdrawn placements do
    not count."""
    on = on or timezone.localdate()
    found: list[tuple[str, str]] = []
    placements = list(
        Placement.objects.counting().filter(participant=participant).select_related("employer")
        .prefetch_related("terms")
    )
    open_placements = [p for p in placements
                       if p.pk not in ending and (p.ended_on is None or p.ended_on > on)]
    for p in open_placements:
        term = placement_queries.current_term(p)
        outcome = placement_outcome(p, term.contract_type if term else "")
        hours = f", {placement_queries.format_hours(term.hours_per_week)} uur per week" if term else ""
        since = f"begint op {_d(p.start_date)}" if p.start_date > on else f"sinds {_d(p.start_date)}"
        found.append((outcome, f"{'geplande' if p.start_date > on else 'lopende'} plaatsing "
                               f"{p.get_kind_display().lower()}: {p.job_title} bij {p.employer} {since}{hours}"))
    enrolments = list(
        Enrolment.objects.filter(participant=participant)
        .select_related("activity", "activity__provider").order_by("-end_date", "-start_date", "-id")
    )
    for e in enrolments:
        running = e.status in RUNNING and (e.end_date is None or e.end_date >= on)
        if not running:
            continue
        later = f" (start {_d(e.start_date)})" if e.start_date > on else ""
        if e.activity.provider.kind == OrganisationKind.ONDERWIJS:
            found.append((Outcome.REGULIERE_OPLEIDING,
                          f"inschrijving bij {e.activity.provider}: {e.activity.title}{later}"))
        elif e.activity.kind in ACTIVITY_OUTCOME:
            found.append((ACTIVITY_OUTCOME[e.activity.kind], f"lopende activiteit: {e.activity.title}{later}"))
    if found:
        outcome, why = min(found, key=lambda f: ORDER[f[0]])
        return Proposal(outcome, f"Voorstel op grond van de {why}.")
    ended_enrolments = [e for e in enrolments if e.status in (EnrolmentStatus.AFGEROND, EnrolmentStatus.UITGEVALLEN)]
    certificate = next((e for e in ended_enrolments if e.status == EnrolmentStatus.AFGEROND
                        and e.activity.kind == ActivityKind.CERTIFICERING), None)
    if certificate:
        return Proposal(Outcome.CERTIFICAAT_BEHAALD,
                        f"Voorstel op grond van de afgeronde cursus {certificate.activity.title}; er loopt geen "
                        "plaatsing of opleiding.")
    last_ended = max(ended_enrolments, key=lambda e: (e.end_date or date.min, e.id), default=None)
    ended_placements = [p for p in placements if p not in open_placements]
    last_placement = max(ended_placements, key=lambda p: (p.ended_on or on, p.id), default=None)
    if last_ended is not None and last_ended.status == EnrolmentStatus.UITGEVALLEN and (
        last_placement is None or (last_ended.end_date or date.min) >= (last_placement.ended_on or on)
    ):
        return Proposal(Outcome.VOORTIJDIGE_UITVAL,
                        f"Voorstel op grond van de uitval bij {last_ended.activity.title}"
                        + (f" op {_d(last_ended.end_date)}" if last_ended.end_date else "")
                        + "; er loopt geen plaatsing of opleiding.",
                        dropout_reason=last_ended.dropout_reason)
    if enrolments or placements:
        what = []
        if placements:
            what.append(f"{len(placements)} plaatsing{'' if len(placements) == 1 else 'en'}")
        if enrolments:
            what.append(f"{len(enrolments)} activiteit{'' if len(enrolments) == 1 else 'en'}")
        return Proposal(Outcome.GEEN_WERK,
                        f"Er {'is' if len(placements) + len(enrolments) == 1 else 'zijn'} {' en '.join(what)} "
                        "vastgelegd, maar er loopt geen plaatsing, opleiding of werkervaring meer.")
    return Proposal(Outcome.ONBEKEND, "Er zijn geen plaatsingen of activiteiten vastgelegd.")


@dataclass
class PlacementDecision:
    action: str  # KEEP or END
    ended_on: date | None = None
    reason: str = ""
    note: str = ""


@dataclass
class ClosureData:
    closed_on: date | None
    outcome: str
    dropout_reason: str = ""
    dropout_note: str = ""
    unknown_note: str = ""
    summary: str = ""
    employer_advice: str = ""
    employer_placement_id: int | None = None
    employer_consent: bool = False
    employer_consent_on: date | None = None
    decisions: dict[int, PlacementDecision] = field(default_factory=dict)
    kept_reason: str = ""


def require_regisseur(grant: Grant) -> None:
    if not grant.is_regisseur:
        raise Http404("Pagina niet gevonden")


def check(participant: Participant, data: ClosureData, *, today: date) -> dict[str, str]:
    """Problems with closing, per field (Dutch); ``placements`` and ``aftercare`` for the decisions."""
    errors: dict[str, str] = {}
    if participant.phase == Phase.AFGESLOTEN:
        errors["__all__"] = "Dit traject is al afgesloten."
        return errors
    if data.closed_on is None:
        errors["closed_on"] = "Vul de datum van afsluiten in."
        return errors
    if data.closed_on > today:
        errors["closed_on"] = "Een traject kan niet in de toekomst worden afgesloten. Kies vandaag of eerder."
    running = placement_queries.open_placements(participant, on=data.closed_on)
    undecided = [p for p in running if data.decisions.get(p.pk) is None
                 or data.decisions[p.pk].action not in (KEEP, END)]
    if undecided:
        names = "; ".join(f"{p.job_title} bij {p.employer}" for p in undecided)
        errors["placements"] = (
            f"Er {'loopt' if len(undecided) == 1 else 'lopen'} nog {len(undecided)} plaatsing"
            f"{'' if len(undecided) == 1 else 'en'} ({names}). Kies per plaatsing of die eindigt (met datum en "
            "reden) of doorloopt na het afsluiten."
        )
    for p in running:
        d = data.decisions.get(p.pk)
        if d is None or d.action != END:
            continue
        if p.start_date > data.closed_on:
            errors[f"placement_{p.pk}"] = (
                f"{p.job_title} bij {p.employer} begint pas op {_d(p.start_date)}: beëindigen kan niet. Kies "
                "‘loopt door na het afsluiten’, of trek de plaatsing in als die niet doorgaat."
            )
            continue
        problems = placement_queries.check_end(p, d.ended_on, d.reason, today=today)
        if not problems and d.ended_on > data.closed_on:
            problems["ended_on"] = "De plaatsing moet uiterlijk op de datum van afsluiten eindigen."
        if problems:
            errors[f"placement_{p.pk}"] = f"{p.job_title} bij {p.employer}: " + " ".join(problems.values())
    kept = [p for p in running if data.decisions.get(p.pk) is not None and data.decisions[p.pk].action == KEEP]
    if kept and not (data.kept_reason or "").strip():
        errors["kept_reason"] = (
            "Schrijf op waarom de plaatsing doorloopt na het afsluiten, bijvoorbeeld ‘betaald werk gevonden; de "
            "nazorg loopt door’."
        )
    if data.outcome not in Outcome.values:
        errors["outcome"] = "Kies de uitstroom."
    elif data.outcome == Outcome.VOORTIJDIGE_UITVAL and data.dropout_reason not in DropoutReason.values:
        errors["dropout_reason"] = "Bij voortijdige uitval is de reden van uitval verplicht. Kies de reden."
    elif data.outcome == Outcome.ONBEKEND and not (data.unknown_note or "").strip():
        errors["unknown_note"] = (
            "Bij een onbekende uitstroom schrijft u op wat er is geprobeerd om die te achterhalen (gebeld, "
            "gemaild, huisbezoek, navraag bij de werkgever)."
        )
    if data.employer_consent:
        if data.employer_consent_on is None:
            errors["employer_consent_on"] = "Vul de datum in waarop de deelnemer toestemming gaf."
        elif data.employer_consent_on > today:
            errors["employer_consent_on"] = "Deze datum ligt in de toekomst."
        if data.employer_placement_id is None:
            errors["employer_placement"] = "Kies de werkgever (plaatsing) die de eindrapportage krijgt."
        elif not Placement.objects.filter(participant=participant, pk=data.employer_placement_id).exists():
            errors["employer_placement"] = "Deze plaatsing hoort niet bij deze deelnemer."
    return errors


def running_enrolments(participant: Participant, on: date) -> list:
    """The enrolments closing on ``on`` would end (shown on the closure form before the regisseur confirms)."""
    return list(activity_queries.running_after(participant.pk, on))


def latest_closure(participant: Participant) -> Closure | None:
    return (Closure.objects.filter(participant=participant).select_related("closed_by", "employer_placement",
                                                                          "employer_placement__employer")
            .prefetch_related("placements_kept", "enrolments_ended__activity__provider").first())


def get_closure_or_404(participant: Participant, grant: Grant) -> Closure:
    if not grant.can_see(Category.TRAJECTORY):
        raise Http404("Afsluiting niet gevonden")
    closure = latest_closure(participant)
    if closure is None:
        raise Http404("Afsluiting niet gevonden")
    return closure


def dropout_visible(closure: Closure, grant: Grant) -> bool:
    return closure.dropout_reason not in HEALTH_REASONS or grant.special


def categories_of(closure: Closure, grant: Grant) -> set[str]:
    cats = {Category.IDENTITY, Category.TRAJECTORY, Category.WORK}
    if closure.dropout_reason in HEALTH_REASONS and grant.special:
        cats.add(Category.SPECIAL)
    return cats


GEMEENTE, WERKGEVER = "gemeente", "werkgever"


VERSIONS = {GEMEENTE: "Eindrapportage voor de gemeente", WERKGEVER: "Eindrapportage voor de werkgever"}


def can_export(closure: Closure, grant: Grant, version: str) -> bool:
    if version not in VERSIONS or not grant.is_regisseur:
        return False
    return version == GEMEENTE or (closure.employer_consent and closure.employer_placement_id is not None)


def report_categories(version: str, closure: Closure) -> set[str]:
    if version == WERKGEVER:
        return {Category.IDENTITY, Category.WORK, Category.LANGUAGE}
    cats = {Category.IDENTITY, Category.TRAJECTORY, Category.WORK, Category.LANGUAGE}
    if closure.dropout_reason in HEALTH_REASONS:
        cats.add(Category.SPECIAL)
    return cats


def report_context(participant: Participant, closure: Closure, version: str, *, printed_by, today: date | None = None
                   ) -> dict:
    """What the eindrapportage shows. The employer's version holds only the placement at that employer, the
    language levels and what the regisseur wrote for the employer: no outcome, dropout reason, income, health,
    other employers, check-in notes or frictions."""
    today = today or timezone.localdate()
    levels = [(LanguageSkill(s).label, participant.level(s)) for s in LanguageSkill.values]
    ctx = {
        "p": participant, "closure": closure, "version": version, "title": VERSIONS[version], "levels": levels,
        "printed_by": printed_by, "printed_at": timezone.localtime(), "regisseur": participant.regisseur,
    }
    placements = list(
        Placement.objects.filter(participant=participant).select_related("employer", "jobcoach", "aftercare",
                                                                          "jobcoach__organisation")
        .prefetch_related("terms", "aftercare__check_ins", "aftercare__frictions").order_by("start_date", "id")
    )
    if version == WERKGEVER:
        placement = next((p for p in placements if p.pk == closure.employer_placement_id), None)
        ctx["placement"] = placement
        ctx["term"] = placement_queries.current_term(placement) if placement else None
        ctx["final_talk"] = getattr(placement, "aftercare", None) if placement else None
        return ctx
    rows = []
    for p in placements:
        plan = getattr(p, "aftercare", None)
        rows.append({
            "placement": p, "history": placement_queries.term_history(p),
            "days": placement_queries.duration_days(p, today), "plan": plan,
            "check_ins": [c for c in plan.check_ins.all() if c.done_on] if plan else [],
            "frictions": list(plan.frictions.all()) if plan else [],
            "kept": any(k.pk == p.pk for k in closure.placements_kept.all()),
        })
    ctx["rows"] = rows
    ctx["started_on"] = timezone.localtime(participant.created_at).date()
    return ctx
