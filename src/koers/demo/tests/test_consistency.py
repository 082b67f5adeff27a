"""The demo world is consistent in time: what a page shows of a participant never contradicts another page.

1. Every phase agrees with the records: *aanmelding* has no intake yet, *intake* a brede intake under way,
   *traject* a completed intake and no running paid job, *nazorg* a running placement, *afgesloten* a closure;
   a file's phase history ends in its phase.
2. "In Koers sinds" (``Participant.created_at``, on the eindrapportage) is the registration: at most a month
   before the brede intake, never after it, and nothing of the file (membership, assessment, contact, activity,
   plan, placement, trajectory, closure) starts earlier; the participant settled in the municipality at least two
   weeks before.
3. No conversation speaks of a job before it started: every placement of the demo has started (a job still to
   come is an open match), no contact, case-meeting note or intake text before a placement's start names its
   employer or job, a contact with the employer present falls within a placement, and the texts that speak of
   working shifts or pay slips come after the start of a placement.
4. No page of a demo PDF (plan, week card, case-meeting agenda and minutes, eindrapportage, programme report) is
   empty or holds only a heading.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.activities.models import Enrolment
from koers.casework.models import ActionItem, CaseMeeting, CaseMeetingItem, Contact
from koers.core.codes import Phase
from koers.core.models import User
from koers.demo.participants import CASE_NAMES
from koers.monitoring.models import Programme, Source, Trajectory
from koers.participants.models import (
    Intake,
    IntakeStatus,
    LanguageAssessment,
    Membership,
    Participant,
    ParticipantChange,
)
from koers.plans.models import PlanVersion, VersionStatus
from koers.work.models import Closure, Placement
from koers.work.queries import placements as placement_queries

pytestmark = pytest.mark.django_db

#: Days at most between the registration ("in Koers sinds") and the start of the brede intake.
REGISTRATION_BEFORE_INTAKE = 31
#: A newcomer is registered in Koers some time after settling in the municipality, never on the same day.
SETTLED_BEFORE_REGISTRATION = 14
#: Texts that speak of working at a job now: shifts and pay slips (checked against the placements' start).
AT_WORK = re.compile(r"\b(?:ploegen|nacht)dienst|\b(?:vroege|late) dienst|loonstro", re.IGNORECASE)


@pytest.fixture
def demo(db):
    call_command("demo", "--force", stdout=StringIO())


def day(moment: datetime) -> date:
    return timezone.localdate(moment)


def running(placement: Placement, today: date) -> bool:
    return placement.start_date <= today and (placement.ended_on is None or placement.ended_on >= today)


def test_every_phase_agrees_with_the_records(demo):
    today = timezone.localdate()
    problems = []
    for p in Participant.objects.prefetch_related("intakes", "placements__terms", "plan_versions"):
        intakes = list(p.intakes.all())
        done = [i for i in intakes if i.status == IntakeStatus.AFGEROND]
        under_way = [i for i in intakes if i.status == IntakeStatus.CONCEPT]
        jobs = [pl for pl in p.placements.all() if running(pl, today)]
        paid = [pl for pl in jobs
                if placement_queries.is_paid(pl.kind, placement_queries.current_term(pl).contract_type)]
        closed = Closure.objects.filter(participant=p, closed_on__lte=today).exists()
        expected = {
            Phase.AANMELDING: [
                (not intakes, "heeft al een intake"),
                (not p.plan_versions.all(), "heeft al een plan"),
                (not p.placements.all(), "heeft al een plaatsing"),
                (not Enrolment.objects.filter(participant=p).exists(), "doet al mee aan een activiteit"),
            ],
            Phase.INTAKE: [
                (len(under_way) == 1 and not done, "heeft geen intake die loopt (of al een afgeronde)"),
                (not p.placements.all(), "heeft al een plaatsing"),
                (not any(v.status == VersionStatus.SIGNED for v in p.plan_versions.all()), "heeft een getekend plan"),
            ],
            Phase.TRAJECT: [(done, "heeft geen afgeronde intake"), (not paid, "heeft betaald werk (dat is nazorg)")],
            Phase.NAZORG: [(done, "heeft geen afgeronde intake"), (jobs, "heeft geen lopende plaatsing")],
            Phase.AFGESLOTEN: [(done, "heeft geen afgeronde intake"), (closed, "heeft geen afsluiting")],
        }[p.phase]
        problems += [f"{p.name} ({p.phase}) {why}" for ok, why in expected if not ok]
        if closed and p.phase != Phase.AFGESLOTEN:
            problems.append(f"{p.name} ({p.phase}) is afgesloten maar staat niet in die fase")
        history = ParticipantChange.objects.filter(participant=p, field="phase").order_by("at", "id").last()
        if history is not None and history.new_value != Phase(p.phase).label:
            problems.append(f"{p.name} ({p.phase}): de laatste fasewijziging is naar {history.new_value}")
    assert not problems, "\n".join(problems)
    # The case journeys that work are in aftercare: Ammar (since 250 days) and Nahom (since 75 days).
    assert set(Participant.objects.filter(name__in=CASE_NAMES, phase=Phase.NAZORG).values_list("preferred_name",
                                                                                               flat=True)) == {
        "Ammar", "Nahom"}


def test_in_koers_sinds_is_the_registration_before_the_intake_and_every_record(demo):
    today = timezone.localdate()
    problems = []
    for p in Participant.objects.all():
        registered = day(p.created_at)
        first_intake = Intake.objects.filter(participant=p).order_by("started_at").first()
        if first_intake is None:
            if (today - registered).days > REGISTRATION_BEFORE_INTAKE:
                problems.append(f"{p.name}: in Koers sinds {registered} en nog geen intake")
        else:
            started = day(first_intake.started_at)
            if not registered <= started <= registered.fromordinal(registered.toordinal()
                                                                   + REGISTRATION_BEFORE_INTAKE):
                problems.append(f"{p.name}: in Koers sinds {registered}, intake gestart {started}")
            if first_intake.held_on < registered or (first_intake.completed_at
                                                     and day(first_intake.completed_at) < started):
                problems.append(f"{p.name}: de data van de intake kloppen niet")
        if p.settled_on and (registered - p.settled_on).days < SETTLED_BEFORE_REGISTRATION:
            problems.append(f"{p.name}: in de gemeente sinds {p.settled_on}, minder dan "
                            f"{SETTLED_BEFORE_REGISTRATION} dagen voor in Koers sinds {registered}")
        dates = {
            "betrokkenheid": Membership.objects.filter(participant=p).values_list("valid_from", flat=True),
            "taalniveau": LanguageAssessment.objects.filter(participant=p).values_list("tested_on", flat=True),
            "activiteit": Enrolment.objects.filter(participant=p).values_list("start_date", flat=True),
            "plaatsing": Placement.objects.filter(participant=p).values_list("start_date", flat=True),
            "afsluiting": Closure.objects.filter(participant=p).values_list("closed_on", flat=True),
            "traject": Trajectory.objects.filter(participant=p, source=Source.KOERS).values_list("started_on",
                                                                                                 flat=True),
        }
        moments = {
            "contact": Contact.objects.filter(participant=p).values_list("happened_at", flat=True),
            "actiepunt": ActionItem.objects.filter(participant=p).values_list("created_at", flat=True),
            "plan": PlanVersion.objects.filter(participant=p).values_list("created_at", flat=True),
        }
        for what, values in [*dates.items(), *((w, map(day, v)) for w, v in moments.items())]:
            early = [d for d in values if d < registered]
            if early:
                problems.append(f"{p.name}: {what} op {min(early)}, voor in Koers sinds {registered}")
    assert not problems, "\n".join(problems)


def test_no_conversation_speaks_of_a_job_before_it_started(demo):
    today = timezone.localdate()
    # The demo records a job once it has started; one that is still to come is an open match (Nabil's BBL place).
    problems = [f"{pl.participant.name}: plaatsing {pl.job_title} begint pas op {pl.start_date}"
                for pl in Placement.objects.filter(start_date__gt=today).select_related("participant")]
    for pl in Placement.objects.select_related("participant", "employer"):
        p, start = pl.participant, pl.start_date
        names = [pl.employer.name.casefold(), pl.job_title.casefold()]
        texts = [(day(c.happened_at), f"contact: {c.summary} {c.agreements} {c.third_party}")
                 for c in Contact.objects.filter(participant=p)]
        texts += [(i.meeting.date, f"casusoverleg: {i.reason} {i.note}")
                  for i in CaseMeetingItem.objects.filter(participant=p).select_related("meeting")]
        texts += [(i.held_on, f"intake: {i.summary} " + " ".join(f"{d.situation} {d.own_view} {d.support_needed}"
                                                             for d in i.domains.all()))
                  for i in Intake.objects.filter(participant=p)]
        for when, text in texts:
            if when < start and any(name in text.casefold() for name in names):
                problems.append(f"{p.name}, {when}: {text[:80]}... noemt {pl.job_title} bij {pl.employer}, "
                                f"die pas op {start} begint")
    placements = {}
    for pl in Placement.objects.all():
        placements.setdefault(pl.participant_id, []).append(pl)

    def at_work(pid: int, when: date) -> bool:
        return any(pl.start_date <= when and (pl.ended_on is None or pl.ended_on >= when)
                   for pl in placements.get(pid, []))

    for c in Contact.objects.select_related("participant"):
        when = day(c.happened_at)
        if c.employer_present and not at_work(c.participant_id, when):
            problems.append(f"{c.participant.name}, {when}: gesprek met de werkgever zonder lopende plaatsing")
        if AT_WORK.search(c.summary) and not at_work(c.participant_id, when):
            problems.append(f"{c.participant.name}, {when}: '{c.summary[:60]}...' voor de start van het werk")
    for item in CaseMeetingItem.objects.select_related("participant", "meeting"):
        if AT_WORK.search(f"{item.reason} {item.note}") and not at_work(item.participant_id, item.meeting.date):
            problems.append(f"{item.participant.name}, casusoverleg {item.meeting.date}: over werk voor de start")
    for intake in Intake.objects.select_related("participant").prefetch_related("domains"):
        situation = " ".join([intake.summary, *(d.situation for d in intake.domains.all())])
        if AT_WORK.search(situation) and not at_work(intake.participant_id, intake.held_on):
            problems.append(f"{intake.participant.name}: de intake van {intake.held_on} spreekt over werk dat toen "
                            "nog niet was begonnen")
    assert not problems, "\n".join(problems)


# --- PDF pages -------------------------------------------------------------------------------------------------

#: A page counter in a footer ("3 / 20", "Pagina 3 van 20") is not content.
PAGE_COUNTER = re.compile(r"^(?:pagina\s+)?\d+\s*(?:/|van)\s*\d+$", re.IGNORECASE)


def pdf_pages(content: bytes) -> list[list[str]]:
    """The text lines per page (pdftotext), without page counters."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True,
                              text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return [[line.strip() for line in page.splitlines() if line.strip() and not PAGE_COUNTER.match(line.strip())]
            for page in pages]


def documents() -> list[tuple[str, str, str]]:
    """(label, username, url) of every kind of demo PDF: the case journeys' plans and week cards, both case
    meetings, every eindrapportage and both programme reports."""
    docs = []
    cases = Participant.objects.filter(name__in=CASE_NAMES).select_related("regisseur")
    for p in cases:
        for v in p.plan_versions.all():
            docs.append((f"plan {p.name} v{v.number}", p.regisseur.username,
                         reverse("plans:pdf", kwargs={"pk": p.pk, "number": v.number})))
        docs.append((f"weekkaart {p.name}", p.regisseur.username,
                     reverse("activities:week_card", kwargs={"pk": p.pk})))
    for m in CaseMeeting.objects.all():
        docs.append((f"agenda {m.title}", "regisseur", reverse("casework:meeting_agenda_pdf", kwargs={"pk": m.pk})))
        docs.append((f"notulen {m.title}", "regisseur", reverse("casework:meeting_minutes_pdf", kwargs={"pk": m.pk})))
    for c in Closure.objects.select_related("participant__regisseur"):
        docs.append((f"eindrapportage {c.participant.name}", c.participant.regisseur.username,
                     reverse("work:closure_report", kwargs={"pk": c.participant_id, "version": "gemeente"})))
    for programme in Programme.objects.all():
        docs.append((f"rapport {programme.code}", "projectleider",
                     reverse("monitoring:report_pdf", kwargs={"code": programme.code})))
    return docs


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
def test_no_page_of_a_demo_pdf_is_empty_or_only_a_heading(demo):
    clients: dict[str, Client] = {}
    problems = []
    for label, username, url in documents():
        if username not in clients:
            clients[username] = Client(HTTP_HOST="localhost")
            clients[username].force_login(User.objects.get(username=username))
        response = clients[username].get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", label
        for number, lines in enumerate(pdf_pages(response.content), start=1):
            if len(lines) < 2:
                problems.append(f"{label}, pagina {number}: {lines or 'leeg'}")
    assert not problems, "\n".join(problems)
