"""Mijn Koers pages for ``bench/measure.py``: a participant's home and week in the generated population.

Issue 13: portal home and week for a participant in the 100,000-participant database, median < 50 ms. The
participant is the one of the biggest municipality with the most enrolments (the fullest week); their portal
account is made here once (the generated population has none), with an unusable password: the bench logs in
with ``force_login`` like the staff clients.
"""

from __future__ import annotations

from django.db.models import Count

PORTAL_USERNAME = "gen-bench-deelnemer"


def choose(ctx) -> None:
    from koers.core.models import User
    from koers.participants.models import Participant
    from koers.portal.models import PortalAccount

    participant = (Participant.objects.filter(regie_organisation=ctx.values["municipality"])
                   .annotate(n=Count("enrolments")).order_by("-n", "id").first())
    account = PortalAccount.objects.filter(participant=participant).select_related("user").first()
    if account is None:
        user = User.objects.filter(username=PORTAL_USERNAME).first()
        if user is None:
            user = User(username=PORTAL_USERNAME, is_participant=True)
            user.set_unusable_password()
            user.save()
        PortalAccount.objects.filter(user=user).delete()
        account = PortalAccount.objects.create(participant=participant, user=user, language="ar")
    ctx.users["deelnemer"] = account.user
    ctx.values["portal_participant"] = participant.pk


def pages(Page) -> list:
    return [
        Page("Mijn Koers: start", "deelnemer", "portal:home", target=(50, float("inf"))),
        Page("Mijn Koers: mijn week", "deelnemer", "portal:week", target=(50, float("inf"))),
        Page("Mijn Koers: mijn plan", "deelnemer", "portal:plan", target=None),
        Page("Mijn Koers: berichten", "deelnemer", "portal:messages", target=None),
        Page("Mijn Koers: portfolio", "deelnemer", "portal:portfolio", target=None),
    ]
