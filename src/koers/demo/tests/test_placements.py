"""``koers demo``: the case journeys' jobs with aftercare and the drawn placements (``koers.demo.placements``)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from koers.casework.queries import alerts
from koers.core.codes import Phase, PlacementKind
from koers.demo import placements as demo_placements
from koers.demo.world import Loader
from koers.participants.models import Participant
from koers.work.models import MatchStatus, Placement
from koers.work.queries import placements as placement_queries


def test_demo_placements_are_idempotent_and_ammars_contract_signals(db):
    call_command("demo", "--force", stdout=StringIO())
    loader = Loader()
    loader.organisations()
    loader.staff()
    created = demo_placements.load(loader)
    if not created:  # the demo loader already calls it
        assert Placement.objects.count() >= 5
    assert demo_placements.load(loader) == {}
    ammar = Participant.objects.get(name="Ammar Darwish")
    (job,) = ammar.placements.all()
    assert [t.contract_end for t in job.terms.all()][-1] == timezone.localdate() + timedelta(days=20)
    found = {s.code: s for s in alerts.compute([ammar])[ammar.pk]}
    assert found["contract_loopt_af"].label == "Contract loopt af over 20 dagen"
    # Nabil's BBL place is a proposal until the job interview: an open match, no placement yet.
    nabil = Participant.objects.get(name="Nabil Mansour")
    assert not nabil.placements.exists()
    proposal = nabil.matches.get()
    assert proposal.opening.kind == PlacementKind.LEERWERKPLEK and proposal.status == MatchStatus.VOORGESTELD
    nahom = Participant.objects.get(name="Nahom Tesfamariam").placements.get()
    assert placement_queries.current_term(nahom).hours_per_week == 38
    assert Placement.objects.filter(participant__phase=Phase.NAZORG).count() >= 3
