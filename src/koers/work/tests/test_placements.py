"""Placements: from a match or directly, bad input, terms as history, the phase, access (hidden is 404), audit,
query budgets."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.core import access
from koers.core.codes import Category, ContractType, LegalBasis, OrganisationKind, Phase, PlacementKind, Role
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import Participant
from koers.work.models import EndReason, MatchStatus, Placement, PlacementTerm, Scheme
from koers.work.queries import placements as placement_queries
from koers.work.services import placements as placement_services
from koers.work.tests.placement_factories import employer, match, opening, place

pytestmark = pytest.mark.django_db


def grant(user, p):
    return access.grant_for(user, p)


def errors_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


# --- creating -------------------------------------------------------------------------------------------------


def test_placement_gets_first_terms_and_the_default_aftercare_schedule(world):
    p = place(world, schemes=[Scheme.LOONKOSTENSUBSIDIE, Scheme.NO_RISKPOLIS], buddy_name="Henk")
    assert p.schemes == "loonkostensubsidie no_riskpolis"
    assert p.scheme_labels == ["Loonkostensubsidie", "No-riskpolis"]
    (term,) = p.terms.all()
    assert (term.effective_from, term.contract_type, term.hours_per_week, term.contract_end) == (
        date(2026, 3, 2), ContractType.TIJDELIJK, Decimal("24"), date(2026, 9, 30))
    moments = [(c.label, c.planned_on) for c in p.aftercare.check_ins.all()]
    assert moments == [
        ("Week 1", date(2026, 3, 9)), ("Week 2", date(2026, 3, 16)), ("Maand 2", date(2026, 5, 2)),
        ("Maand 6", date(2026, 9, 2)), ("Maand 12", date(2027, 3, 2)),
    ]
    assert not p.aftercare.is_closed


def test_schedule_is_a_setting(world, settings):
    settings.KOERS_AFTERCARE_SCHEDULE = [("Dag 3", "d", 3), ("Maand 1", "m", 1)]
    p = place(world, start_date=date(2026, 1, 31), contract_end=date(2026, 12, 31))
    assert [(c.label, c.planned_on) for c in p.aftercare.check_ins.all()] == [
        ("Dag 3", date(2026, 2, 3)), ("Maand 1", date(2026, 2, 28))]


def test_a_paid_placement_moves_the_phase_to_nazorg_with_history(world):
    Participant.objects.filter(pk=world.participant.pk).update(phase=Phase.TRAJECT)
    world.participant.refresh_from_db()
    place(world)
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.NAZORG
    assert world.participant.changes.filter(field="phase", new_value="Plaatsing met nazorg").exists()


def test_a_work_experience_place_does_not_move_the_phase(world):
    Participant.objects.filter(pk=world.participant.pk).update(phase=Phase.TRAJECT)
    world.participant.refresh_from_db()
    place(world, kind=PlacementKind.WERKERVARINGSPLAATS, contract_type=ContractType.GEEN, contract_end=None)
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.TRAJECT


def test_zero_hours_is_allowed(world):
    p = place(world, contract_type=ContractType.NUL_UREN, hours_per_week=Decimal("0"), contract_end=None)
    assert placement_queries.current_term(p).is_zero_hours


@pytest.mark.parametrize(("overrides", "field", "text"), [
    ({"hours_per_week": Decimal("61")}, "hours_per_week", "Meer dan 60 uur"),
    ({"hours_per_week": Decimal("-1")}, "hours_per_week", "niet negatief"),
    ({"hours_per_week": None}, "hours_per_week", "0 bij een nulurencontract"),
    ({"contract_end": date(2026, 3, 1)}, "contract_end", "ligt vóór de start"),
    ({"probation_end": date(2026, 2, 1)}, "probation_end", "ligt vóór de start"),
    ({"contract_type": ContractType.VAST}, "contract_end", "vast contract heeft geen einddatum"),
    ({"contract_end": None}, "contract_end", "einddatum van het tijdelijke contract"),
    ({"employer_id": None}, "employer", "Kies de werkgever"),
    ({"job_title": " "}, "job_title", "Vul de functie in"),
    ({"kind": PlacementKind.PROEFPLAATSING}, "contract_type", "geen contract"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(world, overrides, field, text):
    with pytest.raises(ValidationError) as exc:
        place(world, **overrides)
    assert text in " ".join(errors_of(exc)[field])
    assert not Placement.objects.exists() and not PlacementTerm.objects.exists()


def test_sixty_hours_is_the_maximum(world):
    assert placement_queries.current_term(place(world, hours_per_week=Decimal("60"))).hours_per_week == 60


def test_an_opening_of_another_employer_is_refused(world):
    other = opening(world, employer(world, "Bakkerij De Korrel", sector="I"))
    with pytest.raises(ValidationError) as exc:
        place(world, opening_id=other.pk)
    assert "hoort niet bij Kunststof Oost" in errors_of(exc)["opening"][0]


def test_from_a_match_the_match_becomes_placed(world):
    m = match(world)
    p = place(world, match_id=m.pk, employer_id=m.opening.employer_id)
    m.refresh_from_db()
    assert m.status == MatchStatus.GEPLAATST and m.decided_at is not None
    assert p.opening_id == m.opening_id and p.match_id == m.pk
    with pytest.raises(ValidationError) as exc:  # a match is placed once
        place(world, match_id=m.pk, employer_id=m.opening.employer_id)
    assert "al geplaatst" in errors_of(exc)["match"][0]


def test_a_match_of_another_participant_is_refused(world):
    other = ParticipantFactory(regie_organisation=world.gemeente)
    m = match(world, participant=other)
    with pytest.raises(ValidationError) as exc:
        place(world, match_id=m.pk)
    assert "hoort niet bij deze deelnemer" in errors_of(exc)["match"][0]


def test_no_placement_after_closing(world):
    Participant.objects.filter(pk=world.participant.pk).update(phase=Phase.AFGESLOTEN)
    world.participant.refresh_from_db()
    with pytest.raises(ValidationError, match="afgesloten"):
        place(world)


# --- terms and ending -----------------------------------------------------------------------------------------


def test_extensions_and_changes_are_new_records_and_tell_whether_the_job_lasted(world):
    p = place(world)
    g = grant(world.regisseur, world.participant)
    placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
        date(2026, 10, 1), ContractType.TIJDELIJK, Decimal("32"), date(2027, 3, 31), "Verlengd, meer uren"))
    placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
        date(2027, 4, 1), ContractType.VAST, Decimal("28"), None))
    p = placement_services.get_placement_or_404(world.participant, g, p.pk)
    current = placement_queries.current_term(p)
    assert (current.contract_type, current.hours_per_week, current.contract_end) == (ContractType.VAST, 28, None)
    history = placement_queries.term_history(p)
    assert [h["term"].hours_per_week for h in history] == [24, 32, 28]
    assert history[1]["changes"] == ["24 → 32 uur (meer)", "einddatum 31-3-2027"]
    assert history[2]["changes"][0] == "Tijdelijk contract → Vast contract"
    assert [h["hours_dropped"] for h in history] == [False, False, True]


def test_a_change_before_the_start_or_with_bad_hours_is_refused(world):
    p = place(world)
    g = grant(world.regisseur, world.participant)
    with pytest.raises(ValidationError) as exc:
        placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
            date(2026, 2, 1), ContractType.TIJDELIJK, Decimal("70"), date(2026, 1, 1)))
    found = errors_of(exc)
    assert "vóór de start" in found["effective_from"][0]
    assert "Meer dan 60" in found["hours_per_week"][0]
    assert "vóór de start" in found["contract_end"][0]
    assert p.terms.count() == 1


def test_ending_records_date_and_reason(world):
    p = place(world)
    g = grant(world.regisseur, world.participant)
    with pytest.raises(ValidationError) as exc:
        placement_services.end_placement(world.regisseur, world.participant, g, p.pk, ended_on=date(2026, 1, 1),
                                         reason="")
    assert set(errors_of(exc)) == {"ended_on", "end_reason"}
    placement_services.end_placement(world.regisseur, world.participant, g, p.pk, ended_on=date(2026, 6, 30),
                             reason=EndReason.PROEFTIJD, note="Tempo lag te hoog")
    p.refresh_from_db()
    assert (p.ended_on, p.end_reason, p.ended_by) == (date(2026, 6, 30), EndReason.PROEFTIJD, world.regisseur)
    with pytest.raises(ValidationError, match="al beëindigd"):
        placement_services.end_placement(world.regisseur, world.participant, g, p.pk, ended_on=date(2026, 7, 1),
                                 reason=EndReason.OVERIG)
    with pytest.raises(ValidationError) as exc:
        placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
            date(2026, 7, 1), ContractType.TIJDELIJK, Decimal("24"), date(2026, 12, 31)))
    assert "beëindigd" in errors_of(exc)["effective_from"][0]


# --- jobcoach ---------------------------------------------------------------------------------------------------


def test_the_proposed_jobcoach_is_the_own_counsellor_else_the_regisseur(world):
    staff = placement_queries.work_staff(world.participant)
    assert world.regisseur in staff and world.taaldocent not in staff  # a language provider's scope has no werk
    assert placement_queries.proposed_jobcoach(world.participant, staff) == world.regisseur
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
                      counsellor=world.begeleider)
    staff = placement_queries.work_staff(world.participant)
    assert placement_queries.proposed_jobcoach(world.participant, staff) == world.begeleider


def test_a_jobcoach_who_cannot_see_work_data_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        place(world, jobcoach_id=world.taaldocent.pk)
    assert "werkgegevens" in errors_of(exc)["jobcoach"][0]


# --- pages and access -----------------------------------------------------------------------------------------


def _form(world, **overrides):
    values = {
        "employer": employer(world).pk, "kind": PlacementKind.BETAALD_WERK, "job_title": "Productiemedewerker",
        "start_date": "2026-03-02", "contract_type": ContractType.TIJDELIJK, "hours_per_week": "24",
        "contract_end": "2026-09-30", "schemes": [Scheme.PROEFPLAATSING], "buddy_name": "",
        "jobcoach": world.regisseur.pk,
    }
    values.update(overrides)
    return values


def test_create_page_records_a_placement_and_shows_its_aftercare_plan(world, client_for):
    client = client_for(world.regisseur)
    url = reverse("work:placement_create", kwargs={"pk": world.participant.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{world.regisseur.pk}" selected' in page.content.decode()  # proposed jobcoach
    response = client.post(url, _form(world))
    p = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("work:placement_detail", kwargs={"pk": world.participant.pk,
                                                                            "placement_id": p.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "Nazorgplan" in detail and "Maand 12" in detail and "Week 1" in detail
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.CREATE,
                                     category=Category.WORK).exists()


def test_create_page_shows_the_errors_next_to_the_fields(world, client_for):
    client = client_for(world.regisseur)
    url = reverse("work:placement_create", kwargs={"pk": world.participant.pk})
    page = client.post(url, _form(world, hours_per_week="75", contract_end="2026-01-01")).content.decode()
    assert "Meer dan 60 uur per week kan niet" in page
    assert "ligt vóór de start" in page
    assert not Placement.objects.exists()


def test_from_match_page_fixes_employer_and_opening(world, client_for):
    m = match(world)
    client = client_for(world.regisseur)
    url = reverse("work:placement_from_match", kwargs={"match_id": m.pk})
    page = client.get(url).content.decode()
    assert "Uit de match met" in page and "Productiemedewerker" in page
    response = client.post(url, _form(world, employer="", opening=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    p = Placement.objects.get()
    assert (p.employer_id, p.opening_id, p.match_id) == (m.opening.employer_id, m.opening_id, m.pk)


def test_another_municipalitys_participant_is_404_everywhere(world, client_for):
    other = world.other_participant
    m = match(world, participant=other)
    client = client_for(world.regisseur)
    for url in (reverse("work:participant_placements", kwargs={"pk": other.pk}),
                reverse("work:placement_create", kwargs={"pk": other.pk}),
                reverse("work:placement_from_match", kwargs={"match_id": m.pk}),
                reverse("work:close_trajectory", kwargs={"pk": other.pk})):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("work:placement_create", kwargs={"pk": other.pk}), _form(world)).status_code == 404
    assert not Placement.objects.exists()


def test_a_placement_of_another_participant_is_404(world, client_for):
    mine = place(world)
    other = ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur)
    client = client_for(world.regisseur)
    url = reverse("work:placement_detail", kwargs={"pk": other.pk, "placement_id": mine.pk})
    assert client.get(url).status_code == 404


def test_without_work_data_the_pages_do_not_exist(world, client_for):
    p = place(world)
    client = client_for(world.taaldocent)  # language provider: identity, trajectory, language — no werk
    assert client.get(reverse("work:participant_placements", kwargs={"pk": world.participant.pk})).status_code == 404
    assert client.get(reverse("work:placement_detail", kwargs={"pk": world.participant.pk,
                                                             "placement_id": p.pk})).status_code == 404
    assert placement_queries.panel(world.participant, grant(world.taaldocent, world.participant)) == {}


def test_reading_is_not_changing(world, client_for):
    """A projectleider reads work data at the regie organisation but changes nothing: 404 on the forms."""
    lead = make_user(world.gemeente, Role.PROJECTLEIDER)
    p = place(world)
    client = client_for(lead)
    assert client.get(reverse("work:participant_placements", kwargs={"pk": world.participant.pk})).status_code == 200
    assert client.get(reverse("work:placement_create", kwargs={"pk": world.participant.pk})).status_code == 404
    assert client.get(reverse("work:placement_term_add", kwargs={"pk": world.participant.pk,
                                                               "placement_id": p.pk})).status_code == 404


def test_a_partner_with_work_in_its_scope_may_record_a_placement(world, client_for):
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
                      legal_basis=LegalBasis.WETTELIJKE_TAAK)
    assert world.reintegratie.kind == OrganisationKind.REINTEGRATIE
    client = client_for(world.begeleider)
    url = reverse("work:placement_create", kwargs={"pk": world.participant.pk})
    assert client.post(url, _form(world, jobcoach=world.begeleider.pk)).status_code == 302
    assert Placement.objects.get().organisation == world.reintegratie


def test_term_and_end_pages(world, client_for):
    p = place(world)
    client = client_for(world.regisseur)
    kw = {"pk": world.participant.pk, "placement_id": p.pk}
    r = client.post(reverse("work:placement_term_add", kwargs=kw), {
        "effective_from": "2026-10-01", "contract_type": ContractType.TIJDELIJK, "hours_per_week": "16",
        "contract_end": "2027-03-31"})
    assert r.status_code == 302
    page = client.get(reverse("work:placement_detail", kwargs=kw)).content.decode()
    assert "minder uren" in page and "24 → 16 uur (minder)" in page
    r = client.post(reverse("work:placement_end", kwargs=kw), {"ended_on": "2026-06-01", "end_reason": ""})
    assert "Kies de reden" in r.content.decode()
    r = client.post(reverse("work:placement_end", kwargs=kw), {"ended_on": "2026-06-01",
                                                              "end_reason": EndReason.ANDERE_BAAN})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.end_reason == EndReason.ANDERE_BAAN


def test_panel_for_the_participant_page(world):
    place(world, start_date=timezone.localdate() - timedelta(days=3),
          contract_end=timezone.localdate() + timedelta(days=200))
    panel = placement_queries.panel(world.participant, grant(world.regisseur, world.participant))
    (item,) = panel["items"]
    assert item["open"] and item["aftercare"]["next"].label == "Week 1"
    assert panel["can_change"] and panel["can_close"]


def test_query_budget_of_list_and_detail(world, client_for, max_queries):
    for i in range(4):
        p = place(world, job_title=f"Functie {i}")
        g = grant(world.regisseur, world.participant)
        placement_services.add_term(world.regisseur, world.participant, g, p.pk, placement_queries.TermData(
            date(2026, 4, 1), ContractType.TIJDELIJK, Decimal("30"), date(2026, 12, 31)))
    client = client_for(world.regisseur)
    with max_queries(14):
        assert client.get(reverse("work:participant_placements", kwargs={"pk": world.participant.pk})
                          ).status_code == 200
    with max_queries(14):
        assert client.get(reverse("work:placement_detail", kwargs={"pk": world.participant.pk,
                                                                   "placement_id": p.pk})).status_code == 200


def test_placing_the_last_place_of_an_opening_marks_it_filled(world):
    """The opening leaves the matching lists once its places are taken by running placements."""
    from koers.work.models import OpeningStatus
    from koers.work.tests import placement_factories as f

    op = f.opening(world)
    op.places = 1
    op.save()
    m = f.match(world, op=op)
    f.place(world, match_id=m.pk, opening_id=op.pk, employer_id=op.employer_id)
    op.refresh_from_db()
    m.refresh_from_db()
    assert m.status == "geplaatst"
    assert op.status == OpeningStatus.VERVULD


def test_class_and_work_above_the_weekly_maximum_needs_a_recorded_reason(world, client_for):
    """Issue 12, break 4: the placement form checks the dual week (12 h class + 24 h work = 36 h > 32)."""
    import datetime as dt

    from koers.activities.models import Activity, ActivitySlot, Enrolment

    course = Activity.objects.create(provider=world.taal, title="NT2 B1", kind="taal_formeel",
                                     start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 12, 18),
                                     created_by=world.taaldocent)
    for day in range(4):
        ActivitySlot.objects.create(activity=course, weekday=day, start_time=dt.time(9), end_time=dt.time(12))
    Enrolment.objects.create(participant=world.participant, activity=course, start_date=course.start_date,
                             status="actief", enrolled_by=world.taaldocent)
    client = client_for(world.regisseur)
    url = reverse("work:placement_create", kwargs={"pk": world.participant.pk})
    page = client.post(url, _form(world)).content.decode()
    assert "12 uur les + 24 uur betaald werk = 36 uur, maximaal 32" in page
    assert "geef hier een reden om toch te plaatsen" in page
    assert not Placement.objects.exists()
    response = client.post(url, _form(world, over_hours_reason="Les stopt over twee weken; werkgever wil nu starten."))
    assert response.status_code == 302
    term = Placement.objects.get().terms.get()
    assert "Les stopt over twee weken" in term.note
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.CREATE,
                                     detail__contains="boven het maximum per week").exists()
