"""The feasibility of a group (the pilots' decision figure) and the proposal of groups by level: pure functions.

``assess`` works on plain data (``GroupSpec``, ``MemberProfile``), so the rules are tested at their boundaries
without a database. It answers as the pilots' decision figure does: *haalbaar*, *haalbaar met aandachtspunten* or
*lastig te organiseren*, with the reasons in plain Dutch.

- **Size** below ``min_group_size`` or above ``max_group_size``: blocking.
- **Shared availability**: every dagdeel of the activity's weekly pattern must be in each member's availability;
  a member who is not available then is blocking ("same timetable possible?"), unknown availability a warning.
- **Spread of speaking levels**: more than one CEFR step between the lowest and the highest known level is a
  warning (mixed A0–B2 groups failed in the pilots: "we moeten allemaal wachten"); unknown levels are reported.
- **Sector interest** (work-oriented activities only): the most shared sectors are reported; no shared sector at
  all is a warning.

A member's data the user may not see (``HIDDEN``) is reported as *afgeschermd*, never guessed. Building the
spec and the profiles from the records (through ``core.access``) is ``queries/groups.py``; the group services
(``create_group``, ``add_members``, ``remove_member``) are ``services/groups.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from koers.core.codes import DAGDELEN, LEVEL_ORDER, ActivityKind, Sector

#: A value the user may not see (the data category is not in their grant).
HIDDEN = "afgeschermd"


UNKNOWN_LEVEL = "onbekend"


#: Activities where the participants' sector interest matters for the group.
WORK_ORIENTED = frozenset({
    ActivityKind.WERKERVARING, ActivityKind.STAGE, ActivityKind.VAKSCHOLING, ActivityKind.CERTIFICERING,
    ActivityKind.BEDRIJFSBEZOEK, ActivityKind.TRAINING_WERKNEMER, ActivityKind.TRAINING_SOLLICITATIE,
    ActivityKind.TRAINING_ARBEIDSMARKT, ActivityKind.VRIJWILLIGERSWERK,
})


#: The largest spread of speaking levels (in CEFR steps) a group can take without a warning.
MAX_LEVEL_SPREAD = 1


DAGDEEL_LABELS = dict(DAGDELEN)


SECTOR_LABELS = dict(Sector.choices)


FEASIBLE = "haalbaar"


ATTENTION = "aandachtspunten"


NOT_FEASIBLE = "niet_haalbaar"


VERDICT_LABELS = {
    FEASIBLE: "Haalbaar",
    ATTENTION: "Haalbaar, met aandachtspunten",
    NOT_FEASIBLE: "Lastig te organiseren",
}


@dataclass(frozen=True)
class GroupSpec:
    """What the check needs of the activity."""

    min_size: int | None = None
    max_size: int | None = None
    dagdelen: frozenset[str] = frozenset()
    work_oriented: bool = False


@dataclass(frozen=True)
class MemberProfile:
    """One (candidate) member as the check sees them.

    ``level``: a CEFR code, ``"onbekend"`` or ``HIDDEN``; ``availability``: dagdeel codes, ``None`` (unknown) or
    ``HIDDEN``; ``sectors``: SBI codes (empty: none recorded) or ``HIDDEN``.
    """

    key: int
    name: str
    level: str = UNKNOWN_LEVEL
    availability: Sequence[str] | None | str = None
    sectors: Sequence[str] | str = ()

    @property
    def level_rank(self) -> int | None:
        return LEVEL_ORDER.get(self.level)


@dataclass(frozen=True)
class Reason:
    severity: str  # "blokkerend", "waarschuwing" or "info"
    code: str
    text: str

    @property
    def blocking(self) -> bool:
        return self.severity == "blokkerend"


@dataclass(frozen=True)
class Feasibility:
    verdict: str
    reasons: tuple[Reason, ...]
    size: int
    level_range: tuple[str, str] | None = None
    top_sectors: tuple[tuple[str, int], ...] = ()

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def feasible(self) -> bool:
        return self.verdict != NOT_FEASIBLE

    @property
    def problems(self) -> list[Reason]:
        return [r for r in self.reasons if r.severity == "blokkerend"]

    @property
    def warnings(self) -> list[Reason]:
        return [r for r in self.reasons if r.severity == "waarschuwing"]

    @property
    def notes(self) -> list[Reason]:
        return [r for r in self.reasons if r.severity == "info"]

    def codes(self) -> set[str]:
        return {r.code for r in self.reasons}


def _names(members: Iterable[MemberProfile], limit: int = 6) -> str:
    names = [m.name for m in members]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" en nog {len(names) - limit}"
    return ", ".join(names)


def _dagdelen_text(codes: Iterable[str]) -> str:
    order = [c for c, _ in DAGDELEN]
    return ", ".join(DAGDEEL_LABELS.get(c, c) for c in sorted(codes, key=order.index))


def missing_dagdelen(spec: GroupSpec, member: MemberProfile) -> list[str] | None:
    """Labels of the activity's dagdelen the member is not available on; None when unknown or hidden."""
    if member.availability is None or member.availability == HIDDEN:
        return None
    order = [c for c, _ in DAGDELEN]
    return [DAGDEEL_LABELS[c] for c in sorted(spec.dagdelen - set(member.availability), key=order.index)]


def assess(spec: GroupSpec, members: Sequence[MemberProfile], *, hidden_members: int = 0) -> Feasibility:
    """The pilots' decision figure for one (proposed) group. ``hidden_members``: members the user may not
    see at all (they count for the size, nothing else is known of them)."""
    reasons: list[Reason] = []
    size = len(members) + hidden_members

    # 1. Size
    if size == 0:
        reasons.append(Reason("blokkerend", "leeg", "De groep heeft nog geen deelnemers."))
    elif spec.min_size and size < spec.min_size:
        short = spec.min_size - size
        reasons.append(Reason(
            "blokkerend", "te_klein",
            f"Te weinig deelnemers: {size}, minimaal {spec.min_size} nodig (nog {short} erbij).",
        ))
    if spec.max_size and size > spec.max_size:
        reasons.append(Reason(
            "blokkerend", "te_groot",
            f"Te veel deelnemers: {size}, maximaal {spec.max_size} ({size - spec.max_size} te veel).",
        ))
    if hidden_members:
        reasons.append(Reason(
            "info", "afgeschermd_lid",
            f"{hidden_members} deelnemer(s) in de groep kunt u niet inzien; zij tellen alleen mee voor de grootte.",
        ))

    # 2. Shared availability
    if not spec.dagdelen:
        reasons.append(Reason(
            "info", "geen_weekpatroon", "De activiteit heeft nog geen weekpatroon: beschikbaarheid is niet getoetst.",
        ))
    else:
        unavailable: dict[str, list[MemberProfile]] = {}
        unknown_av = [m for m in members if m.availability is None]
        hidden_av = [m for m in members if m.availability == HIDDEN]
        for m in members:
            if m.availability is None or m.availability == HIDDEN:
                continue
            missing = spec.dagdelen - set(m.availability)
            for code in missing:
                unavailable.setdefault(code, []).append(m)
        for code in sorted(unavailable, key=[c for c, _ in DAGDELEN].index):
            who = unavailable[code]
            reasons.append(Reason(
                "blokkerend", "niet_beschikbaar",
                f"Niet beschikbaar op {DAGDEEL_LABELS.get(code, code)}: {_names(who)} "
                f"({len(who)} van {len(members)}).",
            ))
        if unknown_av:
            reasons.append(Reason(
                "waarschuwing", "beschikbaarheid_onbekend",
                f"Beschikbaarheid onbekend van {_names(unknown_av)}: vraag na of zij kunnen op "
                f"{_dagdelen_text(spec.dagdelen)}.",
            ))
        if hidden_av:
            reasons.append(Reason(
                "info", "beschikbaarheid_afgeschermd",
                f"Beschikbaarheid afgeschermd voor u: {_names(hidden_av)}.",
            ))

    # 3. Spread of speaking levels
    ranked = [m for m in members if m.level_rank is not None]
    level_range = None
    if ranked:
        low = min(ranked, key=lambda m: m.level_rank)
        high = max(ranked, key=lambda m: m.level_rank)
        level_range = (low.level, high.level)
        spread = high.level_rank - low.level_rank
        if spread > MAX_LEVEL_SPREAD:
            by_level = Counter(m.level for m in ranked)
            ordered = sorted(by_level.items(), key=lambda x: LEVEL_ORDER[x[0]])
            spread_text = ", ".join(f"{n}× {lvl}" for lvl, n in ordered)
            reasons.append(Reason(
                "waarschuwing", "niveauverschil",
                f"Spreekniveaus lopen uiteen van {low.level} tot {high.level} ({spread} stappen; {spread_text}). "
                f"Meer dan één stap verschil werkte in de pilots niet: de snelle deelnemers moeten wachten. "
                f"Overweeg de groep te splitsen.",
            ))
    unknown_lv = [m for m in members if m.level == UNKNOWN_LEVEL or (m.level != HIDDEN and m.level_rank is None)]
    if unknown_lv:
        reasons.append(Reason(
            "waarschuwing", "niveau_onbekend",
            f"Spreekniveau onbekend van {_names(unknown_lv)}: laat eerst een niveau vaststellen.",
        ))
    hidden_lv = [m for m in members if m.level == HIDDEN]
    if hidden_lv:
        reasons.append(Reason("info", "niveau_afgeschermd", f"Taalniveau afgeschermd voor u: {_names(hidden_lv)}."))

    # 4. Sector interest
    top: tuple[tuple[str, int], ...] = ()
    if spec.work_oriented:
        known = [m for m in members if m.sectors != HIDDEN and m.sectors]
        counts = Counter(code for m in known for code in set(m.sectors))
        shared = [(code, n) for code, n in counts.most_common() if n > 1]
        top = tuple(shared[:3])
        if top:
            text = "; ".join(f"{SECTOR_LABELS.get(code, code)} ({n} van {len(members)})" for code, n in top)
            reasons.append(Reason("info", "sectoren", f"Meest gedeelde sectorinteresse: {text}."))
        elif len(known) > 1:
            reasons.append(Reason(
                "waarschuwing", "geen_gedeelde_sector",
                "De deelnemers delen geen sectorinteresse; een werkgerichte activiteit sluit dan slecht aan.",
            ))
        no_sector = [m for m in members if m.sectors != HIDDEN and not m.sectors]
        if no_sector:
            reasons.append(Reason("info", "sector_onbekend", f"Geen sectorinteresse vastgelegd: {_names(no_sector)}."))
        hidden_sector = [m for m in members if m.sectors == HIDDEN]
        if hidden_sector:
            reasons.append(Reason(
                "info", "sector_afgeschermd", f"Sectorinteresse afgeschermd voor u: {_names(hidden_sector)}.",
            ))

    if any(r.blocking for r in reasons):
        verdict = NOT_FEASIBLE
    elif any(r.severity == "waarschuwing" for r in reasons):
        verdict = ATTENTION
    else:
        verdict = FEASIBLE
    return Feasibility(verdict, tuple(reasons), size, level_range, top)


@dataclass
class Suggestion:
    members: list[MemberProfile]
    feasibility: Feasibility

    @property
    def name(self) -> str:
        levels = sorted({m.level for m in self.members if m.level_rank is not None}, key=LEVEL_ORDER.get)
        return "Groep " + "/".join(levels) if levels else "Groep"


@dataclass
class Suggestions:
    groups: list[Suggestion] = field(default_factory=list)
    unknown_level: list[MemberProfile] = field(default_factory=list)
    unavailable: list[MemberProfile] = field(default_factory=list)


def suggest_groups(spec: GroupSpec, candidates: Sequence[MemberProfile]) -> Suggestions:
    """Split candidates by speaking level into groups of at most one CEFR step, each within the maximum size.

    Candidates not available on the activity's dagdelen, and those of unknown (or hidden) level, are set aside:
    they cannot be placed by level. Clusters of compatible levels that exceed the maximum are split into groups
    of near-equal size. Every proposed group carries its own feasibility verdict (a cluster below the minimum
    shows "te weinig deelnemers").
    """
    result = Suggestions()
    placeable: list[MemberProfile] = []
    for m in candidates:
        if spec.dagdelen and isinstance(m.availability, list | tuple) and spec.dagdelen - set(m.availability):
            result.unavailable.append(m)
        elif m.level_rank is None:
            result.unknown_level.append(m)
        else:
            placeable.append(m)
    placeable.sort(key=lambda m: (m.level_rank, m.name))
    clusters: list[list[MemberProfile]] = []
    for m in placeable:
        if clusters and m.level_rank - clusters[-1][0].level_rank <= MAX_LEVEL_SPREAD:
            clusters[-1].append(m)
        else:
            clusters.append([m])
    for cluster in clusters:
        parts = math.ceil(len(cluster) / spec.max_size) if spec.max_size else 1
        base, extra = divmod(len(cluster), parts)
        start = 0
        for i in range(parts):
            size = base + (1 if i < extra else 0)
            members = cluster[start:start + size]
            start += size
            result.groups.append(Suggestion(members, assess(spec, members)))
    return result
