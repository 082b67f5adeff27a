"""Issue 12, break 5: an aftercare check-in is one event recorded once — it is a contact (the "geen contact" clock
and guidance hours count it) and completes the action item it settles — and the jobcoach has a list of check-ins
due, reachable from the menu and as their start page. Break 2: check-ins stay due after the closure."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem, Contact
from koers.casework.queries import alerts, caseload
from koers.casework.queries import contacts as contact_queries
from koers.casework.services import actions as action_services
from koers.core import access
from koers.core.codes import ActionStatus, ContactKind, LegalBasis, LifeDomain, OrganisationKind, Phase, Role
from koers.core.tests.factories import MembershipFactory, make_user
from koers.participants.models import Participant
from koers.work.models import CheckInWith
from koers.work.queries import aftercare as aftercare_queries
from koers.work.services import aftercare as aftercare_services
from koers.work.tests.placement_factories import place

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def grant(world, user=None):
    return access.grant_for(user or world.regisseur, world.participant)


def started(world, days=30, **kw):
    start = TODAY - timedelta(days=days)
    return place(world, start_date=start, contract_end=start + timedelta(days=365), **kw)


def record(world, p, check_in=None, user=None, **overrides):
    check_in = check_in or p.aftercare.check_ins.order_by("planned_on").first()
    values = {"done_on": TODAY, "with_whom": CheckInWith.SAMEN, "notes": "Gaat goed; afspraken over pauzes.",
              "duration_minutes": 45}
    values.update(overrides)
    return aftercare_services.record_check_in(user or world.regisseur, world.participant, grant(world, user), p,
                                              check_in.pk, aftercare_queries.CheckInData(**values))


def test_a_check_in_is_recorded_as_one_contact_that_resets_the_contact_clock(world):
    Participant.objects.filter(pk=world.participant.pk).update(created_at=timezone.now() - timedelta(days=40))
    p = started(world)
    before = {s.code for s in alerts.compute([Participant.objects.get(pk=world.participant.pk)])[world.participant.pk]}
    assert "geen_contact" in before
    check_in = record(world, p)
    contact = Contact.objects.get(participant=world.participant)
    assert check_in.contact_id == contact.pk
    assert contact.kind == ContactKind.DRIEGESPREK and contact.third_party == "Kunststof Oost"
    assert contact.participant_present and contact.employer_present and contact.duration_minutes == 45
    assert list(contact.staff.all()) == [world.regisseur] and "Nazorg" in contact.summary
    after = {s.code for s in alerts.compute([Participant.objects.get(pk=world.participant.pk)])[world.participant.pk]}
    assert "geen_contact" not in after
    hours = contact_queries.participant_hours(world.participant, grant(world), TODAY, TODAY)
    assert hours == [{"name": "Gemeente Rivierstad", "contacts": 1, "minutes": 45}]


@pytest.mark.parametrize(("with_whom", "channel", "kind", "participant_present"), [
    (CheckInWith.DEELNEMER, ContactKind.TELEFOON, ContactKind.TELEFOON, True),
    (CheckInWith.WERKGEVER, ContactKind.GESPREK, ContactKind.GESPREK, False),
    (CheckInWith.SAMEN, ContactKind.TELEFOON, ContactKind.TELEFOON, True),
])
def test_kind_and_presence_follow_the_check_in(world, with_whom, channel, kind, participant_present):
    record(world, started(world), with_whom=with_whom, channel=channel)
    contact = Contact.objects.get()
    assert (contact.kind, contact.participant_present) == (kind, participant_present)


def test_bad_input_gets_a_dutch_message_and_records_nothing(world, client_for):
    p = started(world)
    week1 = p.aftercare.check_ins.order_by("planned_on").first()
    with pytest.raises(ValidationError) as exc:
        record(world, p, duration_minutes=0)
    assert "1 tot en met 600 minuten" in exc.value.message_dict["duration_minutes"][0]
    client = client_for(world.regisseur)
    url = reverse("work:check_in_record", kwargs={"pk": world.participant.pk, "placement_id": p.pk,
                                                 "check_in_id": week1.pk})
    page = client.post(url, {"done_on": str(TODAY), "with_whom": "samen", "channel": "gesprek",
                             "duration_minutes": "900", "notes": "x"}).content.decode()
    assert "Vul een duur in van 1 tot en met 600 minuten." in page
    week1.refresh_from_db()
    assert week1.done_on is None and not Contact.objects.exists()


def test_the_check_in_completes_the_action_item_it_settles(world, client_for):
    p = started(world)
    (item, other) = action_services.create_action_items(world.regisseur, world.participant, grant(world), [
        action_services.ActionDraft(title="Driegesprek nazorg met Kunststof Oost",
                                    owner_organisation_id=world.gemeente.pk,
                                    assignee_id=world.regisseur.pk, due_date=TODAY + timedelta(days=3),
                                    domain=LifeDomain.PARTICIPATIE, created_by_id=world.regisseur.pk),
        action_services.ActionDraft(title="Toeslagen nakijken", owner_organisation_id=world.gemeente.pk,
                                    assignee_id=world.regisseur.pk, due_date=TODAY + timedelta(days=3),
                                    domain=LifeDomain.FINANCIEN, created_by_id=world.regisseur.pk),
    ])
    week1 = p.aftercare.check_ins.order_by("planned_on").first()
    client = client_for(world.regisseur)
    url = reverse("work:check_in_record", kwargs={"pk": world.participant.pk, "placement_id": p.pk,
                                                 "check_in_id": week1.pk})
    page = client.get(url).content.decode()
    # The item about this aftercare is offered ticked, the other one offered but not ticked.
    assert re.search(rf'value="{item.pk}"[^>]*checked', page)
    assert re.search(rf'value="{other.pk}"', page) and not re.search(rf'value="{other.pk}"[^>]*checked', page)
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    response = client.post(url, {"version": version, "done_on": str(TODAY), "with_whom": "samen",
                                 "channel": "gesprek", "duration_minutes": "60", "notes": "Goed gesprek",
                                 "close_action_ids": [str(item.pk)]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ActionItem.objects.get(pk=item.pk).status == ActionStatus.AFGEROND
    assert ActionItem.objects.get(pk=other.pk).status == ActionStatus.OPEN
    assert Contact.objects.count() == 1


def test_an_action_item_of_someone_else_cannot_be_completed_through_a_check_in(world):
    p = started(world)
    other = world.other_participant
    (item,) = action_services.create_action_items(
        world.andere_regisseur, other, access.grant_for(world.andere_regisseur, other),
        [action_services.ActionDraft(title="Nazorg", owner_organisation_id=world.andere_gemeente.pk,
                                     assignee_id=world.andere_regisseur.pk, due_date=TODAY,
                                     domain=LifeDomain.PARTICIPATIE, created_by_id=world.andere_regisseur.pk)])
    with pytest.raises(ValidationError) as exc:
        record(world, p, close_action_ids=[item.pk])
    assert "close_action_ids" in exc.value.message_dict
    assert ActionItem.objects.get(pk=item.pk).status == ActionStatus.OPEN and not Contact.objects.exists()


# --- the jobcoach's list ----------------------------------------------------------------------------------------


@pytest.fixture
def jobcoach(world):
    coach = make_user(world.reintegratie, Role.JOBCOACH, username="jobcoach", first_name="Joke")
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
                      legal_basis=LegalBasis.WETTELIJKE_TAAK, counsellor=coach)
    return coach


def test_the_jobcoach_lands_on_the_check_ins_due_overdue_first(world, client_for, jobcoach):
    assert world.reintegratie.kind == OrganisationKind.REINTEGRATIE
    p = started(world, days=70, jobcoach_id=jobcoach.pk)  # week 1, week 2 and month 2 overdue
    started(world, days=3, jobcoach_id=world.regisseur.pk, job_title="Inpakker")  # not the jobcoach's
    client = client_for(jobcoach)
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("work:check_ins_due")
    page = client.get(reverse("work:check_ins_due")).content.decode()
    assert '<a href="/werk/nazorg/" aria-current="page">Nazorg</a>' in page.replace("\n", "")
    labels = re.findall(r"Nahom Tesfay: ([^<]+)</a>", page)
    assert labels == ["Week 1", "Week 2", "Maand 2"]
    assert "te laat" in page and "Inpakker" not in page
    first = p.aftercare.check_ins.order_by("planned_on").first()
    assert reverse("work:check_in_record", kwargs={"pk": world.participant.pk, "placement_id": p.pk,
                                                   "check_in_id": first.pk}) in page
    # A regisseur keeps the caseload as start page.
    regisseur_home = client_for(world.regisseur).get(reverse("home"))
    assert regisseur_home["Location"] != reverse("work:check_ins_due")


def test_the_list_shows_only_what_the_user_may_see(world, client_for, jobcoach):
    started(world, days=70, jobcoach_id=jobcoach.pk)
    page = client_for(world.andere_regisseur).get(reverse("work:check_ins_due") + "?wie=organisatie")
    assert page.status_code == 200 and "Nahom" not in page.content.decode()
    teacher = client_for(world.taaldocent).get(reverse("work:check_ins_due") + "?wie=organisatie")
    assert "Nahom" not in teacher.content.decode()


def test_check_ins_stay_due_after_the_closure(world, client_for, jobcoach):
    started(world, days=70, jobcoach_id=jobcoach.pk)
    Participant.objects.filter(pk=world.participant.pk).update(phase=Phase.AFGESLOTEN)
    page = client_for(jobcoach).get(reverse("work:check_ins_due")).content.decode()
    assert "Nahom Tesfay: Week 1" in page and "nazorg loopt door" in page
    # The regisseur's caseload keeps the closed participant while a check-in is overdue.
    assert world.participant in caseload.caseload_queryset(world.regisseur)
    closed = Participant.objects.get(pk=world.participant.pk)
    assert "nazorg_te_laat" in {s.code for s in alerts.compute([closed])[closed.pk]}


def test_withdrawn_placements_are_not_on_the_list(world, client_for, jobcoach):
    from koers.work.services import placements as placement_services

    p = started(world, days=70, jobcoach_id=jobcoach.pk)
    placement_services.withdraw_placement(world.regisseur, world.participant, grant(world), p.pk, reason="Vergissing")
    assert "Nahom" not in client_for(jobcoach).get(reverse("work:check_ins_due")).content.decode()
