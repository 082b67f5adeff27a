"""Attendance benchmark: data and pages (issue 3: "attendance entry for a group of 15 and the participant week
view each render in under 100 ms median with 100,000 participants and 5 million attendance records").

Plugs into the existing harness (run.py prepares the database, measure.py times pages):

- ``prepare(target=5_000_000, seed=1)`` — run once on the generated database (idempotent: it stops when the
  attendance table already holds ``target`` rows). For every language provider it puts each participant with an
  active membership there in a group of 15 of a bench activity ("Gen-Bench ..."), with two sessions a week
  going back from today, and registers attendance for every past session (85% present, 5% late, 4% excused,
  3% unexcused, 3% sick), until ``target`` rows exist. Sessions today are left unregistered, so the entry page
  is timed as a teacher first opens it. Rows are written with ``executemany`` (synthetic/population.py).
- ``choose(ctx)`` — adds the ids the pages need to measure.py's ``Context``.
- ``PAGES`` — the pages to time, as measure.py ``Page`` rows.

    python bench/attendance.py --target 5000000      # (in bench_env(), after run.py's prepare)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time as clock
from datetime import time

BENCH_TITLE = "Gen-Bench NT2"
GROUP_SIZE = 15
STATUS_WEIGHTS = [("aanwezig", 85), ("te_laat", 5), ("afwezig_met_afmelding", 4),
                  ("afwezig_zonder_afmelding", 3), ("ziek", 3)]


def _setup_django() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ.setdefault("KOERS_TESTING", "1")
    import django

    django.setup()


def prepare(target: int = 5_000_000, seed: int = 1, *, today: dt.date | None = None, verbose: bool = True) -> int:
    """Fill the database up to ``target`` attendance rows; returns the number of rows added."""
    from django.db import transaction
    from django.utils import timezone

    from koers.activities.models import Activity, ActivitySlot, Attendance, Enrolment, Group, Session
    from koers.core.codes import OrganisationKind, Role
    from koers.core.models import Organisation, User
    from koers.participants.models import Membership
    from koers.synthetic.population import bulk_insert

    have = Attendance.objects.count()
    if have >= target:
        if verbose:
            print(f"Aanwezigheid: al {have:,} records; niets toegevoegd.".replace(",", "."))
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    started = clock.perf_counter()
    providers = list(Organisation.objects.filter(kind=OrganisationKind.TAALAANBIEDER).order_by("pk"))
    pools = []
    for provider in providers:
        teacher = User.objects.filter(organisation=provider, roles__role=Role.TAALDOCENT).order_by("pk").first()
        if teacher is None:
            continue
        enrolled = Enrolment.objects.filter(activity__provider=provider, activity__title=BENCH_TITLE)
        ids = list(
            Membership.objects.active().filter(organisation=provider).exclude(participant_id__in=enrolled.values(
                "participant_id")).order_by("participant_id").values_list("participant_id", flat=True).distinct()
        )
        pools.append((provider, teacher, ids))
    total_people = sum(len(ids) for _, _, ids in pools) or 1
    weeks = max(1, -(-(target - have) // (total_people * 2)))  # two sessions a week, rounded up
    start = today - dt.timedelta(weeks=weeks)
    days = [today.weekday(), (today.weekday() + 3) % 7]
    added = 0
    for provider, teacher, ids in pools:
        activity = Activity.objects.create(
            provider=provider, title=BENCH_TITLE, kind="taal_formeel", start_date=start,
            end_date=today + dt.timedelta(weeks=8), min_group_size=8, max_group_size=GROUP_SIZE, created_by=teacher,
        )
        for weekday in days:
            ActivitySlot.objects.create(activity=activity, weekday=weekday, start_time=time(9), end_time=time(12))
        # today's weekday and three days later (= four days earlier), going back ``weeks`` weeks
        dates = sorted({today - dt.timedelta(days=7 * w + back) for w in range(weeks + 1) for back in (0, 4)})
        dates = [d for d in dates if start <= d <= today]
        for chunk_start in range(0, len(ids), GROUP_SIZE * 200):
            chunk = ids[chunk_start:chunk_start + GROUP_SIZE * 200]
            with transaction.atomic():
                groups = Group.objects.bulk_create([
                    Group(activity=activity, name=f"Groep {chunk_start // GROUP_SIZE + n + 1}", created_by=teacher)
                    for n in range(-(-len(chunk) // GROUP_SIZE))
                ])
                members = [(groups[i // GROUP_SIZE], pid) for i, pid in enumerate(chunk)]
                bulk_insert(Enrolment, [
                    Enrolment(participant_id=pid, activity=activity, group=g, start_date=start, status="actief",
                              enrolled_by=teacher) for g, pid in members
                ])
                bulk_insert(Session, [
                    Session(activity=activity, group=g, date=d, start_time=time(9), end_time=time(12))
                    for g in groups for d in dates
                ])
                group_ids = [g.pk for g in groups]
                sessions: dict[int, list[tuple[int, dt.date]]] = {}
                for sid, gid, d in Session.objects.filter(group_id__in=group_ids).values_list("id", "group_id", "date"):
                    sessions.setdefault(gid, []).append((sid, d))
                enrolment_ids = dict(
                    Enrolment.objects.filter(group_id__in=group_ids).values_list("participant_id", "id")
                )
                rows = []
                for g, pid in members:
                    for sid, d in sessions[g.pk]:
                        if d < today:
                            rows.append(Attendance(session_id=sid, enrolment_id=enrolment_ids[pid], participant_id=pid,
                                                   status=rng.choices(statuses, weights)[0], recorded_by=teacher))
                bulk_insert(Attendance, rows)
                added += len(rows)
            if verbose:
                print(f"  {provider.name}: {added:,} aanwezigheidsrecords".replace(",", "."), flush=True)
            if have + added >= target:
                break
        if have + added >= target:
            break
    if verbose:
        print(f"Aanwezigheid: {added:,} records toegevoegd in {clock.perf_counter() - started:.0f} s".replace(",", "."))
    return added


def choose(ctx) -> None:
    """Adds ``session_pk`` (a session today of a group of 15 the context's taaldocent registers) and
    ``attendance_pk`` (a participant of the context's regisseur with attendance history)."""
    from django.utils import timezone

    from koers.activities.models import Attendance, Session

    taaldocent = ctx.users["taaldocent"]
    session = (
        Session.objects.filter(activity__provider_id=taaldocent.organisation_id, activity__title=BENCH_TITLE,
                               date=timezone.localdate())
        .order_by("pk").first()
    )
    ctx.values["session_pk"] = session.pk if session else 0
    regie = ctx.users["regisseur"].organisation_id
    attendance = Attendance.objects.filter(participant__regie_organisation_id=regie).order_by("pk").first()
    ctx.values["attendance_pk"] = attendance.participant_id if attendance else ctx.values.get("regie_pk")


def pages(page_class) -> list:
    """The pages to time, as rows of measure.py's ``Page``."""
    return [
        page_class("aanwezigheid invoeren (groep 15)", "taaldocent", "activities:attendance",
                   kwargs=lambda c: {"session_id": c.values["session_pk"]}),
        page_class("weekrooster deelnemer", "regisseur", "activities:participant_schedule",
                   kwargs=lambda c: {"pk": c.values["attendance_pk"]}),
        page_class("aanwezigheid deelnemer per week", "regisseur", "activities:participant_attendance",
                   kwargs=lambda c: {"pk": c.values["attendance_pk"]}),
        page_class("detail met aanwezigheidspaneel", "regisseur", "participants:detail",
                   kwargs=lambda c: {"pk": c.values["attendance_pk"]}),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Aanwezigheid voor de benchmark genereren")
    parser.add_argument("--target", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup_django()
    prepare(args.target, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
