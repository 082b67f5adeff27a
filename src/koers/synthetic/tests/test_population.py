"""``koers generate``: a reproducible synthetic population that follows the pilot distributions."""

from __future__ import annotations

import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.core.access import visible_participants
from koers.core.codes import OrganisationKind, Role
from koers.core.models import Organisation, User
from koers.participants.models import LanguageAssessment, Membership, Participant, ParticipantBarrier
from koers.participants.validators import normalise_name
from koers.synthetic.population import CASELOAD, draw_person, fingerprint, generate

pytestmark = pytest.mark.django_db


def wipe() -> None:
    Participant.objects.all().delete()
    User.objects.all().delete()
    Organisation.objects.all().delete()


def run(*args: str) -> str:
    out = StringIO()
    call_command("generate", *args, stdout=out)
    return out.getvalue()


def test_same_seed_gives_the_same_population_and_another_seed_does_not():
    run("--participants", "300", "--seed", "7")
    assert Participant.objects.count() == 300
    first = fingerprint()
    wipe()
    run("--participants", "300", "--seed", "7")
    assert fingerprint() == first
    wipe()
    run("--participants", "300", "--seed", "8")
    assert fingerprint() != first


def test_draws_do_not_depend_on_the_day_or_the_database():
    a = [draw_person(random.Random(11)).fields for _ in range(3)]
    b = [draw_person(random.Random(11)).fields for _ in range(3)]
    assert a == b


def test_prints_a_summary():
    out = run("--participants", "120", "--seed", "1", "--organisations", "3", "--fingerprint")
    assert "Deelnemers:" in out and "120" in out
    assert "Controlegetal:" in out
    assert Organisation.objects.filter(name__startswith="Gen-gemeente ").count() == 3


def test_refuses_a_second_population_in_the_same_database():
    run("--participants", "10", "--seed", "1")
    with pytest.raises(CommandError, match="al een gegenereerde populatie"):
        run("--participants", "10", "--seed", "1")
    assert Participant.objects.count() == 10


def test_refuses_outside_test_demo_and_development_mode(settings):
    settings.DEMO_MODE = settings.TESTING = settings.DEBUG = False
    with pytest.raises(CommandError, match="echte database"):
        run("--participants", "10")
    assert Participant.objects.count() == 0


def test_population_follows_the_pilot_distributions():
    summary = generate(3000, seed=3)
    people = Participant.objects.all()
    n = people.count()
    assert n == summary.participants == 3000

    def share(field, *values):
        return people.filter(**{f"{field}__in": values}).count() / n

    assert 0.55 < share("gender", "man") < 0.75
    assert 0.55 < share("country_of_origin", "SY", "ER") < 0.75
    assert share("level_spreken", "A0", "A1") > 0.45
    assert 0.4 < share("barrier_status", "wel") < 0.6
    assert share("barrier_status", "niet_gevraagd") > 0.1 and share("barrier_status", "geen") > 0.2
    ages = Counter(18 <= p.age <= 67 for p in people.only("date_of_birth"))
    assert ages[False] <= n * 0.02  # a few turned 68 since the reference date
    assert 0.55 < sum(25 <= p.age <= 46 for p in people.only("date_of_birth")) / n < 0.8
    top_barriers = [
        code for code, _ in Counter(ParticipantBarrier.objects.values_list("code", flat=True)).most_common(2)
    ]
    assert set(top_barriers) == {"persoonlijke_sfeer", "psychische_gezondheid"}
    assert 1.3 < Membership.objects.count() / n < 1.7
    assert LanguageAssessment.objects.exists()


def test_caseloads_and_access_follow_the_organisations():
    generate(1000, seed=5, municipalities=3)
    for regisseur in User.objects.filter(roles__role=Role.REGISSEUR):
        assert regisseur.directed_participants.count() <= CASELOAD
        assert set(visible_participants(regisseur).values_list("pk", flat=True)) >= set(
            regisseur.directed_participants.values_list("pk", flat=True)
        )
    docent = User.objects.filter(roles__role=Role.TAALDOCENT).first()
    active = set(
        Membership.objects.active().filter(organisation=docent.organisation).values_list("participant_id", flat=True)
    )
    assert active and set(visible_participants(docent).values_list("pk", flat=True)) == active
    assert docent.organisation.kind == OrganisationKind.TAALAANBIEDER


def test_rows_read_back_through_the_orm():
    generate(50, seed=9)
    p = Participant.objects.order_by("id").first()
    assert p.name_search == normalise_name(p.name)
    assert isinstance(p.languages, list) and p.languages
    assert p.availability is None or isinstance(p.availability, list)
    assert p.created_at is not None and p.date_of_birth is not None
    m = Membership.objects.select_related("organisation").first()
    assert m.added_at is not None and m.scope_set
    assert m.scope_set <= {"identiteit", "traject", "taal_opleiding", "werk", "inkomen", "bijzonder"}
