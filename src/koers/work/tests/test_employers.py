"""Employers, contact persons, company visits, openings and certificates: pages, access, bad input, import."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from koers.core.models import AuditEvent
from koers.core.tests.factories import ParticipantFactory
from koers.work.models import CompanyVisit, ContactPerson, Employer, Opening, PostcodeArea
from koers.work.queries import employers as employer_queries
from koers.work.services import employers as employer_services
from koers.work.tests import matching_factories as f


@pytest.fixture
def work(world):
    world.accountmanager = f.accountmanager(world.gemeente)
    world.other_manager = f.accountmanager(world.andere_gemeente, username="am-heuvelrand")
    world.vca = f.certificate()
    world.employer = f.employer(world.gemeente)
    return world


def opening_data(**overrides) -> dict:
    data = {
        "kind": "betaald_werk", "title": "Assistent-monteur", "tasks": "Leidingen leggen", "sector": "F",
        "hours_per_week": "32", "days": ["ma_o", "di_o"], "postcode": "", "city": "", "start_date": "",
        "places": "2", "req_spreken": "A2", "req_luisteren": "", "req_lezen": "", "req_schrijven": "",
        "driving_licence_required": "", "physical_demand": "gemiddeld", "physical_notes": "",
        "support_offered": "Buddy", "status": "open",
    }
    data.update(overrides)
    return data


# --- Employers ---------------------------------------------------------------------------------------------


def test_accountmanager_creates_and_changes_an_employer(work, client_for):
    client = client_for(work.accountmanager)
    response = client.post(reverse("work:employer_create"), {
        "name": "Hotel De Brug", "sector": "I", "size_class": "10-49", "city": "Rivierstad", "postcode": "6511 AB",
        "offers_buddy": "ja", "offers_training": "onbekend", "contract_perspective": "nee",
        "trial_placements": "ja", "floor_languages": ["nl", "ar"], "is_active": "on",
    })
    employer = Employer.objects.get(name="Hotel De Brug")
    assert response.status_code == 302
    assert (employer.organisation, employer.account_manager, employer.floor_languages) == (
        work.gemeente, work.accountmanager, ["nl", "ar"])
    page = client.get(reverse("work:employer_detail", args=[employer.pk])).content.decode()
    assert "Hotel De Brug" in page and "Arabisch" in page and "Werkgever wijzigen" in page


def test_employer_form_refuses_a_bad_postcode_with_a_clear_message(work, client_for):
    response = client_for(work.accountmanager).post(reverse("work:employer_create"), {
        "name": "X", "sector": "I", "size_class": "onbekend", "city": "Rivierstad", "postcode": "12",
        "offers_buddy": "onbekend", "offers_training": "onbekend", "contract_perspective": "onbekend",
        "trial_placements": "onbekend",
    })
    assert response.status_code == 200 and "vier cijfers en twee letters" in response.content.decode()
    assert not Employer.objects.filter(name="X").exists()


def test_who_sees_and_who_manages_employers(work, client_for):
    detail = reverse("work:employer_detail", args=[work.employer.pk])
    update = reverse("work:employer_update", args=[work.employer.pk])
    assert client_for(work.regisseur).get(detail).status_code == 200  # case roles view
    assert "Werkgever wijzigen" not in client_for(work.regisseur).get(detail).content.decode()
    assert client_for(work.regisseur).get(update).status_code == 404
    assert client_for(work.other_manager).get(update).status_code == 404  # another organisation's employer
    assert client_for(work.other_manager).get(detail).status_code == 200
    assert client_for(work.beheerder).get(reverse("work:employer_list")).status_code == 404
    assert client_for(work.regisseur).get(reverse("work:employer_create")).status_code == 404
    assert client_for(work.accountmanager).get(update).status_code == 200


def test_contact_persons_one_primary(work, client_for):
    client = client_for(work.accountmanager)
    url = reverse("work:contact_create", args=[work.employer.pk])
    client.post(url, {"name": "Anna", "function": "HR", "is_primary": "on"})
    client.post(url, {"name": "Bert", "function": "chef", "is_primary": "on"})
    assert list(work.employer.contacts.values_list("name", "is_primary")) == [("Bert", True), ("Anna", False)]
    anna = ContactPerson.objects.get(name="Anna")
    assert client_for(work.regisseur).post(reverse("work:contact_delete", args=[anna.pk])).status_code == 404
    client = client_for(work.accountmanager)
    assert client.post(reverse("work:contact_delete", args=[anna.pk])).status_code == 302
    assert not ContactPerson.objects.filter(name="Anna").exists()


def test_company_visit_only_with_visible_participants_and_audited(work, client_for):
    own = ParticipantFactory(name="Hiwet Gebre", regie_organisation=work.gemeente, phase="traject")
    client = client_for(work.accountmanager)
    url = reverse("work:visit_create", args=[work.employer.pk])
    search = client.get(url, {"zoek": "hiwet"}).content.decode()
    assert "Hiwet Gebre" in search
    assert "Samira" not in client.get(url, {"zoek": "samira"}).content.decode()
    refused = client.post(url, {"visited_on": "2024-05-01", "participants": [work.other_participant.pk]})
    assert refused.status_code == 200 and not CompanyVisit.objects.exists()
    before = AuditEvent.objects.count()
    ok = client.post(url, {"visited_on": "2024-05-01", "description": "Rondleiding", "participants": [own.pk]})
    assert ok.status_code == 302
    visit = CompanyVisit.objects.get()
    assert list(visit.participants.all()) == [own]
    created = AuditEvent.objects.order_by("id")[before:]
    assert [(e.participant_id, e.category, e.action) for e in created] == [(own.pk, "werk", "aanmaken")]
    # Another municipality's staff see the visit but not the participant.
    other_view = client_for(work.andere_regisseur).get(reverse("work:employer_detail", args=[work.employer.pk]))
    assert "Rondleiding" in other_view.content.decode() and "Hiwet" not in other_view.content.decode()


def test_company_visit_keeps_participants_the_editor_cannot_see(work):
    hidden = work.other_participant
    visit = CompanyVisit.objects.create(employer=work.employer, visited_on="2024-05-01",
                                        organised_by=work.accountmanager, organisation=work.gemeente)
    visit.participants.add(hidden)
    employer_services.save_visit(work.accountmanager, visit, [])
    assert list(visit.participants.all()) == [hidden]


# --- Openings: bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("hours, message", [("61", "Meer dan 60 uur"), ("-1", "niet negatief")])
def test_opening_hours_outside_0_to_60_are_refused(work, client_for, hours, message):
    url = reverse("work:opening_create", args=[work.employer.pk])
    response = client_for(work.accountmanager).post(url, opening_data(hours_per_week=hours))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Opening.objects.exists()


def test_service_refuses_hours_above_60(work):
    opening = Opening(employer=work.employer, kind="stage", title="Stage", sector="C", hours_per_week=61)
    with pytest.raises(ValidationError) as exc:
        employer_services.save_opening(work.accountmanager, opening)
    assert "hours_per_week" in exc.value.message_dict
    assert not Opening.objects.exists()


def test_an_opening_requiring_an_undefined_certificate_is_refused(work, client_for):
    opening = Opening(employer=work.employer, kind="stage", title="Stage", sector="C", hours_per_week=20)
    with pytest.raises(ValidationError) as exc:
        employer_services.save_opening(work.accountmanager, opening, ["vca", "lasdiploma"])
    assert "‘lasdiploma’ bestaat niet" in exc.value.message_dict["certificates"][0]
    assert not Opening.objects.exists()
    url = reverse("work:opening_create", args=[work.employer.pk])
    response = client_for(work.accountmanager).post(url, opening_data(certificates=[work.vca.pk, 9999]))
    assert "bestaat niet in Koers" in response.content.decode() and "Beheer certificaten" in response.content.decode()
    assert not Opening.objects.exists()


def test_accountmanager_creates_an_opening_with_requirements(work, client_for):
    url = reverse("work:opening_create", args=[work.employer.pk])
    response = client_for(work.accountmanager).post(url, opening_data(certificates=[work.vca.pk]))
    opening = Opening.objects.get()
    assert response.status_code == 302
    assert (opening.hours_per_week, opening.days, opening.required_levels) == (32, ["ma_o", "di_o"], {"spreken": "A2"})
    assert list(opening.certificates.all()) == [work.vca]
    page = client_for(work.regisseur).get(reverse("work:opening_detail", args=[opening.pk])).content.decode()
    assert "A2 spreken" in page and "VCA" in page and "maandag ochtend" in page
    assert client_for(work.other_manager).get(reverse("work:opening_update", args=[opening.pk])).status_code == 404
    assert client_for(work.accountmanager).get(reverse("work:opening_update", args=[opening.pk])).status_code == 200


def test_certificates_are_managed_by_accountmanagers(work, client_for):
    url = reverse("work:certificates")
    assert client_for(work.regisseur).post(url, {"name": "BHV", "code": "bhv"}).status_code == 404
    assert client_for(work.accountmanager).post(url, {"name": "BHV", "code": "bhv"}).status_code == 302
    assert "BHV" in client_for(work.regisseur).get(url).content.decode()


def test_opening_list_filters_and_shows_open_by_default(work, client_for):
    f.opening(work.employer, work.accountmanager, title="Inpakker")
    f.opening(work.employer, work.accountmanager, title="Oude plek", status="gesloten")
    client = client_for(work.regisseur)
    page = client.get(reverse("work:opening_list")).content.decode()
    assert "Inpakker" in page and "Oude plek" not in page
    assert "Oude plek" in client.get(reverse("work:opening_list"), {"status": "gesloten"}).content.decode()


def test_query_budgets_of_lists_and_detail(work, client_for, max_queries):
    for i in range(15):
        emp = f.employer(work.gemeente, name=f"Werkgever {i}")
        f.opening(emp, work.accountmanager, title=f"Plek {i}")
    visit = CompanyVisit.objects.create(employer=work.employer, visited_on="2024-05-01",
                                        organised_by=work.accountmanager, organisation=work.gemeente)
    visit.participants.set([ParticipantFactory(regie_organisation=work.gemeente) for _ in range(5)])
    client = client_for(work.accountmanager)
    with max_queries(8):
        assert client.get(reverse("work:employer_list")).status_code == 200
    with max_queries(8):
        assert client.get(reverse("work:opening_list")).status_code == 200
    with max_queries(14):
        assert client.get(reverse("work:employer_detail", args=[work.employer.pk])).status_code == 200


def test_employer_history_counts_matches(work):
    opening = f.opening(work.employer, work.accountmanager)
    history = employer_queries.opening_history(work.employer)
    assert [(o.pk, o.n_matches) for o in history] == [(opening.pk, 0)]


# --- Postcode import ---------------------------------------------------------------------------------------


def test_import_postcodes(db, tmp_path):
    path = tmp_path / "pc.csv"
    path.write_text("postcode4;lat;lon;gemeente\n6511;51,84;5.85;Rivierstad\n6601;51.81;5.73;Waaldorp\n",
                    encoding="utf-8-sig")
    out = StringIO()
    call_command("import_postcodes", str(path), stdout=out)
    assert "2 toegevoegd" in out.getvalue()
    path.write_text("6511;51.85;5.85;Rivierstad\n", encoding="utf-8")
    call_command("import_postcodes", str(path), stdout=out)
    assert PostcodeArea.objects.get(postcode4="6511").latitude == 51.85


@pytest.mark.parametrize("content, message", [
    ("651;51.8;5.8;X\n", "geen postcode van 4 cijfers"),
    ("6511;abc;5.8;X\n", "getallen"),
    ("6511;40.0;5.8;X\n", "niet in Nederland"),
    ("6511;51.8;5.8\n", "4 kolommen"),
])
def test_import_postcodes_refuses_bad_rows_and_changes_nothing(db, tmp_path, content, message):
    path = tmp_path / "pc.csv"
    path.write_text("6600;51.8;5.8;Goed\n" + content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_postcodes", str(path), stdout=StringIO())
    assert not PostcodeArea.objects.exists()
