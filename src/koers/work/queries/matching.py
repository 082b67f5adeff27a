"""Matching: the reads. The work profile and proposals of a participant, and loading candidates and openings
for the pure scoring in ``work/rules/matching.py``.

``rank_participants`` (demand-led: the participants the user may see, for an opening) and ``rank_openings``
(supply-led: the open openings, for a participant) load only the needed columns with ``values()`` in a fixed
number of queries, through the access policy (``core.access``), and score in plain Python. Data of a category
the viewer may not see is left out of the ``Candidate`` (the criterion then says *afgeschermd*).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from koers.activities.models import ActivitySlot, Enrolment
from koers.activities.queries.activities import SCHEDULED
from koers.activities.rules.schedule import monday_of, slot_dagdelen
from koers.core import access
from koers.core.codes import Category, Phase
from koers.participants.models import WorkExperience
from koers.work.models import Certificate, Match, Opening, OpeningStatus, Placement, PostcodeArea, WorkProfile
from koers.work.queries.employers import NOT_FOUND
from koers.work.rules.matching import (
    SKILLS,
    Candidate,
    Evaluation,
    Job,
    JobContext,
    Locator,
    Ranking,
    course_leads_to,
    evaluate,
    gc_paused,
    rank_candidates,
    rank_jobs,
)

# --- The work profile and matches ------------------------------------------------------------------------


def can_propose(grant) -> bool:
    """Proposing a match writes work data of the participant."""
    return grant.can_change(Category.WORK)


def matches_for_participant(participant) -> list[Match]:
    return list(participant.matches.select_related("opening__employer", "proposed_by").prefetch_related(
        Prefetch("placements", queryset=Placement.objects.counting().order_by("-id"))))


PROFILE_FIELDS = ("driving_licence", "max_travel_km", "hours_wanted", "excluded_sectors", "excluded_kinds", "notes")


def get_work_profile(participant) -> WorkProfile:
    """The participant's work profile, or an unsaved empty one (everything unknown)."""
    return WorkProfile.objects.filter(participant=participant).first() or WorkProfile(participant=participant)


def get_match_or_404(user, pk) -> tuple[Match, object]:
    match = Match.objects.select_related("opening__employer", "participant").filter(pk=pk).first()
    if match is None:
        raise Http404(NOT_FOUND)
    participant, grant = access.get_participant_or_404(user, match.participant_id)
    if not grant.can_see(Category.WORK):
        raise Http404(NOT_FOUND)
    return match, grant


# --- Loading for the scoring -----------------------------------------------------------------------------

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
    certs: dict[int, list[tuple[int, str]]] = {}
    through = Opening.certificates.through.objects.filter(opening__status=OpeningStatus.OPEN)
    for opening_id, cert_id, name in through.values_list("opening_id", "certificate_id", "certificate__name"):
        certs.setdefault(opening_id, []).append((cert_id, name))
    rows = Opening.objects.filter(status=OpeningStatus.OPEN).exclude(pk__in=list(exclude_ids))
    # Straight from the cursor (``_fetch``): Django's per-row JSON conversion of ``days`` and a dict per row
    # cost more than the query; the day lists repeat and are decoded once per distinct value.
    decoder = _Decoder()
    days = OPENING_COLUMNS.index("days")
    jobs = []
    for values in _fetch(rows.order_by().values_list(*OPENING_COLUMNS)):
        row = dict(zip(OPENING_COLUMNS, values, strict=True))
        row["days"] = decoder.set_of(values[days])
        jobs.append(job_from_row(row, certs.get(values[0], ())))
    return jobs


def _work_data(participant_ids) -> tuple[dict, dict, dict]:
    """Work profiles, their certificates and work history for a set of participants (a list or a subquery)."""
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


@dataclass
class Classes:
    """Per participant: the hours and dagdelen of this week's classes, and the certificates of the courses they
    are enrolled in and have not finished."""

    hours: dict[int, float]
    dagdelen: dict[int, frozenset[str]]
    coming: dict[int, tuple[tuple[int, str], ...]]


def _class_data(participant_ids, today: date | None = None) -> Classes:
    """This week's classes and the courses towards a certificate of a set of participants (a list or a
    subquery): one query for their planned and running enrolments, one for the slots of this week's classes
    and one for the certificates, whatever the number of participants (the last two only when needed)."""
    today = today or timezone.localdate()
    monday = monday_of(today)
    sunday = monday + timedelta(days=6)
    running = Enrolment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=monday),
        participant_id__in=participant_ids, status__in=SCHEDULED, activity__end_date__gte=monday,
    ).select_related(None).order_by()
    rows = list(running.values_list(
        "participant_id", "activity_id", "start_date", "activity__start_date", "activity__certificate",
        "activity__title",
    ))
    this_week = [(pid, aid) for pid, aid, start, a_start, _c, _t in rows if start <= sunday and a_start <= sunday]
    slots: dict[int, list[tuple]] = {}
    if this_week:
        for activity_id, weekday, start, end in ActivitySlot.objects.filter(
            activity_id__in={a for _, a in this_week}
        ).values_list("activity_id", "weekday", "start_time", "end_time"):
            slots.setdefault(activity_id, []).append((weekday, start, end))
    hours: dict[int, float] = {}
    dagdelen: dict[int, set[str]] = {}
    for pid, activity_id in this_week:
        for weekday, start, end in slots.get(activity_id, ()):
            hours[pid] = hours.get(pid, 0) + ((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)) / 60
            dagdelen.setdefault(pid, set()).update(slot_dagdelen(weekday, start, end))
    coming: dict[int, list[tuple[int, str]]] = {}
    courses = [(pid, certificate, title) for pid, _a, _s, _as, certificate, title in rows if certificate]
    if courses:
        certificates = list(Certificate.objects.values_list("pk", "name", "code"))
        for pid, certificate, title in courses:
            for cert_id, name, code in certificates:
                if course_leads_to(certificate, name, code):
                    coming.setdefault(pid, []).append((cert_id, title))
    return Classes(hours, {pid: frozenset(d) for pid, d in dagdelen.items()},
                   {pid: tuple(sorted(set(c))) for pid, c in coming.items()})


NO_CLASSES = Classes({}, {}, {})


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


def candidate_from_row(row: tuple, grant, profile: dict | None, certs, history, decoder: _Decoder,
                       classes: Classes = NO_CLASSES) -> Candidate:
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
        if "traject" in read:
            work["coming_certificates"] = classes.coming.get(row[0], ())
    else:
        work = {}
    if "traject" in read:
        work["class_hours"] = classes.hours.get(row[0], 0.0)
        work["class_dagdelen"] = classes.dagdelen.get(row[0], EMPTY)
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
                              history.get(participant.pk), _Decoder(), _class_data([participant.pk]))


@dataclass
class Candidates:
    candidates: list[Candidate]
    grants: dict[int, object]


def load_candidates(user, queryset=None) -> Candidates:
    """Every participant the user may see (identity at least), outside closed trajectories, as Candidates.

    A fixed number of queries whatever the number of participants: participants, the organisation's active
    memberships among them (grants), work profiles, their certificates and work history.
    """
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


def candidates_from(base, grant_of) -> Candidates:
    """Candidates of the participants in ``base`` (a queryset already filtered by the access policy), each with
    the grant ``grant_of(row)``; rows whose grant does not include identity are left out."""
    rows = _fetch(base.order_by().values_list(*PARTICIPANT_COLUMNS))
    if not rows:
        return Candidates([], {})
    profiles, certs, history = _work_data(base.values("pk"))
    classes = _class_data(base.values("pk"))
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
            result.append(candidate_from_row(row, grant, profiles.get(pid), certs.get(pid), history.get(pid), decoder,
                                             classes))
    return Candidates(result, grants)


def rank_participants(user, opening, *, queryset=None, locator: Locator | None = None) -> tuple[Ranking, dict]:
    """Demand-led: the participants the user may see, ranked for an opening. Returns the ranking and grants."""
    loaded = load_candidates(user, queryset)
    return rank_candidates(loaded.candidates, job_for(opening), locator or load_locator()), loaded.grants


def rank_openings(participant, grant, *, locator: Locator | None = None) -> Ranking:
    """Supply-led: the open openings ranked for one participant (the caller checked access)."""
    return rank_jobs(candidate_for(participant, grant), load_open_jobs(), locator or load_locator())


def evaluation(participant, grant, opening) -> Evaluation:
    """One participant against one opening (the proposal page and the score stored with a proposal)."""
    return evaluate(candidate_for(participant, grant), JobContext(job_for(opening), load_locator()))
