"""Native trajectories: enrolling (who, which projects), and the values copied from the file, the closure and the
placements (including unknowns), kept up to date by the receivers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from koers.core import access
from koers.core.codes import ContractType, DropoutReason, OrganisationKind, Outcome, Phase, PlacementKind, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, make_user
from koers.monitoring import receivers
from koers.monitoring.models import Programme, Project, Trajectory
from koers.monitoring.queries import sync as sync_queries
from koers.monitoring.rules import sync as sync_rules
from koers.monitoring.services import sync
from koers.work.models import Closure, Employer, Placement, PlacementTerm
from koers.work.queries import closure as closure_queries
from koers.work.services import closure as closure_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# --- helpers shared with test_followups -----------------------------------------------------------------------------


def make_programme(owner, code="werkt", name="Rivierstad Werkt"):
    return Programme.objects.create(code=code, name=name, owner=owner)


def make_project(programme, organisation, code="route", name="Route naar werk", **extra):
    return Project.objects.create(programme=programme, code=code, name=name, organisation=organisation, **extra)


def enrol(world, participant=None, project=None, *, days_ago=300, user=None):
    participant = participant or world.participant
    user = user or world.regisseur
    return sync.enrol_in_project(user, participant, project, started_on=TODAY - timedelta(days=days_ago))


def employer(world, name="Kunststof Oost"):
    return Employer.objects.get_or_create(name=name, defaults={"organisation": world.gemeente, "city": "Rivierstad"})[0]


def placement(world, participant=None, *, kind=PlacementKind.BETAALD_WERK, title="Productiemedewerker",
              start=None, ended_on=None, contract=ContractType.TIJDELIJK, hours="24", contract_end=None,
              employer_name="Kunststof Oost"):
    """A placement with one term, written directly (the receivers run as for the services)."""
    participant = participant or world.participant
    start = start or TODAY - timedelta(days=200)
    p = Placement.objects.create(
        participant=participant, employer=employer(world, employer_name), kind=kind, job_title=title,
        start_date=start, organisation=world.gemeente, created_by=world.regisseur,
        ended_on=ended_on, end_reason="afgerond" if ended_on else "", ended_by=world.regisseur if ended_on else None,
    )
    PlacementTerm.objects.create(placement=p, effective_from=start, contract_type=contract,
                                 hours_per_week=Decimal(hours), contract_end=contract_end, recorded_by=world.regisseur)
    return p


def close(world, participant=None, *, closed_on=None, outcome=Outcome.GEEN_WERK, **extra):
    """A closure written directly, with the phase the service would set (the service itself is used in the tests
    of the real flow)."""
    participant = participant or world.participant
    values = {"dropout_reason": DropoutReason.MOTIVATIE} if outcome == Outcome.VOORTIJDIGE_UITVAL else {}
    if outcome == Outcome.ONBEKEND:
        values["unknown_note"] = "Drie keer gebeld."
    values.update(extra)
    participant.phase = Phase.AFGESLOTEN
    participant.save(update_fields=["phase"])
    return Closure.objects.create(
        participant=participant, closed_on=closed_on or TODAY - timedelta(days=10), outcome=outcome,
        proposed_outcome=outcome, closed_by=world.regisseur, organisation=world.gemeente, **values,
    )


@pytest.fixture
def programme(world):
    return make_programme(world.gemeente)


@pytest.fixture
def project(world, programme):
    return make_project(programme, world.reintegratie)


def fresh(trajectory) -> Trajectory:
    return Trajectory.objects.get(pk=trajectory.pk)


# --- enrolling --------------------------------------------------------------------------------------------------------


def test_enrolling_creates_a_native_trajectory_filled_from_the_file(world, project):
    p = world.participant
    p.gender, p.date_of_birth, p.education_level = "man", date(1994, 5, 1), "voortgezet"
    p.migration_status, p.learning_route, p.level_spreken = "asielstatushouder", "b1", "A2"
    p.save()
    t = enrol(world, project=project)
    assert t.source == "koers" and t.participant == p and t.programme == project.programme
    assert t.started_on == TODAY - timedelta(days=300)
    assert (t.gender, t.birth_year, t.country_of_origin, t.education_level) == ("man", 1994, "ER", "voortgezet")
    assert (t.migration_status, t.learning_route, t.level_spreken) == ("asielstatushouder", "b1", "A2")
    assert t.outcome == "" and t.ended_on is None and t.is_active
    assert AuditEvent.objects.filter(participant_id=p.pk, action=AuditAction.CREATE, category="traject").exists()


def test_unknowns_stay_unknown(world, project):
    p = ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur, country_of_origin="")
    t = enrol(world, p, project)
    assert t.birth_year is None
    assert t.country_of_origin == ""
    assert (t.gender, t.education_level, t.learning_route, t.level_spreken) == ("onbekend",) * 4
    assert t.first_placement_on is None and t.hours_per_week is None and t.contract_months is None


def test_a_change_in_the_file_reaches_the_trajectory(world, project):
    t = enrol(world, project=project)
    p = world.participant
    p.learning_route, p.level_spreken, p.date_of_birth = "onderwijs", "B1", date(2001, 1, 31)
    p.save()
    t = fresh(t)
    assert (t.learning_route, t.level_spreken, t.birth_year) == ("onderwijs", "B1", 2001)


def test_a_participant_without_trajectory_costs_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        receivers._participant_saved(None, world.participant)


def test_taaldocent_may_not_enrol(world, project, client_for):
    with pytest.raises(Http404):
        enrol(world, project=project, user=world.taaldocent)
    # A language teacher at the regie organisation itself may not change trajectory data either.
    docent = make_user(world.gemeente, Role.TAALDOCENT, username="gemeentedocent")
    with pytest.raises(Http404):
        enrol(world, project=project, user=docent)
    response = client_for(world.taaldocent).post(
        reverse("monitoring:enrol", args=[world.participant.pk]),
        {"enrol-project": project.pk, "enrol-started_on": TODAY.isoformat()},
    )
    assert response.status_code == 404
    assert not Trajectory.objects.exists()


def test_another_municipality_gets_404(world, project, client_for):
    url = reverse("monitoring:enrol", args=[world.participant.pk])
    client = client_for(world.andere_regisseur)
    assert client.get(url).status_code == 404
    assert client.post(url, {"enrol-project": project.pk, "enrol-started_on": TODAY.isoformat()}).status_code == 404
    assert not Trajectory.objects.exists()


def test_the_regisseur_enrols_through_the_page(world, project, client_for):
    client = client_for(world.regisseur)
    url = reverse("monitoring:enrol", args=[world.participant.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Route naar werk" in page.content.decode()
    response = client.post(url, {"enrol-project": project.pk, "enrol-started_on": "2026-01-05"})
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[world.participant.pk])
    t = Trajectory.objects.get(participant=world.participant)
    assert t.project == project and t.started_on == date(2026, 1, 5)


def test_enrol_errors_are_shown_next_to_the_fields(world, project, client_for):
    client = client_for(world.regisseur)
    url = reverse("monitoring:enrol", args=[world.participant.pk])
    future = (TODAY + timedelta(days=3)).isoformat()
    response = client.post(url, {"enrol-project": project.pk, "enrol-started_on": future})
    assert response.status_code == 200
    assert "De startdatum ligt in de toekomst" in response.content.decode()
    assert not Trajectory.objects.exists()


def test_only_projects_of_the_own_programmes(world, project):
    other_programme = make_programme(world.andere_gemeente, code="heuvel", name="Heuvelrand aan het werk")
    other = make_project(other_programme, world.andere_gemeente, code="h1", name="Heuvel")
    with pytest.raises(ValidationError) as exc:
        enrol(world, project=other)
    assert "project" in exc.value.message_dict
    # A project the municipality runs in someone else's programme may be used.
    national = make_programme(OrganisationFactory(name="Fonds", kind=OrganisationKind.OVERIG), code="landelijk")
    run_here = make_project(national, world.gemeente, code="rs", name="Rivierstad in het landelijke programma")
    assert set(sync_queries.usable_projects(world.regisseur)) == {project, run_here}
    enrol(world, project=run_here)


def test_twice_in_one_project_and_outside_the_project_period_are_refused(world, project):
    enrol(world, project=project)
    with pytest.raises(ValidationError, match="al gekoppeld"):
        enrol(world, project=project)
    late = make_project(project.programme, world.reintegratie, code="later", name="Later",
                        starts_on=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError, match="begint pas op"):
        enrol(world, project=late, days_ago=60)


# --- the closure and the placements -----------------------------------------------------------------------------------


def test_closing_through_the_service_gives_the_outcome(world, project):
    t = enrol(world, project=project)
    grant = access.grant_for(world.regisseur, world.participant)
    closure_services.close_trajectory(world.regisseur, world.participant, grant, closure_queries.ClosureData(
        closed_on=TODAY, outcome=Outcome.VOORTIJDIGE_UITVAL, dropout_reason=DropoutReason.ZORGTAKEN))
    t = fresh(t)
    assert t.ended_on == TODAY and t.outcome == Outcome.VOORTIJDIGE_UITVAL
    assert t.dropout_reason == DropoutReason.ZORGTAKEN
    assert not t.is_active


def test_a_closure_before_the_start_does_not_end_the_trajectory(world, project):
    close(world, closed_on=TODAY - timedelta(days=400))
    t = enrol(world, project=project, days_ago=300)
    assert t.outcome == "" and t.ended_on is None


def test_deleting_the_closure_reopens_the_trajectory(world, project):
    t = enrol(world, project=project)
    c = close(world)
    assert fresh(t).outcome == Outcome.GEEN_WERK
    c.delete()
    t = fresh(t)
    assert t.outcome == "" and t.ended_on is None


def test_paid_work_takes_job_title_contract_and_hours_from_the_placement(world, project):
    t = enrol(world, project=project)
    start = TODAY - timedelta(days=100)
    placement(world, kind=PlacementKind.VRIJWILLIGERSWERK, title="Vrijwilliger", start=TODAY - timedelta(days=250),
              ended_on=TODAY - timedelta(days=150), contract=ContractType.GEEN, hours="8")
    placement(world, start=start, title="Orderpicker", contract=ContractType.TIJDELIJK, hours="0",
              contract_end=start + timedelta(days=364))
    close(world, outcome=Outcome.BETAALD_WERK)
    t = fresh(t)
    assert t.job_title == "Orderpicker"
    assert t.contract_type == ContractType.TIJDELIJK
    assert t.hours_per_week == Decimal("0")  # zero hours is 0, not unknown
    assert t.contract_months == 12
    assert t.first_placement_on == TODAY - timedelta(days=250)


def test_the_employer_placement_of_the_closure_is_the_job(world, project):
    t = enrol(world, project=project)
    chosen = placement(world, title="Kok", start=TODAY - timedelta(days=200), contract=ContractType.VAST, hours="32")
    placement(world, title="Afwasser", start=TODAY - timedelta(days=100), employer_name="Hotel")
    close(world, outcome=Outcome.BETAALD_WERK, employer_placement=chosen)
    t = fresh(t)
    assert (t.job_title, t.contract_type, t.hours_per_week) == ("Kok", ContractType.VAST, Decimal("32"))
    assert t.contract_months is None  # permanent: no duration


def test_unknown_contract_end_and_other_outcomes_leave_job_data_empty(world, project):
    t = enrol(world, project=project)
    placement(world, contract=ContractType.UITZEND, contract_end=None)
    close(world, outcome=Outcome.BETAALD_WERK)
    t = fresh(t)
    assert t.contract_type == ContractType.UITZEND and t.contract_months is None
    other = ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur)
    t2 = enrol(world, other, project)
    placement(world, other, start=TODAY - timedelta(days=100))
    close(world, other, outcome=Outcome.GEEN_WERK)
    t2 = fresh(t2)
    assert t2.job_title == "" and t2.hours_per_week is None and t2.first_placement_on == TODAY - timedelta(days=100)


def test_a_new_term_updates_the_trajectory(world, project):
    t = enrol(world, project=project)
    p = placement(world, contract=ContractType.TIJDELIJK, hours="16", contract_end=TODAY + timedelta(days=30))
    close(world, outcome=Outcome.BETAALD_WERK)
    PlacementTerm.objects.create(placement=p, effective_from=TODAY - timedelta(days=5), contract_type=ContractType.VAST,
                                 hours_per_week=Decimal("36"), recorded_by=world.regisseur)
    t = fresh(t)
    assert (t.contract_type, t.hours_per_week, t.contract_months) == (ContractType.VAST, Decimal("36"), None)


def test_contract_months_counts_inclusive_days():
    class Term:
        contract_type = ContractType.TIJDELIJK
        contract_end = date(2026, 9, 30)

    assert sync_rules.contract_months(date(2026, 3, 2), Term) == 7
    Term.contract_end = date(2026, 12, 31)
    assert sync_rules.contract_months(date(2026, 1, 1), Term) == 12
    Term.contract_end = date(2026, 1, 10)
    assert sync_rules.contract_months(date(2026, 1, 1), Term) == 1


def test_refresh_all_repairs_a_programme(world, project):
    t = enrol(world, project=project)
    Trajectory.objects.filter(pk=t.pk).update(gender="vrouw", level_spreken="C2")
    assert sync.refresh_all(project.programme) == 1
    t = fresh(t)
    assert (t.gender, t.level_spreken) == (world.participant.gender, world.participant.level_spreken)


def test_a_partner_staff_member_sees_no_enrol_form_but_the_panel(world, project):
    from koers.monitoring.queries import panel as participant_panel

    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur)
    enrol(world, project=project)
    grant = access.grant_for(world.begeleider, world.participant)
    ctx = participant_panel.panel_context(world.begeleider, world.participant, grant)
    assert ctx["form"] is None and ctx["items"][0]["trajectory"].project == project
    regisseur_ctx = participant_panel.panel_context(
        world.regisseur, world.participant, access.grant_for(world.regisseur, world.participant))
    assert regisseur_ctx["form"] is None  # the only project is already joined
    make_project(project.programme, world.gemeente, code="eigen", name="Eigen begeleiding")
    regisseur_ctx = participant_panel.panel_context(
        world.regisseur, world.participant, access.grant_for(world.regisseur, world.participant))
    assert [p.code for p in regisseur_ctx["form"].fields["project"].queryset] == ["eigen"]


def test_the_panel_renders_projects_follow_ups_and_the_enrol_form(world, project, rf):
    from django.template.loader import render_to_string

    from koers.monitoring.queries import panel as participant_panel

    make_project(project.programme, world.gemeente, code="eigen", name="Eigen begeleiding")
    enrol(world, project=project)
    close(world, closed_on=TODAY - timedelta(days=200))
    grant = access.grant_for(world.regisseur, world.participant)
    ctx = participant_panel.panel_context(world.regisseur, world.participant, grant)
    request = rf.get("/")
    request.user = world.regisseur
    html = render_to_string("monitoring/_participant_panel.html", {"monitoring_panel": ctx}, request=request)
    assert "Route naar werk" in html and "Rivierstad Werkt" in html and "Geen werk" in html
    assert "Vervolgmeting 6 maanden" in html and "te laat" in html
    assert reverse("monitoring:enrol", args=[world.participant.pk]) in html and "Eigen begeleiding" in html
    # Without the trajectory category (not visible at all for a taaldocent of another org): nothing.
    assert participant_panel.panel_context(world.andere_regisseur, world.participant, access.NO_GRANT) == {}


def test_participant_page_shows_the_project_panel(world, client_for):
    from django.urls import reverse

    from koers.monitoring.models import Programme, Project, Trajectory

    programme = Programme.objects.create(code="eigen", name="Rivierstad Werkt", owner=world.gemeente)
    project = Project.objects.create(programme=programme, code="p1", name="Werkfit", organisation=world.gemeente)
    Trajectory.objects.create(programme=programme, project=project, participant=world.participant)
    page = client_for(world.regisseur).get(reverse("participants:detail", args=[world.participant.pk]))
    html = page.content.decode()
    assert "Project en vervolgmetingen" in html
    assert "Werkfit" in html
    # the language teacher's organisation is not involved in the project's programme: no enrol form for her
    other = client_for(world.taaldocent).get(reverse("participants:detail", args=[world.participant.pk]))
    assert "Aan project koppelen" not in other.content.decode()
