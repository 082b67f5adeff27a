"""The casusoverleg: discussion requests, planning, the proposed agenda, minutes with decisions, and the access
scope of meetings, minutes and their PDFs."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem, CaseMeeting, CaseMeetingItem, DiscussionRequest
from koers.casework.queries import meetings as meeting_queries
from koers.casework.services import meetings as meeting_services
from koers.core import access
from koers.core.codes import Category, LegalBasis, MeetingStatus, Role
from koers.core.models import AuditAction, AuditEvent, MunicipalityPolicy
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import Membership, Participant

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def url(name, meeting=None, **kwargs):
    if meeting is not None:
        kwargs["pk"] = meeting.pk
    return reverse(f"casework:{name}", kwargs=kwargs or None)


def make_meeting(world, *, orgs=None, days=7, status=MeetingStatus.GEPLAND, regie=None, chair=None,
                 title="Casusoverleg"):
    regie = regie or world.gemeente
    meeting = CaseMeeting.objects.create(
        regie_organisation=regie, date=today() + timedelta(days=days), title=title,
        chair=chair or world.regisseur, created_by=chair or world.regisseur, status=status,
        finalised_at=timezone.now() if status == MeetingStatus.AFGEROND else None,
    )
    meeting.organisations.set([regie, *(orgs if orgs is not None else [world.taal])])
    meeting.attendees.set([chair or world.regisseur])
    return meeting


def add_item(meeting, participant, *, position=1, **kwargs):
    return CaseMeetingItem.objects.create(meeting=meeting, participant=participant, position=position, **kwargs)


def shared_participant(world, name, **kwargs):
    """A participant of the gemeente that the language provider is partner of."""
    p = ParticipantFactory(name=name, regie_organisation=world.gemeente, regisseur=world.regisseur, **kwargs)
    MembershipFactory(participant=p, organisation=world.taal, added_by=world.regisseur)
    return p


def discussed(world, participant, weeks_ago):
    past = make_meeting(world, days=-7 * weeks_ago, status=MeetingStatus.AFGEROND)
    add_item(past, participant, discussed=True, note="Besproken.")
    return past


@pytest.fixture
def agenda_world(world):
    """Nahom (taal partner) has an open request; Amal was discussed 10 weeks ago, Bilal 2 weeks ago; Ceren is the
    gemeente's alone (no partner)."""
    DiscussionRequest.objects.create(participant=world.participant, organisation=world.taal,
                                     requested_by=world.taaldocent, reason="Mist veel lessen")
    world.amal = shared_participant(world, "Amal Yusuf")
    world.bilal = shared_participant(world, "Bilal Omar")
    world.ceren = ParticipantFactory(name="Ceren Aydin", regie_organisation=world.gemeente, regisseur=world.regisseur)
    discussed(world, world.amal, 10)
    discussed(world, world.bilal, 2)
    world.meeting = make_meeting(world)
    return world


def reasons_of(proposal, participant):
    match = [p for p in proposal.proposals if p.participant.pk == participant.pk]
    return {r.code for r in match[0].reasons} if match else set()


# --- Discussion requests --------------------------------------------------------------------------------------

class TestDiscussionRequest:
    def test_partner_asks_to_discuss_and_it_is_audited(self, world, client_for):
        client = client_for(world.taaldocent)
        response = client.post(url("request_discussion", pk=world.participant.pk), {"reason": "Mist veel lessen"})
        assert response.status_code == 302
        req = DiscussionRequest.objects.get(participant=world.participant)
        assert (req.organisation, req.requested_by, req.reason) == (world.taal, world.taaldocent, "Mist veel lessen")
        assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.CREATE,
                                         category=Category.TRAJECTORY, user=world.taaldocent).exists()

    def test_second_open_request_of_the_same_organisation_is_refused(self, world, client_for):
        client = client_for(world.taaldocent)
        client.post(url("request_discussion", pk=world.participant.pk), {"reason": "Eerste"})
        response = client.post(url("request_discussion", pk=world.participant.pk), {"reason": "Tweede"}, follow=True)
        assert "al gevraagd deze deelnemer te bespreken" in response.content.decode()
        assert DiscussionRequest.objects.count() == 1

    def test_empty_reason_and_invisible_participant(self, world, client_for):
        client = client_for(world.taaldocent)
        response = client.post(url("request_discussion", pk=world.participant.pk), {"reason": " "}, follow=True)
        assert "Geef aan waarom" in response.content.decode()
        assert client.post(url("request_discussion", pk=world.other_participant.pk),
                           {"reason": "x"}).status_code == 404
        assert not DiscussionRequest.objects.exists()

    def test_panel_shows_open_requests_and_the_form(self, world, client_for):
        DiscussionRequest.objects.create(participant=world.participant, organisation=world.taal,
                                         requested_by=world.taaldocent, reason="Mist veel lessen")
        grant = access.grant_for(world.regisseur, world.participant)
        request = RequestFactory().get("/deelnemers/1/")
        panel = meeting_queries.request_panel(world.regisseur, world.participant, grant)
        html = render_to_string("casework/meetings/_request.html",
                                {"meeting_panel": panel, "p": world.participant, "request": request})
        assert "Taalhuis Rivierland" in html and "Mist veel lessen" in html
        assert url("request_discussion", pk=world.participant.pk) in html
        assert "Nog niet besproken" in html
        # the taal provider's own request is open: no second form for them
        panel = meeting_queries.request_panel(world.taaldocent, world.participant,
                                       access.grant_for(world.taaldocent, world.participant))
        assert panel["mine_open"] is True


# --- Planning -------------------------------------------------------------------------------------------------

class TestPlanning:
    def post(self, world, client, **overrides):
        data = {"title": "Casusoverleg Taal", "date": (today() + timedelta(days=3)).isoformat(),
                "chair": world.regisseur.pk, "organisations": [world.taal.pk],
                "attendees": [world.taaldocent.pk]}
        data.update(overrides)
        return client.post(url("meeting_create"), data)

    def test_regisseur_plans_a_meeting_with_a_partner(self, world, client_for):
        response = self.post(world, client_for(world.regisseur))
        meeting = CaseMeeting.objects.get()
        assert response.status_code == 302 and response["Location"] == url("meeting_agenda", meeting)
        assert set(meeting.organisations.all()) == {world.gemeente, world.taal}
        assert set(meeting.attendees.all()) == {world.regisseur, world.taaldocent}

    def test_attendee_of_a_non_participating_organisation_is_refused(self, world, client_for):
        MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur)
        response = self.post(world, client_for(world.regisseur), attendees=[world.begeleider.pk])
        assert response.status_code == 200
        assert "Niet iedere aanwezige werkt bij een deelnemende organisatie" in response.content.decode()
        assert not CaseMeeting.objects.exists()

    def test_chair_must_be_a_regisseur_of_the_municipality(self, world, client_for):
        response = self.post(world, client_for(world.regisseur), chair=world.andere_regisseur.pk)
        assert "De voorzitter moet een regisseur van uw organisatie zijn." in response.content.decode()
        assert not CaseMeeting.objects.exists()

    def test_only_regisseur_or_projectleider_of_a_gemeente_plans(self, world, client_for):
        assert client_for(world.taaldocent).get(url("meeting_create")).status_code == 404
        projectleider = make_user(world.gemeente, Role.PROJECTLEIDER, username="pl")
        assert client_for(projectleider).get(url("meeting_create")).status_code == 200


# --- The proposed agenda --------------------------------------------------------------------------------------

class TestProposal:
    def test_request_and_not_discussed_for_n_weeks(self, agenda_world):
        w = agenda_world
        proposal = meeting_queries.propose_agenda(w.meeting)
        assert "verzoek" in reasons_of(proposal, w.participant)
        assert "niet_besproken" in reasons_of(proposal, w.amal)  # 10 weeks > the default 8
        assert "niet_besproken" not in reasons_of(proposal, w.bilal)  # 2 weeks ago
        # a partner meeting considers the shared participants only (Ceren has no partner)
        assert "niet_besproken" not in reasons_of(proposal, w.ceren)
        request = next(p for p in proposal.proposals if p.participant.pk == w.participant.pk)
        assert "Verzoek van Taalhuis Rivierland: Mist veel lessen" in request.reason_text

    def test_weeks_come_from_the_municipality_policy(self, agenda_world):
        MunicipalityPolicy.objects.create(organisation=agenda_world.gemeente, not_discussed_weeks=12)
        assert "niet_besproken" not in reasons_of(meeting_queries.propose_agenda(agenda_world.meeting),
                                                  agenda_world.amal)

    def test_internal_meeting_considers_all_participants_but_not_other_municipalities(self, agenda_world):
        w = agenda_world
        internal = make_meeting(w, orgs=[])
        proposal = meeting_queries.propose_agenda(internal)
        assert "niet_besproken" in reasons_of(proposal, w.ceren)
        assert w.other_participant.pk not in {p.participant.pk for p in proposal.proposals}

    def test_requests_come_before_participants_only_not_discussed(self, agenda_world):
        names = [p.participant.name for p in meeting_queries.propose_agenda(agenda_world.meeting).proposals]
        assert names.index("Nahom Tesfay") < names.index("Amal Yusuf")

    def test_cap_counts_the_rest(self, agenda_world, monkeypatch):
        monkeypatch.setattr(meeting_queries, "MAX_PROPOSALS", 1)
        proposal = meeting_queries.propose_agenda(agenda_world.meeting)
        assert len(proposal.proposals) == 1 and proposal.more >= 1

    def test_participants_on_the_agenda_are_not_proposed_again(self, agenda_world):
        add_item(agenda_world.meeting, agenda_world.amal)
        assert not reasons_of(meeting_queries.propose_agenda(agenda_world.meeting), agenda_world.amal)

    def test_urgent_signal_puts_a_participant_on_the_proposal(self, agenda_world):
        w = agenda_world
        # Bilal was discussed two weeks ago, but no contact was ever recorded since his registration 20 days ago
        Participant.objects.filter(pk=w.bilal.pk).update(created_at=timezone.now() - timedelta(days=20))
        proposal = meeting_queries.propose_agenda(w.meeting)
        assert reasons_of(proposal, w.bilal) == {"signaal"}
        bilal = next(p for p in proposal.proposals if p.participant.pk == w.bilal.pk)
        assert "Signaal: Geen contact sinds 20 dagen" in bilal.reason_text
        assert proposal.proposals[0].participant.pk == w.bilal.pk  # an urgent signal comes first

    def test_health_signal_is_not_named_to_a_planner_without_special_categories(self, agenda_world, monkeypatch):
        w = agenda_world
        health = meeting_queries.Reason("signaal", "Signaal: Doel over de streefdatum", 3, Category.SPECIAL)
        monkeypatch.setattr(meeting_queries, "_urgent_signals", lambda participants, grants,
                            today: {w.bilal.pk: [health]})
        projectleider = make_user(w.gemeente, Role.PROJECTLEIDER, username="pl")
        for_chair = meeting_queries.propose_agenda(w.meeting)
        assert "Doel over de streefdatum" in for_chair.proposals[0].reasons[0].label
        assert for_chair.proposals[0].reason_text == "Urgent signaal"  # what is stored on the agenda item
        for_planner = meeting_queries.propose_agenda(w.meeting, viewer=projectleider)
        assert for_planner.proposals[0].reasons[0].label == "Signaal (afgeschermd)"

    def test_an_urgent_case_no_partner_at_the_table_shares_is_proposed_but_not_ticked(self, agenda_world):
        # The most urgent case is never left out; whether it is discussed with these partners is the chair's choice.
        w = agenda_world
        Participant.objects.filter(pk=w.ceren.pk).update(created_at=timezone.now() - timedelta(days=20))
        ceren = next(p for p in meeting_queries.propose_agenda(w.meeting).proposals if p.participant.pk == w.ceren.pk)
        assert {r.code for r in ceren.reasons} == {"signaal"} and not ceren.shared and not ceren.preselected
        internal = meeting_queries.propose_agenda(make_meeting(w, orgs=[])).proposals
        ceren = next(p for p in internal if p.participant.pk == w.ceren.pk)
        assert ceren.shared and ceren.preselected

    def test_only_urgent_signals_and_requests_are_ticked_in_advance(self, agenda_world, client_for):
        w = agenda_world
        page = client_for(w.regisseur).get(url("meeting_agenda", w.meeting)).content.decode()
        ticked = set(re.findall(r'value="(\d+)" id="proposal-\d+" checked', page))
        assert str(w.participant.pk) in ticked  # a request
        assert str(w.amal.pk) in page and str(w.amal.pk) not in ticked  # only "not discussed for 10 weeks"


# --- Editing the agenda ---------------------------------------------------------------------------------------

class TestAgenda:
    def test_accepting_the_proposal_puts_participants_on_the_agenda(self, agenda_world, client_for):
        w = agenda_world
        client = client_for(w.regisseur)
        page = client.get(url("meeting_agenda", w.meeting)).content.decode()
        assert "Amal Yusuf" in page and "Mist veel lessen" in page
        response = client.post(url("meeting_agenda", w.meeting),
                               {"action": "accept", "participants": [w.participant.pk, w.amal.pk]})
        assert response.status_code == 302
        items = {i.participant_id: i for i in w.meeting.items.all()}
        assert set(items) == {w.participant.pk, w.amal.pk}
        assert "Verzoek van Taalhuis Rivierland" in items[w.participant.pk].reason
        assert "Niet besproken sinds" in items[w.amal.pk].reason
        assert AuditEvent.objects.filter(participant_id=w.amal.pk, action=AuditAction.CREATE).exists()

    def test_adding_a_participant_the_chair_may_not_see_is_refused(self, agenda_world, client_for):
        w = agenda_world
        client = client_for(w.regisseur)
        response = client.post(url("meeting_agenda", w.meeting),
                               {"action": "add", "participant": w.other_participant.pk, "reason": "x"})
        assert response.status_code == 404
        response = client.post(url("meeting_agenda", w.meeting),
                               {"action": "accept", "participants": [w.other_participant.pk]})
        assert "Kies deelnemers uit het voorstel" in response.content.decode()
        assert not w.meeting.items.exists()
        with pytest.raises(Http404):
            meeting_services.add_to_agenda(w.regisseur, w.meeting, [(w.amal.pk, ""), (w.other_participant.pk, "")])
        assert not w.meeting.items.exists()  # all or nothing

    def test_search_and_add_by_hand(self, agenda_world, client_for):
        w = agenda_world
        client = client_for(w.regisseur)
        page = client.get(url("meeting_agenda", w.meeting), {"q": "Ceren"}).content.decode()
        assert "Ceren Aydin" in page
        assert "Samira Haddad" not in client.get(url("meeting_agenda", w.meeting), {"q": "Samira"}).content.decode()
        client.post(url("meeting_agenda", w.meeting), {"action": "add", "participant": w.ceren.pk, "reason": ""})
        assert w.meeting.items.get().reason == "Toegevoegd door Rita Achternaam"

    def test_remove_an_item_without_minutes(self, agenda_world, client_for):
        w = agenda_world
        item = add_item(w.meeting, w.amal)
        kept = add_item(w.meeting, w.participant, position=2, note="Al iets besproken")
        client = client_for(w.regisseur)
        client.post(url("meeting_agenda", w.meeting), {"action": "remove", "item": item.pk})
        response = client.post(url("meeting_agenda", w.meeting), {"action": "remove", "item": kept.pk}, follow=True)
        assert "kan niet meer van de agenda" in response.content.decode()
        assert list(w.meeting.items.values_list("pk", flat=True)) == [kept.pk]

    def test_partner_cannot_edit_the_agenda(self, agenda_world, client_for):
        assert client_for(agenda_world.taaldocent).get(url("meeting_agenda", agenda_world.meeting)).status_code == 404


# --- Minutes and decisions ------------------------------------------------------------------------------------

def minutes_data(item, **fields):
    data = {"item": item.pk}
    data.update({f"item-{item.pk}-{k}": v for k, v in fields.items()})
    return data


class TestMinutes:
    def test_decision_becomes_an_action_item_of_the_owner_organisation(self, agenda_world, client_for):
        w = agenda_world
        item = add_item(w.meeting, w.participant)
        request = DiscussionRequest.objects.get()
        due = (today() + timedelta(days=14)).isoformat()
        response = client_for(w.regisseur).post(url("meeting_minutes", w.meeting), minutes_data(
            item, note="Lessen naar de ochtend.", discussed="on", decision_title="Rooster aanpassen",
            decision_owner=w.taal.pk, decision_due=due))
        assert response.status_code == 302
        action = ActionItem.objects.get(title="Rooster aanpassen")
        assert (action.owner_organisation, action.source_meeting_item, action.participant) == (
            w.taal, item, w.participant)
        request.refresh_from_db()
        assert request.handled_in == item
        item.refresh_from_db()
        assert item.discussed and item.note == "Lessen naar de ochtend."
        org_list = client_for(w.taaldocent).get(url("org_actions")).content.decode()
        assert "Rooster aanpassen" in org_list

    def test_owner_must_participate_and_be_involved(self, agenda_world, client_for):
        w = agenda_world
        MembershipFactory(participant=w.participant, organisation=w.reintegratie, added_by=w.regisseur)
        item = add_item(w.meeting, w.participant)
        client = client_for(w.regisseur)
        data = minutes_data(item, decision_title="Werkplek zoeken", decision_owner=w.reintegratie.pk,
                            decision_due=(today() + timedelta(days=7)).isoformat())
        response = client.post(url("meeting_minutes", w.meeting), data)
        assert response.status_code == 400  # not a choice: Werkkracht does not take part
        assert "Kies een deelnemende organisatie" in response.content.decode()
        data = minutes_data(item, decision_title="Werkplek zoeken", decision_owner="",
                            decision_due=(today() + timedelta(days=7)).isoformat())
        assert "Kies de organisatie die het besluit uitvoert." in client.post(
            url("meeting_minutes", w.meeting), data).content.decode()
        assert not ActionItem.objects.exists()

    def test_owner_whose_legal_basis_does_not_cover_the_category_is_refused(self, agenda_world):
        w = agenda_world
        item = add_item(w.meeting, w.participant)
        decision = meeting_queries.DecisionDraft("Schuldhulp regelen", w.taal.pk, today() + timedelta(days=7),
                                          domain="financien")
        with pytest.raises(ValidationError):
            meeting_services.record_item(w.regisseur, w.meeting, item.pk, note="", note_is_special=False,
                                          discussed=True,
                                 decision=decision)
        assert not ActionItem.objects.exists()
        item.refresh_from_db()
        assert not item.discussed  # a failed save changes nothing

    def test_a_colleagues_minutes_in_the_meantime_are_not_overwritten(self, agenda_world, client_for):
        """Two people have the minutes open; the first saves a note; the second's save (from the page as it was)
        is refused with the current note, keeps their input, and a second save overwrites on purpose."""
        import re

        w = agenda_world
        item = add_item(w.meeting, w.participant)
        client = client_for(w.regisseur)
        page = client.get(url("meeting_minutes", w.meeting)).content.decode()
        version = re.search(rf'name="item-{item.pk}-version" value="([^"]*)"', page).group(1)
        meeting_services.record_item(w.regisseur, w.meeting, item.pk, note="Eerst de huisvesting regelen.",
                             note_is_special=False, discussed=True)
        response = client.post(url("meeting_minutes", w.meeting),
                               minutes_data(item, note="Taalles uitbreiden.", version=version))
        html = response.content.decode()
        assert response.status_code == 400 and "Niet opgeslagen: iemand anders was u voor" in html
        assert "Eerst de huisvesting regelen." in html and "Taalles uitbreiden." in html
        item.refresh_from_db()
        assert item.note == "Eerst de huisvesting regelen."
        fresh = re.search(rf'name="item-{item.pk}-version" value="([^"]*)"', html).group(1)
        assert client.post(url("meeting_minutes", w.meeting),
                           minutes_data(item, note="Taalles uitbreiden.", version=fresh)).status_code == 302
        item.refresh_from_db()
        assert item.note == "Taalles uitbreiden."

    def test_finalised_minutes_are_read_only(self, agenda_world, client_for):
        w = agenda_world
        item = add_item(w.meeting, w.participant, note="Origineel")
        client = client_for(w.regisseur)
        client.post(url("meeting_finalise", w.meeting))  # without confirming
        w.meeting.refresh_from_db()
        assert w.meeting.status == MeetingStatus.GEPLAND
        # A meeting next week: no minutes to adopt yet, neither offered nor accepted.
        assert "Notulen vaststellen" not in client.get(url("meeting_detail", w.meeting)).content.decode()
        response = client.post(url("meeting_finalise", w.meeting), {"confirm": "1"}, follow=True)
        assert "De notulen stelt u vast op of na die dag." in response.content.decode()
        w.meeting.refresh_from_db()
        assert w.meeting.status == MeetingStatus.GEPLAND
        CaseMeeting.objects.filter(pk=w.meeting.pk).update(date=today())
        assert "Notulen vaststellen" in client.get(url("meeting_detail", w.meeting)).content.decode()
        assert client.post(url("meeting_finalise", w.meeting), {"confirm": "1"}).status_code == 302
        w.meeting.refresh_from_db()
        assert w.meeting.status == MeetingStatus.AFGEROND and w.meeting.finalised_at
        response = client.post(url("meeting_minutes", w.meeting), minutes_data(item, note="Gewijzigd"), follow=True)
        assert "kunnen niet meer worden gewijzigd" in response.content.decode()
        item.refresh_from_db()
        assert item.note == "Origineel"
        assert client.get(url("meeting_agenda", w.meeting)).status_code == 302
        client.post(url("meeting_agenda", w.meeting), {"action": "add", "participant": w.amal.pk})
        assert w.meeting.items.count() == 1
        detail = client.get(url("meeting_detail", w.meeting)).content.decode()
        assert "Notulen vaststellen" not in detail and "zijn vastgesteld" in detail

    def test_partner_cannot_record(self, agenda_world, client_for):
        client = client_for(agenda_world.taaldocent)
        assert client.get(url("meeting_minutes", agenda_world.meeting)).status_code == 404
        assert client.post(url("meeting_finalise", agenda_world.meeting), {"confirm": "1"}).status_code == 404
        agenda_world.meeting.refresh_from_db()
        assert agenda_world.meeting.status == MeetingStatus.GEPLAND


# --- The access scope of the minutes --------------------------------------------------------------------------

@pytest.fixture
def minutes_world(agenda_world):
    """A meeting with Nahom (taal is partner) with a special note and Ceren (gemeente only) with a decision."""
    w = agenda_world
    w.nahom_item = add_item(w.meeting, w.participant, note="Slaapt slecht door zorgen.", note_is_special=True,
                            discussed=True)
    w.amal_item = add_item(w.meeting, w.amal, position=2, note="Gaat goed met de lessen.", discussed=True)
    w.ceren_item = add_item(w.meeting, w.ceren, position=3, note="Huurachterstand besproken.", discussed=True)
    ActionItem.objects.create(participant=w.ceren, owner_organisation=w.gemeente, title="Budgetcoach regelen",
                              due_date=today() + timedelta(days=7), created_by=w.regisseur,
                              source_meeting_item=w.ceren_item)
    return w


class TestScope:
    def test_another_municipality_gets_404_everywhere(self, minutes_world, client_for):
        client = client_for(minutes_world.andere_regisseur)
        for name in ("meeting_detail", "meeting_agenda", "meeting_minutes", "meeting_agenda_pdf",
                     "meeting_minutes_pdf"):
            assert client.get(url(name, minutes_world.meeting)).status_code == 404, name
        assert client.post(url("meeting_finalise", minutes_world.meeting), {"confirm": "1"}).status_code == 404
        assert url("meeting_detail", minutes_world.meeting) not in client.get(url("meetings")).content.decode()

    def test_non_participating_partner_gets_404(self, minutes_world, client_for):
        MembershipFactory(participant=minutes_world.ceren, organisation=minutes_world.reintegratie,
                          added_by=minutes_world.regisseur)
        client = client_for(minutes_world.begeleider)
        assert client.get(url("meeting_detail", minutes_world.meeting)).status_code == 404
        assert client.get(url("meeting_minutes_pdf", minutes_world.meeting)).status_code == 404

    def test_partner_sees_only_items_of_participants_visible_to_them(self, minutes_world, client_for):
        w = minutes_world
        page = client_for(w.taaldocent).get(url("meeting_detail", w.meeting)).content.decode()
        assert "Nahom Tesfay" in page and "Amal Yusuf" in page and "Gaat goed met de lessen." in page
        assert "Ceren Aydin" not in page and "Huurachterstand" not in page and "Budgetcoach" not in page
        audited = set(AuditEvent.objects.filter(user=w.taaldocent).values_list("participant_id", flat=True))
        assert audited == {w.participant.pk, w.amal.pk}

    def test_special_note_is_hidden_without_bijzonder(self, minutes_world, client_for):
        w = minutes_world
        assert "Slaapt slecht" not in client_for(w.taaldocent).get(url("meeting_detail", w.meeting)).content.decode()
        regisseur_page = client_for(w.regisseur).get(url("meeting_detail", w.meeting)).content.decode()
        assert "Slaapt slecht" in regisseur_page and "Budgetcoach regelen" in regisseur_page
        assert AuditEvent.objects.filter(user=w.regisseur, participant_id=w.participant.pk,
                                         category=Category.SPECIAL).exists()
        assert not AuditEvent.objects.filter(user=w.taaldocent, category=Category.SPECIAL).exists()

    def test_special_note_shown_to_a_partner_with_consent_for_special_categories(self, minutes_world, client_for):
        w = minutes_world
        coach = make_user(w.reintegratie, Role.BEGELEIDER, username="coach2")
        Membership.objects.create(participant=w.participant, organisation=w.reintegratie,
                                  legal_basis=LegalBasis.TOESTEMMING, consent_date=today(),
                                  scope="identiteit traject bijzonder", added_by=w.regisseur)
        w.meeting.organisations.add(w.reintegratie)
        page = client_for(coach).get(url("meeting_detail", w.meeting)).content.decode()
        assert "Slaapt slecht" in page and "Amal Yusuf" not in page

    def test_partner_sees_a_decision_it_owns_but_not_one_it_may_not_see(self, minutes_world, client_for):
        w = minutes_world
        ActionItem.objects.create(participant=w.participant, owner_organisation=w.gemeente, title="Huisarts bellen",
                                  domain="geestelijke_gezondheid", due_date=today() + timedelta(days=7),
                                  created_by=w.regisseur, source_meeting_item=w.nahom_item)
        ActionItem.objects.create(participant=w.participant, owner_organisation=w.taal, title="Extra taalles",
                                  due_date=today() + timedelta(days=7), created_by=w.regisseur,
                                  source_meeting_item=w.nahom_item)
        page = client_for(w.taaldocent).get(url("meeting_detail", w.meeting)).content.decode()
        assert "Extra taalles" in page and "Huisarts bellen" not in page

    def test_list_shows_meetings_of_participating_organisations_only(self, minutes_world, client_for):
        w = minutes_world
        other = make_meeting(w, regie=w.andere_gemeente, chair=w.andere_regisseur, orgs=[], title="Overleg Heuvelrand")
        page = client_for(w.taaldocent).get(url("meetings")).content.decode()
        assert url("meeting_detail", w.meeting) in page and url("meeting_detail", other) not in page
        assert "Casusoverleg plannen" not in page
        assert "Casusoverleg plannen" in client_for(w.regisseur).get(url("meetings")).content.decode()


# --- PDFs -----------------------------------------------------------------------------------------------------

def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "overleg.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


class TestPdf:
    def test_pdfs_are_pdfs_and_audited_as_export(self, minutes_world, client_for):
        w = minutes_world
        client = client_for(w.taaldocent)
        for name in ("meeting_agenda_pdf", "meeting_minutes_pdf"):
            response = client.get(url(name, w.meeting))
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
            assert response["Cache-Control"] == "no-store"
        exported = set(AuditEvent.objects.filter(user=w.taaldocent, action=AuditAction.EXPORT)
                       .values_list("participant_id", flat=True))
        assert exported == {w.participant.pk, w.amal.pk}

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
    def test_pdfs_follow_the_scope_of_the_viewer(self, minutes_world, client_for, tmp_path):
        w = minutes_world
        partner = pdf_text(client_for(w.taaldocent).get(url("meeting_minutes_pdf", w.meeting)).content, tmp_path)
        assert "Nahom Tesfay" in partner and "Gaat goed met de lessen." in partner
        assert "Ceren Aydin" not in partner and "Slaapt slecht" not in partner and "Budgetcoach" not in partner
        agenda = pdf_text(client_for(w.taaldocent).get(url("meeting_agenda_pdf", w.meeting)).content, tmp_path)
        assert "Amal Yusuf" in agenda and "Ceren Aydin" not in agenda and "Gaat goed" not in agenda
        regie = pdf_text(client_for(w.regisseur).get(url("meeting_minutes_pdf", w.meeting)).content, tmp_path)
        assert "Ceren Aydin" in regie and "Slaapt slecht" in regie and "Budgetcoach regelen" in regie


# --- Query budgets --------------------------------------------------------------------------------------------

class TestQueryBudgets:
    def test_pages_do_not_grow_with_the_agenda(self, minutes_world, client_for, max_queries):
        w = minutes_world
        for i in range(8):
            add_item(w.meeting, shared_participant(w, f"Extra {i}"), position=10 + i, note="Notitie")
        for i in range(3):
            make_meeting(w, days=-30 - i, status=MeetingStatus.AFGEROND)
        client = client_for(w.regisseur)
        with max_queries(8):
            assert client.get(url("meetings")).status_code == 200
        with max_queries(13):
            assert client.get(url("meeting_detail", w.meeting)).status_code == 200
        with max_queries(34):  # the proposal: signals of all candidates in a fixed number of queries
            assert client.get(url("meeting_agenda", w.meeting)).status_code == 200
        with max_queries(16):
            assert client.get(url("meeting_minutes", w.meeting)).status_code == 200
        with max_queries(13):
            assert client.get(url("meeting_minutes_pdf", w.meeting)).status_code == 200
        partner = client_for(w.taaldocent)
        with max_queries(14):
            assert partner.get(url("meeting_detail", w.meeting)).status_code == 200
