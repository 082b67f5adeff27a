"""Language tests (issue 12, break 7): one form for the four skills with today's date filled in, and reaching a
milestone (A2 on a skill, or the leerroute's target) tells the regisseur through a caseload signal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.casework.queries import alerts
from koers.core.access import grant_for
from koers.core.codes import Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import make_user
from koers.participants.models import LanguageAssessment

pytestmark = pytest.mark.django_db


def form_url(p):
    return reverse("participants:add_assessment", kwargs={"pk": p.pk})


def post(client, p, **levels):
    data = {"tested_on": levels.pop("tested_on", timezone.localdate().isoformat()), "source": "toets",
            "instrument": "Voortgangstoets", **{f"level_{k}": v for k, v in levels.items()}}
    return client.post(form_url(p), data)


def test_one_form_for_four_skills_with_today_filled_in(world, client_for):
    page = client_for(world.taaldocent).get(form_url(world.participant)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    for skill in ("lezen", "luisteren", "schrijven", "spreken"):
        assert f'name="level_{skill}"' in page
    response = post(client_for(world.taaldocent), world.participant, lezen="A2", luisteren="A2", schrijven="A1",
                    spreken="B1")
    assert response.status_code == 302
    world.participant.refresh_from_db()
    p = world.participant
    assert (p.level_lezen, p.level_luisteren, p.level_schrijven, p.level_spreken) == ("A2", "A2", "A1", "B1")
    tests = LanguageAssessment.objects.filter(participant=p)
    assert tests.count() == 4 and {t.tested_on for t in tests} == {timezone.localdate()}
    assert {t.instrument for t in tests} == {"Voortgangstoets"}
    assert AuditEvent.objects.filter(participant_id=p.pk, action="aanmaken", category="taal_opleiding").count() == 4


def test_skills_left_out_are_not_recorded(world, client_for):
    assert post(client_for(world.taaldocent), world.participant, spreken="A2").status_code == 302
    assert list(LanguageAssessment.objects.values_list("skill", flat=True)) == ["spreken"]


def test_bad_input_gets_a_dutch_message_next_to_the_field_and_saves_nothing(world, client_for):
    client = client_for(world.taaldocent)
    page = post(client, world.participant).content.decode()
    assert "Vul voor minstens één vaardigheid het gemeten niveau in." in page
    assert 'id="id_level_lezen_error"' in page
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = post(client, world.participant, spreken="A2", tested_on=future).content.decode()
    assert "Deze datum ligt in de toekomst" in page and 'id="id_tested_on_error"' in page
    page = post(client, world.participant, spreken="onbekend").content.decode()
    assert "Kies een niveau uit de lijst" in page
    assert not LanguageAssessment.objects.exists()
    world.participant.refresh_from_db()
    assert world.participant.level_spreken == "onbekend"


def test_who_may_record_a_language_test(world, client_for):
    assert client_for(world.andere_regisseur).get(form_url(world.participant)).status_code == 404
    assert post(client_for(world.andere_regisseur), world.participant, spreken="A2").status_code == 404
    jobcoach = make_user(world.gemeente, Role.JOBCOACH, username="coach")  # may see language, not change it
    assert client_for(jobcoach).get(form_url(world.participant)).status_code == 404
    assert not LanguageAssessment.objects.exists()


def milestones(world, today=None):
    signals = alerts.for_participant(world.participant, grant_for(world.regisseur, world.participant), today=today)
    return [s for s in signals if s.code == "taalmijlpaal"]


def test_reaching_a2_and_the_leerroute_target_tells_the_regisseur(world, client_for):
    world.participant.learning_route = "b1"
    world.participant.save()
    client = client_for(world.taaldocent)
    earlier = (timezone.localdate() - timedelta(days=90)).isoformat()
    post(client, world.participant, spreken="A1", lezen="A1", tested_on=earlier)
    assert milestones(world) == []  # a first test measures a level, it does not reach one
    post(client, world.participant, spreken="A2", lezen="A1")
    [signal] = milestones(world)
    assert signal.label == "A2 behaald: spreken" and signal.category == "taal_opleiding"
    assert "spreken A2 (was A1)" in signal.why and "een mijlpaal" in signal.why
    detail = client_for(world.regisseur).get(reverse("participants:detail", kwargs={"pk": world.participant.pk}))
    assert "A2 behaald: spreken" in detail.content.decode()
    # The target of the B1-route, on two skills at once: one signal naming both.
    post(client, world.participant, lezen="B1", luisteren="A1")
    post(client, world.participant, luisteren="B1", tested_on=timezone.localdate().isoformat())
    labels = sorted(s.label for s in milestones(world))
    assert labels == ["A2 behaald: spreken", "B1 behaald: lezen, luisteren"]
    b1 = next(s for s in milestones(world) if s.label.startswith("B1"))
    assert "doelniveau van de leerroute" in b1.why
    # After 30 days the signal is gone by itself.
    assert milestones(world, today=timezone.localdate() + timedelta(days=31)) == []


def test_an_older_test_entered_later_raises_no_milestone(world, client_for):
    client = client_for(world.taaldocent)
    post(client, world.participant, spreken="A1", tested_on=(timezone.localdate() - timedelta(days=5)).isoformat())
    post(client, world.participant, spreken="A2", tested_on=(timezone.localdate() - timedelta(days=60)).isoformat())
    assert milestones(world) == []
