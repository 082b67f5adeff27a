"""The language-level chart of a participant's file: SVG coordinates per skill over time, drawn by
``participants/_language_chart.html`` (pure: no queries; the assessments are loaded by the caller)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from koers.core.codes import LEVEL_ORDER, LanguageLevel, LanguageSkill

LEVELS = [code for code, _ in LanguageLevel.choices if code in LEVEL_ORDER]
#: Per skill: line dash pattern and marker shape, so that the lines differ without colour.
SKILL_STYLE = {
    LanguageSkill.SPREKEN: ("", "circle"),
    LanguageSkill.LUISTEREN: ("6 3", "square"),
    LanguageSkill.LEZEN: ("2 3", "diamond"),
    LanguageSkill.SCHRIJVEN: ("9 3 2 3", "triangle"),
}


@dataclass
class ChartPoint:
    x: float
    y: float
    level: str
    on: date
    marker: str  # SVG path of the marker around (x, y)


@dataclass
class ChartSeries:
    skill: str
    label: str
    dash: str
    points: list[ChartPoint]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def legend_marker(self) -> str:
        return _marker(SKILL_STYLE[self.skill][1], 0, 0)


def _marker(shape: str, x: float, y: float, r: float = 4.5) -> str:
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}z"
    return f"M{x - r:.1f},{y:.1f}a{r:.1f},{r:.1f} 0 1,0 {2 * r:.1f},0a{r:.1f},{r:.1f} 0 1,0 {-2 * r:.1f},0"


def language_chart(assessments: Iterable, *, width: int = 560, height: int = 240) -> dict | None:
    """Chart data of the language level per skill over time (from LanguageAssessment rows already loaded).

    Returns None when there is nothing to draw. Unknown levels are left out of the lines (the table next to
    the chart lists every measurement). Coordinates are in the SVG's own units; the chart scales with CSS."""
    items = sorted(
        (a for a in assessments if a.level in LEVEL_ORDER), key=lambda a: (a.tested_on, getattr(a, "pk", 0) or 0)
    )
    if not items:
        return None
    left, right, top, bottom = 44, 16, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = items[0].tested_on, items[-1].tested_on
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    def y_of(level: str) -> float:
        return top + plot_h * (1 - LEVEL_ORDER[level] / (len(LEVELS) - 1))

    series = []
    for skill, label in LanguageSkill.choices:
        dash, shape = SKILL_STYLE[skill]
        points = [
            ChartPoint(x_of(a.tested_on), y_of(a.level), a.level, a.tested_on,
                       _marker(shape, x_of(a.tested_on), y_of(a.level)))
            for a in items if a.skill == skill
        ]
        if points:
            series.append(ChartSeries(skill, label, dash, points))
    ticks = [first] if first == last else [first, first + (last - first) / 2, last]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        # Coordinates as strings with a decimal point: the Dutch locale would format floats with a comma.
        "levels": [{"code": code, "y": f"{y_of(code):.1f}"} for code in LEVELS],
        "ticks": [
            {"x": f"{x_of(t):.1f}", "label": f"{t.day}-{t.month}-{t.year}",
             "anchor": "middle" if len(ticks) == 1 else ("start", "middle", "end")[i]}
            for i, t in enumerate(ticks)
        ],
        "series": series,
        "first": first,
        "last": last,
        "summary": "; ".join(
            f"{s.label}: " + " → ".join(p.level for p in s.points) for s in series
        ),
    }
