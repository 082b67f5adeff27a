"""The brede intake: its steps, reads and writes (start, save a step, complete).

An intake is structured and resumable. It walks through the conversation itself, the sections of the participant
file the user may change (saved through the file's own services, so the file and its history are updated exactly as
from the file page), the twelve life domains in four groups, and a last step with a summary and the action items per
organisation. Each user sees and edits only what their grant covers: the notes on a life domain belong to that
domain's data category, the health domains are special-category data.

Joint intakes: the co-interviewer (possibly of a partner organisation) can open the same draft and record the
domains and action items of their own work; there is one draft per participant at a time.

The writes are in the services package (same module name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from koers.core import locking
from koers.core.access import Grant
from koers.core.codes import DOMAIN_CATEGORY, Category, LifeDomain
from koers.participants.forms.file import SECTIONS, Section
from koers.participants.models import Intake, IntakeDomain, IntakeStatus, Participant

D = LifeDomain


#: The life domains in the groups the intake asks them in (health last: special-category data).
DOMAIN_GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("leefdomeinen-werk-en-taal", "Werk, taal en onderwijs",
     (D.PARTICIPATIE, D.COMMUNICATIE_TAAL, D.ONDERWIJS, D.KENNIS_NL)),
    ("leefdomeinen-geld-en-wonen", "Geld, wonen en gezin",
     (D.FINANCIEN, D.HUISVESTING, D.HUISELIJKE_RELATIES, D.OPVOEDING)),
    ("leefdomeinen-netwerk", "Netwerk en dagelijks leven", (D.SOCIAAL_NETWERK, D.DAGELIJKS_LEVEN)),
    ("leefdomeinen-gezondheid", "Gezondheid", (D.GEESTELIJKE_GEZONDHEID, D.LICHAMELIJKE_GEZONDHEID)),
]


DOMAIN_ORDER = {str(d): i for i, d in enumerate(d for _, _, ds in DOMAIN_GROUPS for d in ds)}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    kind: str  # "gesprek" | "section" | "domains" | "afronden"
    section: Section | None = None
    domains: tuple[str, ...] = ()


ALL_STEPS: list[Step] = (
    [Step("gesprek", "Gesprek", "gesprek")]
    + [Step(s.slug, s.title, "section", section=s) for s in SECTIONS.values()]
    + [Step(slug, title, "domains", domains=tuple(str(d) for d in ds)) for slug, title, ds in DOMAIN_GROUPS]
    + [Step("afronden", "Afronden en actiepunten", "afronden")]
)


STEP_ORDER = {s.slug: i for i, s in enumerate(ALL_STEPS)}


assert len(STEP_ORDER) == len(ALL_STEPS), "intake step slugs must be unique"


assert set(DOMAIN_ORDER) == set(LifeDomain.values), "every life domain is in one group"


@dataclass(frozen=True)
class ClosingStep:
    """The last step, registered by the app that turns an intake into work (casework: the action plan).

    ``view(request, participant, grant, intake, steps, current)`` handles the step page; ``detail(intake, grant)``
    returns the context and the data categories the intake page shows of it; ``detail_template`` draws that.
    """

    view: Callable
    detail: Callable
    detail_template: str


_closing: list[ClosingStep] = []


def register_closing_step(step: ClosingStep) -> None:
    _closing[:] = [step]


def closing_step() -> ClosingStep | None:
    return _closing[0] if _closing else None


class IntakeClosed(Exception):
    """The intake was completed (by this user in another tab, or a colleague): it is read-only now."""


def editable_domains(grant: Grant) -> list[str]:
    """Life domains whose notes this user may write (health only with special-category rights)."""
    return [d for d in DOMAIN_ORDER if DOMAIN_CATEGORY[d] in grant.write]


def readable_domains(grant: Grant) -> list[str]:
    return [d for d in DOMAIN_ORDER if DOMAIN_CATEGORY[d] in grant.read]


def steps_for(grant: Grant) -> list[Step]:
    """The steps this user walks through: sections and domain groups without anything to edit are left out."""
    editable = set(editable_domains(grant))
    result = []
    for step in ALL_STEPS:
        if step.kind == "section" and not grant.can_change(step.section.category):
            continue
        if step.kind == "afronden" and closing_step() is None:
            continue
        if step.kind == "domains":
            domains = tuple(d for d in step.domains if d in editable)
            if not domains:
                continue
            step = Step(step.slug, step.title, step.kind, domains=domains)
        result.append(step)
    return result


def resume_step(intake: Intake, steps: list[Step]) -> Step:
    """Where this user continues: the furthest step reached, or the next one of theirs after it."""
    reached = STEP_ORDER.get(intake.current_step, 0)
    for step in steps:
        if STEP_ORDER[step.slug] >= reached:
            return step
    return steps[-1]


def can_start(grant: Grant) -> bool:
    return grant.can_change(Category.TRAJECTORY)


def draft_for(participant: Participant) -> Intake | None:
    return participant.intakes.filter(status=IntakeStatus.CONCEPT).first()


def panel(participant: Participant, grant: Grant) -> dict:
    """For the participant page: the draft to resume, the latest completed intake, whether one may start."""
    if Category.TRAJECTORY not in grant.read:
        return {}
    intakes = list(participant.intakes.only("id", "status", "held_on", "completed_at", "current_step")[:20])
    return {
        "draft": next((i for i in intakes if i.status == IntakeStatus.CONCEPT), None),
        "last_completed": next((i for i in intakes if i.status == IntakeStatus.AFGEROND), None),
        "count": len(intakes),
        "can_start": can_start(grant),
    }


def get_intake_or_404(participant: Participant, intake_id) -> Intake:
    """An intake of this participant (whom the caller already checked with the access policy), or 404."""
    try:
        return Intake.objects.select_related("conducted_by", "co_interviewer", "completed_by", "organisation").get(
            participant=participant, pk=int(intake_id)
        )
    except (ValueError, TypeError, Intake.DoesNotExist) as exc:
        raise Http404("Intake niet gevonden") from exc


def intake_list(participant: Participant) -> list[Intake]:
    return list(
        participant.intakes.select_related("conducted_by", "co_interviewer", "organisation")
        .annotate(action_count=Count("action_items"))
        .order_by("-started_at", "-id")
    )


def domain_notes(intake: Intake, domains) -> dict[str, IntakeDomain]:
    """The intake's notes on these domains, by code (only the domains asked for are read)."""
    return {d.domain: d for d in intake.domains.filter(domain__in=list(domains))}


@dataclass
class DomainView:
    code: str
    label: str
    category: str
    special: bool
    notes: IntakeDomain | None


def visible_domains(intake: Intake, grant: Grant) -> list[DomainView]:
    """All domains the grant lets one read, in order, with their notes (None when nothing was recorded)."""
    domains = readable_domains(grant)
    notes = domain_notes(intake, domains)
    return [
        DomainView(d, LifeDomain(d).label, DOMAIN_CATEGORY[d], DOMAIN_CATEGORY[d] == Category.SPECIAL, notes.get(d))
        for d in domains
    ]


DOMAIN_LABELS = {"situation": "situatie", "own_view": "eigen visie", "support_needed": "benodigde ondersteuning"}


def domain_values(note: IntakeDomain | None) -> dict[str, str]:
    return {k: (getattr(note, k) if note is not None else "") for k in DOMAIN_LABELS}


def domain_version(note: IntakeDomain | None) -> str:
    """The version one life domain's notes carry in the domains step (core.locking)."""
    return locking.make_version(domain_values(note))
