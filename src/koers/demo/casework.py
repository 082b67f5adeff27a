"""Demo casework: contacts, counsellors, action items, case meetings and a warm handover for Gemeente Rivierstad.

Part of ``koers demo`` (``koers.demo.loader.load`` calls ``load`` inside its transaction, after the
activities and plans). Every date is relative to today, so the caseload shows a realistic mix of signals:

- **Contacts** over the last ten weeks for every active participant of both regisseurs: conversations at the
  stadskantoor, home visits (some together with the bruggenbouwer, in Tigrinya), phone calls, WhatsApp messages,
  a group information meeting, and the partners' own contacts (Werkkracht, Stichting Nieuw Thuis, Taalcentrum,
  De Schakel). The case journeys have their own story: a driegesprek with Ammar's employer, a contact about
  Heba's health that only the regisseur (and De Schakel, whose consent covers it) may read. A conversation speaks
  of a job only once it has started (``placements``). In phase intake the last conversation is the first one of
  the brede intake under way; Gemeente Heuvelrand's regisseur has the same kind of contacts with their own
  caseload.
- Most participants of the demo regisseur were seen in the last six days. A few were not: **one drawn
  participant was last seen exactly nine days ago** (``NINE_DAYS``; chosen by fixed rules among those without
  activities or plans, so no other signal distracts: "Geen contact sinds 9 dagen"), one twelve days ago, and the
  participant who finished Samen Sterk naar Werk was not seen since (urgent). A phone call that was not answered
  (participant not present) does not count as contact.
- **Counsellors** on the partner memberships (Werkkracht: Sanne Visser; Stichting Nieuw Thuis: Tesfalem Habtu for
  Tigrinya speakers, Lotte Jansen for the others; De Schakel: Ruben Mulder), so their caseload pages fill.
- **Action items** from contacts (``source_contact``): most done or due later, a few overdue by some days.
- **A finalised casusoverleg** about five days ago with the Taalcentrum, Werkkracht and Nieuw Thuis: attendees,
  five agenda items with reasons and minutes (Heba's note is special-category), decisions as action items of the
  partners (``source_meeting_item``), a handled discussion request. **A planned one** in about nine days with two
  open discussion requests of partners, so the proposed agenda has something to show.
- **A warm handover** from Jeroen Smit (``regisseur2``) to Ingrid Bakker (``regisseur``), waiting for confirmation.

Idempotent: a participant's contacts (and the action items from them) are written only when the participant has
no contacts; a meeting is found by organisation and title, a discussion request by participant, organisation and
reason, the handover by participant, sender and receiver; counsellors are only set where none is. Participants are
chosen by fixed rules on the (fixed) demo caseload, never by id. Seeding writes no audit records. All people and
organisations are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from koers.activities.models import Enrolment
from koers.casework.models import ActionItem, CaseMeeting, CaseMeetingItem, Contact, DiscussionRequest, Handover
from koers.casework.queries import handover as handover_queries
from koers.casework.services import handover as handover_services
from koers.core import access
from koers.core.codes import (
    DOMAIN_CATEGORY,
    ActionStatus,
    Category,
    ContactKind,
    EnrolmentStatus,
    HandoverStatus,
    LifeDomain,
    MeetingStatus,
    Phase,
)
from koers.core.workdays import is_working_day
from koers.demo import world
from koers.demo.participants import CASE_NAMES
from koers.participants.models import Intake, IntakeStatus, Membership, Participant
from koers.plans.models import IntegrationRecord, PlanVersion

K = ContactKind
D = LifeDomain
OPEN, BEZIG, AFGEROND = ActionStatus.OPEN, ActionStatus.BEZIG, ActionStatus.AFGEROND
#: Placeholder for the participant's own regisseur (and, for Nieuw Thuis, their counsellor there).
REG = "@regisseur"
NT = "@nieuwthuis"

#: The acceptance: one participant of the demo regisseur was last seen (participant present) this many days ago.
NINE_DAYS = 9
#: How far back the contacts go.
HISTORY_DAYS = 70
#: The group information meeting at the stadskantoor.
GROUP_DAYS_AGO = 23
PAST_MEETING_TITLE = "Casusoverleg taal en werk"
NEXT_MEETING_TITLE = "Casusoverleg taal, werk en welzijn"
MEETING_ORGS = ("gemeente", "taal", "reintegratie", "maatschappelijk")
MEETING_ATTENDEES = ("regisseur", "regisseur2", "taaldocent", "begeleider", "bruggenbouwer", "maatschappelijk")
#: The counsellor of each partner organisation (Nieuw Thuis: by language, see ``_nieuw_thuis``).
COUNSELLORS = {"reintegratie": "begeleider", "sociaal": "jobcoach"}
TIGRINYA = {"ti", "am"}


@dataclass(frozen=True)
class ActionDef:
    title: str
    domain: str
    org: str  # organisation key
    assignee: str | None  # username, REG or NT; None: nobody yet
    due: int  # days from today (negative: in the past)
    status: str = OPEN
    done: int | None = None  # days ago
    description: str = ""


@dataclass(frozen=True)
class ContactDef:
    ago: int
    kind: str
    minutes: int
    org: str
    staff: tuple[str, ...]  # usernames (REG, NT); the first one records the contact
    summary: str
    agreements: str = ""
    follow_up: str = ""
    present: bool = True
    third_party: str = ""
    employer: bool = False
    interpreter: bool = False
    special: bool = False
    hour: int = 10
    actions: tuple[ActionDef, ...] = ()


# --- The case journeys ------------------------------------------------------------------------------------------

CASE_CONTACTS: dict[str, tuple[ContactDef, ...]] = {
    "Nahom Tesfamariam": (
        ContactDef(64, K.GESPREK, 45, "gemeente", (REG,),
                   "Voortgangsgesprek. Het werk in de productie gaat goed, maar Nahom wil terug naar de techniek.",
                   "Werkkracht zoekt een VCA-cursus op zaterdag. Nahom vraagt zijn rooster voor de komende maanden op.",
                   hour=16,
                   actions=(ActionDef("VCA-basiscursus aanvragen en inplannen", D.PARTICIPATIE, "reintegratie",
                                      "begeleider", 21, description="Cursus op zaterdag, past bij de ploegendienst."),
                            ActionDef("Bedrijfsbezoek bij een installatiebedrijf regelen", D.PARTICIPATIE, "gemeente",
                                      "accountmanager", 35, description="Kennismaken met de elektrotechniek in "
                                      "Nederland; mogelijk werkervaringsplek."))),
        ContactDef(41, K.BERICHT, 5, "gemeente", (REG,),
                   "WhatsApp: Nahom stuurt zijn nieuwe rooster (wisselend vroege en late dienst).",
                   actions=(ActionDef("Taalles in de avond zoeken die past bij ploegendienst", D.COMMUNICATIE_TAAL,
                                      "taal", "taaldocent", 10, BEZIG),)),
        ContactDef(27, K.GESPREK, 60, "reintegratie", ("begeleider",),
                   "Trajectgesprek bij Werkkracht over de stap naar de techniek. Cv aangepast voor vacatures in de "
                   "techniek.",
                   "Nahom zoekt zelf drie installatiebedrijven in de regio op.", hour=15,
                   actions=(ActionDef("Vacatures installatiebedrijven in de regio verzamelen", D.PARTICIPATIE,
                                      "reintegratie", "begeleider", -10, AFGEROND, 11),)),
        ContactDef(GROUP_DAYS_AGO, K.GROEPSBIJEENKOMST, 90, "gemeente", ("regisseur", "regisseur2", "accountmanager"),
                   "Groepsvoorlichting ‘Werken naast de inburgering’ op het stadskantoor: rechten en plichten, en wat "
                   "werk betekent voor uitkering en toeslagen.", hour=14),
        ContactDef(4, K.TELEFOON, 15, "gemeente", (REG,),
                   "Nahom belt na de nachtdienst: de VCA-cursus begint over twee weken, avondles vanaf volgende week.",
                   "Na de eerste VCA-les even laten weten hoe het ging.", hour=13),
    ),
    "Heba Khatib": (
        ContactDef(55, K.HUISBEZOEK, 60, "gemeente", (REG, NT),
                   "Huisbezoek bij Heba en haar man. De peuteropvang loopt; Heba oefent elke avond voor het examen.",
                   "Lotte komt een keer terug om de post samen met haar man door te nemen.", hour=11),
        ContactDef(34, K.GESPREK, 45, "gemeente", (REG,),
                   "Heba vertelt dat ze slecht slaapt en veel stress heeft door zorgen om haar familie. De huisarts "
                   "verwijst haar naar de praktijkondersteuner GGZ.",
                   "Heba maakt een afspraak bij de POH-GGZ. Computerles tijdelijk naar één keer per week.",
                   special=True, hour=14,
                   actions=(ActionDef("Navragen hoe het gaat met slapen en de gesprekken bij de POH-GGZ",
                                      D.GEESTELIJKE_GEZONDHEID, "gemeente", REG, 12),)),
        ContactDef(20, K.GESPREK, 30, "sociaal", ("jobcoach",),
                   "Evaluatie vrijwilligerswerk bij De Schakel: kassa en inname gaan zelfstandig. Heba wil ook "
                   "administratie proberen.", "Twee ochtenden meelopen met de administratie.", hour=12,
                   actions=(ActionDef("Administratieve taken bij De Schakel uitproberen", D.PARTICIPATIE, "sociaal",
                                      "jobcoach", 20, description="Twee ochtenden meelopen met de administratie."),)),
        ContactDef(12, K.TELEFOON, 10, "taal", ("taaldocent", REG),
                   "Overleg tussen docent en regisseur over de aanmelding voor het Staatsexamen NT2 programma II.",
                   "De docent meldt Heba aan zodra de data bekend zijn.", present=False, hour=9),
        ContactDef(2, K.BERICHT, 5, "gemeente", (REG,),
                   "WhatsApp: Heba stuurt de uitnodiging voor de open dag hbo Economie en vraagt of Lotte meegaat.",
                   hour=19),
    ),
    "Ammar Darwish": (
        ContactDef(58, K.DRIEGESPREK, 45, "reintegratie", ("begeleider",),
                   "Evaluatie bij de werkgever, een half jaar na de start. Tevreden over inzet en tempo; de taal op de "
                   "werkvloer blijft lastig. Rugklachten besproken: minder tillen bij de pers.",
                   "Ammar krijgt een vaste plek aan de inpaklijn. Over twee maanden opnieuw een driegesprek over "
                   "verlenging.", third_party="Henk, teamleider inpak, Verpakkingsfabriek De Linge (werkgever)",
                   employer=True, interpreter=True, hour=15,
                   actions=(ActionDef("Driegesprek met werkgever over verlenging en meer uren", D.PARTICIPATIE,
                                      "reintegratie", "begeleider", -6, description="Contract van 7 maanden loopt af; "
                                      "bespreken of verlenging en uitbreiding naar 32 uur mogelijk is."),)),
        ContactDef(37, K.TELEFOON, 15, "maatschappelijk", (NT,),
                   "Vragen over de loonstrook en de aanvullende uitkering die elke maand anders is.",
                   "Ammar stuurt zijn loonstroken voortaan meteen door naar Werk en Inkomen.", hour=17,
                   actions=(ActionDef("Loonstroken van de afgelopen drie maanden doorsturen naar Werk en Inkomen",
                                      D.FINANCIEN, "maatschappelijk", NT, -25, AFGEROND, 30),
                            ActionDef("Budgetgesprek: gevolgen van het contract voor uitkering en toeslagen",
                                      D.FINANCIEN, "maatschappelijk", NT, 14, BEZIG))),
        ContactDef(19, K.GESPREK, 30, "taal", ("taaldocent",),
                   "Gesprek na de voortgangstoets: spreken gaat vooruit, luisteren op de werkvloer blijft moeilijk.",
                   "Extra luisteroefeningen met woorden uit de fabriek.", hour=19),
        ContactDef(5, K.HUISBEZOEK, 60, "gemeente", (REG, NT),
                   "Huisbezoek bij Ammar en zijn vrouw, met telefonische tolk. Het contract loopt over drie weken af; "
                   "Ammar maakt zich zorgen over het inkomen. De droom van een eigen winkel leeft nog.",
                   "De regisseur vraagt Werkkracht het driegesprek met de werkgever snel te plannen.",
                   interpreter=True, hour=18),
    ),
    "Nabil Mansour": (
        ContactDef(48, K.GESPREK, 45, "gemeente", (REG,),
                   "Gesprek over plan B: een BBL-opleiding elektrotechniek naast werk. Nabil twijfelt nog, juristerij "
                   "blijft zijn droom.", "Nabil bezoekt de open avond van het mbo.", hour=10,
                   actions=(ActionDef("Intake mbo Elektrotechniek (BBL) plannen", D.ONDERWIJS, "gemeente", REG, 25),)),
        ContactDef(26, K.GESPREK, 60, "maatschappelijk", ("bruggenbouwer",),
                   "Sollicitatietraining: vragen van een werkgever geoefend, ook over het gat in zijn cv.",
                   "Volgende keer een oefengesprek met een echte installateur.", hour=13,
                   actions=(ActionDef("Sollicitatiegesprek BBL-plek voorbereiden", D.COMMUNICATIE_TAAL,
                                      "maatschappelijk", "bruggenbouwer", 7,
                                      description="Gesprekstraining: vragen van de werkgever oefenen."),)),
        ContactDef(GROUP_DAYS_AGO, K.GROEPSBIJEENKOMST, 90, "gemeente", ("regisseur", "regisseur2", "accountmanager"),
                   "Groepsvoorlichting ‘Werken naast de inburgering’ op het stadskantoor: rechten en plichten, en wat "
                   "werk betekent voor uitkering en toeslagen.", hour=14),
        ContactDef(3, K.TELEFOON, 10, "gemeente", (REG,),
                   "Nabil is uitgenodigd voor een gesprek over een BBL-plek bij een installatiebedrijf.",
                   "Na het gesprek belt hij de regisseur.", hour=11),
    ),
}

# --- Drawn participants: templates ------------------------------------------------------------------------------

#: The regisseur's own contacts: (kind, minutes, summary, agreements, action or None).
REGISSEUR_TEMPLATES = [
    (K.GESPREK, 45, "Voortgangsgesprek op het stadskantoor. De taalles gaat goed; {first} is wel moe van de drukke "
     "weken.", "Over vier weken het volgende gesprek.", None),
    (K.GESPREK, 60, "Gesprek over het plan: wat gaat goed en wat is lastig. {first} wil meer Nederlands spreken buiten "
     "de les.", "{first} gaat op zaterdag naar het taalcafé in de bibliotheek.", None),
    (K.TELEFOON, 10, "{first} belt over een brief van de gemeente over de uitkering; samen doorgenomen wat erin staat.",
     "", None),
    (K.TELEFOON, 15, "Kort gebeld om te horen hoe het gaat. Druk met de lessen en thuis, verder goed.", "", None),
    (K.BERICHT, 5, "WhatsApp: {first} stuurt een foto van een brief van de woningcorporatie; uitgelegd wat erin staat.",
     "", None),
    (K.BERICHT, 5, "WhatsApp: {first} laat weten dat de zorgverzekering nu is geregeld.", "", None),
    (K.HUISBEZOEK, 60, "Huisbezoek. Het huis is op orde; gesproken over de buurt, de buren en de plannen voor werk.",
     "{first} vraagt bij het buurthuis naar vrijwilligerswerk.", None),
    (K.GESPREK, 45, "Gesprek over geld: de zorgtoeslag en een laptop voor de taalles.",
     "De regisseur vraagt bijzondere bijstand aan voor een laptop.",
     ("Aanvraag bijzondere bijstand voor een laptop indienen", D.FINANCIEN, "gemeente", REG)),
]
#: A partner's contacts, per organisation key: (kind, minutes, staff, summary, agreements, action or None).
PARTNER_TEMPLATES = {
    "taal": [
        (K.GESPREK, 20, "taaldocent", "Voortgangsgesprek na de toets: lezen gaat vooruit, spreken blijft spannend.",
         "Elke week vijf minuten vrij spreken in de les.",
         ("Extra oefenmateriaal spreken meegeven", D.COMMUNICATIE_TAAL, "taal", "taaldocent")),
    ],
    "reintegratie": [
        (K.GESPREK, 60, "begeleider", "Trajectgesprek bij Werkkracht: cv bijgewerkt en twee vacatures in de "
         "logistiek besproken.", "{first} solliciteert op één vacature; Sanne kijkt de brief na.",
         ("Sollicitatiebrief voor de vacature orderpicker nakijken", D.PARTICIPATIE, "reintegratie", "begeleider")),
        (K.TELEFOON, 10, "begeleider", "Gebeld over het sollicitatiegesprek van volgende week; {first} is zenuwachtig "
         "maar goed voorbereid.", "", None),
    ],
    "maatschappelijk": [
        (K.GESPREK, 45, NT, "Spreekuur bij Nieuw Thuis: post doorgenomen (zorgtoeslag, energierekening).", "",
         ("Zorgtoeslag over dit jaar controleren", D.FINANCIEN, "maatschappelijk", NT)),
        (K.BERICHT, 5, NT, "WhatsApp: vraag over de huurtoeslag beantwoord; {first} stuurt het formulier zelf op.", "",
         None),
    ],
    "sociaal": [
        (K.GESPREK, 30, "jobcoach", "Werkoverleg in het atelier van De Schakel: {first} werkt nauwkeurig en wil meer "
         "uren.", "", ("Rooster uitbreiden naar drie dagdelen", D.PARTICIPATIE, "sociaal", "jobcoach")),
    ],
}
#: The action item that is now a few days late, per owner: (title, domain, summary of the contact it came from).
LATE_ACTIONS = {
    "reintegratie": ("Inschrijven bij het uitzendbureau voor orderpickers", D.PARTICIPATIE,
                     "Gesprek bij Werkkracht over werk in de logistiek; {first} wil via een uitzendbureau starten."),
    "maatschappelijk": ("Betalingsregeling voor de energierekening aanvragen", D.FINANCIEN,
                        "Spreekuur bij Nieuw Thuis: de eindafrekening van de energie is hoog; {first} kan niet in één "
                        "keer betalen."),
    "sociaal": ("Werkervaringsverklaring van De Schakel opstellen", D.PARTICIPATIE,
                "Werkoverleg bij De Schakel: {first} wil solliciteren en vraagt een verklaring van de werkervaring."),
    "taal": ("Oefenexamen lezen inplannen", D.COMMUNICATIE_TAAL,
             "Gesprek met de docent over het examen; {first} wil eerst een oefenexamen lezen doen."),
    "gemeente": ("Verklaring omtrent het gedrag (VOG) aanvragen", D.PARTICIPATIE,
                 "Gesprek over een werkervaringsplek; de werkgever vraagt een VOG."),
}
JOINT_VISIT = (
    "Huisbezoek samen met de bruggenbouwer, in het Tigrinya en het Nederlands. {first} voelt zich meer thuis in de "
    "wijk; wel zorgen om familie in het land van herkomst."
)
GROUP_MEETING_AT = "Gemeente Rivierstad"
GROUP_MEETING = (
    "Groepsvoorlichting ‘Werken naast de inburgering’ op het stadskantoor: rechten en plichten, en wat werk betekent "
    "voor uitkering en toeslagen."
)


# --- Which participant gets what (fixed rules on the fixed demo caseload) ---------------------------------------

@dataclass
class Choice:
    nine: Participant | None = None
    #: participant id → days since the last contact with the participant present (when not the default 1–6)
    last: dict[int, int] = field(default_factory=dict)
    #: participant id → days an action item is late
    late: dict[int, int] = field(default_factory=dict)
    dropped: dict[int, date] = field(default_factory=dict)  # participant id → dropped out of an activity on
    handover: Participant | None = None
    requests: list[tuple[Participant, str, str, str]] = field(default_factory=list)  # (p, org key, user, reason)


def _orgs_of(memberships: dict[int, list[Membership]], pid: int, ctx) -> set[str]:
    keys = {org.pk: key for key, org in ctx.orgs.items()}
    return {keys.get(m.organisation_id) for m in memberships.get(pid, [])} - {None}


def choose(ctx, people: list[Participant], memberships: dict[int, list[Membership]]) -> Choice:
    ids = [p.pk for p in people]
    enrolled = set(Enrolment.objects.filter(participant_id__in=ids).values_list("participant_id", flat=True))
    planned = set(PlanVersion.objects.filter(participant_id__in=ids).values_list("participant_id", flat=True))
    planned |= set(IntegrationRecord.objects.filter(participant_id__in=ids).values_list("participant_id", flat=True))
    ended = list(
        Enrolment.objects.filter(participant_id__in=ids, end_date__isnull=False,
                                 status__in=(EnrolmentStatus.AFGEROND, EnrolmentStatus.UITGEVALLEN))
        .values_list("participant_id", "status", "end_date").order_by("-end_date", "participant_id")
    )
    choice = Choice()

    def drawn(username: str) -> list[Participant]:
        return [p for p in people if p.regisseur.username == username and p.name not in CASE_NAMES
                and p.phase == Phase.TRAJECT]

    def quiet(username: str) -> list[Participant]:
        """Drawn, in a trajectory, a partner involved, no activities and no plan: no other signal distracts."""
        return [p for p in drawn(username) if p.pk not in enrolled and p.pk not in planned and memberships.get(p.pk)]

    mine, theirs = quiet("regisseur"), quiet("regisseur2")
    if mine:
        choice.nine = mine[0]
        choice.last[mine[0].pk] = NINE_DAYS
    if len(mine) > 1:
        choice.last[mine[1].pk] = 12
    for p, days in zip(theirs, (8, 19), strict=False):
        choice.last[p.pk] = days
    # Who finished an activity most recently was not seen since (urgent); who dropped out was called since.
    by_id = {p.pk: p for p in people}
    for pid, status, end in ended:
        if status == EnrolmentStatus.AFGEROND and by_id[pid].regisseur.username == "regisseur":
            choice.last.setdefault(pid, (ctx.today - end).days + 4)
            break
    for pid, status, end in ended:
        if status == EnrolmentStatus.UITGEVALLEN:
            choice.dropped.setdefault(pid, end)
    # Action items a few days late: two of the demo regisseur's participants, one of the other regisseur's.
    partners = ("reintegratie", "maatschappelijk", "sociaal")
    for username, days in (("regisseur", (3, 5)), ("regisseur2", (2,))):
        fit = [p for p in drawn(username)
               if p.pk not in choice.last and _orgs_of(memberships, p.pk, ctx) & set(partners)]
        for p, late in zip(fit, days, strict=False):
            choice.late[p.pk] = late
    # The warm handover: a participant of the other regisseur at the Taalcentrum and Nieuw Thuis, no activities.
    two = [p for p in drawn("regisseur2") if {"taal", "maatschappelijk"} <= _orgs_of(memberships, p.pk, ctx)
           and p.pk not in enrolled and p.pk not in choice.last]
    choice.handover = two[0] if two else None
    # Two open requests to discuss a participant in the next case meeting.
    work = [p for p in drawn("regisseur2") if "reintegratie" in _orgs_of(memberships, p.pk, ctx)
            and p != choice.handover]
    if work:
        choice.requests.append((work[0], "reintegratie", "begeleider",
                                "Twee sollicitaties afgewezen vanwege het Nederlands. Graag samen bespreken of een "
                                "taalstage bij een werkgever past."))
    home = [p for p in drawn("regisseur") if "maatschappelijk" in _orgs_of(memberships, p.pk, ctx)
            and p != choice.nine]
    home.sort(key=lambda p: not (set(p.languages or []) & TIGRINYA))  # stable: by name within each half
    if home:
        choice.requests.append((home[0], "maatschappelijk", "bruggenbouwer",
                                "Huurachterstand van twee maanden en een brief van de woningcorporatie. Graag een "
                                "gezamenlijk plan, eventueel met schuldhulpverlening."))
    return choice


# --- Writing ----------------------------------------------------------------------------------------------------

def _at(ctx, days_ago: int, hour: int, minute: int = 0) -> datetime:
    moment = timezone.make_aware(datetime.combine(ctx.today - timedelta(days=days_ago), time(hour, minute)))
    return min(moment, ctx.now)


def _org(ctx, p: Participant, key: str):
    """The organisation by key; "gemeente" is the participant's regie organisation (also in Heuvelrand)."""
    return p.regie_organisation if key == "gemeente" else ctx.orgs[key]


def _first(p: Participant) -> str:
    return p.preferred_name or p.name.split()[0]


def _nieuw_thuis(ctx, p: Participant):
    """Stichting Nieuw Thuis: the bruggenbouwer for Tigrinya and Amharic speakers, the social worker otherwise."""
    return ctx.users["bruggenbouwer" if set(p.languages or []) & TIGRINYA else "maatschappelijk"]


def _user(ctx, p: Participant, username: str | None):
    if username is None:
        return None
    if username == REG:
        return p.regisseur
    if username == NT:
        return _nieuw_thuis(ctx, p)
    return ctx.users[username]


class _Writer:
    """Collects contacts and their action items, then writes them in a few bulk inserts."""

    def __init__(self, ctx, memberships: dict[int, list[Membership]]):
        self.ctx = ctx
        self.memberships = memberships
        self.contacts: list[tuple[Contact, list[int], list[tuple[ActionDef, Participant]]]] = []

    def may_own(self, p: Participant, org_key: str, domain: str) -> bool:
        """What ``services.check_action`` asks: an involved organisation whose legal basis covers the domain."""
        org = _org(self.ctx, p, org_key)
        if org.pk == p.regie_organisation_id:
            return True
        category = DOMAIN_CATEGORY.get(domain, Category.TRAJECTORY)
        return any(m.organisation_id == org.pk and category in access.membership_scope(m)
                   for m in self.memberships.get(p.pk, []))

    def add(self, p: Participant, c: ContactDef) -> None:
        ctx = self.ctx
        staff = [_user(ctx, p, u) for u in c.staff]
        first = _first(p)
        happened = _at(ctx, c.ago, c.hour, (c.ago * 13 + c.minutes) % 4 * 15)
        contact = Contact(
            participant=p, kind=c.kind, happened_at=happened, duration_minutes=c.minutes,
            organisation=_org(ctx, p, c.org), participant_present=c.present, third_party=c.third_party,
            employer_present=c.employer, interpreter_present=c.interpreter, summary=c.summary.format(first=first),
            agreements=c.agreements.format(first=first), follow_up=c.follow_up, is_special=c.special,
            recorded_by=staff[0],
        )
        actions = [(a, p) for a in c.actions if self.may_own(p, a.org, a.domain)]
        self.contacts.append((contact, [u.pk for u in dict.fromkeys(staff)], actions))

    def write(self) -> None:
        if not self.contacts:
            return
        ctx = self.ctx
        contacts = Contact.objects.bulk_create([c for c, _, _ in self.contacts], batch_size=500)
        for contact in contacts:  # recorded shortly after it happened, not now (the 24-hour correction window)
            contact.recorded_at = min(contact.happened_at + timedelta(hours=1), ctx.now)
        Contact.objects.bulk_update(contacts, ["recorded_at"], batch_size=500)
        Contact.staff.through.objects.bulk_create([
            Contact.staff.through(contact_id=contact.pk, user_id=uid)
            for contact, (_, staff, _) in zip(contacts, self.contacts, strict=True) for uid in staff
        ], batch_size=500)
        ctx.count("contactmomenten", len(contacts))
        items = []
        for contact, (_, _, actions) in zip(contacts, self.contacts, strict=True):
            for a, p in actions:
                items.append(ActionItem(
                    participant=p, title=a.title, description=a.description, domain=a.domain,
                    owner_organisation=_org(ctx, p, a.org), assignee=_user(ctx, p, a.assignee),
                    due_date=ctx.today + timedelta(days=a.due), status=a.status, source_contact=contact,
                    created_by=contact.recorded_by, created_at=contact.recorded_at,
                    completed_at=_at(ctx, a.done, 16) if a.done is not None else None,
                ))
        ActionItem.objects.bulk_create(items, batch_size=500)
        ctx.count("actiepunten", len(items))


def _history(p: Participant, orgs: set[str], choice: Choice, intake_days: int | None = None) -> list[ContactDef]:
    """Ten weeks of contacts of a drawn participant, the same on every load (a generator seeded by the person).
    In phase intake the last one is the first conversation of the brede intake under way (``intake_days`` ago)."""
    rng = random.Random(f"{p.name}|{p.date_of_birth.isoformat()}")
    last = choice.last.get(p.pk) or rng.randint(1, 6)
    if p.phase == Phase.INTAKE and intake_days is not None:
        last = intake_days
    ti = bool(set(p.languages or []) & TIGRINYA)

    def regisseur_contact(ago: int, i: int) -> ContactDef:
        kind, minutes, summary, agreements, action = REGISSEUR_TEMPLATES[i % len(REGISSEUR_TEMPLATES)]
        if kind == K.HUISBEZOEK and ti and "maatschappelijk" in orgs:
            return ContactDef(ago, kind, 75, "gemeente", (REG, "bruggenbouwer"), JOINT_VISIT,
                              "De bruggenbouwer helpt met de aanmelding bij de sportvereniging.", interpreter=True,
                              hour=rng.choice((10, 11, 14)))
        return ContactDef(ago, kind, minutes, "gemeente", (REG,), summary, agreements, hour=rng.randint(9, 16),
                          actions=_actions(action, ago, rng))

    if p.phase == Phase.AANMELDING:
        return [ContactDef(last, K.TELEFOON, 15, "gemeente", (REG,),
                           "Kennismaking per telefoon; {first} is net aangemeld. Uitgelegd hoe de brede intake gaat.",
                           "Intakegesprek op het stadskantoor gepland.", hour=rng.randint(9, 16))]
    result = []
    if p.phase == Phase.INTAKE:
        result.append(ContactDef(last + rng.randint(6, 12), K.TELEFOON, 10, "gemeente", (REG,),
                                 "Afspraak gemaakt voor het eerste gesprek van de brede intake.", hour=11))
        result.append(ContactDef(last, K.GESPREK, 90, "gemeente", (REG,),
                                 "Eerste gesprek van de brede intake: wonen, gezin, opleiding en werkervaring.",
                                 "Tweede gesprek over taal, gezondheid en geld over twee weken.", hour=10))
        return result
    partner_keys = [k for k in ("reintegratie", "maatschappelijk", "sociaal", "taal") if k in orgs]
    days, ago = [], last
    while ago <= HISTORY_DAYS:
        days.append(ago)
        ago += rng.randint(9, 17)
    start = rng.randrange(len(REGISSEUR_TEMPLATES))
    for i, ago in enumerate(days):
        if i > 0 and partner_keys and rng.random() < 0.5:
            key = rng.choice(partner_keys)
            kind, minutes, who, summary, agreements, action = rng.choice(PARTNER_TEMPLATES[key])
            result.append(ContactDef(ago, kind, minutes, key, (who,), summary, agreements, hour=rng.randint(9, 16),
                                     actions=_actions(action, ago, rng)))
        else:
            result.append(regisseur_contact(ago, start + i))
    if p.pk in choice.late:
        # Not always the same owner: the first partner in an order that turns with the number of days late.
        order = ("reintegratie", "maatschappelijk", "sociaal")
        turn = choice.late[p.pk] % len(order)
        key = next((k for k in order[turn:] + order[:turn] if k in orgs), "gemeente")
        title, domain, summary = LATE_ACTIONS[key]
        who = {"reintegratie": "begeleider", "maatschappelijk": NT, "sociaal": "jobcoach"}.get(key, REG)
        due = -choice.late[p.pk]
        result.append(ContactDef(max(last + 1, 16), K.GESPREK, 45, key, (who,), summary, hour=13, actions=(
            ActionDef(title, domain, key, who, due, BEZIG if due < -4 else OPEN),)))
    if p.pk in choice.dropped:
        result[0] = ContactDef(last, K.TELEFOON, 20, "gemeente", (REG,),
                               "Gebeld na de uitval bij Taalexpres: {first} zorgt voor een ziek familielid en kon "
                               "niet meer naar de les.", "{first} wil terugkomen zodra de zorg geregeld is. Bespreken "
                               "in het casusoverleg.", hour=15)
    if last < GROUP_DAYS_AGO and rng.random() < 0.3 and p.regie_organisation.name == GROUP_MEETING_AT:
        result.append(ContactDef(GROUP_DAYS_AGO, K.GROEPSBIJEENKOMST, 90, "gemeente",
                                 ("regisseur", "regisseur2", "accountmanager"), GROUP_MEETING, hour=14))
    nine = choice.nine is not None and p.pk == choice.nine.pk
    if "taal" in orgs and rng.random() < 0.25 and not nine:
        result.append(ContactDef(rng.randint(1, 10), K.TELEFOON, 10, "taal", ("taaldocent", REG),
                                 "Overleg tussen docent en regisseur: {first} was deze maand twee keer niet in de les "
                                 "zonder afmelding. De docent bespreekt het eerst zelf.", present=False, hour=12))
    if nine:  # tried to reach them since: not a contact with the participant present
        result.append(ContactDef(3, K.TELEFOON, 5, "gemeente", (REG,),
                                 "Gebeld, niet opgenomen. Voicemail ingesproken en een WhatsApp-bericht gestuurd met "
                                 "het verzoek terug te bellen.", present=False, hour=10))
    return result


def _actions(action, ago: int, rng: random.Random) -> tuple[ActionDef, ...]:
    """The action item agreed in a contact: done when the contact was long ago, else due in the coming weeks."""
    if action is None:
        return ()
    title, domain, org, who = action
    if ago > 14:
        done = max(ago - rng.randint(3, 10), 1)
        return (ActionDef(title, domain, org, who, -done + rng.randint(0, 3), AFGEROND, done),)
    return (ActionDef(title, domain, org, who, rng.randint(7, 28)),)


def _contacts(ctx, people: list[Participant], memberships, choice: Choice) -> None:
    ids = [p.pk for p in people]
    with_contacts = set(Contact.objects.filter(participant_id__in=ids).values_list("participant_id", flat=True))
    under_way = {
        pid: (ctx.today - held).days
        for pid, held in Intake.objects.filter(participant_id__in=ids, status=IntakeStatus.CONCEPT)
        .values_list("participant_id", "held_on")
    }
    writer = _Writer(ctx, memberships)
    for p in people:
        if p.pk in with_contacts or p.phase == Phase.AFGESLOTEN:
            continue
        if p.name in CASE_NAMES:
            defs = CASE_CONTACTS.get(p.name, ())
        else:
            defs = _history(p, _orgs_of(memberships, p.pk, ctx), choice, under_way.get(p.pk))
        for c in defs:
            writer.add(p, c)
    writer.write()


def _counsellors(ctx, people: list[Participant], memberships) -> None:
    """The partner's counsellor on each active membership without one (their caseload pages)."""
    changed = []
    for p in people:
        for m in memberships.get(p.pk, []):
            if m.counsellor_id is not None:
                continue
            key = next((k for k, org in ctx.orgs.items() if org.pk == m.organisation_id), "")
            if key == "maatschappelijk":
                m.counsellor = _nieuw_thuis(ctx, p)
            elif key in COUNSELLORS:
                m.counsellor = ctx.users[COUNSELLORS[key]]
            else:
                continue
            changed.append(m)
    if changed:
        Membership.objects.bulk_update(changed, ["counsellor"], batch_size=500)
        ctx.count("begeleiders toegewezen", len(changed))


# --- Case meetings ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemDef:
    participant: str  # a case journey's name, or "@dropped" (who dropped out of Taalexpres)
    reason: str
    note: str
    decisions: tuple[ActionDef, ...]
    special: bool = False
    request: tuple[str, str, int] | None = None  # (organisation key, username, days before the meeting)


PAST_ITEMS = (
    ItemDef("Ammar Darwish",
            "Contract loopt over drie weken af; verlenging onzeker en zorgen over het inkomen.",
            "De werkgever is tevreden maar wacht op de orders voor het najaar. Ammar wil blijven en meer uren. Lukt "
            "verlenging niet, dan meteen door naar een plek in de verkoop (plan B), zodat er geen gat in het inkomen "
            "valt.",
            (ActionDef("Bij geen verlenging: drie vacatures verkoopmedewerker kleding voorleggen", D.PARTICIPATIE,
                       "reintegratie", "begeleider", 14),
             ActionDef("Overzicht inkomen en toeslagen maken, met en zonder verlenging", D.FINANCIEN,
                       "maatschappelijk", NT, 9, BEZIG)),
            request=("reintegratie", "begeleider", 6)),
    ItemDef("Nahom Tesfamariam",
            "Wil de techniek in: VCA en avondles naast de ploegendienst.",
            "De VCA-cursus op zaterdag is geregeld. Avondles op maandag en woensdag past in de weken met vroege "
            "dienst. Werkkracht zoekt een installatiebedrijf voor een meeloopdag.",
            (ActionDef("Avondles afstemmen op het wisselrooster (vroege en late dienst)", D.COMMUNICATIE_TAAL,
                       "taal", "taaldocent", 3, AFGEROND, 2),
             ActionDef("Twee installatiebedrijven benaderen voor een meeloopdag", D.PARTICIPATIE, "reintegratie",
                       "begeleider", 21))),
    ItemDef("Heba Khatib",
            "Staatsexamen B2 en de keuze tussen schakeljaar en hbo; druk thuis.",
            "Heba heeft veel stress en slaapt slecht; de gesprekken bij de POH-GGZ helpen. Afgesproken het weekrooster "
            "tot na het examen niet zwaarder te maken.",
            (ActionDef("Buddy uit het vrijwilligersnetwerk van Nieuw Thuis voorstellen", D.SOCIAAL_NETWERK,
                       "maatschappelijk", NT, 21),),
            special=True),
    ItemDef("Nabil Mansour",
            "Plan B: BBL-opleiding elektrotechniek; sollicitatie bij een installateur.",
            "Nabil heeft een gesprek voor een BBL-plek. De bruggenbouwer oefent het gesprek met hem; het Taalcentrum "
            "besteedt aandacht aan vaktaal.",
            (ActionDef("Vaktaal elektrotechniek doornemen in de les", D.COMMUNICATIE_TAAL, "taal", "taaldocent",
                       10),)),
    ItemDef("@dropped",
            "Uitgevallen bij Taalexpres door de zorg voor een ziek familielid.",
            "Het familielid is herstellende. Terugkomen kan zodra de zorg geregeld is; instromen in de volgende groep "
            "is mogelijk.",
            (ActionDef("Herinstroom in de volgende groep van Taalexpres regelen", D.COMMUNICATIE_TAAL, "taal",
                       "taaldocent", 14),),
            request=("taal", "taaldocent", 8)),
)


def _weekday(day: date, step: int) -> date:
    while not is_working_day(day):
        day += timedelta(days=step)
    return day


def _meeting(ctx, title: str, day: date, final: bool) -> tuple[CaseMeeting, bool]:
    gemeente = ctx.orgs["gemeente"]
    meeting = CaseMeeting.objects.filter(regie_organisation=gemeente, title=title).first()
    if meeting is not None:
        return meeting, False
    chair = ctx.users["regisseur"]
    meeting = CaseMeeting.objects.create(
        regie_organisation=gemeente, date=day, title=title, chair=chair, created_by=chair,
        status=MeetingStatus.AFGEROND if final else MeetingStatus.GEPLAND,
        finalised_at=_at(ctx, (ctx.today - day).days, 16, 30) if final else None,
    )
    created = ctx.at(14) if final else ctx.at(3)
    CaseMeeting.objects.filter(pk=meeting.pk).update(created_at=created)
    meeting.organisations.set([ctx.orgs[k] for k in MEETING_ORGS])
    meeting.attendees.set([ctx.users[u] for u in MEETING_ATTENDEES])
    ctx.count("casusoverleggen")
    return meeting, True


def _past_meeting(ctx, people: list[Participant], memberships, choice: Choice) -> None:
    day = _weekday(ctx.today - timedelta(days=5), -1)
    meeting, created = _meeting(ctx, PAST_MEETING_TITLE, day, final=True)
    if not created:
        return
    ago = (ctx.today - day).days
    by_name = {p.name: p for p in people}
    dropped = [p for p in people if p.pk in choice.dropped and "taal" in _orgs_of(memberships, p.pk, ctx)]
    writer = _Writer(ctx, memberships)
    decisions = []
    position = 0
    for spec in PAST_ITEMS:
        p = dropped[0] if spec.participant == "@dropped" and dropped else by_name.get(spec.participant)
        if p is None:
            continue
        position += 1
        item = CaseMeetingItem.objects.create(
            meeting=meeting, participant=p, position=position, reason=spec.reason, note=spec.note,
            note_is_special=spec.special, discussed=True,
        )
        ctx.count("agendapunten")
        if spec.request:
            org_key, username, before = spec.request
            DiscussionRequest.objects.create(
                participant=p, organisation=ctx.orgs[org_key], requested_by=ctx.users[username],
                reason=spec.reason, created_at=ctx.at(ago + before), handled_in=item,
            )
            ctx.count("verzoeken tot bespreking")
        for d in spec.decisions:
            if not writer.may_own(p, d.org, d.domain):
                continue
            decisions.append(ActionItem(
                participant=p, title=d.title, description=d.description, domain=d.domain,
                owner_organisation=ctx.orgs[d.org], assignee=_user(ctx, p, d.assignee),
                due_date=day + timedelta(days=d.due), status=d.status, source_meeting_item=item,
                created_by=meeting.chair, created_at=_at(ctx, ago, 15),
                completed_at=_at(ctx, d.done, 11) if d.done is not None else None,
            ))
    ActionItem.objects.bulk_create(decisions)
    ctx.count("actiepunten", len(decisions))


def _next_meeting(ctx, choice: Choice) -> None:
    day = _weekday(ctx.today + timedelta(days=9), 1)
    _meeting(ctx, NEXT_MEETING_TITLE, day, final=False)
    for i, (p, org_key, username, reason) in enumerate(choice.requests):
        org = ctx.orgs[org_key]
        if DiscussionRequest.objects.filter(participant=p, organisation=org, reason=reason).exists():
            continue
        DiscussionRequest.objects.create(participant=p, organisation=org, requested_by=ctx.users[username],
                                         reason=reason, created_at=ctx.at(2 - i))
        ctx.count("verzoeken tot bespreking")


# --- Warm handover ----------------------------------------------------------------------------------------------

def _handover(ctx, participant: Participant | None) -> None:
    if participant is None:
        return
    sender, receiver = ctx.users["regisseur2"], ctx.users["regisseur"]
    if Handover.objects.filter(participant=participant, from_user=sender, to_user=receiver).exists():
        return
    grant = handover_services._combined(access.grant_for(sender, participant), access.grant_for(receiver, participant))
    first = _first(participant)
    note = (
        f"Ik ga per de eerste van de maand naar het team Werkgeversdienstverlening; {first} gaat naar jou. {first} "
        "volgt taalles en komt op het spreekuur van Nieuw Thuis. Aandachtspunt: de huurachterstand is bijna "
        "ingelopen, de betalingsregeling loopt nog twee maanden. Graag binnen twee weken een kennismakingsgesprek."
    )
    handover = Handover.objects.create(
        participant=participant, from_user=sender, to_user=receiver, to_organisation=receiver.organisation,
        note=note, snapshot=handover_queries.build_snapshot(participant, grant, now=ctx.at(1)), created_by=sender,
        status=HandoverStatus.OPEN,
    )
    Handover.objects.filter(pk=handover.pk).update(created_at=ctx.at(1))
    ctx.count("warme overdrachten")


# --- Entry point ------------------------------------------------------------------------------------------------

def load(loader=None) -> dict[str, int]:
    """Create whatever of the demo casework is missing. Returns the rows created per kind (also counted on the
    loader, so ``koers demo`` prints them)."""
    ctx = world.context(loader)
    before = dict(ctx.created)
    regisseurs = [ctx.users["regisseur"], ctx.users["regisseur2"]]
    people = list(
        Participant.objects.filter(regie_organisation=ctx.orgs["gemeente"], regisseur__in=regisseurs)
        .select_related("regisseur", "regie_organisation").order_by("name", "date_of_birth")
    )
    # The other municipality's caseload: its regisseur's own contacts (no partners, no case meetings).
    elsewhere = list(
        Participant.objects.filter(regie_organisation=ctx.orgs["heuvelrand"], regisseur__isnull=False)
        .select_related("regisseur", "regie_organisation").order_by("name", "date_of_birth")
    )
    memberships: dict[int, list[Membership]] = {}
    for m in (Membership.objects.active().filter(participant__in=people)
              .exclude(Q(organisation=ctx.orgs["gemeente"])).order_by("organisation__name", "id")):
        memberships.setdefault(m.participant_id, []).append(m)
    choice = choose(ctx, people, memberships)
    _counsellors(ctx, people, memberships)
    _contacts(ctx, people + elsewhere, memberships, choice)
    _past_meeting(ctx, people, memberships, choice)
    _next_meeting(ctx, choice)
    _handover(ctx, choice.handover)
    return ctx.since(before)
