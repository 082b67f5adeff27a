"""``koers demo``'s one loader: the demo world, in order, in one transaction (idempotent: what exists is kept).

1. organisations, staff and participants — the four case journeys and a drawn caseload (``people``);
2. activities, groups, sessions and attendance (``activities``); plans and integration records (``plans``);
3. contacts, counsellors, action items, case meetings and a warm handover (``casework``);
4. employers, openings and matches (``work``); the case journeys' jobs with aftercare (``placements``);
5. programmes, projects and trajectories — NBNB imported, Rivierstad Werkt native (``monitoring``).

Each part receives the ``people.Loader`` (it counts what was created and finds people and staff by key).
"""

from __future__ import annotations

import random

from django.db import transaction

from koers.demo import activities, casework, monitoring, people, placements, plans, work


def load_demo() -> dict[str, int]:
    """Create whatever of the demo data is missing. Returns the number of rows created per kind."""
    loader = people.Loader()
    with transaction.atomic():
        loader.organisations()
        loader.staff()
        for case in people.CASES:
            loader.case(case)
        # The rest of the caseload, drawn with a fixed seed: the same people every time.
        rng = random.Random(people.DEMO_SEED)
        taken = {(c.fields["name"], c.fields["date_of_birth"]) for c in people.CASES}
        for i, person in enumerate(people.draw_caseload(rng, people.EXTRA_PARTICIPANTS, taken)):
            partners = people.draw_partners(rng, person.fields["phase"])
            loader.drawn(person, "gemeente", "regisseur" if i % 2 == 0 else "regisseur2", partners)
        for person in people.draw_caseload(rng, people.OTHER_MUNICIPALITY_PARTICIPANTS, taken):
            loader.drawn(person, "heuvelrand", "heuvelrand", [])
        activities.load(loader)
        plans.load(loader)
        casework.load(loader)
        work.load(loader)
        placements.load(loader)
        monitoring.load_demo(loader)
    return loader.created
