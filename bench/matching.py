"""Matching benchmark (issue 5: "supply-led ranking over 5,000 openings under 300 ms; demand-led ranking over
100,000 participants under 2 s").

Plugs into the existing harness (run.py prepares the database, measure.py times pages), like signals.py:

- ``prepare(seed=1)`` — run once on the generated database (idempotent: it stops when bench employers exist).
  Adds four certificates, three postcode areas per generated municipality (the generated participants have a
  municipality but no postcode, so distances come from the municipality fallback), 250 employers ("Gen-Bench
  ...") with 5,000 open openings (random sector, kind, hours, dagdelen, language requirements, a certificate for
  a third, a driving licence for a tenth) and a work profile for a fifth of the participants.
- ``choose(ctx)`` — adds the bench opening to measure.py's ``Context``.
- ``pages(Page)`` — the two matching pages to time, as measure.py ``Page`` rows.
- ``main()`` — times, median of ``--runs``: supply-led ranking of all open openings for one participant;
  demand-led ranking for the regisseur of the biggest municipality (everyone they may see); and the demand-led
  pipeline (load with ``values()``, grants, work data, score, sort) over *all* participants in the database, the
  100,000 of the issue. Prints a table; asserts nothing.

    python bench/matching.py [--prepare-only] [--runs 10]      # (in run.py's bench_env(), after prepare)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

BENCH_PREFIX = "Gen-Bench"
OPENINGS = 5_000
EMPLOYERS = 250
TARGET_SUPPLY_MS = 300
TARGET_DEMAND_MS = 2_000
TITLES = [
    ("Productiemedewerker", "C", "Inpakken en controleren van producten aan de lopende band"),
    ("Magazijnmedewerker", "H", "Orderpicken, laden en lossen, heftruck rijden"),
    ("Schoonmaker", "N", "Schoonmaken van kantoren in de ochtend"),
    ("Afwasser", "I", "Afwassen en keuken schoonhouden"),
    ("Kok", "I", "Koken in een restaurantkeuken"),
    ("Helpende zorg en welzijn", "Q", "Ondersteunen van bewoners bij dagelijkse activiteiten"),
    ("Monteur", "F", "Installatiewerk en onderhoud"),
    ("Verkoopmedewerker", "G", "Klanten helpen en vakken vullen"),
    ("Lasser", "C", "Lassen van frames in de metaalbewerking"),
    ("Medewerker groenonderhoud", "A", "Maaien, snoeien en schoffelen"),
]
KINDS = ["betaald_werk", "betaald_werk", "proefplaatsing", "werkervaringsplaats", "stage", "leerwerkplek"]
CERTIFICATES = [("vca", "VCA"), ("heftruck", "Heftruckcertificaat"), ("haccp", "HACCP"), ("bhv", "BHV")]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ.setdefault("KOERS_TESTING", "1")
    import django

    django.setup()


def prepare(seed: int = 1, *, verbose: bool = True) -> int:
    """Add employers, openings, postcode areas and work profiles; returns the number of openings added."""
    from django.db import transaction
    from django.db.models import Count

    from koers.core.codes import DAGDELEN, OrganisationKind, Role
    from koers.core.models import Organisation, User
    from koers.participants.models import Participant
    from koers.synthetic.population import GEN_PREFIX
    from koers.work.models import Certificate, Employer, Opening, PostcodeArea, WorkProfile

    if Employer.objects.filter(name__startswith=BENCH_PREFIX).exists():
        if verbose:
            print("Matching: bench-werkgevers bestaan al; niets toegevoegd.")
        return 0
    started = time.perf_counter()
    rng = random.Random(seed)
    munis = list(
        Organisation.objects.filter(name__startswith=GEN_PREFIX, kind=OrganisationKind.GEMEENTE)
        .annotate(n=Count("regie_participants")).order_by("-n", "pk")
    )
    if not munis:
        sys.exit("Geen gegenereerde populatie gevonden: draai eerst `koers generate` (bench/run.py doet dat).")
    biggest = munis[0]
    creator = User.objects.filter(organisation=biggest, roles__role=Role.REGISSEUR).order_by("pk").first()
    with transaction.atomic():
        certs = [Certificate.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in CERTIFICATES]
        taken = set(PostcodeArea.objects.values_list("postcode4", flat=True))
        areas, number = [], 1000
        for org in munis:
            lat, lon = rng.uniform(51.0, 53.2), rng.uniform(4.0, 6.8)
            for _ in range(3):
                while str(number) in taken:
                    number += 1
                taken.add(str(number))
                areas.append(PostcodeArea(postcode4=str(number), latitude=lat + rng.uniform(-0.05, 0.05),
                                          longitude=lon + rng.uniform(-0.05, 0.05),
                                          municipality=org.municipality or org.name))
        PostcodeArea.objects.bulk_create(areas, batch_size=1000)
        postcodes = [a.postcode4 for a in areas]
        employers = Employer.objects.bulk_create([
            Employer(name=f"{BENCH_PREFIX} werkgever {i:04d}", organisation=biggest, sector=TITLES[i % len(TITLES)][1],
                     city=(munis[i % len(munis)].municipality or "Onbekend"),
                     postcode=f"{postcodes[i % len(postcodes)]} AB")
            for i in range(EMPLOYERS)
        ])
        dagdelen = [c for c, _ in DAGDELEN[:15]]
        openings = []
        for i in range(OPENINGS):
            title, sector, tasks = rng.choice(TITLES)
            reqs = {f"req_{s}": rng.choice(["", "", "A1", "A2", "B1"]) for s in ("spreken", "luisteren", "lezen",
                                                                                 "schrijven")}
            openings.append(Opening(
                employer=employers[i % EMPLOYERS], kind=rng.choice(KINDS), title=title, tasks=tasks, sector=sector,
                hours_per_week=rng.choice([None, 8, 16, 24, 32, 36, 40]),
                days=sorted(rng.sample(dagdelen, rng.randint(0, 4))), created_by=creator,
                driving_licence_required=rng.random() < 0.1, **reqs,
            ))
        openings = Opening.objects.bulk_create(openings, batch_size=1000)
        # The opening of the demand-led page: A2 speaking and VCA, as in the acceptance test.
        first = openings[0]
        first.title, first.req_spreken, first.days = "Productiemedewerker (bench)", "A2", []
        first.save(update_fields=["title", "req_spreken", "days"])
        through = Opening.certificates.through
        links = [through(opening_id=first.pk, certificate_id=certs[0].pk)]
        links += [through(opening_id=o.pk, certificate_id=rng.choice(certs).pk)
                  for o in openings[1:] if rng.random() < 0.33]
        through.objects.bulk_create(links, batch_size=2000)
        ids = list(Participant.objects.order_by("pk").values_list("pk", flat=True))
        chosen = [pid for pid in ids if rng.random() < 0.2]
        WorkProfile.objects.bulk_create([
            WorkProfile(participant_id=pid, driving_licence=rng.choice(["ja", "nee", "onbekend"]),
                        max_travel_km=rng.choice([None, 5, 10, 20, 40]),
                        excluded_sectors=rng.sample(["I", "N", "Q"], rng.randint(0, 1)))
            for pid in chosen
        ], batch_size=2000)
        profile_ids = dict(WorkProfile.objects.filter(participant_id__in=chosen).values_list("participant_id", "pk"))
        cert_through = WorkProfile.certificates.through
        cert_through.objects.bulk_create([
            cert_through(workprofile_id=profile_ids[pid], certificate_id=certs[0].pk)
            for pid in chosen if rng.random() < 0.4
        ], batch_size=2000)
    if verbose:
        print(f"Matching: {EMPLOYERS} werkgevers, {_n(OPENINGS)} vacatures, {_n(len(areas))} postcodegebieden en "
              f"{_n(len(chosen))} werkprofielen in {time.perf_counter() - started:.1f} s")
    return len(openings)


def _bench_opening():
    from koers.work.models import Opening

    return Opening.objects.filter(title="Productiemedewerker (bench)").select_related("employer").first()


def choose(ctx) -> None:
    opening = _bench_opening()
    if opening is not None:
        ctx.values["bench_opening"] = opening.pk


def pages(Page) -> list:
    return [
        # The targets are medians: demand-led < 2 s, supply-led (5,000 openings) < 300 ms.
        Page("kandidaten vacature (vraaggericht)", "regisseur", "work:opening_matches",
             kwargs=lambda c: {"pk": c.values["bench_opening"]}, target=(2000, float("inf"))),
        Page("passende vacatures (aanbodgericht)", "regisseur", "work:participant_matches",
             kwargs=lambda c: {"pk": c.values["regie_pk"]}, target=(300, float("inf"))),
    ]


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _timed(fn, runs: int) -> tuple[float, float, object, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = fn()
    queries = len(captured)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * len(ordered)))], result, queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args(argv)
    _setup_django()
    from django.db.models import Count

    from koers.core import access
    from koers.core.codes import OrganisationKind, Phase, Role
    from koers.core.models import User
    from koers.participants.models import Participant
    from koers.work.models import Opening, OpeningStatus
    from koers.work.queries import matching
    from koers.work.rules import matching as matching_rules

    prepare()
    if args.prepare_only:
        return 0
    regisseur = (
        User.objects.filter(roles__role=Role.REGISSEUR, organisation__kind=OrganisationKind.GEMEENTE)
        .annotate(n=Count("directed_participants")).order_by("-n").first()
    )
    participant = Participant.objects.filter(regisseur=regisseur).exclude(phase=Phase.AFGESLOTEN).order_by("pk").first()
    grant = access.grant_for(regisseur, participant)
    opening = _bench_opening()
    n_open = Opening.objects.filter(status=OpeningStatus.OPEN).count()
    n_visible = access.visible_participants(regisseur).count()
    n_all = Participant.objects.count()
    full = access.grant_from(regisseur.role_codes, True, ())

    def everyone():
        loaded = matching.candidates_from(Participant.objects.exclude(phase=Phase.AFGESLOTEN), lambda row: full)
        return matching_rules.rank_candidates(loaded.candidates, matching.job_for(opening), matching.load_locator())

    scenarios = [
        ("aanbodgericht: open vacatures voor 1 deelnemer", n_open, TARGET_SUPPLY_MS,
         lambda: matching.rank_openings(participant, grant)),
        (f"vraaggericht: zichtbaar voor {regisseur.username}", n_visible, TARGET_DEMAND_MS,
         lambda: matching.rank_participants(regisseur, opening)[0]),
        ("vraaggericht: alle deelnemers (pijplijn)", n_all, TARGET_DEMAND_MS, everyone),
    ]
    rows = [["scenario", "aantal", "mediaan ms", "p95 ms", "queries", "passend", "bijna", "doel"]]
    for label, n, target, fn in scenarios:
        median, p95, ranking, queries = _timed(fn, args.runs)
        rows.append([label, _n(n), f"{median:.0f}", f"{p95:.0f}", str(queries), _n(len(ranking.eligible)),
                     _n(len(ranking.near_misses)), "ok" if median < target else f"TE TRAAG (doel {target} ms)"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        cells = zip(row, widths, strict=True)
        print("  ".join(c.rjust(w) if 0 < j < 7 and i else c.ljust(w) for j, (c, w) in enumerate(cells)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nDoel: aanbodgericht < {TARGET_SUPPLY_MS} ms over {_n(OPENINGS)} vacatures; vraaggericht < "
          f"{TARGET_DEMAND_MS} ms over 100.000 deelnemers (mediaan van {args.runs}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
