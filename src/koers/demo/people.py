"""The demo data: fictional organisations, staff, the four case journeys and a fictional caseload.

``load_demo()`` is idempotent: every row is looked up by a natural key first (organisation name, username,
participant name + date of birth within the regie organisation) and only created when absent, so running
``koers demo`` twice changes nothing. A participant's history (intake, assessments, action items, changes) is
written only together with the participant itself, in one transaction.

The four case journeys (Nahom, Heba, Ammar, Nabil) follow the anonymised journeys in the research on
guidance of refugees towards work; the rest of the caseload is drawn with a fixed seed from the
distributions in ``koers.synthetic.population``. All people, organisations and places are fictional.
Rows are written with the ORM directly: seeding is not staff access, so it writes no audit records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from koers.casework.models import ActionItem
from koers.core import access
from koers.core.codes import (
    SPECIAL_BARRIERS,
    ActionStatus,
    Barrier,
    Category,
    LanguageTestSource,
    LegalBasis,
    OrganisationKind,
    Role,
)
from koers.core.models import Organisation, User, UserRole
from koers.participants.models import (
    FIELD_CATEGORY,
    Intake,
    IntakeDomain,
    IntakeStatus,
    LanguageAssessment,
    Membership,
    Participant,
    ParticipantBarrier,
    ParticipantChange,
    WorkExperience,
)
from koers.synthetic.population import REFERENCE_DATE, draw_person

#: One password for every demo login. Demo only: demo mode is refused outside KOERS_DEMO=1.
DEMO_PASSWORD = "koers-demo-2026"  # noqa: S105 - the public demo password, refused outside demo mode
#: Fixed seed of the drawn caseload; picked so that these few dozen people resemble the pilot figures.
DEMO_SEED = 2203
EXTRA_PARTICIPANTS = 60
OTHER_MUNICIPALITY_PARTICIPANTS = 5

# --- Organisations and staff ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    municipality: str
    email: str


ORGANISATIONS = [
    OrgSpec("gemeente", "Gemeente Rivierstad", OrganisationKind.GEMEENTE, "Rivierstad", "werk@rivierstad.example"),
    OrgSpec(
        "taal",
        "Taalcentrum Rivierland",
        OrganisationKind.TAALAANBIEDER,
        "Rivierstad en omgeving",
        "info@taalcentrum-rivierland.example",
    ),
    OrgSpec(
        "reintegratie",
        "Werkkracht Re-integratie",
        OrganisationKind.REINTEGRATIE,
        "Rivierstad",
        "team@werkkracht.example",
    ),
    OrgSpec(
        "maatschappelijk",
        "Stichting Nieuw Thuis",
        OrganisationKind.MAATSCHAPPELIJK,
        "Rivierstad",
        "rivierstad@nieuwthuis.example",
    ),
    OrgSpec(
        "sociaal",
        "De Schakel, kringloop en atelier",
        OrganisationKind.SOCIAAL_ONDERNEMER,
        "Rivierstad",
        "werk@deschakel.example",
    ),
    OrgSpec(
        "heuvelrand", "Gemeente Heuvelrand", OrganisationKind.GEMEENTE, "Heuvelrand", "participatie@heuvelrand.example"
    ),
]


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    org: str  # "" for the platform administrator, who belongs to no organisation
    roles: tuple[str, ...]
    superuser: bool = False


STAFF = [
    StaffSpec("regisseur", "Ingrid", "Bakker", "gemeente", (Role.REGISSEUR,)),
    StaffSpec("regisseur2", "Jeroen", "Smit", "gemeente", (Role.REGISSEUR,)),
    StaffSpec("accountmanager", "Mark", "Hendriks", "gemeente", (Role.ACCOUNTMANAGER,)),
    StaffSpec("projectleider", "Annemiek", "van Dijk", "gemeente", (Role.PROJECTLEIDER,)),
    StaffSpec("beheerder", "Pieter", "de Graaf", "gemeente", (Role.BEHEERDER,)),
    StaffSpec("onderzoeker", "Noor", "Vermeulen", "gemeente", (Role.ONDERZOEKER,)),
    StaffSpec("taaldocent", "Femke", "de Boer", "taal", (Role.TAALDOCENT,)),
    StaffSpec("begeleider", "Sanne", "Visser", "reintegratie", (Role.BEGELEIDER,)),
    StaffSpec("bruggenbouwer", "Tesfalem", "Habtu", "maatschappelijk", (Role.BRUGGENBOUWER,)),
    StaffSpec("maatschappelijk", "Lotte", "Jansen", "maatschappelijk", (Role.BEGELEIDER,)),
    StaffSpec("jobcoach", "Ruben", "Mulder", "sociaal", (Role.JOBCOACH,)),
    StaffSpec("heuvelrand", "Kees", "Brouwer", "heuvelrand", (Role.REGISSEUR,)),
    # Creates organisations and manages staff of every organisation (docs/privacy.md "Beheer").
    StaffSpec("platformbeheer", "Olga", "Platje", "", (), superuser=True),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    organisation: str
    roles: str


def demo_logins() -> list[DemoLogin]:
    """The demo accounts (all with DEMO_PASSWORD), as printed by ``koers demo``."""
    orgs = {o.key: o.name for o in ORGANISATIONS}
    labels = dict(Role.choices)
    return [
        DemoLogin(s.username, f"{s.first_name} {s.last_name}", orgs[s.org] if s.org else "—",
                  "platformbeheerder" if s.superuser else ", ".join(labels[r] for r in s.roles))
        for s in STAFF
    ]


# --- The four case journeys ---------------------------------------------------------------------------

#: The three notes per life domain, in the order of the tuples in ``Case.domains``.
DOMAIN_NOTES = ("situation", "own_view", "support_needed")


@dataclass
class Case:
    fields: dict
    regisseur: str
    #: (organisation key, legal basis, purpose, days ago, with special categories)
    memberships: list[tuple[str, str, str, int, bool]]
    #: (days ago, source, instrument, recorded by, organisation key, {skill: level})
    assessments: list[tuple[int, str, str, str, str, dict[str, str]]]
    barriers: list[tuple[str, str]] = field(default_factory=list)
    #: (occupation, years, country, description)
    work: list[tuple[str, float, str, str]] = field(default_factory=list)
    #: days ago, home visit, location, interpreter present, co-interviewer, summary
    intake: dict = field(default_factory=dict)
    domains: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: (title, description, domain, organisation key, assignee, due in days, status, done days ago)
    actions: list[tuple[str, str, str, str, str, int, str, int | None]] = field(default_factory=list)
    #: (days ago, username, field, old code, new code) beyond the language levels (derived from assessments)
    changes: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    settled_days_ago: int = 1000


def _levels(sp: str, lu: str, le: str, sc: str) -> dict[str, str]:
    return {"spreken": sp, "luisteren": lu, "lezen": le, "schrijven": sc}


TAAL_PURPOSE = "Taallessen NT2 en voortgangstoetsen"
MAATSCHAPPELIJK_PURPOSE = "Maatschappelijke begeleiding en werkvoorbereiding"
REINTEGRATIE_PURPOSE = "Trajectbegeleiding naar werk"
SOCIAAL_PURPOSE = "Vrijwilligerswerk en werkervaring met jobcoaching"

CASES: list[Case] = [
    # 1. "Eerst werkervaring opdoen"
    Case(
        fields={
            "name": "Nahom Tesfamariam",
            "preferred_name": "Nahom",
            "date_of_birth": date(1996, 3, 14),
            "gender": "man",
            "country_of_origin": "ER",
            "languages": ["ti", "en"],
            "interpreter_needed": "nee",
            "street": "Kastanjelaan 7",
            "city": "Rivierstad",
            "email": "nahom.t@voorbeeld.example",
            "migration_status": "asielstatushouder",
            "integration_obliged": "ja",
            "learning_route": "b1",
            "has_partner": "nee",
            "children_count": 0,
            "childcare_needed": "nee",
            "availability": ["ma_a", "di_a", "wo_a", "do_a", "za_o"],
            "barrier_status": "geen",
            "benefit": "nee",
            "education_level": "hoger",
            "education_field": "Electrical Engineering (bachelor)",
            "diploma_valuation": "gewaardeerd",
            "diploma_valuation_result": "mbo-niveau 3 (Elektrotechniek)",
            "digital_skills": "goed",
            "dream_job": "Elektromonteur",
            "plan_b": "Productiemedewerker met doorgroei naar onderhoudsmonteur",
            "sector_interests": ["C", "D", "F"],
            "phase": "traject",
        },
        regisseur="regisseur",
        settled_days_ago=3 * 365,
        memberships=[
            ("taal", LegalBasis.WETTELIJKE_TAAK, TAAL_PURPOSE, 530, False),
            ("maatschappelijk", LegalBasis.WETTELIJKE_TAAK, MAATSCHAPPELIJK_PURPOSE, 365, False),
            ("reintegratie", LegalBasis.WETTELIJKE_TAAK, REINTEGRATIE_PURPOSE, 90, False),
        ],
        assessments=[
            (
                540,
                LanguageTestSource.INTAKE,
                "Inschatting brede intake",
                "regisseur",
                "gemeente",
                _levels("A1", "A1", "A1", "A0"),
            ),
            (
                270,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("A1", "A1", "A2", "A1"),
            ),
            (
                30,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("A2", "A2", "A2", "A1"),
            ),
        ],
        work=[
            ("Natuurkundedocent middelbare school", 4, "ER", "Lesgeven in natuurkunde, in het Engels en Tigrinya"),
            ("Productiemedewerker kunststof auto-onderdelen", 0.2, "NL", "Fulltime, ploegendienst"),
        ],
        intake={
            "days_ago": 540,
            "home_visit": False,
            "location": "Stadskantoor Rivierstad",
            "interpreter": True,
            "co": "bruggenbouwer",
            "summary": (
                "Gemotiveerde, hoogopgeleide deelnemer met een technische achtergrond. Werkt inmiddels "
                "fulltime in de productie, maar wil terug naar de elektrotechniek. Afspraak: eerst "
                "werkervaring in de techniek opdoen, Nederlands blijven oefenen naast het werk, VCA "
                "halen en daarna doorgroeien naar elektromonteur."
            ),
        },
        domains={
            "participatie": (
                "Werkt sinds kort fulltime als productiemedewerker bij een fabriek van kunststof auto-onderdelen "
                "(ploegendienst). Daarvoor deelgenomen aan het werkvoorbereidingstraject van Stichting Nieuw "
                "Thuis.",
                "Blij met het eigen inkomen, maar het werk is 'niet mijn passie'. Wil terug naar de techniek en "
                "elektromonteur worden.",
                "Werkervaring of een bedrijfsbezoek in de elektrotechniek; VCA-diploma halen; contact met "
                "installatiebedrijven via de accountmanager.",
            ),
            "communicatie_taal": (
                "Anderhalf jaar taalles gevolgd. Spreekt en verstaat eenvoudig Nederlands, schrijven gaat nog "
                "moeizaam. Op het werk wordt weinig Nederlands gesproken.",
                "Vindt dat anderhalf jaar les niet genoeg was en wil blijven oefenen.",
                "Avondles of taalcoaching op de werkvloer die past bij de ploegendienst; een taalmaatje.",
            ),
            "onderwijs": (
                "Bachelor Electrical Engineering in Eritrea; werkte vier jaar als natuurkundedocent. Diploma "
                "gewaardeerd als mbo-niveau 3 (Elektrotechniek).",
                "Wil zijn vakkennis niet kwijtraken. Een Nederlands diploma zou deuren openen.",
                "VCA-basiscursus; onderzoeken of een BBL-opleiding elektromonteur naast het werk haalbaar is.",
            ),
            "sociaal_netwerk": (
                "Woont alleen. Contact met een paar landgenoten en de kerkgemeenschap; weinig Nederlandse "
                "contacten buiten de coach.",
                "Zou graag Nederlandse collega's of iemand uit de techniek leren kennen.",
                "Koppelen aan een buddy, bijvoorbeeld een gepensioneerde elektricien.",
            ),
            "financien": (
                "Eigen inkomen uit loon; de uitkering is beëindigd. Stuurt elke maand geld naar familie.",
                "Geen zorgen, wel krap.",
                "Nagaan of de toeslagen zijn aangepast aan het nieuwe inkomen.",
            ),
            "kennis_nl": (
                "KNM-examen gehaald; ONA afgerond in het werkvoorbereidingstraject.",
                "Begrijpt de regels; de Nederlandse werkcultuur (direct zijn, zelf initiatief nemen) is nog wennen.",
                "",
            ),
            "huisvesting": ("Eenkamerwoning in Rivierstad-Noord, op fietsafstand van de fabriek.", "Tevreden.", ""),
            "huiselijke_relaties": (
                "Ongehuwd. Ouders en twee zussen wonen in Eritrea, een broer in Duitsland.",
                "Hoopt zijn familie ooit te kunnen bezoeken.",
                "",
            ),
            "opvoeding_kinderopvang": ("Geen kinderen; niet van toepassing.", "", ""),
            "geestelijke_gezondheid": ("Geen bijzonderheden genoemd. Slaapt goed ondanks de ploegendienst.", "", ""),
            "lichamelijke_gezondheid": ("Gezond; geen beperkingen voor technisch werk.", "", ""),
            "dagelijks_leven": ("Zelfredzaam: regelt zijn post en DigiD zelf. Voetbalt in het weekend.", "", ""),
        },
        actions=[
            (
                "Diplomawaardering aanvragen",
                "Waardering van het bachelordiploma aanvragen.",
                "onderwijs",
                "gemeente",
                "regisseur",
                -230,
                ActionStatus.AFGEROND,
                240,
            ),
            (
                "VCA-basiscursus aanvragen en inplannen",
                "Cursus op zaterdag, past bij de ploegendienst.",
                "participatie",
                "reintegratie",
                "begeleider",
                21,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Bedrijfsbezoek bij een installatiebedrijf regelen",
                "Kennismaken met de elektrotechniek in Nederland; mogelijk werkervaringsplek.",
                "participatie",
                "gemeente",
                "accountmanager",
                35,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Taalles in de avond zoeken die past bij ploegendienst",
                "",
                "communicatie_taal",
                "taal",
                "taaldocent",
                10,
                ActionStatus.BEZIG,
                None,
            ),
        ],
        changes=[
            (520, "regisseur", "phase", "intake", "traject"),
            (60, "regisseur", "benefit", "ja", "nee"),
        ],
    ),
    # 2. "Terug naar school"
    Case(
        fields={
            "name": "Heba Khatib",
            "preferred_name": "Heba",
            "date_of_birth": date(2003, 5, 2),
            "gender": "vrouw",
            "country_of_origin": "SY",
            "languages": ["ar", "en"],
            "interpreter_needed": "nee",
            "street": "Molenstraat 22b",
            "city": "Rivierstad",
            "migration_status": "asielstatushouder",
            "integration_obliged": "ja",
            "learning_route": "onderwijs",
            "has_partner": "ja",
            "children_count": 1,
            "childcare_needed": "ja",
            "availability": ["ma_o", "di_o", "wo_m", "do_o", "vr_o"],
            "barrier_status": "wel",
            "benefit": "ja",
            "education_level": "hoger",
            "education_field": "Economie (eerste jaar universiteit, niet afgerond)",
            "diploma_valuation": "gewaardeerd",
            "diploma_valuation_result": "Middelbareschooldiploma: havo-niveau",
            "digital_skills": "redelijk",
            "dream_job": "Na een studie economie werken bij een organisatie die vluchtelingen helpt",
            "plan_b": "Administratief medewerker",
            "sector_interests": ["K", "M", "Q"],
            "phase": "traject",
        },
        regisseur="regisseur",
        settled_days_ago=2 * 365 + 120,
        memberships=[
            ("taal", LegalBasis.WETTELIJKE_TAAK, TAAL_PURPOSE, 590, False),
            ("maatschappelijk", LegalBasis.WETTELIJKE_TAAK, MAATSCHAPPELIJK_PURPOSE, 595, False),
            ("sociaal", LegalBasis.TOESTEMMING, SOCIAAL_PURPOSE, 365, True),
        ],
        assessments=[
            (
                600,
                LanguageTestSource.INTAKE,
                "Inschatting brede intake",
                "regisseur",
                "gemeente",
                _levels("A1", "A1", "A1", "A1"),
            ),
            (
                300,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("A2", "A2", "A2", "A2"),
            ),
            (
                20,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("B1", "B1", "B1", "A2"),
            ),
        ],
        barriers=[
            ("psychische_gezondheid", "Stress en slecht slapen; zorgen om familie. Huisarts is op de hoogte."),
            ("zorgtaken", "Zorgt voor haar zoontje en regelt veel voor haar man."),
        ],
        work=[
            ("Kassamedewerker in de winkel van de familie", 2, "SY", ""),
            ("Vrijwilliger kringloopwinkel (kassa en inname)", 1, "NL", "Een ochtend per week bij De Schakel"),
        ],
        intake={
            "days_ago": 600,
            "home_visit": True,
            "location": "Thuis bij Heba en haar man",
            "interpreter": False,
            "co": "maatschappelijk",
            "summary": (
                "Jonge, leergierige moeder met een duidelijk doel: het B2-examen halen en daarna "
                "economie studeren. Combineert taalles, ONA, computerles en vrijwilligerswerk. "
                "Aandachtspunten: veel zorgtaken thuis, stress en heimwee. Afspraak: onderwijsroute, "
                "extra peuteropvang regelen en oriënteren op een schakeljaar of hbo."
            ),
        },
        domains={
            "participatie": (
                "Doet elke week een ochtend vrijwilligerswerk bij De Schakel (kassa en inname). Volgt "
                "computerles en de ONA-module.",
                "Wil eerst studeren; werk naast de studie is goed als het bij economie past.",
                "Vrijwilligerswerk uitbreiden met administratieve taken; later een bijbaan in de administratie.",
            ),
            "communicatie_taal": (
                "Leert snel. Spreken en lezen gaan goed; schrijven blijft iets achter.",
                "Wil het B2-examen (Staatsexamen NT2 programma II) halen om te kunnen studeren.",
                "Voorbereiding op het Staatsexamen; extra oefenen met schrijven.",
            ),
            "onderwijs": (
                "Was in Syrië aan een studie economie begonnen toen de oorlog uitbrak; niet afgerond. "
                "Middelbareschooldiploma gewaardeerd op havo-niveau.",
                "Droomt van een economiestudie; twijfelt tussen een schakeljaar en direct naar het hbo.",
                "Open dagen bezoeken; studiefinanciering en de combinatie met het gezin uitzoeken.",
            ),
            "sociaal_netwerk": (
                "Een paar vriendinnen uit de taalklas. Ouders en zussen wonen in het buitenland.",
                "Voelt zich soms alleen, vooral 's avonds.",
                "Taalcafé of vrouwengroep in de wijk; een buddy via Stichting Nieuw Thuis.",
            ),
            "financien": (
                "Bijstandsuitkering voor het gezin. Heba regelt de post en de administratie, ook voor haar man.",
                "Vindt het zwaar om alles alleen te regelen.",
                "Afspraak met de maatschappelijk begeleider samen met haar man, zodat hij een deel overneemt.",
            ),
            "kennis_nl": ("KNM in voorbereiding; ONA loopt.", "", ""),
            "huisvesting": ("Driekamerappartement op de tweede verdieping zonder lift.", "Prima woning voor nu.", ""),
            "huiselijke_relaties": (
                "Getrouwd, een zoontje van twee. Helpt haar man veel omdat zijn Nederlands nog zwak is.",
                "Wil dat haar man meer zelf leert doen.",
                "Het traject van haar man bespreken in het casusoverleg.",
            ),
            "opvoeding_kinderopvang": (
                "Zoon gaat twee ochtenden naar de peuteropvang. Voor meer lesdagen is extra opvang nodig.",
                "Wil graag dat haar zoon Nederlands leert op de peuteropvang.",
                "Kinderopvangtoeslag en extra dagdelen peuteropvang regelen.",
            ),
            "geestelijke_gezondheid": (
                "Ervaart veel stress: zorgen om familie, slecht slapen, veel verantwoordelijkheid thuis. De "
                "huisarts is op de hoogte.",
                "Praat er liever niet te veel over, maar merkt dat het haar concentratie in de les kost.",
                "Met haar toestemming: verwijzing naar de praktijkondersteuner GGZ bespreken; rust inbouwen in "
                "het weekrooster.",
            ),
            "lichamelijke_gezondheid": ("Geen lichamelijke klachten.", "", ""),
            "dagelijks_leven": ("Zeer zelfredzaam: fietst, doet boodschappen, gebruikt DigiD.", "", ""),
        },
        actions=[
            (
                "Extra ochtenden peuteropvang regelen",
                "Inclusief aanvraag kinderopvangtoeslag.",
                "opvoeding_kinderopvang",
                "maatschappelijk",
                "maatschappelijk",
                -60,
                ActionStatus.AFGEROND,
                70,
            ),
            (
                "Aanmelden Staatsexamen NT2 programma II",
                "",
                "communicatie_taal",
                "taal",
                "taaldocent",
                30,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Open dag hbo Economie en schakeljaar bezoeken",
                "Samen de vragen over studiefinanciering voorbereiden.",
                "onderwijs",
                "maatschappelijk",
                "maatschappelijk",
                45,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Administratieve taken bij De Schakel uitproberen",
                "Twee ochtenden meelopen met de administratie.",
                "participatie",
                "sociaal",
                "jobcoach",
                20,
                ActionStatus.OPEN,
                None,
            ),
        ],
        changes=[
            (593, "regisseur", "barrier_status", "niet_gevraagd", "wel"),
            (593, "regisseur", "barrier:psychische_gezondheid", "", "ja"),
            (593, "regisseur", "barrier:zorgtaken", "", "ja"),
            (580, "regisseur", "phase", "intake", "traject"),
        ],
    ),
    # 3. "Het liefst een eigen bedrijf"
    Case(
        fields={
            "name": "Ammar Darwish",
            "preferred_name": "Ammar",
            "date_of_birth": date(1986, 8, 20),
            "gender": "man",
            "country_of_origin": "SY",
            "languages": ["ar"],
            "interpreter_needed": "ja",
            "street": "Populierenhof 3",
            "city": "Rivierstad",
            "migration_status": "asielstatushouder",
            "integration_obliged": "ja",
            "learning_route": "b1",
            "has_partner": "ja",
            "children_count": 3,
            "childcare_needed": "nee",
            "availability": ["do_o", "do_m", "vr_o", "vr_m"],
            "barrier_status": "wel",
            "benefit": "ja",
            "education_level": "voortgezet",
            "education_field": "",
            "diploma_valuation": "niet_aangevraagd",
            "digital_skills": "basis",
            "dream_job": "Eigen kledingwinkel",
            "plan_b": "Verkoopmedewerker kleding",
            "sector_interests": ["G", "C"],
            "phase": "nazorg",
        },
        regisseur="regisseur",
        settled_days_ago=3 * 365 + 60,
        memberships=[
            ("taal", LegalBasis.WETTELIJKE_TAAK, TAAL_PURPOSE, 690, False),
            ("maatschappelijk", LegalBasis.WETTELIJKE_TAAK, MAATSCHAPPELIJK_PURPOSE, 700, False),
            ("reintegratie", LegalBasis.WETTELIJKE_TAAK, REINTEGRATIE_PURPOSE, 690, False),
        ],
        assessments=[
            (
                700,
                LanguageTestSource.INTAKE,
                "Inschatting brede intake",
                "regisseur",
                "gemeente",
                _levels("A0", "A0", "A0", "A0"),
            ),
            (
                360,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("A1", "A1", "A1", "A0"),
            ),
            (
                45,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("A2", "A1", "A1", "A1"),
            ),
        ],
        barriers=[
            ("schulden", "Onzeker inkomen: contract van zeven maanden, aanvullende uitkering wisselt."),
            ("lichamelijke_gezondheid", "Rugklachten door tillen in de fabriek; loopt bij de huisarts."),
        ],
        work=[
            ("Eigenaar kledingwinkel", 12, "SY", "Inkoop en verkoop, twee medewerkers"),
            ("Productiemedewerker fabriek", 1, "NL", "24 uur per week; na de proeftijd een contract van 7 maanden"),
        ],
        intake={
            "days_ago": 700,
            "home_visit": True,
            "location": "Thuis, met telefonische tolk Arabisch",
            "interpreter": True,
            "co": "maatschappelijk",
            "summary": (
                "Ondernemende vader van drie kinderen die in Syrië een eigen kledingwinkel had. Wil op "
                "termijn weer ondernemen; eerst Nederlands leren en Nederlandse werkervaring opdoen. "
                "Coach helpt met cv, vertalingen en het vinden van werk."
            ),
        },
        domains={
            "participatie": (
                "Zoekt werk; ervaring als zelfstandig winkelier. Geen Nederlandse werkervaring.",
                "Wil later weer een eigen bedrijf. Eerst werken om het Nederlands en de Nederlandse manier van "
                "werken te leren.",
                "Cv opstellen en vertalen; sollicitatiebegeleiding; informatie over ondernemen in Nederland "
                "(regels, Kamer van Koophandel, de 'papierwinkel').",
            ),
            "communicatie_taal": (
                "Spreekt nog weinig Nederlands; leest en schrijft Arabisch goed.",
                "Wil sneller leren, maar heeft weinig tijd door het gezin.",
                "Lesrooster afstemmen op werk; later taalcoaching op de werkvloer.",
            ),
            "onderwijs": (
                "Middelbare school in Syrië afgerond; geen vervolgopleiding.",
                "Geen behoefte aan een lange opleiding.",
                "Eventueel een korte cursus ondernemerschap of boekhouden.",
            ),
            "sociaal_netwerk": (
                "Kent veel Syrische gezinnen in de wijk en is actief in de moskee. Weinig Nederlandse contacten.",
                "",
                "Kennismaken met een ondernemer met een migratieachtergrond als rolmodel.",
            ),
            "financien": (
                "Bijstandsuitkering voor het gezin. Eenmaal een terugvordering van toeslagen gehad.",
                "Is bang dat het geld niet klopt als hij gaat werken.",
                "Uitleg over wat er met uitkering en toeslagen gebeurt bij werk; budgetgesprek.",
            ),
            "kennis_nl": (
                "KNM gehaald. Arbeidscontracten (proeftijd, verlenging, vakantiegeld) zijn nog onbekend.",
                "",
                "Uitleg arbeidsvoorwaarden door de begeleider van Werkkracht.",
            ),
            "huisvesting": ("Eengezinswoning met drie slaapkamers; ruim genoeg voor het gezin.", "", ""),
            "huiselijke_relaties": (
                "Getrouwd, drie kinderen van 6, 9 en 13 jaar. Zijn vrouw volgt ook een inburgeringstraject.",
                "",
                "",
            ),
            "opvoeding_kinderopvang": (
                "Kinderen gaan naar de basisschool en de middelbare school; de oudste heeft moeite met huiswerk.",
                "Wil zijn kinderen beter kunnen helpen met school.",
                "Huiswerkbegeleiding voor de oudste via school of buurthuis.",
            ),
            "geestelijke_gezondheid": ("Geen bijzonderheden genoemd.", "", ""),
            "lichamelijke_gezondheid": (
                "Af en toe rugklachten; loopt bij de huisarts.",
                "Wil niet dat een werkgever denkt dat hij niet kan werken.",
                "Met zijn toestemming bespreken of zwaar tilwerk beperkt kan worden.",
            ),
            "dagelijks_leven": ("Zelfredzaam; fietst overal naartoe.", "", ""),
        },
        actions=[
            (
                "Cv opstellen en vertalen",
                "",
                "participatie",
                "reintegratie",
                "begeleider",
                -400,
                ActionStatus.AFGEROND,
                410,
            ),
            (
                "Driegesprek met werkgever over verlenging en meer uren",
                "Contract van 7 maanden loopt af; bespreken of verlenging en uitbreiding naar 32 uur mogelijk is.",
                "participatie",
                "reintegratie",
                "begeleider",
                -6,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Informatiebijeenkomst starten als ondernemer bezoeken",
                "Via het ondernemersloket van de gemeente.",
                "participatie",
                "gemeente",
                "regisseur",
                40,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Budgetgesprek: gevolgen van het contract voor uitkering en toeslagen",
                "",
                "financien",
                "maatschappelijk",
                "maatschappelijk",
                14,
                ActionStatus.BEZIG,
                None,
            ),
        ],
        changes=[
            (690, "regisseur", "barrier_status", "niet_gevraagd", "wel"),
            (690, "regisseur", "barrier:schulden", "", "ja"),
            (200, "regisseur", "barrier:lichamelijke_gezondheid", "", "ja"),
            (680, "regisseur", "phase", "intake", "traject"),
            (150, "regisseur", "phase", "traject", "nazorg"),
        ],
    ),
    # 4. "Werken aan een plan B"
    Case(
        fields={
            "name": "Nabil Mansour",
            "preferred_name": "Nabil",
            "date_of_birth": date(1988, 1, 9),
            "gender": "man",
            "country_of_origin": "SY",
            "languages": ["ar", "en"],
            "interpreter_needed": "nee",
            "street": "Havenkade 41",
            "city": "Rivierstad",
            "email": "nabil.mansour@voorbeeld.example",
            "migration_status": "asielstatushouder",
            "integration_obliged": "ja",
            "learning_route": "b1",
            "has_partner": "nee",
            "children_count": 1,
            "childcare_needed": "nee",
            "availability": ["ma_o", "ma_m", "di_o", "di_m", "wo_o", "wo_m", "do_o", "do_m", "vr_o"],
            "barrier_status": "wel",
            "benefit": "ja",
            "education_level": "hoger",
            "education_field": "Rechten (bachelor en master)",
            "diploma_valuation": "gewaardeerd",
            "diploma_valuation_result": "Drie jaar hbo (rechten)",
            "digital_skills": "goed",
            "dream_job": "Jurist",
            "plan_b": "Elektricien via een BBL-opleiding",
            "sector_interests": ["F", "D", "M"],
            "phase": "traject",
        },
        regisseur="regisseur2",
        settled_days_ago=4 * 365,
        memberships=[
            ("taal", LegalBasis.WETTELIJKE_TAAK, TAAL_PURPOSE, 470, False),
            ("maatschappelijk", LegalBasis.WETTELIJKE_TAAK, MAATSCHAPPELIJK_PURPOSE, 480, False),
        ],
        assessments=[
            (
                480,
                LanguageTestSource.INTAKE,
                "Inschatting brede intake",
                "regisseur2",
                "gemeente",
                _levels("A2", "A2", "A2", "A2"),
            ),
            (
                300,
                LanguageTestSource.TOETS,
                "Voortgangstoets Taalcentrum",
                "taaldocent",
                "taal",
                _levels("A2", "A2", "B1", "A2"),
            ),
            (
                120,
                LanguageTestSource.EXAMEN,
                "Inburgeringsexamen B1",
                "taaldocent",
                "taal",
                _levels("B1", "B1", "B1", "B1"),
            ),
            (
                15,
                LanguageTestSource.TOETS,
                "Proefexamen Staatsexamen NT2 II",
                "taaldocent",
                "taal",
                _levels("B1", "B1", "B2", "B1"),
            ),
        ],
        barriers=[("zorgtaken", "Alleenstaande vader; zoon (12) is na school alleen thuis.")],
        work=[
            ("Advocaat", 15, "SY", "Civiel recht en familierecht"),
            ("Rechter", 1, "SY", ""),
        ],
        intake={
            "days_ago": 480,
            "home_visit": False,
            "location": "Stadskantoor Rivierstad",
            "interpreter": False,
            "co": "bruggenbouwer",
            "summary": (
                "Hoogopgeleide jurist die zijn beroep in Nederland niet kan voortzetten. Werkt aan een "
                "realistisch plan B: elektricien via een BBL-opleiding, met een werkgever die de "
                "opleiding wil betalen. Eerst het B2-examen halen."
            ),
        },
        domains={
            "participatie": (
                "Geen betaald werk. Solliciteert bij een installatiebedrijf naar een BBL-plek als elektricien; "
                "de werkgever wil de opleiding betalen en biedt uitzicht op een vast contract.",
                "Advocaat worden in Nederland is niet realistisch; ICT viel af vanwege het Engels. Elektricien "
                "is zijn plan B, en daar heeft hij zin in.",
                "Gesprekstraining voor het sollicitatiegesprek; afspraken met werkgever en mbo vastleggen; "
                "loonkostensubsidie en no-riskpolis uitzoeken.",
            ),
            "communicatie_taal": (
                "Spreekt en schrijft goed Nederlands; lezen gaat het best. Doet binnenkort het B2-examen.",
                "Wil het examen halen voordat de BBL-opleiding begint.",
                "Examentraining schrijven.",
            ),
            "onderwijs": (
                "Bachelor en master rechten in Syrië; vijftien jaar advocaat en een jaar rechter. Diploma's "
                "gewaardeerd als drie jaar hbo.",
                "Jammer dat zijn opleiding hier weinig waard is, maar hij accepteert het.",
                "Intake mbo Elektrotechniek (BBL) plannen.",
            ),
            "sociaal_netwerk": (
                "Goed netwerk in de Syrische gemeenschap; helpt landgenoten met brieven. Heeft contact met een "
                "Nederlandse buurman.",
                "",
                "",
            ),
            "financien": (
                "Bijstandsuitkering, geen schulden. Met een BBL-contract verandert het inkomen.",
                "",
                "Uitleg over de overgang van uitkering naar loon (inkomstenverrekening, toeslagen).",
            ),
            "kennis_nl": ("KNM en ONA afgerond; bereidt het staatsexamen B2 voor.", "", ""),
            "huisvesting": ("Tweekamerwoning; zijn zoon heeft een eigen kamer.", "", ""),
            "huiselijke_relaties": ("Woont samen met zijn zoon van twaalf.", "", ""),
            "opvoeding_kinderopvang": (
                "Zoon zit in de brugklas en is na school alleen thuis tot Nabil terug is.",
                "Bij een fulltime baan wil hij niet dat zijn zoon te lang alleen is.",
                "Sportclub of activiteiten na school voor zijn zoon uitzoeken.",
            ),
            "geestelijke_gezondheid": ("Geen bijzonderheden; noemt zichzelf vastberaden.", "", ""),
            "lichamelijke_gezondheid": ("Gezond; geen beperkingen voor installatiewerk.", "", ""),
            "dagelijks_leven": ("Volledig zelfredzaam; zijn rijbewijs wordt omgewisseld.", "", ""),
        },
        actions=[
            (
                "Aanmelden Staatsexamen NT2 programma II",
                "",
                "communicatie_taal",
                "taal",
                "taaldocent",
                -30,
                ActionStatus.AFGEROND,
                35,
            ),
            (
                "Sollicitatiegesprek BBL-plek voorbereiden",
                "Gesprekstraining: vragen van de werkgever oefenen.",
                "communicatie_taal",
                "maatschappelijk",
                "bruggenbouwer",
                7,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Intake mbo Elektrotechniek (BBL) plannen",
                "",
                "onderwijs",
                "gemeente",
                "regisseur2",
                25,
                ActionStatus.OPEN,
                None,
            ),
            (
                "Activiteit na school voor zoon uitzoeken",
                "",
                "opvoeding_kinderopvang",
                "maatschappelijk",
                "maatschappelijk",
                30,
                ActionStatus.OPEN,
                None,
            ),
        ],
        changes=[
            (470, "regisseur2", "barrier_status", "niet_gevraagd", "wel"),
            (470, "regisseur2", "barrier:zorgtaken", "", "ja"),
            (460, "regisseur2", "phase", "intake", "traject"),
            (300, "regisseur2", "diploma_valuation", "aangevraagd", "gewaardeerd"),
            (300, "regisseur2", "diploma_valuation_result", "", "Drie jaar hbo (rechten)"),
        ],
    ),
]

CASE_NAMES = [c.fields["name"] for c in CASES]

# --- Loading -------------------------------------------------------------------------------------------


class Loader:
    def __init__(self):
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.created: dict[str, int] = {}
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self._password_hash: str | None = None
        self._verified_hashes: set[str] = set()

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def days_ago(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def at(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    # organisations and staff

    def organisations(self) -> None:
        for spec in ORGANISATIONS:
            org, created = Organisation.objects.get_or_create(
                name=spec.name, defaults={"kind": spec.kind, "municipality": spec.municipality, "email": spec.email}
            )
            self.orgs[spec.key] = org
            if created:
                self.count("organisaties")

    def _password_ok(self, user: User) -> bool:
        if user.password in self._verified_hashes:
            return True
        if user.check_password(DEMO_PASSWORD):
            self._verified_hashes.add(user.password)
            return True
        return False

    def _hash(self) -> str:
        # One argon2 hash shared by all demo accounts: hashing is slow on purpose, the password is the same.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
            self._verified_hashes.add(self._password_hash)
        return self._password_hash

    def staff(self) -> None:
        for spec in STAFF:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                user = User.objects.create(
                    username=spec.username,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    email=f"{spec.username}@demo.koers.example",
                    organisation=self.orgs[spec.org] if spec.org else None,
                    password=self._hash(),
                    is_superuser=spec.superuser,
                    is_staff=spec.superuser,
                )
                self.count("medewerkers")
            elif not self._password_ok(user):
                # The demo logins must work: restore the demo password when it was changed.
                user.password = self._hash()
                user.save(update_fields=["password"])
                self.count("wachtwoorden hersteld")
            for role in spec.roles:
                _, created = UserRole.objects.get_or_create(user=user, role=role)
                if created:
                    self.count("rollen")
            self.users[spec.username] = user

    # participants

    def _find(self, org: Organisation, name: str, dob: date) -> Participant | None:
        return Participant.objects.filter(regie_organisation=org, name=name, date_of_birth=dob).first()

    def _membership(self, participant, org_key, basis, purpose, days_ago, special=False, ended_days_ago=None):
        org = self.orgs[org_key]
        added_by = participant.regisseur
        scope = set(access.DEFAULT_SCOPE[org.kind])
        if special:
            scope.add(Category.SPECIAL)
        start = self.days_ago(days_ago)
        Membership.objects.create(
            participant=participant,
            organisation=org,
            legal_basis=basis,
            scope=Membership.scope_value(scope),
            purpose=purpose,
            consent_date=start if basis == LegalBasis.TOESTEMMING else None,
            valid_from=start,
            added_by=added_by,
            ended_at=self.at(ended_days_ago) if ended_days_ago else None,
            ended_by=added_by if ended_days_ago else None,
            end_reason="Taallessen afgerond" if ended_days_ago else "",
        )
        self.count("betrokkenheden")

    def _change(self, participant, days_ago, username, field_name, old, new):
        user = self.users[username]
        if field_name.startswith("barrier:"):
            code = field_name.split(":", 1)[1]
            label = f"belemmering {dict(Barrier.choices)[code].lower()}"
            category = Category.SPECIAL if code in SPECIAL_BARRIERS else Category.TRAJECTORY
            old_value, new_value = old, new
        else:
            model_field = Participant._meta.get_field(field_name)
            label = str(model_field.verbose_name)
            category = FIELD_CATEGORY.get(field_name, Category.TRAJECTORY)
            choices = dict(model_field.flatchoices) if model_field.choices else {}
            old_value, new_value = str(choices.get(old, old)), str(choices.get(new, new))
        ParticipantChange.objects.create(
            participant=participant,
            at=self.at(days_ago),
            user=user,
            organisation=user.organisation,
            field=field_name,
            field_label=label,
            category=category,
            old_value=old_value,
            new_value=new_value,
        )
        self.count("wijzigingen")

    def case(self, case: Case) -> None:
        org = self.orgs["gemeente"]
        f = case.fields
        if self._find(org, f["name"], f["date_of_birth"]):
            return
        current = {f"level_{skill}": level for skill, level in case.assessments[-1][5].items()}
        participant = Participant.objects.create(
            regie_organisation=org,
            regisseur=self.users[case.regisseur],
            settled_on=self.days_ago(case.settled_days_ago),
            **current,
            **f,
        )
        self.count("deelnemers")
        for org_key, basis, purpose, days, special in case.memberships:
            self._membership(participant, org_key, basis, purpose, days, special)
        for code, note in case.barriers:
            ParticipantBarrier.objects.create(participant=participant, code=code, note=note)
            self.count("belemmeringen")
        for occupation, years, country, description in case.work:
            WorkExperience.objects.create(
                participant=participant, occupation=occupation, years=years, country=country, description=description
            )
            self.count("werkervaring")

        # Language levels: the history of assessments, and a change row per level that moved.
        previous = dict.fromkeys(("spreken", "luisteren", "lezen", "schrijven"), "onbekend")
        for days, source, instrument, username, org_key, levels in case.assessments:
            for skill, level in levels.items():
                LanguageAssessment.objects.create(
                    participant=participant,
                    skill=skill,
                    level=level,
                    tested_on=self.days_ago(days),
                    source=source,
                    instrument=instrument,
                    recorded_by=self.users[username],
                    organisation=self.orgs[org_key],
                )
                self.count("taalniveaus")
                if level != previous[skill]:
                    self._change(participant, days, username, f"level_{skill}", previous[skill], level)
                previous[skill] = level
        for days, username, field_name, old, new in case.changes:
            self._change(participant, days, username, field_name, old, new)

        # The brede intake, completed, with notes on every life domain.
        spec = case.intake
        intake = Intake.objects.create(
            participant=participant,
            organisation=org,
            conducted_by=participant.regisseur,
            co_interviewer=self.users[spec["co"]],
            held_on=self.days_ago(spec["days_ago"]),
            home_visit=spec["home_visit"],
            location=spec["location"],
            interpreter_present=spec["interpreter"],
            status=IntakeStatus.AFGEROND,
            current_step="afronden",
            summary=spec["summary"],
            completed_at=self.at(spec["days_ago"] - 7),
            completed_by=participant.regisseur,
        )
        Intake.objects.filter(pk=intake.pk).update(started_at=self.at(spec["days_ago"]))
        self.count("intakes")
        for domain, notes in case.domains.items():
            IntakeDomain.objects.create(intake=intake, domain=domain, **dict(zip(DOMAIN_NOTES, notes, strict=True)))
            self.count("leefdomeinen")
        for title, description, domain, org_key, assignee, due, status, done_ago in case.actions:
            ActionItem.objects.create(
                participant=participant,
                title=title,
                description=description,
                domain=domain,
                owner_organisation=self.orgs[org_key],
                assignee=self.users[assignee],
                due_date=self.today + timedelta(days=due),
                status=status,
                source_intake=intake,
                created_by=participant.regisseur,
                created_at=self.at(spec["days_ago"] - 7),
                completed_at=self.at(done_ago) if done_ago is not None else None,
            )
            self.count("actiepunten")

    def drawn(self, person, org_key: str, regisseur: str, partners: list) -> None:
        org = self.orgs[org_key]
        name, dob = person.key
        if self._find(org, name, dob):
            return
        participant = Participant.objects.create(
            regie_organisation=org, regisseur=self.users[regisseur], city=org.municipality, **person.fields
        )
        self.count("deelnemers")
        taal = False
        for org_key_partner, basis, purpose, days, special, ended in partners:
            self._membership(participant, org_key_partner, basis, purpose, days, special, ended)
            taal = taal or (org_key_partner == "taal" and not ended)
        for code, note in person.barriers:
            ParticipantBarrier.objects.create(participant=participant, code=code, note=note)
            self.count("belemmeringen")
        for occupation, years, country in person.work:
            WorkExperience.objects.create(participant=participant, occupation=occupation, years=years, country=country)
            self.count("werkervaring")
        for skill, level, days_ago, source in person.assessments:
            LanguageAssessment.objects.create(
                participant=participant,
                skill=skill,
                level=level,
                tested_on=min(REFERENCE_DATE, self.today) - timedelta(days=days_ago),
                source=source if taal else LanguageTestSource.INTAKE,
                instrument="Voortgangstoets Taalcentrum" if taal else "Inschatting brede intake",
                recorded_by=self.users["taaldocent" if taal else regisseur],
                organisation=self.orgs["taal" if taal else org_key],
            )
            self.count("taalniveaus")


def draw_caseload(rng: random.Random, count: int, taken: set) -> list:
    people = []
    while len(people) < count:
        person = draw_person(rng)
        if person.key in taken:
            continue
        taken.add(person.key)
        people.append(person)
    return people


def draw_partners(rng: random.Random, phase: str) -> list[tuple]:
    """Partner memberships of a drawn participant: a third at the language provider, some elsewhere."""
    partners = []
    if phase == "aanmelding":
        return partners
    if rng.random() < 0.45:
        ended = rng.randint(10, 90) if rng.random() < 0.1 else None
        partners.append(("taal", LegalBasis.WETTELIJKE_TAAK, TAAL_PURPOSE, rng.randint(100, 700), False, ended))
    if rng.random() < 0.2:
        partners.append(
            ("reintegratie", LegalBasis.WETTELIJKE_TAAK, REINTEGRATIE_PURPOSE, rng.randint(30, 500), False, None)
        )
    if rng.random() < 0.25:
        partners.append(
            ("maatschappelijk", LegalBasis.WETTELIJKE_TAAK, MAATSCHAPPELIJK_PURPOSE, rng.randint(60, 900), False, None)
        )
    if rng.random() < 0.06:
        partners.append(
            ("sociaal", LegalBasis.TOESTEMMING, SOCIAAL_PURPOSE, rng.randint(30, 300), rng.random() < 0.5, None)
        )
    return partners
