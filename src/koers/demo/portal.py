"""Mijn Koers in the demo: Heba (Arabic), Nahom (Tigrinya) and Olena (Ukrainian) have an activated account.

Olena Kovalenko is a fictional Ukrainian newcomer (the pilots of the research had none; Ukrainians are a large
group in municipalities since 2022), registered at Gemeente Rivierstad like the drawn caseload, in a course of the
language provider. She has no signed plan yet: the portal must also read well before there is one.
The demo portal accounts log in with the demo password, like the staff accounts, or with DigiD: the demo runs the
mock DigiD of django-digid-eherkenning, where one picks Heba, Nahom or Olena (their fictional test BSN).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from digid_eherkenning.models.digid import MockDigidUser

from koers.activities.models import Activity, Enrolment
from koers.core.codes import ActivityKind, LegalBasis
from koers.core.models import User
from koers.demo import participants
from koers.demo.world import TAAL_PURPOSE, Loader
from koers.participants.models import Participant
from koers.portal.models import PortalAccount
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
        PortalAccount.objects.create(participant=participant, user=user, language=login.language,
                                     activated_at=loader.now)
        loader.count("accounts Mijn Koers")
