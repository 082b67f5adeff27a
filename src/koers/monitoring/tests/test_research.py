"""The pseudonymised research export: no direct identifiers, stable pseudonyms per programme, months, age
bands, rare categories grouped, who may download it, and the audit."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from koers.core.codes import Category, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import OrganisationFactory, ParticipantFactory, make_user
from koers.monitoring.models import Programme, Project, Source, Trajectory
from koers.monitoring.queries import research as research_queries

SECRETS = {
    "name": "Zebulon Quaxworthy",
    "preferred_name": "Zebbie",
    "bsn": "123456782",
    "phone": "0687654321",
    "email": "zebulon.quax@voorbeeld.example",
    "street": "Kwartelpad 77",
    "postcode": "9876 QZ",
    "city": "Zwaluwdorp",
}
EXTERN_IDS = ["GEHEIM-EXTERN-4711", "GEHEIM-EXTERN-4712"]


def _trajectory(programme, project, **kwargs):
    base = {"programme": programme, "project": project, "gender": "vrouw", "birth_year": 1990,
            "country_of_origin": "SY", "education_level": "hoger", "migration_status": "asielstatushouder",
            "learning_route": "b1", "level_spreken": "A2", "started_on": date(2021, 3, 17)}
    return Trajectory.objects.create(**(base | kwargs))


@pytest.fixture
def setup(world):
    w = world
    w.programme = Programme.objects.create(code="nbnb", name="Nieuw Begin", owner=w.gemeente)
    w.universiteit = OrganisationFactory(name="Universiteit Rivierstad")
    w.programme.research_organisations.add(w.universiteit)
    w.onderzoeker = make_user(w.universiteit, Role.ONDERZOEKER, username="uni", first_name="Uma")
    w.projectleider = make_user(w.gemeente, Role.PROJECTLEIDER, username="pl", first_name="Pim")
    w.project = Project.objects.create(programme=w.programme, code="werk", name="Werkroute",
                                       organisation=w.reintegratie, tranche="2021")
    w.person = ParticipantFactory(regie_organisation=w.gemeente, regisseur=w.regisseur,
                                  date_of_birth=date(1990, 5, 4), country_of_origin="ER", **SECRETS)
    w.other_person = ParticipantFactory(name="Xaviera Plonkhoff", regie_organisation=w.gemeente,
                                        regisseur=w.regisseur, phone="0611223344", email="xaviera@plonk.example")
    w.t_person = _trajectory(w.programme, w.project, participant=w.person, birth_year=1990,
                             started_on=date(2021, 3, 17), ended_on=date(2022, 1, 31), outcome="betaald_werk",
                             job_title="Astronaut", contract_type="tijdelijk", contract_months=6,
                             hours_per_week=Decimal("24.5"), first_placement_on=date(2021, 11, 2), work_6m="ja",
                             country_of_origin="ER")
    w.t_other = _trajectory(w.programme, w.project, participant=w.other_person, outcome="voortijdige_uitval",
                            ended_on=date(2021, 9, 1), dropout_reason="motivatie")
    # five cooks in different spellings, five Syrians among the imported rows
    for i, title in enumerate(["Kok", "kok ", "KOK", "Kok", "kok"]):
        _trajectory(w.programme, w.project, source=Source.IMPORT, extern_id=f"IMP-{i}", outcome="betaald_werk",
                    job_title=title, contract_type="vast", hours_per_week=Decimal("0"), birth_year=1999,
                    started_on=date(2022, 1, 1))
    for extern in EXTERN_IDS:
        _trajectory(w.programme, w.project, source=Source.IMPORT, extern_id=extern, imported_at=timezone.now(),
                    country_of_origin="AF", birth_year=None)
    return w


def _export(client, fmt="csv", code="nbnb"):
    return client.get(reverse("monitoring:research_export", kwargs={"code": code, "fmt": fmt}))


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _xlsx_text(response) -> str:
    wb = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )


def _forbidden_values(w) -> list[str]:
    values = list(SECRETS.values()) + EXTERN_IDS + ["Xaviera", "Plonkhoff", "0611223344", "xaviera@plonk.example"]
    values += ["0687654321".replace("06", "+316", 1), "123456782", "9876QZ", "Kwartelpad"]
    return values


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_contains_no_direct_identifier(setup, client_for, fmt):
    w = setup
    response = _export(client_for(w.onderzoeker), fmt)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(response)
    lowered = text.lower()
    for value in _forbidden_values(w):
        assert value.lower() not in lowered, value
    assert "1990-05-04" not in text and "04-05-1990" not in text  # no date of birth
    # no participant or trajectory ids as a column
    header = text.splitlines()[0] if fmt == "csv" else ""
    if fmt == "csv":
        assert header.split(";") == research_queries.HEADER
        for forbidden in ("naam", "bsn", "telefoon", "email", "adres", "postcode", "extern_id", "id"):
            assert forbidden not in header.split(";")


def test_rows_and_pseudonyms(setup, client_for):
    w = setup
    rows = _csv_rows(_export(client_for(w.onderzoeker)))
    assert len(rows) == 9
    pseudonyms = [r["pseudoniem"] for r in rows]
    assert len(set(pseudonyms)) == 9
    assert all(re.fullmatch(r"[0-9a-f]{16}", p) for p in pseudonyms)
    assert str(w.person.pk) not in pseudonyms
    mine = research_queries.pseudonym(w.programme, research_queries.subject_id(w.person.pk, ""))
    row = next(r for r in rows if r["pseudoniem"] == mine)
    assert row["startmaand"] == "2021-03"
    assert row["eindmaand"] == "2022-01"
    assert row["eerste_plaatsing_maand"] == "2021-11"
    assert row["leeftijdsgroep"] == "30-34"  # 2021 - 1990 = 31
    assert row["uitstroom"] == "betaald_werk"
    assert row["contract_maanden"] == "6" and row["uren_per_week"] == "24,5"  # decimal comma
    assert row["werk_na_6_maanden"] == "ja"
    assert row["project"] == "werk" and row["bron"] == "koers"
    # rare categories: one Eritrean, one astronaut, two Afghans -> overig; five Syrians and five cooks stay
    assert row["land_herkomst"] == "overig"
    assert row["functie"] == "overig"
    assert sum(r["land_herkomst"] == "SY" for r in rows) == 6
    assert sum(r["land_herkomst"] == "overig" for r in rows) == 3
    assert sum(r["functie"] == "kok" for r in rows) == 5
    # every date column is a month
    for r in rows:
        for column in ("startmaand", "eindmaand", "eerste_plaatsing_maand"):
            assert r[column] == "" or re.fullmatch(r"\d{4}-\d{2}", r[column]), r[column]
    bands = {r["leeftijdsgroep"] for r in rows}
    assert bands == {"30-34", "20-24", "onbekend"}


def test_pseudonym_is_stable_across_exports_and_differs_between_programmes(setup, client_for):
    w = setup
    client = client_for(w.onderzoeker)
    first = {r["pseudoniem"] for r in _csv_rows(_export(client))}
    second = {r["pseudoniem"] for r in _csv_rows(_export(client))}
    assert first == second
    wb = load_workbook(io.BytesIO(_export(client, "xlsx").content))
    ws = wb["onderzoek"]
    assert {row[0] for row in ws.iter_rows(min_row=2, values_only=True)} == first

    other = Programme.objects.create(code="andere", name="Ander programma", owner=w.gemeente)
    other.research_organisations.add(w.universiteit)
    project = Project.objects.create(programme=other, code="p", name="P", organisation=w.reintegratie)
    _trajectory(other, project, participant=w.person)
    again = {r["pseudoniem"] for r in _csv_rows(_export(client, code="andere"))}
    mine = research_queries.pseudonym(w.programme, research_queries.subject_id(w.person.pk, ""))
    assert mine in first
    assert len(again) == 1 and mine not in again


def test_pseudonym_depends_on_the_key(setup, settings):
    w = setup
    before = research_queries.pseudonym(w.programme, "x:IMP-1")
    settings.KOERS_PSEUDONYM_KEY = "een-andere-sleutel"
    after = research_queries.pseudonym(w.programme, "x:IMP-1")
    assert before != after
    assert research_queries.pseudonym(w.programme, "x:IMP-1") == after


@pytest.mark.parametrize(("birth_year", "start", "band"), [
    (2000, date(2021, 1, 1), "20-24"), (1996, date(2021, 1, 1), "25-29"), (1997, date(2021, 12, 31), "20-24"),
    (1950, date(2021, 1, 1), "65+"), (2010, date(2021, 1, 1), "<15"), (None, date(2021, 1, 1), "onbekend"),
    (1990, None, "onbekend"),
])
def test_age_bands(birth_year, start, band):
    assert research_queries.age_band(birth_year, start) == band


def test_formula_like_text_is_neutralised(setup, client_for):
    w = setup
    for i in range(5):
        _trajectory(w.programme, w.project, source=Source.IMPORT, extern_id=f"F-{i}", outcome="betaald_werk",
                    job_title="=HYPERLINK(1)")
    rows = _csv_rows(_export(client_for(w.onderzoeker)))
    assert {r["functie"] for r in rows if r["functie"].startswith(("'", "="))} == {"'=hyperlink(1)"}


def test_export_is_audited_per_native_participant_and_logged(setup, client_for, caplog):
    w = setup
    with caplog.at_level("INFO", logger="koers.security"):
        _export(client_for(w.onderzoeker))
    events = AuditEvent.objects.filter(user_id=w.onderzoeker.pk)
    assert sorted(e.participant_id for e in events) == sorted([w.person.pk, w.other_person.pk])
    assert {(e.action, e.category) for e in events} == {(AuditAction.EXPORT, Category.TRAJECTORY)}
    assert "research export of programme nbnb" in caplog.text


def test_owner_may_export_and_read_the_page(setup, client_for):
    w = setup
    client = client_for(w.projectleider)
    assert _export(client, "xlsx").status_code == 200
    page = client.get(reverse("monitoring:research", kwargs={"code": "nbnb"}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "pseudoniem" in html and "overig" in html
    assert reverse("monitoring:research_export", kwargs={"code": "nbnb", "fmt": "csv"}) in html


@pytest.mark.parametrize("who", ["begeleider", "andere_regisseur", "taaldocent"])
def test_partners_and_outsiders_get_404(setup, client_for, who):
    client = client_for(getattr(setup, who))
    assert _export(client).status_code == 404
    assert client.get(reverse("monitoring:research", kwargs={"code": "nbnb"})).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_researcher_of_another_programme_gets_404(setup, client_for):
    other_uni = OrganisationFactory(name="Hogeschool Elders")
    stranger = make_user(other_uni, Role.ONDERZOEKER, username="elders")
    assert _export(client_for(stranger)).status_code == 404


def test_unknown_format_is_404(setup, client_for):
    assert _export(client_for(setup.onderzoeker), "json").status_code == 404


def test_health_dropout_reason_is_withheld_per_row(setup, client_for):
    """A health dropout reason is special-category data: the researcher's rows say 'afgeschermd', never the code."""
    w = setup
    _trajectory(w.programme, w.project, source=Source.IMPORT, extern_id="IMP-GEZ", outcome="voortijdige_uitval",
                ended_on=date(2022, 2, 1), dropout_reason="gezondheid_psychisch")
    for fmt in ("csv", "xlsx"):
        response = _export(client_for(w.onderzoeker), fmt)
        text = response.content.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(response)
        assert "gezondheid" not in text
        assert "afgeschermd" in text
    reasons = {r["reden_uitval"] for r in _csv_rows(_export(client_for(w.onderzoeker)))}
    assert "motivatie" in reasons  # other reasons stay
