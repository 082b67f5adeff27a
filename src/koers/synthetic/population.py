"""A reproducible synthetic population of fictional participants (``koers generate``, benchmarks, demo).

The distributions follow the figures of the pilots duale trajecten (docs/glossary.md and the research the
product is based on): mostly men, ages 18–67 and mostly 25–45, mostly from Syria and Eritrea, many at
language level A0–A1 at the start, about half with at least one recorded barrier (problems in the personal
sphere and mental health the most frequent), a part where barriers were not asked and a part with none.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, and dates are relative to a fixed
reference date, so the same seed gives the same people on any machine and any day. The names are invented
combinations of common first names and surnames per country of origin; they are fictional people.

``draw_person`` is shared with the demo data (``koers.demo.participants``); ``generate`` writes a population
of any size with bulk inserts in batches, fast enough for 100,000 participants in well under two minutes
on SQLite.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from koers.core import access
from koers.core.codes import (
    DAGDELEN,
    Barrier,
    BarrierStatus,
    Category,
    LanguageSkill,
    LanguageTestSource,
    LegalBasis,
    OrganisationKind,
    Role,
)
from koers.core.models import Organisation, User, UserRole
from koers.participants.models import LanguageAssessment, Membership, Participant, ParticipantBarrier
from koers.participants.validators import normalise_name

#: All dates of the generated population are relative to this day (reproducible whatever today is).
REFERENCE_DATE = date(2026, 9, 1)
BATCH_SIZE = 5000
#: Participants per regisseur (caseload) in a generated municipality.
CASELOAD = 150
GEN_PREFIX = "Gen-"


class Weighted:
    """A fixed weighted choice, with the cumulative weights computed once (fast repeated draws)."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.values = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cum, rng.random() * self.total)]


# --- Names per country of origin (invented combinations; fictional people) ------------------------------


@dataclass(frozen=True)
class Origin:
    country: str
    men: tuple[str, ...]
    women: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: Weighted
    family_migrant_share: float = 0.1


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


ORIGINS: dict[str, Origin] = {
    o.country: o
    for o in [
        Origin(
            "SY",
            _names(
                "Ahmad, Mohammed, Khaled, Omar, Yousef, Mahmoud, Ibrahim, Hassan, Ali, Mustafa, Samer, Fadi, "
                "Rami, Bassel, Tarek, Ziad, Walid, Majd, Firas, Hussam, Anas, Jamal, Louay, Nizar"
            ),
            _names(
                "Fatima, Rania, Lina, Hala, Rasha, Nour, Dima, Amal, Maha, Yasmin, Reem, Salma, Aya, Ghada, "
                "Lama, Rima, Suha, Alaa"
            ),
            _names(
                "Al-Hamoud, Alhassan, Kassem, Othman, Suleiman, Khalil, Al-Ali, Hamdan, Jaber, Nasser, "
                "Sabbagh, Qassab, Rahal, Zein, Shami, Halabi, Abboud, Mardini, Haj Omar, Al-Saleh, Kurdi, "
                "Tahhan, Barakat, Issa"
            ),
            Weighted([(["ar"], 85), (["kmr", "ar"], 15)]),
        ),
        Origin(
            "ER",
            _names(
                "Tesfay, Yonas, Filmon, Mehari, Semere, Biniam, Dawit, Kibrom, Robel, Habtom, Merhawi, "
                "Samuel, Aron, Tekle, Yohannes, Efrem, Ghirmay, Mussie"
            ),
            _names(
                "Senait, Helen, Selam, Rahwa, Luwam, Saba, Winta, Hiwet, Eden, Mebrat, Feven, Yordanos, Semhar, Ruta"
            ),
            _names(
                "Tesfamariam, Gebremedhin, Haile, Kidane, Tekle, Berhane, Woldu, Ghebreyesus, Habte, Mehari, "
                "Asmerom, Andemariam, Negash, Zerai, Okbay, Yemane, Fitsum, Tsegay"
            ),
            Weighted([(["ti"], 90), (["tig", "ti"], 10)]),
            family_migrant_share=0.2,
        ),
        Origin(
            "AF",
            _names("Farid, Javed, Nasir, Rahim, Hamid, Sohrab, Wahid, Bashir, Matin, Karim, Jawad, Mansoor"),
            _names("Fariba, Mariam, Zahra, Shabnam, Parwana, Laila, Nilofar, Freshta, Sima, Roya"),
            _names("Ahmadi, Rahimi, Hakimi, Noori, Sadat, Karimi, Mohammadi, Hashimi, Popal, Amiri, Haidari"),
            Weighted([(["prs"], 60), (["ps"], 40)]),
        ),
        Origin(
            "TR",
            _names("Mehmet, Mustafa, Emre, Murat, Hakan, Serkan, Kemal, Burak, Ahmet, Yusuf"),
            _names("Ayşe, Fatma, Elif, Zeynep, Emine, Merve, Derya, Hatice"),
            _names("Yılmaz, Kaya, Demir, Şahin, Çelik, Aydın, Öztürk, Arslan, Doğan, Koç"),
            Weighted([(["tr"], 80), (["kmr", "tr"], 20)]),
            family_migrant_share=0.5,
        ),
        Origin(
            "IR",
            _names("Reza, Hossein, Mehdi, Amir, Saeed, Behzad, Dariush, Kaveh, Payam"),
            _names("Maryam, Shirin, Leila, Nasrin, Parisa, Mina, Azadeh, Nazanin"),
            _names("Hosseini, Moradi, Rezaei, Jafari, Tehrani, Sadeghi, Ebrahimi, Ghasemi, Rostami"),
            Weighted([(["fa"], 100)]),
        ),
        Origin(
            "SO",
            _names("Abdi, Mohamed, Abdirahman, Ahmed, Liban, Mahad, Abdullahi, Farah"),
            _names("Hodan, Asha, Fadumo, Sahra, Amina, Ifrah, Ubah, Hamdi"),
            _names("Warsame, Farah, Jama, Osman, Hirsi, Nur, Dahir, Egal, Abdi"),
            Weighted([(["so"], 100)]),
        ),
        Origin(
            "IQ",
            _names("Haider, Mustafa, Hussein, Karrar, Saif, Zaid, Ahmed, Qasim"),
            _names("Zainab, Noor, Maryam, Sara, Hawraa, Rusul, Shahad"),
            _names("Al-Jubouri, Al-Tamimi, Al-Obaidi, Al-Rubaie, Kareem, Jassim, Hameed, Al-Musawi"),
            Weighted([(["ar"], 70), (["ckb", "ar"], 30)]),
        ),
        Origin(
            "YE",
            _names("Abdullah, Waleed, Fuad, Saleh, Hamza, Adel"),
            _names("Afrah, Bushra, Huda, Arwa"),
            _names("Al-Hakimi, Al-Sanani, Saleh, Al-Eryani, Bamatraf"),
            Weighted([(["ar"], 100)]),
        ),
        Origin(
            "ET",
            _names("Abebe, Dereje, Getachew, Bereket, Yared, Solomon"),
            _names("Tigist, Meron, Hanna, Bethlehem, Almaz"),
            _names("Bekele, Tadesse, Mengistu, Alemu, Girma, Wolde"),
            Weighted([(["am"], 80), (["om", "am"], 20)]),
        ),
        Origin(
            "SD",
            _names("Osman, Khalid, Omer, Mohanad, Babiker, Elfatih"),
            _names("Sawsan, Enas, Mawahib, Hind"),
            _names("Elnour, Babiker, Abdelrahman, Elamin, Musa"),
            Weighted([(["ar"], 100)]),
        ),
        Origin(
            "MA",
            _names("Youssef, Hamza, Nordin, Bilal, Soufian, Mohamed"),
            _names("Khadija, Naima, Samira, Loubna, Fatiha"),
            _names("El Idrissi, Bouzid, Benali, El Amrani, Ouali, Azzouzi"),
            Weighted([(["ar"], 100)]),
            family_migrant_share=0.9,
        ),
    ]
}

COUNTRY = Weighted(
    [
        ("SY", 40),
        ("ER", 25),
        ("AF", 7),
        ("TR", 7),
        ("IR", 5),
        ("SO", 4),
        ("IQ", 4),
        ("YE", 2),
        ("ET", 2),
        ("SD", 2),
        ("MA", 2),
    ]
)
GENDER = Weighted([("man", 64), ("vrouw", 34), ("anders", 0.5), ("onbekend", 1.5)])
#: Age bands (inclusive); most participants are 25–45.
AGE_BAND = Weighted([((18, 24), 18), ((25, 45), 67), ((46, 55), 10), ((56, 67), 5)])
EDUCATION = Weighted(
    [("geen", 14), ("primair", 24), ("voortgezet", 25), ("beroeps", 16), ("hoger", 15), ("onbekend", 6)]
)
#: The overall language level at the start (index into LEVELS, or None for unknown); many A0–A1.
LEVELS = ["A0", "A1", "A2", "B1", "B2"]
BASE_LEVEL = Weighted([(0, 28), (1, 34), (2, 20), (3, 11), (4, 4), (None, 3)])
SPOKEN_SHIFT = Weighted([(-1, 15), (0, 60), (1, 25)])
WRITTEN_SHIFT = Weighted([(-1, 35), (0, 55), (1, 10)])
PHASE = Weighted([("aanmelding", 8), ("intake", 14), ("traject", 56), ("nazorg", 11), ("afgesloten", 11)])
BARRIER_STATUS = Weighted([("wel", 50), ("geen", 30), ("niet_gevraagd", 20)])
BARRIER = Weighted(
    [
        (Barrier.PERSOONLIJKE_SFEER, 24),
        (Barrier.PSYCHISCHE_GEZONDHEID, 20),
        (Barrier.ZORGTAKEN, 10),
        (Barrier.KINDEROPVANG, 8),
        (Barrier.SCHULDEN, 8),
        (Barrier.LICHAMELIJKE_GEZONDHEID, 8),
        (Barrier.TRAUMA, 5),
        (Barrier.HUISVESTING, 5),
        (Barrier.DIGITAAL, 6),
        (Barrier.VERVOER, 4),
        (Barrier.VERSLAVING, 1),
        (Barrier.OVERIG, 3),
    ]
)
BARRIER_COUNT = Weighted([(1, 55), (2, 32), (3, 13)])
BARRIER_NOTES = {
    Barrier.PERSOONLIJKE_SFEER: [
        "Zorgen om familie in het land van herkomst",
        "Gezinshereniging loopt nog",
        "Scheiding; woont sinds kort alleen",
        "",
    ],
    Barrier.PSYCHISCHE_GEZONDHEID: ["Slaapproblemen en stress", "Somberheid; bekend bij huisarts", ""],
    Barrier.ZORGTAKEN: ["Zorgt voor jonge kinderen", "Mantelzorg voor een ziek familielid", ""],
    Barrier.KINDEROPVANG: ["Wachtlijst kinderopvang", "Geen kinderopvangtoeslag aangevraagd", ""],
    Barrier.SCHULDEN: ["Achterstand huur en energie", "Terugbetaling toeslagen", ""],
    Barrier.LICHAMELIJKE_GEZONDHEID: ["Rugklachten, kan niet zwaar tillen", "Chronische pijn", ""],
    Barrier.HUISVESTING: ["Woont tijdelijk bij familie", "Woning te klein voor het gezin", ""],
    Barrier.DIGITAAL: ["Heeft geen laptop", "Kan niet inloggen met DigiD", ""],
    Barrier.VERVOER: ["Geen fiets, bus duur", "Woont in een kern zonder goed openbaar vervoer", ""],
}
ROUTE_LOW = Weighted([("z", 45), ("b1", 35), ("geen", 10), ("onbekend", 10)])
ROUTE = Weighted([("b1", 64), ("onderwijs", 2), ("z", 8), ("geen", 12), ("onbekend", 5)])
ROUTE_STUDY = Weighted([("b1", 64), ("onderwijs", 14), ("z", 8), ("geen", 12), ("onbekend", 5)])
DIGITAL = Weighted([("onbekend", 15), ("geen", 10), ("basis", 40), ("redelijk", 25), ("goed", 10)])
YES_NO = Weighted([("ja", 50), ("nee", 35), ("onbekend", 15)])
BENEFIT = Weighted([("ja", 76), ("nee", 14), ("onbekend", 10)])
#: Work wishes: (droombaan, plan B, SBI sections).
WISHES = [
    ("Elektricien", "Productiemedewerker", ["F", "C"]),
    ("Verpleegkundige", "Helpende zorg en welzijn", ["Q"]),
    ("Vrachtwagenchauffeur", "Magazijnmedewerker", ["H"]),
    ("Kok", "Keukenhulp", ["I"]),
    ("Eigen kapsalon", "Kapper in loondienst", ["S"]),
    ("Leraar", "Onderwijsassistent", ["P"]),
    ("Softwareontwikkelaar", "Servicedeskmedewerker", ["J"]),
    ("Boekhouder", "Administratief medewerker", ["K", "M"]),
    ("Automonteur", "Bandenmonteur", ["G"]),
    ("Hovenier", "Medewerker groenonderhoud", ["A", "N"]),
    ("Eigen winkel", "Verkoopmedewerker", ["G"]),
    ("Lasser", "Metaalbewerker", ["C"]),
    ("Eigen schoonmaakbedrijf", "Schoonmaker", ["N"]),
    ("Tolk", "Bruggenbouwer", ["Q", "O"]),
    ("Pedagogisch medewerker kinderopvang", "Overblijfmedewerker", ["P", "Q"]),
    ("Timmerman", "Medewerker bouwplaats", ["F"]),
    ("Apothekersassistent", "Medewerker drogisterij", ["G", "Q"]),
    ("Buschauffeur", "Bezorger", ["H"]),
]
FIELDS = {
    "beroeps": [
        "Elektrotechniek",
        "Autotechniek",
        "Kleermaker",
        "Kapper",
        "Lassen",
        "Verpleegkunde (mbo)",
        "Landbouw",
        "Timmeren",
    ],
    "hoger": [
        "Economie",
        "Rechten",
        "Bouwkunde",
        "Elektrotechniek",
        "Onderwijs",
        "Informatica",
        "Farmacie",
        "Engelse letterkunde",
    ],
}
VALUATION = {
    "beroeps": Weighted(
        [
            (("gewaardeerd", "mbo-niveau 2"), 20),
            (("gewaardeerd", "mbo-niveau 3"), 15),
            (("aangevraagd", ""), 20),
            (("niet_aangevraagd", ""), 35),
            (("niet_mogelijk", ""), 10),
        ]
    ),
    "hoger": Weighted(
        [
            (("gewaardeerd", "hbo-bachelor"), 25),
            (("gewaardeerd", "drie jaar hbo"), 15),
            (("gewaardeerd", "mbo-niveau 4"), 10),
            (("aangevraagd", ""), 25),
            (("niet_aangevraagd", ""), 20),
            (("niet_mogelijk", ""), 5),
        ]
    ),
}
OCCUPATIONS = [
    "Bouwvakker",
    "Kleermaker",
    "Boer",
    "Winkelier",
    "Kapper",
    "Chauffeur",
    "Kok",
    "Monteur",
    "Leraar",
    "Verpleegkundige",
    "Boekhouder",
    "Schoonmaker",
    "Lasser",
    "Timmerman",
    "Verkoper",
]
WEEKDAY_DAGDELEN = [
    code for code, _ in DAGDELEN if code[:2] in ("ma", "di", "wo", "do", "vr") and code[-1] in ("o", "m")
]
SKILLS = [s.value for s in LanguageSkill]


@dataclass
class Person:
    """One drawn participant: field values, barriers, language-assessment history and work history."""

    fields: dict
    barriers: list[tuple[str, str]] = field(default_factory=list)
    #: (skill, level, days before the reference date, source)
    assessments: list[tuple[str, str, int, str]] = field(default_factory=list)
    #: (occupation, years, country)
    work: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, date]:
        return self.fields["name"], self.fields["date_of_birth"]


def draw_person(rng: random.Random, ref: date = REFERENCE_DATE) -> Person:
    """Draw one fictional participant. The order of draws is part of the reproducibility: keep it stable."""
    country = COUNTRY(rng)
    origin = ORIGINS[country]
    gender = GENDER(rng)
    first_names = origin.women if gender == "vrouw" else origin.men
    if gender in ("anders", "onbekend"):
        first_names = origin.men + origin.women
    name = f"{rng.choice(first_names)} {rng.choice(origin.surnames)}"
    low, high = AGE_BAND(rng)
    age = rng.randint(low, high)
    dob = ref - timedelta(days=age * 365 + rng.randint(0, 364))
    family_migrant = rng.random() < origin.family_migrant_share
    roll = rng.random()
    status = (
        "gezinsmigrant"
        if family_migrant
        else ("asielstatushouder" if roll < 0.95 else ("overig" if roll < 0.98 else "onbekend"))
    )
    education = EDUCATION(rng)
    phase = PHASE(rng)

    base = BASE_LEVEL(rng)
    if phase == "aanmelding" and rng.random() < 0.5:
        base = None
    levels: dict[str, str] = {}
    for skill in SKILLS:
        if base is None:
            levels[skill] = "onbekend"
            continue
        shift = (SPOKEN_SHIFT if skill in ("spreken", "luisteren") else WRITTEN_SHIFT)(rng)
        if education == "geen" and skill in ("lezen", "schrijven"):
            shift = min(shift, 0)
        levels[skill] = LEVELS[max(0, min(len(LEVELS) - 1, base + shift))]

    if base == 0:
        route = ROUTE_LOW(rng)
    else:
        route = (ROUTE_STUDY if education in ("voortgezet", "hoger") and age < 35 else ROUTE)(rng)
    if status == "gezinsmigrant" and rng.random() < 0.3:
        route = "geen"

    has_partner = YES_NO(rng)
    children = None if rng.random() < 0.1 else rng.choices([0, 1, 2, 3, 4, 5], [30, 20, 22, 15, 8, 5])[0]
    if children and gender == "vrouw":
        childcare = "ja" if rng.random() < 0.55 else "nee"
    elif children:
        childcare = "ja" if rng.random() < 0.15 else "nee"
    else:
        childcare = "nee" if children == 0 else "onbekend"
    if rng.random() < 0.15:
        availability = None
    else:
        count = rng.randint(3, len(WEEKDAY_DAGDELEN))
        chosen = set(rng.sample(WEEKDAY_DAGDELEN, count))
        if rng.random() < 0.1:
            chosen.add(rng.choice(["ma_a", "di_a", "wo_a", "do_a", "za_o"]))
        availability = [code for code, _ in DAGDELEN if code in chosen]

    barrier_status = BARRIER_STATUS(rng)
    barriers: list[tuple[str, str]] = []
    if barrier_status == BarrierStatus.WEL:
        codes: list[str] = []
        if education == "geen" and levels["lezen"] == "A0" and rng.random() < 0.6:
            codes.append(Barrier.ANALFABETISME)
        for _ in range(BARRIER_COUNT(rng)):
            code = BARRIER(rng)
            if code not in codes:
                codes.append(code)
        barriers = [(c, rng.choice(BARRIER_NOTES.get(c, [""]))) for c in codes]

    if education in FIELDS:
        education_field = rng.choice(FIELDS[education])
        valuation, valuation_result = VALUATION[education](rng)
    else:
        education_field, valuation_result = "", ""
        valuation = "onbekend" if education == "onbekend" else "niet_aangevraagd"

    if rng.random() < 0.2:
        dream_job, plan_b, sectors = "", "", []
    else:
        dream_job, plan_b, sectors = rng.choice(WISHES)
        if rng.random() < 0.35:
            plan_b = ""
    work = []
    if rng.random() < 0.7:
        work.append((rng.choice(OCCUPATIONS), rng.randint(1, max(1, min(20, age - 17))), country))
    settled_on = ref - timedelta(days=rng.randint(30, 6 * 365))

    assessments: list[tuple[str, str, int, str]] = []
    if base is not None and phase != "aanmelding" and rng.random() < 0.3:
        recent = rng.randint(10, 200)
        for skill in SKILLS:
            assessments.append((skill, levels[skill], recent, LanguageTestSource.TOETS))
        if rng.random() < 0.5:
            earlier = recent + rng.randint(120, 400)
            for skill in SKILLS:
                idx = LEVELS.index(levels[skill])
                assessments.append((skill, LEVELS[max(0, idx - 1)], earlier, LanguageTestSource.INTAKE))

    fields = {
        "name": name,
        "date_of_birth": dob,
        "gender": gender,
        "country_of_origin": country,
        "languages": list(origin.languages(rng)),
        "interpreter_needed": "ja" if base in (None, 0) and rng.random() < 0.6 else YES_NO(rng),
        "migration_status": status,
        "integration_obliged": "nee" if route == "geen" and rng.random() < 0.5 else "ja",
        "learning_route": route,
        "settled_on": settled_on,
        "has_partner": has_partner,
        "children_count": children,
        "childcare_needed": childcare,
        "availability": availability,
        "barrier_status": barrier_status,
        "benefit": "nee" if status == "gezinsmigrant" and rng.random() < 0.7 else BENEFIT(rng),
        "education_level": education,
        "education_field": education_field,
        "diploma_valuation": valuation,
        "diploma_valuation_result": valuation_result,
        "level_spreken": levels["spreken"],
        "level_luisteren": levels["luisteren"],
        "level_lezen": levels["lezen"],
        "level_schrijven": levels["schrijven"],
        "digital_skills": DIGITAL(rng),
        "dream_job": dream_job,
        "plan_b": plan_b,
        "sector_interests": list(sectors),
        "phase": phase,
    }
    return Person(fields=fields, barriers=barriers, assessments=assessments, work=work)


# --- The generator -------------------------------------------------------------------------------------

#: Partner kinds, the role of their staff, and the chance that a participant has a membership with one.
PARTNER_KINDS = [
    (OrganisationKind.TAALAANBIEDER, "taalaanbieder", Role.TAALDOCENT, 0.70),
    (OrganisationKind.REINTEGRATIE, "re-integratie", Role.BEGELEIDER, 0.35),
    (OrganisationKind.MAATSCHAPPELIJK, "maatschappelijk", Role.BRUGGENBOUWER, 0.35),
    (OrganisationKind.SOCIAAL_ONDERNEMER, "sociaal-ondernemer", Role.JOBCOACH, 0.10),
]


@dataclass
class Summary:
    participants: int = 0
    organisations: int = 0
    staff: int = 0
    memberships: int = 0
    barriers: int = 0
    assessments: int = 0
    seconds: float = 0.0
    biggest_municipality: str = ""
    municipalities: list[tuple[str, int]] = field(default_factory=list)

    def lines(self) -> list[str]:
        rate = self.participants / self.seconds if self.seconds else 0
        return [
            f"Deelnemers:          {self.participants:>9,}".replace(",", "."),
            f"Organisaties:        {self.organisations:>9,}".replace(",", "."),
            f"Medewerkers:         {self.staff:>9,}".replace(",", "."),
            f"Betrokkenheden:      {self.memberships:>9,}".replace(",", "."),
            f"Belemmeringen:       {self.barriers:>9,}".replace(",", "."),
            f"Taalniveaus:         {self.assessments:>9,}".replace(",", "."),
            f"Grootste gemeente:   {self.biggest_municipality}",
            f"Duur:                {self.seconds:9.1f} s ({rate:,.0f} deelnemers/s)".replace(",", "."),
        ]


class PopulationExists(Exception):
    pass


def default_municipalities(participants: int) -> int:
    return max(2, min(40, round(participants / 5000)))


def _municipality_weights(k: int) -> list[float]:
    """Zipf-like sizes: one big city, a few middle-sized, many small municipalities."""
    return [1 / (i + 1) ** 0.8 for i in range(k)]


def existing_population() -> int:
    return Participant.objects.filter(regie_organisation__name__startswith=f"{GEN_PREFIX}gemeente ").count()


def _chunks(seq: Sequence, size: int):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _prepare(field: models.Field, now: datetime) -> Callable:
    """A function giving the database value of ``field`` for a model instance, decided once per field."""
    ops = connection.ops
    attname = field.attname
    if isinstance(field, models.DateTimeField):
        if field.auto_now or field.auto_now_add:
            fixed = ops.adapt_datetimefield_value(now)
            return lambda obj: fixed
        return lambda obj: ops.adapt_datetimefield_value(getattr(obj, attname))
    if isinstance(field, models.DateField):
        if field.auto_now or field.auto_now_add:
            fixed = ops.adapt_datefield_value(timezone.localdate(now))
            return lambda obj: fixed
        return lambda obj: ops.adapt_datefield_value(getattr(obj, attname))
    if isinstance(field, (models.CharField, models.TextField)):
        return lambda obj: None if (v := getattr(obj, attname)) is None else str(v)
    if isinstance(field, (models.ForeignKey, models.IntegerField, models.BooleanField)):
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert model instances in batches with ``executemany``; the primary keys are not set on the objects.

    Like ``bulk_create`` (the instances carry the model's defaults; no ``save()``, no signals), but the values
    are converted by one function per field instead of compiling SQL per value: several times faster for
    hundreds of thousands of rows. Portable (SQLite, PostgreSQL): parameters go through Django's cursor.
    """
    if not objs:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    preps = [_prepare(f, now) for f in fields]
    quote = connection.ops.quote_name
    # Only identifiers from the model's own metadata go into the statement; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        for batch in _chunks(objs, BATCH_SIZE):
            cursor.executemany(sql, [tuple(prep(obj) for prep in preps) for obj in batch])


def generate(
    participants: int,
    seed: int,
    municipalities: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Write a synthetic population. Refuses when a generated population is already present."""
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    if existing_population():
        raise PopulationExists("Er staat al een gegenereerde populatie in deze database. Gebruik een lege database.")
    rng = random.Random(seed)
    k = municipalities or default_municipalities(participants)
    partners_per_kind = max(1, math.ceil(k / 4))

    # Everything is drawn before anything is written: the draws do not depend on the database.
    weights = _municipality_weights(k)
    muni_of = rng.choices(range(k), weights=weights, k=participants)
    muni_sizes = [0] * k
    for m in muni_of:
        muni_sizes[m] += 1
    people = [draw_person(rng) for _ in range(participants)]
    say(f"{participants:,} deelnemers getrokken ({time.perf_counter() - started:.1f} s)".replace(",", "."))

    summary = Summary()
    with transaction.atomic():
        # Organisations
        munis = [
            Organisation(
                name=f"{GEN_PREFIX}gemeente {i + 1}",
                kind=OrganisationKind.GEMEENTE,
                municipality=f"Gen-gemeente {i + 1}",
            )
            for i in range(k)
        ]
        partners: dict[str, list[Organisation]] = {}
        for kind, label, _role, _p in PARTNER_KINDS:
            partners[kind] = [
                Organisation(name=f"{GEN_PREFIX}{label} {j + 1}", kind=kind, municipality="regio")
                for j in range(partners_per_kind)
            ]
        all_orgs = munis + [o for orgs in partners.values() for o in orgs]
        Organisation.objects.bulk_create(all_orgs)
        summary.organisations = len(all_orgs)

        # Staff: regisseurs per municipality (caseload ~150), two case workers per partner, no usable password.
        unusable = make_password(None)
        staff: list[User] = []
        roles: list[tuple[int, str]] = []
        regisseurs_of: list[list[User]] = []
        for i, org in enumerate(munis):
            count = max(1, math.ceil(muni_sizes[i] / CASELOAD))
            users = [
                User(
                    username=f"gen-g{i + 1}-regisseur-{n + 1}",
                    first_name="Regisseur",
                    last_name=f"{n + 1} Gen-gemeente {i + 1}",
                    organisation=org,
                    password=unusable,
                )
                for n in range(count)
            ]
            regisseurs_of.append(users)
            staff.extend(users)
            roles.extend((len(staff) - count + n, Role.REGISSEUR) for n in range(count))
        for kind, label, role, _p in PARTNER_KINDS:
            for j, org in enumerate(partners[kind]):
                for n in range(2):
                    staff.append(
                        User(
                            username=f"gen-{label}{j + 1}-{role}-{n + 1}",
                            first_name=role.label.split()[0],
                            last_name=f"{n + 1} {org.name}",
                            organisation=org,
                            password=unusable,
                        )
                    )
                    roles.append((len(staff) - 1, role))
        for batch in _chunks(staff, BATCH_SIZE):
            User.objects.bulk_create(batch)
        UserRole.objects.bulk_create([UserRole(user=staff[i], role=r) for i, r in roles], batch_size=BATCH_SIZE)
        summary.staff = len(staff)
        say(f"{len(all_orgs)} organisaties en {len(staff):,} medewerkers aangemaakt".replace(",", "."))

        # Participants (regisseur: consecutive participants of a municipality share one, ~150 each)
        seen_in_muni = [0] * k
        for start in range(0, participants, BATCH_SIZE):
            batch = []
            for idx in range(start, min(start + BATCH_SIZE, participants)):
                m = muni_of[idx]
                person = people[idx]
                n = seen_in_muni[m]
                seen_in_muni[m] += 1
                regisseur = regisseurs_of[m][min(n // CASELOAD, len(regisseurs_of[m]) - 1)]
                if person.fields["phase"] == "aanmelding" and n % 3 == 0:
                    regisseur = None
                batch.append(
                    Participant(
                        regie_organisation=munis[m],
                        regisseur=regisseur,
                        name_search=normalise_name(person.fields["name"]),
                        city=munis[m].municipality,
                        **person.fields,
                    )
                )
            bulk_insert(Participant, batch)
            say(f"  deelnemers {min(start + BATCH_SIZE, participants):>9,}/{participants:,}".replace(",", "."))
        # Inserted in one transaction into a database without a generated population: the ids of the new
        # rows ascend in insertion order (SQLite rowids, PostgreSQL sequence), so they pair up with ``people``.
        ids = list(Participant.objects.filter(regie_organisation__in=munis).order_by("id").values_list("id", flat=True))
        assert len(ids) == participants, "onverwacht aantal gegenereerde deelnemers"
        summary.participants = len(ids)

        # Memberships (~1.5 per participant), barriers, language assessments
        ref_dt = datetime.combine(REFERENCE_DATE, datetime.min.time(), tzinfo=UTC)
        memberships: list[Membership] = []
        barrier_rows: list[ParticipantBarrier] = []
        assessment_rows: list[LanguageAssessment] = []
        counts = {"m": 0, "b": 0, "a": 0}

        def flush(force: bool = False) -> None:
            for rows, model, key in (
                (memberships, Membership, "m"),
                (barrier_rows, ParticipantBarrier, "b"),
                (assessment_rows, LanguageAssessment, "a"),
            ):
                if rows and (force or len(rows) >= BATCH_SIZE):
                    bulk_insert(model, rows)
                    counts[key] += len(rows)
                    rows.clear()

        scopes = {
            (kind, special): Membership.scope_value(
                access.DEFAULT_SCOPE[kind] | ({Category.SPECIAL} if special else set())
            )
            for kind, *_rest in PARTNER_KINDS
            for special in (False, True)
        }
        for idx, pid in enumerate(ids):
            m = muni_of[idx]
            person = people[idx]
            added_by = regisseurs_of[m][0]
            taal_org = None
            for kind, _label, _role, chance in PARTNER_KINDS:
                if rng.random() >= chance:
                    continue
                org = partners[kind][m % partners_per_kind]
                if kind == OrganisationKind.TAALAANBIEDER:
                    taal_org = org
                consent = kind == OrganisationKind.SOCIAAL_ONDERNEMER
                scope = scopes[kind, consent and rng.random() < 0.3]
                valid_from = REFERENCE_DATE - timedelta(days=rng.randint(0, 700))
                ended = rng.random() < 0.05
                memberships.append(
                    Membership(
                        participant_id=pid,
                        organisation=org,
                        legal_basis=LegalBasis.TOESTEMMING if consent else LegalBasis.WETTELIJKE_TAAK,
                        scope=scope,
                        consent_date=valid_from if consent else None,
                        valid_from=valid_from,
                        added_by=added_by,
                        ended_at=ref_dt - timedelta(days=rng.randint(1, 60)) if ended else None,
                        ended_by=added_by if ended else None,
                        end_reason="Onderdeel afgerond" if ended else "",
                    )
                )
            for code, note in person.barriers:
                barrier_rows.append(ParticipantBarrier(participant_id=pid, code=code, note=note))
            for skill, level, days_ago, source in person.assessments:
                org = taal_org or munis[m]
                assessment_rows.append(
                    LanguageAssessment(
                        participant_id=pid,
                        skill=skill,
                        level=level,
                        tested_on=REFERENCE_DATE - timedelta(days=days_ago),
                        source=source if taal_org else LanguageTestSource.INTAKE,
                        instrument="Taaltoets" if taal_org else "Inschatting intake",
                        recorded_by=added_by,
                        organisation=org,
                    )
                )
            flush()
            if (idx + 1) % 20000 == 0:
                done = f"{idx + 1:>9,}/{participants:,}".replace(",", ".")
                say(f"  betrokkenheden, belemmeringen en taalniveaus {done}")
        flush(force=True)
        summary.memberships, summary.barriers, summary.assessments = counts["m"], counts["b"], counts["a"]

    summary.municipalities = sorted(((munis[i].name, muni_sizes[i]) for i in range(k)), key=lambda x: -x[1])
    summary.biggest_municipality = f"{summary.municipalities[0][0]} ({summary.municipalities[0][1]:,})".replace(
        ",", "."
    )
    summary.seconds = time.perf_counter() - started
    return summary


def fingerprint() -> str:
    """A hash over the generated population's content (not its database ids): equal seeds, equal prints."""
    h = hashlib.sha256()
    base = Participant.objects.filter(regie_organisation__name__startswith=GEN_PREFIX)
    rows = base.values_list(
        "regie_organisation__name",
        "regisseur__username",
        "name",
        "date_of_birth",
        "gender",
        "country_of_origin",
        "languages",
        "migration_status",
        "learning_route",
        "phase",
        "barrier_status",
        "level_spreken",
        "level_luisteren",
        "level_lezen",
        "level_schrijven",
        "education_level",
        "availability",
        "sector_interests",
        "settled_on",
    )
    for row in sorted(map(repr, rows)):
        h.update(row.encode())
    memberships = Membership.objects.filter(participant__in=base).values_list(
        "participant__name",
        "participant__date_of_birth",
        "organisation__name",
        "legal_basis",
        "scope",
        "valid_from",
        "ended_at",
    )
    for row in sorted(map(repr, memberships)):
        h.update(row.encode())
    barriers = ParticipantBarrier.objects.filter(participant__in=base).values_list(
        "participant__name", "participant__date_of_birth", "code", "note"
    )
    for row in sorted(map(repr, barriers)):
        h.update(row.encode())
    assessments = LanguageAssessment.objects.filter(participant__in=base).values_list(
        "participant__name", "participant__date_of_birth", "skill", "level", "tested_on", "source"
    )
    for row in sorted(map(repr, assessments)):
        h.update(row.encode())
    return h.hexdigest()
