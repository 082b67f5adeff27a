"""Signals benchmark (issue 4: "signals for a caseload of 150 participants in under 150 ms median, and
``koers tick`` for 100,000 participants in under 60 seconds").

Plugs into the existing harness (run.py prepares the database, measure.py times pages), like attendance.py:

- ``prepare(seed=1)`` — run once on the generated database (idempotent: it stops when bench contacts exist).
  Gives every participant in a running trajectory 0-4 contacts over the last 40 days (a fifth none at all, so
  "geen contact" signals appear), an action item to ~15% of them (a third overdue), and names a counsellor on the
  memberships of partners that have case workers. Rows are written with ``executemany`` (synthetic/population.py).
- ``choose(ctx)`` — adds the counsellor to measure.py's ``Context``.
- ``pages(Page)`` — the caseload pages to time, as measure.py ``Page`` rows.
- ``main()`` — times ``alerts.compute`` for the caseload of a regisseur with ~150 participants (median of 30),
  and ``koers tick`` over the whole population (a dry run, then a real run with e-mail kept in memory), and
  prints a table.

    python bench/signals.py [--prepare-only] [--runs 30]      # (in run.py's bench_env(), after prepare)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

BENCH_SUMMARY = "Gen-Bench contact"
TARGET_COMPUTE_MS = 150
TARGET_TICK_S = 60
CASELOAD = 150


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ.setdefault("KOERS_TESTING", "1")
    import django

    django.setup()


def prepare(seed: int = 1, *, verbose: bool = True) -> int:
    """Add contacts, action items and counsellors for the signals; returns the number of contacts added."""
    from django.db import transaction
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils import timezone

    from koers.casework.models import ActionItem, Contact
    from koers.core.codes import Phase, Role
    from koers.core.models import User
    from koers.participants.models import Membership, Participant
    from koers.synthetic.population import bulk_insert

    # Generated staff have no e-mail address: give them one, so that koers tick really composes and sends.
    User.objects.filter(email="", username__startswith="gen-").update(
        email=Concat("username", Value("@example.invalid"))
    )
    if Contact.objects.filter(summary=BENCH_SUMMARY).exists():
        if verbose:
            print("Signalen: bench-contacten bestaan al; niets toegevoegd.")
        return 0
    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    regisseur_of = {}
    for user_id, org_id in User.objects.filter(roles__role=Role.REGISSEUR).values_list("id", "organisation_id"):
        regisseur_of.setdefault(org_id, user_id)
    contacts, items = [], []
    added = 0
    rows = Participant.objects.exclude(phase=Phase.AFGESLOTEN).values_list("id", "regie_organisation_id",
                                                                           "regisseur_id")
    with transaction.atomic():
        for pid, org_id, regisseur_id in rows.iterator(chunk_size=5000):
            author = regisseur_id or regisseur_of.get(org_id)
            if author is None:
                continue
            n = 0 if rng.random() < 0.2 else rng.randint(1, 4)
            for _ in range(n):
                contacts.append(Contact(
                    participant_id=pid, kind="gesprek", duration_minutes=30, organisation_id=org_id,
                    happened_at=now - dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8)),
                    summary=BENCH_SUMMARY, recorded_by_id=author, recorded_at=now,
                ))
            if rng.random() < 0.15:
                items.append(ActionItem(
                    participant_id=pid, owner_organisation_id=org_id, title="Gen-Bench actiepunt",
                    due_date=today + dt.timedelta(days=rng.randint(-20, 40)), created_by_id=author, created_at=now,
                ))
            if len(contacts) >= 5000:
                bulk_insert(Contact, contacts)
                added += len(contacts)
                contacts.clear()
        bulk_insert(Contact, contacts)
        added += len(contacts)
        bulk_insert(ActionItem, items)
        # Each case worker of a partner becomes the counsellor of (at most) 150 of its active memberships.
        counsellors: dict[int, list[int]] = {}
        for user_id, org_id in User.objects.filter(
            roles__role__in=[Role.BEGELEIDER, Role.JOBCOACH, Role.BRUGGENBOUWER]
        ).order_by("id").values_list("id", "organisation_id"):
            counsellors.setdefault(org_id, []).append(user_id)
        for org_id, user_ids in counsellors.items():
            ids = list(Membership.objects.active().filter(organisation_id=org_id, counsellor__isnull=True)
                       .order_by("id").values_list("id", flat=True)[:CASELOAD * len(user_ids)])
            for n, user_id in enumerate(user_ids):
                Membership.objects.filter(pk__in=ids[n * CASELOAD:(n + 1) * CASELOAD]).update(counsellor_id=user_id)
    if verbose:
        print(f"Signalen: {_n(added)} contacten en {_n(len(items))} actiepunten toegevoegd, begeleiders gekoppeld "
              f"bij {len(counsellors)} organisaties ({time.perf_counter() - started:.1f} s).")
    return added


def choose(ctx) -> None:
    """The counsellor with the biggest caseload, for the pages."""
    from django.db.models import Count

    from koers.core.models import User

    counsellor = (
        User.objects.filter(counselled_memberships__ended_at__isnull=True)
        .annotate(n=Count("counselled_memberships")).order_by("-n").first()
    )
    if counsellor is not None:
        ctx.users["begeleider"] = counsellor


def pages(Page) -> list:
    return [
        Page("caseload", "regisseur", "casework:caseload"),
        Page("caseload alleen signalen", "regisseur", "casework:caseload", params=lambda c: {"alleen_signalen": "on"}),
        Page("caseload signaal=geen_contact", "regisseur", "casework:caseload",
             params=lambda c: {"signaal": "geen_contact"}),
        Page("team caseload", "regisseur", "casework:team_caseload", target=None),
        Page("caseload", "begeleider", "casework:caseload"),
    ]


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--no-tick", action="store_true", help="koers tick niet meten")
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from koers.casework.management.commands import tick
    from koers.casework.queries import alerts, caseload
    from koers.core.codes import OrganisationKind, Role
    from koers.core.models import User
    from koers.participants.models import Participant

    prepare()
    if args.prepare_only:
        return 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    regisseur = (
        User.objects.filter(roles__role=Role.REGISSEUR, organisation__kind=OrganisationKind.GEMEENTE)
        .annotate(n=Count("directed_participants")).order_by("-n").first()
    )
    people = list(caseload.caseload_queryset(regisseur).only(*caseload.ROW_FIELDS))
    rows = []
    alerts.compute(people)
    with CaptureQueriesContext(connection) as queries:
        found = alerts.compute(people)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        alerts.compute(people)
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _ms(timings)
    total = sum(len(v) for v in found.values())
    rows.append([f"alerts.compute caseload ({len(people)} deelnemers, {total} signalen)", f"{median:.1f} ms",
                 f"{p95:.1f} ms", str(len(queries)), "ok" if median < TARGET_COMPUTE_MS else "TE TRAAG"])
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        caseload.caseload(regisseur)
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _ms(timings)
    rows.append(["caseload.caseload (query + grants + signalen)", f"{median:.1f} ms", f"{p95:.1f} ms", "",
                 "ok" if median < TARGET_COMPUTE_MS else "TE TRAAG"])
    if not args.no_tick:
        total = Participant.objects.count()
        for label, dry in (("koers tick --dry-run", True), ("koers tick (eerste run van de dag)", False)):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = tick.run(dry_run=dry)
                seconds = time.perf_counter() - started
            rows.append([f"{label}: {_n(result.participants)} van {_n(total)} deelnemers, {_n(result.signals)} "
                         f"signalen, {_n(result.escalated)} escalaties, {_n(result.mails)} mails", f"{seconds:.1f} s",
                         "", str(len(queries)),
                         "ok" if seconds < TARGET_TICK_S else "TE TRAAG"])
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    header = ["meting", "mediaan/tijd", "p95", "queries", "doel"]
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(f"\nDoel: signalen van een caseload van 150 < {TARGET_COMPUTE_MS} ms mediaan; koers tick voor 100.000 "
          f"deelnemers < {TARGET_TICK_S} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
