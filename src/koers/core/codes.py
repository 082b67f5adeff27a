"""Code lists shared by every part of Koers (docs/glossary.md).

The codes are what Koers stores and exchanges (import, export, API); keep them stable. The Dutch labels are
what users see. Every optional characteristic has an explicit "unknown" value, distinct from "none".
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.db import models


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    TAALAANBIEDER = "taalaanbieder", "Taalaanbieder"
    REINTEGRATIE = "re_integratiebedrijf", "Re-integratiebedrijf"
    MAATSCHAPPELIJK = "maatschappelijke_organisatie", "Maatschappelijke organisatie"
    SOCIAAL_ONDERNEMER = "sociaal_ondernemer", "Sociaal ondernemer"
    WERKGEVER = "werkgever", "Werkgever"
    ONDERWIJS = "onderwijsinstelling", "Onderwijsinstelling"
    OVERIG = "overig", "Overig"


class Role(models.TextChoices):
    REGISSEUR = "regisseur", "Regisseur (klantmanager)"
    BEGELEIDER = "begeleider", "Begeleider / coach"
    BRUGGENBOUWER = "bruggenbouwer", "Bruggenbouwer"
    TAALDOCENT = "taaldocent", "Taaldocent"
    JOBCOACH = "jobcoach", "Jobcoach"
    ACCOUNTMANAGER = "accountmanager", "Accountmanager"
    PROJECTLEIDER = "projectleider", "Projectleider"
    BEHEERDER = "beheerder", "Functioneel beheerder"
    ONDERZOEKER = "onderzoeker", "Onderzoeker"


class Category(models.TextChoices):
    """Data categories of a participant's file (ARCHITECTURE.md, docs/privacy.md)."""

    IDENTITY = "identiteit", "Identiteit en contact"
    TRAJECTORY = "traject", "Traject"
    LANGUAGE = "taal_opleiding", "Taal en opleiding"
    WORK = "werk", "Werk"
    INCOME = "inkomen", "Inkomen en uitkering"
    SPECIAL = "bijzonder", "Bijzondere persoonsgegevens (gezondheid)"


class YesNoUnknown(models.TextChoices):
    ONBEKEND = "onbekend", "Onbekend / niet gevraagd"
    JA = "ja", "Ja"
    NEE = "nee", "Nee"


class Gender(models.TextChoices):
    MAN = "man", "Man"
    VROUW = "vrouw", "Vrouw"
    ANDERS = "anders", "Anders"
    ONBEKEND = "onbekend", "Onbekend"


class MigrationStatus(models.TextChoices):
    ASIELSTATUSHOUDER = "asielstatushouder", "Asielstatushouder"
    GEZINSMIGRANT = "gezinsmigrant", "Gezinsmigrant"
    OVERIG = "overig", "Overig"
    ONBEKEND = "onbekend", "Onbekend"


class LearningRoute(models.TextChoices):
    B1 = "b1", "B1-route"
    ONDERWIJS = "onderwijs", "Onderwijsroute"
    Z = "z", "Z-route"
    GEEN = "geen", "Geen (oude wet of niet inburgeringsplichtig)"
    ONBEKEND = "onbekend", "Onbekend"


class EducationLevel(models.TextChoices):
    GEEN = "geen", "Geen opleiding (ISCED 0)"
    PRIMAIR = "primair", "Primair onderwijs (ISCED 1)"
    VOORTGEZET = "voortgezet", "Voortgezet algemeen (ISCED 2–3)"
    BEROEPS = "beroeps", "Beroepsonderwijs (ISCED 3–4)"
    HOGER = "hoger", "Hoger onderwijs (ISCED 5–8)"
    ONBEKEND = "onbekend", "Onbekend"


class DiplomaValuation(models.TextChoices):
    ONBEKEND = "onbekend", "Onbekend"
    NIET_AANGEVRAAGD = "niet_aangevraagd", "Niet aangevraagd"
    AANGEVRAAGD = "aangevraagd", "Aangevraagd, nog geen uitslag"
    GEWAARDEERD = "gewaardeerd", "Gewaardeerd (zie resultaat)"
    NIET_MOGELIJK = "niet_mogelijk", "Waardering niet mogelijk"


class LanguageLevel(models.TextChoices):
    A0 = "A0", "A0 (onder A1, ook analfabeet in Latijns schrift)"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    ONBEKEND = "onbekend", "Onbekend"


LEVEL_ORDER = {code: i for i, code in enumerate(["A0", "A1", "A2", "B1", "B2", "C1", "C2"])}


class LanguageSkill(models.TextChoices):
    SPREKEN = "spreken", "Spreken"
    LUISTEREN = "luisteren", "Luisteren"
    LEZEN = "lezen", "Lezen"
    SCHRIJVEN = "schrijven", "Schrijven"


class LanguageTestSource(models.TextChoices):
    INTAKE = "intake", "Inschatting bij intake"
    TOETS = "toets", "Toets taalaanbieder"
    EXAMEN = "examen", "Inburgeringsexamen / Staatsexamen"
    LEERBAARHEID = "leerbaarheidstoets", "Leerbaarheidstoets"
    OVERIG = "overig", "Overig"


class DigitalSkills(models.TextChoices):
    ONBEKEND = "onbekend", "Onbekend"
    GEEN = "geen", "Geen"
    BASIS = "basis", "Basis (telefoon, berichten)"
    REDELIJK = "redelijk", "Redelijk (e-mail, formulieren)"
    GOED = "goed", "Goed (computer, kantoorsoftware)"


class Phase(models.TextChoices):
    """Where the participant is in the trajectory (feeds caseload weights later)."""

    AANMELDING = "aanmelding", "Aanmelding"
    INTAKE = "intake", "Intake"
    TRAJECT = "traject", "Traject"
    NAZORG = "nazorg", "Plaatsing met nazorg"
    AFGESLOTEN = "afgesloten", "Afgesloten"


class BarrierStatus(models.TextChoices):
    NIET_GEVRAAGD = "niet_gevraagd", "Niet gevraagd"
    GEEN = "geen", "Geen belemmeringen"
    WEL = "wel", "Wel belemmeringen (zie lijst)"


class Barrier(models.TextChoices):
    LICHAMELIJKE_GEZONDHEID = "lichamelijke_gezondheid", "Lichamelijke gezondheid"
    PSYCHISCHE_GEZONDHEID = "psychische_gezondheid", "Psychische gezondheid"
    TRAUMA = "trauma", "Trauma / verwerking"
    VERSLAVING = "verslaving", "Verslaving"
    PERSOONLIJKE_SFEER = "persoonlijke_sfeer", "Problemen in de persoonlijke sfeer"
    ZORGTAKEN = "zorgtaken", "Zorgtaken"
    KINDEROPVANG = "kinderopvang", "Geen kinderopvang"
    SCHULDEN = "schulden", "Schulden / financiële zorgen"
    HUISVESTING = "huisvesting", "Huisvesting"
    VERVOER = "vervoer", "Vervoer / reisafstand"
    ANALFABETISME = "analfabetisme", "Analfabeet in Latijns schrift"
    DIGITAAL = "digitale_vaardigheden", "Weinig digitale vaardigheden"
    OVERIG = "overig", "Overig"


#: Barriers that are health data: special-category personal data (AVG art. 9).
SPECIAL_BARRIERS = frozenset(
    {
        Barrier.LICHAMELIJKE_GEZONDHEID,
        Barrier.PSYCHISCHE_GEZONDHEID,
        Barrier.TRAUMA,
        Barrier.VERSLAVING,
    }
)


class LifeDomain(models.TextChoices):
    PARTICIPATIE = "participatie", "Participatie en werk"
    COMMUNICATIE_TAAL = "communicatie_taal", "Communicatie en taal"
    ONDERWIJS = "onderwijs", "Onderwijs"
    SOCIAAL_NETWERK = "sociaal_netwerk", "Sociaal netwerk"
    FINANCIEN = "financien", "Financiën"
    KENNIS_NL = "kennis_nl", "Kennis van Nederland"
    HUISVESTING = "huisvesting", "Huisvesting"
    HUISELIJKE_RELATIES = "huiselijke_relaties", "Huiselijke relaties"
    OPVOEDING = "opvoeding_kinderopvang", "Opvoeding en kinderopvang"
    GEESTELIJKE_GEZONDHEID = "geestelijke_gezondheid", "Geestelijke gezondheid"
    LICHAMELIJKE_GEZONDHEID = "lichamelijke_gezondheid", "Lichamelijke gezondheid"
    DAGELIJKS_LEVEN = "dagelijks_leven", "Activiteiten van het dagelijks leven"


#: Life domains whose intake notes are health data (special category).
SPECIAL_DOMAINS = frozenset({LifeDomain.GEESTELIJKE_GEZONDHEID, LifeDomain.LICHAMELIJKE_GEZONDHEID})

#: Which data category each life domain's intake notes belong to.
DOMAIN_CATEGORY = {
    LifeDomain.PARTICIPATIE: Category.WORK,
    LifeDomain.COMMUNICATIE_TAAL: Category.LANGUAGE,
    LifeDomain.ONDERWIJS: Category.LANGUAGE,
    LifeDomain.SOCIAAL_NETWERK: Category.TRAJECTORY,
    LifeDomain.FINANCIEN: Category.INCOME,
    LifeDomain.KENNIS_NL: Category.LANGUAGE,
    LifeDomain.HUISVESTING: Category.TRAJECTORY,
    LifeDomain.HUISELIJKE_RELATIES: Category.TRAJECTORY,
    LifeDomain.OPVOEDING: Category.TRAJECTORY,
    LifeDomain.GEESTELIJKE_GEZONDHEID: Category.SPECIAL,
    LifeDomain.LICHAMELIJKE_GEZONDHEID: Category.SPECIAL,
    LifeDomain.DAGELIJKS_LEVEN: Category.TRAJECTORY,
}


class Sector(models.TextChoices):
    """SBI 2008 sections (the top level of the Dutch standard industrial classification)."""

    A = "A", "Landbouw, bosbouw en visserij"
    B = "B", "Delfstoffenwinning"
    C = "C", "Industrie (productie)"
    D = "D", "Energievoorziening"
    E = "E", "Water, afval en afvalwaterbeheer"
    F = "F", "Bouw"
    G = "G", "Handel (groot- en detailhandel)"
    H = "H", "Vervoer en opslag (logistiek, magazijn)"
    I = "I", "Horeca"  # noqa: E741 - the SBI code is the letter I
    J = "J", "Informatie en communicatie (ICT)"
    K = "K", "Financiële dienstverlening"
    L = "L", "Verhuur en handel van onroerend goed"
    M = "M", "Specialistische zakelijke diensten"
    N = "N", "Verhuur en overige zakelijke diensten (o.a. schoonmaak)"
    O = "O", "Openbaar bestuur"  # noqa: E741
    P = "P", "Onderwijs"
    Q = "Q", "Gezondheids- en welzijnszorg"
    R = "R", "Cultuur, sport en recreatie"
    S = "S", "Overige dienstverlening"
    T = "T", "Huishoudens"
    U = "U", "Extraterritoriale organisaties"


class LegalBasis(models.TextChoices):
    REGIE = "regie", "Regie (wettelijke taak gemeente)"
    WETTELIJKE_TAAK = "wettelijke_taak", "Wettelijke taak / opdracht van de gemeente"
    TOESTEMMING = "toestemming", "Toestemming van de deelnemer"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    BEZIG = "bezig", "Bezig"
    AFGEROND = "afgerond", "Afgerond"
    VERVALLEN = "vervallen", "Vervallen"


DAYS = [
    ("ma", "maandag"),
    ("di", "dinsdag"),
    ("wo", "woensdag"),
    ("do", "donderdag"),
    ("vr", "vrijdag"),
    ("za", "zaterdag"),
    ("zo", "zondag"),
]
PARTS = [("o", "ochtend"), ("m", "middag"), ("a", "avond")]
#: Dagdelen (half-days) of a week, as stored codes "ma_o" (monday morning) ... "zo_a" (sunday evening).
DAGDELEN = [(f"{d}_{p}", f"{dl} {pl}") for d, dl in DAYS for p, pl in PARTS]
DAGDEEL_CODES = frozenset(code for code, _ in DAGDELEN)


# --- ISO code lists with Dutch names (pycountry ships ISO 3166-1 / ISO 639 and their translations) ----------


@cache
def _translation(domain: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["nl"])
    except OSError:  # pragma: no cover - a pycountry build without locales
        return gettext.NullTranslations()


@cache
def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with Dutch names, sorted by name."""
    tr = _translation("iso3166-1")
    return sorted(((c.alpha_2, tr.gettext(c.name)) for c in pycountry.countries), key=lambda x: x[1])


@cache
def language_choices() -> list[tuple[str, str]]:
    """ISO 639 languages that have a two-letter code, plus a few three-letter ones common among newcomers."""
    tr = _translation("iso639-3")
    extra = {
        "prs",
        "pbu",
        "kmr",
        "ckb",
        "tig",
        "bej",
        "apc",
        "arz",
        "ary",
    }  # Dari, Pashto, Kurdish, Tigre ...
    result = []
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None)
        if code is None and lang.alpha_3 in extra:
            code = lang.alpha_3
        if code:
            result.append((code, tr.gettext(lang.name)))
    return sorted(result, key=lambda x: x[1])


def country_name(code: str) -> str:
    return dict(country_choices()).get(code, code or "Onbekend")


def language_name(code: str) -> str:
    return dict(language_choices()).get(code, code)


class ActivityKind(models.TextChoices):
    """Activity types (activiteitsoort)."""

    TAAL_FORMEEL = "taal_formeel", "Formele taalles (NT2)"
    TAAL_PRAKTIJK = "taal_praktijk", "Praktijkgerichte taal"
    TAALCOACHING = "taalcoaching", "Taalcoaching / taalmaatje"
    THEMA_EIGEN_TAAL = "themabijeenkomst_eigen_taal", "Themabijeenkomst in eigen taal"
    TRAINING_WERKNEMER = "training_werknemersvaardigheden", "Training werknemersvaardigheden"
    TRAINING_SOLLICITATIE = "training_sollicitatie", "Sollicitatietraining"
    TRAINING_ARBEIDSMARKT = "training_arbeidsmarkt", "Oriëntatie op de arbeidsmarkt"
    TRAINING_CULTUUR = "training_cultuur", "Training Nederlandse (werk)cultuur"
    GEZONDHEID_SPORT = "gezondheid_sport", "Gezondheid en sport"
    FINANCIEN = "financien", "Financiële vaardigheden"
    DIGITAAL = "digitale_vaardigheden", "Digitale vaardigheden"
    VAKSCHOLING = "vakscholing", "Vakscholing"
    CERTIFICERING = "certificering", "Cursus met certificaat (bijv. VCA)"
    WERKERVARING = "werkervaring", "Werkervaring"
    VRIJWILLIGERSWERK = "vrijwilligerswerk", "Vrijwilligerswerk"
    STAGE = "stage", "Stage"
    BEDRIJFSBEZOEK = "bedrijfsbezoek", "Bedrijfsbezoek"
    EXCURSIE = "excursie", "Excursie"
    BUDDY = "buddy", "Buddy / maatje"
    OVERIG = "overig", "Overig"


class Delivery(models.TextChoices):
    FYSIEK = "fysiek", "Op locatie"
    ONLINE = "online", "Online"
    HYBRIDE = "hybride", "Hybride"


class EnrolmentStatus(models.TextChoices):
    AANGEMELD = "aangemeld", "Aangemeld"
    ACTIEF = "actief", "Actief"
    AFGEROND = "afgerond", "Afgerond"
    UITGEVALLEN = "uitgevallen", "Uitgevallen"


class DropoutReason(models.TextChoices):
    """Dropout reasons (reden_uitval)."""

    MOTIVATIE = "motivatie", "Motivatie"
    VERWACHTINGEN = "verwachtingen", "Verwachtingen kwamen niet uit"
    GEZONDHEID_LICHAMELIJK = "gezondheid_lichamelijk", "Lichamelijke gezondheid"
    GEZONDHEID_PSYCHISCH = "gezondheid_psychisch", "Psychische gezondheid"
    ZORGTAKEN = "zorgtaken", "Zorgtaken"
    VERHUIZING = "verhuizing", "Verhuizing"
    COMBINATIE_INBURGERING = "combinatie_inburgering", "Niet te combineren met inburgering"
    FINANCIELE_ZORGEN = "financiele_zorgen", "Financiële zorgen (angst uitkering of toeslagen te verliezen)"
    REISAFSTAND = "reisafstand", "Reisafstand"
    CONTACT_VERLOREN = "contact_verloren", "Contact verloren"
    OVERIG = "overig", "Overig"
    ONBEKEND = "onbekend", "Onbekend"


#: Dropout reasons that are health data: special-category personal data (AVG art. 9). Wherever a dropout
#: reason is recorded or shown (enrolments, closures, monitoring trajectories), ``access.show_dropout_reason``
#: and ``access.may_record_code`` decide, never a page.
SPECIAL_DROPOUT_REASONS = frozenset({DropoutReason.GEZONDHEID_LICHAMELIJK, DropoutReason.GEZONDHEID_PSYCHISCH})

#: Every code that is health data, per code list. One place: add a code here and every rendering path hides it.
SPECIAL_CODES: dict[str, frozenset[str]] = {
    "dropout_reason": SPECIAL_DROPOUT_REASONS,
    "barrier": SPECIAL_BARRIERS,
    "life_domain": SPECIAL_DOMAINS,
}


class SessionStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    GEANNULEERD = "geannuleerd", "Geannuleerd"
    VAKANTIE = "vakantie", "Vakantie / vrije dag"


class AttendanceStatus(models.TextChoices):
    AANWEZIG = "aanwezig", "Aanwezig"
    TE_LAAT = "te_laat", "Te laat"
    AFGEMELD = "afwezig_met_afmelding", "Afwezig met afmelding"
    ONGEOORLOOFD = "afwezig_zonder_afmelding", "Afwezig zonder afmelding"
    ZIEK = "ziek", "Ziek gemeld"


#: Attendance statuses that count as present for the attendance rate.
PRESENT_STATUSES = frozenset({AttendanceStatus.AANWEZIG, AttendanceStatus.TE_LAAT})


class ContactKind(models.TextChoices):
    GESPREK = "gesprek", "Gesprek"
    HUISBEZOEK = "huisbezoek", "Huisbezoek"
    TELEFOON = "telefoon", "Telefoon"
    BERICHT = "bericht", "WhatsApp / bericht"
    DRIEGESPREK = "driegesprek", "Driegesprek"
    GROEPSBIJEENKOMST = "groepsbijeenkomst", "Groepsbijeenkomst"


class AppointmentStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    GEHOUDEN = "gehouden", "Gehouden (contact vastgelegd)"
    NIET_VERSCHENEN = "niet_verschenen", "Deelnemer niet verschenen"
    AFGEZEGD = "afgezegd", "Afgezegd"


class MeetingStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    AFGEROND = "afgerond", "Afgerond (notulen vastgesteld)"


class HandoverStatus(models.TextChoices):
    OPEN = "open", "Wacht op bevestiging"
    BEVESTIGD = "bevestigd", "Bevestigd"


class Outcome(models.TextChoices):
    """Outcome of a trajectory (uitstroom); participation = the first six."""

    BETAALD_WERK = "betaald_werk", "Betaald werk"
    REGULIERE_OPLEIDING = "reguliere_opleiding", "Reguliere opleiding"
    LEER_WERKTRAJECT = "leer_werktraject", "Leerwerktraject"
    WERKERVARINGSPLAATS = "werkervaringsplaats", "Werkervaringsplaats"
    VRIJWILLIGERSWERK = "vrijwilligerswerk", "Vrijwilligerswerk"
    ANDER_PROJECT = "ander_project", "Ander project"
    CERTIFICAAT_BEHAALD = "certificaat_behaald", "Certificaat behaald"
    GEEN_WERK = "geen_werk", "Geen werk"
    VOORTIJDIGE_UITVAL = "voortijdige_uitval", "Voortijdige uitval"
    KAN_NIET_WERKEN = "kan_niet_werken", "Kan (nog) niet werken"
    ONBEKEND = "onbekend", "Onbekend"


PARTICIPATION_OUTCOMES = frozenset(list(Outcome.values)[:6])


class PlacementKind(models.TextChoices):
    """Opening / placement type (plaatsingsvorm)."""

    BETAALD_WERK = "betaald_werk", "Betaald werk"
    PROEFPLAATSING = "proefplaatsing", "Proefplaatsing (met behoud van uitkering)"
    WERKERVARINGSPLAATS = "werkervaringsplaats", "Werkervaringsplaats"
    STAGE = "stage", "Stage"
    LEERWERKPLEK = "leerwerkplek", "Leerwerkplek (BBL)"
    VRIJWILLIGERSWERK = "vrijwilligerswerk", "Vrijwilligerswerk"
    DAGBESTEDING = "dagbesteding", "Dagbesteding"
    BESCHERMD_WERK = "beschermd_werk", "Beschermd werk"


class ContractType(models.TextChoices):
    """Contract type (contractsoort)."""

    VAST = "vast", "Vast contract"
    TIJDELIJK = "tijdelijk", "Tijdelijk contract"
    NUL_UREN = "nul_uren", "Nulurencontract"
    OPROEP = "oproep", "Oproepcontract"
    UITZEND = "uitzend", "Uitzendcontract"
    GEEN = "geen", "Geen contract (onbetaald)"


class MatchMode(models.TextChoices):
    VIA_BEGELEIDER = "via_begeleider", "Via begeleider"
    DIGITAAL = "digitaal", "Digitaal"
    VIA_WERKERVARING = "via_werkervaring", "Via werkervaring"
    VIA_BEDRIJFSBEZOEK = "via_bedrijfsbezoek", "Via bedrijfsbezoek"


class EducationEntered(models.TextChoices):
    """Level of the regular education a participant entered (opleiding_niveau, an outcome detail)."""

    ENTREE = "entree", "Entree"
    MBO1 = "mbo1", "mbo 1"
    MBO2 = "mbo2", "mbo 2"
    MBO3 = "mbo3", "mbo 3"
    MBO4 = "mbo4", "mbo 4"
    HBO = "hbo", "hbo"
    WO = "wo", "wo"
    OVERIG = "overig", "Overig"
    ONBEKEND = "onbekend", "Onbekend"


class EntryPoint(models.TextChoices):
    """Aangrijpingspunt of a project's intervention logic (Kok & Sol)."""

    AANBOD = "aanbod", "Aanbodkant (de deelnemer)"
    VRAAG = "vraag", "Vraagkant (de werkgever)"
    MATCH = "match", "De match tussen beide"
    ONBEKEND = "onbekend", "Niet vastgelegd"
