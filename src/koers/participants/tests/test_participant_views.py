"""The participant file pages as a case worker uses them, including bad input."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from koers.core.codes import Role
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import LanguageAssessment, Participant, ParticipantChange

pytestmark = pytest.mark.django_db


def url(name, p, **kw):
    return reverse(f"participants:{name}", kwargs={"pk": p.pk, **kw})


def test_regisseur_lists_and_filters_participants(world, client_for):
    world.participant.learning_route = "b1"
    world.participant.save()
    ParticipantFactory(name="Heba Al-Khatib", regie_organisation=world.gemeente, learning_route="onderwijs")
    client = client_for(world.regisseur)
    page = client.get(reverse("participants:list")).content.decode()
    assert "Nahom Tesfay" in page and "Heba Al-Khatib" in page and "Samira Haddad" not in page
    page = client.get(reverse("participants:list"), {"leerroute": "b1"}).content.decode()
    assert "Nahom Tesfay" in page and "Heba Al-Khatib" not in page
    page = client.get(reverse("participants:list"), {"q": "heba"}).content.decode()
    assert "Heba Al-Khatib" in page and "Nahom Tesfay" not in page
    page = client.get(reverse("participants:list"), {"q": "niemand"}).content.decode()
    assert "Geen deelnemers gevonden" in page


def test_list_is_paginated(world, client_for):
    for i in range(30):
        ParticipantFactory(name=f"Persoon {i:02d}", regie_organisation=world.gemeente)
    client = client_for(world.regisseur)
    first = client.get(reverse("participants:list")).content.decode()
    assert "Pagina 1 van 2" in first
    second = client.get(reverse("participants:list"), {"page": 2}).content.decode()
    assert "Pagina 2 van 2" in second


def test_list_and_detail_query_counts_do_not_grow(world, client_for, max_queries):
    for i in range(40):
        p = ParticipantFactory(name=f"Partner {i:02d}", regie_organisation=world.gemeente)
        MembershipFactory(participant=p, organisation=world.taal, added_by=world.regisseur)
    for user in (world.regisseur, world.taaldocent):
        client = client_for(user)
        with max_queries(12):
            assert client.get(reverse("participants:list")).status_code == 200
        with max_queries(12):
            assert client.get(reverse("participants:list"), {"leerroute": "b1", "taalniveau": "A1"}).status_code == 200
        # 40: the language-milestone signal rule reads the tests (one query); the Mijn Koers card (one)
        # 43: the unanswered-message signal rule (one), the Berichten card (one), the participant's own
        # portfolio items (one)
        with max_queries(43):
            assert client.get(url("detail", world.participant)).status_code == 200


def test_partner_list_shows_only_involved_participants(world, client_for):
    ParticipantFactory(name="Zonder Taalhuis", regie_organisation=world.gemeente)
    page = client_for(world.taaldocent).get(reverse("participants:list")).content.decode()
    assert "Nahom Tesfay" in page and "Zonder Taalhuis" not in page


def test_create_participant_with_bad_input_saves_nothing(world, client_for):
    client = client_for(world.regisseur)
    before = Participant.objects.count()
    response = client.post(reverse("participants:create"), {
        "name": "Ammar Haddad", "bsn": "123456789", "date_of_birth": "2090-01-01", "country_of_origin": "XX",
        "languages": ["klingon"], "gender": "onbekend", "interpreter_needed": "onbekend",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "elfproef" in page
    assert "toekomst" in page
    assert "XX" in page  # the unknown country is named in the message
    assert Participant.objects.count() == before


def test_create_participant(world, client_for):
    client = client_for(world.regisseur)
    response = client.post(reverse("participants:create"), {
        "name": "Ammar Haddad", "bsn": "111222333", "date_of_birth": "1985-04-02", "country_of_origin": "SY",
        "languages": ["ar"], "gender": "man", "interpreter_needed": "ja",
    })
    p = Participant.objects.get(name="Ammar Haddad")
    assert response.status_code == 302 and response["Location"] == url("detail", p)
    assert p.regie_organisation == world.gemeente and p.regisseur == world.regisseur


CREATE = {"name": "Nahom Tesfay", "date_of_birth": "1990-03-01", "country_of_origin": "ER", "languages": ["ti"],
          "gender": "man", "interpreter_needed": "ja"}


def test_a_second_participant_with_the_same_name_and_birth_date_needs_an_explicit_choice(world, client_for):
    world.participant.date_of_birth = datetime.date(1990, 3, 1)
    world.participant.save()
    client = client_for(world.regisseur)
    before = Participant.objects.count()
    page = client.post(reverse("participants:create"), {**CREATE, "name": "nahom TESFAY"}).content.decode()
    # Shown, with a link to the one that exists; nothing created.
    assert "Bestaat deze deelnemer al?" in page
    assert url("detail", world.participant) in page
    assert "vink aan dat dit een andere persoon is" in page
    assert Participant.objects.count() == before
    # Ticked: another person with the same name, created.
    response = client.post(reverse("participants:create"), {**CREATE, "other_person": "on"})
    assert response.status_code == 302
    assert Participant.objects.count() == before + 1


def test_the_duplicate_check_does_not_show_another_municipalitys_participant(world, client_for):
    world.other_participant.date_of_birth = datetime.date(1990, 3, 1)
    world.other_participant.save()
    response = client_for(world.regisseur).post(
        reverse("participants:create"), {**CREATE, "name": "Samira Haddad"})
    assert response.status_code == 302  # no hint, no link: that participant is not this user's to see


def test_a_duplicate_bsn_gets_a_message_next_to_the_field_not_the_database_error(world, client_for):
    world.other_participant.bsn = "111222333"
    world.other_participant.save()
    before = Participant.objects.count()
    response = client_for(world.regisseur).post(
        reverse("participants:create"), {**CREATE, "name": "Ammar Haddad", "bsn": "111222333"})
    page = response.content.decode()
    assert response.status_code == 200 and Participant.objects.count() == before
    assert "Er staat al een deelnemer met dit BSN in Koers" in page
    assert "geschonden" not in page and "unique_bsn" not in page
    assert "Gemeente Heuvelrand" not in page and "Samira" not in page  # which municipality is not said
    # The same on the identity section of an existing participant.
    response = client_for(world.regisseur).post(
        reverse("participants:edit_section", kwargs={"pk": world.participant.pk, "section": "identiteit"}),
        {"name": "Nahom Tesfay", "bsn": "111222333", "country_of_origin": "ER", "languages": ["ti"],
         "gender": "man", "interpreter_needed": "ja"})
    assert "Er staat al een deelnemer met dit BSN in Koers" in response.content.decode()
    world.participant.refresh_from_db()
    assert world.participant.bsn != "111222333"


def test_taaldocent_cannot_create_participants(world, client_for):
    assert client_for(world.taaldocent).get(reverse("participants:create")).status_code == 404


def test_edit_section_keeps_history_and_shows_it(world, client_for):
    client = client_for(world.regisseur)
    response = client.post(url("edit_section", world.participant, section="traject"), {
        "phase": "intake", "regisseur": world.regisseur.pk, "migration_status": "asielstatushouder",
        "integration_obliged": "ja", "learning_route": "b1", "settled_on": "2023-03-01",
    })
    assert response.status_code == 302
    changes = ParticipantChange.objects.filter(participant=world.participant)
    assert {c.field for c in changes} == {"phase", "migration_status", "integration_obliged", "settled_on"}
    status = changes.get(field="migration_status")
    assert (status.old_value, status.new_value, status.user) == ("Onbekend", "Asielstatushouder", world.regisseur)
    page = client.get(url("history", world.participant)).content.decode()
    assert "Asielstatushouder" in page and "Verblijfsstatus" in page
    # The leerroute is not changed here: switching follows the rules on the integration page (plans).
    world.participant.refresh_from_db()
    assert world.participant.learning_route == "onbekend"


def test_availability_unknown_is_distinct_from_none(world, client_for):
    client = client_for(world.regisseur)
    base = {"has_partner": "onbekend", "childcare_needed": "onbekend", "children_count": ""}
    client.post(url("edit_section", world.participant, section="huishouden"), {**base, "availability_known": "on"})
    world.participant.refresh_from_db()
    assert world.participant.availability == []
    client.post(url("edit_section", world.participant, section="huishouden"),
                {**base, "availability_known": "on", "availability": ["ma_o", "di_m"]})
    world.participant.refresh_from_db()
    assert world.participant.availability == ["di_m", "ma_o"]
    client.post(url("edit_section", world.participant, section="huishouden"), base)
    world.participant.refresh_from_db()
    assert world.participant.availability is None


def test_barriers_none_vs_not_asked_and_health_hidden_from_partner(world, client_for):
    client = client_for(world.regisseur)
    edit = url("edit_section", world.participant, section="belemmeringen")
    response = client.post(edit, {"barrier_status": "wel"})
    assert "Kies minstens één belemmering" in response.content.decode()
    client.post(edit, {"barrier_status": "wel", "barriers": ["psychische_gezondheid", "kinderopvang"]})
    world.participant.refresh_from_db()
    assert world.participant.barrier_status == "wel"
    assert world.participant.barriers.count() == 2
    history = client_for(world.taaldocent).get(url("history", world.participant)).content.decode()
    assert "psychische" not in history.lower()
    assert "geen kinderopvang" in history.lower()


def test_language_level_outside_code_list_is_refused(world, client_for):
    client = client_for(world.taaldocent)
    response = client.post(url("add_assessment", world.participant),
                           {"level_spreken": "Z9", "tested_on": "2026-01-10", "source": "toets"})
    assert response.status_code == 200
    assert "Kies een niveau uit de lijst (A0 tot C2)" in response.content.decode()
    assert not LanguageAssessment.objects.exists()
    response = client.post(url("add_assessment", world.participant),
                           {"level_spreken": "A2", "tested_on": "2026-01-10", "source": "toets"})
    assert response.status_code == 302
    world.participant.refresh_from_db()
    assert world.participant.level_spreken == "A2"


def test_older_test_does_not_overwrite_newer_level(world, client_for):
    client = client_for(world.taaldocent)
    post = {"source": "toets"}
    client.post(url("add_assessment", world.participant), {**post, "level_lezen": "A2", "tested_on": "2026-02-01"})
    client.post(url("add_assessment", world.participant), {**post, "level_lezen": "A1", "tested_on": "2025-09-01"})
    world.participant.refresh_from_db()
    assert world.participant.level_lezen == "A2"


def test_taaldocent_cannot_change_identity(world, client_for):
    client = client_for(world.taaldocent)
    assert client.get(url("edit_section", world.participant, section="identiteit")).status_code == 404
    assert client.get(url("edit_section", world.participant, section="inkomen")).status_code == 404


def test_membership_form_rules(world, client_for):
    client = client_for(world.regisseur)
    access_url = url("access", world.participant)
    response = client.post(access_url, {
        "organisation": world.reintegratie.pk, "legal_basis": "wettelijke_taak", "scope": ["identiteit", "bijzonder"],
        "valid_from": "2026-01-01",
    })
    assert "alleen met toestemming" in response.content.decode()
    response = client.post(access_url, {
        "organisation": world.reintegratie.pk, "legal_basis": "toestemming", "scope": ["identiteit", "werk"],
        "valid_from": "2026-01-01",
    })
    assert "waarop de deelnemer toestemming gaf" in response.content.decode()
    response = client.post(access_url, {
        "organisation": world.taal.pk, "legal_basis": "wettelijke_taak", "scope": ["identiteit"],
        "valid_from": "2026-01-01",
    })
    assert "is al betrokken" in response.content.decode()
    response = client.post(access_url, {
        "organisation": world.reintegratie.pk, "legal_basis": "toestemming", "consent_date": "2026-01-05",
        "scope": ["identiteit", "traject", "werk"], "valid_from": "2026-01-01",
    })
    assert response.status_code == 302
    assert world.participant in __import__("koers.core.access", fromlist=["x"]).visible_participants(world.begeleider)


def test_inaccessible_regisseur_in_form_is_refused(world, client_for):
    other_regisseur = make_user(world.andere_gemeente, Role.REGISSEUR)
    response = client_for(world.regisseur).post(url("edit_section", world.participant, section="traject"), {
        "phase": "intake", "regisseur": other_regisseur.pk, "migration_status": "onbekend",
        "integration_obliged": "onbekend", "learning_route": "onbekend",
    })
    assert response.status_code == 200
    world.participant.refresh_from_db()
    assert world.participant.regisseur == world.regisseur


def test_interface_stays_dutch_for_an_english_browser(world, client_for):
    client = client_for(world.taaldocent)
    response = client.post(url("add_assessment", world.participant),
                           {"level_spreken": "A2", "tested_on": "", "source": "Z9"},
                           HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_saving_one_section_does_not_overwrite_another_saved_meanwhile(world):
    """Two colleagues edit different sections at the same time: both changes survive."""
    from koers.core.access import grant_for
    from koers.participants.forms.file import SECTIONS
    from koers.participants.services import file as services

    stale = Participant.objects.get(pk=world.participant.pk)  # loaded by colleague A's request
    Participant.objects.filter(pk=world.participant.pk).update(benefit="ja")  # colleague B saved meanwhile
    section = SECTIONS["wensen"]
    form = section.form_class({"dream_job": "Elektromonteur", "plan_b": "", "sector_interests": ["F"]},
                              instance=stale)
    assert form.is_valid(), form.errors
    services.update_section(world.regisseur, stale, grant_for(world.regisseur, stale), section, values=form.values(),
                            version=form.submitted_version)
    fresh = Participant.objects.get(pk=world.participant.pk)
    assert fresh.dream_job == "Elektromonteur" and fresh.benefit == "ja"


def test_the_header_names_the_legal_basis_in_words(world, client_for):
    page = client_for(world.taaldocent).get(url("detail", world.participant)).content.decode()
    basis = world.membership.get_legal_basis_display()
    assert f"Uw grondslag: {basis}" in page
    assert f"Uw grondslag: {world.membership.legal_basis}<" not in page
