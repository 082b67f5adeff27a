"""Issue 12, break 1: from a proposal to a placement in one action (pre-filled, the proposal becomes *geplaatst*),
correcting a placement entered wrongly (under the optimistic lock), withdrawing one (recorded, audited, no longer
counted), and a placement that starts later showing when it begins instead of "(0 dagen)"."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.casework.queries import alerts
from koers.core import access, locking
from koers.core.codes import Category, ContractType, Phase, PlacementKind, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import make_user
from koers.participants.models import Participant
from koers.work.models import MatchStatus, OpeningStatus, Placement
from koers.work.queries import placements as placement_queries
from koers.work.services import placements as placement_services
from koers.work.tests.placement_factories import match, opening, place

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def grant(world, user=None):
    return access.grant_for(user or world.regisseur, world.participant)


def ago(days=30, **overrides):
    start = TODAY - timedelta(days=days)
    values = {"start_date": start, "contract_end": start + timedelta(days=365)}
    values.update(overrides)
    return values


# --- proposal → placement -------------------------------------------------------------------------------------


def test_a_proposal_leads_to_a_prefilled_placement_and_becomes_placed(world, client_for):
    op = opening(world, kind=PlacementKind.PROEFPLAATSING, title="Magazijnmedewerker", hours=24)
    m = match(world, op=op)
    client = client_for(world.regisseur)
    # The participant's work page and the opening both offer the next step for an open proposal.
    work_page = client.get(reverse("work:participant_matches", kwargs={"pk": world.participant.pk})).content.decode()
    form_url = reverse("work:placement_from_match", kwargs={"match_id": m.pk})
    assert f'href="{form_url}"' in work_page
    opening_page = client.get(reverse("work:opening_detail", kwargs={"pk": op.pk})).content.decode()
    assert f'href="{form_url}"' in opening_page
    page = client.get(form_url).content.decode()
    # Employer, opening, kind, title, hours and (for a trial placement) the contract type come from the proposal.
    assert re.search(r'name="job_title"[^>]*value="Magazijnmedewerker"', page)
    assert re.search(r'name="hours_per_week"[^>]*value="24"', page)
    assert re.search(r'<option value="proefplaatsing" selected', page)
    assert re.search(r'<option value="geen" selected', page)
    # Nothing typed twice: submitting what the form shows, plus the start date it proposes, is enough.
    response = client.post(form_url, {"kind": PlacementKind.PROEFPLAATSING, "job_title": "Magazijnmedewerker",
                                      "start_date": str(TODAY), "contract_type": ContractType.GEEN,
                                      "hours_per_week": "24", "contract_end": str(TODAY + timedelta(days=60))})
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Placement.objects.get()
    assert (p.employer_id, p.opening_id, p.match_id, p.kind) == (op.employer_id, op.pk, m.pk,
                                                                  PlacementKind.PROEFPLAATSING)
    m.refresh_from_db()
    assert m.status == MatchStatus.GEPLAATST
    work_page = client.get(reverse("work:participant_matches", kwargs={"pk": world.participant.pk})).content.decode()
    assert "Geplaatst" in work_page and "Naar de plaatsing" in work_page and f'href="{form_url}"' not in work_page


def test_a_placed_proposal_cannot_be_placed_twice(world, client_for):
    m = match(world)
    place(world, match_id=m.pk, opening_id=m.opening_id)
    m.refresh_from_db()
    assert m.status == MatchStatus.GEPLAATST
    with pytest.raises(ValidationError) as exc:
        place(world, match_id=m.pk, opening_id=m.opening_id)
    assert "al geplaatst" in exc.value.message_dict["match"][0]


def test_no_placement_link_for_who_cannot_change_work_data(world, client_for):
    m = match(world)
    lead = make_user(world.gemeente, Role.PROJECTLEIDER)
    page = client_for(lead).get(reverse("work:participant_matches", kwargs={"pk": world.participant.pk}))
    assert page.status_code == 200
    assert reverse("work:placement_from_match", kwargs={"match_id": m.pk}) not in page.content.decode()
    assert client_for(lead).get(reverse("work:placement_from_match", kwargs={"match_id": m.pk})).status_code == 404


# --- a placement that starts later ------------------------------------------------------------------------------


def test_a_placement_starting_later_says_when_it_begins(world, client_for):
    soon = place(world, start_date=TODAY + timedelta(days=5), contract_end=TODAY + timedelta(days=200))
    client = client_for(world.regisseur)
    page = client.get(reverse("work:placement_detail", kwargs={"pk": world.participant.pk,
                                                             "placement_id": soon.pk})).content.decode()
    assert "begint over 5 dagen" in page and "(0 dagen" not in page
    later = TODAY + timedelta(days=45)
    far = place(world, start_date=later, contract_end=later + timedelta(days=200), job_title="Schoonmaker")
    page = client.get(reverse("work:placement_detail", kwargs={"pk": world.participant.pk,
                                                             "placement_id": far.pk})).content.decode()
    assert f"begint op {later.day}-{later.month}-{later.year}" in page
    listing = client.get(reverse("work:participant_placements", kwargs={"pk": world.participant.pk})).content.decode()
    assert "begint over 5 dagen" in listing
    started = place(world, **ago(12), job_title="Inpakker")
    assert placement_queries.start_label(started, TODAY) == "12 dagen"


# --- correcting ------------------------------------------------------------------------------------------------


def correction(p, **overrides):
    values = {"job_title": p.job_title, "start_date": p.start_date, "probation_end": p.probation_end,
              "hours_per_week": Decimal("24"), "contract_end": placement_queries.current_term(p).contract_end}
    values.update(overrides)
    return placement_queries.CorrectionData(**values)


def test_correcting_the_start_date_and_hours(world, client_for):
    start = TODAY + timedelta(days=10)
    p = place(world, start_date=start, contract_end=start + timedelta(days=180))
    planned = sorted(p.aftercare.check_ins.values_list("planned_on", flat=True))
    client = client_for(world.regisseur)
    url = reverse("work:placement_correct", kwargs={"pk": world.participant.pk, "placement_id": p.pk})
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    new_start = start + timedelta(days=7)
    response = client.post(url, {"version": version, "job_title": "Productiemedewerker", "start_date": str(new_start),
                                 "hours_per_week": "32", "contract_end": str(start + timedelta(days=180))})
    assert response.status_code == 302, response.content.decode()[:3000]
    p = Placement.objects.get(pk=p.pk)
    term = placement_queries.current_term(p)
    assert (p.start_date, term.effective_from, term.hours_per_week) == (new_start, new_start, Decimal("32"))
    assert p.terms.count() == 1  # a correction, not a new agreement
    assert sorted(p.aftercare.check_ins.values_list("planned_on", flat=True)) == [
        d + timedelta(days=7) for d in planned]
    assert p.aftercare.started_on == new_start
    event = AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.UPDATE,
                                      detail__contains="gecorrigeerd").get()
    assert "uren per week 24 → 32" in event.detail and event.category == Category.WORK


def test_a_wrong_correction_gets_a_dutch_message_and_changes_nothing(world, client_for):
    p = place(world, **ago(30))
    client = client_for(world.regisseur)
    url = reverse("work:placement_correct", kwargs={"pk": world.participant.pk, "placement_id": p.pk})
    page = client.post(url, {"job_title": "", "start_date": str(p.start_date), "hours_per_week": "24"}).content
    assert "Vul de functie in" in page.decode()
    page = client.post(url, {"job_title": "Inpakker", "start_date": str(p.start_date), "hours_per_week": "75",
                             "contract_end": str(p.start_date - timedelta(days=1))}).content.decode()
    assert "Meer dan 60 uur per week kan niet" in page and "ligt vóór de start" in page
    fresh = Placement.objects.get(pk=p.pk)
    assert fresh.job_title == p.job_title and placement_queries.current_term(fresh).hours_per_week == Decimal("24")


def test_a_start_after_a_held_check_in_is_refused(world):
    from koers.work.queries.aftercare import CheckInData
    from koers.work.services import aftercare as aftercare_services

    p = place(world, **ago(30))
    first = p.aftercare.check_ins.order_by("planned_on").first()
    aftercare_services.record_check_in(world.regisseur, world.participant, grant(world), p, first.pk,
                                       CheckInData(TODAY - timedelta(days=20), "deelnemer", [], "Gaat goed"))
    with pytest.raises(ValidationError) as exc:
        placement_services.correct_placement(world.regisseur, world.participant, grant(world), p.pk,
                                             correction(p, start_date=TODAY - timedelta(days=10)))
    assert "nazorggesprek vastgelegd" in exc.value.message_dict["start_date"][0]


def test_a_colleagues_correction_in_the_meantime_is_not_overwritten(world):
    p = place(world, **ago(30))
    version = placement_services.correction_version(p)
    placement_services.correct_placement(world.regisseur, world.participant, grant(world), p.pk,
                                         correction(p, hours_per_week=Decimal("28")), version=version)
    with pytest.raises(locking.StaleEdit) as exc:
        placement_services.correct_placement(world.regisseur, world.participant, grant(world), p.pk,
                                             correction(p, hours_per_week=Decimal("20")), version=version)
    assert any(c.label == "uren per week" for c in exc.value.changes)
    assert placement_queries.current_term(Placement.objects.get(pk=p.pk)).hours_per_week == Decimal("28")


def test_correcting_and_withdrawing_need_write_access(world, client_for):
    p = place(world, **ago(30))
    lead = make_user(world.gemeente, Role.PROJECTLEIDER)  # reads work data, changes nothing
    for name in ("work:placement_correct", "work:placement_withdraw"):
        url = reverse(name, kwargs={"pk": world.participant.pk, "placement_id": p.pk})
        assert client_for(lead).get(url).status_code == 404
        assert client_for(lead).post(url, {"reason": "x"}).status_code == 404
        assert client_for(world.andere_regisseur).get(url).status_code == 404
    assert not Placement.objects.get(pk=p.pk).is_withdrawn


# --- withdrawing -----------------------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_and_nothing_changes_without_one(world, client_for):
    p = place(world, **ago(30))
    client = client_for(world.regisseur)
    url = reverse("work:placement_withdraw", kwargs={"pk": world.participant.pk, "placement_id": p.pk})
    page = client.post(url, {"reason": "  "}).content.decode()
    assert "Schrijf op waarom de plaatsing wordt ingetrokken" in page
    assert not Placement.objects.get(pk=p.pk).is_withdrawn


def test_a_withdrawn_placement_no_longer_counts(world, client_for):
    op = opening(world)
    m = match(world, op=op)
    p = place(world, match_id=m.pk, opening_id=op.pk, **ago(60, contract_end=TODAY + timedelta(days=10)))
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.NAZORG
    op.refresh_from_db()
    assert op.status == OpeningStatus.VERVULD
    batch = alerts.compute([world.participant])
    codes = {s.code for s in batch[world.participant.pk]}
    assert {"contract_loopt_af", "nazorg_te_laat"} <= codes
    client = client_for(world.regisseur)
    url = reverse("work:placement_withdraw", kwargs={"pk": world.participant.pk, "placement_id": p.pk})
    response = client.post(url, {"reason": "Per vergissing bij deze deelnemer vastgelegd"})
    assert response.status_code == 302
    p = Placement.objects.get(pk=p.pk)
    assert p.is_withdrawn and p.withdrawn_by == world.regisseur and not p.is_open()
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.UPDATE,
                                     detail__contains="ingetrokken: Per vergissing").exists()
    participant = Participant.objects.get(pk=world.participant.pk)
    assert participant.phase == Phase.TRAJECT  # the job that moved it to nazorg no longer counts
    m.refresh_from_db()
    op.refresh_from_db()
    assert (m.status, op.status) == (MatchStatus.VOORGESTELD, OpeningStatus.OPEN)
    batch = alerts.compute([participant])
    assert not {s.code for s in batch[participant.pk]} & {"contract_loopt_af", "nazorg_te_laat"}
    assert placement_queries.open_placements(participant) == []
    page = client.get(reverse("work:participant_placements", kwargs={"pk": participant.pk})).content.decode()
    assert "ingetrokken" in page and "Per vergissing" in page
    with pytest.raises(ValidationError, match="al ingetrokken"):
        placement_services.withdraw_placement(world.regisseur, participant, grant(world), p.pk, reason="nogmaals")
    with pytest.raises(ValidationError):
        placement_services.end_placement(world.regisseur, participant, grant(world), p.pk, ended_on=TODAY,
                                         reason="overig")
