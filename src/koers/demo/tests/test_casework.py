"""``koers demo``: contacts, counsellors, action items, case meetings and a warm handover (``koers.demo.casework``),
and the acceptance on them: the regisseur's caseload shows "geen contact sinds 9 dagen" once, logging a contact
clears it."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import (
    ActionItem,
    CaseMeeting,
    CaseMeetingItem,
    Contact,
    DiscussionRequest,
    Handover,
)
from koers.casework.queries import alerts, caseload
from koers.casework.queries import contacts as contact_queries
from koers.casework.queries import meetings as meeting_queries
from koers.core.access import grant_for
from koers.core.codes import ActionStatus, ContactKind, HandoverStatus, MeetingStatus
from koers.core.models import User
from koers.demo import casework as casework_demo
from koers.demo.participants import CASE_NAMES
from koers.participants.models import Membership, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def user(username: str) -> User:
    return User.objects.get(username=username)


def counts() -> dict[str, int]:
    return {
        "contacts": Contact.objects.count(),
        "contact staff": Contact.staff.through.objects.count(),
        "action items": ActionItem.objects.count(),
        "meetings": CaseMeeting.objects.count(),
        "agenda items": CaseMeetingItem.objects.count(),
        "requests": DiscussionRequest.objects.count(),
        "handovers": Handover.objects.count(),
        "counsellors": Membership.objects.filter(counsellor__isnull=False).count(),
    }


def nine_days(regisseur: User) -> list[tuple[Participant, list[alerts.Signal]]]:
    people = list(Participant.objects.filter(regisseur=regisseur))
    found = alerts.compute(people)
    return [(p, found[p.pk]) for p in people
            if any(s.code == "geen_contact" and s.label == "Geen contact sinds 9 dagen" for s in found[p.pk])]


def test_loading_twice_changes_nothing(demo):
    first = counts()
    assert all(first.values()), first
    call_command("demo", "--force", stdout=StringIO())
    assert counts() == first
    assert casework_demo.load() == {}


def test_one_participant_not_seen_for_nine_days_and_a_contact_clears_it(demo, client):
    regisseur = user("regisseur")
    [(participant, found)] = nine_days(regisseur)
    # Only that signal (nothing else distracts), with the why: the last contact with the participant present.
    assert [s.code for s in found] == ["geen_contact"] and found[0].severity == alerts.ATTENTION
    assert "9 dagen geleden" in found[0].why and participant.name not in CASE_NAMES
    # A later phone call that was not answered does not count as contact.
    assert Contact.objects.filter(participant=participant, participant_present=False,
                                  happened_at__gt=timezone.now() - timedelta(days=9)).exists()
    # The home page lists it, most urgent first.
    client.force_login(regisseur)
    page = client.get(reverse("casework:caseload"))
    assert "Geen contact sinds 9 dagen" in page.content.decode()
    board = caseload.caseload(regisseur)
    severities = [r.severity for r in board.rows]
    assert severities == sorted(severities, reverse=True)

    Contact.objects.create(
        participant=participant, kind=ContactKind.TELEFOON, happened_at=timezone.now(), duration_minutes=10,
        organisation=regisseur.organisation, participant_present=True, summary="Teruggebeld; het gaat goed.",
        recorded_by=regisseur,
    )
    assert nine_days(regisseur) == []
    assert alerts.compute([participant])[participant.pk] == []


def test_the_caseload_has_a_realistic_mix_of_signals(demo):
    board = caseload.caseload(user("regisseur"))
    assert len(board.codes) >= 4 and {"geen_contact", "actiepunt_te_laat"} <= set(board.codes)
    assert board.with_signals < board.total / 2  # not everything red
    shown = [s for r in board.rows for s in r.signals]
    assert {s.severity for s in shown} >= {alerts.ATTENTION, alerts.URGENT}
    assert sum(s.severity == alerts.URGENT for s in shown) < sum(s.severity == alerts.ATTENTION for s in shown)
    # Most participants of the demo regisseur were seen in the last six days.
    people = Participant.objects.filter(regisseur=user("regisseur")).exclude(phase="afgesloten")
    recent = Contact.objects.filter(participant__in=people, participant_present=True,
                                    happened_at__gte=timezone.now() - timedelta(days=7))
    assert recent.values("participant").distinct().count() > 0.75 * people.count()
    # Action items from contacts: done, due later and a few days late.
    from_contacts = ActionItem.objects.filter(source_contact__isnull=False)
    assert from_contacts.filter(status=ActionStatus.AFGEROND).exists()
    late = [a for a in from_contacts if a.is_overdue]
    assert late and all(1 <= (timezone.localdate() - a.due_date).days <= 6 for a in late)


def test_meetings_handover_counsellors_and_the_special_contact(demo):
    today = timezone.localdate()
    regisseur = user("regisseur")
    gemeente = regisseur.organisation
    past = CaseMeeting.objects.get(status=MeetingStatus.AFGEROND)
    assert 5 <= (today - past.date).days <= 7 and past.finalised_at is not None
    assert 4 <= past.items.count() <= 6 and all(i.reason and i.note and i.discussed for i in past.items.all())
    decisions = ActionItem.objects.filter(source_meeting_item__meeting=past)
    assert decisions.exclude(owner_organisation=gemeente).count() == decisions.count() >= 4
    assert {o.name for o in past.organisations.all()} == {
        "Gemeente Rivierstad", "Taalcentrum Rivierland", "Werkkracht Re-integratie", "Stichting Nieuw Thuis"}

    upcoming = CaseMeeting.objects.get(status=MeetingStatus.GEPLAND)
    assert upcoming.date > today
    requests = DiscussionRequest.objects.filter(handled_in__isnull=True)
    assert requests.count() == 2 and not requests.filter(organisation=gemeente).exists()
    proposed = {p.participant.pk for p in meeting_queries.propose_agenda(upcoming, viewer=regisseur).proposals}
    assert set(requests.values_list("participant_id", flat=True)) <= proposed

    handover = Handover.objects.get(status=HandoverStatus.OPEN)
    assert (handover.from_user.username, handover.to_user, handover.participant.regisseur.username) == (
        "regisseur2", regisseur, "regisseur2")

    for username in ("begeleider", "bruggenbouwer", "maatschappelijk", "jobcoach"):
        assert caseload.caseload_queryset(user(username)).exists(), username

    heba = Participant.objects.get(name="Heba Khatib")
    special = Contact.objects.get(participant=heba, is_special=True)
    assert special.recorded_by == regisseur
    assert not contact_queries.visible_contacts(heba, grant_for(user("taaldocent"),
                                                                 heba)).filter(is_special=True).exists()
    assert contact_queries.visible_contacts(heba, grant_for(regisseur, heba)).filter(pk=special.pk).exists()
    ammar = Participant.objects.get(name="Ammar Darwish")
    assert Contact.objects.filter(participant=ammar, kind=ContactKind.DRIEGESPREK, employer_present=True).exists()


def test_the_demo_conversations_show_unread_and_unanswered_messages(demo):
    from koers.casework.models import Message

    heba = Participant.objects.get(name="Heba Khatib")
    nahom = Participant.objects.get(name="Nahom Tesfamariam")
    assert Message.objects.filter(participant=heba).count() == 3
    rows = {r.participant.pk: r for r in caseload.caseload(heba.regisseur).rows}
    assert rows[heba.pk].unread == 1
    assert not [s for s in rows[heba.pk].signals if s.code == "bericht_onbeantwoord"]  # sent today
    signals = alerts.compute([nahom])[nahom.pk]
    assert [s.code for s in signals if s.code == "bericht_onbeantwoord"] == ["bericht_onbeantwoord"]
    assert Contact.objects.filter(participant=nahom, kind=ContactKind.BERICHT, summary="Bericht via Mijn Koers")


def test_the_demo_appointments_remind_nahom_and_wait_to_be_recorded_for_heba(demo):
    from koers.casework.models import Appointment
    from koers.core.codes import AppointmentStatus

    nahom = Participant.objects.get(name="Nahom Tesfamariam")
    heba = Participant.objects.get(name="Heba Khatib")
    now = timezone.now()
    upcoming = Appointment.objects.get(participant=nahom)
    assert upcoming.starts_at > now and upcoming.status == AppointmentStatus.GEPLAND
    assert timezone.localtime(upcoming.starts_at).weekday() < 5
    assert Appointment.objects.filter(participant=heba, starts_at__lt=now, status=AppointmentStatus.GEPLAND).exists()


def test_nahom_asked_for_an_email_when_there_is_news_and_the_demo_sent_none(demo):
    from koers.core.models import AuditEvent
    from koers.portal.models import PortalAccount

    nahom = PortalAccount.objects.get(user__username="nahom")
    assert nahom.email_notices and nahom.notified_at and nahom.participant.email
    assert not PortalAccount.objects.get(user__username="heba").email_notices  # no address in her file
    assert not AuditEvent.objects.filter(detail__startswith="Mijn Koers: e-mail bij nieuws verstuurd").exists()


def test_no_demo_appointment_falls_in_a_class_or_outside_the_availability(demo):
    """The demo runs on any date: an appointment moves to a free hour of its day, as a regisseur would plan it."""
    from koers.casework.models import Appointment
    from koers.casework.queries import appointments as appointment_queries

    found = list(Appointment.objects.select_related("participant", "with_user"))
    assert len(found) >= 3
    for a in found:
        data = appointment_queries.AppointmentData(kind=a.kind, starts_at=a.starts_at,
                                                   duration_minutes=a.duration_minutes, with_user=a.with_user,
                                                   purpose=a.purpose)
        assert not appointment_queries.week_conflicts(a.participant, data), (a.participant.name, a.starts_at)


def test_the_bruggenbouwer_reads_the_staff_pages_in_english(demo, client):
    """Issue 13, item 7: Tesfalem chose English on Mijn account; every other demo account reads Dutch."""
    assert set(User.objects.filter(interface_language="en").values_list("username", flat=True)) == {"bruggenbouwer"}
    client.force_login(user("bruggenbouwer"))
    html = client.get(reverse("casework:caseload")).content.decode()
    assert '<html lang="en" dir="ltr">' in html and ">My account</a>" in html
