"""Demo activities: two group programmes, the case journeys' activities, sessions and attendance.

Part of ``koers demo`` (``koers.demo.loader.load`` calls ``load`` inside its transaction). Every date is
relative to today, so the demo always looks current:

- **Samen Sterk naar Werk** at De Schakel: three days a week for six months at one location. The first twelve
  weeks have a theme per week in the two-step model: on monday morning a theme meeting in the own language
  (Arabic or Tigrinya, in parallel), then two half-days of Dutch on the same theme (the Dutch lesson ``follows``
  the Arabic meeting; the week's theme is the note of each session). Sport on wednesday afternoon, assembly work
  on thursday in two small teams. One group of ten participants speaking at A1–A2.
- **Taalexpres naar werk** at Taalcentrum Rivierland: phase 1 (18 weeks, started ten weeks ago) four days of
  five hours of Dutch in two groups (A2 and B1), a themed fifth day and sport; phase 2 (18 weeks, planned) a
  work placement on five days and Dutch on two evenings.
- The case journeys where it fits: Heba (exam training, ONA, computer lessons, volunteering), Nahom (VCA course
  that asks A2 speaking, evening lessons, weekend language café; next to his 38-hour job, so above the 32 hours
  with a recorded reason), Ammar (evening lessons next to his job),
  Nabil (exam training).

Idempotent: an activity is found by title and provider; its groups and enrolments are written only together
with the activity itself. Sessions are generated (``attendance.generate_sessions`` only adds what is missing) and
past sessions without attendance get attendance on every run, so a demo database that is loaded again on a
later day catches up. Today's sessions at the language provider are left open (except group B1 of phase 1) so
the teacher can try the attendance screen; one participant of the demo regisseur is absent without notice today
or yesterday, so the signal shows. Rows are written with the ORM: seeding is not staff access and writes no
audit records, but keeps the invariants of the services (enrolment periods inside the activity, group members
enrolled, ``Attendance.participant`` is the enrolment's participant). All people and organisations are
fictional.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from koers.activities.models import Activity, ActivitySlot, Attendance, ClosedDay, Enrolment, Group, Session
from koers.activities.services.attendance import generate_sessions
from koers.core.codes import (
    LEVEL_ORDER,
    ActivityKind,
    AttendanceStatus,
    DropoutReason,
    EnrolmentStatus,
    LegalBasis,
    SessionStatus,
)
from koers.demo import world
from koers.demo.participants import CASE_NAMES
from koers.participants.models import Membership, Participant

A = AttendanceStatus
S = EnrolmentStatus

#: Organisation key → (legal basis, purpose) of the membership a provider needs to see an enrolled participant.
PROVIDER_BASIS = {
    "taal": (LegalBasis.WETTELIJKE_TAAK, "Taallessen NT2 en voortgangstoetsen"),
    "sociaal": (LegalBasis.TOESTEMMING, "Vrijwilligerswerk en werkervaring met jobcoaching"),
    "reintegratie": (LegalBasis.WETTELIJKE_TAAK, "Trajectbegeleiding naar werk"),
    "maatschappelijk": (LegalBasis.WETTELIJKE_TAAK, "Maatschappelijke begeleiding en werkvoorbereiding"),
}

#: The themes of the first twelve weeks of Samen Sterk naar Werk (one per week, tweestapsmodel).
THEMES = [
    "Veerkracht: omgaan met tegenslag",
    "Gezin en toekomst",
    "Wonen in de wijk",
    "Samenwerken: wij-cultuur en ik-cultuur",
    "Direct en indirect communiceren",
    "Werknemersvaardigheden",
    "Plannen en organiseren",
    "De zorg in Nederland",
    "Rechten en plichten op het werk",
    "Solliciteren",
    "Een bedrijfsbezoek voorbereiden",
    "Terugblik: mijn toekomstplan",
]

#: The group of phase 1 whose session today is registered (the rest of today at the language provider is open).
REGISTERED_TODAY = "Groep B1"
OPEN_TODAY_PROVIDER = "taal"

EXCUSED_NOTES = ["Afspraak bij de huisarts", "Kind ziek", "Afspraak bij de gemeente", "Afspraak IND", ""]
LATE_NOTES = ["Bus te laat", "Kwartier te laat", ""]


def _t(text: str) -> time:
    return time.fromisoformat(text)


@dataclass
class Spec:
    key: str
    provider: str
    owner: str
    title: str
    kind: str
    start: date
    end: date
    slots: list[tuple[int, str, str]]
    description: str = ""
    theme: str = ""
    language: str = "nl"
    location: str = ""
    groups: list[str] = field(default_factory=list)
    follows: str = ""
    is_group: bool = True
    min_size: int | None = None
    max_size: int | None = None
    required_levels: dict = field(default_factory=dict)
    certificate: str = ""
    themed: bool = False  # sessions of the first twelve weeks carry the week's theme


@dataclass
class Dates:
    today: date
    monday: date

    @property
    def snw_start(self) -> date:
        return self.monday - timedelta(weeks=9)

    @property
    def snw_end(self) -> date:
        return self.snw_start + timedelta(weeks=26, days=-3)

    @property
    def tx1_start(self) -> date:
        return self.monday - timedelta(weeks=10)

    @property
    def tx1_end(self) -> date:
        return self.tx1_start + timedelta(weeks=18, days=-3)

    @property
    def tx2_start(self) -> date:
        return self.tx1_start + timedelta(weeks=18)

    @property
    def tx2_end(self) -> date:
        return self.tx2_start + timedelta(weeks=18, days=-3)

    @property
    def vca_start(self) -> date:
        first = self.today + timedelta(days=14)
        return first + timedelta(days=(5 - first.weekday()) % 7)  # a saturday two to three weeks ahead


def specs(d: Dates) -> list[Spec]:
    schakel = "De Schakel, leslokaal boven het atelier (Industrieweg 12, Rivierstad)"
    taal = "Taalcentrum Rivierland, Stationsplein 4, Rivierstad"
    return [
        # --- Samen Sterk naar Werk (De Schakel) ---
        Spec(
            "snw_thema_ar", "sociaal", "jobcoach", "Samen Sterk naar Werk: themabijeenkomst in het Arabisch",
            ActivityKind.THEMA_EIGEN_TAAL, d.snw_start, d.snw_end, [(0, "09:00", "12:00")],
            description="Eerste stap van het tweestapsmodel: het thema van de week in de eigen taal bespreken, met "
            "ruimte voor vragen. Begeleid door een Arabischsprekende trainer.",
            theme="Thema van de week (tweestapsmodel)", language="ar", location=schakel, themed=True,
        ),
        Spec(
            "snw_thema_ti", "sociaal", "jobcoach", "Samen Sterk naar Werk: themabijeenkomst in het Tigrinya",
            ActivityKind.THEMA_EIGEN_TAAL, d.snw_start, d.snw_end, [(0, "09:00", "12:00")],
            description="Tegelijk met de Arabische bijeenkomst, in een ander lokaal: hetzelfde thema in het Tigrinya.",
            theme="Thema van de week (tweestapsmodel)", language="ti", location=schakel, themed=True,
        ),
        Spec(
            "snw_nl", "sociaal", "jobcoach", "Samen Sterk naar Werk: Nederlands rond het thema",
            ActivityKind.TAAL_PRAKTIJK, d.snw_start, d.snw_end, [(0, "13:00", "15:30"), (2, "09:00", "12:00")],
            description="Tweede stap: twee dagdelen Nederlands over het thema van de week (woorden, oefenen, "
            "rollenspel). Aanwezigheid en op tijd komen horen bij de afspraken.",
            theme="Thema van de week (tweestapsmodel)", location=schakel, groups=["Groep 1"], follows="snw_thema_ar",
            min_size=6, max_size=12, themed=True,
        ),
        Spec(
            "snw_sport", "sociaal", "jobcoach", "Samen Sterk naar Werk: sport en bewegen buiten",
            ActivityKind.GEZONDHEID_SPORT, d.snw_start, d.snw_end, [(2, "13:00", "14:30")],
            description="Warming-up, kern en cooling-down in het park; letten op samenwerken, op tijd komen en "
            "Nederlands praten.", location="Stadspark Rivierstad, bij het paviljoen", groups=["Groep 1"],
        ),
        Spec(
            "snw_montage", "sociaal", "jobcoach", "Samen Sterk naar Werk: montagewerk in het atelier",
            ActivityKind.WERKERVARING, d.snw_start, d.snw_end, [(3, "09:00", "15:00")],
            description="Werkervaring met eenvoudig montagewerk voor een lokale fabrikant, in twee kleine ploegen "
            "met een werkbegeleider.", location="De Schakel, atelier", groups=["Montageploeg A", "Montageploeg B"],
            min_size=3, max_size=6,
        ),
        # --- Taalexpres naar werk (Taalcentrum Rivierland) ---
        Spec(
            "tx1_taal", "taal", "taaldocent", "Taalexpres naar werk, fase 1: intensief Nederlands",
            ActivityKind.TAAL_FORMEEL, d.tx1_start, d.tx1_end,
            [(wd, "09:00", "14:00") for wd in range(4)],
            description="Achttien weken vier dagen per week vijf uur Nederlands, in twee klassen op niveau (naar A2 "
            "en naar B1). Daarna fase 2: werken met taal.", location=taal, groups=["Groep A2", "Groep B1"],
            min_size=6, max_size=12,
        ),
        Spec(
            "tx1_themadag", "taal", "taaldocent", "Taalexpres naar werk, fase 1: themadag werk",
            ActivityKind.TRAINING_ARBEIDSMARKT, d.tx1_start, d.tx1_end, [(4, "09:00", "13:00")],
            description="De vijfde dag: elke week een sector (zorg, techniek, logistiek, ...) met een gastspreker "
            "of een bedrijfsbezoek.", theme="Beroepen en sectoren", location=taal,
        ),
        Spec(
            "tx1_sport", "taal", "taaldocent", "Taalexpres naar werk, fase 1: sport",
            ActivityKind.GEZONDHEID_SPORT, d.tx1_start, d.tx1_end, [(4, "13:30", "15:00")],
            location="Sporthal De Waard, Rivierstad",
        ),
        Spec(
            "tx2_werk", "taal", "taaldocent", "Taalexpres naar werk, fase 2: werkplek",
            ActivityKind.STAGE, d.tx2_start, d.tx2_end, [(wd, "09:00", "14:30") for wd in range(5)],
            description="Achttien weken vijf dagen per week op een werkplek bij een werkgever in de regio, met een "
            "taalcoach op de werkvloer.", is_group=False, location="Bij de werkgever",
        ),
        Spec(
            "tx2_avond", "taal", "taaldocent", "Taalexpres naar werk, fase 2: avondles",
            ActivityKind.TAAL_FORMEEL, d.tx2_start, d.tx2_end, [(1, "18:30", "20:30"), (3, "18:30", "20:30")],
            description="Twee avonden Nederlands naast de werkplek, met de taal van het werk.", location=taal,
        ),
        # --- Other activities (the case journeys and a few others) ---
        Spec(
            "avondles", "taal", "taaldocent", "Avondles Nederlands naast het werk",
            ActivityKind.TAAL_FORMEEL, d.monday - timedelta(weeks=20), d.monday + timedelta(weeks=16, days=4),
            [(0, "19:00", "21:00"), (2, "19:00", "21:00")],
            description="Voor wie overdag werkt: twee avonden per week, met oefenen van gesprekken op het werk.",
            location=taal,
        ),
        Spec(
            "examen", "taal", "taaldocent", "Examentraining Staatsexamen NT2 programma II",
            ActivityKind.TAAL_FORMEEL, d.monday - timedelta(weeks=12), d.monday + timedelta(weeks=6, days=4),
            [(0, "09:30", "12:00"), (3, "09:30", "12:00")],
            description="Voorbereiding op het Staatsexamen NT2 (B2), met extra aandacht voor schrijven.",
            location=taal, required_levels={"spreken": "B1", "lezen": "B1"}, min_size=4, max_size=10,
        ),
        Spec(
            "computer", "taal", "taaldocent", "Digitaal aan de slag (computerles)",
            ActivityKind.DIGITAAL, d.monday - timedelta(weeks=8), d.monday + timedelta(weeks=8, days=4),
            [(2, "13:30", "15:30")],
            description="E-mail, DigiD, formulieren en tekstverwerken; in je eigen tempo.", location=taal,
            max_size=10,
        ),
        Spec(
            "taalcafe", "taal", "taaldocent", "Weekendtaalcafé in de bibliotheek",
            ActivityKind.TAALCOACHING, d.monday - timedelta(weeks=30), d.monday + timedelta(weeks=26, days=6),
            [(5, "10:00", "12:00"), (6, "14:00", "16:00")],
            description="Nederlands praten met vrijwilligers; voor wie door de week werkt of extra wil oefenen.",
            location="Bibliotheek Rivierstad, leescafé",
        ),
        Spec(
            "ona", "maatschappelijk", "maatschappelijk", "Oriëntatie op de Nederlandse arbeidsmarkt (ONA)",
            ActivityKind.TRAINING_ARBEIDSMARKT, d.monday - timedelta(weeks=8), d.monday + timedelta(weeks=4, days=4),
            [(1, "09:30", "12:00")],
            description="Twaalf bijeenkomsten: je talenten, beroepen in Nederland, je cv en een bedrijfsbezoek.",
            location="Stichting Nieuw Thuis, Kerkstraat 8", min_size=4, max_size=12,
        ),
        Spec(
            "vrijwilligers", "sociaal", "jobcoach", "Vrijwilligerswerk kringloopwinkel (kassa en inname)",
            ActivityKind.VRIJWILLIGERSWERK, d.monday - timedelta(weeks=56), d.monday + timedelta(weeks=26, days=4),
            [(4, "09:00", "12:30")], is_group=False, location="De Schakel, kringloopwinkel",
            description="Een ochtend per week meewerken aan de kassa en bij de inname, met een vaste begeleider.",
        ),
        Spec(
            "vca", "reintegratie", "begeleider", "VCA Basis (zaterdagcursus)",
            ActivityKind.CERTIFICERING, d.vca_start, d.vca_start + timedelta(weeks=3), [(5, "09:00", "16:00")],
            description="Vier zaterdagen veiligheid op de werkvloer, afgesloten met het VCA-examen.",
            location="Werkkracht Re-integratie, Havenweg 30", required_levels={"spreken": "A2"},
            certificate="VCA Basis", min_size=6, max_size=14,
        ),
    ]


# --- Writing ---------------------------------------------------------------------------------------------------


def _activity(ctx, spec: Spec, created: dict[str, Activity]) -> tuple[Activity, bool]:
    provider = ctx.orgs[spec.provider]
    activity = Activity.objects.filter(provider=provider, title=spec.title).first()
    if activity is not None:
        return activity, False
    activity = Activity.objects.create(
        provider=provider, title=spec.title, kind=spec.kind, description=spec.description, theme=spec.theme,
        follows=created.get(spec.follows), is_group=spec.is_group, location=spec.location, language=spec.language,
        start_date=spec.start, end_date=spec.end, min_group_size=spec.min_size, max_group_size=spec.max_size,
        required_levels=spec.required_levels, certificate=spec.certificate, created_by=ctx.users[spec.owner],
    )
    ActivitySlot.objects.bulk_create(
        ActivitySlot(activity=activity, weekday=wd, start_time=_t(a), end_time=_t(b)) for wd, a, b in spec.slots
    )
    for name in spec.groups:
        Group.objects.create(activity=activity, name=name, created_by=ctx.users[spec.owner])
    ctx.count("activiteiten")
    ctx.count("groepen", len(spec.groups))
    return activity, True


def _closed_days(ctx, d: Dates) -> None:
    """Holidays of the providers (natural key: organisation and reason), written before sessions exist."""
    days = [
        ("taal", d.monday - timedelta(weeks=3) + timedelta(days=2), "Studiedag docenten"),
        ("taal", d.monday + timedelta(weeks=5, days=4), "Brugdag: Taalcentrum gesloten"),
        ("sociaal", d.monday - timedelta(weeks=5) + timedelta(days=3), "Inventarisatie kringloop en atelier"),
    ]
    for org_key, day, reason in days:
        org = ctx.orgs[org_key]
        if not ClosedDay.objects.filter(organisation=org, reason=reason).exists():
            ClosedDay.objects.create(organisation=org, date=day, reason=reason)
            ctx.count("vrije dagen")


def _registered(participant: Participant) -> date:
    """The day the participant came into Koers ("in Koers sinds"): nothing of theirs starts earlier."""
    return timezone.localdate(participant.created_at)


def _ensure_membership(ctx, participant: Participant, org_key: str, since: date) -> None:
    """The provider needs an active membership to see (and register) an enrolled participant: from two weeks before
    the enrolment, but not before the participant's registration."""
    if Membership.objects.active().filter(participant=participant, organisation=ctx.orgs[org_key]).exists():
        return
    basis, purpose = PROVIDER_BASIS[org_key]
    days = min(max((ctx.today - since).days, 0) + 14, (ctx.today - _registered(participant)).days)
    ctx.membership(participant, org_key, basis, purpose, days)


@dataclass
class Plan:
    """Who takes part in which demo activity: (participant, group name, start, end, status, extra fields)."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))

    def add(self, key, participant, group=None, start=None, end=None, status=None, **extra):
        self.rows[key].append((participant, group, start, end, status, extra))


def _rank(level: str) -> int:
    return LEVEL_ORDER.get(level, -1)


def _speaks(p: Participant, *codes: str) -> bool:
    return any(code in (p.languages or []) for code in codes)


def choose(ctx, d: Dates) -> Plan:
    """The participants of every demo activity, picked from the demo caseload by fixed rules (the drawn caseload
    is the same every time, so the choice is too)."""
    gemeente = ctx.orgs["gemeente"]
    cases = {
        p.preferred_name: p
        for p in Participant.objects.filter(regie_organisation=gemeente, name__in=CASE_NAMES)
    }
    pool = list(
        Participant.objects.filter(regie_organisation=gemeente, phase__in=["traject", "intake", "nazorg"])
        .exclude(name__in=CASE_NAMES).select_related("regisseur").order_by("name", "date_of_birth")
    )
    # Language activities go first to people the language provider already works with, the others to people it
    # does not: the provider's caseload (and so what its staff see) stays close to the drawn one.
    at_taal = set(
        Membership.objects.active().filter(organisation=ctx.orgs["taal"]).values_list("participant_id", flat=True)
    )
    pool.sort(key=lambda p: p.pk not in at_taal)  # stable: by name within each half
    others_first = sorted(pool, key=lambda p: p.pk in at_taal)
    used: set[int] = set()

    def take(candidates, n):
        picked = [p for p in candidates if p.pk not in used][:n]
        used.update(p.pk for p in picked)
        return picked

    plan = Plan()
    # Samen Sterk naar Werk: ten participants speaking A1–A2, seven Arabic and three Tigrinya speakers.
    a1a2 = [p for p in others_first if p.phase == "traject" and p.level_spreken in ("A1", "A2")]
    arabic = take([p for p in a1a2 if _speaks(p, "ar")], 7)
    tigrinya = take([p for p in a1a2 if _speaks(p, "ti") and not _speaks(p, "ar")], 3)
    group = arabic + tigrinya
    for i, p in enumerate(group):
        plan.add("snw_thema_ar" if p in arabic else "snw_thema_ti", p)
        plan.add("snw_nl", p, "Groep 1")
        plan.add("snw_sport", p, "Groep 1")
        plan.add("snw_montage", p, "Montageploeg A" if i % 2 == 0 else "Montageploeg B")
    # Taalexpres phase 1: two classes by speaking level; all of them are planned for phase 2.
    towards_a2 = take([p for p in pool if p.level_spreken == "A1"], 7)
    towards_b1 = take([p for p in pool if p.level_spreken in ("A2", "B1")], 7)
    for name, members in (("Groep A2", towards_a2), ("Groep B1", towards_b1)):
        for p in members:
            plan.add("tx1_taal", p, name)
            plan.add("tx1_themadag", p)
            plan.add("tx1_sport", p)
            plan.add("tx2_werk", p, status=S.AANGEMELD)
            plan.add("tx2_avond", p, status=S.AANGEMELD)
    # The case journeys.
    heba, nahom, ammar, nabil = (cases.get(n) for n in ("Heba", "Nahom", "Ammar", "Nabil"))
    if heba:
        plan.add("examen", heba)
        plan.add("ona", heba)
        plan.add("computer", heba)
        plan.add("vrijwilligers", heba, start=d.monday - timedelta(weeks=52, days=-4))
    if nabil:
        plan.add("examen", nabil)
    if nahom:
        # Nahom works 38 hours: class and work together go over the 32 hours of the municipality, so each
        # enrolment carries the reason recorded when he was enrolled (the week view shows it; issue 12).
        why = ("Nahom werkt fulltime en wil zelf naast zijn werk Nederlands oefenen{}; afgesproken met Nahom en "
               "zijn coach bij Werkkracht.")
        plan.add("vca", nahom, status=S.AANGEMELD,
                 conflict_override=why.format(" en VCA halen om de techniek in te gaan"))
        plan.add("avondles", nahom, start=d.monday + timedelta(weeks=1), status=S.AANGEMELD,
                 conflict_override=why.format(" in de avond"))
        plan.add("taalcafe", nahom, start=d.monday - timedelta(weeks=6, days=-5),
                 conflict_override=why.format(" in het weekend"))
    if ammar:
        plan.add("avondles", ammar, start=d.monday - timedelta(weeks=18))
        plan.add("taalcafe", ammar, start=d.monday - timedelta(weeks=14, days=-5))
    # A few others: exam training (B2 speakers), ONA, computer lessons, evening lessons, VCA, language café.
    for p in take([p for p in pool if _rank(p.level_spreken) >= LEVEL_ORDER["B2"]], 3):
        plan.add("examen", p)
    # ONA on tuesday morning fits next to Samen Sterk naar Werk (monday, wednesday, thursday).
    for p in group[5:8]:
        plan.add("ona", p)
    for p in take([p for p in pool if p.level_spreken == "A1" and p.digital_skills in ("geen", "basis")], 2):
        plan.add("computer", p)
    for p in take([p for p in pool if p.phase == "nazorg"], 2):
        plan.add("avondles", p, start=d.monday - timedelta(weeks=9))
    # VCA on saturdays: two of phase 1 class B1, and one A1 speaker of Samen Sterk naar Werk (with a reason).
    vca = [p for p in towards_b1 if p.level_spreken == "A2"][2:4] + [p for p in group if p.level_spreken == "A1"][:1]
    for p in vca:
        extra = {}
        if p.level_spreken != "A2":
            extra["requirement_override"] = (
                "Spreekt nog A1; het VCA-examen kan in de eigen taal worden afgelegd. Afgesproken met de begeleider."
            )
        plan.add("vca", p, status=S.AANGEMELD, **extra)
    # The language café at the weekend: some of phase 1 who want extra practice (of both regisseurs).
    for p in towards_a2[:2] + towards_b1[:2]:
        plan.add("taalcafe", p, start=d.monday - timedelta(weeks=4, days=-5))
    # One of Samen Sterk naar Werk found work (afgerond); one of phase 1 stopped (zorgtaken).
    if len(group) > 3:
        plan.rows["finished"] = [(group[3], d.today - timedelta(days=12))]
    if len(towards_b1) > 5:
        plan.rows["dropped"] = [(towards_b1[5], d.monday - timedelta(weeks=4, days=-1))]
    return plan


def _enrol(ctx, spec: Spec, activity: Activity, rows: list[tuple], plan: Plan) -> None:
    groups = {g.name: g for g in activity.groups.all()}
    finished = dict(plan.rows.get("finished", []))
    dropped = dict(plan.rows.get("dropped", []))
    enrolments = []
    for participant, group, start, end, status, extra in rows:
        # Not before the activity, nor before the participant came into Koers (who registered since joins later).
        start = max(start or activity.start_date, activity.start_date, _registered(participant))
        if start > activity.end_date:
            continue
        if participant in dropped and start > dropped[participant]:
            continue  # stopped before this part began
        if status is None:
            status = S.ACTIEF if start <= ctx.today else S.AANGEMELD
        reason = ""
        if status == S.ACTIEF and participant in finished and finished[participant] >= start:
            status, end = S.AFGEROND, finished[participant]
        elif status == S.ACTIEF and participant in dropped and dropped[participant] >= start:
            status, end, reason = S.UITGEVALLEN, dropped[participant], DropoutReason.ZORGTAKEN
        end = min(end, activity.end_date) if end else None
        _ensure_membership(ctx, participant, spec.provider, start)
        enrolments.append(Enrolment(
            participant=participant, activity=activity, group=groups.get(group) if group else None,
            start_date=start, end_date=end, status=status, dropout_reason=reason,
            dropout_note="Zorg voor een ziek familielid; wil later weer instromen." if reason else "",
            enrolled_by=ctx.users[spec.owner], **extra,
        ))
    Enrolment.objects.bulk_create(enrolments)
    ctx.count("inschrijvingen", len(enrolments))


def _theme_notes(activity: Activity, d: Dates) -> None:
    """The theme of the week on the sessions of the first twelve weeks (only where no note is set)."""
    first = activity.start_date - timedelta(days=activity.start_date.weekday())
    for week, theme in enumerate(THEMES):
        monday = first + timedelta(weeks=week)
        Session.objects.filter(
            activity=activity, status=SessionStatus.GEPLAND, note="", date__range=(monday, monday + timedelta(days=6))
        ).update(note=f"Thema: {theme}")


def _cancel_one(activity: Activity, d: Dates) -> None:
    """One sports session called off by the weather (before any attendance is registered for it)."""
    day = d.snw_start + timedelta(weeks=4, days=2)
    Session.objects.filter(activity=activity, date=day, status=SessionStatus.GEPLAND, attendances__isnull=True).update(
        status=SessionStatus.GEANNULEERD, note="Sportveld afgekeurd na de storm"
    )


# --- Attendance ------------------------------------------------------------------------------------------------


def _draw(participant_id: int, day: date, start: time, shaky: bool) -> tuple[str, str]:
    """A fixed pseudo-random attendance (the same on every run): mostly present, some late, excused or sick,
    a few absent without notice; a "shaky" participant misses more."""
    n = zlib.crc32(f"{participant_id}|{day.isoformat()}|{start}".encode()) % 1000
    bounds = (640, 700, 790, 900) if shaky else (870, 920, 955, 988)
    if n < bounds[0]:
        return A.AANWEZIG, ""
    if n < bounds[1]:
        return A.TE_LAAT, LATE_NOTES[n % len(LATE_NOTES)]
    if n < bounds[2]:
        return A.AFGEMELD, EXCUSED_NOTES[n % len(EXCUSED_NOTES)]
    if n < bounds[3]:
        return A.ZIEK, ""
    return A.ONGEOORLOOFD, ""


def _left_open(session: Session, provider_id: int, today: date) -> bool:
    """Today's sessions at the language provider stay unregistered, except those of group B1 of phase 1."""
    return (
        session.date == today and session.activity.provider_id == provider_id
        and not (session.group_id and session.group.name == REGISTERED_TODAY)
    )


def _attendance(ctx, activities: list[Activity], owners: dict[int, str], shaky: set[int]) -> None:
    today = ctx.today
    open_provider = ctx.orgs[OPEN_TODAY_PROVIDER].pk
    sessions = list(
        Session.objects.filter(activity__in=activities, date__lte=today, status=SessionStatus.GEPLAND)
        .annotate(n=Count("attendances")).filter(n=0)
        .select_related("activity", "group").order_by("date", "start_time", "id")
    )
    sessions = [s for s in sessions if not _left_open(s, open_provider, today)]
    if not sessions:
        return
    by_activity: dict[int, list[Enrolment]] = defaultdict(list)
    for e in Enrolment.objects.filter(activity__in=activities).select_related("participant__regisseur"):
        by_activity[e.activity_id].append(e)
    new: list[Attendance] = []
    signal_candidates: list[tuple[tuple, int]] = []
    for s in sessions:
        end_of = s.activity.end_date
        for e in by_activity[s.activity_id]:
            if s.group_id and e.group_id != s.group_id:
                continue
            if not (e.start_date <= s.date <= (e.end_date or end_of)):
                continue
            if e.status == S.AANGEMELD:
                continue
            status, note = _draw(e.participant_id, s.date, s.start_time, e.participant_id in shaky)
            new.append(Attendance(
                session=s, enrolment=e, participant_id=e.participant_id, status=status, note=note,
                recorded_by=ctx.users[owners[s.activity_id]],
            ))
            p = e.participant
            if (s.date >= today - timedelta(days=1) and p.regisseur.username == "regisseur"
                    and p.name not in CASE_NAMES):
                signal_candidates.append(((s.date, s.start_time, p.name), len(new) - 1))
    if signal_candidates:
        # The signal the demo regisseur sees the same day: the latest session today or yesterday.
        _, index = max(signal_candidates)
        new[index].status, new[index].note = A.ONGEOORLOOFD, ""
    if not new:
        return
    Attendance.objects.bulk_create(new, batch_size=500)
    ctx.count("aanwezigheid", len(new))
    # recorded_at is set on save; put it at the end of the day of the session (never later than now).
    tz = timezone.get_current_timezone()
    by_day: dict[date, list[int]] = defaultdict(list)
    for a in new:
        by_day[a.session.date].append(a.pk)
    for day, ids in by_day.items():
        at = min(datetime.combine(day, time(17, 0), tzinfo=tz), ctx.now)
        Attendance.objects.filter(pk__in=ids).update(recorded_at=at)


# --- Entry point -----------------------------------------------------------------------------------------------


def load(loader=None) -> dict[str, int]:
    """Create whatever of the demo activities is missing. Returns the rows created per kind (also counted on the
    loader, so ``koers demo`` prints them)."""
    ctx = world.context(loader)
    before = dict(ctx.created)
    today = ctx.today
    d = Dates(today=today, monday=today - timedelta(days=today.weekday()))
    _closed_days(ctx, d)
    all_specs = specs(d)
    activities: dict[str, Activity] = {}
    new_keys: list[str] = []
    for spec in all_specs:
        activity, created = _activity(ctx, spec, activities)
        activities[spec.key] = activity
        if created:
            new_keys.append(spec.key)
    if new_keys:
        plan = choose(ctx, d)
        for spec in all_specs:
            if spec.key in new_keys:
                _enrol(ctx, spec, activities[spec.key], plan.rows.get(spec.key, []), plan)
    for spec in all_specs:
        result = generate_sessions(activities[spec.key])
        if result.created:
            ctx.count("bijeenkomsten", result.created)
            if spec.themed:
                _theme_notes(activities[spec.key], d)
            if spec.key == "snw_sport":
                _cancel_one(activities[spec.key], d)
    owners = {activities[s.key].pk: s.owner for s in all_specs}
    # One participant of Samen Sterk naar Werk misses more often (the attendance rate signal).
    shaky = set(
        Enrolment.objects.filter(activity=activities["snw_nl"], status=S.ACTIEF)
        .order_by("participant__name").values_list("participant_id", flat=True)[1:2]
    )
    _attendance(ctx, list(activities.values()), owners, shaky)
    return ctx.since(before)
