"""Demo placements and aftercare: the case journeys' jobs, Nabil's proposal, and the drawn caseload's jobs.

Part of ``koers demo`` (``koers.demo.loader.load`` calls ``load`` inside its transaction, after the
participants). Dates are relative to today. Every placement has started: the conversations about a job
(``casework``) come after its start, and a participant in phase *nazorg* has a running job. What it shows:

- **Nahom**: a full-time factory job (plastic car parts) at Kunststof Rivierland since 75 days — "niet zijn
  passie", a first step; aftercare with his coach at Werkkracht, the first three check-ins held.
- **Ammar**: factory work, 24 hours a week: a first contract with probation, then (a new term) a 7-month contract
  that ends in three weeks, so the "contract loopt af" signal is on the regisseur's caseload. Aftercare underway
  with his jobcoach at Werkkracht: four check-ins held, one friction (little Dutch on the noisy floor).
- **Nabil**: proposed for the BBL place (leerwerkplek) as leerling-elektromonteur at Elektrotechniek Van Dam; the
  job interview is still to come, so it is an open match on the opening, not yet a placement.
- The drawn participants in phase *nazorg*: a zero-hours job in a hotel whose hours dropped (signal), a cleaning
  job whose month-2 check-in is overdue (signal), and two jobs whose aftercare is up to date.

Idempotent: a participant who already has a placement (or Nabil a match on the opening) gets none; employers and
the opening by natural key (name; employer and title). Seeding writes no audit records. All people and
organisations are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from koers.core.codes import ContractType, MatchMode, Phase, PlacementKind, Sector
from koers.demo import world
from koers.participants.models import Participant
from koers.work.models import (
    CheckIn,
    CheckInWith,
    Employer,
    Friction,
    Match,
    MatchStatus,
    Opening,
    Placement,
    PlacementTerm,
    Scheme,
    Topic,
)
from koers.work.services import aftercare as aftercare_services

EMPLOYERS = {
    "kunststof": ("Kunststof Rivierland", Sector.C, "Rivierstad"),
    "verpakking": ("Verpakkingsfabriek De Linge", Sector.C, "Rivierstad"),
    "elektro": ("Elektrotechniek Van Dam", Sector.F, "Rivierstad"),
    "hotel": ("Hotel De Rivier", Sector.I, "Rivierstad"),
    "schoonmaak": ("Schoonmaakbedrijf Glans", Sector.N, "Rivierstad"),
}


@dataclass(frozen=True)
class TermDef:
    start: int  # days from today (negative: past)
    contract: str
    hours: str
    end: int | None  # days from today
    note: str = ""


@dataclass(frozen=True)
class CheckInDone:
    label: str
    with_whom: str
    topics: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class PlacementDef:
    employer: str
    kind: str
    title: str
    start: int
    terms: tuple[TermDef, ...]
    jobcoach: str | None  # username; None: the participant's regisseur
    probation_days: int | None = None
    schemes: tuple[str, ...] = ()
    buddy: str = ""
    done: tuple[CheckInDone, ...] = ()
    frictions: tuple[tuple[int, str, str, bool], ...] = ()  # (days ago, what, follow-up, resolved)


def _ammar() -> PlacementDef:
    # After probation a 7-month contract that ends in three weeks (20 days from today).
    end = 20
    second = end - 7 * 30 + 1
    first = second - 61
    return PlacementDef(
        "verpakking", PlacementKind.BETAALD_WERK, "Productiemedewerker inpak", first,
        (TermDef(first, ContractType.TIJDELIJK, "24", second - 1, "Eerste contract met proeftijd van een maand"),
         TermDef(second, ContractType.TIJDELIJK, "24", end, "Na de proeftijd: contract van 7 maanden; verlenging "
                                                           "nog onzeker")),
        "begeleider", probation_days=30, buddy="Henk (teamleider inpak)",
        done=(
            CheckInDone("Week 1", CheckInWith.DEELNEMER, (Topic.WERK, Topic.TAAL),
                        "Went aan het ritme; vindt het lawaai zwaar. Weet wie hij kan vragen."),
            CheckInDone("Week 2", CheckInWith.WERKGEVER, (Topic.WERK, Topic.HOUDING),
                        "Werkgever tevreden over inzet en stiptheid; instructies soms niet begrepen."),
            CheckInDone("Maand 2", CheckInWith.SAMEN, (Topic.RELATIES, Topic.TAAL),
                        "Samen met Henk afgesproken: instructies voordoen en laten herhalen."),
            CheckInDone("Maand 6", CheckInWith.APART, (Topic.VOORWAARDEN, Topic.PRIVE),
                        "Huurtoeslag aangepast na het nieuwe inkomen. Wil graag meer uren; werkgever twijfelt over "
                        "verlenging."),
        ),
        frictions=((150, "Weinig Nederlands op de werkvloer: door het lawaai praat niemand, Ammar oefent niet.",
                    "Taalcoach op de werkvloer besproken met de teamleider; pauzegesprekken in het Nederlands.",
                    True),),
    )


#: Nahom started 75 days ago (his work experience says 0.2 years; the phase moved to nazorg then).
NAHOM_START = -75

CASE_PLACEMENTS = {
    "Nahom Tesfamariam": PlacementDef(
        "kunststof", PlacementKind.BETAALD_WERK, "Productiemedewerker spuitgieten (auto-onderdelen)", NAHOM_START,
        (TermDef(NAHOM_START, ContractType.TIJDELIJK, "38", NAHOM_START + 182,
                 "Fulltime in ploegendienst; niet zijn passie, wel een eerste stap"),),
        "begeleider", probation_days=30, schemes=(Scheme.NO_RISKPOLIS,),
        done=(
            CheckInDone("Week 1", CheckInWith.DEELNEMER, (Topic.WERK, Topic.TAAL),
                        "Went aan de ploegendienst. Op de vloer wordt weinig Nederlands gesproken."),
            CheckInDone("Week 2", CheckInWith.WERKGEVER, (Topic.WERK, Topic.HOUDING),
                        "Werkgever tevreden: leert snel en vraagt door over de machines."),
            CheckInDone("Maand 2", CheckInWith.SAMEN, (Topic.WERK, Topic.VOORWAARDEN),
                        "Gaat goed; Nahom wil op termijn de techniek in. VCA en avondles besproken."),
        ),
    ),
    "Ammar Darwish": _ammar(),
}


@dataclass(frozen=True)
class ProposalDef:
    """An open match on an opening of the employer (the opening is made when missing)."""

    employer: str
    kind: str
    title: str
    hours: int
    start: int  # days from today: when the place would start
    proposed: int  # days ago
    proposed_by: str  # username
    note: str
    support: str


CASE_PROPOSALS = {
    "Nabil Mansour": ProposalDef(
        "elektro", PlacementKind.LEERWERKPLEK, "Leerling-elektromonteur (BBL)", 32, 42, 10, "regisseur2",
        "Voorgesteld na het gesprek over plan B; Nabil is uitgenodigd voor een sollicitatiegesprek.",
        "Vaste werkbegeleider; de werkgever betaalt de BBL-opleiding (niveau 3), perspectief op een vast contract.",
    ),
}

DRAWN_PLACEMENTS = (
    PlacementDef(
        "hotel", PlacementKind.BETAALD_WERK, "Medewerker housekeeping", -120,
        (TermDef(-120, ContractType.OPROEP, "16", None, "Oproepcontract, gemiddeld 16 uur"),
         TermDef(-20, ContractType.NUL_UREN, "0", None, "Nieuw contract: nuluren, minder werk na het seizoen")),
        None,
        done=(CheckInDone("Week 1", CheckInWith.SAMEN, (Topic.WERK,), "Goede start."),
              CheckInDone("Week 2", CheckInWith.DEELNEMER, (Topic.VOORWAARDEN,), "Roosters komen laat."),
              CheckInDone("Maand 2", CheckInWith.WERKGEVER, (Topic.WERK, Topic.RELATIES), "Werkgever tevreden.")),
    ),
    PlacementDef(
        "schoonmaak", PlacementKind.BETAALD_WERK, "Schoonmaker kantoren", -75,
        (TermDef(-75, ContractType.TIJDELIJK, "20", 290, "Avonddiensten"),),
        None, schemes=(Scheme.LOONKOSTENSUBSIDIE, Scheme.LOONWAARDEBEPALING),
        done=(CheckInDone("Week 1", CheckInWith.DEELNEMER, (Topic.WERK, Topic.PRIVE),
                          "Kinderopvang 's avonds geregeld via de buurvrouw."),
              CheckInDone("Week 2", CheckInWith.WERKGEVER, (Topic.HOUDING,), "Werkt zorgvuldig en zelfstandig.")),
    ),
    PlacementDef(
        "verpakking", PlacementKind.BETAALD_WERK, "Inpakker (deeltijd)", -200,
        (TermDef(-200, ContractType.TIJDELIJK, "20", 165, "Jaarcontract, ochtenden"),),
        None,
        done=(CheckInDone("Week 1", CheckInWith.DEELNEMER, (Topic.WERK,), "Goed ingewerkt door een collega."),
              CheckInDone("Week 2", CheckInWith.WERKGEVER, (Topic.WERK, Topic.HOUDING), "Stipt en zorgvuldig."),
              CheckInDone("Maand 2", CheckInWith.SAMEN, (Topic.TAAL,), "Oefent Nederlands in de pauzes."),
              CheckInDone("Maand 6", CheckInWith.DEELNEMER, (Topic.VOORWAARDEN,),
                          "Wil na het jaarcontract graag meer uren.")),
    ),
    PlacementDef(
        "hotel", PlacementKind.BETAALD_WERK, "Medewerker ontbijtservice", -40,
        (TermDef(-40, ContractType.TIJDELIJK, "24", 325, "Halfjaarcontract met verlenging; vroege diensten"),),
        None,
        done=(CheckInDone("Week 1", CheckInWith.DEELNEMER, (Topic.WERK, Topic.PRIVE), "Fietst op tijd naar het hotel."),
              CheckInDone("Week 2", CheckInWith.WERKGEVER, (Topic.WERK,), "Vriendelijk tegen gasten.")),
    ),
)


@dataclass
class _Ctx:
    loader: object
    employers: dict = field(default_factory=dict)


def _employer(ctx: _Ctx, key: str) -> Employer:
    if key not in ctx.employers:
        name, sector, city = EMPLOYERS[key]
        employer, created = Employer.objects.get_or_create(
            name=name, defaults={"organisation": ctx.loader.orgs["gemeente"], "sector": sector, "city": city,
                                 "account_manager": ctx.loader.users.get("accountmanager")},
        )
        if created:
            ctx.loader.count("werkgevers")
        ctx.employers[key] = employer
    return ctx.employers[key]


def _day(ctx: _Ctx, days: int) -> date:
    return ctx.loader.today + timedelta(days=days)


def _placement(ctx: _Ctx, participant: Participant, d: PlacementDef) -> None:
    if Placement.objects.filter(participant=participant).exists():
        return
    employer = _employer(ctx, d.employer)
    users = ctx.loader.users
    recorder = participant.regisseur or users["regisseur"]
    coach = users.get(d.jobcoach) if d.jobcoach else recorder
    start = _day(ctx, d.start)
    placement = Placement.objects.create(
        participant=participant, employer=employer, kind=d.kind, job_title=d.title,
        start_date=start, probation_end=start + timedelta(days=d.probation_days) if d.probation_days else None,
        schemes=Placement.schemes_value(d.schemes), jobcoach=coach,
        buddy_name=d.buddy, organisation=recorder.organisation, created_by=recorder,
    )
    PlacementTerm.objects.bulk_create([
        PlacementTerm(placement=placement, effective_from=_day(ctx, t.start), contract_type=t.contract,
                      hours_per_week=Decimal(t.hours), contract_end=_day(ctx, t.end) if t.end is not None else None,
                      note=t.note, recorded_by=recorder)
        for t in d.terms
    ])
    plan = aftercare_services.create_plan(placement)
    by_label = {c.label: c for c in plan.check_ins.all()}
    for done in d.done:
        c = by_label[done.label]
        c.done_on = min(c.planned_on + timedelta(days=1), ctx.loader.today)
        c.with_whom = done.with_whom
        c.topics = CheckIn.topics_value(done.topics)
        c.notes = done.notes
        c.done_by = coach
        c.organisation = coach.organisation
        c.save()
    for days_ago, what, follow_up, resolved in d.frictions:
        Friction.objects.create(plan=plan, occurred_on=ctx.loader.days_ago(days_ago), what=what, follow_up=follow_up,
                                resolved_on=ctx.loader.days_ago(days_ago - 14) if resolved else None,
                                recorded_by=coach)
    ctx.loader.count("plaatsingen")
    ctx.loader.count("nazorgmomenten", len(by_label))


def _proposal(ctx: _Ctx, participant: Participant, d: ProposalDef) -> None:
    employer = _employer(ctx, d.employer)
    proposer = ctx.loader.users[d.proposed_by]
    opening, created = Opening.objects.get_or_create(
        employer=employer, title=d.title,
        defaults={"kind": d.kind, "sector": employer.sector, "hours_per_week": d.hours,
                  "start_date": _day(ctx, d.start), "city": employer.city, "req_spreken": "A2",
                  "support_offered": d.support, "status": "open",
                  "created_by": ctx.loader.users.get("accountmanager") or proposer},
    )
    if created:
        ctx.loader.count("vacatures")
    if Match.objects.filter(opening=opening, participant=participant).exists():
        return
    match = Match.objects.create(
        opening=opening, participant=participant, proposed_by=proposer, organisation=participant.regie_organisation,
        mode=MatchMode.VIA_BEGELEIDER, status=MatchStatus.VOORGESTELD, note=d.note,
    )
    Match.objects.filter(pk=match.pk).update(created_at=ctx.loader.at(d.proposed))
    ctx.loader.count("matches")


def load(loader=None) -> dict[str, int]:
    """Create whatever of the demo placements is missing. Returns the rows created per kind (also counted on the
    loader, so ``koers demo`` prints them)."""
    loader = world.context(loader)
    before = dict(loader.created)
    ctx = _Ctx(loader)
    gemeente = loader.orgs["gemeente"]
    cases = {p.name: p for p in Participant.objects.filter(regie_organisation=gemeente,
                                                           name__in=[*CASE_PLACEMENTS, *CASE_PROPOSALS])
             .select_related("regisseur", "regie_organisation")}
    for name, d in CASE_PLACEMENTS.items():
        if name in cases:
            _placement(ctx, cases[name], d)
    for name, proposal in CASE_PROPOSALS.items():
        if name in cases:
            _proposal(ctx, cases[name], proposal)
    drawn = list(
        Participant.objects.filter(regie_organisation=gemeente, phase=Phase.NAZORG)
        .exclude(name__in=CASE_PLACEMENTS).select_related("regisseur", "regie_organisation")
        .order_by("id")[:len(DRAWN_PLACEMENTS)]
    )
    for participant, d in zip(drawn, DRAWN_PLACEMENTS, strict=False):
        _placement(ctx, participant, d)
    return loader.since(before)
