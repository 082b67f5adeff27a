"""Demo employers, openings, certificates, postcode areas, company visits and work profiles.

Part of ``koers demo`` (``koers.demo.loader.load`` calls ``load`` inside its transaction, after the
participants). Employers come from the sectors of the NBNB job table (horeca, magazijn,
schoonmaak, productie, zorg, techniek); the accountmanager of Gemeente Rivierstad manages them. One opening asks
A2 speaking and VCA (the acceptance scenario: Nahom is enrolled for the VCA course, so he shows as a near miss
with "VCA-certificaat ontbreekt"). ``CASE_JOBS`` names the openings of the case journeys' jobs for the placements
demo: a full-time factory job, 24 hours with a seven-month contract, a BBL place.

Idempotent: certificates by code, postcode areas by postcode, employers by name, openings by employer and title,
visits by employer and date offset; work profiles only where none exists. All companies are fictional.
"""

from __future__ import annotations

from datetime import timedelta

from koers.core.codes import Phase, PlacementKind
from koers.demo import world
from koers.participants.models import Participant
from koers.work.models import Certificate, CompanyVisit, ContactPerson, Employer, Opening, PostcodeArea, WorkProfile

CERTIFICATES = [
    ("vca", "VCA", "Basisveiligheid (VCA-basis) voor techniek, bouw, productie en logistiek"),
    ("heftruck", "Heftruckcertificaat", "Veilig werken met de heftruck"),
    ("haccp", "HACCP", "Hygiëne bij het werken met voedsel"),
    ("bhv", "BHV", "Bedrijfshulpverlening"),
]

#: Fictional postcode areas around the demo city (the demo participants have a city; distances then come from
#: the municipality fallback).
AREAS = [
    ("6511", 51.8430, 5.8600, "Rivierstad"), ("6512", 51.8380, 5.8720, "Rivierstad"),
    ("6521", 51.8530, 5.8700, "Rivierstad"), ("6531", 51.8300, 5.8400, "Rivierstad"),
    ("6601", 51.8150, 5.7350, "Waaldorp"), ("6602", 51.8100, 5.7200, "Waaldorp"),
    ("6641", 51.8700, 5.7600, "Dijkzicht"),
    ("6701", 51.9700, 5.6600, "Heuvelrand"), ("6702", 51.9650, 5.6800, "Heuvelrand"),
]

#: name: (sector, size, street, postcode, city, buddy, training, contract, trial, languages, notes, contacts)
EMPLOYERS = {
    "Hotel-Restaurant De Waalkade": (
        "I", "10-49", "Waalkade 12", "6511 AA", "Rivierstad", "ja", "ja", "ja", "ja", ["nl", "ar", "en"],
        "Chef-kok is zelf als statushouder begonnen en begeleidt graag nieuwe collega's.",
        [("Ellen Verhoef", "bedrijfsleider", True), ("Karim Haddou", "chef-kok", False)],
    ),
    "LogiPunt Distributiecentrum": (
        "H", "250+", "Transportweg 40", "6601 BC", "Waaldorp", "onbekend", "ja", "ja", "nee", ["nl", "pl"],
        "Werkt in ploegen; heftruckcertificaat kan in de eerste maand worden gehaald.",
        [("Jeroen Peters", "HR-adviseur", True)],
    ),
    "SchoonThuis Schoonmaakdiensten": (
        "N", "50-249", "Industrieweg 3", "6521 DE", "Rivierstad", "ja", "nee", "onbekend", "ja", ["nl", "ti", "ar"],
        "Vroege diensten (6–10 uur) in kantoren; veel collega's spreken Tigrinya.",
        [("Marieke Smits", "planner", True)],
    ),
    "Rivierland Voedingsmiddelen": (
        "C", "250+", "Fabrieksstraat 1", "6531 FG", "Rivierstad", "ja", "ja", "ja", "ja", ["nl", "ar", "tr"],
        "Vaste ploeg op de productielijn; vraagt basisveiligheid en wat Nederlands voor de veiligheidsinstructies.",
        [("Hans de Wit", "productieleider", True), ("Fatma Yilmaz", "teamleider lijn 2", False)],
    ),
    "Zorggroep De Linde": (
        "Q", "250+", "Lindelaan 20", "6512 HJ", "Rivierstad", "ja", "ja", "ja", "onbekend", ["nl"],
        "Biedt BBL-plekken helpende zorg en welzijn met een werkbegeleider per leerling.",
        [("Anouk Bos", "praktijkopleider", True)],
    ),
    "Installatietechniek Van Dam": (
        "F", "10-49", "Ambachtsweg 8", "6641 KL", "Dijkzicht", "ja", "ja", "onbekend", "ja", ["nl"],
        "Zoekt assistent-monteurs; VCA is verplicht op de bouwplaats.",
        [("Peter van Dam", "eigenaar", True)],
    ),
}

#: (employer, title, kind, hours, days, requirements, certificates, licence, tasks, support, status)
WEEKDAYS_FULL = [f"{d}_{p}" for d in ("ma", "di", "wo", "do", "vr") for p in ("o", "m")]
OPENINGS = [
    ("Installatietechniek Van Dam", "Assistent-monteur installatietechniek", PlacementKind.BETAALD_WERK, 32,
     [], {"spreken": "A2"}, ["vca"], False,
     "Meehelpen bij het aanleggen van leidingen en elektra in nieuwbouwwoningen.",
     "Vaste monteur als buddy; na een half jaar een BBL-opleiding mogelijk.", "open"),
    ("Rivierland Voedingsmiddelen", "Productiemedewerker", PlacementKind.BETAALD_WERK, 38, WEEKDAYS_FULL,
     {"spreken": "A2", "luisteren": "A2"}, ["vca"], False,
     "Werken aan de productielijn: inpakken, controleren en machines bijvullen.",
     "Inwerkprogramma van twee weken en een teamleider die meekijkt.", "open"),
    ("Hotel-Restaurant De Waalkade", "Medewerker bediening", PlacementKind.BETAALD_WERK, 24, [],
     {"spreken": "A2"}, [], False, "Gasten ontvangen, bestellingen opnemen en uitserveren.",
     "Buddy in de bediening; taalcoach op de werkvloer.", "open"),
    ("Hotel-Restaurant De Waalkade", "Werkervaringsplaats keuken", PlacementKind.WERKERVARINGSPLAATS, 16,
     ["di_m", "wo_m", "do_m", "vr_m"], {}, ["haccp"], False, "Groenten snijden, afwassen en mise-en-place.",
     "Met behoud van uitkering; de chef-kok begeleidt.", "open"),
    ("LogiPunt Distributiecentrum", "Orderpicker", PlacementKind.BETAALD_WERK, 32, [], {"lezen": "A1"},
     ["heftruck"], False, "Orders verzamelen met de scanner en de heftruck.", "Heftruckcursus in de eerste maand.",
     "open"),
    ("LogiPunt Distributiecentrum", "Proefplaatsing magazijn", PlacementKind.PROEFPLAATSING, 24, [], {}, [], False,
     "Twee maanden meedraaien in het magazijn, met behoud van uitkering.", "Vaste werkbegeleider.", "open"),
    ("SchoonThuis Schoonmaakdiensten", "Schoonmaker kantoren", PlacementKind.BETAALD_WERK, 16,
     ["ma_o", "di_o", "wo_o", "do_o"], {}, [], False, "Kantoren schoonmaken in de vroege ochtend.",
     "Een collega die Tigrinya spreekt werkt je in.", "open"),
    ("Zorggroep De Linde", "Helpende zorg en welzijn (BBL)", PlacementKind.LEERWERKPLEK, 24, [],
     {"spreken": "B1", "luisteren": "B1", "lezen": "A2", "schrijven": "A2"}, [], False,
     "Bewoners helpen bij de dagelijkse verzorging, naast de mbo-2-opleiding (BBL).",
     "Werkbegeleider en praktijkopleider.", "open"),
    ("Rivierland Voedingsmiddelen", "Productiemedewerker nachtploeg", PlacementKind.BETAALD_WERK, 36, [], {},
     ["vca"], True, "Nachtploeg op lijn 1.", "", "vervuld"),
]

#: The openings of the case journeys' jobs (for the placements demo): key -> (employer, title).
CASE_JOBS = {
    "fabriek_fulltime": ("Rivierland Voedingsmiddelen", "Productiemedewerker"),
    "24_uur_7_maanden": ("Hotel-Restaurant De Waalkade", "Medewerker bediening"),
    "bbl": ("Zorggroep De Linde", "Helpende zorg en welzijn (BBL)"),
}

#: (employer, days ago, report, how many participants in a running trajectory join)
VISITS = [
    ("LogiPunt Distributiecentrum", 30, "Rondleiding door het distributiecentrum; uitleg over ploegendiensten en "
                                        "de heftruckcursus.", 4),
    ("Rivierland Voedingsmiddelen", 60, "Kennismaking met de productielijn; twee deelnemers willen een "
                                        "proefplaatsing.", 3),
]


def opening(key: str) -> Opening | None:
    """The opening of a case journey's job (``CASE_JOBS``), or None when the demo has not loaded it."""
    employer, title = CASE_JOBS[key]
    return Opening.objects.filter(employer__name=employer, title=title).first()


def load(loader=None) -> dict[str, int]:
    """Create whatever of the demo employers, openings, visits and work profiles is missing. Returns the rows
    created per kind (also counted on the loader, so ``koers demo`` prints them)."""
    loader = world.context(loader)
    before = dict(loader.created)
    gemeente = loader.orgs["gemeente"]
    manager = loader.users["accountmanager"]
    certs = {}
    for code, name, description in CERTIFICATES:
        certs[code], created = Certificate.objects.get_or_create(code=code, defaults={"name": name,
                                                                                        "description": description})
        if created:
            loader.count("certificaten")
    known = set(PostcodeArea.objects.filter(postcode4__in=[a[0] for a in AREAS]).values_list("postcode4", flat=True))
    new_areas = [PostcodeArea(postcode4=a, latitude=b, longitude=c, municipality=d) for a, b, c, d in AREAS
                 if a not in known]
    PostcodeArea.objects.bulk_create(new_areas)
    if new_areas:
        loader.count("postcodegebieden", len(new_areas))

    employers = {}
    for name, spec in EMPLOYERS.items():
        sector, size, street, postcode, city, buddy, training, contract, trial, languages, notes, contacts = spec
        employer, created = Employer.objects.get_or_create(name=name, defaults={
            "organisation": gemeente, "sector": sector, "size_class": size, "street": street, "postcode": postcode,
            "city": city, "offers_buddy": buddy, "offers_training": training, "contract_perspective": contract,
            "trial_placements": trial,
            "floor_languages": languages, "notes": notes, "account_manager": manager,
            "email": f"info@{name.split()[0].lower().replace('-', '')}.example",
        })
        employers[name] = employer
        if created:
            loader.count("werkgevers")
            ContactPerson.objects.bulk_create([
                ContactPerson(employer=employer, name=person, function=function, is_primary=primary,
                              email=f"{person.split()[0].lower()}@{name.split()[0].lower().replace('-', '')}.example")
                for person, function, primary in contacts
            ])
            loader.count("contactpersonen", len(contacts))

    for (employer_name, title, kind, hours, days, levels, cert_codes, licence, tasks, support,
         status) in OPENINGS:
        employer = employers[employer_name]
        if Opening.objects.filter(employer=employer, title=title).exists():
            continue
        o = Opening.objects.create(
            employer=employer, title=title, kind=kind, sector=employer.sector, hours_per_week=hours, days=days,
            driving_licence_required=licence, tasks=tasks, support_offered=support, status=status,
            start_date=loader.today + timedelta(days=21), created_by=manager,
            **{f"req_{skill}": level for skill, level in levels.items()},
        )
        o.certificates.set([certs[c] for c in cert_codes])
        loader.count("vacatures")

    running = Participant.objects.filter(regie_organisation=gemeente, phase=Phase.TRAJECT).order_by("pk")
    for employer_name, days_ago, report, n in VISITS:
        employer = employers[employer_name]
        on = loader.days_ago(days_ago)
        if CompanyVisit.objects.filter(employer=employer, visited_on=on).exists():
            continue
        visit = CompanyVisit.objects.create(employer=employer, visited_on=on, description=report,
                                            organised_by=manager, organisation=gemeente)
        offset = 0 if days_ago == 30 else 4
        visit.participants.set(list(running[offset:offset + n]))
        loader.count("bedrijfsbezoeken")

    _work_profiles(loader, gemeente, certs)
    return loader.since(before)


def _work_profiles(loader, gemeente, certs) -> None:
    """Nahom is enrolled for the VCA course (not yet passed); a few others hold VCA or a driving licence."""
    nahom = Participant.objects.filter(regie_organisation=gemeente, name="Nahom Tesfamariam").first()
    if nahom is not None and not WorkProfile.objects.filter(participant=nahom).exists():
        WorkProfile.objects.create(
            participant=nahom, driving_licence="nee", max_travel_km=25, hours_wanted=32,
            notes="Aangemeld voor de VCA-basiscursus op zaterdag; het examen is na de vierde les.",
        )
        loader.count("werkprofielen")
    running = Participant.objects.filter(regie_organisation=gemeente, phase=Phase.TRAJECT).exclude(
        name="Nahom Tesfamariam").order_by("pk")
    # Four who speak A2 or better hold VCA (eligible for the A2 + VCA opening); of the others, the first holds
    # VCA too but speaks below A2 (a near miss on language), the rest have no certificate.
    speakers = list(running.filter(level_spreken__in=["A2", "B1", "B2", "C1", "C2"])[:4])
    others = list(running.exclude(pk__in=[p.pk for p in speakers]).exclude(level_spreken__in=["A2", "B1", "B2"])[:4])
    chosen = speakers + others
    have = set(WorkProfile.objects.filter(participant__in=chosen).values_list("participant_id", flat=True))
    for i, p in enumerate(chosen):
        if p.pk in have:
            continue
        profile = WorkProfile.objects.create(
            participant=p, driving_licence=["ja", "nee", "onbekend"][i % 3], max_travel_km=[10, 20, 30, None][i % 4],
            excluded_sectors=["I"] if i == 5 else [],
        )
        if i <= len(speakers):
            profile.certificates.set([certs["vca"]])
        loader.count("werkprofielen")
