"""Closing a trajectory: the outcome proposed from the records, the dropout reason, open placements and aftercare
block it, the phase, access, and the eindrapportage PDFs (contents via pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.activities.tests.activity_factories import make_activity, make_enrolment
from koers.core import access
from koers.core.codes import (
    ActivityKind,
    Category,
    ContractType,
    DropoutReason,
    OrganisationKind,
    Outcome,
    Phase,
    PlacementKind,
    Role,
)
from koers.core.models import AuditAction, AuditEvent
from koers.core.tests.factories import OrganisationFactory, make_user
from koers.participants.models import Participant
from koers.work.models import CheckInWith, Closure, EndReason, Placement
from koers.work.queries import aftercare as aftercare_queries
from koers.work.queries import closure as closure_queries
from koers.work.services import aftercare as aftercare_services
from koers.work.services import closure as closure_services
from koers.work.tests.placement_factories import employer, place

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def grant(world, user=None):
    return access.grant_for(user or world.regisseur, world.participant)


def start_ago(days=60, **overrides):
    start = TODAY - timedelta(days=days)
    values = {"start_date": start, "contract_end": start + timedelta(days=365)}
    values.update(overrides)
    return values


def close_aftercare(world, p):
    aftercare_services.close_with_final_talk(world.regisseur, world.participant, grant(world), p,
                                    aftercare_queries.FinalTalkData(TODAY, CheckInWith.SAMEN, "Het gaat goed."))


def placed(world, **overrides):
    p = place(world, **start_ago(**overrides))
    close_aftercare(world, p)
    return p


def proposal(world):
    return closure_queries.propose(world.participant, on=TODAY)


# --- the proposal ---------------------------------------------------------------------------------------------


def test_nothing_recorded_proposes_onbekend(world):
    assert proposal(world).outcome == Outcome.ONBEKEND


def test_an_active_paid_placement_proposes_paid_work(world):
    placed(world, kind=PlacementKind.WERKERVARINGSPLAATS, contract_type=ContractType.GEEN, contract_end=None)
    assert proposal(world).outcome == Outcome.WERKERVARINGSPLAATS
    placed(world, job_title="Productiemedewerker")
    p = proposal(world)
    assert p.outcome == Outcome.BETAALD_WERK
    assert "Productiemedewerker bij Kunststof Oost" in p.reason and "24 uur per week" in p.reason


@pytest.mark.parametrize(("kind", "contract", "outcome"), [
    (PlacementKind.LEERWERKPLEK, ContractType.TIJDELIJK, Outcome.LEER_WERKTRAJECT),  # BBL: the kind decides
    (PlacementKind.BESCHERMD_WERK, ContractType.VAST, Outcome.BETAALD_WERK),
    (PlacementKind.LEERWERKPLEK, ContractType.GEEN, Outcome.LEER_WERKTRAJECT),
    (PlacementKind.STAGE, ContractType.GEEN, Outcome.LEER_WERKTRAJECT),
    (PlacementKind.PROEFPLAATSING, ContractType.GEEN, Outcome.WERKERVARINGSPLAATS),
    (PlacementKind.VRIJWILLIGERSWERK, ContractType.GEEN, Outcome.VRIJWILLIGERSWERK),
    (PlacementKind.DAGBESTEDING, ContractType.GEEN, Outcome.ANDER_PROJECT),
])
def test_proposal_per_placement_kind(world, kind, contract, outcome):
    end = TODAY + timedelta(days=100) if contract == ContractType.TIJDELIJK else None
    placed(world, kind=kind, contract_type=contract, contract_end=end)
    assert proposal(world).outcome == outcome


def test_an_ended_placement_does_not_count(world):
    p = placed(world)
    Placement.objects.filter(pk=p.pk).update(ended_on=TODAY - timedelta(days=1), end_reason=EndReason.OVERIG)
    assert proposal(world).outcome == Outcome.GEEN_WERK


def test_regular_education_is_proposed_from_an_enrolment(world):
    school = OrganisationFactory(name="ROC Rivierland", kind=OrganisationKind.ONDERWIJS)
    make_enrolment(world.participant, make_activity(school, world.regisseur, title="Mbo Zorg niveau 2",
                                                    kind=ActivityKind.VAKSCHOLING), world.regisseur)
    assert proposal(world).outcome == Outcome.REGULIERE_OPLEIDING


def test_a_dropout_is_proposed_with_its_reason(world):
    activity = make_activity(world.taal, world.regisseur, start=TODAY - timedelta(days=100))
    make_enrolment(world.participant, activity, world.regisseur, status="uitgevallen",
                   end=TODAY - timedelta(days=10), dropout_reason=DropoutReason.REISAFSTAND)
    p = proposal(world)
    assert (p.outcome, p.dropout_reason) == (Outcome.VOORTIJDIGE_UITVAL, DropoutReason.REISAFSTAND)


def test_a_certificate_is_proposed_when_nothing_runs(world):
    activity = make_activity(world.taal, world.regisseur, title="VCA basis", kind=ActivityKind.CERTIFICERING,
                             start=TODAY - timedelta(days=100))
    make_enrolment(world.participant, activity, world.regisseur, status="afgerond", end=TODAY - timedelta(days=5))
    assert proposal(world).outcome == Outcome.CERTIFICAAT_BEHAALD


# --- closing --------------------------------------------------------------------------------------------------


def data(**overrides) -> closure_queries.ClosureData:
    values = {"closed_on": TODAY, "outcome": Outcome.GEEN_WERK}
    values.update(overrides)
    return closure_queries.ClosureData(**values)


def close(world, **overrides):
    return closure_services.close_trajectory(world.regisseur, world.participant, grant(world), data(**overrides))


def test_dropout_requires_a_reason_and_allows_an_explanation(world):
    with pytest.raises(ValidationError) as exc:
        close(world, outcome=Outcome.VOORTIJDIGE_UITVAL)
    assert "reden van uitval verplicht" in exc.value.message_dict["dropout_reason"][0]
    c = close(world, outcome=Outcome.VOORTIJDIGE_UITVAL, dropout_reason=DropoutReason.ZORGTAKEN,
              dropout_note="Zorgt voor haar moeder")
    assert (c.dropout_reason, c.dropout_note) == (DropoutReason.ZORGTAKEN, "Zorgt voor haar moeder")


def test_unknown_requires_what_was_tried(world):
    with pytest.raises(ValidationError) as exc:
        close(world, outcome=Outcome.ONBEKEND)
    assert "wat er is geprobeerd" in exc.value.message_dict["unknown_note"][0]
    c = close(world, outcome=Outcome.ONBEKEND, unknown_note="Drie keer gebeld, brief gestuurd, huisbezoek")
    assert c.proposed_outcome == Outcome.ONBEKEND


def test_open_placements_block_closing_until_decided(world):
    p = placed(world)
    with pytest.raises(ValidationError) as exc:
        close(world, outcome=Outcome.BETAALD_WERK)
    message = exc.value.message_dict["placements"][0]
    assert "Productiemedewerker bij Kunststof Oost" in message and "eindigt" in message and "doorloopt" in message
    world.participant.refresh_from_db()
    assert world.participant.phase != Phase.AFGESLOTEN and not Closure.objects.exists()
    # Keeping a placement running is an explicit choice with a recorded reason.
    with pytest.raises(ValidationError) as exc:
        close(world, outcome=Outcome.BETAALD_WERK,
              decisions={p.pk: closure_queries.PlacementDecision(closure_queries.KEEP)})
    assert "waarom de plaatsing doorloopt" in exc.value.message_dict["kept_reason"][0]
    assert not Closure.objects.exists()
    c = close(world, outcome=Outcome.BETAALD_WERK,
              decisions={p.pk: closure_queries.PlacementDecision(closure_queries.KEEP)},
              kept_reason="Vast werk gevonden; de nazorg loopt door.")
    assert list(c.placements_kept.all()) == [p]
    assert c.kept_reason == "Vast werk gevonden; de nazorg loopt door."
    assert AuditEvent.objects.filter(participant_id=world.participant.pk,
                                     detail__contains="Vast werk gevonden").exists()
    assert (c.outcome, c.proposed_outcome) == (Outcome.BETAALD_WERK, Outcome.BETAALD_WERK)
    p.refresh_from_db()
    assert p.ended_on is None


def test_ending_a_placement_at_closing_changes_the_recorded_proposal(world):
    p = placed(world)
    c = close(world, outcome=Outcome.BETAALD_WERK, decisions={p.pk: closure_queries.PlacementDecision(
        closure_queries.END, TODAY, EndReason.TRAJECT_AFGESLOTEN)})
    p.refresh_from_db()
    assert (p.ended_on, p.end_reason) == (TODAY, EndReason.TRAJECT_AFGESLOTEN)
    assert c.proposed_outcome == Outcome.GEEN_WERK and c.outcome == Outcome.BETAALD_WERK


def test_ending_after_the_closing_date_is_refused(world):
    p = placed(world)
    with pytest.raises(ValidationError) as exc:
        close(world, closed_on=TODAY - timedelta(days=1), decisions={p.pk: closure_queries.PlacementDecision(
            closure_queries.END, TODAY, EndReason.OVERIG)})
    assert "uiterlijk op de datum van afsluiten" in exc.value.message_dict[f"placement_{p.pk}"][0]


def test_open_aftercare_does_not_block_closing_and_check_ins_stay_due(world):
    # Was: open aftercare blocked closing until an eindgesprek. Aftercare runs 6-12 months and goes on after the
    # trajectory is closed (issue 12), so closing no longer needs it; its check-ins stay due.
    p = place(world, **start_ago())
    c = close(world, outcome=Outcome.BETAALD_WERK,
              decisions={p.pk: closure_queries.PlacementDecision(closure_queries.KEEP)}, kept_reason="Werk gevonden")
    assert list(c.placements_kept.all()) == [p]
    plan = aftercare_queries.get_plan(p)
    assert not plan.is_closed and plan.check_ins.filter(done_on__isnull=True).exists()


def test_a_placement_that_starts_later_is_proposed_and_closed_around(world):
    later = TODAY + timedelta(days=20)
    p = place(world, start_date=later, contract_end=later + timedelta(days=180))
    school = OrganisationFactory(name="Taalschool Noord", kind=OrganisationKind.TAALAANBIEDER)
    make_enrolment(world.participant, make_activity(school, world.regisseur, title="Taal op de werkvloer",
                                                    start=TODAY + timedelta(days=7)), world.regisseur)
    pr = proposal(world)
    assert pr.outcome == Outcome.BETAALD_WERK
    assert "begint op" in pr.reason and "geen plaatsingen of activiteiten" not in pr.reason
    # Ending a job that has not started is not possible; it is kept (with a reason) or withdrawn.
    with pytest.raises(ValidationError) as exc:
        close(world, outcome=Outcome.BETAALD_WERK, decisions={p.pk: closure_queries.PlacementDecision(
            closure_queries.END, TODAY, EndReason.TRAJECT_AFGESLOTEN)})
    assert "begint pas op" in exc.value.message_dict[f"placement_{p.pk}"][0]
    c = close(world, outcome=Outcome.BETAALD_WERK, kept_reason="Start volgende maand; nazorg loopt door",
              decisions={p.pk: closure_queries.PlacementDecision(closure_queries.KEEP)})
    assert c.proposed_outcome == Outcome.BETAALD_WERK and list(c.placements_kept.all()) == [p]


def test_records_that_ended_or_start_later_are_not_onbekend(world):
    activity = make_activity(world.taal, world.regisseur, start=TODAY + timedelta(days=14))
    make_enrolment(world.participant, activity, world.regisseur)
    pr = proposal(world)
    assert pr.outcome == Outcome.GEEN_WERK and "1 activiteit" in pr.reason


def test_a_withdrawn_placement_is_not_proposed(world):
    from koers.work.services import placements as placement_services

    p = place(world, **start_ago())
    placement_services.withdraw_placement(world.regisseur, world.participant, grant(world), p.pk,
                                          reason="Verkeerde deelnemer gekozen")
    assert proposal(world).outcome == Outcome.ONBEKEND
    c = close(world, outcome=Outcome.ONBEKEND, unknown_note="Gebeld en gemaild")
    assert not c.placements_kept.exists()


def test_closing_moves_the_phase_and_is_audited(world):
    close(world)
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.AFGESLOTEN
    assert world.participant.changes.filter(field="phase", new_value="Afgesloten").exists()
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.CREATE,
                                     category=Category.TRAJECTORY, detail__startswith="Traject afgesloten").exists()
    with pytest.raises(ValidationError, match="al afgesloten"):
        close(world)


def test_closing_ends_the_running_enrolments_and_the_providers_access(world):
    """Issue 12: a closed trajectory left its enrolments running: still 'actief' on the activity's lists and
    the week schedule, and the provider kept its access. Closing ends them on the closure date (one that had
    not begun on its start date), reason 'overig' with only "Traject afgesloten" as the note; the proposal is
    stored before, so it is not turned into a dropout; one that ended already is left alone."""
    from koers.activities.services import activities as activity_services
    from koers.participants.models import Membership

    participant = world.participant
    partner = OrganisationFactory(name="Taalschool Oost", kind=OrganisationKind.TAALAANBIEDER)
    course = make_activity(partner, world.regisseur, title="NT2 B1", start=TODAY - timedelta(days=30))
    enrolment = activity_services.enrol(world.regisseur, participant, grant(world), course,
                                        start=TODAY - timedelta(days=20), end=None, status="actief")
    assert enrolment.membership is not None and enrolment.membership.valid_until is None
    later = make_enrolment(participant, make_activity(world.taal, world.regisseur, title="Computerles",
                                                      start=TODAY - timedelta(days=5)),
                           world.regisseur, start=TODAY + timedelta(days=10), status="aangemeld")
    done = make_enrolment(participant, make_activity(world.taal, world.regisseur, title="Oud",
                                                     start=TODAY - timedelta(days=90)),
                          world.regisseur, end=TODAY - timedelta(days=3), status="actief")
    closure = close(world, outcome=Outcome.BETAALD_WERK)
    enrolment.refresh_from_db()
    later.refresh_from_db()
    done.refresh_from_db()
    assert (enrolment.status, enrolment.end_date, enrolment.dropout_reason) == (
        "uitgevallen", TODAY, DropoutReason.OVERIG)
    assert enrolment.dropout_note == f"Traject afgesloten op {TODAY.day}-{TODAY.month}-{TODAY.year}."
    assert (later.status, later.end_date) == ("uitgevallen", later.start_date)
    assert (done.status, done.end_date) == ("actief", TODAY - timedelta(days=3))
    assert set(closure.enrolments_ended.all()) == {enrolment, later}
    assert closure.proposed_outcome != Outcome.VOORTIJDIGE_UITVAL
    membership = Membership.objects.get(pk=enrolment.membership_id)
    assert membership.valid_until is not None and membership.valid_until <= TODAY + timedelta(days=14)
    detail = AuditEvent.objects.get(participant_id=participant.pk, action=AuditAction.CREATE,
                                    category=Category.TRAJECTORY, detail__startswith="Traject afgesloten").detail
    assert "2 inschrijving(en) beëindigd: ‘NT2 B1’, ‘Computerles’" in detail


def test_closing_with_a_placement_kept_still_ends_the_enrolments(world):
    p = place(world, **start_ago())
    course = make_activity(world.taal, world.regisseur, title="Avondles", start=TODAY - timedelta(days=30))
    enrolment = make_enrolment(world.participant, course, world.regisseur, start=TODAY - timedelta(days=20))
    closure = close(world, outcome=Outcome.BETAALD_WERK, decisions={
        p.pk: closure_queries.PlacementDecision(closure_queries.KEEP)}, kept_reason="Nazorg loopt door")
    enrolment.refresh_from_db()
    assert enrolment.status == "uitgevallen" and list(closure.placements_kept.all()) == [p]
    p.refresh_from_db()
    assert p.ended_on is None


def test_consent_for_the_employer_needs_a_date_and_a_placement(world):
    with pytest.raises(ValidationError) as exc:
        close(world, employer_consent=True)
    assert {"employer_consent_on", "employer_placement"} <= set(exc.value.message_dict)


def test_only_the_regisseur_closes(world, client_for):
    begeleider = make_user(world.gemeente, Role.BEGELEIDER)
    with pytest.raises(Exception) as exc:
        closure_services.close_trajectory(begeleider, world.participant, grant(world, begeleider), data())
    assert exc.type.__name__ == "Http404"
    url = reverse("work:close_trajectory", kwargs={"pk": world.participant.pk})
    assert client_for(begeleider).get(url).status_code == 404
    assert client_for(world.andere_regisseur).get(url).status_code == 404
    assert client_for(world.regisseur).get(url).status_code == 200


# --- pages ----------------------------------------------------------------------------------------------------


def test_close_page_proposes_and_requires_a_reason_for_dropout(world, client_for):
    p = placed(world)
    client = client_for(world.regisseur)
    url = reverse("work:close_trajectory", kwargs={"pk": world.participant.pk})
    page = client.get(url).content.decode()
    assert "Voorstel uitstroom: Betaald werk" in page
    assert re.search(r'<input type="radio" name="outcome" value="betaald_werk"[^>]*checked', page)
    form = {"closed_on": str(TODAY), "outcome": Outcome.VOORTIJDIGE_UITVAL}
    page = client.post(url, form).content.decode()
    assert "Er loopt nog 1 plaatsing" in page
    form[f"placement_{p.pk}_decision"] = closure_queries.END
    form[f"placement_{p.pk}_reason"] = EndReason.ZELF_GESTOPT
    page = client.post(url, form).content.decode()
    assert "reden van uitval verplicht" in page
    form["dropout_reason"] = DropoutReason.VERWACHTINGEN
    response = client.post(url, form)
    assert response.status_code == 302
    c = Closure.objects.get()
    assert c.dropout_reason == DropoutReason.VERWACHTINGEN
    detail = client.get(response["Location"]).content.decode()
    assert "Voortijdige uitval" in detail and "Verwachtingen kwamen niet uit" in detail
    assert "Eindrapportage gemeente" in detail and "Eindrapportage werkgever" not in detail


def test_close_page_says_which_enrolments_stop_and_the_confirmation_lists_them(world, client_for):
    course = make_activity(world.taal, world.regisseur, title="Taalles B1", start=TODAY - timedelta(days=30))
    make_enrolment(world.participant, course, world.regisseur, start=TODAY - timedelta(days=20))
    client = client_for(world.regisseur)
    url = reverse("work:close_trajectory", kwargs={"pk": world.participant.pk})
    page = client.get(url).content.decode()
    assert "Inschrijvingen stoppen bij het afsluiten" in page and "Taalles B1" in page
    response = client.post(url, {"closed_on": str(TODAY), "outcome": Outcome.GEEN_WERK}, follow=True)
    page = response.content.decode()
    assert "Het traject is afgesloten" in page and "1 inschrijving beëindigd." in page
    assert re.search(r"Inschrijvingen beëindigd</dt><dd>Taalles B1 \(", page)


def test_health_dropout_reason_is_hidden_without_special_categories(world, client_for):
    close(world, outcome=Outcome.VOORTIJDIGE_UITVAL, dropout_reason=DropoutReason.GEZONDHEID_PSYCHISCH)
    lead = make_user(world.gemeente, Role.PROJECTLEIDER)
    page = client_for(lead).get(reverse("work:closure_detail", kwargs={"pk": world.participant.pk})).content.decode()
    assert "afgeschermd" in page and "Psychische gezondheid" not in page
    page = client_for(world.regisseur).get(reverse("work:closure_detail", kwargs={"pk": world.participant.pk}))
    assert "Psychische gezondheid" in page.content.decode()


# --- eindrapportage -------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True,
                              text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
def test_the_eindrapportage_for_the_municipality_and_with_consent_for_the_employer(world, client_for):
    Participant.objects.filter(pk=world.participant.pk).update(level_spreken="A2", benefit="ja")
    world.participant.refresh_from_db()
    p = placed(world, hours_per_week=Decimal("24"))
    close(world, outcome=Outcome.BETAALD_WERK,
          decisions={p.pk: closure_queries.PlacementDecision(closure_queries.KEEP)}, kept_reason="Werk gevonden",
          summary="Nahom werkt 24 uur; advies: VCA en taalcoaching op de werkvloer.",
          employer_consent=True, employer_consent_on=TODAY, employer_placement_id=p.pk,
          employer_advice="Instrueer met voorbeelden; laat herhalen in eigen woorden.")
    client = client_for(world.regisseur)
    response = client.get(reverse("work:closure_report", kwargs={"pk": world.participant.pk, "version": "gemeente"}))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].endswith(f'eindrapportage-gemeente-{world.participant.pk}.pdf"')
    text = pdf_text(response.content)
    for expected in ("Eindrapportage voor de gemeente", "Nahom Tesfay", "Betaald werk", "Productiemedewerker bij",
                     "Kunststof Oost", "loopt door na het afsluiten", "Het gaat goed.", "advies: VCA", "A2"):
        assert expected in text, expected
    response = client.get(reverse("work:closure_report", kwargs={"pk": world.participant.pk, "version": "werkgever"}))
    text = pdf_text(response.content)
    assert "Eindrapportage voor de werkgever" in text and "Instrueer met voorbeelden" in text
    assert "Productiemedewerker" in text and "24 uur per week" in text
    for absent in ("Betaald werk", "Uitstroom", "advies: VCA", "uitkering: ja", "Het gaat goed."):
        assert absent not in text, absent
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.EXPORT).count() == 7


def test_no_employer_version_without_consent_and_no_pdf_for_others(world, client_for):
    close(world)
    client = client_for(world.regisseur)
    url = reverse("work:closure_report", kwargs={"pk": world.participant.pk, "version": "werkgever"})
    assert client.get(url).status_code == 404
    assert client.get(reverse("work:closure_report", kwargs={"pk": world.participant.pk,
                                                             "version": "iets"})).status_code == 404
    lead = make_user(world.gemeente, Role.PROJECTLEIDER)
    url = reverse("work:closure_report", kwargs={"pk": world.participant.pk, "version": "gemeente"})
    assert client_for(lead).get(url).status_code == 404
    assert client_for(world.andere_regisseur).get(url).status_code == 404


def test_the_close_page_query_budget(world, client_for, max_queries):
    for i in range(3):
        placed(world, job_title=f"Functie {i}", employer_id=employer(world, f"Werkgever {i}").pk)
    client = client_for(world.regisseur)
    with max_queries(16):
        assert client.get(reverse("work:close_trajectory", kwargs={"pk": world.participant.pk})).status_code == 200
