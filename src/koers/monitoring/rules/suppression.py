"""Small-cell suppression, decided in one place: what an external viewer sees of a count.

The rule (docs/indicators.md, "Afscherming kleine aantallen"): for a viewer outside the organisations involved
(a researcher's scope, or an owner's copy "voor externe partijen") no count of 1 to 4 participants is shown —
it becomes "<5". Zero is shown (it reveals no one). A share, mean or rate is hidden when it rests on a small
count: its numerator, its denominator, or what the denominator leaves over besides the numerator (6 of 8 with
N = 8 would give the 2 others away). Secondary suppression of a table (a total that would give one hidden
cell away) is ``tables.suppress``, which uses ``is_small`` from here.

Every count that reaches an external viewer goes through these functions: tables (``tables.suppress``),
headline figures (``report_views.figure_view``), chart labels (drawn from the suppressed tables), CSV/XLSX
(written from the suppressed tables), the PDF (the same figures and tables), table N's and notes, and the
programme pages (``programme_views``).
"""

from __future__ import annotations

from koers.monitoring.access import SMALL_CELL

#: Shown instead of a suppressed count.
SUPPRESSED = "<5"
#: Shown instead of a share, mean or rate that rests on a small count, and instead of a count that is not small
#: itself but would give a small rest away ("<5" there would read as "under 5%" or be plainly wrong).
HIDDEN = "afgeschermd"
#: Explanation next to a suppressed value (title of the abbreviation, chart descriptions).
SUPPRESSED_TITLE = "minder dan 5 deelnemers, afgeschermd"


def is_small(count: int | None, threshold: int = SMALL_CELL) -> bool:
    """A count of 1..threshold-1 participants: one that could make someone recognisable."""
    return count is not None and 0 < count < threshold


def shown(count: int | None, *, external: bool, threshold: int = SMALL_CELL) -> str | int | None:
    """The count as this viewer may see it: ``SUPPRESSED`` for a small count shown externally, else the count."""
    if external and is_small(count, threshold):
        return SUPPRESSED
    return count


def ratio_hidden(numerator: int | None, denominator: int | None, *, external: bool,
                 threshold: int = SMALL_CELL) -> bool:
    """Whether a share ``numerator / denominator`` (or a mean over ``denominator`` values, numerator None) must
    be hidden from this viewer: when the numerator, the denominator or the rest of the denominator is small."""
    if not external:
        return False
    if is_small(denominator, threshold):
        return True
    if numerator is None or denominator is None:
        return False
    return is_small(numerator, threshold) or is_small(denominator - numerator, threshold)


def shown_ratio(value, numerator: int | None, denominator: int | None, *, external: bool,
                threshold: int = SMALL_CELL):
    """``value`` (a percentage, mean or rate), or ``SUPPRESSED`` when ``ratio_hidden``."""
    if ratio_hidden(numerator, denominator, external=external, threshold=threshold):
        return SUPPRESSED
    return value
