"""Time Koers pages with Django's test client on a generated database (run by bench/run.py).

Each page of ``PAGES`` is requested ``--warmup`` times, once more to count the database queries
(``CaptureQueriesContext``), then ``--requests`` times with a stopwatch. Pages whose URL does not exist
(yet) are listed as missing, so the table grows with the application. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
os.environ.setdefault("KOERS_TESTING", "1")
os.environ.setdefault("KOERS_REQUIRE_2FA", "0")
os.environ.setdefault("KOERS_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from koers.core import access  # noqa: E402
from koers.core.codes import OrganisationKind, Role  # noqa: E402
from koers.core.models import Organisation, User  # noqa: E402
from koers.participants.models import Membership, Participant  # noqa: E402
from koers.synthetic.population import GEN_PREFIX  # noqa: E402

settings.KOERS_REQUIRE_2FA = False
if "testserver" not in settings.ALLOWED_HOSTS:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

TARGET_MEDIAN_MS = 100
TARGET_P95_MS = 250


@dataclass
class Context:
    """The people and ids the pages are requested with, chosen from the generated population."""

    users: dict[str, User] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    label: str
    user: str
    url_name: str
    kwargs: Callable[[Context], dict] = lambda ctx: {}
    params: Callable[[Context], dict] = lambda ctx: {}
    #: Targets in ms (median, p95); None: the issue sets none for this page (the figure is only reported).
    target: tuple[float, float] | None = (TARGET_MEDIAN_MS, TARGET_P95_MS)


#: The pages to time. Query parameters of the participant list: q, fase, status, regisseur, organisatie,
#: leerroute, taalniveau, page.
PAGES = [
    Page("healthz (referentie)", "regisseur", "healthz"),
    Page("lijst", "regisseur", "participants:list"),
    Page("lijst ?q=naam", "regisseur", "participants:list", params=lambda c: {"q": c.values["q"]}),
    Page(
        "lijst leerroute=b1 taalniveau=A1",
        "regisseur",
        "participants:list",
        params=lambda c: {"leerroute": "b1", "taalniveau": "A1"},
    ),
    Page(
        "lijst fase+status",
        "regisseur",
        "participants:list",
        params=lambda c: {"fase": "traject", "status": "asielstatushouder"},
    ),
    Page(
        "lijst eigen caseload",
        "regisseur",
        "participants:list",
        params=lambda c: {"regisseur": c.users["regisseur"].pk},
    ),
    Page(
        "lijst organisatie=taalaanbieder",
        "regisseur",
        "participants:list",
        params=lambda c: {"organisatie": c.values["taal_org"]},
    ),
    Page(
        "lijst combinatie + q",
        "regisseur",
        "participants:list",
        params=lambda c: {"q": c.values["q"], "fase": "traject", "leerroute": "b1"},
    ),
    Page("lijst pagina 200", "regisseur", "participants:list", params=lambda c: {"page": 200}),
    Page("detail", "regisseur", "participants:detail", kwargs=lambda c: {"pk": c.values["regie_pk"]}),
    Page("lijst", "taaldocent", "participants:list"),
    Page("lijst ?q=naam", "taaldocent", "participants:list", params=lambda c: {"q": c.values["q"]}),
    Page("lijst taalniveau=A2", "taaldocent", "participants:list", params=lambda c: {"taalniveau": "A2"}),
    Page("detail", "taaldocent", "participants:detail", kwargs=lambda c: {"pk": c.values["partner_pk"]}),
]


def choose_context() -> Context:
    ctx = Context()
    biggest = (
        Organisation.objects.filter(name__startswith=GEN_PREFIX, kind=OrganisationKind.GEMEENTE)
        .annotate(n=Count("regie_participants"))
        .order_by("-n")
        .first()
    )
    if biggest is None:
        sys.exit("Geen gegenereerde populatie gevonden: draai eerst `koers generate` (bench/run.py doet dat).")
    regisseur = User.objects.filter(organisation=biggest, roles__role=Role.REGISSEUR).order_by("id").first()
    participant = Participant.objects.filter(regisseur=regisseur).order_by("id").first()
    membership = (
        Membership.objects.active()
        .filter(participant__regie_organisation=biggest, organisation__kind=OrganisationKind.TAALAANBIEDER)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    taaldocent = User.objects.filter(organisation=membership.organisation, roles__role=Role.TAALDOCENT).first()
    ctx.users = {"regisseur": regisseur, "taaldocent": taaldocent}
    ctx.values = {
        "municipality": biggest,
        "q": participant.name.split()[0].lower(),
        "regie_pk": participant.pk,
        "partner_pk": membership.participant_id,
        "taal_org": membership.organisation_id,
    }
    return ctx


def _attendance_pages():
    """The attendance benchmark's pages (bench/attendance.py), when its data were prepared."""
    import attendance as attendance_bench  # bench/ is on sys.path: this file runs as a script

    PAGES.extend(attendance_bench.pages(Page))
    return attendance_bench


def _signals_pages():
    """The caseload pages of the signals benchmark (bench/signals.py), once its data were prepared."""
    import signals as signals_bench  # bench/signals.py (bench/ is on sys.path)

    PAGES.extend(signals_bench.pages(Page))
    return signals_bench


def _matching_pages():
    """The matching pages of the matching benchmark (bench/matching.py), once its data were prepared."""
    import matching as matching_bench  # bench/matching.py (bench/ is on sys.path)

    PAGES.extend(matching_bench.pages(Page))
    return matching_bench


def _portal_pages():
    """Mijn Koers home, week and plan of a participant (bench/portal.py)."""
    import portal as portal_bench  # bench/portal.py (bench/ is on sys.path)

    PAGES.extend(portal_bench.pages(Page))
    return portal_bench


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def measure(page: Page, ctx: Context, clients: dict[str, Client], requests: int, warmup: int) -> list[str]:
    user = page.user
    try:
        url = reverse(page.url_name, kwargs=page.kwargs(ctx) or None)
    except NoReverseMatch:
        return [page.label, user, "ontbreekt", "", "", "", ""]
    params = page.params(ctx)
    client = clients[user]
    response = None
    for _ in range(warmup):
        response = client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    queries = len(captured)  # read now: the next request resets the connection's query log
    if response.status_code != 200:
        return [page.label, user, f"HTTP {response.status_code}", "", "", str(queries), ""]
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    p95 = percentile(timings, 95)
    if page.target is None:
        verdict = "geen doel"
    else:
        verdict = "ok" if median < page.target[0] and p95 < page.target[1] else "TE TRAAG"
    return [
        page.label,
        user,
        f"{median:.1f}",
        f"{p95:.1f}",
        str(queries),
        f"{len(response.content) // 1024}",
        verdict,
    ]


def table(rows: list[list[str]]) -> str:
    header = ["pagina", "gebruiker", "mediaan ms", "p95 ms", "queries", "kB", "doel"]
    rows = [header, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    numeric = {2, 3, 4, 5}
    lines = []
    for n, row in enumerate(rows):
        cells = [c.rjust(widths[i]) if i in numeric and n else c.ljust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="time only the pages whose label contains this text")
    args = parser.parse_args()

    ctx = choose_context()
    from django.apps import apps

    if apps.get_model("activities", "Attendance").objects.exists():
        _attendance_pages().choose(ctx)
    if apps.get_model("casework", "Contact").objects.filter(summary="Gen-Bench contact").exists():
        _signals_pages().choose(ctx)
    if apps.get_model("work", "Employer").objects.filter(name__startswith="Gen-Bench").exists():
        _matching_pages().choose(ctx)
    _portal_pages().choose(ctx)
    clients = {}
    for key, user in ctx.users.items():
        client = Client()
        client.force_login(user)
        clients[key] = client
    total = Participant.objects.count()
    print(f"Deelnemers in de database: {total:,}".replace(",", "."))
    print(f"Grootste gemeente: {ctx.values['municipality'].name}")
    for key, user in ctx.users.items():
        visible = access.visible_participants(user).count()
        if user.is_participant:
            print(f"  {key:<10} {user.username} (Mijn Koers van deelnemer {ctx.values['portal_participant']})")
            continue
        print(f"  {key:<10} {user.username} ({user.organisation.name}) ziet {visible:,} deelnemers".replace(",", "."))
    print(f"Zoekterm q={ctx.values['q']!r}; {args.warmup} opwarm- en {args.requests} meetverzoeken per pagina.")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} cores"
    )
    print()
    rows = [measure(page, ctx, clients, args.requests, args.warmup) for page in PAGES if args.only in page.label]
    print(table(rows))
    print()
    print(
        f"Doel: mediaan < {TARGET_MEDIAN_MS} ms en p95 < {TARGET_P95_MS} ms per pagina, tenzij de pagina een eigen doel"
        " heeft (matching: mediaan); 'geen doel': het issue noemt er geen (test client, geen netwerk)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
