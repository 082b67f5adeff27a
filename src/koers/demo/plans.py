"""Demo plans and integration records: the four case journeys' plans in versions, and the leerroute signals.

Part of ``koers demo`` (``koers.demo.loader.load`` calls ``load`` inside its transaction). Dates are
relative to today. What it shows:

- **Nahom**: PIP version 1 (signed at the start of his trajectory) and version 2, signed two weeks ago, in which
  the language goal changed, the work-preparation goal is reached and a goal on work experience in electrical
  engineering (VCA) was added, so *compare versions* has something to show.
- **Heba**: PIP version 1 signed, version 2 a concept being worked on; one goal on mental health (special
  category: only the regisseur and De Schakel, whose consent covers it, see it).
- **Ammar**: PIP version 1 and version 2 (after he found work: aftercare goals). **Nabil**: PIP version 1 and an
  approved leerroute switch to the onderwijsroute.
- Drawn participants of the demo regisseur: one whose PIP is due within 14 days (a concept is being prepared),
  one whose PIP is overdue, one with a switch request after the 18-month window waiting for approval.
- MAP and PVT progress for the case journeys.

Idempotent: a participant's plan versions are written only when the participant has none; the integration record,
route switch and component progress only when absent (natural keys: participant, participant and component).
Content lineages are derived from the participant and a fixed key, so the versions compare. Seeding writes no
audit records. All people and organisations are fictional.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.utils import timezone

from koers.core.codes import ActionStatus, Category, LearningRoute, LifeDomain
from koers.demo import world
from koers.demo.participants import CASE_NAMES
from koers.participants.models import Participant
from koers.plans.models import (
    Agreement,
    Component,
    ComponentProgress,
    ComponentStatus,
    Goal,
    GoalStatus,
    IntegrationRecord,
    PlanEdit,
    PlanKind,
    PlanVersion,
    RouteSwitch,
    SignMethod,
    Step,
    SwitchStatus,
    VersionStatus,
)

D = LifeDomain
OPEN, BEZIG, AFGEROND = ActionStatus.OPEN, ActionStatus.BEZIG, ActionStatus.AFGEROND
SELF = None  # a step the participant takes themselves


@dataclass(frozen=True)
class StepDef:
    key: str
    text: str
    owner: str | None  # username, or SELF
    due: int  # days from today (negative: in the past)
    status: str = OPEN


@dataclass(frozen=True)
class GoalDef:
    key: str
    domain: str
    title: str
    description: str = ""
    due: int | None = None
    status: str = GoalStatus.OPEN
    completed: int | None = None  # days ago
    next_goal: str = ""
    steps: tuple[StepDef, ...] = ()


@dataclass(frozen=True)
class VersionDef:
    plan_ago: int
    signed_ago: int | None  # None: a concept
    long_term_goal: str
    goals: tuple[GoalDef, ...]
    agreements: tuple[tuple[str, str], ...]
    edits: tuple[str, ...] = ()  # what changed since the previous version (the concept's history)
    kind: str = PlanKind.PIP


@dataclass(frozen=True)
class CasePlan:
    name: str
    obligation_ago: int
    versions: tuple[VersionDef, ...]
    #: component → (status, days ago, note)
    components: dict = field(default_factory=dict)


def _goal(goals: tuple[GoalDef, ...], key: str) -> GoalDef:
    return next(g for g in goals if g.key == key)


# --- Nahom: "eerst werkervaring opdoen" -------------------------------------------------------------------------

NAHOM_V1 = VersionDef(
    plan_ago=505, signed_ago=500,
    long_term_goal="Werken in de techniek, passend bij mijn opleiding in de elektrotechniek.",
    goals=(
        GoalDef("werk", D.PARTICIPATIE, "Werkvoorbereiding afronden en aan het werk",
                "Eerst een baan om een eigen inkomen te hebben; daarna verder groeien.", due=-200,
                status=GoalStatus.BEZIG, next_goal="Werkervaring in de elektrotechniek", steps=(
                    StepDef("wv", "Werkvoorbereidingstraject volgen en afronden", "regisseur", -300, AFGEROND),
                    StepDef("cv", "Cv maken met de werkervaring uit Eritrea", SELF, -420, AFGEROND),
                )),
        GoalDef("taal", D.COMMUNICATIE_TAAL, "Nederlands spreken en verstaan op A2-niveau",
                "Anderhalf jaar les; schrijven gaat nog moeizaam.", due=-120, status=GoalStatus.BEZIG, steps=(
                    StepDef("les", "Taalles volgen bij Taalcentrum Rivierland", "taaldocent", -120, BEZIG),
                )),
        GoalDef("diploma", D.ONDERWIJS, "Diploma Electrical Engineering laten waarderen", due=-220,
                status=GoalStatus.BEZIG, steps=(
                    StepDef("aanvraag", "Waardering van het diploma aanvragen", "regisseur", -230, AFGEROND),
                )),
    ),
    agreements=(
        ("afmelden", "Nahom meldt zich af bij het Taalcentrum als hij niet naar de les kan komen."),
        ("gesprek", "Elke zes weken een voortgangsgesprek met de regisseur."),
    ),
)
_n1 = NAHOM_V1.goals
NAHOM_V2 = VersionDef(
    plan_ago=20, signed_ago=14,
    long_term_goal="Elektromonteur bij een installatiebedrijf, met een Nederlands diploma (BBL).",
    goals=(
        replace(_goal(_n1, "werk"), status=GoalStatus.BEHAALD, completed=75, steps=tuple(
            replace(s, status=AFGEROND) for s in _goal(_n1, "werk").steps)),
        replace(_goal(_n1, "taal"), title="Nederlands blijven oefenen naast het werk, op weg naar B1",
                description="Op het werk wordt weinig Nederlands gesproken; de ploegendienst maakt lessen overdag "
                "onmogelijk.", due=180, steps=(
                    replace(_goal(_n1, "taal").steps[0], text="Avondles Nederlands naast het werk volgen "
                            "(maandag en woensdag)", due=120, status=OPEN),
                    StepDef("cafe", "Elk weekend naar het taalcafé in de bibliotheek", SELF, 60, BEZIG),
                )),
        replace(_goal(_n1, "diploma"), status=GoalStatus.BEHAALD, completed=230, steps=tuple(
            replace(s, status=AFGEROND) for s in _goal(_n1, "diploma").steps)),
        GoalDef("techniek", D.PARTICIPATIE, "Werkervaring in de elektrotechniek en het VCA-diploma",
                "Nahom wil terug naar de techniek. Eerst VCA, dan werkervaring of een bedrijfsbezoek.", due=150,
                next_goal="BBL-opleiding elektromonteur", steps=(
                    StepDef("vca", "Aanmelden voor VCA Basis (zaterdagcursus)", "begeleider", 21, BEZIG),
                    StepDef("bezoek", "Bedrijfsbezoek bij een installatiebedrijf regelen", "accountmanager", 35),
                    StepDef("cv2", "Cv aanpassen voor vacatures in de techniek", SELF, 30),
                )),
    ),
    agreements=NAHOM_V1.agreements + (
        ("ploegen", "Afspraken worden gepland na vier uur 's middags of op zaterdag, passend bij de ploegendienst."),
    ),
    edits=(
        "Doel ‘Werkvoorbereiding afronden en aan het werk’ gewijzigd: status",
        "Doel ‘Nederlands blijven oefenen naast het werk, op weg naar B1’ gewijzigd: doel, toelichting, streefdatum",
        "Doel ‘Werkervaring in de elektrotechniek en het VCA-diploma’ toegevoegd",
        "Afspraak toegevoegd: ‘Afspraken worden gepland na vier uur ...’",
    ),
)

# --- Heba: "terug naar school" ----------------------------------------------------------------------------------

HEBA_V1 = VersionDef(
    plan_ago=575, signed_ago=570,
    long_term_goal="Economie studeren en daarna werken bij een organisatie die vluchtelingen helpt.",
    goals=(
        GoalDef("examen", D.COMMUNICATIE_TAAL, "Staatsexamen NT2 programma II (B2) halen",
                "Nodig om te kunnen studeren. Schrijven blijft iets achter.", due=60, status=GoalStatus.BEZIG,
                next_goal="Starten met een schakeljaar of hbo Economie", steps=(
                    StepDef("training", "Examentraining volgen (maandag en donderdag)", "taaldocent", 42, BEZIG),
                    StepDef("aanmelden", "Aanmelden voor het Staatsexamen", SELF, 30),
                )),
        GoalDef("studie", D.ONDERWIJS, "Kiezen tussen een schakeljaar en het hbo Economie", due=150, steps=(
            StepDef("opendag", "Open dag hbo Economie en schakeljaar bezoeken", SELF, 45),
            StepDef("studiefinanciering", "Studiefinanciering en de combinatie met het gezin uitzoeken",
                    "regisseur", 60),
        )),
        GoalDef("vrijwilliger", D.PARTICIPATIE, "Vrijwilligerswerk uitbreiden met administratieve taken", due=90,
                status=GoalStatus.BEZIG, steps=(
                    StepDef("meelopen", "Twee ochtenden meelopen met de administratie van De Schakel", "jobcoach", 20),
                )),
        GoalDef("rust", D.GEESTELIJKE_GEZONDHEID, "Meer rust en minder stress",
                "Zorgen om familie en veel taken thuis; slaapt slecht en merkt dat in de les.", due=90, steps=(
                    StepDef("poh", "Met de huisarts een verwijzing naar de praktijkondersteuner bespreken", SELF, 14),
                    StepDef("rooster", "Een rustige ochtend in het weekrooster houden en samen evalueren", "jobcoach",
                            30),
                )),
        GoalDef("opvang", D.OPVOEDING, "Extra dagdelen peuteropvang voor haar zoon", due=-60,
                status=GoalStatus.BEHAALD, completed=70, steps=(
                    StepDef("toeslag", "Kinderopvangtoeslag aanvragen", SELF, -80, AFGEROND),
                )),
    ),
    agreements=(
        ("teveel", "Heba laat het weten als het te veel wordt; dan passen we het rooster samen aan."),
        ("post", "Haar man neemt een deel van de post over; dat bespreken we samen met de maatschappelijk "
                 "begeleider."),
    ),
)
_h1 = HEBA_V1.goals
HEBA_V2 = VersionDef(
    plan_ago=3, signed_ago=None, long_term_goal=HEBA_V1.long_term_goal,
    goals=(
        _goal(_h1, "examen"),
        replace(_goal(_h1, "studie"), title="Aanmelden voor het schakeljaar Economie",
                description="Na de open dagen koos Heba voor het schakeljaar: één jaar, daarna het hbo.", due=120,
                steps=_goal(_h1, "studie").steps + (
                    StepDef("intake", "Intakegesprek schakeljaar plannen", SELF, 50),
                )),
        _goal(_h1, "vrijwilliger"),
        _goal(_h1, "rust"),
        _goal(_h1, "opvang"),
    ),
    agreements=HEBA_V1.agreements,
    edits=(
        "Doel ‘Aanmelden voor het schakeljaar Economie’ gewijzigd: doel, toelichting, streefdatum",
        "Stap ‘Intakegesprek schakeljaar plannen’ bij doel ‘Aanmelden voor het schakeljaar Economie’ toegevoegd",
    ),
)

# --- Ammar: "het liefst een eigen bedrijf" ----------------------------------------------------------------------

AMMAR_V1 = VersionDef(
    plan_ago=665, signed_ago=660,
    long_term_goal="Later weer een eigen kledingwinkel; eerst Nederlands leren en Nederlandse werkervaring.",
    goals=(
        GoalDef("werk", D.PARTICIPATIE, "Betaald werk vinden", due=-200, status=GoalStatus.BEZIG, steps=(
            StepDef("cv", "Cv opstellen en vertalen", "begeleider", -400, AFGEROND),
            StepDef("sollicitatie", "Sollicitatiebegeleiding", "begeleider", -250, BEZIG),
        )),
        GoalDef("taal", D.COMMUNICATIE_TAAL, "Nederlands op A2-niveau", due=-60, status=GoalStatus.BEZIG, steps=(
            StepDef("les", "Taalles volgen bij Taalcentrum Rivierland", "taaldocent", -60, BEZIG),
        )),
    ),
    agreements=(("tolk", "Gesprekken met de regisseur zijn met een telefonische tolk Arabisch."),),
)
_a1 = AMMAR_V1.goals
AMMAR_V2 = VersionDef(
    plan_ago=145, signed_ago=140, long_term_goal=AMMAR_V1.long_term_goal,
    goals=(
        replace(_goal(_a1, "werk"), status=GoalStatus.BEHAALD, completed=250, steps=tuple(
            replace(s, status=AFGEROND) for s in _goal(_a1, "werk").steps)),
        replace(_goal(_a1, "taal"), title="Nederlands verbeteren naast het werk (24 uur per week)", due=200, steps=(
            replace(_goal(_a1, "taal").steps[0], text="Avondles Nederlands naast het werk volgen", due=110),
        )),
        GoalDef("contract", D.PARTICIPATIE, "Contract verlengen en uitbreiden naar 32 uur",
                "Het contract van zeven maanden loopt af; verlenging is onzeker.", due=20, steps=(
                    StepDef("driegesprek", "Driegesprek met de werkgever over verlenging en meer uren", "begeleider",
                            -6),
                )),
        GoalDef("ondernemen", D.PARTICIPATIE, "Oriënteren op ondernemen in Nederland", due=240, steps=(
            StepDef("info", "Informatiebijeenkomst starten als ondernemer bezoeken", "regisseur", 40),
        )),
        GoalDef("geld", D.FINANCIEN, "Weten wat werk betekent voor uitkering en toeslagen", due=30, steps=(
            StepDef("budget", "Budgetgesprek over de gevolgen van het contract", "regisseur", 14, BEZIG),
        )),
    ),
    agreements=AMMAR_V1.agreements + (
        ("nazorg", "De begeleider van Werkkracht bezoekt de werkgever twee maanden na de start en voor het einde "
                   "van het contract."),
    ),
    edits=("Doel ‘Betaald werk vinden’ gewijzigd: status", "Doel ‘Contract verlengen en uitbreiden naar 32 uur’ "
           "toegevoegd"),
)

# --- Nabil: "werken aan een plan B" -----------------------------------------------------------------------------

NABIL_V1 = VersionDef(
    plan_ago=445, signed_ago=440,
    long_term_goal="Een vaste baan als elektricien, via een BBL-opleiding bij een werkgever.",
    goals=(
        GoalDef("examen", D.COMMUNICATIE_TAAL, "Staatsexamen NT2 programma II (B2) halen", due=45,
                status=GoalStatus.BEZIG, steps=(
                    StepDef("training", "Examentraining volgen, vooral schrijven", "taaldocent", 40, BEZIG),
                )),
        GoalDef("bbl", D.ONDERWIJS, "Starten met de BBL-opleiding Elektrotechniek", due=150,
                next_goal="Vast contract als elektricien", steps=(
                    StepDef("intake", "Intake mbo Elektrotechniek (BBL) plannen", "regisseur2", 25),
                    StepDef("gesprek", "Sollicitatiegesprek bij het installatiebedrijf voorbereiden", SELF, 7),
                )),
        GoalDef("zoon", D.OPVOEDING, "Opvang na school voor zijn zoon als hij fulltime werkt", due=60, steps=(
            StepDef("sport", "Sportclub of activiteit na school uitzoeken", SELF, 30),
        )),
    ),
    agreements=(("plan_b", "Nabil en de regisseur bekijken na het examen samen of het plan B nog klopt."),),
)

CASE_PLANS = [
    CasePlan("Nahom Tesfamariam", 560, (NAHOM_V1, NAHOM_V2), {
        Component.MAP: (ComponentStatus.AFGEROND, 400, "Afgerond in het werkvoorbereidingstraject."),
        Component.PVT: (ComponentStatus.AFGEROND, 450, ""),
    }),
    CasePlan("Heba Khatib", 620, (HEBA_V1, HEBA_V2), {
        Component.MAP: (ComponentStatus.BEZIG, 56, "ONA bij Stichting Nieuw Thuis loopt."),
        Component.PVT: (ComponentStatus.AFGEROND, 300, ""),
    }),
    CasePlan("Ammar Darwish", 720, (AMMAR_V1, AMMAR_V2), {
        Component.MAP: (ComponentStatus.AFGEROND, 500, ""),
        Component.PVT: (ComponentStatus.AFGEROND, 600, ""),
    }),
    CasePlan("Nabil Mansour", 500, (NABIL_V1,), {
        Component.MAP: (ComponentStatus.AFGEROND, 300, "ONA afgerond."),
        Component.PVT: (ComponentStatus.AFGEROND, 350, ""),
    }),
]

# A short PIP for a drawn participant (the one whose switch waits for approval, and the concept due soon).
SIMPLE_GOALS = (
    GoalDef("taal", D.COMMUNICATIE_TAAL, "Nederlands leren op het niveau van de leerroute", due=240,
            status=GoalStatus.BEZIG, steps=(
                StepDef("les", "Elke week naar de taalles en het huiswerk maken", SELF, 120, BEZIG),
            )),
    GoalDef("werk", D.PARTICIPATIE, "Oriënteren op werk", due=300, steps=(
        StepDef("map", "Module Arbeidsmarkt en Participatie volgen", "regisseur", 150),
        StepDef("wens", "Nadenken over wat voor werk ik wil doen", SELF, 60),
    )),
)


# --- Writing ---------------------------------------------------------------------------------------------------


def lineage(participant: Participant, *keys: str) -> str:
    """A fixed lineage per participant and content key, so the versions of the demo compare."""
    return hashlib.md5("|".join((str(participant.pk), *keys)).encode(), usedforsecurity=False).hexdigest()


def _version(ctx, participant: Participant, number: int, spec: VersionDef, based_on: PlanVersion | None):
    regisseur = participant.regisseur
    version = PlanVersion.objects.create(
        participant=participant, number=number, based_on=based_on, kind=spec.kind,
        plan_date=ctx.days_ago(spec.plan_ago), long_term_goal=spec.long_term_goal,
        created_by=regisseur, updated_by=regisseur,
    )
    for gpos, g in enumerate(spec.goals, start=1):
        goal = Goal.objects.create(
            version=version, lineage=lineage(participant, g.key), position=gpos, domain=g.domain, title=g.title,
            description=g.description, due_date=ctx.today + timedelta(days=g.due) if g.due is not None else None,
            status=g.status, completed_on=ctx.days_ago(g.completed) if g.completed is not None else None,
            next_goal=g.next_goal,
        )
        Step.objects.bulk_create(
            Step(
                goal=goal, lineage=lineage(participant, g.key, s.key), position=spos, description=s.text,
                owner_organisation=ctx.users[s.owner].organisation if s.owner else participant.regie_organisation,
                owner_user=ctx.users[s.owner] if s.owner else None, due_date=ctx.today + timedelta(days=s.due),
                status=s.status,
            )
            for spos, s in enumerate(g.steps, start=1)
        )
        ctx.count("plandoelen")
    Agreement.objects.bulk_create(
        Agreement(version=version, lineage=lineage(participant, "afspraak", key), position=pos, text=text)
        for pos, (key, text) in enumerate(spec.agreements, start=1)
    )
    started_at = ctx.at(spec.plan_ago)
    first = f"Nieuwe versie gestart vanuit versie {based_on.number}" if based_on else "Concept aangemaakt"
    edits = [
        PlanEdit(version=version, revision=rev, user=regisseur, category=Category.TRAJECTORY, summary=text[:500])
        for rev, text in enumerate((first, *spec.edits), start=1)
    ]
    revision = len(edits)
    if spec.signed_ago is not None:
        revision += 1
        edits.append(PlanEdit(version=version, revision=revision, user=regisseur,
                              summary=f"Ondertekend ({SignMethod.SCREEN.label.lower()})"))
        version.status = VersionStatus.SIGNED
        version.signed_on = ctx.days_ago(spec.signed_ago)
        version.signed_at = ctx.at(spec.signed_ago)
        version.signed_by = regisseur
        version.signed_by_participant = True
        version.sign_method = SignMethod.SCREEN
    version.revision = revision
    version.save()
    PlanEdit.objects.bulk_create(edits)
    PlanEdit.objects.filter(version=version).update(at=started_at)
    if version.signed_at:
        PlanEdit.objects.filter(version=version, revision=revision).update(at=version.signed_at)
    PlanVersion.objects.filter(pk=version.pk).update(
        created_at=started_at, updated_at=version.signed_at or ctx.now
    )
    ctx.count("planversies")
    return version


def _plan(ctx, participant: Participant, versions: tuple[VersionDef, ...]) -> None:
    if PlanVersion.objects.filter(participant=participant).exists():
        return
    previous = None
    for number, spec in enumerate(versions, start=1):
        previous = _version(ctx, participant, number, spec, previous)


def _record(ctx, participant: Participant, obligation_ago: int) -> None:
    if IntegrationRecord.objects.filter(participant=participant).exists():
        return
    IntegrationRecord.objects.create(
        participant=participant, obligation_start=ctx.days_ago(obligation_ago), updated_by=participant.regisseur
    )
    ctx.count("inburgering")


def _components(ctx, participant: Participant, components: dict) -> None:
    existing = set(ComponentProgress.objects.filter(participant=participant).values_list("component", flat=True))
    for component, (status, ago, note) in components.items():
        if component in existing:
            continue
        ComponentProgress.objects.create(participant=participant, component=component, status=status,
                                         status_on=ctx.days_ago(ago), note=note, updated_by=participant.regisseur)
        ctx.count("onderdelen inburgering")


def _switch(ctx, participant: Participant, *, to_route: str, from_route: str, ago: int, reason: str,
            requested_by, pending: bool) -> None:
    if RouteSwitch.objects.filter(participant=participant).exists():
        return
    switch = RouteSwitch.objects.create(
        participant=participant, from_route=from_route, to_route=to_route, switch_on=ctx.days_ago(ago),
        reason=reason, needs_approval=pending, status=SwitchStatus.AANGEVRAAGD if pending else SwitchStatus.GOEDGEKEURD,
        requested_by=requested_by, decided_by=None if pending else requested_by,
        decided_at=None if pending else ctx.at(ago),
    )
    RouteSwitch.objects.filter(pk=switch.pk).update(requested_at=ctx.at(ago))
    ctx.count("leerroutewissels")
    if not pending and participant.learning_route != to_route:
        # What the service does on approval: the route changes, with a line in the file's history.
        Participant.objects.filter(pk=participant.pk).update(learning_route=to_route)
        ctx.change(participant, ago, requested_by.username, "learning_route", from_route, to_route)


def _drawn(ctx) -> dict[str, Participant]:
    """Three drawn participants of the demo regisseur, by fixed rules: PIP due soon, PIP overdue, switch pending."""
    qs = (
        Participant.objects.filter(regie_organisation=ctx.orgs["gemeente"], regisseur=ctx.users["regisseur"],
                                   integration_obliged="ja")
        .exclude(name__in=CASE_NAMES).select_related("regisseur", "regie_organisation")
        .order_by("name", "date_of_birth")
    )
    people = list(qs)
    chosen: dict[str, Participant] = {}
    intake = [p for p in people if p.phase == "intake"]
    if intake:
        chosen["soon"] = intake[0]
    rest = [p for p in people if p.phase in ("intake", "traject") and p not in chosen.values()]
    if rest:
        chosen["overdue"] = rest[0]
    b1 = [p for p in people if p.phase == "traject" and p.learning_route == LearningRoute.B1
          and p not in chosen.values()]
    if b1:
        chosen["switch"] = b1[-1]
    return chosen


def load(loader=None) -> dict[str, int]:
    """Create whatever of the demo plans and integration records is missing. Returns the rows created per kind
    (also counted on the loader, so ``koers demo`` prints them)."""
    ctx = world.context(loader)
    before = dict(ctx.created)
    gemeente = ctx.orgs["gemeente"]
    for case in CASE_PLANS:
        participant = (
            Participant.objects.filter(regie_organisation=gemeente, name=case.name)
            .select_related("regisseur", "regie_organisation").first()
        )
        if participant is None:
            continue
        _record(ctx, participant, case.obligation_ago)
        _plan(ctx, participant, case.versions)
        _components(ctx, participant, case.components)
        if case.name == "Nabil Mansour":
            _switch(ctx, participant, to_route=LearningRoute.ONDERWIJS, from_route=LearningRoute.B1, ago=60,
                    reason="Nabil haalt B2 en gaat een mbo-opleiding volgen; de onderwijsroute past daar beter bij.",
                    requested_by=ctx.users["regisseur2"], pending=False)

    policy_weeks = 10  # the default PIP term; the demo municipality keeps the defaults
    drawn = _drawn(ctx)
    if "soon" in drawn:  # PIP due in nine days; a concept is being prepared
        p = drawn["soon"]
        _record(ctx, p, policy_weeks * 7 - 9)
        _plan(ctx, p, (VersionDef(plan_ago=5, signed_ago=None, long_term_goal="", goals=SIMPLE_GOALS,
                                  agreements=(), edits=("Doelen voorbereid voor het gesprek met de deelnemer",)),))
    if "overdue" in drawn:  # PIP twelve days late, nothing started
        _record(ctx, drawn["overdue"], policy_weeks * 7 + 12)
    if "switch" in drawn:  # a signed PIP long ago; a switch request after the 18-month window
        p = drawn["switch"]
        _record(ctx, p, 600)  # the integration obligation (by law) may have started before the file in Koers
        ago = min(555, (ctx.today - timezone.localdate(p.created_at)).days - 30)  # the plan after the intake
        signed = VersionDef(plan_ago=ago, signed_ago=ago - 5, long_term_goal="Aan het werk in de logistiek.",
                            goals=SIMPLE_GOALS, agreements=(("les", "Afmelden bij de taalschool bij ziekte."),))
        _plan(ctx, p, (signed,))
        _components(ctx, p, {Component.MAP: (ComponentStatus.BEZIG, 90, ""),
                             Component.PVT: (ComponentStatus.NIET_GESTART, ago, "")})
        _switch(ctx, p, to_route=LearningRoute.Z, from_route=LearningRoute.B1, ago=3,
                reason="Leert langzaam ondanks veel inzet; de taaldocent en de regisseur verwachten dat B1 niet "
                "haalbaar is. De Z-route past beter.", requested_by=ctx.users["regisseur2"], pending=True)
    return ctx.since(before)
