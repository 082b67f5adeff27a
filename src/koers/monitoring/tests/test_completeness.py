"""Data completeness: the figures per field (applicability, unknowns), the worklist page (who sees which rows,
links only to visible participants, audit) and filling in an imported trajectory."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.core.codes import Category, Phase, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.monitoring.models import Programme, Project, Source, Trajectory
from koers.monitoring.queries import completeness as completeness_queries
from koers.monitoring.queries.completeness import add_months, completeness_table, field_completeness
from koers.participants.models import Participant

TODAY = timezone.localdate()
KNOWN = {"gender": "vrouw", "birth_year": 1990, "country_of_origin": "SY", "education_level": "hoger",
         "migration_status": "asielstatushouder", "learning_route": "b1", "level_spreken": "A2",
         "started_on": date(2021, 3, 1)}


def imported(project, extern_id, **kwargs):
    return Trajectory.objects.create(programme=project.programme, project=project, extern_id=extern_id,
                                     source=Source.IMPORT, imported_at=timezone.now(), **(KNOWN | kwargs))


def native(project, participant, **kwargs):
    return Trajectory.objects.create(programme=project.programme, project=project, participant=participant,
                                     **(KNOWN | kwargs))


@pytest.fixture
def prog(world):
    """Programme of Gemeente Rivierstad with a project run by Werkkracht (re-integration) and one by the
    language provider; a manager at the municipality, a researcher, a second programme of the other town."""
    p = Programme.objects.create(code="nbnb", name="Nieuw Begin", owner=world.gemeente)
    world.programme = p
    world.werk_project = Project.objects.create(programme=p, code="werk", name="Werkroute",
                                                organisation=world.reintegratie)
    world.taal_project = Project.objects.create(programme=p, code="taal", name="Taalroute",
                                                organisation=world.taal)
    world.projectleider = make_user(world.gemeente, Role.PROJECTLEIDER, username="pl", first_name="Pim")
    world.onderzoeker = make_user(world.gemeente, Role.ONDERZOEKER, username="onderzoeker", first_name="Olga")
    world.taal_pl = make_user(world.taal, Role.PROJECTLEIDER, username="taalpl", first_name="Tess")
    return world


# --- figures ------------------------------------------------------------------------------------------------


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 15), -6) == date(2023, 9, 15)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_figures_on_a_hand_built_set(prog, django_assert_num_queries):
    w = prog
    long_ago = add_months(TODAY, -13)
    recent = TODAY - timedelta(days=20)
    # running, everything known
    imported(w.werk_project, "a1")
    # paid work, permanent contract without months (not unknown), zero hours (known), ended 13 months ago
    imported(w.werk_project, "a2", gender="onbekend", birth_year=None, outcome="betaald_werk", ended_on=long_ago,
             job_title="Kok", contract_type="vast", contract_months=None, hours_per_week=Decimal("0"),
             work_6m="ja", work_12m="onbekend")
    # paid work, temporary contract: months, hours and title unknown; ended recently (no follow-up due yet)
    imported(w.werk_project, "a3", outcome="betaald_werk", ended_on=recent, contract_type="tijdelijk")
    # dropout without reason; contract months do not apply to it
    imported(w.taal_project, "a4", outcome="voortijdige_uitval", ended_on=long_ago, country_of_origin="",
             work_6m="nee", work_12m="nee")
    # ended with outcome unknown and no end date: durability does not apply (moment unknown)
    imported(w.taal_project, "a5", outcome="onbekend", ended_on=None, started_on=None)
    # regular education, level unknown; ended 7 months ago: only the 6-month follow-up is due
    imported(w.taal_project, "a6", outcome="reguliere_opleiding", ended_on=add_months(TODAY, -7),
             education_entered="onbekend", education_field="zorg", education_level="onbekend")

    with django_assert_num_queries(1):
        figures = field_completeness(Trajectory.objects.filter(programme=w.programme))
    assert figures["gender"] == (6, 1)
    assert figures["birth_year"] == (6, 1)
    assert figures["country_of_origin"] == (6, 1)
    assert figures["education_level"] == (6, 1)
    assert figures["started_on"] == (6, 1)
    assert figures["outcome"] == (5, 1)  # the running one is not asked
    assert figures["dropout_reason"] == (1, 1)
    assert figures["job_title"] == (2, 1)
    assert figures["contract_type"] == (2, 0)
    assert figures["contract_months"] == (1, 1)  # 'vast' without months is not counted at all
    assert figures["hours_per_week"] == (2, 1)  # zero hours is known
    assert figures["education_entered"] == (1, 1)
    assert figures["education_field"] == (1, 0)
    assert figures["work_6m"] == (3, 1)  # a2 (ja), a4 (nee), a6 (onbekend)
    assert figures["work_12m"] == (2, 1)  # a2 (onbekend), a4 (nee)

    with django_assert_num_queries(1):
        table = completeness_table(Trajectory.objects.filter(programme=w.programme))
    assert table.key == "completeness"
    assert table.n == 6
    assert table.unknown == 5  # every row but the running complete one
    rows = {r.code: r for r in table.rows}
    assert [c.count for c in rows["hours_per_week"].cells[:2]] == [2, 1]
    assert rows["hours_per_week"].cells[2].value == 50.0
    assert rows["contract_type"].cells[2].value == 100.0
    assert [r.code for r in table.rows] == [f.name for f in completeness_queries.FIELDS]


def test_field_not_applying_to_anyone_has_no_percentage(prog):
    imported(prog.werk_project, "b1")
    rows = {r.code: r for r in completeness_table(Trajectory.objects.all()).rows}
    assert rows["dropout_reason"].cells[0].count == 0
    assert rows["dropout_reason"].cells[2].value is None
    assert rows["dropout_reason"].cells[2].display() == "–"


def test_worklist_flags_match_the_figures(prog):
    imported(prog.werk_project, "c1", outcome="betaald_werk", ended_on=TODAY, contract_type="vast",
             job_title="Kok", hours_per_week=Decimal("12"))
    imported(prog.werk_project, "c2", outcome="betaald_werk", ended_on=TODAY, contract_type="uitzend",
             job_title="Kok", hours_per_week=Decimal("12"))
    rows = list(completeness_queries.worklist(Trajectory.objects.all()))
    assert [t.extern_id for t in rows] == ["c2"]
    assert [f.name for f in completeness_queries.unknown_fields(rows[0])] == ["contract_months"]
    assert list(completeness_queries.worklist(Trajectory.objects.all(), field="gender")) == []


# --- the worklist page --------------------------------------------------------------------------------------


@pytest.fixture
def listed(prog):
    """Rows in both projects: natives visible to some users only, and imported ones."""
    w = prog
    # Native in Werkkracht's project; Werkkracht has no membership: the municipality sees it, Werkkracht not.
    w.hidden = ParticipantFactory(name="Yonas Verborgen", regie_organisation=w.gemeente, regisseur=w.regisseur)
    w.t_hidden = native(w.werk_project, w.hidden, gender="onbekend")
    # Native with a membership for Werkkracht: both see it.
    w.shared = ParticipantFactory(name="Amal Gedeeld", regie_organisation=w.gemeente, regisseur=w.regisseur)
    MembershipFactory(participant=w.shared, organisation=w.reintegratie, added_by=w.regisseur)
    w.t_shared = native(w.werk_project, w.shared, education_level="onbekend")
    # Imported rows: one in each project.
    w.t_werk = imported(w.werk_project, "WERK-001", birth_year=None)
    w.t_taal = imported(w.taal_project, "TAAL-001", country_of_origin="")
    imported(w.taal_project, "TAAL-OK")  # complete: never on the list
    return w


def _page(client, code="nbnb", **params):
    return client.get(reverse("monitoring:completeness", kwargs={"code": code}), params)


def test_owner_sees_every_incomplete_row_with_links_for_visible_participants(listed, client_for):
    w = listed
    response = _page(client_for(w.regisseur))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Yonas Verborgen", "Amal Gedeeld", "WERK-001", "TAAL-001"):
        assert text in html
    assert "TAAL-OK" not in html
    # the regisseur sees both natives: links to the identity and education sections and the file
    assert reverse("participants:edit_section", kwargs={"pk": w.hidden.pk, "section": "identiteit"}) in html
    assert reverse("participants:edit_section", kwargs={"pk": w.shared.pk, "section": "taal-opleiding"}) in html
    assert reverse("participants:detail", kwargs={"pk": w.hidden.pk}) in html
    # a regisseur at the owner does not manage the programme: no edit links for imported rows
    assert reverse("monitoring:trajectory_edit", kwargs={"pk": w.t_werk.pk}) not in html
    # completeness figures are on the page
    assert "Volledigheid van de gegevens" in html


def test_a_running_trajectory_in_no_project_is_not_out_of_sight(listed, client_for):
    w = listed
    lost = ParticipantFactory(name="Yonas Zonderproject", regie_organisation=w.gemeente, regisseur=w.regisseur,
                              phase=Phase.TRAJECT)
    ParticipantFactory(name="Al Afgesloten", regie_organisation=w.gemeente, phase=Phase.AFGESLOTEN)
    Participant.objects.filter(pk=w.participant.pk).update(phase=Phase.AFGESLOTEN)
    html = _page(client_for(w.regisseur)).content.decode()
    assert "1 deelnemer met een lopend traject in geen project" in html
    assert reverse("participants:detail", kwargs={"pk": lost.pk}) in html
    assert "Al Afgesloten" not in html
    assert AuditEvent.objects.filter(user=w.regisseur, participant_id=lost.pk, action=AuditAction.LIST).exists()
    # A partner's scope is its own projects: not told about the owner's other participants.
    html = _page(client_for(w.begeleider)).content.decode()
    assert "in geen project" not in html and "Yonas Zonderproject" not in html
    # In a project: no longer listed.
    native(w.werk_project, lost)
    assert "in geen project" not in _page(client_for(w.regisseur)).content.decode()


def test_owner_manager_gets_edit_links_for_imported_rows(listed, client_for):
    w = listed
    html = _page(client_for(w.projectleider)).content.decode()
    assert reverse("monitoring:trajectory_edit", kwargs={"pk": w.t_werk.pk}) in html
    assert reverse("monitoring:trajectory_edit", kwargs={"pk": w.t_taal.pk}) in html
    # the municipality holds the regie of both natives: its projectleider sees them (core.access), but may not
    # change the file (ROLE_WRITE): a link to the file, none to a section form
    assert "Yonas Verborgen" in html
    assert reverse("participants:detail", kwargs={"pk": w.hidden.pk}) in html
    assert reverse("participants:edit_section", kwargs={"pk": w.hidden.pk, "section": "identiteit"}) not in html


def test_partner_sees_only_its_own_projects_and_only_visible_names(listed, client_for):
    w = listed
    response = _page(client_for(w.begeleider))
    assert response.status_code == 200
    html = response.content.decode()
    assert "TAAL-001" not in html and "Taalroute" not in html  # another organisation's project
    assert "WERK-001" in html
    assert reverse("monitoring:trajectory_edit", kwargs={"pk": w.t_werk.pk}) in html
    assert "Amal Gedeeld" in html
    assert reverse("participants:detail", kwargs={"pk": w.shared.pk}) in html
    # the participant without a membership: shown without name or link
    assert "Yonas Verborgen" not in html
    assert reverse("participants:detail", kwargs={"pk": w.hidden.pk}) not in html
    assert "Deelnemer van Werkkracht" in html
    # filtering on the other organisation's project is not possible
    html = _page(client_for(w.begeleider), project=w.taal_project.pk).content.decode()
    assert "TAAL-001" not in html


def test_worklist_audits_the_participants_shown_by_name(listed, client_for):
    w = listed
    _page(client_for(w.begeleider))
    events = AuditEvent.objects.filter(user_id=w.begeleider.pk)
    assert {(e.participant_id, e.action, e.category) for e in events} == {
        (w.shared.pk, AuditAction.LIST, Category.TRAJECTORY)}
    _page(client_for(w.regisseur))
    assert set(AuditEvent.objects.filter(user_id=w.regisseur.pk).values_list("participant_id", flat=True)) == {
        w.hidden.pk, w.shared.pk}


def test_worklist_filters_by_field_and_project(listed, client_for):
    w = listed
    client = client_for(w.regisseur)
    html = _page(client, veld="birth_year").content.decode()
    assert "WERK-001" in html and "TAAL-001" not in html and "Amal Gedeeld" not in html
    html = _page(client, project=w.taal_project.pk).content.decode()
    assert "TAAL-001" in html and "WERK-001" not in html and "Yonas Verborgen" not in html
    html = _page(client, project=w.taal_project.pk, veld="gender").content.decode()
    assert "Geen deelnames met onbekende gegevens gevonden" in html


def test_worklist_paginates(prog, client_for):
    for i in range(55):
        imported(prog.werk_project, f"P-{i:03d}", gender="onbekend")
    client = client_for(prog.projectleider)
    first = _page(client).content.decode()
    assert "Pagina 1 van 2" in first and "P-000" in first and "P-054" not in first
    second = _page(client, page=2).content.decode()
    assert "P-054" in second and "P-000" not in second


def test_empty_state(prog, client_for):
    imported(prog.werk_project, "OK-1")
    html = _page(client_for(prog.regisseur)).content.decode()
    assert "Alles is ingevuld" in html


@pytest.mark.parametrize("who", ["onderzoeker", "andere_regisseur", "taaldocent"])
def test_worklist_is_404_for_researchers_and_outsiders(listed, client_for, who):
    assert _page(client_for(getattr(listed, who))).status_code == 404


def test_worklist_unknown_programme_is_404(prog, client_for):
    assert _page(client_for(prog.regisseur), code="bestaat-niet").status_code == 404


# --- filling in an imported trajectory ----------------------------------------------------------------------


def _edit_url(t):
    return reverse("monitoring:trajectory_edit", kwargs={"pk": t.pk})


VALID = {"gender": "man", "birth_year": "1985", "country_of_origin": "ER", "education_level": "beroeps",
         "migration_status": "gezinsmigrant", "learning_route": "z", "level_spreken": "A1",
         "started_on": "2021-02-01"}


def test_manager_fills_in_an_imported_trajectory(prog, client_for):
    t = imported(prog.werk_project, "E-1", birth_year=None, gender="onbekend", outcome="betaald_werk",
                 ended_on=date(2022, 6, 30), contract_type="tijdelijk")
    client = client_for(prog.projectleider)
    page = client.get(_edit_url(t))
    assert page.status_code == 200
    assert 'name="contract_months"' in page.content.decode()
    assert 'name="education_entered"' not in page.content.decode()  # does not apply to paid work
    data = VALID | {"outcome": "betaald_werk", "job_title": "  Magazijn   medewerker ",
                    "contract_type": "tijdelijk", "contract_months": "6", "hours_per_week": "24,5",
                    "work_6m": "ja", "work_12m": "nee"}
    response = client.post(_edit_url(t), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == reverse("monitoring:completeness", kwargs={"code": "nbnb"})
    t.refresh_from_db()
    assert (t.gender, t.birth_year, t.country_of_origin, t.job_title) == ("man", 1985, "ER", "Magazijn medewerker")
    assert (t.contract_months, t.hours_per_week, t.work_6m, t.work_12m) == (6, Decimal("24.5"), "ja", "nee")


def test_invalid_input_is_refused_with_messages(prog, client_for):
    t = imported(prog.werk_project, "E-2", outcome="betaald_werk", ended_on=date(2022, 6, 30))
    client = client_for(prog.projectleider)
    data = VALID | {"birth_year": "1800", "country_of_origin": "XX", "outcome": "betaald_werk",
                    "contract_type": "vast", "contract_months": "12", "hours_per_week": "80",
                    "started_on": "2023-01-01", "work_6m": "ja", "work_12m": "ja"}
    response = client.post(_edit_url(t), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er is iets niet goed ingevuld" in html
    assert "Vul een geboortejaar in tussen 1920" in html
    assert "Kies een land uit de lijst" in html
    assert "Een vast contract heeft geen contractduur" in html
    assert "Vul een aantal uren in van 0" in html
    assert "De startdatum ligt na de einddatum" in html
    t.refresh_from_db()
    assert (t.birth_year, t.contract_type, t.gender) == (1990, "", "vrouw")


def test_changing_the_outcome_clears_old_details_and_returns_to_the_form(prog, client_for):
    t = imported(prog.werk_project, "E-3", outcome="betaald_werk", ended_on=TODAY, job_title="Kok",
                 contract_type="vast", hours_per_week=Decimal("20"))
    client = client_for(prog.projectleider)
    response = client.post(_edit_url(t), VALID | {"outcome": "reguliere_opleiding", "job_title": "Kok",
                                                  "contract_type": "vast", "hours_per_week": "20"})
    assert response.status_code == 302 and response.url == _edit_url(t)
    t.refresh_from_db()
    assert (t.outcome, t.job_title, t.contract_type, t.hours_per_week) == ("reguliere_opleiding", "", "", None)
    assert 'name="education_entered"' in client.get(_edit_url(t)).content.decode()


def test_partner_fills_in_its_own_imported_rows_only(listed, client_for):
    w = listed
    client = client_for(w.begeleider)
    assert client.get(_edit_url(w.t_werk)).status_code == 200
    assert client.get(_edit_url(w.t_taal)).status_code == 404
    assert client.post(_edit_url(w.t_taal), VALID).status_code == 404
    w.t_taal.refresh_from_db()
    assert w.t_taal.gender == "vrouw"


def test_native_trajectory_is_not_edited_here(listed, client_for):
    w = listed
    assert client_for(w.projectleider).get(_edit_url(w.t_shared)).status_code == 404
    response = client_for(w.projectleider).post(_edit_url(w.t_shared), VALID)
    assert response.status_code == 404
    w.t_shared.refresh_from_db()
    assert w.t_shared.gender == "vrouw"


@pytest.mark.parametrize("who", ["regisseur", "onderzoeker", "andere_regisseur", "taaldocent"])
def test_edit_is_404_without_the_right_to_fill_in(listed, client_for, who):
    # the owner's regisseur sees the programme but does not manage it; the others do not fill in at all
    assert client_for(getattr(listed, who)).get(_edit_url(listed.t_werk)).status_code == 404


def test_edit_of_a_missing_trajectory_is_404(prog, client_for):
    assert client_for(prog.projectleider).get(reverse("monitoring:trajectory_edit", kwargs={"pk": 999999})
                                              ).status_code == 404


def test_worklist_query_count_does_not_grow_with_rows(listed, client_for, max_queries):
    w = listed
    for i in range(30):
        person = ParticipantFactory(name=f"Extra {i}", regie_organisation=w.gemeente, regisseur=w.regisseur)
        native(w.werk_project, person, gender="onbekend")
        imported(w.taal_project, f"EXTRA-{i}", birth_year=None)
    client = client_for(w.regisseur)
    # 16 for the worklist, plus a fixed 4 for "in no project" (count, names, their grants, their audit record).
    with max_queries(20):
        assert _page(client).status_code == 200


def test_a_trajectory_filled_in_by_a_colleague_meanwhile_is_not_overwritten(prog, client_for):
    """Two tabs open the same imported row; the second save is refused with what changed, until reloaded."""
    import re

    from django.test import Client

    t = imported(prog.werk_project, "E-9", outcome="betaald_werk", ended_on=date(2022, 6, 30))
    a, b = Client(), Client()
    a.force_login(prog.projectleider)
    b.force_login(prog.projectleider)

    def version(client):
        return re.search(r'name="version" value="([^"]*)"', client.get(_edit_url(t)).content.decode()).group(1)

    version_a, version_b = version(a), version(b)
    data = VALID | {"outcome": "betaald_werk", "contract_type": "tijdelijk", "contract_months": "6",
                    "hours_per_week": "24", "work_6m": "ja", "work_12m": "nee"}
    assert b.post(_edit_url(t), data | {"job_title": "Kok", "version": version_b}).status_code == 302
    response = a.post(_edit_url(t), data | {"job_title": "Schilder", "version": version_a})
    html = response.content.decode()
    assert response.status_code == 200 and "Niet opgeslagen" in html and "‘Kok’" in html
    t.refresh_from_db()
    assert t.job_title == "Kok"
    assert a.post(_edit_url(t), data | {"job_title": "Schilder", "version": version(a)}).status_code == 302
    t.refresh_from_db()
    assert t.job_title == "Schilder"
