"""Language milestones on the caseload (issue 12, break 7): when a language test shows that a participant
reached A2 on a skill, or the target level of their leerroute (``plans.rules.leerroute.language_milestones``),
the regisseur sees a signal *taalmijlpaal* for 30 days (or until it is acknowledged), with what to do next.

Why a signal and not an action item: the milestone is computed from the tests, so it shows on the caseload and
the participant page without anyone having to close it, disappears by itself, can be acknowledged like any
signal, and an older test entered later (which does not change the current level) raises nothing. The
decision is recorded in docs/architecture.md ("Language tests").

A milestone counts when the newest test of a skill (by date) is at or above the level and the test before it
was below it; a first test raises nothing (the level was measured, not reached). One query per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from koers.casework.queries import alerts
from koers.core.codes import LEVEL_ORDER, Category, LanguageSkill
from koers.participants.models import LanguageAssessment
from koers.plans.rules import leerroute

#: How long the signal stays after the test.
MILESTONE_DAYS = 30

CODES = {"taalmijlpaal": "Taalmijlpaal bereikt"}
SKILL_LABELS = dict(LanguageSkill.choices)
SKILL_ORDER = {skill: i for i, skill in enumerate(("lezen", "luisteren", "schrijven", "spreken"))}


def language_milestones(batch: alerts.Batch) -> Iterable[alerts.Signal]:
    since = batch.today - timedelta(days=MILESTONE_DAYS)
    recent = LanguageAssessment.objects.filter(participant_id__in=batch.active_ids, tested_on__gte=since,
                                               tested_on__lte=batch.today)
    rows = (
        LanguageAssessment.objects.filter(participant_id__in=recent.values("participant_id"))
        .values_list("id", "participant_id", "skill", "level", "tested_on")
        .order_by("participant_id", "skill", "tested_on", "id")
    )
    per: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for row in rows:
        per[(row[1], row[2])].append(row)
    reached: dict[tuple[int, str], list[tuple[str, str, str, object]]] = defaultdict(list)
    for (pid, skill), tests in per.items():
        if len(tests) < 2:
            continue
        (_id, _pid, _skill, level, tested_on), previous = tests[-1], tests[-2][3]
        if tested_on < since or level not in LEVEL_ORDER:
            continue
        before = LEVEL_ORDER.get(previous, -1)
        passed = [m for m in leerroute.language_milestones(batch.by_id[pid].learning_route)
                  if before < LEVEL_ORDER[m] <= LEVEL_ORDER[level]]
        if passed:
            reached[(pid, passed[-1])].append((skill, level, previous, tested_on))
    # One signal per participant and milestone, naming the skills (not one card per skill).
    for (pid, milestone), skills in sorted(reached.items()):
        skills.sort(key=lambda s: SKILL_ORDER.get(s[0], 9))
        tested_on = max(s[3] for s in skills)
        names = ", ".join(SKILL_LABELS.get(s[0], s[0]).lower() for s in skills)
        results = "; ".join(f"{SKILL_LABELS.get(skill, skill).lower()} {level} (was {previous})"
                            for skill, level, previous, _day in skills)
        target = leerroute.target_level(batch.by_id[pid].learning_route)
        what = "het doelniveau van de leerroute" if milestone == target else "een mijlpaal"
        yield alerts.Signal(
            pid, "taalmijlpaal", f"{milestone} behaald: {names}", tested_on, alerts.INFO,
            f"Getoetst tot en met {alerts._d(tested_on)}: {results}. {milestone} is {what}.",
            "Bespreek de volgende stap met de deelnemer: een vervolgactiviteit, examen of werk, en pas zo nodig "
            "het plan aan.",
            subject=f"taal:{milestone}:{tested_on.isoformat()}", category=Category.LANGUAGE,
        )


def register() -> None:
    alerts.register(language_milestones, codes=CODES)
