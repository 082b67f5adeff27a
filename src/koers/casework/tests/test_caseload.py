"""The caseload home page, its filters, access and query budget; the weighted team caseload and reassigning."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem, Contact
from koers.casework.queries import caseload
from koers.casework.services import caseload as caseload_services
from koers.core.codes import Category, LegalBasis, LifeDomain, OrganisationKind, Phase, Role, YesNoUnknown
from koers.core.models import AuditEvent, MunicipalityPolicy
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import Membership, Participant, ParticipantBarrier, ParticipantChange

pytestmark = pytest.mark.django_db

CASELOAD = reverse("casework:caseload")
TEAM = reverse("casework:team_caseload")
REASSIGN = reverse("casework:team_reassign")


def today():
    return timezone.localdate()


def contact(world, p, days_ago):
    return Contact.objects.create(
        participant=p, kind="telefoon", duration_minutes=10, organisation=world.gemeente, summary="Gebeld",
        happened_at=timezone.make_aware(dt.datetime.combine(today() - timedelta(days=days_ago), dt.time(10))),
        recorded_by=world.regisseur,
    )


def person(world, name, *, days_ago=1, regisseur=None, phase=Phase.TRAJECT, **kwargs):
    p = ParticipantFactory(name=name, regie_organisation=world.gemeente, regisseur=regisseur or world.regisseur,
                           phase=phase, **kwargs)
    contact(world, p, days_ago)
    return p


def overdue_item(world, p, days=2, domain=""):
    return ActionItem.objects.create(participant=p, owner_organisation=world.gemeente, title="Brief UWV",
                                     due_date=today() - timedelta(days=days), created_by=world.regisseur,
                                     domain=domain)


# --- home page --------------------------------------------------------------------------------------------


def test_home_is_the_caseload_for_regisseurs_and_counsellors(world, client_for):
    assert client_for(world.regisseur).get("/")["Location"] == CASELOAD
    assert client_for(world.begeleider).get("/")["Location"] == CASELOAD
    assert client_for(world.taaldocent).get("/")["Location"] == reverse("activities:my_sessions")
    accountmanager = make_user(world.reintegratie, Role.ACCOUNTMANAGER, username="am")
    assert client_for(accountmanager).get("/")["Location"] == reverse("work:opening_list")
    assert client_for(world.beheerder).get("/")["Location"] == reverse("core:organisation_list")
    assert client_for(world.taaldocent).get(CASELOAD).status_code == 404


# --- the regisseur's caseload ------------------------------------------------------------------------------


def test_regisseur_sees_own_participants_by_urgency_with_why_since_and_todo(world, client_for):
    contact(world, world.participant, 9)  # Nahom: no contact for 9 days (attention)
    calm = person(world, "Amal Yusuf")
    urgent = person(world, "Berhane Kidane", days_ago=20)  # urgent
    overdue_item(world, urgent)
    colleague = make_user(world.gemeente, Role.REGISSEUR, username="collega")
    person(world, "Dawit Haile", regisseur=colleague, days_ago=30)
    page = client_for(world.regisseur).get(CASELOAD).content.decode()
    assert page.index("Berhane Kidane") < page.index("Nahom Tesfay") < page.index("Amal Yusuf")
    assert "Dawit Haile" not in page and "Samira Haddad" not in page
    assert "Geen contact sinds 9 dagen" in page
    assert "Urgent</span>" in page and "Aandacht</span>" in page  # in text, not colour alone
    assert "Wat te doen:" in page and "Sinds " in page
    assert calm.name in page and page.index("Zonder signalen") < page.index(calm.name)
    # hele organisatie: the colleague's participant too
    page = client_for(world.regisseur).get(CASELOAD, {"scope": "organisatie"}).content.decode()
    assert "Dawit Haile" in page and "Samira Haddad" not in page


def test_one_compact_entry_per_person_the_most_urgent_signal_first_the_rest_folded(world, client_for):
    urgent = person(world, "Berhane Kidane", days_ago=20)  # no contact for 20 days (urgent)
    overdue_item(world, urgent)  # and an overdue action item
    for i in range(6):
        person(world, f"Rustig {i}")
    page = client_for(world.regisseur).get(CASELOAD).content.decode()
    entry = page[page.index("Berhane Kidane"):page.index("Zonder signalen")]
    assert entry.count('class="signal-item ') == 2
    folded = entry[entry.index('<details class="caseload__more">'):]
    assert "1 ander signaal" in folded and folded.count('class="signal-item ') == 1
    # The six without signals: one line each in one list, not six cards.
    calm = page[page.index("Zonder signalen"):]
    assert all(f"Rustig {i}" in calm for i in range(6))
    assert 'class="caseload__row' not in calm
    ids = re.findall(r'id="(ack-[^"]+)"', page)
    assert len(ids) == len(set(ids))  # every acknowledge form field has its own id


def test_filters_on_phase_signal_type_and_only_with_signals(world, client_for):
    contact(world, world.participant, 9)
    person(world, "Amal Yusuf", phase=Phase.INTAKE)
    late = person(world, "Berhane Kidane")
    overdue_item(world, late)
    client = client_for(world.regisseur)
    page = client.get(CASELOAD, {"fase": Phase.INTAKE}).content.decode()
    assert "Amal Yusuf" in page and "Nahom Tesfay" not in page
    page = client.get(CASELOAD, {"signaal": "actiepunt_te_laat"}).content.decode()
    assert "Berhane Kidane" in page and "Nahom Tesfay" not in page and "Amal Yusuf" not in page
    page = client.get(CASELOAD, {"alleen_signalen": "on"}).content.decode()
    assert "Berhane Kidane" in page and "Nahom Tesfay" in page and "Amal Yusuf" not in page
    assert client.get(CASELOAD, {"fase": "onzin", "signaal": "<x>"}).status_code == 200


def test_closed_trajectories_are_not_in_the_caseload(world, client_for):
    person(world, "Amal Yusuf", phase=Phase.AFGESLOTEN)
    assert "Amal Yusuf" not in client_for(world.regisseur).get(CASELOAD).content.decode()


def test_caseload_is_audited_per_participant_and_category(world, client_for):
    contact(world, world.participant, 9)
    client_for(world.regisseur).get(CASELOAD)
    events = AuditEvent.objects.filter(participant_id=world.participant.pk, action="lijst")
    assert set(events.values_list("category", flat=True)) == {Category.IDENTITY, Category.TRAJECTORY}


def _counsellor_world(world, *, special_scope=False):
    membership = MembershipFactory(
        participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
        counsellor=world.begeleider,
        legal_basis=LegalBasis.TOESTEMMING if special_scope else LegalBasis.WETTELIJKE_TAAK,
        scope=Membership.scope_value({Category.IDENTITY, Category.TRAJECTORY}
                                     | ({Category.SPECIAL} if special_scope else set())),
    )
    other = ParticipantFactory(name="Amal Yusuf", regie_organisation=world.gemeente, regisseur=world.regisseur)
    MembershipFactory(participant=other, organisation=world.reintegratie, added_by=world.regisseur)
    return membership, other


def test_counsellor_sees_the_participants_whose_membership_names_them(world, client_for):
    _counsellor_world(world)
    client = client_for(world.begeleider)
    page = client.get(CASELOAD).content.decode()
    assert "Nahom Tesfay" in page and "Amal Yusuf" not in page
    page = client.get(CASELOAD, {"scope": "organisatie"}).content.decode()
    assert "Nahom Tesfay" in page and "Amal Yusuf" in page and "Samira Haddad" not in page


def test_an_ended_membership_takes_the_participant_off_the_caseload(world, client_for):
    membership, _ = _counsellor_world(world)
    Membership.objects.filter(pk=membership.pk).update(ended_at=timezone.now())
    assert "Nahom Tesfay" not in client_for(world.begeleider).get(CASELOAD).content.decode()


def test_health_signals_only_for_whoever_may_see_health_data(world, client_for):
    _counsellor_world(world)
    contact(world, world.participant, 1)
    ActionItem.objects.create(participant=world.participant, owner_organisation=world.gemeente,
                              title="Huisarts bellen over slaapproblemen", due_date=today() - timedelta(days=3),
                              domain=LifeDomain.GEESTELIJKE_GEZONDHEID, created_by=world.regisseur)
    assert "Huisarts bellen" in client_for(world.regisseur).get(CASELOAD).content.decode()
    page = client_for(world.begeleider).get(CASELOAD).content.decode()
    assert "Nahom Tesfay" in page and "Huisarts bellen" not in page and "bijzondere gegevens" not in page


def test_query_count_does_not_grow_with_the_caseload(world, client_for, max_queries, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n, start):
        for i in range(n):
            p = person(world, f"Deelnemer {start + i}", days_ago=(i % 12))
            if i % 2:
                overdue_item(world, p)

    client = client_for(world.regisseur)
    grow(2, 0)
    client.get(CASELOAD)  # warm (session, user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(CASELOAD).status_code == 200
    grow(27, 100)
    with max_queries(len(small)):
        page = client.get(CASELOAD).content.decode()
    assert page.count('class="caseload__row') + page.count('class="caseload-calm__item') == 30
    with max_queries(25):
        client.get(CASELOAD, {"scope": "organisatie", "alleen_signalen": "on"})


# --- weights and the team --------------------------------------------------------------------------------


def test_weight_per_phase_and_flags():
    policy = MunicipalityPolicy()
    assert caseload.weight(Phase.INTAKE, 0, YesNoUnknown.ONBEKEND, policy) == Decimal("1.5")
    assert caseload.weight(Phase.AANMELDING, 0, YesNoUnknown.NEE, policy) == Decimal("1.5")
    assert caseload.weight(Phase.TRAJECT, 2, YesNoUnknown.NEE, policy) == Decimal("1.0")
    assert caseload.weight(Phase.TRAJECT, 3, YesNoUnknown.JA, policy) == Decimal("1.7")
    assert caseload.weight(Phase.NAZORG, 0, YesNoUnknown.JA, policy) == Decimal("0.9")
    assert caseload.weight(Phase.AFGESLOTEN, 5, YesNoUnknown.JA, policy) == Decimal("0")


def _team(world):
    colleague = make_user(world.gemeente, Role.REGISSEUR, username="collega", first_name="Cor",
                          email="cor@example.org")
    heavy = person(world, "Amal Yusuf", phase=Phase.INTAKE, interpreter_needed=YesNoUnknown.JA)
    for code in ("schulden", "huisvesting", "psychische_gezondheid"):
        ParticipantBarrier.objects.create(participant=heavy, code=code)
    person(world, "Berhane Kidane", regisseur=colleague, phase=Phase.NAZORG)
    return colleague, heavy


def test_team_page_shows_count_and_weighted_load_per_regisseur(world, client_for):
    _team(world)
    page = client_for(world.regisseur).get(TEAM).content.decode()
    # Rita: Nahom (aanmelding 1.5) + Amal (intake 1.5 + multiproblem 0.5 + tolk 0.2) = 3.7; Cor: nazorg 0.7
    assert "<strong>3,7</strong>" in page and "<strong>0,7</strong>" in page  # Dutch decimal comma
    assert page.index("Rita") < page.index("Cor")


def test_health_barriers_do_not_count_for_a_projectleider(world, client_for):
    _team(world)
    lead = make_user(world.gemeente, Role.PROJECTLEIDER, username="lead")
    loads, _ = caseload.team_loads(lead)
    rita = next(s for s in loads if s.user == world.regisseur)
    assert rita.load == Decimal("3.2")  # two visible barriers: no multiproblem extra


def test_team_page_is_for_team_roles_of_a_municipality(world, client_for):
    assert client_for(world.begeleider).get(TEAM).status_code == 404
    assert client_for(world.taaldocent).get(TEAM).status_code == 404
    assert client_for(world.regisseur).post(REASSIGN, {}).status_code == 404  # nobody selected


def test_reassign_is_audited_kept_in_the_history_and_notifies_both(world, client_for,
                                                                   django_capture_on_commit_callbacks):
    colleague, heavy = _team(world)
    world.regisseur.email = "rita@example.org"
    world.regisseur.save()
    client = client_for(world.regisseur)
    page = client.get(TEAM, {"van": world.regisseur.pk}).content.decode()
    assert "Amal Yusuf" in page and "multiproblematiek" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REASSIGN, {"van": world.regisseur.pk, "participants": [heavy.pk],
                                          "regisseur": colleague.pk})
    assert response.status_code == 302
    assert Participant.objects.get(pk=heavy.pk).regisseur == colleague
    change = ParticipantChange.objects.get(participant=heavy, field="regisseur")
    assert change.old_value == str(world.regisseur) and change.new_value == str(colleague)
    event = AuditEvent.objects.get(participant_id=heavy.pk, action="wijzigen")
    assert event.category == Category.TRAJECTORY and "Cor" in event.detail
    assert sorted(m.to[0] for m in mail.outbox) == ["cor@example.org", "rita@example.org"]
    assert all("Amal" not in m.body and f"deelnemer {heavy.pk}" in m.body for m in mail.outbox)
    assert "warme overdracht" in next(m for m in mail.outbox if m.to == ["rita@example.org"]).body.lower()


def test_reassign_refuses_bad_input(world, client_for):
    colleague, heavy = _team(world)
    other_regisseur = world.andere_regisseur
    client = client_for(world.regisseur)
    response = client.post(REASSIGN, {"van": world.regisseur.pk, "participants": [heavy.pk],
                                      "regisseur": other_regisseur.pk})
    assert response.status_code == 400 and "Kies een regisseur van uw eigen organisatie" in response.content.decode()
    response = client.post(REASSIGN, {"van": world.regisseur.pk, "regisseur": colleague.pk})
    assert "Kies minstens één deelnemer" in response.content.decode()
    response = client.post(REASSIGN, {"van": world.regisseur.pk, "participants": [world.other_participant.pk],
                                      "regisseur": colleague.pk})
    assert response.status_code == 400  # not in the list: refused, nothing changed
    assert Participant.objects.get(pk=world.other_participant.pk).regisseur == world.andere_regisseur
    with pytest.raises(Exception) as exc:
        caseload_services.reassign(world.regisseur, [world.other_participant.pk], colleague.pk)
    assert exc.value.__class__.__name__ == "Http404"
    assert Participant.objects.get(pk=heavy.pk).regisseur == world.regisseur


def test_a_partner_cannot_reassign(world):
    partner_lead = make_user(world.reintegratie, Role.PROJECTLEIDER, username="pl")
    assert world.reintegratie.kind == OrganisationKind.REINTEGRATIE
    assert not caseload.may_lead_team(partner_lead)
