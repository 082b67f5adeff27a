"""No lost updates on the participant file: two tabs open the same section, the second save is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from koers.participants.models import Participant

pytestmark = pytest.mark.django_db


def edit_url(p, section):
    return reverse("participants:edit_section", kwargs={"pk": p.pk, "section": section})


def version_in(page: str) -> str:
    match = re.search(r'name="version" value="([^"]*)"', page)
    assert match, "the form carries no version"
    return match.group(1)


def tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def trajectory(world, phase: str, version: str) -> dict:
    return {"phase": phase, "regisseur": world.regisseur.pk, "migration_status": "onbekend",
            "integration_obliged": "onbekend", "settled_on": "", "version": version}


def test_second_save_of_a_section_is_refused_with_what_changed(world):
    a, b = tab(world.regisseur), tab(world.regisseur)
    page = edit_url(world.participant, "traject")
    version_a = version_in(a.get(page).content.decode())
    version_b = version_in(b.get(page).content.decode())
    assert version_a == version_b

    assert b.post(page, trajectory(world, "intake", version_b)).status_code == 302
    response = a.post(page, trajectory(world, "traject", version_a))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen: iemand anders was u voor" in html
    assert "fase van ‘Aanmelding’ naar ‘Intake’" in html  # the change, old → new
    assert "Rita" in html  # who made it
    assert Participant.objects.get(pk=world.participant.pk).phase == "intake"  # nothing overwritten
    assert 'value="traject" checked' in html or 'value="traject" selected' in html or "traject" in html

    # The form came back with the user's input and the current version: saving again is a deliberate overwrite.
    again = version_in(html)
    assert again != version_a
    assert a.post(page, trajectory(world, "traject", again)).status_code == 302
    assert Participant.objects.get(pk=world.participant.pk).phase == "traject"


def test_a_save_after_reloading_the_form_works(world):
    a, b = tab(world.regisseur), tab(world.regisseur)
    page = edit_url(world.participant, "traject")
    stale = version_in(a.get(page).content.decode())
    b.post(page, trajectory(world, "intake", version_in(b.get(page).content.decode())))
    assert a.post(page, trajectory(world, "traject", stale)).status_code == 200
    fresh = version_in(a.get(page).content.decode())
    assert a.post(page, trajectory(world, "traject", fresh)).status_code == 302
    assert Participant.objects.get(pk=world.participant.pk).phase == "traject"


def test_a_change_to_another_section_does_not_make_this_one_stale(world):
    a, b = tab(world.regisseur), tab(world.regisseur)
    version_a = version_in(a.get(edit_url(world.participant, "traject")).content.decode())
    income = edit_url(world.participant, "inkomen")
    assert b.post(income, {"benefit": "ja", "version": version_in(b.get(income).content.decode())}).status_code == 302
    assert a.post(edit_url(world.participant, "traject"), trajectory(world, "intake", version_a)).status_code == 302
    p = Participant.objects.get(pk=world.participant.pk)
    assert (p.phase, p.benefit) == ("intake", "ja")


def test_a_tampered_version_is_refused_not_an_error(world):
    a = tab(world.regisseur)
    response = a.post(edit_url(world.participant, "traject"), trajectory(world, "intake", "x" * 500))
    assert response.status_code == 200
    assert "Niet opgeslagen" in response.content.decode()
    assert Participant.objects.get(pk=world.participant.pk).phase == "aanmelding"


def test_second_barriers_save_is_refused_and_health_changes_stay_hidden(world):
    page = edit_url(world.participant, "belemmeringen")
    a, b = tab(world.regisseur), tab(world.regisseur)
    version_a = version_in(a.get(page).content.decode())
    version_b = version_in(b.get(page).content.decode())
    assert b.post(page, {"barrier_status": "wel", "barriers": ["kinderopvang"], "version": version_b}).status_code \
        == 302
    response = a.post(page, {"barrier_status": "geen", "version": version_a})
    html = response.content.decode()
    assert response.status_code == 200 and "Niet opgeslagen" in html
    assert "belemmering geen kinderopvang" in html and "Rita" in html
    p = Participant.objects.get(pk=world.participant.pk)
    assert p.barrier_status == "wel" and list(p.barriers.values_list("code", flat=True)) == ["kinderopvang"]
    # Saving again on purpose works.
    assert a.post(page, {"barrier_status": "geen", "version": version_in(html)}).status_code == 302
    assert Participant.objects.get(pk=world.participant.pk).barrier_status == "geen"


def test_a_health_barrier_added_meanwhile_neither_blocks_nor_shows_for_a_partner_without_health_access(world):
    page = edit_url(world.participant, "belemmeringen")
    teacher = tab(world.taaldocent)
    response = teacher.get(page)
    if response.status_code == 404:  # the teacher may not edit barriers at all: nothing to check here
        return
    version_t = version_in(response.content.decode())
    regisseur = tab(world.regisseur)
    regisseur.post(page, {"barrier_status": "wel", "barriers": ["psychische_gezondheid"],
                          "version": version_in(regisseur.get(page).content.decode())})
    html = teacher.post(page, {"barrier_status": "wel", "barriers": ["kinderopvang"], "version": version_t}) \
        .content.decode()
    assert "psychisch" not in html.lower()


def test_an_intake_step_refuses_a_stale_save_of_a_file_section(world):
    """The intake writes file sections through the same services: a change from the file meanwhile is not lost."""
    from koers.core.access import grant_for
    from koers.participants.services import intake as intake_services

    obj, _ = intake_services.start_intake(world.regisseur, world.participant, grant_for(world.regisseur,
                                                                                        world.participant))
    step = reverse("participants:intake_step", kwargs={"pk": world.participant.pk, "intake_id": obj.pk,
                                                       "step": "inkomen"})
    a, b = tab(world.regisseur), tab(world.regisseur)
    version_a = version_in(a.get(step).content.decode())
    income = edit_url(world.participant, "inkomen")
    assert b.post(income, {"benefit": "ja", "version": version_in(b.get(income).content.decode())}).status_code == 302
    response = a.post(step, {"benefit": "nee", "action": "verder", "version": version_a})
    html = response.content.decode()
    assert response.status_code == 200 and "Niet opgeslagen" in html
    assert Participant.objects.get(pk=world.participant.pk).benefit == "ja"
    assert a.post(step, {"benefit": "nee", "action": "verder", "version": version_in(html)}).status_code == 302
    assert Participant.objects.get(pk=world.participant.pk).benefit == "nee"


def test_intake_conversation_and_domain_notes_are_not_overwritten_by_a_stale_tab(world):
    from django.utils import timezone

    from koers.core.access import grant_for
    from koers.participants.models import IntakeDomain
    from koers.participants.queries import intake as intake_queries
    from koers.participants.services import intake as intake_services

    obj, _ = intake_services.start_intake(world.regisseur, world.participant, grant_for(world.regisseur,
                                                                                        world.participant))

    def step(slug):
        return reverse("participants:intake_step", kwargs={"pk": world.participant.pk, "intake_id": obj.pk,
                                                           "step": slug})

    a, b = tab(world.regisseur), tab(world.regisseur)
    conversation = {"held_on": timezone.localdate().isoformat(), "location": "", "co_interviewer": "",
                    "action": "later"}
    version_a = version_in(a.get(step("gesprek")).content.decode())
    assert b.post(step("gesprek"), {**conversation, "home_visit": "on",
                                    "version": version_in(b.get(step("gesprek")).content.decode())}).status_code == 302
    response = a.post(step("gesprek"), {**conversation, "version": version_a})
    assert response.status_code == 200 and "Niet opgeslagen" in response.content.decode()
    obj.refresh_from_db()
    assert obj.home_visit

    domains = next(s for s in intake_queries.steps_for(grant_for(world.regisseur,
                                                                 world.participant)) if s.kind == "domains")
    code = domains.domains[0]
    page_a = a.get(step(domains.slug)).content.decode()
    page_b = b.get(step(domains.slug)).content.decode()
    version_a = re.search(rf'name="{code}-version" value="([^"]*)"', page_a).group(1)
    version_b = re.search(rf'name="{code}-version" value="([^"]*)"', page_b).group(1)
    assert b.post(step(domains.slug), {f"{code}-situation": "Woont sinds kort in Rivierstad",
                                       f"{code}-version": version_b, "action": "later"}).status_code == 302
    response = a.post(step(domains.slug), {f"{code}-situation": "Iets anders", f"{code}-version": version_a,
                                           "action": "later"})
    html = response.content.decode()
    assert response.status_code == 200 and "Niet opgeslagen" in html and "Woont sinds kort in Rivierstad" in html
    assert IntakeDomain.objects.get(intake=obj, domain=code).situation == "Woont sinds kort in Rivierstad"
    fresh = re.search(rf'name="{code}-version" value="([^"]*)"', html).group(1)
    assert a.post(step(domains.slug), {f"{code}-situation": "Iets anders", f"{code}-version": fresh,
                                       "action": "later"}).status_code == 302
    assert IntakeDomain.objects.get(intake=obj, domain=code).situation == "Iets anders"
