"""``koers demo``'s one loader: every part of the demo world, in order, in one transaction.

1. ``world``: organisations and staff;
2. ``participants``: the four case journeys and the drawn caseload;
3. ``activities``: group programmes, the case journeys' activities, sessions and attendance;
3a. ``portal``: Olena (a Ukrainian newcomer, in a course of step 3, before the parts that give every file its
    contacts and plan) and the Mijn Koers accounts of Heba, Nahom and Olena;
4. ``plans``: plans in versions and integration records;
5. ``casework``: contacts, counsellors, action items, case meetings and a warm handover;
6. ``work``: employers, openings, company visits and work profiles;
7. ``placements``: the case journeys' jobs with aftercare, and a few placements of the drawn caseload;
8. ``monitoring``: programmes, projects and trajectories (NBNB imported, Rivierstad Werkt native);
9. ``portal.load_messages`` and ``load_appointments``: Heba's and Nahom's conversations in Mijn Koers (after
   casework: they are contacts) and their planned appointments;
10. last, ``participants.load_household``: Heba's husband, just registered, linked with her as one household.

A part reads what the earlier parts wrote (by natural keys and fixed rules, never by id) and writes only what is
missing, so loading twice changes nothing. Each part receives the ``world.Loader``, which counts what was created.
"""

from __future__ import annotations

from django.db import transaction

from koers.demo import activities, casework, monitoring, participants, placements, plans, portal, work, world

PARTS = (world, participants, activities, portal, plans, casework, work, placements, monitoring)


def load() -> dict[str, int]:
    """Create whatever of the demo data is missing. Returns the number of rows created per kind."""
    loader = world.Loader()
    with transaction.atomic():
        for part in PARTS:
            part.load(loader)
        portal.load_messages(loader)  # after casework, which gives a file contacts only when it has none
        portal.load_appointments(loader)
        participants.load_household(loader)  # last: a new participant must not shift the earlier parts' choices
    return loader.created
