"""Report tables as data: one shape for the pages, the PDF, CSV, XLSX and the command line.

The indicator functions (``indicators.py``) return ``Table`` objects; views, the PDF and the exports render any
table the same way, so a number looks identical everywhere. Small-cell suppression (``suppress``) works on the
table, after the figures are computed, so no renderer can forget it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from koers.core import exports
from koers.monitoring.rules.suppression import SUPPRESSED, is_small, shown


@dataclass(frozen=True)
class Cell:
    """One figure. ``count`` is a number of participants (suppressible); ``value`` any other number (a mean,
    a rate); ``pct`` the percentage shown next to a count (column or row share, 0–100)."""

    count: int | None = None
    value: float | None = None
    pct: float | None = None
    suppressed: bool = False

    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.count is not None:
            return str(self.count)
        if self.value is None:
            return "–"
        if isinstance(self.value, bool):
            return "ja" if self.value else "nee"
        return format_number(self.value)

    def display_pct(self) -> str:
        if self.suppressed or self.pct is None:
            return ""
        return f"{self.pct:.0f}%"


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    code: str = ""  # the code behind the label (outcome code, project code ...), "" for totals
    total: bool = False  # a totals row: not suppressed itself, never counted as a category


@dataclass(frozen=True)
class Table:
    """A titled table: ``columns`` are the headers of the figure columns (the row label column comes first)."""

    key: str  # stable identifier, used in URLs and file names ("outflow", "targets", ...)
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    n: int = 0  # participants the table is about
    unknown: int = 0  # of which the figure is unknown
    note: str = ""  # how the figure is defined, in one or two sentences (Dutch)
    with_pct: bool = False  # show percentages next to counts
    chart: str = ""  # "" | "bar" (first column as horizontal bars) | "stacked" (columns as 100% bars)
    suppressed: bool = field(default=False)  # set by ``suppress``
    #: The note for external viewers when ``note`` holds counts (``suppress`` puts it in place of ``note``).
    note_external: str | None = None

    def __iter__(self):
        return iter(self.rows)

    def n_display(self) -> str:
        """N as the viewer may see it ("<5" for a small N in a suppressed table)."""
        return str(shown(self.n, external=self.suppressed))

    def unknown_display(self) -> str:
        return str(shown(self.unknown, external=self.suppressed))


def format_number(value: float) -> str:
    """Dutch decimal comma, two decimals at most, no trailing zeros."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def suppress(table: Table, threshold: int) -> Table:
    """Hide counts 1..threshold-1, and more cells where a single hidden one could be recalculated from a total.

    Primary suppression hides the small cells (``suppression.is_small``), totals rows included. Secondary
    suppression then hides, in every column AND every row with exactly one hidden category cell, the next
    smallest non-zero cell of that column or row, so neither a column total (the totals row) nor a row total (a
    "Totaal" column) gives the hidden one away; the two passes repeat until nothing changes. Zero is not a
    small cell (it reveals no one). A note with counts in it is replaced by ``note_external``.
    """
    rows = [list(r.cells) for r in table.rows]
    category = [i for i, r in enumerate(table.rows) if not r.total]
    # Primary: every small count, a totals row's too (a small total is a small group; its categories are then
    # small or zero and hidden as well).
    hidden = {(i, j) for i, r in enumerate(rows) for j, cell in enumerate(r) if is_small(cell.count, threshold)}

    def hide_next(cells: list[tuple[int, int]]) -> bool:
        """In one line of cells (a column or a row): with exactly one hidden, hide the smallest other count."""
        if sum(c in hidden for c in cells) != 1:
            return False
        candidates = [c for c in cells if c not in hidden and (rows[c[0]][c[1]].count or 0) > 0]
        if not candidates:
            return False
        hidden.add(min(candidates, key=lambda c: rows[c[0]][c[1]].count))
        return True

    changed = True
    while changed:
        changed = False
        for j in range(len(table.columns)):
            changed |= hide_next([(i, j) for i in category if j < len(rows[i])])
        for i in category:
            changed |= hide_next([(i, j) for j in range(len(rows[i])) if rows[i][j].count is not None])
    new_rows = tuple(
        replace(r, cells=tuple(Cell(suppressed=True) if (i, j) in hidden else c for j, c in enumerate(rows[i])))
        for i, r in enumerate(table.rows)
    )
    note = table.note if table.note_external is None else table.note_external
    return replace(table, rows=new_rows, suppressed=True, note=note, note_external=None)


def _plain_rows(table: Table) -> list[list]:
    """Header + rows with raw values (numbers stay numbers; percentages as separate columns when shown)."""
    header = [table.row_header]
    for col in table.columns:
        header.append(col)
        if table.with_pct:
            header.append(f"{col} %")
    out = [header]
    for row in table.rows:
        line: list = [row.label]
        for cell in row.cells:
            if cell.suppressed:
                line.append(SUPPRESSED)
            elif cell.count is not None:
                line.append(cell.count)
            else:
                line.append(cell.value)
            if table.with_pct:
                line.append("" if cell.suppressed or cell.pct is None else round(cell.pct, 1))
        out.append(line)
    return out


def to_csv(tables: list[Table] | Table, *, delimiter: str = ";") -> str:
    """CSV text (UTF-8; ``;`` as Dutch spreadsheet programs expect), written by ``core.exports`` (formula
    prefixes neutralised). Several tables are separated by a blank line and preceded by their title."""
    tables = [tables] if isinstance(tables, Table) else tables
    lines: list[list] = []
    for k, table in enumerate(tables):
        if len(tables) > 1:
            if k:
                lines.append([])
            lines.append([table.title])
        lines.extend(_plain_rows(table))
    return exports.csv_text(lines, delimiter=delimiter)


def to_xlsx(tables: list[Table] | Table) -> bytes:
    """An XLSX workbook with one sheet per table (named after the table's title, see ``exports.sheet_names``),
    written by ``core.exports`` (text never becomes a formula; yes/no as ja/nee)."""
    tables = [tables] if isinstance(tables, Table) else tables
    sheets = []
    for table in tables:
        rows: list[list] = [[table.title], *_plain_rows(table)]
        if table.note:
            rows += [[], [table.note]]
        sheets.append(exports.Sheet(title=table.title, rows=rows, bold_rows=frozenset({0, 1}), widths={"A": 34}))
    return exports.xlsx_bytes(sheets)
