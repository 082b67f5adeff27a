"""Aftercare: check-ins, friction log, escalation to the regisseur, and the eindgesprek that alone closes it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem
from koers.core import access
from koers.core.codes import LifeDomain
from koers.work.models import AftercarePlan, CheckInWith, Topic
from koers.work.queries import aftercare as aftercare_queries
from koers.work.services import aftercare as aftercare_services
from koers.work.tests.placement_factories import place

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def grant(world):
    return access.grant_for(world.regisseur, world.participant)


def test_recording_a_check_in(world):
    p = place(world)
    week1 = p.aftercare.check_ins.first()
    done = aftercare_services.record_check_in(
        world.regisseur, world.participant, grant(world), p, week1.pk,
        aftercare_queries.CheckInData(date(2026, 3, 10), CheckInWith.SAMEN, [Topic.WERK, Topic.PRIVE], "Gaat goed."),
        today=TODAY)
    assert done.done_on == date(2026, 3, 10) and done.topics == "werk prive"
    assert done.topic_labels == ["Het werk zelf", "Privézaken (zoals toeslagen, kinderopvang, reizen)"]
    assert done.organisation == world.gemeente
    status = aftercare_queries.status(AftercarePlan.objects.get(pk=p.aftercare.pk), TODAY)
    assert status["done"] == 1 and status["next"].label == "Week 2"
    assert [c.label for c in status["overdue"]] == ["Week 2", "Maand 2"]


@pytest.mark.parametrize(("done_on", "with_whom", "notes", "field"), [
    (date(2026, 6, 2), CheckInWith.SAMEN, "x", "done_on"),  # in the future
    (date(2026, 3, 1), CheckInWith.SAMEN, "x", "done_on"),  # before the start
    (date(2026, 3, 10), "", "x", "with_whom"),
    (date(2026, 3, 10), CheckInWith.DEELNEMER, " ", "notes"),
])
def test_a_check_in_needs_date_with_whom_and_notes(world, done_on, with_whom, notes, field):
    p = place(world)
    week1 = p.aftercare.check_ins.first()
    with pytest.raises(ValidationError) as exc:
        aftercare_services.record_check_in(world.regisseur, world.participant, grant(world), p, week1.pk,
                                  aftercare_queries.CheckInData(done_on, with_whom, [], notes), today=TODAY)
    assert field in exc.value.message_dict


def test_an_extra_check_in(world):
    p = place(world)
    extra = aftercare_services.add_check_in(world.regisseur, world.participant, grant(world), p, "Bezoek werkgever",
                                   date(2026, 4, 15))
    assert [c.label for c in p.aftercare.check_ins.order_by("planned_on", "id")][:3] == [
        "Week 1", "Week 2", "Bezoek werkgever"]
    assert extra.done_on is None


def test_friction_log_resolve_and_escalate_to_the_regisseur(world):
    p = place(world)
    g = grant(world)
    f = aftercare_services.log_friction(world.regisseur, world.participant, g, p, occurred_on=TODAY - timedelta(days=1),
                               what="Misverstand over pauzetijden", follow_up="Gebeld met leidinggevende", today=TODAY)
    item = aftercare_services.escalate_friction(world.regisseur, world.participant, g, p, f.pk,
                                                today=timezone.localdate())
    f.refresh_from_db()
    assert f.action_item == item
    assert item.assignee == world.regisseur and item.owner_organisation == world.gemeente
    assert item.domain == LifeDomain.PARTICIPATIE and "Misverstand over pauzetijden" in item.description
    with pytest.raises(ValidationError, match="al geëscaleerd"):
        aftercare_services.escalate_friction(world.regisseur, world.participant, g, p, f.pk)
    aftercare_services.resolve_friction(world.regisseur, world.participant, g, p, f.pk, today=TODAY)
    f.refresh_from_db()
    assert f.resolved_on == TODAY
    assert ActionItem.objects.count() == 1


def test_a_friction_in_the_future_or_without_text_is_refused(world):
    p = place(world)
    with pytest.raises(ValidationError) as exc:
        aftercare_services.log_friction(world.regisseur, world.participant, grant(world), p,
                               occurred_on=TODAY + timedelta(days=1), what="", today=TODAY)
    assert set(exc.value.message_dict) == {"occurred_on", "what"}


def test_aftercare_closes_only_with_an_eindgesprek(world):
    p = place(world)
    g = grant(world)
    with pytest.raises(ValidationError) as exc:
        aftercare_services.close_with_final_talk(world.regisseur, world.participant, g, p,
                                        aftercare_queries.FinalTalkData(TODAY, CheckInWith.SAMEN, ""), today=TODAY)
    assert "summary" in exc.value.message_dict
    # Not by fading out either: the database refuses a closed plan without an eindgesprek.
    with pytest.raises(IntegrityError), transaction.atomic():
        AftercarePlan.objects.filter(pk=p.aftercare.pk).update(ended_on=TODAY)
    plan = aftercare_services.close_with_final_talk(
        world.regisseur, world.participant, g, p,
        aftercare_queries.FinalTalkData(TODAY, CheckInWith.SAMEN, "Het gaat goed; vaste plek. Bel ons als er iets is."),
        today=TODAY)
    assert plan.is_closed and plan.ended_on == TODAY and plan.final_talk_by == world.regisseur
    with pytest.raises(ValidationError, match="afgesloten met een eindgesprek"):
        aftercare_services.log_friction(world.regisseur, world.participant, g, p, occurred_on=TODAY, what="x",
                                        today=TODAY)


def test_pages_record_check_in_friction_escalation_and_final_talk(world, client_for):
    start = timezone.localdate() - timedelta(days=20)
    p = place(world, start_date=start, contract_end=start + timedelta(days=200))
    client = client_for(world.regisseur)
    kw = {"pk": world.participant.pk, "placement_id": p.pk}
    week1 = p.aftercare.check_ins.first()
    url = reverse("work:check_in_record", kwargs={**kw, "check_in_id": week1.pk})
    assert "Nazorggesprek Week 1" in client.get(url).content.decode()
    r = client.post(url, {"done_on": str(start + timedelta(days=7)), "with_whom": CheckInWith.DEELNEMER,
                          "topics": [Topic.RELATIES], "notes": "Goed gesprek", "channel": "gesprek",
                          "duration_minutes": "30"})
    assert r.status_code == 302
    r = client.post(reverse("work:friction_add", kwargs=kw), {"occurred_on": str(timezone.localdate()),
                                                             "what": "Ruzie met collega", "follow_up": ""})
    assert r.status_code == 302
    f = p.aftercare.frictions.get()
    r = client.post(reverse("work:friction_escalate", kwargs={**kw, "friction_id": f.pk}))
    assert r.status_code == 302 and ActionItem.objects.filter(assignee=world.regisseur).exists()
    r = client.post(reverse("work:check_in_add", kwargs=kw), {"label": "Bezoek", "planned_on": str(start)})
    assert r.status_code == 302
    page = client.get(reverse("work:placement_detail", kwargs=kw)).content.decode()
    assert "Goed gesprek" in page and "geëscaleerd" in page and "Bezoek" in page
    r = client.post(reverse("work:aftercare_close", kwargs=kw), {"held_on": str(timezone.localdate()),
                                                                "with_whom": CheckInWith.SAMEN, "summary": ""})
    assert "Schrijf op wat er in het eindgesprek" in r.content.decode()
    r = client.post(reverse("work:aftercare_close", kwargs=kw), {"held_on": str(timezone.localdate()),
                                                                "with_whom": CheckInWith.SAMEN,
                                                                "summary": "Afgerond, het gaat goed."})
    assert r.status_code == 302
    assert AftercarePlan.objects.get(pk=p.aftercare.pk).is_closed


def test_aftercare_pages_are_404_without_work_write(world, client_for):
    p = place(world)
    kw = {"pk": world.participant.pk, "placement_id": p.pk}
    client = client_for(world.taaldocent)
    for name, extra in (("check_in_record", {"check_in_id": p.aftercare.check_ins.first().pk}),
                        ("friction_add", {}), ("aftercare_close", {})):
        assert client.get(reverse(f"work:{name}", kwargs={**kw, **extra})).status_code == 404
    client = client_for(world.andere_regisseur)
    assert client.get(reverse("work:aftercare_close", kwargs=kw)).status_code == 404


def test_a_check_in_recorded_in_another_tab_is_not_overwritten(world):
    """Two tabs open the same check-in form; the second save is refused with what was recorded."""
    import re

    from django.test import Client

    start = timezone.localdate() - timedelta(days=20)
    p = place(world, start_date=start, contract_end=start + timedelta(days=200))
    week1 = p.aftercare.check_ins.first()
    url = reverse("work:check_in_record", kwargs={"pk": world.participant.pk, "placement_id": p.pk,
                                                 "check_in_id": week1.pk})
    a, b = Client(), Client()
    a.force_login(world.regisseur)
    b.force_login(world.regisseur)

    def version(client):
        return re.search(r'name="version" value="([^"]*)"', client.get(url).content.decode()).group(1)

    version_a, version_b = version(a), version(b)
    data = {"done_on": str(start + timedelta(days=7)), "with_whom": CheckInWith.DEELNEMER, "topics": [Topic.RELATIES],
            "channel": "gesprek", "duration_minutes": "45"}
    assert b.post(url, {**data, "notes": "Verslag van tab B", "version": version_b}).status_code == 302
    response = a.post(url, {**data, "notes": "Verslag van tab A", "version": version_a})
    html = response.content.decode()
    assert response.status_code == 200 and "Niet opgeslagen" in html and "notities naar ‘Verslag van tab B’" in html
    week1.refresh_from_db()
    assert week1.notes == "Verslag van tab B"
    # After reloading, the save goes through.
    assert a.post(url, {**data, "notes": "Verslag van tab A", "version": version(a)}).status_code == 302
    week1.refresh_from_db()
    assert week1.notes == "Verslag van tab A"
    # The same event is one contact, corrected by the deliberate second save (not a second contact).
    from koers.casework.models import Contact

    contact = Contact.objects.get(participant=world.participant)
    assert week1.contact_id == contact.pk and "Verslag van tab A" in contact.summary
