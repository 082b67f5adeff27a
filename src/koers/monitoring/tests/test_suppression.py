"""Small-cell suppression in one place: no count between 1 and 4 in anything an external viewer sees.

Every report page, every table's CSV and XLSX, the workbook of all tables and the PDF are fetched as the
researcher (an external scope) and as the owner's copy "voor externe partijen", on the NBNB data and on a
selection of one small project (where almost every count is small). The figures, table cells, N's, notes and
chart texts are parsed and every standalone whole number in them is checked.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from koers.monitoring.access import SMALL_CELL
from koers.monitoring.queries import indicators
from koers.monitoring.queries.indicators import Figure
from koers.monitoring.rules import suppression
from koers.monitoring.tests.test_report_views import load_nbnb
from koers.monitoring.views.reports import figure_view

#: A whole number that is not part of a decimal, a date, a percentage or a longer number.
NUMBER = re.compile(r"(?<![\d.,\-/])(\d+)(?![\d.,\-/]*\d)(?!\s*%)")
#: The parts of the page that carry figures (class of the element, or the SVG text elements of a chart).
FIGURE_CLASSES = {"m-figure__value", "m-figure__meta", "m-figure__note", "num", "m-table__meta", "m-table__note",
                  "m-chart__svg"}


def small_numbers(text: str) -> list[int]:
    return [int(m) for m in NUMBER.findall(text) if 0 < int(m) < SMALL_CELL] if text else []


#: Columns that hold no counts of participants: a project's target (a planned number from the grant decision)
#: and whether it was met (ja/nee; hidden with the realised count it would give away).
NOT_COUNTS = {"Doel", "Gehaald"}
VOID = {"br", "img", "input", "meta", "link", "rect", "line", "path", "circle", "hr"}


class FigureTexts(HTMLParser):
    """Collects the text inside elements whose class is in FIGURE_CLASSES (and everything inside charts), except
    table cells of a NOT_COUNTS column; remembers the row and column labels of the tables."""

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[tuple[bool, str]] = []  # (inside a chart, text)
        self.labels: set[str] = set()  # row and column headers: names, not counts
        self.tag = ""
        self.headers: list[str] = []
        self.column = 0
        self.in_thead = False
        self.svg = 0

    def handle_starttag(self, tag, attrs):
        self.tag = tag
        classes = set((dict(attrs).get("class") or "").split())
        inside = bool(self.stack and self.stack[-1]) or bool(classes & FIGURE_CLASSES)
        if tag == "table":
            self.headers = []
        elif tag == "thead":
            self.in_thead = True
        elif tag == "tr":
            self.column = 0
        elif tag == "th" and self.in_thead:
            inside = False
        elif tag in ("td", "th") and not self.in_thead:
            if tag == "th" or (self.column < len(self.headers) and self.headers[self.column] in NOT_COUNTS):
                inside = False
            self.column += 1
        elif tag == "svg":
            self.svg += 1
        if tag not in VOID:
            self.stack.append(inside)

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_thead = False
        elif tag == "svg":
            self.svg -= 1
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = data.strip()
        if not text:
            return
        if self.tag == "th":
            self.labels.add(text)
            if self.in_thead:
                self.headers.append(text)
        if self.stack and self.stack[-1]:
            self.texts.append((self.svg > 0, text))


def leaks_in_html(html: str) -> list[str]:
    parser = FigureTexts()
    parser.feed(html)
    assert parser.texts, "no figures found on the page"
    # A chart repeats the table's labels ("tranche 1", contract months "3"): names, not counts. Its texts are
    # "label", "label: value" (a bar's title) or "column: label value; label value" (the description).
    labels = sorted(parser.labels, key=len, reverse=True)

    def values_only(text: str) -> str:
        if any(text == label or (text.endswith("…") and label.startswith(text[:-1])) for label in labels):
            return ""
        for label in labels:
            if len(label) > 2:
                text = text.replace(label, "")
        parts = []
        for part in re.split(r"; |: | – |, |\(|\)", text):
            for label in labels:
                if part.startswith(label + " ") or part == label:
                    part = part[len(label):]
                    break
            parts.append(part)
        return " ".join(parts)

    return [t for chart, t in parser.texts if small_numbers(values_only(t) if chart else t)]


def _count_columns(header) -> list[int]:
    return [j for j, h in enumerate(header)
            if j and h is not None and not str(h).endswith("%") and str(h) not in NOT_COUNTS]


def leaks_in_rows(rows: list[list]) -> list:
    """Rows of a table export: title line(s), the header (first cell = the table's row header), then rows."""
    leaks, columns = [], []
    for row in rows:
        row = list(row)
        if not any(v not in (None, "") for v in row):
            columns = []
            continue
        if not columns and len(row) > 1:  # the header of the next table
            columns = _count_columns(row)
            continue
        for j in columns:
            value = row[j] if j < len(row) else None
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                value = int(value)
            if isinstance(value, int | float) and 0 < value < 5 and float(value).is_integer():
                leaks.append((row[0], value))
    return leaks


def csv_rows(content: bytes) -> list[list]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(content))
    rows = []
    for ws in wb.worksheets:
        sheet = [list(r) for r in ws.iter_rows(values_only=True)]
        rows += [[]] + sheet[1:]  # the first line is the title
    return rows


@pytest.fixture
def programme(world):
    return load_nbnb(world)


def viewers(world, programme):
    small = programme.projects.get(code="dt")  # The Dutch Tulip: a small project
    return [
        ("onderzoeker", world.onderzoeker, {}),
        ("onderzoeker, één klein project", world.onderzoeker, {"projects": [small.pk]}),
        ("eigenaar, versie voor externen", world.regisseur, {"extern": "on"}),
        ("eigenaar, versie voor externen, één klein project", world.regisseur,
         {"extern": "on", "projects": [small.pk]}),
    ]


def test_the_fixture_has_small_counts_for_the_owner(client_for, world, programme):
    """The test below means something: without the external option the owner does see counts of 1 to 4."""
    html = client_for(world.regisseur).get(reverse("monitoring:report", kwargs={"code": "nbnb"}),
                                           {"projects": [programme.projects.get(code="dt").pk]}).content.decode()
    assert leaks_in_html(html)


def test_no_small_count_reaches_an_external_viewer(client_for, world, programme):
    for who, user, query in viewers(world, programme):
        client = client_for(user)
        response = client.get(reverse("monitoring:report", kwargs={"code": "nbnb"}), query)
        html = response.content.decode()
        assert response.status_code == 200 and "&lt;5" in html, who
        assert not leaks_in_html(html), (who, leaks_in_html(html))
        for key in [*indicators.report_keys(), "completeness"]:
            for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
                response = client.get(reverse("monitoring:report_table",
                                              kwargs={"code": "nbnb", "table_key": key, "fmt": fmt}), query)
                assert response.status_code == 200, (who, key, fmt)
                rows = read(response.content)
                assert not leaks_in_rows(rows), (who, key, fmt, leaks_in_rows(rows))
        workbook = client.get(reverse("monitoring:report_all_xlsx", kwargs={"code": "nbnb"}), query)
        assert not leaks_in_rows(xlsx_rows(workbook.content)), who


def test_no_small_count_in_the_pdf(client_for, world, programme, tmp_path):
    small = programme.projects.get(code="dt")
    response = client_for(world.regisseur).get(reverse("monitoring:report_pdf", kwargs={"code": "nbnb"}),
                                               {"extern": "on", "projects": [small.pk]})
    assert response.status_code == 200
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "<5" in text
    # counts appear after "N =", "onbekend:", "van", in the value line of a figure and in table cells; the
    # labels (dates of the filter, "na 6 maanden", "(1 = ja)") are not counts.
    leaks = re.findall(r"(?:N = |onbekend: |\bvan |\baantal\)\s+)([1-4])(?![\d,.%])", text)
    assert not leaks, leaks
    for line in text.splitlines():
        # a table row: a label followed by figure columns; no cell of 1-4 (a percentage or <5 is fine)
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) > 1 and not re.search(r"\d{2}-\d{2}-\d{4}|Gehaald|maanden\b|N = ", line):
            assert not [c for c in cells[1:] if re.fullmatch(r"[1-4]", c)], line


# --- the function itself ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count,external,expected", [
    (0, True, 0), (1, True, "<5"), (4, True, "<5"), (5, True, 5), (3, False, 3), (None, True, None),
])
def test_shown(count, external, expected):
    assert suppression.shown(count, external=external) == expected


@pytest.mark.parametrize("numerator,denominator,hidden", [
    (4, 6, True),     # "4 van 6"
    (6, 8, True),     # 75% of 8 gives the other 2 away
    (0, 2, True),     # "van 2 uitstromers"
    (0, 10, False), (10, 10, False), (6, 20, False),
    (None, 3, True), (None, 7, False),  # a mean over 3 or 7 values
])
def test_ratio_hidden(numerator, denominator, hidden):
    assert suppression.ratio_hidden(numerator, denominator, external=True) is hidden
    assert suppression.ratio_hidden(numerator, denominator, external=False) is False


def test_headline_figure_for_external_viewers():
    four_of_six = Figure("participation_count", "Participatie (aantal)", 4, 6, 0, note="Van 6 beëindigde trajecten.")
    view = figure_view(four_of_six, external=True)
    assert (view.value, view.n, view.unknown) == ("<5", "6", "0") and "6" not in view.note
    share = Figure("participation", "Participatie", 66.7, 6, 0, unit="%", count=4, base=6,
                   note="4 van 6 beëindigde trajecten.")
    view = figure_view(share, external=True)
    assert view.value == "afgeschermd" and not small_numbers(view.note)  # "<5" would read as "under 5%"
    assert figure_view(share, external=False).value == "66,7%"
    durability = Figure("durability_6m", "Nog in betaald werk na 6 maanden", 50.0, 2, 0, unit="%", count=1, base=2,
                        note="1 van 2 bekende antwoorden, van 2 uitstromers naar betaald werk.")
    view = figure_view(durability, external=True)
    assert (view.value, view.n) == ("afgeschermd", "<5") and "van 2 uitstromers" not in view.note
    # A count that is not small but leaves a small rest (57 of 60 known) is hidden, not shown as "<5".
    most = Figure("participation_count", "Participatie (aantal)", 57, 60, 0)
    assert figure_view(most, external=True).value == "afgeschermd"
