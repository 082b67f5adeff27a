"""The monitoring demo: the NBNB programme (imported, 8 projects, 395 trajectories, targets with rationales, an
intervention logic per project) and Rivierstad Werkt (native trajectories, outcomes from closures, follow-ups with
one overdue and one proposal); loading twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.casework.queries import caseload
from koers.core.codes import Outcome
from koers.core.models import User
from koers.demo import monitoring as demo
from koers.monitoring.models import FollowUp, ImportRun, Programme, Project, ProjectTarget, Trajectory
from koers.synthetic import nbnb
from koers.work.models import Closure, Placement

MODELS = [Programme, Project, ProjectTarget, Trajectory, FollowUp, ImportRun, Closure, Placement]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    call_command("demo", "--force", stdout=StringIO())
    assert counts() == before
    assert demo.load() == {}
    assert counts() == before


def test_the_nbnb_programme_is_imported_with_its_projects_and_participants(loaded):
    programme = Programme.objects.get(code="nbnb")
    assert programme.owner.name == "Gemeente Rivierstad"
    assert programme.funder == nbnb.PROGRAMME["funder"]
    assert programme.projects.count() == 8
    assert programme.trajectories.count() == 395
    assert not programme.trajectories.exclude(source="import").exists()
    assert not programme.trajectories.filter(extern_id="").exists()
    for project in programme.projects.all():
        assert project.duration and project.intensity and project.instruments and project.mechanisms
        assert project.entry_point != "onbekend" and project.intermediate_goals
        assert project.targets.exists() and not project.targets.filter(rationale="").exists()
    rc = programme.projects.get(code="rc")
    assert rc.targets.get(outcome=Outcome.BETAALD_WERK).count == 100
    assert rc.trajectories.filter(outcome=Outcome.BETAALD_WERK).count() == nbnb.OUTFLOW["betaald_werk"][3]


def test_rivierstad_werkt_has_native_trajectories_with_outcomes_and_follow_ups(loaded):
    today = timezone.localdate()
    programme = Programme.objects.get(code=demo.OWN_CODE)
    assert programme.projects.count() == 3
    assert {p.organisation.name for p in programme.projects.all()} >= {"Werkkracht Re-integratie",
                                                                       "De Schakel, kringloop en atelier"}
    native = programme.trajectories.all()
    assert native.count() > 40 and not native.filter(participant__isnull=True).exists()
    for name in ("Nahom Tesfamariam", "Ammar Darwish", "Nabil Mansour"):
        assert native.filter(participant__name=name).exists()
    ended = native.exclude(outcome="")
    assert ended.count() >= 3 and ended.filter(outcome=Outcome.BETAALD_WERK).exclude(job_title="").exists()
    overdue = FollowUp.objects.filter(status="open", due_on__lt=today)
    assert overdue.count() == 1
    assert FollowUp.objects.filter(prefill="ja").exists()
    # The overdue follow-up is a signal on Ingrid Bakker's caseload.
    ingrid = User.objects.get(username="regisseur")
    participant = overdue.get().trajectory.participant
    assert participant.regisseur == ingrid
    row = next(r for r in caseload.caseload(ingrid).rows if r.participant.pk == participant.pk)
    assert "vervolgmeting_te_laat" in [s.code for s in row.signals]
