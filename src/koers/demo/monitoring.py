"""Demo data of the monitoring: two programmes owned by Gemeente Rivierstad.

1. **NBNB** ("Een nieuw bestaan, een nieuwe baan", ``synthetic.nbnb``): the 8 completed projects with their targets,
   the rationale of every target, duration and intensity, an intervention logic per project (aangrijpingspunt,
   problem, instruments, mechanisms, intermediate goals), and the 395 participants as *imported* trajectories.
   Both files go through the real import (``services/imports.import_projects`` / ``import_participants``),
   exactly as a user's files would; the reports therefore show the published figures. The demo researcher
   (Noor Vermeulen) works at the owner, which already gives her the researcher's view: no separate research
   organisation.
2. **Rivierstad Werkt**: the municipality's own work as a programme, with three projects — two run by partners
   (Werkkracht Re-integratie, De Schakel) and the municipality's own guidance. The four case journeys and the drawn
   caseload (not in *aanmelding*) are enrolled as *native* trajectories: a participant with an active membership of
   a partner running a project joins that project, everyone else the municipality's own. The drawn participants in
   phase *afgesloten* get a closure (outcomes spread over the code list), so the reports show native outcomes and
   the closures schedule follow-ups: one is overdue (signal ``vervolgmeting_te_laat`` on Ingrid Bakker's caseload),
   one has a proposal from a paid job that keeps running ("ja").

Idempotent: programmes and projects by code, the imports only into an empty programme, trajectories by
(project, participant), a closure only for a participant without one. Seeding writes no audit records (rows are
written with the ORM; ``sync.refresh`` fills the native trajectories, the closure receiver the follow-ups).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from koers.core.codes import (
    ContractType,
    DropoutReason,
    EntryPoint,
    Outcome,
    Phase,
    PlacementKind,
    Sector,
)
from koers.demo import world
from koers.demo.participants import CASE_NAMES
from koers.monitoring.models import Programme, Project, ProjectTarget, Source, Trajectory
from koers.monitoring.services import imports as import_services
from koers.monitoring.services import sync
from koers.participants.models import Membership, Participant
from koers.synthetic import nbnb
from koers.work.models import Closure, Employer, Placement, PlacementTerm

OWN_CODE = "rivierstad-werkt"

#: Intervention logic per NBNB project (fictional summaries in the terms of Kok & Sol).
NBNB_LOGIC: dict[str, dict[str, str]] = {
    "kim": {
        "entry_point": EntryPoint.AANBOD,
        "problem": "Hoogopgeleide statushouders vinden geen werk op niveau: hun netwerk en kennis van de Nederlandse "
                   "arbeidsmarkt ontbreken.",
        "instruments": "Individuele begeleiding door een professional en een vrijwillige buddy; groepstraining "
                       "arbeidsmarkt en sollicitatie; netwerkbijeenkomsten.",
        "mechanisms": "Informatie, werkzoekvaardigheden, sociale waardering.",
        "intermediate_goals": "Kennis van de arbeidsmarkt, een netwerk, een toekomstplan.",
    },
    "ndc": {
        "entry_point": EntryPoint.MATCH,
        "problem": "Jonge nieuwkomers en werkgevers ontmoeten elkaar niet; taal en werknemersvaardigheden blijven "
                   "achter zonder praktijk.",
        "instruments": "Taalles en coaching gecombineerd met leren-werken bij een werkgever, vier dagen per week.",
        "mechanisms": "Leren in de praktijk, activering, begeleiding.",
        "intermediate_goals": "Taal op de werkvloer, vakvaardigheden, culturele werknemersvaardigheden.",
    },
    "newbees": {
        "entry_point": EntryPoint.MATCH,
        "problem": "Nieuwkomers missen Nederlandse werkervaring; werkgevers twijfelen om iemand zonder cv "
                   "in Nederland aan te nemen.",
        "instruments": "Stage van 2–3 dagen per week bij een werkgever, een buddy en daarna matching op een "
                       "vacature.",
        "mechanisms": "Matching (persoonlijk), vertrouwen bij de werkgever, leren.",
        "intermediate_goals": "Werkervaring, een referentie, zelfvertrouwen.",
    },
    "rc": {
        "entry_point": EntryPoint.AANBOD,
        "problem": "Statushouders zitten lang thuis en verliezen motivatie en zicht op hun eigen mogelijkheden.",
        "instruments": "Werkervaringsplaats in een eigen sociale onderneming (3 dagen per week), training en "
                       "individuele begeleiding naar werk.",
        "mechanisms": "Activering, identiteit, doeloriëntatie.",
        "intermediate_goals": "Motivatie, zelfinzicht, werkritme.",
    },
    "dt": {
        "entry_point": EntryPoint.AANBOD,
        "problem": "Vrouwen met weinig opleiding komen niet aan werkervaring toe; schulden en zorgtaken staan in "
                   "de weg.",
        "instruments": "Werkervaringsplaats van minstens 8 uur per week, begeleiding en doorverwijzing naar "
                       "schuldhulp.",
        "mechanisms": "Facilitering (belemmeringen wegnemen), activering, socialisering.",
        "intermediate_goals": "Een ondersteunend netwerk, zelfstandigheid, minder eenzaamheid.",
    },
    "werkshop": {
        "entry_point": EntryPoint.MATCH,
        "problem": "Werkzoekenden en werkgevers in de regio sluiten niet op elkaar aan; sollicitaties lopen stuk "
                   "op presentatie en taal.",
        "instruments": "Module van 6 weken (~24 uur per week) met vaktraining en sollicitatietraining, daarna "
                       "matching en jobcoaching.",
        "mechanisms": "Werkzoekvaardigheden, matching, begeleiding gericht op duurzame plaatsing.",
        "intermediate_goals": "Presentatie- en sollicitatievaardigheden, vakvaardigheden.",
    },
    "vw1": {
        "entry_point": EntryPoint.AANBOD,
        "problem": "Statushouders kennen de Nederlandse werkcultuur niet en missen een eerste stap naar werk.",
        "instruments": "Training van 8 weken (een dagdeel per week) en een werkervaringsplaats van 1–2 dagen per "
                       "week met een vrijwillige coach.",
        "mechanisms": "Leren, informatie, begeleiding.",
        "intermediate_goals": "Culturele werknemersvaardigheden, taal, kennis van de arbeidsmarkt.",
    },
    "vw2": {
        "entry_point": EntryPoint.AANBOD,
        "problem": "Als tranche 1; meer nadruk op een erkende opleiding voor wie werk op niveau wil.",
        "instruments": "Training van 8 weken en een werkervaringsplaats; begeleiding naar een erkende opleiding.",
        "mechanisms": "Leren, doeloriëntatie, begeleiding.",
        "intermediate_goals": "Een toekomstplan, taal, vakvaardigheden.",
    },
}


# --- NBNB (imported) -------------------------------------------------------------------------------------------------


def _nbnb(loader) -> Programme:
    owner = loader.orgs["gemeente"]
    programme, created = Programme.objects.get_or_create(
        code=nbnb.PROGRAMME["code"],
        defaults={"name": nbnb.PROGRAMME["name"], "funder": nbnb.PROGRAMME["funder"], "owner": owner,
                  "starts_on": date(2019, 2, 1), "ends_on": date(2021, 3, 31),
                  "description": "Statushouders duurzaam naar werk of opleiding, via acht projecten van "
                                 "maatschappelijke organisaties en sociale ondernemingen (fictief, naar de "
                                 "tussenevaluatie van een landelijk programma)."},
    )
    if created:
        loader.count("programma's")
    if not programme.projects.exists():
        data = nbnb.to_csv(nbnb.project_rows(), nbnb.PROJECT_COLUMNS).encode("utf-8")
        result = import_services.import_projects(data, "nbnb-projecten.csv", programme_code=programme.code,
                                                    owner=owner)
        if result.errors:
            raise RuntimeError("; ".join(str(e) for e in result.errors[:5]))
        loader.count("projecten", result.created)
    specs = {p["code"]: p for p in nbnb.PROJECTS}
    for project in Project.objects.filter(programme=programme):
        spec = specs.get(project.code)
        if spec is None:
            continue
        values = {"duration": spec["looptijd"], "intensity": spec["intensiteit"], **NBNB_LOGIC[project.code],
                  "target_group": "Statushouders met een uitkering, 18 jaar en ouder."}
        if any(getattr(project, k) != v for k, v in values.items()):
            Project.objects.filter(pk=project.pk).update(**values)
        for outcome, (count, why) in spec["doelen"].items():
            ProjectTarget.objects.update_or_create(project=project, outcome=outcome,
                                                   defaults={"count": count, "rationale": why})
    if not programme.trajectories.exists():
        data = nbnb.to_csv(nbnb.participant_rows(), nbnb.COLUMNS).encode("utf-8")
        result = import_services.import_participants(data, "nbnb-deelnemers.csv", programme=programme)
        if result.errors:
            raise RuntimeError("; ".join(str(e) for e in result.errors[:5]))
        loader.count("trajectdeelnames (import)", result.created)
    return programme


# --- Rivierstad Werkt (native) ---------------------------------------------------------------------------------------

#: (code, name, organisation key, planned, targets {outcome: (count, rationale)}, duration, intensity, logic)
OWN_PROJECTS = [
    ("route-naar-werk", "Route naar werk", "reintegratie", 40,
     {Outcome.BETAALD_WERK: (16, "40% betaald werk: het aandeel dat Werkkracht in eerdere jaren haalde bij "
                                 "deelnemers met taalniveau A2 of hoger."),
      Outcome.LEER_WERKTRAJECT: (6, "15% een leerwerktraject (BBL) voor wie een diploma nodig heeft.")},
     "doorlopend, traject 9–12 maanden", "wekelijks gesprek met de trajectbegeleider, 2–4 uur",
     {"entry_point": EntryPoint.MATCH,
      "problem": "Deelnemers die er klaar voor zijn, vinden zelf geen passende baan; werkgevers kennen hen niet.",
      "instruments": "Trajectbegeleiding, matching op vacatures via de accountmanager, proefplaatsing met behoud "
                     "van uitkering, jobcoaching en nazorg.",
      "mechanisms": "Matching (persoonlijk), vertrouwen bij de werkgever, begeleiding gericht op duurzame "
                    "plaatsing.",
      "intermediate_goals": "Sollicitatievaardigheden, een passende match, een goede start op de werkvloer."}),
    ("werkervaring-schakel", "Werkervaring bij De Schakel", "sociaal", 25,
     {Outcome.WERKERVARINGSPLAATS: (8, "Een derde stroomt door naar een werkervaringsplaats bij een reguliere "
                                       "werkgever."),
      Outcome.VRIJWILLIGERSWERK: (6, "Wie (nog) niet kan werken, houdt een vaste plek als vrijwilliger."),
      Outcome.BETAALD_WERK: (3, "Enkelen direct naar betaald werk; geen hoofddoel van dit project.")},
     "doorlopend, traject 6 maanden", "2–3 dagdelen per week in de kringloop of het atelier, jobcoach op de vloer",
     {"entry_point": EntryPoint.AANBOD,
      "problem": "Deelnemers met weinig werkervaring en belemmeringen missen ritme, taal op de werkvloer en "
                 "zelfvertrouwen.",
      "instruments": "Werkervaringsplaats bij de sociale onderneming met een jobcoach; taal op de werkvloer.",
      "mechanisms": "Activering, leren in de praktijk, sociale waardering.",
      "intermediate_goals": "Werkritme, taal op de werkvloer, zelfvertrouwen."}),
    ("eigen-begeleiding", "Regie en begeleiding statushouders", "gemeente", 60,
     {Outcome.BETAALD_WERK: (12, "20% betaald werk binnen twee jaar, het gemiddelde van de regio."),
      Outcome.REGULIERE_OPLEIDING: (9, "15% een reguliere opleiding, vooral via de onderwijsroute.")},
     "doorlopend, geen vaste trajectduur", "contact minstens elke week in het eerste jaar, daarna naar behoefte",
     {"entry_point": EntryPoint.AANBOD,
      "problem": "Inburgering, inkomen, gezondheid en werk lopen door elkaar; zonder regie raakt de deelnemer "
                 "tussen de organisaties kwijt.",
      "instruments": "Brede intake, persoonlijk plan (PIP), casusoverleg met de partners, duale trajecten van "
                     "taal en werk.",
      "mechanisms": "Facilitering (belemmeringen wegnemen), doeloriëntatie, begeleiding.",
      "intermediate_goals": "Een toekomstplan, taal, een stabiele thuissituatie."}),
]

#: Outcomes of the drawn closed trajectories, in turn (the first is the overdue one, the second the paid job).
CLOSED_OUTCOMES = [Outcome.GEEN_WERK, Outcome.BETAALD_WERK, Outcome.VOORTIJDIGE_UITVAL, Outcome.REGULIERE_OPLEIDING,
                   Outcome.WERKERVARINGSPLAATS, Outcome.BETAALD_WERK, Outcome.ONBEKEND, Outcome.VRIJWILLIGERSWERK,
                   Outcome.KAN_NIET_WERKEN, Outcome.GEEN_WERK]


def _own_programme(loader) -> tuple[Programme, dict[str, Project]]:
    owner = loader.orgs["gemeente"]
    programme, created = Programme.objects.get_or_create(
        code=OWN_CODE,
        defaults={"name": "Rivierstad Werkt", "funder": "Gemeente Rivierstad (participatiebudget)", "owner": owner,
                  "starts_on": date(loader.today.year - 2, 1, 1),
                  "description": "Het eigen werk van de gemeente en haar partners als programma: statushouders naar "
                                 "werk, opleiding of een andere vorm van meedoen."},
    )
    if created:
        loader.count("programma's")
    projects = {}
    for code, name, org_key, planned, targets, duration, intensity, logic in OWN_PROJECTS:
        project, created = Project.objects.get_or_create(
            programme=programme, code=code,
            defaults={"name": name, "organisation": loader.orgs[org_key], "planned_participants": planned,
                      "starts_on": programme.starts_on, "duration": duration, "intensity": intensity,
                      "target_group": "Statushouders en gezinsmigranten in Rivierstad met een uitkering.", **logic},
        )
        if created:
            loader.count("projecten")
            for outcome, (count, why) in targets.items():
                ProjectTarget.objects.create(project=project, outcome=outcome, count=count, rationale=why)
        projects[org_key] = project
    return programme, projects


def _start(participant, membership_start: date | None, today: date) -> date:
    """The start of a native trajectory: the partner's membership, else a fixed 3–13 months ago; never before the
    participant came into Koers."""
    if membership_start is not None:
        start = min(membership_start, today)
    else:
        start = today - timedelta(days=90 + (participant.pk * 37) % 300)
    return max(start, timezone.localdate(participant.created_at))


def _closure(loader, participant, trajectory, outcome: str, closed_on: date, paid_job: bool) -> None:
    regisseur = participant.regisseur or loader.users["regisseur"]
    if trajectory.started_on > closed_on - timedelta(days=90):
        started = max(closed_on - timedelta(days=180), timezone.localdate(participant.created_at))
        Trajectory.objects.filter(pk=trajectory.pk).update(started_on=started)
    employer_placement = None
    if paid_job and not Placement.objects.filter(participant=participant).exists():
        employer, _ = Employer.objects.get_or_create(
            name="Schoonmaakbedrijf Glans",
            defaults={"organisation": loader.orgs["gemeente"], "sector": Sector.N, "city": "Rivierstad"},
        )
        start = closed_on - timedelta(days=60)
        employer_placement = Placement.objects.create(
            participant=participant, employer=employer, kind=PlacementKind.BETAALD_WERK,
            job_title="Medewerker schoonmaak zorgcentrum", start_date=start, organisation=regisseur.organisation,
            created_by=regisseur, jobcoach=regisseur,
        )
        PlacementTerm.objects.create(placement=employer_placement, effective_from=start,
                                     contract_type=ContractType.TIJDELIJK, hours_per_week=Decimal("28"),
                                     contract_end=start + timedelta(days=365),
                                     note="Jaarcontract; verlenging besproken bij de afsluiting",
                                     recorded_by=regisseur)
        loader.count("plaatsingen")
    extra = {}
    if outcome == Outcome.VOORTIJDIGE_UITVAL:
        extra = {"dropout_reason": DropoutReason.COMBINATIE_INBURGERING,
                 "dropout_note": "Lessen en werkervaring bleken niet te combineren."}
    elif outcome == Outcome.ONBEKEND:
        extra = {"unknown_note": "Drie keer gebeld, gemaild en een brief gestuurd; geen reactie."}
    closure = Closure.objects.create(
        participant=participant, closed_on=closed_on, outcome=outcome, proposed_outcome=outcome,
        proposal_reason="Demo: uitstroom vastgelegd bij het afsluiten.", summary="Traject afgesloten (demo).",
        closed_by=regisseur, organisation=participant.regie_organisation, **extra,
    )
    if employer_placement is not None:
        closure.placements_kept.set([employer_placement])
    loader.count("afsluitingen")


def _own_work(loader) -> Programme:
    programme, projects = _own_programme(loader)
    gemeente = loader.orgs["gemeente"]
    participants = list(
        Participant.objects.filter(regie_organisation=gemeente).exclude(phase=Phase.AANMELDING)
        .select_related("regisseur").order_by("id")
    )
    joined = set(Trajectory.objects.filter(programme=programme).values_list("participant_id", flat=True))
    partner_orgs = {projects[k].organisation_id: k for k in ("reintegratie", "sociaal")}
    memberships: dict[int, dict[int, date]] = {}
    for pid, org_id, valid_from in Membership.objects.active().filter(
        participant__in=participants, organisation_id__in=list(partner_orgs)
    ).values_list("participant_id", "organisation_id", "valid_from"):
        memberships.setdefault(pid, {})[org_id] = valid_from
    trajectories: dict[int, Trajectory] = {}
    for p in participants:
        if p.pk in joined:
            continue
        by_org = memberships.get(p.pk, {})
        org_id = next((o for o in partner_orgs if o in by_org), None)
        project = projects[partner_orgs[org_id]] if org_id else projects["gemeente"]
        t = Trajectory.objects.create(programme=programme, project=project, participant=p, source=Source.KOERS,
                                      started_on=_start(p, by_org.get(org_id), loader.today))
        sync.refresh(p)
        trajectories[p.pk] = t
        loader.count("trajectdeelnames (eigen)")

    # Closures of the drawn closed trajectories (the case journeys are still running).
    closed = [p for p in participants if p.phase == Phase.AFGESLOTEN and p.name not in CASE_NAMES]
    has_closure = set(Closure.objects.filter(participant__in=closed).values_list("participant_id", flat=True))
    todo = [p for p in closed if p.pk not in has_closure and p.pk in trajectories]
    if not todo:
        return programme
    # The overdue one is on Ingrid Bakker's caseload ("regisseur"); it is closed 200 days ago (6 months + ~17 days).
    ingrid = loader.users["regisseur"]
    todo.sort(key=lambda p: (p.regisseur_id != ingrid.pk, p.pk))
    for i, p in enumerate(todo):
        outcome = CLOSED_OUTCOMES[i % len(CLOSED_OUTCOMES)]
        days = 200 if i == 0 else 40 if i == 1 else min(20 + 13 * i, 170)
        _closure(loader, p, Trajectory.objects.get(pk=trajectories[p.pk].pk), outcome,
                 loader.today - timedelta(days=days), paid_job=(i == 1))
    return programme


def load(loader=None) -> dict[str, int]:
    """Create whatever of the monitoring demo is missing. Returns the rows created per kind (also counted on the
    loader, so ``koers demo`` prints them)."""
    loader = world.context(loader)
    before = dict(loader.created)
    _nbnb(loader)
    _own_work(loader)
    return loader.since(before)
