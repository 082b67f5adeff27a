"""Action items: my list, my organisation's list, a participant's list, status changes; access and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem
from koers.casework.queries import actions as queries
from koers.core.codes import ActionStatus, Category, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user

pytestmark = pytest.mark.django_db

MY = reverse("casework:my_actions")
ORG = reverse("casework:org_actions")


def today():
    return timezone.localdate()


def make_item(participant, org, title="Brief DUO beantwoorden", *, assignee=None, days=7, domain="",
              status=ActionStatus.OPEN, created_by=None):
    return ActionItem.objects.create(
        participant=participant, owner_organisation=org, title=title, assignee=assignee, domain=domain,
        due_date=today() + timedelta(days=days), status=status, created_by=created_by or participant.regisseur,
    )


def participant_url(p):
    return reverse("casework:participant_actions", kwargs={"pk": p.pk})


def status_url(item):
    return reverse("casework:change_status", kwargs={"item_id": item.pk})


def test_my_actions_lists_running_items_first_and_says_when_overdue(world, client_for):
    make_item(world.participant, world.taal, "Afgerond punt", assignee=world.taaldocent, days=-30,
              status=ActionStatus.AFGEROND)
    make_item(world.participant, world.taal, "Later toetsen", assignee=world.taaldocent, days=20)
    make_item(world.participant, world.taal, "Te late toets", assignee=world.taaldocent, days=-2,
              status=ActionStatus.BEZIG)
    make_item(world.participant, world.taal, "Van de organisatie", days=3)
    page = client_for(world.taaldocent).get(MY).content.decode()
    assert page.index("Te late toets") < page.index("Later toetsen") < page.index("Afgerond punt")
    assert "Van de organisatie" not in page
    assert page.count("Te laat<") == 1  # in text, not colour alone; a finished item is never late
    assert 'aria-current="page">Actiepunten' in page  # the main menu item


def test_empty_states_are_in_dutch(world, client_for):
    client = client_for(world.regisseur)
    assert "U heeft geen actiepunten met deze status" in client.get(MY).content.decode()
    assert "Uw organisatie heeft geen actiepunten" in client.get(ORG).content.decode()
    page = client.get(participant_url(world.participant)).content.decode()
    assert "Er zijn geen actiepunten voor deze deelnemer" in page


def test_organisation_list_filters_on_status(world, client_for):
    make_item(world.participant, world.gemeente, "Lopend punt")
    make_item(world.participant, world.gemeente, "Vervallen punt", status=ActionStatus.VERVALLEN)
    make_item(world.participant, world.taal, "Van het taalhuis")
    client = client_for(world.regisseur)
    page = client.get(ORG).content.decode()
    assert "Lopend punt" in page and "Vervallen punt" not in page and "Van het taalhuis" not in page
    page = client.get(ORG, {"status": "alle"}).content.decode()
    assert "Lopend punt" in page and "Vervallen punt" in page
    page = client.get(ORG, {"status": "vervallen"}).content.decode()
    assert "Lopend punt" not in page and "Vervallen punt" in page


def test_lists_show_only_participants_and_categories_the_user_may_see(world, client_for):
    make_item(world.participant, world.taal, "Taaltoets", assignee=world.taaldocent, domain="communicatie_taal")
    make_item(world.participant, world.taal, "Huisarts bellen", assignee=world.taaldocent,
              domain="geestelijke_gezondheid")
    make_item(world.participant, world.taal, "Schuldhulp", assignee=world.taaldocent, domain="financien")
    make_item(world.other_participant, world.taal, "Andere gemeente", assignee=world.taaldocent)
    for page_url in (MY, ORG, participant_url(world.participant)):
        page = client_for(world.taaldocent).get(page_url).content.decode()
        assert "Taaltoets" in page
        assert "Huisarts" not in page and "Schuldhulp" not in page and "Andere gemeente" not in page
    visible = queries.visible_action_items(world.regisseur).values_list("title", flat=True)
    assert set(visible) == {"Taaltoets", "Huisarts bellen", "Schuldhulp"}


def test_ending_the_membership_ends_the_items_in_the_list(world, client_for):
    make_item(world.participant, world.taal, "Taaltoets", assignee=world.taaldocent)
    world.membership.ended_at = timezone.now()
    world.membership.save()
    page = client_for(world.taaldocent).get(MY).content.decode()
    assert "Taaltoets" not in page


def test_lists_are_audited_per_participant_and_category(world, client_for):
    make_item(world.participant, world.taal, "Taaltoets", assignee=world.taaldocent, domain="communicatie_taal")
    client_for(world.taaldocent).get(MY)
    events = AuditEvent.objects.filter(user=world.taaldocent, detail="Mijn actiepunten")
    assert {(e.participant_id, e.category) for e in events} == {
        (world.participant.pk, Category.IDENTITY), (world.participant.pk, Category.LANGUAGE)}
    assert {e.legal_basis for e in events} == {"wettelijke_taak"}


def test_participant_page_is_404_for_other_organisations(world, client_for):
    make_item(world.participant, world.gemeente, "Geheim")
    for user in (world.andere_regisseur, world.begeleider):
        client = client_for(user)
        assert client.get(participant_url(world.participant)).status_code == 404
        assert client.get(reverse("casework:action_create", kwargs={"pk": world.participant.pk})).status_code == 404
        assert "Geheim" not in client.get(ORG, {"status": "alle"}).content.decode()


def test_assignee_moves_an_item_along_and_it_is_audited(world, client_for):
    item = make_item(world.participant, world.gemeente, assignee=world.taaldocent)
    client = client_for(world.taaldocent)
    response = client.post(status_url(item), {"status": "bezig", "next": MY})
    assert response["Location"] == MY
    item.refresh_from_db()
    assert item.status == ActionStatus.BEZIG and item.completed_at is None
    client.post(status_url(item), {"status": "afgerond"})
    item.refresh_from_db()
    assert item.status == ActionStatus.AFGEROND and item.completed_at is not None
    assert AuditEvent.objects.filter(user=world.taaldocent, action="wijzigen", participant_id=world.participant.pk,
                                     detail__contains="bezig → afgerond").exists()


def test_owner_organisation_colleague_may_change_status_others_not(world, client_for):
    item = make_item(world.participant, world.gemeente)
    colleague = make_user(world.gemeente, Role.BEGELEIDER, first_name="Cor")
    assert client_for(colleague).post(status_url(item), {"status": "vervallen"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.VERVALLEN
    # The taaldocent sees the item (trajectory) but is neither assignee nor of the owner organisation.
    response = client_for(world.taaldocent).post(status_url(item), {"status": "open"})
    assert response.status_code == 404
    # Another municipality does not even know it exists.
    assert client_for(world.andere_regisseur).post(status_url(item), {"status": "open"}).status_code == 404
    item.refresh_from_db()
    assert item.status == ActionStatus.VERVALLEN


def test_invalid_status_change_is_refused_with_a_message(world, client_for):
    item = make_item(world.participant, world.gemeente, status=ActionStatus.AFGEROND)
    client = client_for(world.regisseur)
    response = client.post(status_url(item), {"status": "bezig"}, follow=True)
    assert "kan niet naar ‘bezig’" in response.content.decode()
    response = client.post(status_url(item), {"status": "weg"}, follow=True)
    assert "Kies een geldige status" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionStatus.AFGEROND
    assert client.get(status_url(item)).status_code == 405


def test_create_action_item_with_bad_input_saves_nothing(world, client_for):
    client = client_for(world.regisseur)
    create = reverse("casework:action_create", kwargs={"pk": world.participant.pk})
    response = client.post(create, {
        "title": "Aanmelden", "owner_organisation": world.reintegratie.pk,
        "due_date": (today() - timedelta(days=1)).isoformat(),
    })
    page = response.content.decode()
    assert "niet betrokken bij het traject" in page and "Deze datum ligt in het verleden" in page
    response = client.post(create, {
        "title": "Aanmelden", "owner_organisation": world.taal.pk, "assignee": world.regisseur.pk,
        "due_date": today().isoformat(),
    })
    assert "werkt niet bij Taalhuis Rivierland" in response.content.decode()
    assert not ActionItem.objects.exists()
    response = client.post(create, {
        "title": "Taaltoets plannen", "owner_organisation": world.taal.pk, "assignee": world.taaldocent.pk,
        "due_date": today().isoformat(), "domain": "communicatie_taal",
    })
    assert response["Location"] == participant_url(world.participant)
    item = ActionItem.objects.get()
    assert (item.owner_organisation, item.assignee, item.created_by) == (world.taal, world.taaldocent,
                                                                         world.regisseur)


def test_taaldocent_cannot_create_action_items(world, client_for):
    create = reverse("casework:action_create", kwargs={"pk": world.participant.pk})
    assert client_for(world.taaldocent).get(create).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_counts_are_flat(world, client_for, max_queries, count):
    for i in range(count):
        p = ParticipantFactory(name=f"Deelnemer {i:02d}", regie_organisation=world.gemeente, regisseur=world.regisseur)
        MembershipFactory(participant=p, organisation=world.taal, added_by=world.regisseur)
        make_item(p, world.taal, f"Taal {i}", assignee=world.taaldocent, domain="communicatie_taal" if i % 2 else "")
        make_item(p, world.gemeente, f"Regie {i}", assignee=world.regisseur, domain="financien")
    for user in (world.regisseur, world.taaldocent):
        client = client_for(user)
        with max_queries(20):
            assert client.get(MY).status_code == 200
        with max_queries(20):
            assert client.get(ORG, {"status": "alle"}).status_code == 200
    client = client_for(world.regisseur)
    with max_queries(16):
        assert client.get(participant_url(p)).status_code == 200


# --- Bad input, sources and escalation (issue 4) ----------------------------------------------------------------

def test_action_item_without_owner_organisation_is_refused_clearly(world, client_for):
    create = reverse("casework:action_create", kwargs={"pk": world.participant.pk})
    response = client_for(world.regisseur).post(create, {"title": "Zonder eigenaar",
                                                         "due_date": today().isoformat()})
    assert "Kies de organisatie die het actiepunt uitvoert" in response.content.decode()
    assert not ActionItem.objects.exists()
    # The service says so too (an action item without owner gets lost), and refuses a missing date.
    errors = queries.check_action(world.participant, domain="", owner_organisation=None, assignee=None,
                                   due_date=None)
    assert errors["owner_organisation"] == queries.NO_OWNER and "due_date" in errors


def test_lists_show_where_an_item_came_from(world, client_for):
    from koers.casework.models import Contact

    contact = Contact.objects.create(
        participant=world.participant, kind="huisbezoek", happened_at=timezone.now() - timedelta(days=1),
        duration_minutes=60, organisation=world.gemeente, summary="Huisbezoek", recorded_by=world.regisseur)
    secret = Contact.objects.create(
        participant=world.participant, kind="gesprek", happened_at=timezone.now() - timedelta(days=1),
        duration_minutes=60, organisation=world.gemeente, summary="Gezondheid", is_special=True,
        recorded_by=world.regisseur)
    item = make_item(world.participant, world.taal, "Uit huisbezoek", assignee=world.taaldocent)
    ActionItem.objects.filter(pk=item.pk).update(source_contact=contact)
    other = make_item(world.participant, world.taal, "Uit bijzonder gesprek", assignee=world.taaldocent)
    ActionItem.objects.filter(pk=other.pk).update(source_contact=secret)
    detail = reverse("casework:contact_detail", kwargs={"pk": world.participant.pk, "contact_id": contact.pk})
    secret_detail = reverse("casework:contact_detail", kwargs={"pk": world.participant.pk, "contact_id": secret.pk})
    page = client_for(world.taaldocent).get(MY).content.decode()
    assert "Uit contact (huisbezoek) van" in page and detail in page
    # A special contact is named without date, kind or link to whoever may not see it.
    assert "Uit een contactmoment" in page and secret_detail not in page
    page = client_for(world.regisseur).get(participant_url(world.participant)).content.decode()
    assert secret_detail in page


def test_escalations_list_overdue_items_of_the_regisseurs_participants(world, client_for, max_queries):
    late = make_item(world.participant, world.taal, "Te late toets", days=-3)
    ActionItem.objects.filter(pk=late.pk).update(escalated_at=timezone.now())
    make_item(world.participant, world.taal, "Nog op tijd", days=3)
    make_item(world.participant, world.taal, "Te laat maar afgerond", days=-3, status=ActionStatus.AFGEROND)
    colleague = make_user(world.gemeente, Role.REGISSEUR, first_name="Cas")
    theirs = ParticipantFactory(name="Van Cas", regie_organisation=world.gemeente, regisseur=colleague)
    make_item(theirs, world.gemeente, "Te laat bij Cas", days=-1)
    orphan = ParticipantFactory(name="Zonder regisseur", regie_organisation=world.gemeente, regisseur=None)
    make_item(orphan, world.gemeente, "Te laat zonder regisseur", days=-1, created_by=world.regisseur)
    make_item(world.other_participant, world.andere_gemeente, "Andere gemeente", days=-5)
    assert list(queries.overdue_for_regisseur(world.regisseur).values_list("title", flat=True)) == [
        "Te late toets", "Te laat zonder regisseur"]
    client = client_for(world.regisseur)
    with max_queries(14, audits=2):  # one view event per participant on the list
        page = client.get(reverse("casework:escalations")).content.decode()
    assert "Te late toets" in page and "Gemeld op" in page and "Nog niet gemeld" in page
    assert "Nog op tijd" not in page and "Te laat bij Cas" not in page and "Andere gemeente" not in page
    assert not queries.overdue_for_regisseur(world.taaldocent).exists()
    assert client_for(world.taaldocent).get(reverse("casework:escalations")).status_code == 404
