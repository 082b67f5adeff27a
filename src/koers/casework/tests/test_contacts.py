"""Contacts: recording, bad input, who sees what (special contacts), the 24-hour correction rule, guidance hours
and query budgets."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem, Contact
from koers.casework.queries import contacts as contact_queries
from koers.core.codes import Category, ContactKind, LegalBasis, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import Membership

pytestmark = pytest.mark.django_db


def url(name, p, **kwargs):
    return reverse(f"casework:{name}", kwargs={"pk": p.pk, **kwargs})


def moment(days_ago=0, hour=10, minute=0):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_contact(participant, user, *, days_ago=1, minutes=30, special=False, kind=ContactKind.GESPREK,
                 summary="Gesprek over de taalles", at=None):
    return Contact.objects.create(
        participant=participant, kind=kind, happened_at=at or moment(days_ago), duration_minutes=minutes,
        organisation=user.organisation, summary=summary, is_special=special, recorded_by=user,
    )


def form_data(**overrides):
    # An hour ago, not "today at 9": before 9 in the morning that would be in the future and refused.
    data = {
        "kind": "gesprek", "happened_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45", "summary": "Besproken hoe het gaat met de taalles.", "participant_present": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def consent_coach(world):
    """A coach at the re-integration company, on consent that includes special categories."""
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
                      legal_basis=LegalBasis.TOESTEMMING, consent_date=timezone.localdate(),
                      scope=Membership.scope_value({Category.IDENTITY, Category.TRAJECTORY, Category.SPECIAL}))
    return world.begeleider


# --- Recording -------------------------------------------------------------------------------------------------

def test_regisseur_records_a_contact_with_staff_of_two_organisations(world, client_for):
    client = client_for(world.regisseur)
    assert client.get(url("contact_create", world.participant)).status_code == 200
    response = client.post(url("contact_create", world.participant), form_data(
        kind="driegesprek", third_party="Werkgever Bakkerij Koster", staff=[world.regisseur.pk, world.taaldocent.pk],
        employer_present="on", agreements="Proefplaatsing start maandag.",
    ))
    assert response.status_code == 302 and response["Location"] == url("participant_contacts", world.participant)
    contact = Contact.objects.get()
    assert contact.organisation == world.gemeente and contact.recorded_by == world.regisseur
    assert set(contact.staff.all()) == {world.regisseur, world.taaldocent}
    assert contact.third_party == "Werkgever Bakkerij Koster" and contact.employer_present
    assert AuditEvent.objects.filter(user=world.regisseur, action="aanmaken", category=Category.TRAJECTORY,
                                     participant_id=world.participant.pk).exists()
    page = client.get(url("participant_contacts", world.participant)).content.decode()
    assert "Driegesprek" in page and "Werkgever Bakkerij Koster" in page and "Daan" in page


def test_contact_in_the_future_is_refused_and_nothing_is_saved(world, client_for):
    client = client_for(world.regisseur)
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("contact_create", world.participant), form_data(happened_at=future))
    assert response.status_code == 200
    assert "Een contact kan niet in de toekomst liggen" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.parametrize("minutes", ["0", "601", "-5", "veel"])
def test_duration_must_be_between_1_and_600_minutes(world, client_for, minutes):
    response = client_for(world.regisseur).post(url("contact_create", world.participant),
                                                form_data(duration_minutes=minutes))
    assert "Vul een duur in van 1 tot en met 600 minuten" in response.content.decode()
    assert not Contact.objects.exists()


def test_driegesprek_needs_the_third_party(world, client_for):
    response = client_for(world.regisseur).post(url("contact_create", world.participant),
                                                form_data(kind="driegesprek", third_party="  "))
    assert "Vul bij een driegesprek in met wie" in response.content.decode()
    assert not Contact.objects.exists()


def test_staff_of_an_organisation_that_is_not_involved_is_refused(world, client_for):
    client = client_for(world.regisseur)
    page = client.get(url("contact_create", world.participant)).content.decode()
    assert "Daan" in page and "Bo " not in page  # only involved staff are offered
    response = client.post(url("contact_create", world.participant), form_data(staff=[world.begeleider.pk]))
    assert "Kies alleen medewerkers van organisaties die bij het traject betrokken zijn" in response.content.decode()
    assert not Contact.objects.exists()
    # The service checks it too (not only the form's choices).
    participant, grant = world.participant, _grant(world.regisseur, world.participant)
    data = contact_queries.ContactData(kind="gesprek", happened_at=moment(1), duration_minutes=30, summary="x",
                                staff=[world.begeleider])
    errors = contact_queries.check_contact(participant, grant, data)
    assert "werkt niet bij een organisatie die bij het traject betrokken is" in errors["staff"]


def _grant(user, participant):
    from koers.core import access

    return access.grant_for(user, participant)


def test_taaldocent_logs_a_phone_call_without_special_or_action_items(world, client_for):
    client = client_for(world.taaldocent)
    page = client.get(url("contact_create", world.participant)).content.decode()
    assert 'name="is_special"' not in page and "actie-0-title" not in page
    assert "schrijf hier niets over gezondheid" in page
    response = client.post(url("contact_create", world.participant), form_data(
        kind="telefoon", is_special="on", **{"actie-0-title": "Stiekem actiepunt"}))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.organisation == world.taal and not contact.is_special
    assert not ActionItem.objects.exists()
    # The service refuses the special flag without the grant for it.
    data = contact_queries.ContactData(kind="telefoon", happened_at=moment(1), duration_minutes=5, summary="x",
                                is_special=True)
    assert "is_special" in contact_queries.check_contact(world.participant, _grant(world.taaldocent,
                                                                                    world.participant),
                                                  data)


def test_action_items_from_the_follow_up_are_linked_to_the_contact(world, client_for):
    client = client_for(world.regisseur)
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(url("contact_create", world.participant), form_data(**{
        "follow_up": "Taalhuis plant een toets.",
        "actie-0-title": "Taaltoets plannen", "actie-0-owner_organisation": world.taal.pk,
        "actie-0-assignee": world.taaldocent.pk, "actie-0-due_date": due, "actie-0-domain": "communicatie_taal",
        "actie-1-title": "", "actie-1-owner_organisation": world.gemeente.pk, "actie-1-due_date": due,
    }))
    assert response.status_code == 302
    contact = Contact.objects.get()
    item = ActionItem.objects.get()
    assert item.source_contact == contact and item.assignee == world.taaldocent
    detail = client.get(url("contact_detail", world.participant, contact_id=contact.pk)).content.decode()
    assert "Taaltoets plannen" in detail
    # The action item list says where the item came from, with a link to the contact.
    mine = client_for(world.taaldocent).get(reverse("casework:my_actions")).content.decode()
    assert "Uit contact (gesprek) van" in mine
    assert url("contact_detail", world.participant, contact_id=contact.pk) in mine


def test_a_bad_action_row_saves_neither_contact_nor_items(world, client_for):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(world.regisseur).post(url("contact_create", world.participant), form_data(**{
        "actie-0-title": "Aanmelden", "actie-0-owner_organisation": world.reintegratie.pk, "actie-0-due_date": past,
    }))
    page = response.content.decode()
    assert response.status_code == 200
    assert "niet betrokken bij het traject" in page and "Deze datum ligt in het verleden" in page
    assert not Contact.objects.exists() and not ActionItem.objects.exists()


# --- Who sees what ---------------------------------------------------------------------------------------------

def test_special_contact_is_hidden_from_the_taaldocent(world, client_for):
    make_contact(world.participant, world.regisseur, days_ago=2, summary="Gewone voortgang")
    special = make_contact(world.participant, world.regisseur, days_ago=1, special=True,
                           summary="Depressieve klachten besproken")
    regisseur_page = client_for(world.regisseur).get(url("participant_contacts", world.participant)).content.decode()
    assert "Depressieve klachten" in regisseur_page
    client = client_for(world.taaldocent)
    page = client.get(url("participant_contacts", world.participant)).content.decode()
    assert "Gewone voortgang" in page and "Depressieve" not in page and "bijzondere persoonsgegevens" not in page
    assert client.get(url("contact_detail", world.participant, contact_id=special.pk)).status_code == 404
    assert client.get(url("contact_edit", world.participant, contact_id=special.pk)).status_code == 404
    panel = contact_queries.panel(world.participant, _grant(world.taaldocent, world.participant))
    assert [c.summary for c in panel["recent"]] == ["Gewone voortgang"]
    # The date of the last contact counts every contact (as the "no contact" signal does).
    assert panel["days_since"] == 1
    # Hours only count what the viewer may see: no hint of a hidden contact.
    assert [h["contacts"] for h in contact_queries.participant_hours(world.participant,
                                                              _grant(world.taaldocent, world.participant),
                                                              None, None)] == [1]
    events = AuditEvent.objects.filter(user=world.taaldocent, detail="Contacten bekeken")
    assert Category.SPECIAL not in {e.category for e in events}


def test_another_municipality_gets_404_on_every_page(world, client_for):
    contact = make_contact(world.participant, world.regisseur)
    client = client_for(world.andere_regisseur)
    for path in (
        url("participant_contacts", world.participant), url("contact_create", world.participant),
        url("contact_detail", world.participant, contact_id=contact.pk),
        url("contact_edit", world.participant, contact_id=contact.pk),
        url("contact_delete", world.participant, contact_id=contact.pk),
        url("handover_create", world.participant),
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, form_data()).status_code == 404, path
    # A contact id of another participant under a visible participant's address is a 404 too.
    own = ParticipantFactory(regie_organisation=world.andere_gemeente, regisseur=world.andere_regisseur)
    assert client.get(url("contact_detail", own, contact_id=contact.pk)).status_code == 404
    assert Contact.objects.count() == 1
    # Not involved at all (the re-integration company without a membership): 404 as well.
    assert client_for(world.begeleider).get(url("participant_contacts", world.participant)).status_code == 404


# --- Correcting within 24 hours --------------------------------------------------------------------------------

def test_recorder_corrects_within_24_hours_and_not_after(world, client_for):
    contact = make_contact(world.participant, world.regisseur, minutes=30)
    client = client_for(world.regisseur)
    edit = url("contact_edit", world.participant, contact_id=contact.pk)
    response = client.post(edit, form_data(duration_minutes="50", summary="Aangevuld verslag"))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.duration_minutes == 50 and contact.summary == "Aangevuld verslag"
    assert AuditEvent.objects.filter(action="wijzigen", participant_id=world.participant.pk).exists()
    # Somebody else may not, not even a colleague of the same organisation.
    colleague = make_user(world.gemeente, Role.REGISSEUR, first_name="Cas")
    response = client_for(colleague).post(edit, form_data(summary="Overschreven"), follow=True)
    assert "binnen 24 uur" in response.content.decode()
    # After 24 hours the recorder cannot either: corrections are new contacts.
    Contact.objects.filter(pk=contact.pk).update(recorded_at=timezone.now() - timedelta(hours=24, minutes=1))
    client = client_for(world.regisseur)
    detail = client.get(url("contact_detail", world.participant, contact_id=contact.pk)).content.decode()
    assert "Leg een correctie vast als nieuw contact" in detail and "Wijzigen</a>" not in detail
    client.post(edit, form_data(summary="Te laat"))
    client.post(url("contact_delete", world.participant, contact_id=contact.pk))
    contact.refresh_from_db()
    assert contact.summary == "Aangevuld verslag"


def test_recorder_deletes_within_24_hours(world, client_for):
    contact = make_contact(world.participant, world.taaldocent)
    client = client_for(world.taaldocent)
    delete = url("contact_delete", world.participant, contact_id=contact.pk)
    assert "Contact verwijderen?" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Contact.objects.exists()
    assert AuditEvent.objects.filter(action="verwijderen", user=world.taaldocent).exists()


# --- Lists and filters -----------------------------------------------------------------------------------------

def test_list_is_newest_first_and_filters_on_kind_organisation_and_period(world, client_for):
    make_contact(world.participant, world.regisseur, days_ago=10, summary="Oud huisbezoek",
                 kind=ContactKind.HUISBEZOEK)
    make_contact(world.participant, world.taaldocent, days_ago=1, summary="Recent telefoontje",
                 kind=ContactKind.TELEFOON)
    client = client_for(world.regisseur)
    list_url = url("participant_contacts", world.participant)
    page = client.get(list_url).content.decode()
    assert page.index("Recent telefoontje") < page.index("Oud huisbezoek")
    page = client.get(list_url, {"kind": "huisbezoek"}).content.decode()
    assert "Oud huisbezoek" in page and "Recent telefoontje" not in page
    page = client.get(list_url, {"organisation": world.taal.pk}).content.decode()
    assert "Oud huisbezoek" not in page and "Recent telefoontje" in page
    start = (timezone.localdate() - timedelta(days=5)).isoformat()
    page = client.get(list_url, {"start": start}).content.decode()
    assert "Oud huisbezoek" not in page and "Recent telefoontje" in page


@pytest.mark.parametrize("count", [3, 30])
def test_participant_contact_list_query_budget(world, client_for, max_queries, count):
    for i in range(count):
        c = make_contact(world.participant, world.regisseur if i % 2 else world.taaldocent, days_ago=i % 20)
        c.staff.set([world.regisseur, world.taaldocent])
    client = client_for(world.regisseur)
    with max_queries(16):  # +1: the Monitoring menu item (uses_monitoring); +1: the planned appointments
        assert client.get(url("participant_contacts", world.participant)).status_code == 200


def test_panel_uses_two_queries(world, django_assert_num_queries):
    make_contact(world.participant, world.regisseur, days_ago=3)
    grant = _grant(world.regisseur, world.participant)
    with django_assert_num_queries(2):
        ctx = contact_queries.panel(world.participant, grant)
    assert ctx["days_since"] == 3 and ctx["can_record"] and ctx["can_handover"]
    assert contact_queries.panel(world.participant, _grant(world.andere_regisseur, world.participant)) == {}


# --- Guidance hours --------------------------------------------------------------------------------------------

def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_guidance_hours_count_whole_days_at_the_period_boundaries(world, client_for):
    today = timezone.localdate()
    start, end = today - timedelta(days=10), today - timedelta(days=3)
    p = world.participant
    make_contact(p, world.regisseur, minutes=10, at=_at(start - timedelta(days=1), 23, 59))  # before: not counted
    make_contact(p, world.regisseur, minutes=20, at=_at(start, 0, 0))                        # first moment: counted
    make_contact(p, world.regisseur, minutes=40, at=_at(end, 23, 59))                        # last minute: counted
    make_contact(p, world.regisseur, minutes=80, at=_at(end + timedelta(days=1), 0, 0))      # after: not counted
    make_contact(p, world.taaldocent, minutes=300, at=_at(start, 12))                        # other organisation
    rows = contact_queries.hours_per_participant(world.regisseur, start, end)
    assert [(r["name"], r["contacts"], r["minutes"]) for r in rows] == [("Nahom Tesfay", 2, 60)]
    assert contact_queries.hours_label(60) == "1" and contact_queries.hours_label(90) == "1,5"
    team = contact_queries.hours_per_organisation(world.regisseur, start, end)
    assert [(r["name"], r["minutes"]) for r in team] == [("Gemeente Rivierstad", 60), ("Taalhuis Rivierland", 300)]
    client = client_for(world.regisseur)
    page = client.get(reverse("casework:guidance_hours"), {"start": start.isoformat(), "end": end.isoformat()})
    text = page.content.decode()
    assert "Nahom Tesfay" in text and "Team: per organisatie" in text and "Taalhuis Rivierland" in text
    # The taaldocent sees the own organisation only, and no team view.
    text = client_for(world.taaldocent).get(reverse("casework:guidance_hours"),
                                            {"start": start.isoformat(), "end": end.isoformat()}).content.decode()
    assert "Team: per organisatie" not in text and ">300<" in text


def test_guidance_hours_csv_export_is_audited(world, client_for):
    make_contact(world.participant, world.regisseur, minutes=90, days_ago=0)
    today = timezone.localdate().isoformat()
    response = client_for(world.regisseur).get(reverse("casework:guidance_hours"),
                                               {"start": today, "end": today, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "organisatie" and rows[1][4:] == ["Nahom Tesfay", "1", "90", "1,5"]
    assert AuditEvent.objects.filter(action="exporteren", participant_id=world.participant.pk).count() == 2


def test_guidance_hours_leave_out_special_contacts_the_viewer_may_not_see(world, consent_coach):
    make_contact(world.participant, world.taaldocent, minutes=30)
    colleague = make_user(world.taal, Role.BEGELEIDER, first_name="Tess")
    make_contact(world.participant, colleague, minutes=60, special=True)  # the special scope is not the taal's
    today = timezone.localdate()
    rows = contact_queries.hours_per_participant(world.taaldocent, today - timedelta(days=5), today)
    assert [r["minutes"] for r in rows] == [30]


@pytest.mark.parametrize("count", [3, 30])
def test_guidance_hours_query_budget(world, client_for, max_queries, count):
    for i in range(count):
        p = ParticipantFactory(name=f"Deelnemer {i:02d}", regie_organisation=world.gemeente, regisseur=world.regisseur)
        MembershipFactory(participant=p, organisation=world.taal, added_by=world.regisseur)
        make_contact(p, world.regisseur, days_ago=0)
        make_contact(p, world.taaldocent, days_ago=0)
    for user in (world.regisseur, world.taaldocent):
        client = client_for(user)
        with max_queries(12):
            assert client.get(reverse("casework:guidance_hours")).status_code == 200


def test_panel_include_renders_last_contact_and_buttons(world):
    from django.template.loader import render_to_string

    make_contact(world.participant, world.regisseur, days_ago=0, summary="Kort telefoontje")
    grant = _grant(world.regisseur, world.participant)
    html = render_to_string("casework/contacts/_panel.html", {
        "p": world.participant, "contacts_panel": contact_queries.panel(world.participant, grant)})
    assert "vandaag" in html and "Kort telefoontje" in html
    assert "Contact vastleggen" in html and "Overdracht starten" in html
    # A taaldocent logs contacts but does not hand over (no trajectory write).
    html = render_to_string("casework/contacts/_panel.html", {
        "p": world.participant, "contacts_panel": contact_queries.panel(world.participant,
                                                                 _grant(world.taaldocent, world.participant))})
    assert "Contact vastleggen" in html and "Overdracht starten" not in html
