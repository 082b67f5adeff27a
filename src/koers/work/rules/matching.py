"""Matching participants and openings, in both directions, explainable and deterministic.

The pure part (no database): ``Candidate`` (a participant as the matcher sees it, with what the viewer may see),
``Job`` (an opening), ``Locator`` (coordinates by 4-digit postcode, falling back to the municipality) and
``evaluate(candidate, job_context)``, which returns the hard-filter *blockers* ("A2 spreken nodig, nu A1") and a
soft score with a breakdown per criterion (points, maximum, a Dutch explanation). A candidate with a blocker is
not eligible; the pages show the best of them separately as near misses, with what would need to change.

Hard filters: availability covers the opening's dagdelen (when known), language levels meet the requirements
(when known), required certificates held — or *binnenkort*: the participant is enrolled in a course that leads to
it and has not finished it (VCA), which is a note, not a blocker —, driving licence when required, no "not
interested" flag for the sector or kind, trajectory not closed. The hours a participant has for work are their
available dagdelen (about four hours each) minus the hours of the classes they are scheduled for this week
(``class_hours``); an opening on a dagdeel taken by a class gets a note.

Soft criteria (100 points): language (20), sector wish (15), hours vs availability
(15), travel distance (15), work experience and education (20), own wishes (15). Data of a category the viewer
may not see is never used: the criterion says *afgeschermd* and gives neutral points.

Properties (tests/test_matching.py, hypothesis): adding a requirement a candidate satisfies never lowers that
candidate's rank (a satisfied requirement always gives the criterion's full points, an unmet or unknown one
never more); hard filters are never violated; the ranking is deterministic (ties broken by id).

Pure: no database. Loading candidates and openings through the access policy is ``work/queries/matching.py``.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

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
    # the classes of this week (trajectory) and the certificates of courses enrolled in, not finished (work)
    class_hours: float = 0.0
    class_dagdelen: frozenset[str] = frozenset()
    coming_certificates: tuple[tuple[int, str], ...] = ()  # (certificate id, "VCA Basis (zaterdagcursus)")
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


def fmt_hours(hours: float) -> str:
    return f"{hours:.1f}".replace(".0", "").replace(".", ",")


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


def certificate_coming_text(name: str, course: str) -> str:
    return f"{name}: binnenkort (ingeschreven voor ‘{course}’, nog niet afgerond)"


def _plain(text: str) -> str:
    return " ".join(_NON_LETTERS.split(_place_key(text))).strip()


def course_leads_to(course_certificate: str, name: str, code: str) -> bool:
    """Whether a course's certificate ("VCA Basis") is the certificate ``name``/``code`` ("VCA", "vca"): the
    same words, or the course's certificate starts with them."""
    course = _plain(course_certificate)
    if not course:
        return False
    return any(word and (course == word or course.startswith(word + " ")) for word in (_plain(name), _plain(code)))


def _trajectory_blockers(c: Candidate, jc: JobContext) -> tuple[list[Blocker], list[str]]:
    """The phase, the dagdelen the opening needs and the candidate's classes on them."""
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
        in_class = [d for d in jc.days_sorted if d in c.class_dagdelen]
        if in_class:
            days = ", ".join(DAGDEEL_LABELS[d] for d in in_class)
            notes.append(f"Op {days} heeft de deelnemer nu les: bespreek het rooster.")
    elif job.days:
        notes.append("Beschikbaarheid afgeschermd: controleer de dagdelen met de regie.")
    return found, notes


def _language_blockers(c: Candidate, jc: JobContext) -> tuple[list[Blocker], list[str]]:
    found: list[Blocker] = []
    if c.see_language:
        for skill, required in jc.required:
            level = c.levels.get(skill, "onbekend")
            if level in LEVEL_ORDER and LEVEL_ORDER[level] < LEVEL_ORDER[required]:
                found.append(Blocker(f"taal_{skill}", f"{required} {skill} nodig, nu {level}"))
    return found, []


def _work_blockers(c: Candidate, jc: JobContext) -> tuple[list[Blocker], list[str]]:
    """Certificates, driving licence and the sectors and kinds of work the candidate does not want."""
    job = jc.job
    found: list[Blocker] = []
    notes: list[str] = []
    if c.see_work:
        coming = dict(c.coming_certificates)
        for cert_id, name in job.certificates:
            if cert_id in c.certificates:
                continue
            if cert_id in coming:
                notes.append(certificate_coming_text(name, coming[cert_id]))
            else:
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
    return found, notes


#: The hard filters in the order their blockers and notes are listed.
BLOCKER_PARTS = (_trajectory_blockers, _language_blockers, _work_blockers)


def _joined(parts) -> tuple[tuple[Blocker, ...], tuple[str, ...]]:
    found: list[Blocker] = []
    notes: list[str] = []
    for f, n in parts:
        found += f
        notes += n
    return tuple(found), tuple(notes)


def blockers(c: Candidate, jc: JobContext) -> tuple[tuple[Blocker, ...], tuple[str, ...]]:
    """What excludes the candidate from this opening, and notes on filters that could not be checked."""
    return _joined(part(c, jc) for part in BLOCKER_PARTS)


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
    lessons = c.class_hours if c.see_trajectory else 0
    free = None
    if c.see_trajectory and c.availability is not None:
        free = max(0, round(len(c.availability) * HOURS_PER_DAGDEEL - lessons))
    if c.see_work and c.hours_wanted is not None:
        capacity, source = c.hours_wanted, "wil {} uur"
        if free is not None and lessons and free < capacity:
            capacity, source = free, f"wil {c.hours_wanted} uur, naast {fmt_hours(lessons)} uur les ca. {{}} uur vrij"
    elif free is not None:
        capacity, source = free, "beschikbaar ca. {} uur"
        if lessons:
            source = f"beschikbaar ca. {{}} uur naast {fmt_hours(lessons)} uur les"
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
        (c.see_work, c.hours_wanted, c.see_trajectory, None if availability is None else len(availability),
         c.class_hours if c.see_trajectory else 0),
        (c.postcode, c.city, c.see_work, c.max_travel_km),
        (c.see_work, c.work_history, c.see_language, c.education_field),
        (c.see_work, c.dream_job, c.plan_b),
        (
            c.see_trajectory, c.phase, availability if job.days else None, c.see_language, levels, c.see_work,
            c.certificates if job.certificates else None, c.driving_licence if job.driving_licence else None,
            c.coming_certificates if job.certificates else None,
            c.class_dagdelen if job.days and c.see_trajectory else None,
            job.sector in c.excluded_sectors, job.kind in c.excluded_kinds,
        ),
    )


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


def _job_keys(job: Job) -> tuple:
    """The inputs of each criterion (in the order of CRITERIA) and of the hard filters on the opening's side:
    everything of the opening a criterion reads, so that for one candidate equal keys give equal results (the
    mirror of ``_keys``). Neither the id nor the employer's name enter any criterion."""
    required = tuple((s, job.levels[s]) for s in SKILLS if job.levels.get(s))
    return (
        required,
        job.sector,
        job.hours,
        (job.postcode, job.city),
        (job.title, job.tasks, job.sector),
        (job.title, job.tasks),
        # the hard filters, per part of BLOCKER_PARTS
        job.days,
        required,
        (job.certificates, job.driving_licence, job.sector, job.kind),
    )


def evaluate_jobs(candidate: Candidate, jobs: Iterable[Job], locator: Locator) -> list[Evaluation]:
    """``evaluate`` of one candidate against many openings, each criterion and each part of the hard filters
    memoised on the opening's inputs (``_job_keys``): openings that share a place, a sector, hours or dagdelen
    share those results, and the opening's context (keywords, location) is only prepared when something has not
    been computed for its inputs yet."""
    functions = (*CRITERIA, *BLOCKER_PARTS)
    memo: list[dict] = [{} for _ in functions]
    n = len(CRITERIA)
    result = []
    for job in jobs:
        keys = _job_keys(job)
        jc = None
        found = []
        for i, fn in enumerate(functions):
            value = memo[i].get(keys[i])
            if value is None:
                if jc is None:
                    jc = JobContext(job, locator)
                value = memo[i][keys[i]] = fn(candidate, jc)
            found.append(value)
        criteria = tuple(found[:n])
        block = _joined(found[n:])
        result.append(Evaluation(candidate, job, sum(c.points for c in criteria), criteria, block[0], block[1]))
    return result


def rank_jobs(candidate: Candidate, jobs: Iterable[Job], locator: Locator) -> Ranking:
    """Supply-led: the openings for one participant."""
    with gc_paused():
        return _rank(evaluate_jobs(candidate, jobs, locator), lambda e: e.job.id)
