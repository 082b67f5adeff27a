"""Follow-up measurements: scheduled on closing for the project's organisation, the proposal from the placements,
recording (work_6m / work_12m), the overdue signal on the caseload, and the worklist (visibility, 404, audit)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from koers.casework.queries import alerts, caseload
from koers.core import access
from koers.core.codes import ContractType, OrganisationKind, Outcome, PlacementKind, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user
from koers.monitoring.models import FollowUp, FollowUpStatus, Trajectory
from koers.monitoring.queries import alerts as monitoring_alerts
from koers.monitoring.queries import followups as followup_queries
from koers.monitoring.services import followups as followup_services
from koers.monitoring.tests.test_sync import close, enrol, make_programme, make_project, placement
from koers.plans.rules.leerroute import add_months
from koers.work.queries import closure as closure_queries
from koers.work.services import closure as closure_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def project(world):
    """A project run by Werkkracht, which takes part in the participant's trajectory."""
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur)
    return make_project(make_programme(world.gemeente), world.reintegratie)


def follow_up(trajectory, months=6) -> FollowUp:
    return FollowUp.objects.get(trajectory=trajectory, months=months)


# --- scheduling -------------------------------------------------------------------------------------------------------


def test_closing_schedules_follow_ups_at_6_and_12_months_for_the_project_organisation(world, project):
    t = enrol(world, project=project)
    grant = access.grant_for(world.regisseur, world.participant)
    closure_services.close_trajectory(world.regisseur, world.participant, grant,
                                     closure_queries.ClosureData(closed_on=TODAY, outcome=Outcome.GEEN_WERK))
    fus = list(FollowUp.objects.filter(trajectory=t).order_by("months"))
    assert [(f.months, f.due_on) for f in fus] == [(6, add_months(TODAY, 6)), (12, add_months(TODAY, 12))]
    assert {f.organisation for f in fus} == {world.reintegratie}
    assert all(f.status == FollowUpStatus.OPEN and f.in_paid_work == "onbekend" for f in fus)


def test_no_trajectory_no_follow_ups(world):
    close(world)
    assert not FollowUp.objects.exists()


def test_a_project_organisation_without_access_falls_back_to_the_closing_organisation(world):
    project = make_project(make_programme(world.gemeente), OrganisationFactory(name="De Schakel"))
    t = enrol(world, project=project)
    close(world)
    assert follow_up(t).organisation == world.gemeente


def test_the_moments_are_configurable(world, project, settings):
    settings.KOERS_FOLLOWUP_MONTHS = "3, 24"
    t = enrol(world, project=project)
    c = close(world)
    assert sorted(FollowUp.objects.filter(trajectory=t).values_list("months", flat=True)) == [3, 24]
    assert follow_up(t, 24).due_on == add_months(c.closed_on, 24)


# --- the proposal from the placements ---------------------------------------------------------------------------------


def test_a_paid_job_running_on_the_due_date_proposes_ja(world, project):
    t = enrol(world, project=project)
    placement(world, title="Kok", employer_name="Hotel De Rivier", contract_end=TODAY + timedelta(days=300))
    close(world, outcome=Outcome.BETAALD_WERK)
    fu6, fu12 = follow_up(t, 6), follow_up(t, 12)
    assert fu6.prefill == "ja"
    assert "Kok bij Hotel De Rivier" in fu6.prefill_reason
    assert fu12.prefill == ""  # the contract ends before the 12-month date and its end is not recorded


def test_a_job_ended_before_the_due_date_proposes_nee(world, project):
    t = enrol(world, project=project)
    placement(world, title="Schoonmaker", ended_on=TODAY - timedelta(days=20))
    close(world, outcome=Outcome.BETAALD_WERK)
    fu = follow_up(t)
    assert fu.prefill == "nee"
    assert "beëindigd" in fu.prefill_reason and "Schoonmaker" in fu.prefill_reason


def test_no_placements_or_only_unpaid_ones_give_no_proposal(world, project):
    t = enrol(world, project=project)
    placement(world, kind=PlacementKind.VRIJWILLIGERSWERK, contract=ContractType.GEEN, hours="8")
    close(world)
    assert follow_up(t).prefill == "" and follow_up(t).prefill_reason == ""


def test_a_paid_contract_on_another_kind_counts_as_paid(world, project):
    t = enrol(world, project=project)
    placement(world, kind=PlacementKind.LEERWERKPLEK, contract=ContractType.VAST)
    close(world)
    assert follow_up(t).prefill == "ja"


def test_the_proposal_follows_changes_in_the_placements(world, project):
    t = enrol(world, project=project)
    p = placement(world, contract=ContractType.VAST)
    close(world, outcome=Outcome.BETAALD_WERK)
    assert follow_up(t).prefill == "ja"
    p.ended_on, p.end_reason = TODAY - timedelta(days=1), "ontslag_werkgever"
    p.save()
    assert follow_up(t).prefill == "nee"


# --- recording --------------------------------------------------------------------------------------------------------


def test_recording_sets_work_6m_and_work_12m(world, project):
    t = enrol(world, project=project, days_ago=500)
    close(world, closed_on=TODAY - timedelta(days=400))
    followup_services.record_follow_up(world.begeleider, follow_up(t, 6), in_paid_work="ja", status="gedaan",
                               note="Werkt bij de bakker", done_on=TODAY)
    t.refresh_from_db()
    assert (t.work_6m, t.work_12m) == ("ja", "onbekend")
    fu = follow_up(t, 6)
    assert (fu.status, fu.in_paid_work, fu.done_by, fu.done_on) == ("gedaan", "ja", world.begeleider, TODAY)
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.CREATE,
                                     category="werk", detail__contains="Vervolgmeting 6").exists()
    followup_services.record_follow_up(world.begeleider, follow_up(t, 12), in_paid_work="", status="niet_bereikt",
                               done_on=TODAY)
    t.refresh_from_db()
    assert t.work_12m == "onbekend" and follow_up(t, 12).status == "niet_bereikt"
    # The trajectory's answers survive a refresh from the file.
    world.participant.save()
    t.refresh_from_db()
    assert t.work_6m == "ja"


def test_recording_refuses_bad_answers(world, project):
    t = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    fu = follow_up(t)
    with pytest.raises(ValidationError, match="kan vanaf") as exc:  # the 12-month moment is months away
        followup_services.record_follow_up(world.begeleider, follow_up(t, 12), in_paid_work="ja", status="gedaan",
                                   done_on=TODAY)
    assert "done_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        followup_services.record_follow_up(world.begeleider, fu, in_paid_work="", status="gedaan", done_on=TODAY)
    assert "in_paid_work" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        followup_services.record_follow_up(world.begeleider, fu, in_paid_work="nee", status="gedaan",
                                   done_on=TODAY + timedelta(days=1))
    assert "done_on" in exc.value.message_dict
    followup_services.record_follow_up(world.begeleider, fu, in_paid_work="nee", status="gedaan", done_on=TODAY)
    with pytest.raises(ValidationError, match="al vastgelegd"):
        followup_services.record_follow_up(world.begeleider, fu, in_paid_work="ja", status="gedaan", done_on=TODAY)
    t.refresh_from_db()
    assert t.work_6m == "nee"


def test_a_recorded_answer_can_be_corrected_and_the_audit_trail_keeps_the_old_one(world, project):
    t = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    fu = follow_up(t)
    with pytest.raises(ValidationError, match="niets te corrigeren"):
        followup_services.record_follow_up(world.begeleider, fu, in_paid_work="ja", status="gedaan", done_on=TODAY,
                                   correct=True)
    followup_services.record_follow_up(world.begeleider, fu, in_paid_work="", status="niet_bereikt", done_on=TODAY)
    with pytest.raises(ValidationError, match="Meting corrigeren"):
        followup_services.record_follow_up(world.begeleider, fu, in_paid_work="ja", status="gedaan", done_on=TODAY)
    with pytest.raises(ValidationError) as exc:  # a correction follows the same rules
        followup_services.record_follow_up(world.begeleider, fu, in_paid_work="", status="gedaan", done_on=TODAY,
                                   correct=True)
    assert "in_paid_work" in exc.value.message_dict
    followup_services.record_follow_up(world.begeleider, fu, in_paid_work="ja", status="gedaan", done_on=TODAY,
                               note="Alsnog bereikt: werkt bij de bakker", correct=True)
    fu.refresh_from_db()
    t.refresh_from_db()
    assert (fu.status, fu.in_paid_work, t.work_6m) == ("gedaan", "ja", "ja")
    event = AuditEvent.objects.get(participant_id=world.participant.pk, action=AuditAction.UPDATE, category="werk")
    assert "betaald werk: ja" in event.detail and f"was deelnemer niet bereikt op {TODAY.day}-" in event.detail
    for user in (world.regisseur, world.andere_regisseur):  # only the responsible organisation corrects
        with pytest.raises(Http404):
            followup_services.record_follow_up(user, fu, in_paid_work="nee", status="gedaan", done_on=TODAY,
                                               correct=True)
    assert follow_up(t).in_paid_work == "ja"


def test_another_organisation_may_not_record(world, project):
    t = enrol(world, project=project)
    close(world)
    for user in (world.regisseur, world.taaldocent, world.andere_regisseur):  # not the responsible organisation
        with pytest.raises(Http404):
            followup_services.record_follow_up(user, follow_up(t), in_paid_work="ja", status="gedaan", done_on=TODAY)
    assert follow_up(t).status == "open"


# --- the signal -------------------------------------------------------------------------------------------------------


def test_the_signal_appears_the_day_after_the_due_date(world, project):
    t = enrol(world, project=project)
    close(world)
    due = follow_up(t).due_on
    p = world.participant
    assert not [s for s in alerts.compute([p], today=due)[p.pk] if s.code == "vervolgmeting_te_laat"]
    found = [s for s in alerts.compute([p], today=due + timedelta(days=1))[p.pk] if s.code == "vervolgmeting_te_laat"]
    assert len(found) == 1
    s = found[0]
    assert s.since == due + timedelta(days=1) and s.category == "werk" and s.severity == alerts.ATTENTION
    assert "6 maanden" in s.why and "Werkkracht" in s.why and "vervolgmeting" in s.todo
    late = alerts.compute([p], today=due + timedelta(days=monitoring_alerts.URGENT_DAYS))[p.pk]
    assert any(s.code == "vervolgmeting_te_laat" and s.severity == alerts.URGENT for s in late)
    assert alerts.CODES["vervolgmeting_te_laat"] == "Vervolgmeting te laat"


def test_a_recorded_follow_up_gives_no_signal(world, project):
    t = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    p = world.participant
    assert any(s.code == "vervolgmeting_te_laat" for s in alerts.compute([p])[p.pk])
    followup_services.record_follow_up(world.begeleider, follow_up(t), in_paid_work="nee", status="gedaan",
                                       done_on=TODAY)
    assert not any(s.code == "vervolgmeting_te_laat" for s in alerts.compute([p])[p.pk])


def test_a_closed_participant_with_an_overdue_follow_up_stays_on_the_caseload(world, project):
    enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=100))
    assert world.participant not in [r.participant for r in caseload.caseload(world.regisseur).rows]
    FollowUp.objects.filter(months=6).update(due_on=TODAY - timedelta(days=3))
    rows = caseload.caseload(world.regisseur).rows
    row = next(r for r in rows if r.participant == world.participant)
    assert [s.code for s in row.signals] == ["vervolgmeting_te_laat"]


def test_the_daily_digest_names_an_overdue_follow_up(world, project):
    from koers.casework.management.commands import tick

    enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=100))
    FollowUp.objects.filter(months=6).update(due_on=TODAY - timedelta(days=40))  # urgent: in the digest
    result = tick.run(today=TODAY, dry_run=True)
    codes = [s.code for d in result.digests.values() for item in d.items for s in item.signals]
    assert "vervolgmeting_te_laat" in codes


# --- the worklist -----------------------------------------------------------------------------------------------------


def test_the_worklist_shows_the_organisations_open_follow_ups_overdue_first(world, project, client_for):
    t = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    response = client_for(world.begeleider).get(reverse("monitoring:followups"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.participant.name in html
    assert "Te laat" in html and "vervolgmeting 6 maanden" in html and "vervolgmeting 12 maanden" in html
    assert html.index("vervolgmeting 6 maanden") < html.index("vervolgmeting 12 maanden")
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.LIST,
                                     user_id=world.begeleider.pk, category="werk").exists()
    # The municipality is not the responsible organisation: an empty list; the follow-up itself is a 404.
    regisseur = client_for(world.regisseur)
    assert world.participant.name not in regisseur.get(reverse("monitoring:followups")).content.decode()
    assert regisseur.get(reverse("monitoring:followup_record", args=[follow_up(t).pk])).status_code == 404


def test_empty_worklist(world, client_for):
    html = client_for(world.begeleider).get(reverse("monitoring:followups")).content.decode()
    assert "geen open vervolgmetingen" in html


def test_a_participant_the_organisation_no_longer_sees_is_not_listed(world, project, client_for):
    t = enrol(world, project=project)
    close(world)
    world.participant.memberships.filter(organisation=world.reintegratie).update(ended_at=timezone.now())
    client = client_for(world.begeleider)
    assert world.participant.name not in client.get(reverse("monitoring:followups")).content.decode()
    assert client.get(reverse("monitoring:followup_record", args=[follow_up(t).pk])).status_code == 404


def test_another_organisation_gets_404(world, project, client_for):
    t = enrol(world, project=project)
    close(world)
    other = make_user(OrganisationFactory(name="Werkkracht Heuvelrand", kind=OrganisationKind.REINTEGRATIE),
                      Role.BEGELEIDER, username="andere_begeleider")
    client = client_for(other)
    url = reverse("monitoring:followup_record", args=[follow_up(t).pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"fu{follow_up(t).pk}-status": "gedaan"}).status_code == 404
    assert world.participant.name not in client.get(reverse("monitoring:followups")).content.decode()


def test_confirming_the_proposal_with_one_click(world, project, client_for):
    t = enrol(world, project=project)
    placement(world, contract=ContractType.VAST)
    close(world, outcome=Outcome.BETAALD_WERK, closed_on=TODAY - timedelta(days=170))
    fu = follow_up(t)
    client = client_for(world.begeleider)
    html = client.get(reverse("monitoring:followups")).content.decode()
    assert "Voorstel uit de plaatsingen: ja" in html and "Klopt: heeft betaald werk" in html
    # the 12-month measurement is not due for months: no form yet, only when it can be recorded
    opens = followup_queries.opens_on(follow_up(t, 12))
    assert f"Vast te leggen vanaf {opens.day} " in html
    prefix = f"fu{fu.pk}"
    response = client.post(reverse("monitoring:followup_record", args=[fu.pk]), {
        f"{prefix}-status": "gedaan", f"{prefix}-in_paid_work": "ja", f"{prefix}-done_on": TODAY.isoformat(),
        f"{prefix}-note": "Bevestigd: voorstel uit de plaatsingen."})
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:followups")
    assert Trajectory.objects.get(pk=t.pk).work_6m == "ja"


def test_a_wrong_answer_shows_the_error_next_to_the_field(world, project, client_for):
    t = enrol(world, project=project)
    close(world)
    fu = follow_up(t)
    prefix = f"fu{fu.pk}"
    response = client_for(world.begeleider).post(reverse("monitoring:followup_record", args=[fu.pk]), {
        f"{prefix}-status": "gedaan", f"{prefix}-done_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "Kies ja of nee" in response.content.decode()
    assert follow_up(t).status == "open"


def test_correcting_on_the_page_from_the_participant_file(world, project, client_for):
    t = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    fu = follow_up(t)
    followup_services.record_follow_up(world.begeleider, fu, in_paid_work="nee", status="gedaan", done_on=TODAY)
    client = client_for(world.begeleider)
    record_url = reverse("monitoring:followup_record", args=[fu.pk])
    detail = client.get(reverse("participants:detail", args=[world.participant.pk])).content.decode()
    assert f'href="{record_url}"' in detail and "bekijken of corrigeren" in detail
    page = client.get(record_url).content.decode()
    assert "Deze meting is vastgelegd" in page and "Meting corrigeren" in page
    assert re.search(r'value="nee"[^>]*checked', page)  # the correction form starts from the recorded answer
    prefix = f"fu{fu.pk}"
    answer = {f"{prefix}-status": "gedaan", f"{prefix}-in_paid_work": "ja", f"{prefix}-done_on": TODAY.isoformat()}
    # Without the correction flag (e.g. a second person on an old worklist) nothing is overwritten.
    response = client.post(record_url, answer)
    assert response.status_code == 200 and "al vastgelegd" in response.content.decode()
    assert '<details class="followup-correct" open>' in response.content.decode()  # the error is not folded away
    assert follow_up(t).in_paid_work == "nee"
    response = client.post(record_url, {**answer, "correct": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[world.participant.pk])
    assert Trajectory.objects.get(pk=t.pk).work_6m == "ja"
    # The regisseur sees the answer in the file, but has no link: the measurement is Werkkracht's.
    detail = client_for(world.regisseur).get(reverse("participants:detail", args=[world.participant.pk]))
    assert "betaald werk: <strong>ja</strong>" in detail.content.decode()
    assert record_url not in detail.content.decode()
    assert client_for(world.regisseur).post(record_url, {**answer, "correct": "1"}).status_code == 404


def test_a_taaldocent_of_the_responsible_organisation_does_not_see_work_questions(world, client_for):
    # The language provider runs the project, but may not see work data: nothing is listed, the page is a 404.
    project = make_project(make_programme(world.gemeente), world.taal, code="taal", name="Taal en werk")
    t = enrol(world, project=project)
    close(world)
    assert follow_up(t).organisation == world.taal
    client = client_for(world.taaldocent)
    assert world.participant.name not in client.get(reverse("monitoring:followups")).content.decode()
    assert client.get(reverse("monitoring:followup_record", args=[follow_up(t).pk])).status_code == 404


def test_the_worklist_query_count_does_not_grow_with_the_list(world, project, client_for, max_queries):
    for _ in range(6):
        p = ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur)
        MembershipFactory(participant=p, organisation=world.reintegratie, added_by=world.regisseur)
        enrol(world, p, project)
        close(world, p)
    client = client_for(world.begeleider)
    with max_queries(25):
        response = client.get(reverse("monitoring:followups"))
    assert response.content.decode().count("followup-item") >= 12


def test_a_batch_without_closed_trajectories_costs_the_signal_no_query(world, django_assert_num_queries):
    from koers.casework.queries.alerts import Batch

    batch = Batch([world.participant], TODAY, {})
    with django_assert_num_queries(0):
        assert list(monitoring_alerts.overdue_follow_ups(batch)) == []


def test_a_correction_made_in_another_tab_is_not_overwritten(world, project):
    """Two tabs open the correction form; the second correction is refused with what changed, until reloaded."""
    from django.test import Client

    t = enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    fu = follow_up(t)
    followup_services.record_follow_up(world.begeleider, fu, in_paid_work="nee", status="gedaan", done_on=TODAY)
    record_url = reverse("monitoring:followup_record", args=[fu.pk])
    a, b = Client(), Client()
    a.force_login(world.begeleider)
    b.force_login(world.begeleider)
    prefix = f"fu{fu.pk}"

    def version(client):
        page = client.get(record_url).content.decode()
        return re.search(rf'name="{prefix}-version" value="([^"]*)"', page).group(1)

    version_a, version_b = version(a), version(b)
    answer = {f"{prefix}-status": "gedaan", f"{prefix}-done_on": TODAY.isoformat(), "correct": "1"}
    assert b.post(record_url, {**answer, f"{prefix}-in_paid_work": "ja", f"{prefix}-note": "Werkt bij de bakker",
                               f"{prefix}-version": version_b}).status_code == 302
    response = a.post(record_url, {**answer, f"{prefix}-in_paid_work": "nee", f"{prefix}-version": version_a})
    html = response.content.decode()
    assert response.status_code == 200 and "Niet opgeslagen" in html and "Werkt bij de bakker" in html
    assert follow_up(t).in_paid_work == "ja"
    assert a.post(record_url, {**answer, f"{prefix}-in_paid_work": "nee", f"{prefix}-version": version(a)}) \
        .status_code == 302
    assert follow_up(t).in_paid_work == "nee"
