"""The programme report pages: figures and tables per scope, small-cell suppression, downloads and the PDF.

The data is the fictional NBNB programme (``nbnb.participant_rows``) loaded as imported trajectories. Project
"De KIM" is run by Werkkracht (the world's reintegration partner), so its begeleider is a partner who sees only
that project.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from koers.core.codes import Role
from koers.core.tests.factories import OrganisationFactory, make_user
from koers.monitoring.models import Programme, Project, ProjectTarget, Source, Trajectory
from koers.synthetic import nbnb

PARTNER_PROJECT = "kim"


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def trajectory_from_row(row: dict[str, str], programme: Programme, projects: dict[str, Project]) -> Trajectory:
    """One import-format participant row as a Trajectory (what the importer stores)."""
    return Trajectory(programme=programme, project=projects[row["project"]], extern_id=row["extern_id"],
                      source=Source.IMPORT, imported_at=timezone.now(), **nbnb.trajectory_values(row))


def load_nbnb(world, *, code: str = "nbnb") -> Programme:
    """The NBNB programme owned by Gemeente Rivierstad, De KIM run by Werkkracht, a research organisation."""
    programme = Programme.objects.create(
        code=code, name=nbnb.PROGRAMME["name"], funder=nbnb.PROGRAMME["funder"], owner=world.gemeente,
        starts_on=date(2019, 1, 1), ends_on=date(2021, 12, 31), description="Vluchtelingen naar werk.",
    )
    projects: dict[str, Project] = {}
    for spec, row in zip(nbnb.PROJECTS, nbnb.project_rows(), strict=True):
        org = world.reintegratie if spec["code"] == PARTNER_PROJECT else OrganisationFactory(name=spec["organisatie"])
        project = Project.objects.create(
            programme=programme, code=spec["code"], name=spec["naam"], organisation=org, tranche=spec["tranche"],
            planned_participants=spec["gepland"], starts_on=_date(row["startdatum"]), ends_on=_date(row["einddatum"]),
            imported=True,
        )
        for outcome, (count, why) in spec["doelen"].items():
            ProjectTarget.objects.create(project=project, outcome=outcome, count=count, rationale=why)
        projects[spec["code"]] = project
    Trajectory.objects.bulk_create(trajectory_from_row(r, programme, projects) for r in nbnb.participant_rows())
    world.researchers = OrganisationFactory(name="Onderzoeksbureau Regio")
    programme.research_organisations.add(world.researchers)
    world.onderzoeker = make_user(world.researchers, Role.ONDERZOEKER, username="onderzoeker")
    world.projectleider = make_user(world.gemeente, Role.PROJECTLEIDER, username="projectleider")
    return programme


@pytest.fixture
def programme(world):
    return load_nbnb(world)


def report_url(name: str = "monitoring:report", **kwargs) -> str:
    return reverse(name, kwargs={"code": "nbnb", **kwargs})


def _xlsx_rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def _outflow_counts(rows) -> dict[str, list]:
    """Outcome label → the counts per column, from the header line on of an outflow table export."""
    return {r[0]: list(r[1:]) for r in rows if r and r[0]}


# --- the page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user_attr", ["regisseur", "projectleider"])
def test_owner_sees_every_project_and_the_headline_figures_with_n_and_unknown(client_for, world, programme,
                                                                             user_attr):
    response = client_for(getattr(world, user_attr)).get(report_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapport Een nieuw bestaan, een nieuwe baan" in html
    for spec in nbnb.PROJECTS:
        assert spec["naam"] in html
    assert "N = 395" in html
    assert "onbekend:" in html
    assert html.count('role="img"') >= 2  # the outflow chart (stacked) and the bar charts
    assert "Volledigheid van de gegevens" in html
    assert "Aantallen onder de 5 zijn afgeschermd" not in html
    # every table of the report is on the page with a CSV and an XLSX link
    for key in ("outflow", "targets", "dropout", "completeness"):
        assert f'id="tabel-{key}"' in html
        assert reverse("monitoring:report_table", kwargs={"code": "nbnb", "table_key": key, "fmt": "csv"}) in html


def test_owner_outflow_table_matches_the_source_counts(client_for, world, programme):
    response = client_for(world.regisseur).get(report_url("monitoring:report_table", table_key="outflow",
                                                          fmt="xlsx"))
    counts = _outflow_counts(_xlsx_rows(response.content))
    expected = nbnb.expected_outflow()
    from koers.core.codes import Outcome

    for code, total in expected["outcomes"].items():
        label = Outcome(code).label
        # columns: per project count and % ..., then Totaal and Totaal %
        assert counts[label][-2] == total, label
    assert counts["Totaal"][-2] == 395


def test_partner_sees_only_its_own_project(client_for, world, programme):
    client = client_for(world.begeleider)
    html = client.get(report_url()).content.decode()
    assert "U ziet alleen de projecten van uw eigen organisatie" in html
    assert "De KIM" in html
    for spec in nbnb.PROJECTS:
        if spec["code"] != PARTNER_PROJECT:
            assert spec["naam"] not in html, spec["naam"]
    kim_total = sum(1 for r in nbnb.participant_rows() if r["project"] == PARTNER_PROJECT)
    assert kim_total == 22
    assert "N = 395" not in html
    assert f"N = {kim_total}" in html
    # The download has the same scope: De KIM and Totaal, nothing of another organisation.
    rows = _xlsx_rows(client.get(report_url("monitoring:report_table", table_key="outflow", fmt="xlsx")).content)
    header = rows[1]
    assert header[0] == "Uitstroom" and "De KIM" in header and "Refugee Company" not in header
    assert _outflow_counts(rows)["Totaal"][-2] == kim_total
    # A filter on another organisation's project is refused, not answered.
    other = Project.objects.get(code="rc")
    response = client.get(report_url(), {"projects": [other.pk]})
    assert "Kies alleen projecten uit de lijst" in response.content.decode()
    assert "Refugee Company" not in response.content.decode()
    bad = client.get(report_url("monitoring:report_table", table_key="outflow", fmt="csv"), {"projects": [other.pk]})
    assert bad.status_code == 400


def test_researcher_gets_suppressed_cells_and_a_notice(client_for, world, programme):
    client = client_for(world.onderzoeker)
    html = client.get(report_url()).content.decode()
    assert "Aantallen onder de 5 zijn afgeschermd" in html
    assert "&lt;5" in html
    # In the outflow export no count between 1 and 4 is left
    rows = _xlsx_rows(client.get(report_url("monitoring:report_table", table_key="outflow", fmt="xlsx")).content)
    header = rows[1]
    count_columns = [j for j, h in enumerate(header) if j and not str(h).endswith("%")]
    values = [row[j] for row in rows[2:] if row and row[0] for j in count_columns if j < len(row)]
    assert "<5" in values
    assert not [v for v in values if isinstance(v, int) and 0 < v < 5]
    # the "extern" box cannot be switched off by a researcher
    html = client.get(report_url(), {"extern": ""}).content.decode()
    assert "Aantallen onder de 5 zijn afgeschermd" in html


def test_owner_copy_for_external_parties_is_suppressed(client_for, world, programme):
    client = client_for(world.regisseur)
    plain = client.get(report_url("monitoring:report_table", table_key="outflow", fmt="csv")).content.decode()
    assert "<5" not in plain
    extern = client.get(report_url("monitoring:report_table", table_key="outflow", fmt="csv"), {"extern": "on"})
    assert "<5" in extern.content.decode()
    html = client.get(report_url(), {"extern": "on"}).content.decode()
    assert "Versie voor externe partijen" in html


def test_filters_narrow_the_figures(client_for, world, programme):
    client = client_for(world.regisseur)
    rc = Project.objects.get(code="rc")
    html = client.get(report_url(), {"projects": [rc.pk]}).content.decode()
    assert "N = 98" in html and "N = 395" not in html
    assert "(gefilterd)" in html
    by_org = client.get(report_url(), {"organisation": world.reintegratie.pk}).content.decode()
    assert "N = 22" in by_org
    # a period before anything started: nobody
    early = client.get(report_url(), {"date_from": "2010-01-01", "date_to": "2010-12-31"}).content.decode()
    assert "N = 395" not in early
    wrong = client.get(report_url(), {"date_from": "2021-01-01", "date_to": "2020-01-01"}).content.decode()
    assert "Deze datum ligt vóór ‘Actief vanaf’" in wrong
    assert "Pas de filters aan om het rapport te zien" in wrong


# --- downloads ---------------------------------------------------------------------------------------------------


def test_csv_download_has_a_dated_filename_and_the_table(client_for, world, programme, caplog):
    with caplog.at_level(logging.INFO, logger="koers.security"):
        response = client_for(world.regisseur).get(report_url("monitoring:report_table", table_key="outflow",
                                                              fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="nbnb-outflow-{today}.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Uitstroom" and "De KIM" in rows[0]
    by_label = {r[0]: r for r in rows[1:]}
    total_col = rows[0].index("Totaal")
    assert by_label["Betaald werk"][total_col] == str(nbnb.expected_outflow()["outcomes"]["betaald_werk"])
    assert "monitoring table exported" in caplog.text


def test_all_tables_as_one_workbook(client_for, world, programme):
    response = client_for(world.regisseur).get(report_url("monitoring:report_all_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'nbnb-tabellen-{timezone.localdate().isoformat()}.xlsx"')
    wb = load_workbook(io.BytesIO(response.content))
    assert not {"outflow", "targets", "dropout", "completeness"} & set(wb.sheetnames)  # titles, not codes
    sheet = next(name for name in wb.sheetnames if name.startswith("Doelstellingen"))
    targets = [tuple(c.value for c in row) for row in wb[sheet].iter_rows()]
    assert any(row[0] and "De KIM" in str(row[0]) for row in targets)
    header = next(row for row in targets if row and "Gehaald" in [str(c) for c in row])
    met = header.index("Gehaald")
    assert {row[met] for row in targets[targets.index(header) + 1:] if row[met] is not None} <= {"ja", "nee", "*"}


def test_unknown_table_is_404(client_for, world, programme):
    response = client_for(world.regisseur).get(report_url("monitoring:report_table", table_key="bestaatniet",
                                                          fmt="csv"))
    assert response.status_code == 404


def test_pdf_report(client_for, world, programme):
    response = client_for(world.regisseur).get(report_url("monitoring:report_pdf"), {"extern": "on"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith(f'nbnb-rapport-{timezone.localdate().isoformat()}.pdf"')


def test_pdf_html_has_charts_tables_and_the_external_notice(world, programme):
    from koers.monitoring import access, pdf
    from koers.monitoring.queries.indicators import Filters
    from koers.monitoring.views.reports import build_report

    scope = access.scope_for(world.regisseur, programme)
    context = build_report(scope, Filters(), external=True, prefix="pdf-")
    context.update(programme=programme, scope=scope, filter_summary=[], generated_on=date(2026, 11, 23),
                   user=world.regisseur)
    html = pdf.render_html(context)
    assert "Versie voor externe partijen" in html
    assert 'id="pdf-chart-outflow-title"' in html
    assert "Uitstroom per project" in html and "&lt;5" in html


# --- access ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,kwargs", [
    ("monitoring:report", {}),
    ("monitoring:report_pdf", {}),
    ("monitoring:report_all_xlsx", {}),
    ("monitoring:report_table", {"table_key": "outflow", "fmt": "csv"}),
    ("monitoring:report_table", {"table_key": "outflow", "fmt": "xlsx"}),
])
def test_another_municipality_gets_404_everywhere(client_for, world, programme, name, kwargs):
    assert client_for(world.andere_regisseur).get(report_url(name, **kwargs)).status_code == 404


def test_a_language_teacher_of_a_partner_without_a_project_gets_404(client_for, world, programme):
    assert client_for(world.taaldocent).get(report_url()).status_code == 404


def test_report_page_query_budget(client_for, world, programme, max_queries):
    """Every figure is an aggregate query: the count does not grow with projects or participants."""
    client = client_for(world.regisseur)
    with max_queries(34):
        assert client.get(report_url()).status_code == 200
    for k in range(5):
        extra = Project.objects.create(programme=programme, code=f"extra{k}", name=f"Extra {k}",
                                       organisation=world.reintegratie)
        Trajectory.objects.create(programme=programme, project=extra, extern_id=f"X-{k}", source=Source.IMPORT,
                                  outcome="geen_werk")
    with max_queries(34):
        assert client.get(report_url()).status_code == 200


def test_counter_sanity_of_fixture(programme):
    """The fixture loads the published totals (guards the helper above)."""
    counts = Counter(Trajectory.objects.filter(programme=programme).values_list("project__code", flat=True))
    assert counts["kim"] == 22 and sum(counts.values()) == 395
