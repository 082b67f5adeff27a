"""Report charts (server-rendered SVG) from hand-built tables: accessible, correct sizes, suppression kept."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from koers.monitoring.rules import charts
from koers.monitoring.rules.tables import Cell, Row, Table, suppress

SVG = "{http://www.w3.org/2000/svg}"


def _bar_table(**kwargs) -> Table:
    return Table(
        key="functions", title="Functies van de betaalde banen", row_header="Functie", columns=("Aantal",),
        rows=(
            Row("Productiemedewerker", (Cell(count=20, pct=50.0),), code="a"),
            Row("Schoonmaker", (Cell(count=10, pct=25.0),), code="b"),
            Row("Kok & <chef>", (Cell(count=7, pct=17.5),), code="c"),
            Row("Monteur", (Cell(count=3, pct=7.5),), code="d"),
            Row("Totaal", (Cell(count=40, pct=100.0),), total=True),
        ),
        n=40, with_pct=True, chart="bar", **kwargs,
    )


def _stacked_table() -> Table:
    def col(*counts):
        return counts

    data = {  # rows × columns (project A, project B, Totaal)
        "betaald_werk": ("Betaald werk", col(10, 3, 13)),
        "opleiding": ("Reguliere opleiding", col(5, 9, 14)),
        "geen_werk": ("Geen werk", col(5, 8, 13)),
    }
    totals = [20, 20, 40]
    rows = [Row(label, tuple(Cell(count=c, pct=100 * c / totals[j]) for j, c in enumerate(counts)), code=code)
            for code, (label, counts) in data.items()]
    rows.append(Row("Totaal", tuple(Cell(count=t) for t in totals), total=True))
    return Table(key="outflow", title="Uitstroom per project", row_header="Uitstroom",
                 columns=("Project A", "Project B", "Totaal"), rows=tuple(rows), n=40, with_pct=True,
                 chart="stacked")


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, parsed to check it is well-formed


def test_bar_chart_is_an_accessible_image_with_text_labels():
    svg = str(charts.chart_svg(_bar_table()))
    root = _parse(svg)  # well-formed XML, labels escaped
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Functies van de betaalde banen"
    assert root.get("aria-labelledby") == "chart-functions-title"
    assert root.get("aria-describedby") == "chart-functions-desc"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Productiemedewerker" in texts and "Kok & <chef>" in texts
    assert "20 (50%)" in texts and "3 (8%)" in texts
    assert "Totaal" not in texts  # totals rows are not bars
    assert "style=" not in svg  # the CSP forbids inline styles


def test_bar_lengths_are_proportional():
    root = _parse(str(charts.chart_svg(_bar_table())))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 4
    assert widths[0] == charts.WIDTH - 96
    assert abs(widths[1] / widths[0] - 0.5) < 0.01
    assert abs(widths[3] / widths[0] - 0.15) < 0.01


def test_suppressed_cell_gets_no_bar_and_says_so():
    table = suppress(_bar_table(), 5)
    svg = str(charts.chart_svg(table))
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<5" in texts
    assert "3 (8%)" not in texts and "7 (18%)" not in texts  # the secondary cell is hidden too
    assert len(list(root.iter(f"{SVG}rect"))) == 2
    assert "minder dan 5" in root.find(f"{SVG}desc").text


def test_stacked_chart_one_bar_per_column_with_patterns_and_legend():
    svg = str(charts.chart_svg(_stacked_table()))
    root = _parse(svg)
    assert root.get("role") == "img"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for heading in ("Project A (N = 20)", "Project B (N = 20)", "Totaal (N = 40)"):
        assert heading in texts
    for legend in ("Betaald werk", "Reguliere opleiding", "Geen werk"):
        assert legend in texts
    assert "50%" in texts  # 10 of 20 in project A
    # every category differs by pattern as well as colour: the first is plain, the others have a pattern
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert len(patterns) == 2
    kinds = {ET.tostring(p).decode().split(">", 1)[1].replace(p.get("id"), "") for p in patterns}
    assert len(kinds) == 2
    fills = {p.find(f"{SVG}rect").get("fill") for p in patterns} | {charts.style(0).colour}
    assert len(fills) == 3
    swatches = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("width") == "16"]
    assert swatches == [charts.style(0).colour, "url(#chart-outflow-p1)", "url(#chart-outflow-p2)"]
    # the segments of a column add up to the full width
    segments = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    column_a = [float(r.get("width")) for r in segments if r.find(f"{SVG}title").text.startswith("Project A")]
    assert abs(sum(column_a) - charts.WIDTH) < 0.5


def test_stacked_chart_shows_suppressed_share_as_one_hidden_segment():
    table = suppress(_stacked_table(), 5)  # 3 in project B is suppressed, and a second cell with it
    root = _parse(str(charts.chart_svg(table)))
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any(t.startswith("Project B – afgeschermd") for t in titles)
    assert not any("Project B – Betaald werk" in t for t in titles)
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert "Afgeschermd: minder dan 5 deelnemers per cel" in legend


def test_prefix_keeps_ids_unique_and_no_chart_without_a_kind():
    svg = str(charts.chart_svg(_stacked_table(), prefix="pdf-"))
    ids = re.findall(r'id="([^"]+)"', svg)
    assert ids and all(i.startswith("pdf-chart-outflow") for i in ids)
    assert len(ids) == len(set(ids))
    plain = Table(key="x", title="X", row_header="R", columns=("A",), rows=(Row("a", (Cell(count=1),)),))
    assert str(charts.chart_svg(plain)) == ""
    empty = Table(key="y", title="Y", row_header="R", columns=("A",), rows=(), chart="bar")
    assert str(charts.chart_svg(empty)) == ""


def test_styles_are_distinct_for_many_categories():
    pairs = {(charts.style(i).colour, charts.style(i).pattern) for i in range(12)}
    assert len(pairs) == 12
