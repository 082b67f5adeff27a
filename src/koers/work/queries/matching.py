"""Matching participants and openings, in both directions, explainable and deterministic.

The pure part (no database): ``Candidate`` (a participant as the matcher sees it, with what the viewer may see),
``Job`` (an opening), ``Locator`` (coordinates by 4-digit postcode, falling back to the municipality) and
``evaluate(candidate, job_context)``, which returns the hard-filter *blockers* ("A2 spreken nodig, nu A1") and a
soft score with a breakdown per criterion (points, maximum, a Dutch explanation). A candidate with a blocker is
not eligible; the pages show the best of them separately as near misses, with what would need to change.

Hard filters: availability covers the opening's dagdelen (when known), language levels meet the requirements
(when known), required certificates held, driving licence when required, no "not interested" flag for the sector
or kind, trajectory not closed. Soft criteria (100 points): language (20), sector wish (15), hours vs availability
(15), travel distance (15), work experience and education (20), own wishes (15). Data of a category the viewer
may not see is never used: the criterion says *afgeschermd* and gives neutral points.

Properties (tests/test_matching.py, hypothesis): adding a requirement a candidate satisfies never lowers that
candidate's rank (a satisfied requirement always gives the criterion's full points, an unmet or unknown one
never more); hard filters are never violated; the ranking is deterministic (ties broken by id).

The query part (``rank_openings``, ``rank_participants``) loads only the needed columns with ``values()`` in a
fixed number of queries, through the access policy, and scores in plain Python.
"""

from __future__ import annotations

import gc
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections

from koers.core.codes import DAGDELEN, LEVEL_ORDER, LanguageSkill, PlacementKind, Sector

SKILLS: tuple[str, ...] = tuple(LanguageSkill.values)
SECTOR_LABELS = dict(Sector.choices)
KIND_LABELS = dict(PlacementKind.choices)
DAGDEEL_LABELS = dict(DAGDELEN)
DAGDEEL_ORDER = {code: i for i, (code, _) in enumerate(DAGDELEN)}

#: Points per criterion (they add up to 100).
MAX_POINTS = {"taal": 20, "sector": 15, "uren": 15, "reis": 15, "ervaring": 20, "wensen": 15}
TOTAL_POINTS = sum(MAX_POINTS.values())
LABELS = {
    "taal": "Taalniveau",
    "sector": "Sectorwens",
    "uren": "Uren en beschikbaarheid",
    "reis": "Reisafstand",
    "ervaring": "Werkervaring en opleiding",
    "wensen": "Eigen wensen",
}
#: About four hours per dagdeel when estimating the hours someone is available.
HOURS_PER_DAGDEEL = 4
#: The travel distance assumed when the participant's maximum is not known.
DEFAULT_TRAVEL_KM = 15

GOOD, PARTLY, WEAK, UNKNOWN, HIDDEN = "goed", "deels", "zwak", "onbekend", "afgeschermd"


# --- Input -------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """A participant as the matcher sees them. ``see_*`` say which categories the viewer may see; data of a
    category not seen must be left empty by the caller (and is reported as *afgeschermd*)."""

    id: int
    name: str = ""
    phase: str = "traject"
    postcode: str = ""
    city: str = ""
    # trajectory
    availability: frozenset[str] | None = None  # None: unknown
    # language and education
    levels: dict[str, str] = field(default_factory=dict)  # skill -> code ("onbekend" when unknown)
    education_field: str = ""
    # work
    work_history: tuple[str, ...] = ()
    sector_interests: frozenset[str] = frozenset()
    dream_job: str = ""
    plan_b: str = ""
    driving_licence: str = "onbekend"
    max_travel_km: int | None = None
    hours_wanted: int | None = None
    certificates: frozenset[int] = frozenset()
    excluded_sectors: frozenset[str] = frozenset()
    excluded_kinds: frozenset[str] = frozenset()
    see_trajectory: bool = True
    see_language: bool = True
    see_work: bool = True


@dataclass(slots=True)
class Job:
    """An opening as the matcher sees it."""

    id: int
    title: str
    kind: str
    sector: str
    tasks: str = ""
    employer_name: str = ""
    hours: int | None = None
    days: frozenset[str] = frozenset()
    postcode: str = ""
    city: str = ""
    levels: dict[str, str] = field(default_factory=dict)  # skill -> required level, only skills with a requirement
    certificates: tuple[tuple[int, str], ...] = ()  # (id, name), sorted by name
    driving_licence: bool = False


# --- Output ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Criterion:
    code: str
    points: int
    state: str
    template: str
    args: tuple = ()

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def max_points(self) -> int:
        return MAX_POINTS[self.code]

    @property
    def explanation(self) -> str:
        return self.template.format(*self.args) if self.args else self.template


@dataclass(frozen=True, slots=True)
class Blocker:
    code: str
    text: str


@dataclass(slots=True)
class Evaluation:
    candidate: Candidate
    job: Job
    points: int
    criteria: tuple[Criterion, ...]
    blockers: tuple[Blocker, ...]
    notes: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.blockers

    @property
    def max_points(self) -> int:
        return TOTAL_POINTS

    def snapshot(self) -> dict:
        """The score as shown, for ``Match.score_snapshot`` (JSON)."""
        return {
            "points": self.points,
            "max_points": TOTAL_POINTS,
            "criteria": [
                {"code": c.code, "label": c.label, "points": c.points, "max_points": c.max_points,
                 "state": c.state, "explanation": c.explanation}
                for c in self.criteria
            ],
            "blockers": [b.text for b in self.blockers],
            "notes": list(self.notes),
        }


# --- Text: keywords ------------------------------------------------------------------------------------------

STOPWORDS = frozenset((
    "de", "het", "een", "en", "of", "van", "in", "op", "voor", "met", "te", "aan", "bij", "uit", "als", "door",
    "naar", "over", "om", "tot", "dan", "die", "dat", "wat", "wie", "ook", "niet", "wel", "maar", "zijn", "was",
    "werd", "heeft", "hebben", "kan", "kunnen", "zal", "zullen", "wordt", "worden", "the", "and", "for", "with",
    "o.a.", "oa", "medewerker", "medewerkster", "werk", "werken", "werkzaamheden", "baan", "functie", "eigen",
    "algemeen", "algemene", "overige", "overig", "zakelijke", "diensten", "dienstverlening", "verhuur",
    "handel", "onze", "jij", "jouw", "je", "wij", "we", "ons", "per", "week", "uur", "uren", "dag", "dagen",
))
_SUFFIXES = ("ster", "ers", "en", "er", "e", "s")
_NON_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=20_000)
def stem_words(text: str) -> dict[str, str]:
    """Lower-case, accent-free word stems of a text without stop words, each with the word it came from."""
    if not text:
        return {}
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    result: dict[str, str] = {}
    for word in _NON_LETTERS.split(plain):
        if len(word) < 3 or word in STOPWORDS:
            continue
        stem = word
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: -len(suffix)]
                break
        result.setdefault(stem, word)
    return result


def keywords(text: str) -> frozenset[str]:
    """The stems of a text (for a simple keyword overlap)."""
    return frozenset(stem_words(text))


def _related(a: str, b: str) -> bool:
    """Same stem, or one contains the other (Dutch compounds: "productie" in "productiemedewerker")."""
    return a == b or (len(a) >= 4 and len(b) >= 4 and (a in b or b in a))


@lru_cache(maxsize=100_000)
def overlap_words(job_text: str, text: str) -> tuple[str, ...]:
    """The words of ``job_text`` related to a keyword of ``text`` (sorted, for a stable explanation)."""
    mine = keywords(text)
    if not mine:
        return ()
    words = stem_words(job_text)
    return tuple(sorted({words[k] for k in words if any(_related(k, w) for w in mine)}))


# --- Locations -----------------------------------------------------------------------------------------------


def postcode4(postcode: str) -> str:
    digits = (postcode or "").strip()[:4]
    return digits if len(digits) == 4 and digits.isdigit() else ""


@lru_cache(maxsize=10_000)
def _place_key(city: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", (city or "").casefold().strip()) if not unicodedata.combining(c)
    )


class Locator:
    """Coordinates of a place: the 4-digit postcode area, else the municipality's mean over its areas."""

    def __init__(self, areas: Iterable[tuple[str, float, float, str]] = ()):
        self.by_postcode: dict[str, tuple[float, float]] = {}
        sums: dict[str, list[float]] = {}
        for pc4, lat, lon, municipality in areas:
            self.by_postcode[pc4] = (lat, lon)
            acc = sums.setdefault(_place_key(municipality), [0.0, 0.0, 0])
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
        self.by_place = {key: (a[0] / a[2], a[1] / a[2]) for key, a in sums.items() if a[2]}
        self._cache: dict[tuple[str, str], tuple[float, float, str] | None] = {}

    def locate(self, postcode: str, city: str) -> tuple[float, float, str] | None:
        """(lat, lon, "postcode" | "gemeente") or None when neither is known."""
        key = (postcode4(postcode), _place_key(city))
        if key in self._cache:
            return self._cache[key]
        found = None
        if key[0] and key[0] in self.by_postcode:
            found = (*self.by_postcode[key[0]], "postcode")
        elif key[1] and key[1] in self.by_place:
            found = (*self.by_place[key[1]], "gemeente")
        self._cache[key] = found
        return found


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# --- The job context: everything about one opening computed once ------------------------------------------


class JobContext:
    """An opening prepared for scoring many candidates (keywords, location, caches)."""

    def __init__(self, job: Job, locator: Locator):
        self.job = job
        self.locator = locator
        self.sector_label = SECTOR_LABELS.get(job.sector, job.sector)
        self.kind_label = KIND_LABELS.get(job.kind, job.kind)
        self.text = f"{job.title} {job.tasks} {self.sector_label}"
        self.title_text = f"{job.title} {job.tasks}"
        self.location = locator.locate(job.postcode, job.city)
        self.days_sorted = sorted(job.days, key=DAGDEEL_ORDER.__getitem__)
        self.required = [(s, job.levels[s]) for s in SKILLS if job.levels.get(s)]
        self._distance: dict[tuple[str, str], tuple[float, str] | None] = {}
        # Each criterion depends on a few fields of the candidate only: results are shared by equal inputs.
        self.memo: list[dict] = [{} for _ in range(len(CRITERIA) + 1)]

    def overlap(self, text: str, *, title_only: bool = False) -> tuple[str, ...]:
        """The opening's words related to the text's keywords (sorted, for a stable explanation)."""
        return overlap_words(self.title_text if title_only else self.text, text)

    def distance(self, postcode: str, city: str) -> tuple[float, str] | None:
        key = (postcode, city)
        if key in self._distance:
            return self._distance[key]
        result = None
        if self.location is not None:
            there = self.locator.locate(postcode, city)
            if there is not None:
                source = "gemeente" if "gemeente" in (there[2], self.location[2]) else "postcode"
                result = (distance_km(there[:2], self.location[:2]), source)
        self._distance[key] = result
        return result


# --- Hard filters --------------------------------------------------------------------------------------------


def certificate_missing_text(name: str) -> str:
    return f"{name} ontbreekt" if "certificaat" in name.casefold() else f"{name}-certificaat ontbreekt"


def blockers(c: Candidate, jc: JobContext) -> tuple[tuple[Blocker, ...], tuple[str, ...]]:
    """What excludes the candidate from this opening, and notes on filters that could not be checked."""
    job = jc.job
    found: list[Blocker] = []
    notes: list[str] = []
    if c.see_trajectory:
        if c.phase == "afgesloten":
            found.append(Blocker("afgesloten", "Het traject is afgesloten"))
        if job.days and c.availability is not None:
            missing = [d for d in jc.days_sorted if d not in c.availability]
            if missing:
                days = ", ".join(DAGDEEL_LABELS[d] for d in missing)
                found.append(Blocker("beschikbaarheid", f"Beschikbaarheid nodig op {days}; nu niet beschikbaar"))
    elif job.days:
        notes.append("Beschikbaarheid afgeschermd: controleer de dagdelen met de regie.")
    if c.see_language:
        for skill, required in jc.required:
            level = c.levels.get(skill, "onbekend")
            if level in LEVEL_ORDER and LEVEL_ORDER[level] < LEVEL_ORDER[required]:
                found.append(Blocker(f"taal_{skill}", f"{required} {skill} nodig, nu {level}"))
    if c.see_work:
        for cert_id, name in job.certificates:
            if cert_id not in c.certificates:
                found.append(Blocker(f"certificaat_{cert_id}", certificate_missing_text(name)))
        if job.driving_licence and c.driving_licence != "ja":
            if c.driving_licence == "nee":
                found.append(Blocker("rijbewijs", "Rijbewijs B nodig; de deelnemer heeft geen rijbewijs"))
            else:
                found.append(Blocker("rijbewijs", "Rijbewijs B nodig; onbekend of de deelnemer het heeft "
                                                  "(vastleggen in het werkprofiel)"))
        if job.sector in c.excluded_sectors:
            found.append(Blocker("geen_interesse_sector", f"Geen interesse in de sector {jc.sector_label}"))
        if job.kind in c.excluded_kinds:
            found.append(Blocker("geen_interesse_soort", f"Geen interesse in {jc.kind_label.casefold()}"))
    elif job.certificates or job.driving_licence:
        notes.append("Certificaten en rijbewijs afgeschermd: vraag dit na bij de regie.")
    return tuple(found), tuple(notes)


# --- Soft criteria -------------------------------------------------------------------------------------------


def _language(c: Candidate, jc: JobContext) -> Criterion:
    if not jc.required:
        return Criterion("taal", 20, GOOD, "Geen taaleisen")
    if not c.see_language:
        eisen = ", ".join(f"{lvl} {skill}" for skill, lvl in jc.required)
        return Criterion("taal", 20 - 3 * len(jc.required), HIDDEN, "Taalniveau afgeschermd; eis: {}", (eisen,))
    points = 20
    parts = []
    states = set()
    for skill, required in jc.required:
        level = c.levels.get(skill, "onbekend")
        if level not in LEVEL_ORDER:
            points -= 3
            states.add(UNKNOWN)
            parts.append(f"{skill} onbekend (eis {required}, nagaan)")
        elif LEVEL_ORDER[level] < LEVEL_ORDER[required]:
            points -= 5
            states.add(WEAK)
            parts.append(f"{skill} {level} (eis {required})")
        else:
            parts.append(f"{skill} {level} (eis {required}, voldoet)")
    state = WEAK if WEAK in states else UNKNOWN if UNKNOWN in states else GOOD
    text = "; ".join(parts)
    return Criterion("taal", points, state, "{}", (text[:1].upper() + text[1:],))


def _sector(c: Candidate, jc: JobContext) -> Criterion:
    if not c.see_work:
        return Criterion("sector", 7, HIDDEN, "Sectorwens afgeschermd")
    if jc.job.sector in c.sector_interests:
        return Criterion("sector", 15, GOOD, "Wil graag werken in {}", (jc.sector_label,))
    if not c.sector_interests:
        return Criterion("sector", 7, UNKNOWN, "Geen sectorwens vastgelegd")
    wishes = ", ".join(sorted(SECTOR_LABELS.get(s, s) for s in c.sector_interests))
    return Criterion("sector", 0, WEAK, "Sectorwens: {}; niet {}", (wishes, jc.sector_label))


def _hours(c: Candidate, jc: JobContext) -> Criterion:
    hours = jc.job.hours
    capacity = source = None
    if c.see_work and c.hours_wanted is not None:
        capacity, source = c.hours_wanted, "wil {} uur"
    elif c.see_trajectory and c.availability is not None:
        capacity, source = len(c.availability) * HOURS_PER_DAGDEEL, "beschikbaar ca. {} uur"
    if hours is None:
        return Criterion("uren", 7, UNKNOWN, "Aantal uren van de plek onbekend")
    if capacity is None:
        if not (c.see_work or c.see_trajectory):
            return Criterion("uren", 7, HIDDEN, "Beschikbaarheid afgeschermd; de plek vraagt {} uur", (hours,))
        return Criterion("uren", 7, UNKNOWN, "Beschikbaarheid onbekend; de plek vraagt {} uur", (hours,))
    where = source.format(capacity)
    if hours <= capacity:
        return Criterion("uren", 15, GOOD, "{} uur per week past ({})", (hours, where))
    if hours <= capacity + 8:
        return Criterion("uren", 7, PARTLY, "Vraagt {} uur per week, iets meer dan past ({})", (hours, where))
    return Criterion("uren", 0, WEAK, "Vraagt {} uur per week, veel meer dan past ({})", (hours, where))


def _travel(c: Candidate, jc: JobContext) -> Criterion:
    found = jc.distance(c.postcode, c.city)
    if found is None:
        if jc.location is None:
            return Criterion("reis", 7, UNKNOWN, "Afstand onbekend: locatie van de plek niet gevonden")
        return Criterion("reis", 7, UNKNOWN, "Afstand onbekend: postcode of woonplaats niet gevonden")
    km, source = found
    basis = " (schatting op gemeenteniveau)" if source == "gemeente" else ""
    limit = c.max_travel_km if c.see_work else None
    if limit is None:
        why = "afgeschermd" if not c.see_work else "onbekend"
        limit_text = f"maximale reisafstand {why}, uitgegaan van {DEFAULT_TRAVEL_KM} km"
        limit = DEFAULT_TRAVEL_KM
    else:
        limit_text = f"maximaal {limit} km"
    if km <= limit / 2:
        points, state = 15, GOOD
    elif km <= limit:
        points, state = 11, GOOD
    elif km <= limit * 1.5:
        points, state = 4, PARTLY
    else:
        points, state = 0, WEAK
    return Criterion("reis", points, state, "Ca. {} km{} ({})", (round(km), basis, limit_text))


def _experience(c: Candidate, jc: JobContext) -> Criterion:
    points = 0
    parts = []
    states = []
    if not c.see_work:
        points += 4
        parts.append("werkervaring afgeschermd")
        states.append(HIDDEN)
    elif not c.work_history:
        points += 3
        parts.append("geen werkervaring vastgelegd")
        states.append(UNKNOWN)
    else:
        matched = [(job, jc.overlap(job)) for job in c.work_history]
        matched = [(job, words) for job, words in matched if words]
        if matched:
            points += 12
            parts.append("werkervaring als " + ", ".join(
                job if (job.casefold(),) == words else f"{job} ({', '.join(words)})" for job, words in matched))
            states.append(GOOD)
        else:
            parts.append("werkervaring (" + ", ".join(c.work_history) + ") sluit niet aan")
            states.append(WEAK)
    if not c.see_language:
        points += 3
        parts.append("opleiding afgeschermd")
        states.append(HIDDEN)
    elif not c.education_field:
        points += 2
        parts.append("geen opleidingsrichting vastgelegd")
        states.append(UNKNOWN)
    else:
        words = jc.overlap(c.education_field)
        if words:
            points += 8
            parts.append(f"opleiding {c.education_field} ({', '.join(words)})")
            states.append(GOOD)
        else:
            parts.append(f"opleiding {c.education_field} sluit niet aan")
            states.append(WEAK)
    state = GOOD if GOOD in states else HIDDEN if HIDDEN in states else UNKNOWN if UNKNOWN in states else WEAK
    text = "; ".join(parts)
    return Criterion("ervaring", points, state, "{}", (text[:1].upper() + text[1:],))


def _wishes(c: Candidate, jc: JobContext) -> Criterion:
    if not c.see_work:
        return Criterion("wensen", 5, HIDDEN, "Droombaan en plan B afgeschermd")
    if c.dream_job and jc.overlap(c.dream_job, title_only=True):
        return Criterion("wensen", 15, GOOD, "Droombaan ‘{}’ past bij deze plek", (c.dream_job,))
    if c.plan_b and jc.overlap(c.plan_b, title_only=True):
        return Criterion("wensen", 10, GOOD, "Plan B ‘{}’ past bij deze plek", (c.plan_b,))
    if not (c.dream_job or c.plan_b):
        return Criterion("wensen", 5, UNKNOWN, "Geen droombaan of plan B vastgelegd")
    wishes = " / ".join(w for w in (c.dream_job, c.plan_b) if w)
    return Criterion("wensen", 0, WEAK, "Wensen (‘{}’) sluiten niet aan", (wishes,))


CRITERIA = (_language, _sector, _hours, _travel, _experience, _wishes)


def evaluate(c: Candidate, jc: JobContext) -> Evaluation:
    """Hard filters and soft score of one candidate for one opening.

    Every criterion depends on a few fields only; its result is memoised per opening on exactly those fields
    (``_keys``), which keeps ranking 100,000 candidates fast without a second, simplified scoring path.
    """
    keys = _keys(c, jc)
    memo = jc.memo
    criteria = []
    for i, fn in enumerate(CRITERIA):
        found = memo[i].get(keys[i])
        if found is None:
            found = memo[i][keys[i]] = fn(c, jc)
        criteria.append(found)
    block = memo[-1].get(keys[-1])
    if block is None:
        block = memo[-1][keys[-1]] = blockers(c, jc)
    points = criteria[0].points + criteria[1].points + criteria[2].points + criteria[3].points + \
        criteria[4].points + criteria[5].points
    return Evaluation(c, jc.job, points, tuple(criteria), block[0], block[1])


def _keys(c: Candidate, jc: JobContext) -> tuple:
    """The inputs of each criterion (in the order of CRITERIA) and of the hard filters."""
    job = jc.job
    levels = tuple(c.levels.get(s, "onbekend") for s, _ in jc.required) if c.see_language else None
    availability = c.availability if c.see_trajectory else None
    return (
        levels,
        (c.see_work, c.sector_interests),
        (c.see_work, c.hours_wanted, c.see_trajectory, None if availability is None else len(availability)),
        (c.postcode, c.city, c.see_work, c.max_travel_km),
        (c.see_work, c.work_history, c.see_language, c.education_field),
        (c.see_work, c.dream_job, c.plan_b),
        (
            c.see_trajectory, c.phase, availability if job.days else None, c.see_language, levels, c.see_work,
            c.certificates if job.certificates else None, c.driving_licence if job.driving_licence else None,
            job.sector in c.excluded_sectors, job.kind in c.excluded_kinds,
        ),
    )


@dataclass
class Ranking:
    """Eligible evaluations best first (points, then id); near misses with the fewest blockers first."""

    eligible: list[Evaluation]
    near_misses: list[Evaluation]


def _rank(evaluations: Iterable[Evaluation], key_id) -> Ranking:
    eligible, excluded = [], []
    for ev in evaluations:
        (excluded if ev.blockers else eligible).append(ev)
    eligible.sort(key=lambda e: (-e.points, key_id(e)))
    excluded.sort(key=lambda e: (len(e.blockers), -e.points, key_id(e)))
    return Ranking(eligible, excluded)


def rank_candidates(candidates: Iterable[Candidate], job: Job, locator: Locator) -> Ranking:
    """Demand-led: the candidates for one opening."""
    jc = JobContext(job, locator)
    with gc_paused():
        return _rank([evaluate(c, jc) for c in candidates], lambda e: e.candidate.id)


def rank_jobs(candidate: Candidate, jobs: Iterable[Job], locator: Locator) -> Ranking:
    """Supply-led: the openings for one participant."""
    with gc_paused():
        return _rank([evaluate(candidate, JobContext(j, locator)) for j in jobs], lambda e: e.job.id)


# --- Loading from the database (through the access policy) ----------------------------------------------------

LEVEL_FIELDS = tuple(f"level_{s}" for s in SKILLS)
PARTICIPANT_COLUMNS = (
    "id", "name", "phase", "postcode", "city", "regie_organisation_id", "availability", *LEVEL_FIELDS,
    "education_field", "sector_interests", "dream_job", "plan_b",
)
OPENING_COLUMNS = (
    "id", "title", "tasks", "kind", "sector", "hours_per_week", "days", "postcode", "city", "employer__name",
    "employer__postcode", "employer__city", "driving_licence_required", *(f"req_{s}" for s in SKILLS),
)


def load_locator() -> Locator:
    from koers.work.models import PostcodeArea

    return Locator(PostcodeArea.objects.values_list("postcode4", "latitude", "longitude", "municipality"))


def job_from_row(row: dict, certificates: Sequence[tuple[int, str]] = ()) -> Job:
    postcode, city = row["postcode"], row["city"]
    if not postcode and not city:
        postcode, city = row.get("employer__postcode") or "", row.get("employer__city") or ""
    return Job(
        id=row["id"], title=row["title"], kind=row["kind"], sector=row["sector"], tasks=row["tasks"] or "",
        employer_name=row.get("employer__name") or "", hours=row["hours_per_week"],
        days=frozenset(row["days"] or ()), postcode=postcode or "", city=city or "",
        levels={s: row[f"req_{s}"] for s in SKILLS if row[f"req_{s}"]},
        certificates=tuple(sorted(certificates, key=lambda x: (x[1], x[0]))),
        driving_licence=row["driving_licence_required"],
    )


def job_for(opening) -> Job:
    """A Job from an Opening instance (employer loaded) and its certificates."""
    row = {name: getattr(opening, name) for name in OPENING_COLUMNS if "__" not in name}
    row.update({"employer__name": opening.employer.name, "employer__postcode": opening.employer.postcode,
                "employer__city": opening.employer.city})
    return job_from_row(row, [(c.pk, c.name) for c in opening.certificates.all()])


def load_open_jobs(exclude_ids: Iterable[int] = ()) -> list[Job]:
    """All open openings, in two queries."""
    from koers.work.models import Opening, OpeningStatus

    certs: dict[int, list[tuple[int, str]]] = {}
    through = Opening.certificates.through.objects.filter(opening__status=OpeningStatus.OPEN)
    for opening_id, cert_id, name in through.values_list("opening_id", "certificate_id", "certificate__name"):
        certs.setdefault(opening_id, []).append((cert_id, name))
    rows = Opening.objects.filter(status=OpeningStatus.OPEN).exclude(pk__in=list(exclude_ids))
    return [job_from_row(r, certs.get(r["id"], ())) for r in rows.values(*OPENING_COLUMNS)]


def _work_data(participant_ids) -> tuple[dict, dict, dict]:
    """Work profiles, their certificates and work history for a set of participants (a list or a subquery)."""
    from koers.participants.models import WorkExperience
    from koers.work.models import WorkProfile

    columns = ("participant_id", "driving_licence", "max_travel_km", "hours_wanted", "excluded_sectors",
               "excluded_kinds")
    profiles = {
        row[0]: dict(zip(columns, row, strict=True))
        for row in _fetch(WorkProfile.objects.filter(participant_id__in=participant_ids).order_by().values_list(
            *columns))
    }
    certs: dict[int, set[int]] = {}
    if profiles:
        through = WorkProfile.certificates.through.objects.filter(workprofile__participant_id__in=participant_ids)
        for pid, cert_id in _fetch(through.order_by().values_list("workprofile__participant_id", "certificate_id")):
            certs.setdefault(pid, set()).add(cert_id)
    history: dict[int, list[str]] = {}
    experience = WorkExperience.objects.filter(participant_id__in=participant_ids).order_by("participant_id", "id")
    for pid, occupation in _fetch(experience.values_list("participant_id", "occupation")):
        history.setdefault(pid, []).append(occupation)
    return profiles, certs, history


class _Decoder:
    """Turns database values into Candidate fields, sharing equal values (JSON lists repeat a lot)."""

    def __init__(self):
        self._sets: dict[str, frozenset[str]] = {}
        self._levels: dict[tuple, dict[str, str]] = {}

    def set_of(self, value) -> frozenset[str] | None:
        """A JSON list (text from SQLite, or already decoded) as a frozenset; None stays None (unknown)."""
        if value is None:
            return None
        if isinstance(value, str):
            found = self._sets.get(value)
            if found is None:
                found = self._sets[value] = frozenset(json.loads(value) or ())
            return found
        return frozenset(value)

    def levels_of(self, values: tuple) -> dict[str, str]:
        found = self._levels.get(values)
        if found is None:
            found = self._levels[values] = dict(zip(SKILLS, values, strict=True))
        return found


EMPTY: frozenset = frozenset()
_I = {name: i for i, name in enumerate(PARTICIPANT_COLUMNS)}
_LEVELS = slice(_I["level_spreken"], _I["level_spreken"] + len(SKILLS))


def candidate_from_row(row: tuple, grant, profile: dict | None, certs, history, decoder: _Decoder) -> Candidate:
    """A Candidate from a row in the order of PARTICIPANT_COLUMNS, keeping out what the grant does not cover."""
    read = grant.read
    see_trajectory = "traject" in read
    see_language = "taal_opleiding" in read
    see_work = "werk" in read
    if see_work:
        profile = profile or {}
        work = {
            "work_history": tuple(history or ()),
            "sector_interests": decoder.set_of(row[_I["sector_interests"]]) or EMPTY,
            "dream_job": row[_I["dream_job"]],
            "plan_b": row[_I["plan_b"]],
            "driving_licence": profile.get("driving_licence", "onbekend"),
            "max_travel_km": profile.get("max_travel_km"),
            "hours_wanted": profile.get("hours_wanted"),
            "certificates": frozenset(certs) if certs else EMPTY,
            "excluded_sectors": decoder.set_of(profile.get("excluded_sectors")) or EMPTY,
            "excluded_kinds": decoder.set_of(profile.get("excluded_kinds")) or EMPTY,
        }
    else:
        work = {}
    return Candidate(
        id=row[0], name=row[1], postcode=row[_I["postcode"]], city=row[_I["city"]],
        phase=row[_I["phase"]] if see_trajectory else "",
        availability=decoder.set_of(row[_I["availability"]]) if see_trajectory else None,
        levels=decoder.levels_of(row[_LEVELS]) if see_language else {},
        education_field=row[_I["education_field"]] if see_language else "",
        see_trajectory=see_trajectory, see_language=see_language, see_work=see_work, **work,
    )


def candidate_for(participant, grant) -> Candidate:
    """The Candidate of one participant (the supply-led page), in three queries."""
    row = tuple(getattr(participant, name) for name in PARTICIPANT_COLUMNS)
    profiles, certs, history = _work_data([participant.pk])
    return candidate_from_row(row, grant, profiles.get(participant.pk), certs.get(participant.pk),
                              history.get(participant.pk), _Decoder())


@dataclass
class Candidates:
    candidates: list[Candidate]
    grants: dict[int, object]


def load_candidates(user, queryset=None) -> Candidates:
    """Every participant the user may see (identity at least), outside closed trajectories, as Candidates.

    A fixed number of queries whatever the number of participants: participants, the organisation's active
    memberships among them (grants), work profiles, their certificates and work history.
    """
    from koers.core import access
    from koers.core.codes import Phase

    base = access.visible_participants(user, queryset).exclude(phase=Phase.AFGESLOTEN)
    resolve = access.grant_resolver(user, base)
    regie = _I["regie_organisation_id"]

    def grant_of(row):
        return resolve(row[0], row[regie])

    return candidates_from(base, grant_of)


def _fetch(values_list) -> list[tuple]:
    """Rows of a ``values_list`` queryset straight from the cursor: no per-value conversion (JSON columns are
    decoded once per distinct value by ``_Decoder``). Portable: the SQL is Django's own."""
    sql, params = values_list.query.sql_with_params()
    with connections[values_list.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def gc_paused():
    """Building 100,000 small objects triggers the cyclic garbage collector again and again (none of them forms
    a cycle); pausing it halves the time of a large ranking."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def candidates_from(base, grant_of) -> Candidates:
    """Candidates of the participants in ``base`` (a queryset already filtered by the access policy), each with
    the grant ``grant_of(row)``; rows whose grant does not include identity are left out."""
    rows = _fetch(base.order_by().values_list(*PARTICIPANT_COLUMNS))
    if not rows:
        return Candidates([], {})
    profiles, certs, history = _work_data(base.values("pk"))
    grants: dict[int, object] = {}
    result = []
    decoder = _Decoder()
    with gc_paused():
        for row in rows:
            grant = grant_of(row)
            if "identiteit" not in grant.read:
                continue
            pid = row[0]
            grants[pid] = grant
            result.append(candidate_from_row(row, grant, profiles.get(pid), certs.get(pid), history.get(pid), decoder))
    return Candidates(result, grants)


def rank_participants(user, opening, *, queryset=None, locator: Locator | None = None) -> tuple[Ranking, dict]:
    """Demand-led: the participants the user may see, ranked for an opening. Returns the ranking and grants."""
    loaded = load_candidates(user, queryset)
    return rank_candidates(loaded.candidates, job_for(opening), locator or load_locator()), loaded.grants


def rank_openings(participant, grant, *, locator: Locator | None = None) -> Ranking:
    """Supply-led: the open openings ranked for one participant (the caller checked access)."""
    return rank_jobs(candidate_for(participant, grant), load_open_jobs(), locator or load_locator())
