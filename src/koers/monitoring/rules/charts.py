"""Report charts as server-rendered SVG, drawn from the same ``tables.Table`` the page shows below them.

* ``bar`` — the first column as horizontal bars, one per category row (totals rows are left out).
* ``stacked`` — every column as one 100% bar; the segments are the category rows.

Accessibility (WCAG 2.1 AA): the ``<svg>`` has ``role="img"``, is named by its ``<title>`` and described by its
``<desc>``; every bar carries its label and number as text; the segments of a stacked bar differ by pattern as well as
by colour, are separated by a white line and are named in a legend with the same pattern, so nothing depends on
colour alone. The table right below the chart is the full text alternative. Colours are presentation attributes
(no ``style``), so the Content-Security-Policy allows them and the PDF renders the same SVG.

Suppressed cells (``<5``) never get a bar of their own size: a bar chart writes "<5" without a bar, a stacked bar
shows what the suppressed cells of a column take up together as one grey "afgeschermd" segment (the table's
totals row gives that sum away already; secondary suppression keeps each single cell hidden).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from koers.monitoring.rules.tables import SUPPRESSED, Cell, Table

WIDTH = 400
FONT = 14
LABEL_MAX = 50  # characters of a label before it is shortened (the full label is in the bar's <title>)

#: Dark enough for 3:1 against white (WCAG 1.4.11) and for the white pattern lines on top.
COLOURS = ("#154273", "#a4141b", "#1d6b32", "#6b4a00", "#5b2c83", "#0f6474", "#4f5b66")
#: White overlay per pattern kind, drawn in an 8×8 tile.
PATTERNS = {
    "solid": "",
    "diagonal": '<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="#fff" stroke-width="1.6"/>',
    "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
    "horizontal": '<path d="M0 4H8" stroke="#fff" stroke-width="1.6"/>',
    "cross": '<path d="M0 4H8M4 0V8" stroke="#fff" stroke-width="1.2"/>',
    "vertical": '<path d="M4 0V8" stroke="#fff" stroke-width="1.6"/>',
}
PATTERN_ORDER = tuple(PATTERNS)
SUPPRESSED_FILL = "#d4dbe2"
SUPPRESSED_PATTERN = '<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="#4f5b66" stroke-width="1"/>'


@dataclass(frozen=True)
class Style:
    colour: str
    pattern: str


def style(index: int) -> Style:
    """Colour and pattern of the index-th category: distinct pairs for the first 42 categories."""
    return Style(COLOURS[index % len(COLOURS)], PATTERN_ORDER[index % len(PATTERN_ORDER)])


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _short(label: str, limit: int = LABEL_MAX) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _cell_number(cell: Cell) -> float | None:
    if cell.suppressed:
        return None
    if cell.count is not None:
        return float(cell.count)
    return None if cell.value is None else float(cell.value)


def _cell_text(cell: Cell) -> str:
    text = cell.display()
    pct = cell.display_pct()
    return f"{text} ({pct})" if pct else text


def _pattern_def(pid: str, st: Style | None) -> str:
    if st is None:
        fill, overlay = SUPPRESSED_FILL, SUPPRESSED_PATTERN
    else:
        fill, overlay = st.colour, PATTERNS[st.pattern]
    return (f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<rect width="8" height="8" fill="{fill}"/>{overlay}</pattern>')


def _fill(cid: str, index: int) -> str:
    """A plain colour for the solid style (no tile seams in the PDF), else the category's pattern."""
    st = style(index)
    return st.colour if st.pattern == "solid" else f"url(#{cid}-p{index})"


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str], defs: list[str] = ()) -> SafeString:
    defs_xml = f"<defs>{''.join(defs)}</defs>" if defs else ""
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="m-chart__svg" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'width="{WIDTH}" height="{_num(height)}" role="img" aria-labelledby="{chart_id}-title" '
        f'aria-describedby="{chart_id}-desc" '
        f'focusable="false" font-family="DejaVu Sans, Segoe UI, Roboto, Arial, sans-serif" font-size="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'{defs_xml}{"".join(body)}</svg>'
    )


def chart_id(table: Table, prefix: str = "") -> str:
    return f"{prefix}chart-{table.key}".replace("_", "-")


def bar_chart(table: Table, *, prefix: str = "") -> SafeString:
    """The first column of ``table`` as horizontal bars; labels above the bars, numbers behind them."""
    rows = [r for r in table.rows if not r.total and r.cells]
    cid = chart_id(table, prefix)
    values = [_cell_number(r.cells[0]) for r in rows]
    top = max((v for v in values if v is not None), default=0) or 1
    text_room = 96
    bar_max = WIDTH - text_room
    line, bar_h, gap = FONT + 4, 18, 10
    body, parts = [], []
    y = 0.0
    for row, value in zip(rows, values, strict=True):
        cell = row.cells[0]
        text = _cell_text(cell)
        parts.append(f"{row.label} {text}")
        body.append(f'<text x="0" y="{_num(y + FONT)}" fill="#1a1a1a">{escape(_short(row.label))}</text>')
        y += line
        width = 0.0 if value is None else bar_max * value / top
        if width > 0:
            body.append(f'<rect class="m-chart__bar" x="0" y="{_num(y)}" width="{_num(max(width, 1.5))}" '
                        f'height="{bar_h}" fill="{COLOURS[0]}"><title>{escape(row.label)}: {escape(text)}</title>'
                        f'</rect>')
        else:
            body.append(f'<line x1="0" x2="0" y1="{_num(y)}" y2="{_num(y + bar_h)}" stroke="#4f5b66" '
                        f'stroke-width="1.5"/>')
        body.append(f'<text x="{_num(width + 6)}" y="{_num(y + bar_h - 4)}" fill="#1a1a1a">{escape(text)}</text>')
        y += bar_h + gap
    column = table.columns[0] if table.columns else ""
    desc = f"{column}: " + "; ".join(parts) + "." if parts else "Geen gegevens."
    if any(r.cells[0].suppressed for r in rows):
        desc += f" {SUPPRESSED} betekent: minder dan 5 deelnemers, afgeschermd."
    return _svg(cid, table.title, desc, max(y, 1), body)


def _column_segments(table: Table, j: int, rows) -> tuple[list[tuple[int, float, Cell]], float, int | None]:
    """Segments (row index, share 0–100, cell) of column ``j``, the suppressed share and the column's total."""
    cells = [(i, r.cells[j]) for i, r in enumerate(rows) if j < len(r.cells)]
    totals = [r.cells[j] for r in table.rows if r.total and j < len(r.cells) and r.cells[j].count is not None]
    visible = [(i, c) for i, c in cells if not c.suppressed and (c.count or 0) > 0]
    column_total = totals[0].count if totals else None
    if all(c.pct is not None for _i, c in visible):
        shares = [(i, float(c.pct), c) for i, c in visible]
    else:
        base = column_total or sum(c.count or 0 for _i, c in cells if not c.suppressed)
        shares = [(i, 100.0 * c.count / base if base else 0.0, c) for i, c in visible]
    hidden = 0.0
    if any(c.suppressed for _i, c in cells):
        hidden = max(0.0, 100.0 - sum(s for _i, s, _c in shares))
    if column_total is None:
        column_total = sum(c.count or 0 for _i, c in cells) if not any(c.suppressed for _i, c in cells) else None
    return shares, hidden, column_total


def stacked_chart(table: Table, *, prefix: str = "") -> SafeString:
    """Every column of ``table`` as a 100% bar of its category rows, with a legend."""
    rows = [r for r in table.rows if not r.total]
    cid = chart_id(table, prefix)
    line, bar_h, gap = FONT + 4, 24, 12
    body: list[str] = []
    defs: list[str] = []
    used: set[int] = set()
    any_hidden = False
    y = 0.0
    for j, column in enumerate(table.columns):
        shares, hidden, total = _column_segments(table, j, rows)
        heading = column if total is None else f"{column} (N = {total})"
        body.append(f'<text x="0" y="{_num(y + FONT)}" fill="#1a1a1a">{escape(_short(heading))}</text>')
        y += line
        x = 0.0
        body.append(f'<rect x="0" y="{_num(y)}" width="{WIDTH}" height="{bar_h}" fill="#fff" stroke="#8a96a3"/>')
        segments = [(i, share, cell) for i, share, cell in shares] + ([(-1, hidden, None)] if hidden > 0 else [])
        for i, share, cell in segments:
            width = WIDTH * share / 100
            if width <= 0:
                continue
            if i < 0:
                any_hidden = True
                fill, label = f"url(#{cid}-p-hidden)", f"afgeschermd ({SUPPRESSED} per cel)"
            else:
                used.add(i)
                fill, label = _fill(cid, i), f"{rows[i].label}: {_cell_text(cell)}"
            body.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{bar_h}" fill="{fill}" '
                        f'stroke="#fff" stroke-width="1.5"><title>{escape(column)} – {escape(label)}</title></rect>')
            if width >= 34 and i >= 0:
                cx = x + width / 2
                body.append(f'<rect x="{_num(cx - 16)}" y="{_num(y + 4)}" width="32" height="{bar_h - 8}" rx="3" '
                            f'fill="#fff"/><text x="{_num(cx)}" y="{_num(y + bar_h / 2 + 4)}" text-anchor="middle" '
                            f'font-size="11" fill="#1a1a1a">{share:.0f}%</text>')
            x += width
        y += bar_h + gap
    # Legend: the same pattern swatch next to every category's name, in table order.
    y += 4
    legend = [(i, rows[i].label) for i in sorted(used)]
    if any_hidden:
        legend.append((-1, "Afgeschermd: minder dan 5 deelnemers per cel"))
    for i, label in legend:
        fill = f"url(#{cid}-p-hidden)" if i < 0 else _fill(cid, i)
        body.append(f'<rect x="0" y="{_num(y)}" width="16" height="16" fill="{fill}" stroke="#1a1a1a" '
                    f'stroke-width=".75"/><text x="24" y="{_num(y + 13)}" fill="#1a1a1a">{escape(_short(label))}'
                    f'</text>')
        y += 22
    for i in sorted(used):
        if style(i).pattern != "solid":
            defs.append(_pattern_def(f"{cid}-p{i}", style(i)))
    if any_hidden:
        defs.append(_pattern_def(f"{cid}-p-hidden", None))
    per = table.row_header.lower() if table.row_header else "categorie"
    desc = (f"Voor elke kolom ({', '.join(table.columns)}) het aandeel per {per}. De tabel hieronder geeft de "
            f"aantallen en percentages.")
    return _svg(cid, table.title, desc, max(y, 1), body, defs)


def chart_svg(table: Table, *, prefix: str = "") -> SafeString:
    """The chart ``table.chart`` asks for, or an empty string (no chart, or nothing to draw)."""
    if not table.columns or not any(not r.total for r in table.rows):
        return mark_safe("")
    if table.chart == "bar":
        return bar_chart(table, prefix=prefix)
    if table.chart == "stacked":
        return stacked_chart(table, prefix=prefix)
    return mark_safe("")
