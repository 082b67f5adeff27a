"""Groups of a group activity: the feasibility check (the pilots' decision figure) and the group services.

The feasibility check is a pure function (``assess``) on plain data (``GroupSpec``, ``MemberProfile``), so the rules
are tested at their boundaries without a database. It answers as the pilots' decision figure does: *haalbaar*,
*haalbaar met aandachtspunten* or *lastig te organiseren*, with the reasons in plain Dutch.

- **Size** below ``min_group_size`` or above ``max_group_size``: blocking.
- **Shared availability**: every dagdeel of the activity's weekly pattern must be in each member's availability;
  a member who is not available then is blocking ("same timetable possible?"), unknown availability a warning.
- **Spread of speaking levels**: more than one CEFR step between the lowest and the highest known level is a
  warning (mixed A0–B2 groups failed in the pilots: "we moeten allemaal wachten"); unknown levels are reported.
- **Sector interest** (work-oriented activities only): the most shared sectors are reported; no shared sector at
  all is a warning.

A member's data the user may not see (``HIDDEN``) is reported as *afgeschermd*, never guessed. The group services
(``create_group``, ``add_members``, ``remove_member``) write; every read of participant data goes through
``core.access``.

The writes are in the services package (same module name)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import Http404

from koers.activities.models import Activity, Enrolment, Group
from koers.activities.rules.schedule import slot_dagdelen
from koers.core import access, audit
from koers.core.codes import DAGDELEN, LEVEL_ORDER, ActivityKind, Category, EnrolmentStatus, Sector
from koers.core.models import AuditAction

#: A value the user may not see (the data category is not in their grant).
HIDDEN = "afgeschermd"


UNKNOWN_LEVEL = "onbekend"


#: Activities where the participants' sector interest matters for the group.
WORK_ORIENTED = frozenset({
    ActivityKind.WERKERVARING, ActivityKind.STAGE, ActivityKind.VAKSCHOLING, ActivityKind.CERTIFICERING,
    ActivityKind.BEDRIJFSBEZOEK, ActivityKind.TRAINING_WERKNEMER, ActivityKind.TRAINING_SOLLICITATIE,
    ActivityKind.TRAINING_ARBEIDSMARKT, ActivityKind.VRIJWILLIGERSWERK,
})


#: Enrolments that take part (and can be put in a group).
TAKING_PART = (EnrolmentStatus.AANGEMELD, EnrolmentStatus.ACTIEF)


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

    @classmethod
    def for_activity(cls, activity: Activity, slots: Iterable | None = None) -> GroupSpec:
        slots = activity.slots.all() if slots is None else slots
        return cls(
            min_size=activity.min_group_size,
            max_size=activity.max_group_size,
            dagdelen=frozenset(code for s in slots for code in slot_dagdelen(s.weekday, s.start_time, s.end_time)),
            work_oriented=activity.kind in WORK_ORIENTED,
        )


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

    @classmethod
    def from_enrolment(cls, enrolment: Enrolment, grant: access.Grant) -> MemberProfile:
        p = enrolment.participant
        return cls(
            key=enrolment.pk,
            name=p.name,
            level=p.level_spreken if Category.LANGUAGE in grant.read else HIDDEN,
            availability=p.availability if Category.TRAJECTORY in grant.read else HIDDEN,
            sectors=tuple(p.sector_interests or ()) if Category.WORK in grant.read else HIDDEN,
        )

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


def get_activity_for_manager_or_404(user, activity_id) -> Activity:
    """An activity whose groups and sessions this user manages (its provider's staff), or 404."""
    try:
        activity = Activity.objects.select_related("provider").get(pk=int(activity_id))
    except (ValueError, TypeError, Activity.DoesNotExist) as exc:
        raise Http404("Activiteit niet gevonden") from exc
    if not access.can_manage_activities(user, activity.provider_id):
        raise Http404("Activiteit niet gevonden")
    return activity


def get_group_for_manager_or_404(user, group_id) -> Group:
    try:
        group = Group.objects.select_related("activity", "activity__provider").get(pk=int(group_id))
    except (ValueError, TypeError, Group.DoesNotExist) as exc:
        raise Http404("Groep niet gevonden") from exc
    if not access.can_manage_activities(user, group.activity.provider_id):
        raise Http404("Groep niet gevonden")
    return group


def taking_part(activity: Activity):
    """Enrolments of the activity that take part (aangemeld or actief), whoever may see them."""
    return Enrolment.objects.filter(activity=activity, status__in=TAKING_PART)


def visible_enrolments(user, activity: Activity, *, group: Group | None = None, ungrouped: bool = False):
    """Taking-part enrolments of the activity whose participant the user may see, with participant loaded."""
    qs = taking_part(activity).filter(participant__in=access.visible_participant_ids(user))
    if group is not None:
        qs = qs.filter(group=group)
    if ungrouped:
        qs = qs.filter(group__isnull=True)
    return qs.select_related("participant", "group").order_by("participant__name_search", "id")


@dataclass
class Member:
    enrolment: Enrolment
    grant: access.Grant
    profile: MemberProfile


def members_with_grants(user, enrolments: Iterable[Enrolment]) -> list[Member]:
    """Enrolments with the user's grant for each participant (one query) and the profile the check uses."""
    enrolments = list(enrolments)
    grants = access.grants_for_page(user, [e.participant for e in enrolments])
    members = []
    for e in enrolments:
        grant = grants[e.participant_id]
        if Category.IDENTITY not in grant.read:
            continue
        members.append(Member(e, grant, MemberProfile.from_enrolment(e, grant)))
    return members


def group_overview(user, activity: Activity) -> list[dict]:
    """Each group of the activity with its size (all members) and feasibility (from what the user may see)."""
    slots = list(activity.slots.all())
    spec = GroupSpec.for_activity(activity, slots)
    groups = list(activity.groups.all())
    sizes = Counter(taking_part(activity).filter(group__isnull=False).values_list("group_id", flat=True))
    visible = members_with_grants(user, visible_enrolments(user, activity).filter(group__isnull=False))
    by_group: dict[int, list[Member]] = {}
    for m in visible:
        by_group.setdefault(m.enrolment.group_id, []).append(m)
    rows = []
    for g in groups:
        members = by_group.get(g.pk, [])
        hidden = sizes.get(g.pk, 0) - len(members)
        rows.append({
            "group": g, "size": sizes.get(g.pk, 0), "members": members,
            "feasibility": assess(spec, [m.profile for m in members], hidden_members=hidden),
        })
    return rows


def audit_members(user, members: Sequence[Member], *, detail: str, request=None, extra: Iterable[str] = ()) -> None:
    """One audit record per member and category shown (identity always; ``extra`` where the grant allows)."""
    entries = []
    for m in members:
        for category in (Category.IDENTITY, *extra):
            if category in m.grant.read:
                entries.append((m.enrolment.participant_id, category, m.grant.legal_basis))
    if entries:
        audit.record_many(user, entries, AuditAction.VIEW, detail=detail, request=request)
