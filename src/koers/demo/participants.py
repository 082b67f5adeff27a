"""The demo participants: the four case journeys and a drawn caseload in two municipalities.

The four case journeys (Nahom, Heba, Ammar, Nabil) follow the anonymised journeys in the research on guidance of
refugees towards work: each with memberships of the partners, language assessments, barriers, work experience, a
completed brede intake with notes on every life domain, its action items and the history of changes. The rest of
the caseload is drawn with a fixed seed from the distributions in ``koers.synthetic.population``: the same people
every time. All people and places are fictional.

Every file agrees with its phase and starts at its registration ("in Koers sinds", ``created_at``), as if the
municipality had worked with Koers all along (``Registration``): a participant in *aanmelding* registered a week
or two ago and has no intake yet; one in *intake* registered a few weeks ago and its brede intake is under way;
anyone further along registered well before every record of the file (memberships, assessments, and what the
later parts write: activities, plans, contacts, placements, trajectories) and completed the brede intake three
weeks later. The case journeys registered a week before their intake.

Idempotent: a participant is looked up by name and date of birth within the regie organisation and only created
(with its history, in the same transaction) when absent, so running ``koers demo`` twice changes nothing.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from koers.casework.models import ActionItem, Contact
from koers.core.codes import ActionStatus, ContactKind, LanguageTestSource, LegalBasis, Phase
from koers.core.models import Organisation
from koers.demo.world import MAATSCHAPPELIJK_PURPOSE, REINTEGRATIE_PURPOSE, SOCIAAL_PURPOSE, TAAL_PURPOSE, Loader
from koers.participants.models import (
    Household,
    Intake,
    IntakeDomain,
    IntakeStatus,
    LanguageAssessment,
    Participant,
    ParticipantBarrier,
    WorkExperience,
)
from koers.synthetic.population import draw_person

#: Fixed seed of the drawn caseload; picked so that these few dozen people resemble the pilot figures.
DEMO_SEED = 2203
EXTRA_PARTICIPANTS = 60
OTHER_MUNICIPALITY_PARTICIPANTS = 5
#: A case journey registered this many days before its brede intake.
CASE_REGISTERED_BEFORE_INTAKE = 7
#: A drawn participant past the intake registered at least this many days ago (plus up to 240), before anything
#: the later parts date back: activities start at most 56 weeks ago, trajectories and closures about 13 months.
REGISTERED_AT_LEAST = 420
#: The summary of a drawn participant's completed brede intake (their files are shorter than the case journeys').
DRAWN_INTAKE_SUMMARY = (
    "Brede intake afgerond in drie gesprekken. Afgesproken: de leerroute, taalles en de eerste stappen naar werk of "
    "meedoen; de actiepunten staan in het dossier."
)

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
            "phase": "nazorg",
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
                "Gemotiveerde, hoogopgeleide deelnemer met een technische achtergrond. Wil zo snel mogelijk een "
                "eigen inkomen, ook als het werk eerst niet in de elektrotechniek is. Afspraak: eerst "
                "werkervaring opdoen, Nederlands blijven oefenen naast het werk, VCA halen en daarna "
                "doorgroeien naar elektromonteur."
            ),
        },
        domains={
            "participatie": (
                "Nog geen werk in Nederland. Wil graag het werkvoorbereidingstraject van Stichting Nieuw Thuis "
                "volgen.",
                "Wil snel een eigen inkomen, ook met werk dat 'niet mijn passie' is. Op termijn terug naar de "
                "techniek: elektromonteur worden.",
                "Werkvoorbereiding en een eerste baan, bijvoorbeeld in de productie; later werkervaring in de "
                "elektrotechniek en het VCA-diploma; contact met installatiebedrijven via de accountmanager.",
            ),
            "communicatie_taal": (
                "Een jaar taalles gevolgd. Spreekt en verstaat een beetje Nederlands, schrijven gaat nog "
                "moeizaam.",
                "Wil blijven oefenen, ook als hij straks werkt.",
                "Taalles bij het Taalcentrum; later avondles of taalcoaching naast het werk; een taalmaatje.",
            ),
            "onderwijs": (
                "Bachelor Electrical Engineering in Eritrea; werkte vier jaar als natuurkundedocent. Het diploma "
                "is nog niet gewaardeerd.",
                "Wil zijn vakkennis niet kwijtraken. Een Nederlands diploma zou deuren openen.",
                "Diplomawaardering aanvragen; later onderzoeken of een BBL-opleiding elektromonteur naast het "
                "werk haalbaar is.",
            ),
            "sociaal_netwerk": (
                "Woont alleen. Contact met een paar landgenoten en de kerkgemeenschap; weinig Nederlandse "
                "contacten buiten de coach.",
                "Zou graag Nederlandse collega's of iemand uit de techniek leren kennen.",
                "Koppelen aan een buddy, bijvoorbeeld een gepensioneerde elektricien.",
            ),
            "financien": (
                "Bijstandsuitkering. Stuurt elke maand geld naar familie.",
                "Wil zo snel mogelijk van de uitkering af; krap, maar geen schulden.",
                "Uitleg over wat werk betekent voor de uitkering en de toeslagen.",
            ),
            "kennis_nl": (
                "KNM-examen gehaald; ONA volgt in het werkvoorbereidingstraject.",
                "Begrijpt de regels; de Nederlandse werkcultuur (direct zijn, zelf initiatief nemen) is nog wennen.",
                "",
            ),
            "huisvesting": ("Eenkamerwoning in Rivierstad-Noord, op fietsafstand van het centrum.", "Tevreden.", ""),
            "huiselijke_relaties": (
                "Ongehuwd. Ouders en twee zussen wonen in Eritrea, een broer in Duitsland.",
                "Hoopt zijn familie ooit te kunnen bezoeken.",
                "",
            ),
            "opvoeding_kinderopvang": ("Geen kinderen; niet van toepassing.", "", ""),
            "geestelijke_gezondheid": ("Geen bijzonderheden genoemd.", "", ""),
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
                "Aanmelden voor het werkvoorbereidingstraject van Stichting Nieuw Thuis",
                "",
                "participatie",
                "gemeente",
                "regisseur",
                -380,
                ActionStatus.AFGEROND,
                370,
            ),
        ],
        # The job since 75 days (``placements``) moved the phase to nazorg; the benefit ended with the first wage.
        changes=[
            (520, "regisseur", "phase", "intake", "traject"),
            (75, "regisseur", "phase", "traject", "nazorg"),
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
                "economie studeren. Aandachtspunten: veel zorgtaken thuis, stress en heimwee. Afspraak: "
                "onderwijsroute, taalles, vrijwilligerswerk om Nederlands te oefenen, extra peuteropvang "
                "regelen en oriënteren op een schakeljaar of hbo."
            ),
        },
        domains={
            "participatie": (
                "Nog geen werk of vrijwilligerswerk in Nederland; zorgt thuis voor haar zoontje.",
                "Wil eerst studeren; werk naast de studie is goed als het bij economie past.",
                "Vrijwilligerswerk om Nederlands te oefenen, bijvoorbeeld in een winkel; later een bijbaan in de "
                "administratie.",
            ),
            "communicatie_taal": (
                "Begint met taalles en leert snel. Spreken gaat het best; schrijven kost meer moeite.",
                "Wil het B2-examen (Staatsexamen NT2 programma II) halen om te kunnen studeren.",
                "Taalles bij het Taalcentrum; later voorbereiding op het Staatsexamen, met extra oefenen met "
                "schrijven.",
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
            "kennis_nl": ("KNM en ONA moeten nog.", "", ""),
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
                "Informatiebijeenkomst starten als ondernemer bezoeken",
                "Via het ondernemersloket van de gemeente.",
                "participatie",
                "gemeente",
                "regisseur",
                40,
                ActionStatus.OPEN,
                None,
            ),
        ],
        changes=[
            (690, "regisseur", "barrier_status", "niet_gevraagd", "wel"),
            (690, "regisseur", "barrier:schulden", "", "ja"),
            (200, "regisseur", "barrier:lichamelijke_gezondheid", "", "ja"),
            (680, "regisseur", "phase", "intake", "traject"),
            (250, "regisseur", "phase", "traject", "nazorg"),
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
                "Hoogopgeleide jurist die zijn beroep in Nederland niet kan voortzetten. Wil werken aan een "
                "realistisch plan B, het liefst in de techniek via een BBL-opleiding bij een werkgever. Eerst "
                "het B2-examen halen."
            ),
        },
        domains={
            "participatie": (
                "Geen betaald werk. Zoekt een beroep met perspectief nu advocaat worden in Nederland niet "
                "kan.",
                "Advocaat worden in Nederland is niet realistisch; ICT viel af vanwege het Engels. Denkt aan "
                "elektricien als plan B.",
                "Oriëntatie op de techniek en op een BBL-opleiding bij een werkgever; later gesprekstraining; "
                "loonkostensubsidie en no-riskpolis uitzoeken.",
            ),
            "communicatie_taal": (
                "Spreekt en schrijft redelijk Nederlands; lezen gaat het best. Wil door naar B2.",
                "Wil het B2-examen halen voordat hij aan een opleiding begint.",
                "Taalles op B1-niveau; later examentraining, vooral schrijven.",
            ),
            "onderwijs": (
                "Bachelor en master rechten in Syrië; vijftien jaar advocaat en een jaar rechter. De waardering "
                "van zijn diploma's is aangevraagd.",
                "Verwacht dat zijn opleiding hier weinig waard is, maar hij accepteert het.",
                "Uitzoeken welke mbo-opleiding (BBL) bij een plan B past.",
            ),
            "sociaal_netwerk": (
                "Goed netwerk in de Syrische gemeenschap; helpt landgenoten met brieven. Heeft contact met een "
                "Nederlandse buurman.",
                "",
                "",
            ),
            "financien": (
                "Bijstandsuitkering, geen schulden.",
                "",
                "Uitleg over de overgang van uitkering naar loon (inkomstenverrekening, toeslagen).",
            ),
            "kennis_nl": ("KNM afgerond; ONA volgt nog.", "", ""),
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

#: Heba's husband (issue 12, "one family, one plan"): he came later as a nareiziger and has just been registered,
#: with the same regisseur; the two are linked as one household, so Heba's page shows his trajectory next to
#: hers. Created after every other part of the demo (``load_household``), so he changes none of their choices.
HEBA_PARTNER = {
    "name": "Rami Suleiman",
    "preferred_name": "Rami",
    "date_of_birth": date(1999, 9, 14),
    "gender": "man",
    "country_of_origin": "SY",
    "languages": ["ar"],
    "interpreter_needed": "ja",
    "street": "Molenstraat 22b",
    "city": "Rivierstad",
    "migration_status": "asielstatushouder",
    "integration_obliged": "ja",
    "has_partner": "ja",
    "children_count": 1,
    "phase": "aanmelding",
}


# --- Loading -------------------------------------------------------------------------------------------


def _find(org: Organisation, name: str, dob: date) -> Participant | None:
    return Participant.objects.filter(regie_organisation=org, name=name, date_of_birth=dob).first()


def _case(loader: Loader, case: Case) -> None:
    org = loader.orgs["gemeente"]
    f = case.fields
    if _find(org, f["name"], f["date_of_birth"]):
        return
    current = {f"level_{skill}": level for skill, level in case.assessments[-1][5].items()}
    participant = Participant.objects.create(
        regie_organisation=org,
        regisseur=loader.users[case.regisseur],
        settled_on=loader.days_ago(case.settled_days_ago),
        **current,
        **f,
    )
    loader.count("deelnemers")
    for org_key, basis, purpose, days, special in case.memberships:
        loader.membership(participant, org_key, basis, purpose, days, special)
    for code, note in case.barriers:
        ParticipantBarrier.objects.create(participant=participant, code=code, note=note)
        loader.count("belemmeringen")
    for occupation, years, country, description in case.work:
        WorkExperience.objects.create(
            participant=participant, occupation=occupation, years=years, country=country, description=description
        )
        loader.count("werkervaring")

    # Language levels: the history of assessments, and a change row per level that moved.
    previous = dict.fromkeys(("spreken", "luisteren", "lezen", "schrijven"), "onbekend")
    for days, source, instrument, username, org_key, levels in case.assessments:
        for skill, level in levels.items():
            LanguageAssessment.objects.create(
                participant=participant,
                skill=skill,
                level=level,
                tested_on=loader.days_ago(days),
                source=source,
                instrument=instrument,
                recorded_by=loader.users[username],
                organisation=loader.orgs[org_key],
            )
            loader.count("taalniveaus")
            if level != previous[skill]:
                loader.change(participant, days, username, f"level_{skill}", previous[skill], level)
            previous[skill] = level
    for days, username, field_name, old, new in case.changes:
        loader.change(participant, days, username, field_name, old, new)

    # The brede intake, completed, with notes on every life domain.
    spec = case.intake
    intake = Intake.objects.create(
        participant=participant,
        organisation=org,
        conducted_by=participant.regisseur,
        co_interviewer=loader.users[spec["co"]],
        held_on=loader.days_ago(spec["days_ago"]),
        home_visit=spec["home_visit"],
        location=spec["location"],
        interpreter_present=spec["interpreter"],
        status=IntakeStatus.AFGEROND,
        current_step="afronden",
        summary=spec["summary"],
        completed_at=loader.at(spec["days_ago"] - 7),
        completed_by=participant.regisseur,
    )
    Intake.objects.filter(pk=intake.pk).update(started_at=loader.at(spec["days_ago"]))
    loader.count("intakes")
    Participant.objects.filter(pk=participant.pk).update(
        created_at=loader.at(spec["days_ago"] + CASE_REGISTERED_BEFORE_INTAKE)
    )
    for domain, notes in case.domains.items():
        IntakeDomain.objects.create(intake=intake, domain=domain, **dict(zip(DOMAIN_NOTES, notes, strict=True)))
        loader.count("leefdomeinen")
    for title, description, domain, org_key, assignee, due, status, done_ago in case.actions:
        ActionItem.objects.create(
            participant=participant,
            title=title,
            description=description,
            domain=domain,
            owner_organisation=loader.orgs[org_key],
            assignee=loader.users[assignee],
            due_date=loader.today + timedelta(days=due),
            status=status,
            source_intake=intake,
            created_by=participant.regisseur,
            created_at=loader.at(spec["days_ago"] - 7),
            completed_at=loader.at(done_ago) if done_ago is not None else None,
        )
        loader.count("actiepunten")


@dataclass(frozen=True)
class Registration:
    """When a drawn participant came into Koers, in days ago: registered ("in Koers sinds"), the start of the brede
    intake (its first conversation; None in aanmelding) and its completion (None while it is under way)."""

    registered: int
    intake: int | None
    completed: int | None


def registration(person, partners: list) -> Registration:
    """The registration of a drawn participant, from its phase and the records drawn for it (fixed per person: a
    hash of name and date of birth, not the shared generator, so the draws stay the same)."""
    h = zlib.crc32(f"{person.fields['name']}|{person.fields['date_of_birth'].isoformat()}".encode())
    phase = person.fields["phase"]
    if phase == Phase.AANMELDING:
        return Registration(7 + h % 7, None, None)
    if phase == Phase.INTAKE:
        held = 1 + h % 6
        return Registration(held + 14 + (h // 7) % 10, held, None)
    earliest = max([days for _key, _basis, _purpose, days, _special, _ended in partners]
                   + [days for *_rest, days, _source in person.assessments] + [0])
    registered = max(earliest + 21 + h % 30, REGISTERED_AT_LEAST + (h // 7) % 240)
    return Registration(registered, registered - 7, registered - 21 - (h // 11) % 10)


def _drawn(loader: Loader, person, org_key: str, regisseur: str, partners: list) -> None:
    org = loader.orgs[org_key]
    name, dob = person.key
    if _find(org, name, dob):
        return
    reg = registration(person, partners)
    fields = dict(person.fields)
    settled_limit = loader.days_ago(reg.registered + 14)
    if fields.get("settled_on") and fields["settled_on"] > settled_limit:
        fields["settled_on"] = settled_limit  # settled in the municipality (at least) two weeks before registering
    participant = Participant.objects.create(
        regie_organisation=org, regisseur=loader.users[regisseur], city=org.municipality, **fields
    )
    Participant.objects.filter(pk=participant.pk).update(created_at=loader.at(reg.registered))
    loader.count("deelnemers")
    taal = False
    for org_key_partner, basis, purpose, days, special, ended in partners:
        days = min(days, reg.registered)  # a partner is involved from the registration on, not before
        if ended and ended >= days:
            ended = days // 2
        loader.membership(participant, org_key_partner, basis, purpose, days, special, ended)
        taal = taal or (org_key_partner == "taal" and not ended)
    for code, note in person.barriers:
        ParticipantBarrier.objects.create(participant=participant, code=code, note=note)
        loader.count("belemmeringen")
    for occupation, years, country in person.work:
        WorkExperience.objects.create(participant=participant, occupation=occupation, years=years, country=country)
        loader.count("werkervaring")
    # The earlier estimate no earlier than the registration, the latest test no earlier than the intake.
    latest = reg.intake if reg.intake is not None else reg.registered
    for skill, level, days_ago, source in person.assessments:
        days = min(days_ago, reg.registered if source == LanguageTestSource.INTAKE else latest)
        LanguageAssessment.objects.create(
            participant=participant,
            skill=skill,
            level=level,
            tested_on=loader.days_ago(days),
            source=source if taal else LanguageTestSource.INTAKE,
            instrument="Voortgangstoets Taalcentrum" if taal else "Inschatting brede intake",
            recorded_by=loader.users["taaldocent" if taal else regisseur],
            organisation=loader.orgs["taal" if taal else org_key],
        )
        loader.count("taalniveaus")
    _drawn_intake(loader, participant, reg)


def _drawn_intake(loader: Loader, participant: Participant, reg: Registration) -> None:
    """The brede intake of a drawn participant: under way in phase intake, completed further along."""
    if reg.intake is None:
        return
    done = reg.completed is not None
    intake = Intake.objects.create(
        participant=participant,
        organisation=participant.regie_organisation,
        conducted_by=participant.regisseur,
        held_on=loader.days_ago(reg.intake),
        location="Stadskantoor",
        status=IntakeStatus.AFGEROND if done else IntakeStatus.CONCEPT,
        current_step="afronden" if done else "huishouden",
        summary=DRAWN_INTAKE_SUMMARY if done else "",
        completed_at=loader.at(reg.completed) if done else None,
        completed_by=participant.regisseur if done else None,
    )
    Intake.objects.filter(pk=intake.pk).update(started_at=loader.at(reg.intake))
    loader.count("intakes")


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


def load(loader: Loader) -> None:
    """The four case journeys, then the drawn caseload: most at Gemeente Rivierstad (shared by the two
    regisseurs), a few at Gemeente Heuvelrand (the other municipality, which sees none of the others)."""
    for case in CASES:
        _case(loader, case)
    rng = random.Random(DEMO_SEED)
    taken = {(c.fields["name"], c.fields["date_of_birth"]) for c in CASES}
    for i, person in enumerate(draw_caseload(rng, EXTRA_PARTICIPANTS, taken)):
        partners = draw_partners(rng, person.fields["phase"])
        _drawn(loader, person, "gemeente", "regisseur" if i % 2 == 0 else "regisseur2", partners)
    for person in draw_caseload(rng, OTHER_MUNICIPALITY_PARTICIPANTS, taken):
        _drawn(loader, person, "heuvelrand", "heuvelrand", [])


def load_household(loader: Loader) -> None:
    """Heba and her husband as one household (``HEBA_PARTNER``); idempotent. Seeding writes no audit records."""
    org = loader.orgs["gemeente"]
    heba = Participant.objects.filter(regie_organisation=org, name="Heba Khatib").first()
    if heba is None:
        return
    rami = _find(org, HEBA_PARTNER["name"], HEBA_PARTNER["date_of_birth"])
    if rami is None:
        rami = Participant.objects.create(regie_organisation=org, regisseur=heba.regisseur,
                                          settled_on=loader.days_ago(90), **HEBA_PARTNER)
        Participant.objects.filter(pk=rami.pk).update(created_at=loader.at(10))
        loader.count("deelnemers")
    if not rami.contacts.exists():
        # His registration call; it also keeps the contacts part from drawing a history for him on a second run.
        contact = Contact.objects.create(
            participant=rami, kind=ContactKind.TELEFOON, happened_at=loader.at(10), duration_minutes=20,
            organisation=org, interpreter_present=True, recorded_by=heba.regisseur,
            summary="Aanmelding: Rami is via gezinshereniging bij Heba in Rivierstad komen wonen.",
            agreements="Brede intake samen met een tolk; Heba is erbij als Rami dat wil.",
        )
        contact.staff.set([heba.regisseur])
        loader.count("contactmomenten")
    if heba.household_id is None or heba.household_id != rami.household_id:
        household = heba.household or Household.objects.create(regie_organisation=org, created_by=heba.regisseur)
        Participant.objects.filter(pk__in=[heba.pk, rami.pk]).update(household=household)
        loader.count("huishoudens")
