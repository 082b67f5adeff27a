"""Small-cell suppression and the CSV/XLSX writers of report tables."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from koers.monitoring.rules.tables import SUPPRESSED, Cell, Row, Table, suppress, to_csv, to_xlsx


def table(*rows: tuple[str, list[int]], totals: list[int] | None = None) -> Table:
    body = [Row(label, tuple(Cell(count=n) for n in counts), code=label) for label, counts in rows]
    if totals:
        body.append(Row("Totaal", tuple(Cell(count=n) for n in totals), total=True))
    return Table(key="t", title="Test", row_header="Uitkomst", columns=("A", "B", "Totaal"), rows=tuple(body))


def shown(t: Table) -> list[list[str]]:
    return [[c.display() for c in r.cells] for r in t.rows]


def test_a_small_cell_and_the_cells_that_would_give_it_away_are_hidden():
    t = suppress(table(("werk", [2, 30, 32]), ("geen", [20, 25, 45]), totals=[22, 55, 77]), 5)
    # 2 is small; the column total 22 would reveal it from 20, the row total 32 from 30: both hidden too,
    # and so on until no row or column has a single hidden cell. Totals stay.
    cells = shown(t)
    assert cells[0][0] == SUPPRESSED
    for line in (*cells[:2], *zip(*cells[:2], strict=True)):
        assert sum(v == SUPPRESSED for v in line) != 1
    assert cells[2] == ["22", "55", "77"]


def test_zero_is_not_a_small_cell_and_large_tables_stay_untouched():
    t = suppress(table(("werk", [0, 30, 30]), ("geen", [20, 25, 45]), totals=[20, 55, 75]), 5)
    assert SUPPRESSED not in sum(shown(t), [])


def test_exports_show_the_suppression_and_keep_numbers_as_numbers():
    t = suppress(table(("werk", [2, 30, 32]), ("geen", [20, 25, 45]), totals=[22, 55, 77]), 5)
    text = to_csv(t)
    assert text.splitlines()[0] == "Uitkomst;A;B;Totaal"
    assert text.splitlines()[1].startswith(f"werk;{SUPPRESSED};")
    sheet = load_workbook(io.BytesIO(to_xlsx(t)))["Test"]  # named after the title
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == ["Uitkomst", "A", "B", "Totaal"]
    assert values[-1] == ["Totaal", 22, 55, 77]
