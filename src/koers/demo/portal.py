"""Mijn Koers in the demo: Heba (Arabic), Nahom (Tigrinya) and Olena (Ukrainian) have an activated account.

Olena Kovalenko is a fictional Ukrainian newcomer (the pilots of the research had none; Ukrainians are a large
group in municipalities since 2022), registered at Gemeente Rivierstad like the drawn caseload, in a course of the
language provider. She has no signed plan yet: the portal must also read well before there is one.
The demo portal accounts log in with the demo password, like the staff accounts, or with DigiD: the demo runs the
mock DigiD of django-digid-eherkenning, where one picks Heba, Nahom or Olena (their fictional test BSN).
Heba and Nahom have put a few things in their portfolio themselves (fictional, without files).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from digid_eherkenning.models.digid import MockDigidUser
from django.utils import timezone

from koers.activities.models import Activity, Enrolment
from koers.casework.models import Appointment, Contact, Message
from koers.casework.queries import appointments as appointment_queries
from koers.casework.services import messages as message_services
from koers.core import access
from koers.core.codes import ActivityKind, ContactKind, LegalBasis
from koers.core.models import User
from koers.core.workdays import add_working_days
from koers.demo import participants
from koers.demo.world import TAAL_PURPOSE, Loader
from koers.participants.models import Participant
from koers.portal.models import PortalAccount, PortfolioItem
from koers.synthetic.population import draw_person


@dataclass(frozen=True)
class DemoPortalLogin:
    username: str
    name: str
    language: str
    bsn: str  # fictional, from the range of test numbers (passes the elfproef): the mock DigiD logs in with it


#: (username, participant name, portal language): printed by ``koers demo`` and listed in the README.
PORTAL_LOGINS = (
    DemoPortalLogin("heba", "Heba Khatib", "ar", "999993653"),
    DemoPortalLogin("nahom", "Nahom Tesfamariam", "ti", "999990019"),
    DemoPortalLogin("olena", "Olena Kovalenko", "uk", "999991772"),
)

OLENA = {
    "name": "Olena Kovalenko", "preferred_name": "Olena", "date_of_birth": date(1988, 9, 21), "gender": "vrouw",
    "country_of_origin": "UA", "languages": ["uk", "ru", "en"], "interpreter_needed": "nee", "phase": "traject",
}
OLENA_SEED = 380  # her drawn characteristics (barriers, levels, work) stay the same on every load


def _olena(loader: Loader) -> Participant:
    """Olena as a drawn participant of Gemeente Rivierstad (a registration, a completed intake, language levels),
    at the language provider since 60 days and in its first formal course that runs on."""
    drawn = draw_person(random.Random(OLENA_SEED))
    person = replace(drawn, fields={**drawn.fields, **OLENA})
    participants._drawn(loader, person, "gemeente", "regisseur",
                        [("taal", LegalBasis.WETTELIJKE_TAAK, TAAL_PURPOSE, 60, False, None)])
    participant = Participant.objects.get(regie_organisation=loader.orgs["gemeente"], name=OLENA["name"],
                                          date_of_birth=OLENA["date_of_birth"])
    if participant.enrolments.exists():
        return participant
    course = (Activity.objects.filter(provider=loader.orgs["taal"], kind=ActivityKind.TAAL_FORMEEL,
                                      start_date__lte=loader.today, end_date__gte=loader.today + timedelta(days=14))
              .exclude(slots=None).order_by("start_date", "pk").first())
    if course is not None:
        Enrolment.objects.create(participant=participant, activity=course, start_date=loader.days_ago(30),
                                 status="actief", enrolled_by=loader.users["regisseur"])
        loader.count("inschrijvingen")
    return participant


@dataclass(frozen=True)
class DemoItem:
    name: str
    title: str
    description: str
    days_ago: int | None
    on_cv: bool


#: What Heba and Nahom added to their portfolio in Mijn Koers (their own words, in Dutch as written with help).
PORTFOLIO_ITEMS = (
    DemoItem("Nahom Tesfamariam", "Meegelopen bij een installatiebedrijf",
             "Een dag meegelopen bij een installatiebedrijf in de regio. Ik heb geholpen met het aansluiten van "
             "zonnepanelen en een groepenkast.", 30, True),
    DemoItem("Nahom Tesfamariam", "Referentie van mijn teamleider",
             "Brief van mijn teamleider in de productie: ik ben altijd op tijd en leer snel.", 21, False),
    DemoItem("Heba Khatib", "Kassa en inname bij De Schakel",
             "Vrijwilligerswerk: ik doe zelfstandig de kassa en neem spullen in. Ik help klanten in het Nederlands "
             "en in het Arabisch.", 45, True),
    DemoItem("Heba Khatib", "Open dag hbo Economie",
             "Ik ben naar de open dag geweest. Ik wil graag de opleiding Economie gaan doen.", 10, False),
)


def _portfolio(loader: Loader) -> None:
    for item in PORTFOLIO_ITEMS:
        participant = Participant.objects.filter(regie_organisation=loader.orgs["gemeente"], name=item.name).first()
        if participant is None or PortfolioItem.objects.filter(participant=participant, title=item.title).exists():
            continue
        PortfolioItem.objects.create(
            participant=participant, title=item.title, description=item.description, on_cv=item.on_cv,
            happened_on=loader.days_ago(item.days_ago) if item.days_ago is not None else None,
            created_at=loader.now, updated_at=loader.now,
        )
        loader.count("portfolio-items")


def _digid(participant: Participant, login: DemoPortalLogin) -> None:
    """The demo BSN on the participant, and a person to pick at the mock DigiD (``digid_eherkenning.mock``)."""
    if not participant.bsn and not Participant.objects.filter(bsn=login.bsn).exists():
        participant.bsn = login.bsn
        participant.save(update_fields=["bsn"])
    MockDigidUser.objects.get_or_create(bsn=participant.bsn or login.bsn, defaults={"name": login.name})


def load(loader: Loader) -> None:
    _olena(loader)
    for login in PORTAL_LOGINS:
        participant = Participant.objects.filter(regie_organisation=loader.orgs["gemeente"], name=login.name).first()
        if participant is not None:
            _digid(participant, login)
        if participant is None or PortalAccount.objects.filter(participant=participant).exists():
            continue
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User.objects.create(username=login.username, is_participant=True, password=loader.password_hash())
        # Nahom (an address in his file) asked for an e-mail when there is news; the demo's own messages do not
        # send one (notified_at: the next waits until he logs in), the console shows the next one after that.
        wants_email = bool(participant.email)
        PortalAccount.objects.create(participant=participant, user=user, language=login.language,
                                     activated_at=loader.now, email_notices=wants_email,
                                     notified_at=loader.now if wants_email else None)
        loader.count("accounts Mijn Koers")
    _portfolio(loader)


def load_messages(loader: Loader) -> None:
    """The demo conversations, after casework (which gives a file its contacts only when it has none yet)."""
    for login in PORTAL_LOGINS:
        account = PortalAccount.objects.filter(user__username=login.username).select_related(
            "participant__regisseur", "user").first()
        if account is None or Message.objects.filter(participant=account.participant).exists():
            continue
        _messages(loader, account.participant, account.user)


#: A short conversation per demo account: (working days ago, from the participant?, text). Heba's question was
#: answered and her thanks of today is still unread (the caseload shows it); Nahom's question of three working days
#: ago was not answered, so his regisseur has the signal.
CONVERSATIONS = {
    "heba": [(4, True, "Goedemorgen. Ik heb een brief van DUO gekregen. Ik begrijp hem niet goed. Kunt u helpen?"),
             (3, False, "Goedemorgen Heba. Stuur een foto van de brief, dan kijk ik ernaar. Of neem hem dinsdag "
                        "mee naar het gesprek."),
             (0, True, "Dank u. Ik neem de brief dinsdag mee.")],
    "nahom": [(3, True, "Hallo, mijn werk begint volgende week om 7 uur. Kan ik de les op dinsdag later doen?")],
}


def _messages(loader: Loader, participant: Participant, user: User) -> None:
    regisseur = participant.regisseur
    for days, from_participant, text in CONVERSATIONS.get(user.username, []):
        if from_participant:
            message = message_services.send_from_participant(user, participant, body=text)
        else:
            grant = access.grant_for(regisseur, participant)
            message = message_services.send_from_staff(regisseur, participant, grant, body=text)
        sent = _working_days_ago(loader.now, days)
        Message.objects.filter(pk=message.pk).update(
            sent_at=sent, read_at=sent + timedelta(hours=1) if days and (days > 3 or not from_participant) else None,
            read_by=regisseur if from_participant and days > 3 else user if not from_participant else None)
        Contact.objects.filter(pk=message.contact_id).update(happened_at=sent, recorded_at=sent)
        loader.count("berichten")


def _working_days_ago(now, days: int):
    if not days:
        return now - timedelta(hours=1)
    return add_working_days(now.replace(hour=10, minute=0, second=0, microsecond=0), -days)


#: Planned appointments (username, working days from today, hour, purpose, location). Nahom's is on the next
#: working day (his home page reminds him); Heba's of the last working day was held but not recorded yet, so the
#: regisseur records the contact from it. Each moves to a free hour (or working day) when its own falls in a class
#: or outside the availability (``_free_moment``).
APPOINTMENTS = [
    ("nahom", 1, 10, "Gesprek over uw werk en de lessen", "Stadskantoor Rivierstad, Markt 1, balie 3"),
    ("heba", -1, 14, "Samen de brief van DUO lezen", "Stadskantoor Rivierstad, Markt 1, balie 3"),
    ("heba", 5, 11, "Gesprek over uw plan", "Stadskantoor Rivierstad, Markt 1, balie 3"),
]


def load_appointments(loader: Loader) -> None:
    for username, days, hour, purpose, location in APPOINTMENTS:
        account = PortalAccount.objects.filter(user__username=username).select_related(
            "participant__regisseur").first()
        if account is None or Appointment.objects.filter(participant=account.participant, purpose=purpose).exists():
            continue
        p = account.participant
        starts_at = _free_moment(p, loader.now, days, hour)
        Appointment.objects.create(
            participant=p, kind=ContactKind.GESPREK, starts_at=starts_at, duration_minutes=45,
            organisation=p.regie_organisation, with_user=p.regisseur, purpose=purpose, location=location,
            created_by=p.regisseur)
        loader.count("afspraken")


#: The hours a demo appointment may move to when its own hour falls in a class or outside the availability.
FREE_HOURS = (9, 10, 11, 13, 14, 15, 16, 18, 19)


def _free_moment(participant: Participant, now, days: int, hour: int):
    """The appointment's hour on the working day ``days`` from now, or the first hour without a class and within
    the participant's availability, that day or a working day further away (a regisseur would not plan one over a
    class either). The demo runs on any date, so the weekday is never known in advance."""
    for extra in range(5):
        day = _working_day(now, days + (extra if days >= 0 else -extra))
        for h in (hour, *FREE_HOURS):
            moment = day.replace(hour=h, minute=0, second=0, microsecond=0)
            data = appointment_queries.AppointmentData(kind=ContactKind.GESPREK, starts_at=moment,
                                                       duration_minutes=45, with_user=participant.regisseur,
                                                       purpose="")
            if not appointment_queries.week_conflicts(participant, data):
                return moment
    return _working_day(now, days).replace(hour=hour, minute=0, second=0, microsecond=0)


def _working_day(now, days: int):
    return add_working_days(timezone.localtime(now), days)
