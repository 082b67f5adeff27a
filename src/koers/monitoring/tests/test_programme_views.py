"""Programme list, programme and project pages, and the forms for programmes and projects (targets need a
rationale). Who may see and manage what comes from monitoring.access; hidden is 404."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from koers.core.codes import Role
from koers.core.tests.factories import make_user
from koers.monitoring.models import Programme, Project, ProjectTarget
from koers.monitoring.tests.test_report_views import load_nbnb


@pytest.fixture
def programme(world):
    return load_nbnb(world)


def url(name, **kwargs):
    return reverse(f"monitoring:{name}", kwargs=kwargs)


def _project_data(**overrides) -> dict:
    data = {
        "name": "Taal en Werk", "code": "taalwerk", "organisation": "", "tranche": "2026",
        "starts_on": "2026-01-01", "ends_on": "2027-06-30", "target_group": "Statushouders met A2",
        "planned_participants": "40", "duration": "18 maanden", "intensity": "3 dagen per week",
        "entry_point": "match", "problem": "Geen werkervaring in Nederland", "instruments": "Werkervaringsplaats",
        "mechanisms": "Netwerk en ervaring", "intermediate_goals": "Taal B1 op de werkvloer",
    }
    data.update(overrides)
    return data


# --- list and programme page --------------------------------------------------------------------------------


def test_programme_list_for_the_owner(client_for, world, programme):
    response = client_for(world.regisseur).get(url("programmes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een nieuw bestaan, een nieuwe baan" in html
    assert "Fonds Nieuw Bestaan (fictief)" in html
    assert '<td class="num">8</td>' in html and '<td class="num">395</td>' in html
    assert "Nieuw programma" not in html  # a regisseur sees, a projectleider manages
    assert 'aria-current="page">Monitoring</a>' in html


def test_programme_list_counts_only_the_partners_own_projects(client_for, world, programme):
    html = client_for(world.begeleider).get(url("programmes")).content.decode()
    assert '<td class="num">1</td>' in html and '<td class="num">22</td>' in html
    assert "395" not in html
    assert "Uitvoerder" in html


def test_programme_list_empty_state_and_create_button(client_for, world):
    projectleider = make_user(world.gemeente, Role.PROJECTLEIDER)
    html = client_for(projectleider).get(url("programmes")).content.decode()
    assert "Er zijn nog geen programma's die u mag zien" in html
    assert url("programme_create") in html


def test_menu_item_only_for_monitoring_users(client_for, world, programme):
    assert ">Monitoring</a>" in client_for(world.begeleider).get(url("programmes")).content.decode()
    html = client_for(world.andere_regisseur).get(reverse("core:account")).content.decode()
    assert ">Monitoring</a>" not in html


def test_programme_page_for_the_owner(client_for, world, programme):
    html = client_for(world.regisseur).get(url("programme", code="nbnb")).content.decode()
    assert "Vluchtelingen naar werk." in html
    for name in ("De KIM", "Refugee Company", "Werkkracht"):
        assert name in html
    assert url("report", code="nbnb") in html
    assert "Betaald werk: 35" in html  # De KIM's target
    assert "Nieuw project" not in html  # a regisseur does not manage


def test_programme_page_for_a_partner_shows_only_its_projects(client_for, world, programme):
    html = client_for(world.begeleider).get(url("programme", code="nbnb")).content.decode()
    assert "De KIM" in html
    assert "Refugee Company" not in html and "NewBees" not in html
    assert "U ziet alleen de projecten van uw eigen organisatie" in html
    other = Project.objects.get(code="rc")
    assert client_for(world.begeleider).get(url("project", code="nbnb", project=other.code)).status_code == 404
    assert client_for(world.begeleider).get(url("project", code="nbnb", project="kim")).status_code == 200


def test_programme_page_for_a_researcher_hides_small_counts(client_for, world, programme):
    Project.objects.create(programme=programme, code="klein", name="Klein project", planned_participants=3)
    from koers.monitoring.models import Trajectory

    Trajectory.objects.create(programme=programme, project=Project.objects.get(code="klein"), extern_id="K-1",
                              source="import")
    html = client_for(world.onderzoeker).get(url("programme", code="nbnb")).content.decode()
    assert "Klein project" in html and "&lt;5" in html
    assert url("programme_update", code="nbnb") not in html


@pytest.mark.parametrize("name,kwargs", [
    ("programme", {}), ("programme_update", {}), ("project_create", {}),
    ("project", {"project": "kim"}), ("project_update", {"project": "kim"}),
])
def test_another_municipality_gets_404(client_for, world, programme, name, kwargs):
    response = client_for(world.andere_regisseur).get(url(name, code="nbnb", **kwargs))
    assert response.status_code == 404


@pytest.mark.parametrize("user_attr", ["regisseur", "begeleider", "onderzoeker"])
def test_only_managers_edit(client_for, world, programme, user_attr):
    client = client_for(getattr(world, user_attr))
    assert client.get(url("programme_update", code="nbnb")).status_code == 404
    assert client.post(url("project_create", code="nbnb"), _project_data()).status_code == 404
    assert client.get(url("project_update", code="nbnb", project="kim")).status_code == 404
    assert not Project.objects.filter(code="taalwerk").exists()


def test_unknown_programme_is_404(client_for, world):
    assert client_for(world.regisseur).get(url("programme", code="bestaatniet")).status_code == 404


# --- programme create / edit ---------------------------------------------------------------------------------


def test_create_programme_owned_by_the_users_organisation(client_for, world, caplog):
    projectleider = make_user(world.gemeente, Role.PROJECTLEIDER)
    client = client_for(projectleider)
    assert client.get(url("programme_create")).status_code == 200
    with caplog.at_level(logging.INFO, logger="koers.security"):
        response = client.post(url("programme_create"), {
            "name": "Eigen werk Rivierstad", "code": "Rivier-werk", "funder": "Gemeente",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "description": "",
        })
    assert response.status_code == 302
    programme = Programme.objects.get(code="rivier-werk")
    assert programme.owner == world.gemeente
    assert response["Location"] == url("programme", code="rivier-werk")
    assert "monitoring programme created" in caplog.text
    assert client.get(url("programme", code="rivier-werk")).status_code == 200


def test_create_programme_refuses_bad_input(client_for, world):
    client = client_for(make_user(world.gemeente, Role.PROJECTLEIDER))
    response = client.post(url("programme_create"), {
        "name": "X", "code": "nieuw", "starts_on": "2026-02-01", "ends_on": "2026-01-01",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deze code is gereserveerd" in html
    assert "De einddatum ligt vóór de startdatum" in html
    assert not Programme.objects.exists()


def test_create_programme_needs_a_managing_role(client_for, world):
    assert client_for(world.regisseur).get(url("programme_create")).status_code == 404
    assert client_for(world.begeleider).post(url("programme_create"), {"name": "X", "code": "x"}).status_code == 404
    assert not Programme.objects.exists()


def test_update_programme_keeps_the_code(client_for, world, programme):
    client = client_for(world.projectleider)
    response = client.post(url("programme_update", code="nbnb"), {
        "name": "NBNB (gewijzigd)", "code": "anders", "funder": "Fonds", "description": "Nieuw doel",
    })
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "NBNB (gewijzigd)" and programme.code == "nbnb"


# --- project create / edit with targets ----------------------------------------------------------------------


def test_create_project_with_a_target_and_its_rationale(client_for, world, programme, caplog):
    client = client_for(world.projectleider)
    assert client.get(url("project_create", code="nbnb")).status_code == 200
    data = _project_data(organisation=world.reintegratie.pk, doel_betaald_werk="12",
                         onderbouwing_betaald_werk="Vorige tranche: 30% naar werk bij deze doelgroep.")
    with caplog.at_level(logging.INFO, logger="koers.security"):
        response = client.post(url("project_create", code="nbnb"), data)
    assert response.status_code == 302, response.content.decode()
    project = Project.objects.get(programme=programme, code="taalwerk")
    assert project.organisation == world.reintegratie
    assert project.entry_point == "match"
    target = ProjectTarget.objects.get(project=project)
    assert (target.outcome, target.count) == ("betaald_werk", 12)
    assert "Vorige tranche" in target.rationale
    assert "monitoring project created" in caplog.text
    page = client.get(response["Location"]).content.decode()
    assert "Vorige tranche: 30% naar werk" in page and "Netwerk en ervaring" in page


def test_a_target_without_rationale_is_refused(client_for, world, programme):
    client = client_for(world.projectleider)
    response = client.post(url("project_create", code="nbnb"), _project_data(doel_betaald_werk="12"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een doel zonder onderbouwing wordt niet opgeslagen" in html
    assert 'id="id_onderbouwing_betaald_werk_error"' in html
    assert not Project.objects.filter(code="taalwerk").exists()


def test_a_rationale_without_a_number_and_targets_above_the_plan_are_refused(client_for, world, programme):
    client = client_for(world.projectleider)
    html = client.post(url("project_create", code="nbnb"), _project_data(
        onderbouwing_reguliere_opleiding="Misschien", doel_betaald_werk="30", onderbouwing_betaald_werk="a",
        doel_werkervaringsplaats="20", onderbouwing_werkervaringsplaats="b",
    )).content.decode()
    assert "Vul ook het aantal in" in html
    assert "De doelen tellen op tot 50 deelnemers, meer dan de 40 geplande" in html
    assert not Project.objects.filter(code="taalwerk").exists()


def test_project_code_is_unique_within_the_programme(client_for, world, programme):
    response = client_for(world.projectleider).post(url("project_create", code="nbnb"), _project_data(code="kim"))
    assert "Dit programma heeft al een project met deze code" in response.content.decode()


def test_update_project_replaces_targets(client_for, world, programme):
    client = client_for(world.projectleider)
    kim = Project.objects.get(code="kim")
    form = client.get(url("project_update", code="nbnb", project="kim")).content.decode()
    assert "35 (70%) naar passend werk" in form  # the existing rationale is pre-filled
    response = client.post(url("project_update", code="nbnb", project="kim"), _project_data(
        name="De KIM", code="kim", organisation=world.reintegratie.pk, planned_participants="50",
        doel_reguliere_opleiding="5", onderbouwing_reguliere_opleiding="Vijf willen naar het mbo.",
    ))
    assert response.status_code == 302
    assert list(kim.targets.values_list("outcome", "count")) == [("reguliere_opleiding", 5)]


def test_a_researcher_starts_on_the_programmes(world, client_for):
    Programme.objects.create(code="eigen", name="Rivierstad Werkt", owner=world.gemeente)
    researcher = make_user(world.gemeente, Role.ONDERZOEKER, username="noor")
    response = client_for(researcher).get("/")
    assert response.status_code == 302 and response.url == reverse("monitoring:programmes")


# --- the services, called directly --------------------------------------------------------------------------


def test_the_programme_services_check_the_managing_scope_themselves(world, programme):
    from django.http import Http404

    from koers.monitoring.services import programmes as programme_services

    with pytest.raises(Http404):  # a regisseur sees the programme but does not manage it
        programme_services.save_programme(world.regisseur, programme, name="Anders")
    with pytest.raises(Http404):
        programme_services.save_programme(world.regisseur, name="Nieuw", code="nieuw")
    with pytest.raises(Http404):
        programme_services.save_project(world.regisseur, programme, targets={}, name="X", code="x")
    with pytest.raises(ValueError):  # only the programme's own fields
        programme_services.save_programme(world.projectleider, programme, owner=None)
    projectleider = world.projectleider
    saved = programme_services.save_programme(projectleider, programme, name="Anders", code="ander")
    assert (saved.name, saved.code) == ("Anders", "nbnb")  # the code of an existing programme stays
    project = programme_services.save_project(projectleider, programme, targets={"betaald_werk": (3, "Ervaring")},
                                              name="Nieuw project", code="nieuw")
    assert list(project.targets.values_list("outcome", "count")) == [("betaald_werk", 3)]
