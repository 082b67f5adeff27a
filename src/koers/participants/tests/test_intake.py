"""The brede intake as case workers use it: start, steps, resume, complete; access rules and bad input."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.casework.models import ActionItem
from koers.casework.services import intake as closing_services
from koers.core.access import grant_for
from koers.core.codes import Category, LegalBasis, Phase, Role
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory, make_user
from koers.participants.models import Intake, IntakeDomain, IntakeStatus, Membership, ParticipantChange
from koers.participants.queries import intake as intake_queries
from koers.participants.services import intake as intake_services

pytestmark = pytest.mark.django_db

HEALTH_NOTE = "Slaapt slecht sinds de vlucht"
LANGUAGE_NOTE = "Spreekt al wat Nederlands op straat"


def url(name, p, **kw):
    return reverse(f"participants:{name}", kwargs={"pk": p.pk, **kw})


def step_url(intake, step):
    return url("intake_step", intake.participant, intake_id=intake.pk, step=step)


def start(user, participant) -> Intake:
    obj, _created = intake_services.start_intake(user, participant, grant_for(user, participant))
    return obj


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def closing_data(rows, *, initial, action="afronden", summary="Gesprek thuis, veel motivatie."):
    data = {
        "summary": summary, "action": action, "actie-TOTAL_FORMS": str(len(rows)),
        "actie-INITIAL_FORMS": str(initial), "actie-MIN_NUM_FORMS": "0", "actie-MAX_NUM_FORMS": "40",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value not in (None, False):
                data[f"actie-{i}-{key}"] = "on" if value is True else value
    return data


def row(org, title="Aanmelden bij schuldhulp", *, domain="", due=None, assignee=None, **extra):
    return {"title": title, "domain": domain, "owner_organisation": str(org.pk), "due_date": due or in_days(14),
            "assignee": str(assignee.pk) if assignee else "", **extra}


def fill_domains(obj, **notes):
    for code, (situation, support) in notes.items():
        IntakeDomain.objects.create(intake=obj, domain=code, situation=situation, support_needed=support)


class FormValues(HTMLParser):
    """What a browser would submit from the page's form, as shown (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox", "radio"):
            self.data[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.data[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def form_values(page: str) -> dict[str, str]:
    parser = FormValues()
    parser.feed(page[page.index("<form method=\"post\""):])
    return parser.data


@pytest.fixture
def partner(world):
    """The re-integration company becomes a partner (legal task: identity, trajectory, language, work)."""
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur)
    return world.begeleider


# --- The whole journey -----------------------------------------------------------------------------------------

def test_regisseur_walks_through_the_intake_and_completes_it(world, client_for):
    client = client_for(world.regisseur)
    response = client.post(url("intake_start", world.participant))
    obj = Intake.objects.get(participant=world.participant)
    assert response.status_code == 302 and response["Location"] == step_url(obj, "gesprek")
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.INTAKE

    page = client.get(step_url(obj, "gesprek")).content.decode()
    assert 'aria-current="step"' in page and "Gezondheid" in page  # the regisseur gets the health step
    response = client.post(step_url(obj, "gesprek"), {
        "held_on": timezone.localdate().isoformat(), "home_visit": "on", "location": "",
        "co_interviewer": world.taaldocent.pk, "interpreter_present": "on", "action": "verder",
    })
    assert response["Location"] == step_url(obj, "identiteit")
    obj.refresh_from_db()
    assert obj.home_visit and obj.co_interviewer == world.taaldocent and obj.location == "Bij de deelnemer thuis"
    assert obj.current_step == "identiteit"

    # A file section inside the intake updates the file and its history, as from the file page.
    response = client.post(step_url(obj, "inkomen"), {"benefit": "ja", "action": "verder"})
    assert response["Location"] == step_url(obj, "wensen")
    world.participant.refresh_from_db()
    assert world.participant.benefit == "ja"
    assert ParticipantChange.objects.filter(participant=world.participant, field="benefit", new_value="Ja").exists()

    response = client.post(step_url(obj, "leefdomeinen-geld-en-wonen"), {
        "financien-situation": "Tien ongeopende brieven van DUO en de gemeente",
        "financien-own_view": "Wil overzicht",
        "financien-support_needed": "Aanmelden bij schuldhulpverlening\nSamen post openen",
        "huisvesting-situation": "Woont met gezin in een flat", "action": "verder",
    })
    assert response["Location"] == step_url(obj, "leefdomeinen-netwerk")
    assert obj.domains.get(domain="financien").own_view == "Wil overzicht"
    client.post(step_url(obj, "leefdomeinen-gezondheid"), {
        "geestelijke_gezondheid-situation": HEALTH_NOTE, "geestelijke_gezondheid-support_needed": "Huisarts bezoeken",
        "action": "verder",
    })

    page = client.get(step_url(obj, "afronden")).content.decode()
    assert "Aanmelden bij schuldhulpverlening" in page  # proposed from the support needed
    assert "Huisarts bezoeken" in page
    rows = [
        row(world.gemeente, "Aanmelden bij schuldhulpverlening", domain="financien", assignee=world.regisseur),
        row(world.gemeente, "Huisarts bezoeken", domain="geestelijke_gezondheid"),
        row(world.taal, "Taalniveau toetsen", domain="communicatie_taal", assignee=world.taaldocent),
    ]
    response = client.post(step_url(obj, "afronden"), closing_data(rows, initial=2))
    assert response.status_code == 302 and response["Location"] == url("intake_detail", world.participant,
                                                                       intake_id=obj.pk)
    obj.refresh_from_db()
    assert obj.status == IntakeStatus.AFGEROND and obj.completed_by == world.regisseur and obj.completed_at
    items = ActionItem.objects.filter(source_intake=obj).order_by("title")
    assert [(i.title, i.owner_organisation, i.assignee) for i in items] == [
        ("Aanmelden bij schuldhulpverlening", world.gemeente, world.regisseur),
        ("Huisarts bezoeken", world.gemeente, None),
        ("Taalniveau toetsen", world.taal, world.taaldocent),
    ]
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.TRAJECT
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, detail__startswith="Brede intake afgerond")

    page = client.get(url("intake_detail", world.participant, intake_id=obj.pk)).content.decode()
    assert HEALTH_NOTE in page and "Taalniveau toetsen" in page and "Afgerond" in page
    viewed = AuditEvent.objects.filter(participant_id=world.participant.pk, detail="Brede intake bekeken")
    assert {Category.SPECIAL, Category.INCOME, Category.TRAJECTORY} <= set(viewed.values_list("category", flat=True))


def test_accepting_the_proposals_as_shown_creates_one_item_per_domain_with_support(world, client_for):
    obj = start(world.regisseur, world.participant)
    fill_domains(obj, financien=("Schulden", "Schuldhulp aanvragen"), huisvesting=("Te klein", "Urgentie aanvragen"),
                 sociaal_netwerk=("Kent buren", ""))
    client = client_for(world.regisseur)
    data = form_values(client.get(step_url(obj, "afronden")).content.decode())
    assert data["actie-TOTAL_FORMS"] == "3" and data["actie-INITIAL_FORMS"] == "2"  # two proposals, one new row
    data["actie-1-skip"] = "on"  # leave out the second proposal
    response = client.post(step_url(obj, "afronden"), {**data, "action": "afronden"})
    assert response.status_code == 302
    [item] = ActionItem.objects.all()
    assert (item.title, item.domain, item.owner_organisation) == ("Schuldhulp aanvragen", "financien", world.gemeente)
    assert item.due_date == timezone.localdate() + timedelta(weeks=4)


def test_adding_rows_saves_the_plan_and_offers_a_new_row(world, client_for):
    obj = start(world.regisseur, world.participant)
    client = client_for(world.regisseur)
    response = client.post(step_url(obj, "afronden"), closing_data(
        [row(world.gemeente, "Eerste actie")], initial=0, action="rij"))
    assert response["Location"] == step_url(obj, "afronden") + "#nieuw-actiepunt"
    data = form_values(client.get(step_url(obj, "afronden")).content.decode())
    assert data["actie-0-title"] == "Eerste actie" and data["actie-1-title"] == ""
    assert data["summary"] == "Gesprek thuis, veel motivatie."
    data["actie-1-title"] = "Tweede actie"
    client.post(step_url(obj, "afronden"), {**data, "action": "afronden"})
    assert set(ActionItem.objects.values_list("title", flat=True)) == {"Eerste actie", "Tweede actie"}


def test_steps_save_later_and_resume_where_left(world, client_for):
    client = client_for(world.regisseur)
    client.post(url("intake_start", world.participant))
    obj = Intake.objects.get()
    response = client.post(step_url(obj, "gesprek"), {"held_on": timezone.localdate().isoformat(),
                                                      "location": "Gemeentehuis", "action": "later"})
    assert response["Location"] == url("detail", world.participant)
    obj.refresh_from_db()
    assert obj.location == "Gemeentehuis" and obj.current_step == "gesprek"
    client.post(step_url(obj, "gesprek"), {"held_on": timezone.localdate().isoformat(), "action": "verder"})
    client.post(step_url(obj, "identiteit"), {"action": "later"})  # invalid (name missing): nothing moves
    obj.refresh_from_db()
    assert obj.current_step == "identiteit"
    response = client.get(url("intake_resume", world.participant, intake_id=obj.pk))
    assert response["Location"] == step_url(obj, "identiteit")

    # Starting again resumes the draft: one draft per participant.
    response = client.post(url("intake_start", world.participant))
    assert response["Location"] == step_url(obj, "identiteit")
    assert Intake.objects.count() == 1
    page = client.get(url("intake_list", world.participant)).content.decode()
    assert "Intake hervatten" in page
    assert intake_queries.panel(world.participant, grant_for(world.regisseur, world.participant))["draft"] == obj


def test_step_indicator_marks_current_and_saved_steps(world, client_for):
    obj = start(world.regisseur, world.participant)
    obj.current_step = "inkomen"
    obj.save()
    page = client_for(world.regisseur).get(step_url(obj, "traject")).content.decode()
    assert '<span aria-current="step">Traject en verblijf</span>' in page
    assert page.count('class="done"') == 5  # gesprek … taal-opleiding come before inkomen
    assert "stap 3 van 13" in page


# --- Bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["begeleider", "andere_regisseur", "beheerder"])
def test_co_interviewer_from_an_uninvolved_organisation_is_refused(world, client_for, who):
    obj = start(world.regisseur, world.participant)
    response = client_for(world.regisseur).post(step_url(obj, "gesprek"), {
        "held_on": timezone.localdate().isoformat(), "location": "Thuis", "co_interviewer": getattr(world, who).pk,
        "action": "verder",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "betrokken is" in page and "Er is iets niet goed ingevuld" in page
    obj.refresh_from_db()
    assert obj.co_interviewer is None and obj.location == "" and obj.current_step == "gesprek"


def test_conversation_date_in_the_future_is_refused(world, client_for):
    obj = start(world.regisseur, world.participant)
    response = client_for(world.regisseur).post(step_url(obj, "gesprek"), {
        "held_on": in_days(3), "action": "verder"})
    assert "ligt in de toekomst" in response.content.decode()


def test_action_for_uninvolved_organisation_or_past_date_saves_nothing(world, client_for):
    obj = start(world.regisseur, world.participant)
    fill_domains(obj, financien=("Schulden", "Schuldhulp"))
    client = client_for(world.regisseur)
    rows = [
        row(world.reintegratie, domain="financien"),
        row(world.gemeente, "Huisbezoek plannen", due=in_days(-1)),
        row(world.gemeente, "Begeleider vragen", assignee=world.taaldocent),
    ]
    response = client.post(step_url(obj, "afronden"), closing_data(rows, initial=1))
    page = response.content.decode()
    assert response.status_code == 200
    assert "niet betrokken bij het traject" in page
    assert "Deze datum ligt in het verleden" in page
    assert "werkt niet bij Gemeente Rivierstad" in page
    obj.refresh_from_db()
    assert obj.status == IntakeStatus.CONCEPT and obj.action_plan is None
    assert not ActionItem.objects.exists()
    world.participant.refresh_from_db()
    assert world.participant.phase == Phase.INTAKE


def test_partner_that_may_not_see_a_domain_cannot_own_its_action(world, client_for):
    obj = start(world.regisseur, world.participant)
    rows = [row(world.taal, "Schuldhulp", domain="financien"),
            row(world.gemeente, "Later", domain="geestelijke_gezondheid", assignee=make_user(
                world.gemeente, Role.BEGELEIDER, first_name="Gijs"))]
    page = client_for(world.regisseur).post(step_url(obj, "afronden"), closing_data(rows, initial=0)).content.decode()
    assert "Taalhuis Rivierland mag de gegevens over het leefdomein financiën niet inzien" in page
    assert "kan dit actiepunt niet inzien" in page  # a colleague without health rights
    assert not ActionItem.objects.exists()


def test_completing_twice_does_not_duplicate_action_items(world, client_for):
    obj = start(world.regisseur, world.participant)
    client = client_for(world.regisseur)
    data = closing_data([row(world.gemeente)], initial=0)
    assert client.post(step_url(obj, "afronden"), data).status_code == 302
    response = client.post(step_url(obj, "afronden"), data)
    assert response["Location"] == url("intake_detail", world.participant, intake_id=obj.pk)
    assert ActionItem.objects.count() == 1
    with pytest.raises(intake_queries.IntakeClosed):
        grant = grant_for(world.regisseur, world.participant)
        closing_services.complete_intake(world.regisseur, world.participant, grant, obj, "", [])
    assert ActionItem.objects.count() == 1


def test_completed_intake_is_read_only_and_a_reintake_starts_from_it(world, client_for):
    obj = start(world.regisseur, world.participant)
    fill_domains(obj, huisvesting=("Te klein huis", "Urgentie aanvragen"))
    client = client_for(world.regisseur)
    client.post(step_url(obj, "afronden"), closing_data([], initial=0))
    obj.refresh_from_db()
    assert obj.is_completed
    response = client.post(step_url(obj, "gesprek"), {"held_on": timezone.localdate().isoformat(),
                                                      "location": "Elders", "action": "verder"})
    assert response["Location"] == url("intake_detail", world.participant, intake_id=obj.pk)
    obj.refresh_from_db()
    assert obj.location == ""
    assert client.get(url("intake_detail", world.participant, intake_id=obj.pk)).status_code == 200

    client.post(url("intake_start", world.participant))
    new = Intake.objects.exclude(pk=obj.pk).get()
    assert new.status == IntakeStatus.CONCEPT
    assert new.domains.get(domain="huisvesting").support_needed == "Urgentie aanvragen"
    assert obj.domains.get(domain="huisvesting").support_needed == "Urgentie aanvragen"


# --- Access --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["andere_regisseur", "begeleider"])
def test_other_organisations_get_404_everywhere(world, client_for, who):
    obj = start(world.regisseur, world.participant)
    client = client_for(getattr(world, who))
    assert client.post(url("intake_start", world.participant)).status_code == 404
    assert client.get(url("intake_list", world.participant)).status_code == 404
    assert client.get(url("intake_detail", world.participant, intake_id=obj.pk)).status_code == 404
    assert client.get(url("intake_resume", world.participant, intake_id=obj.pk)).status_code == 404
    assert client.get(step_url(obj, "gesprek")).status_code == 404
    assert client.post(step_url(obj, "gesprek"), {"held_on": timezone.localdate().isoformat()}).status_code == 404
    assert Intake.objects.count() == 1


def test_intake_of_another_participant_in_the_url_is_404(world, client_for):
    own_other = ParticipantFactory(regie_organisation=world.gemeente, regisseur=world.regisseur)
    foreign = start(world.andere_regisseur, world.other_participant)
    mine = start(world.regisseur, own_other)
    client = client_for(world.regisseur)
    for obj in (foreign, mine):
        assert client.get(url("intake_detail", world.participant, intake_id=obj.pk)).status_code == 404
        assert client.get(url("intake_step", world.participant, intake_id=obj.pk, step="gesprek")).status_code == 404
    assert client.get(url("intake_detail", world.other_participant, intake_id=foreign.pk)).status_code == 404
    assert client.get(step_url(mine, "bestaat-niet")).status_code == 404


def test_taaldocent_cannot_start_and_never_sees_health_domains(world, client_for):
    obj = start(world.regisseur, world.participant)
    fill_domains(obj, geestelijke_gezondheid=(HEALTH_NOTE, "Huisarts"), communicatie_taal=(LANGUAGE_NOTE, ""),
                 financien=("Schulden bij DUO", "Schuldhulp"))
    client = client_for(world.regisseur)
    client.post(step_url(obj, "afronden"), closing_data(
        [row(world.gemeente, "Huisarts bezoeken", domain="geestelijke_gezondheid"),
         row(world.gemeente, "Traject bespreken")], initial=0))
    docent = client_for(world.taaldocent)
    assert docent.post(url("intake_start", world.participant)).status_code == 404
    assert docent.get(step_url(obj, "gesprek")).status_code == 404
    response = docent.get(url("intake_detail", world.participant, intake_id=obj.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert LANGUAGE_NOTE in page and "Traject bespreken" in page
    assert HEALTH_NOTE not in page and "Geestelijke gezondheid" not in page and "Huisarts" not in page
    assert "Schulden bij DUO" not in page  # income is not in a language provider's scope
    categories = set(AuditEvent.objects.filter(user=world.taaldocent, detail="Brede intake bekeken")
                     .values_list("category", flat=True))
    assert categories == {Category.IDENTITY, Category.TRAJECTORY, Category.LANGUAGE}


def test_joint_intake_each_sees_and_records_their_own_part(world, client_for, partner):
    """The begeleider (partner, no health rights) joins the regisseur's draft; health stays hidden and intact."""
    obj = start(world.regisseur, world.participant)
    regisseur = client_for(world.regisseur)
    regisseur.post(step_url(obj, "gesprek"), {"held_on": timezone.localdate().isoformat(),
                                              "co_interviewer": partner.pk, "action": "verder"})
    fill_domains(obj, geestelijke_gezondheid=(HEALTH_NOTE, "Huisarts bezoeken"))
    regisseur.post(step_url(obj, "afronden"), closing_data(
        [row(world.gemeente, "Huisarts bezoeken", domain="geestelijke_gezondheid")], initial=1, action="later"))
    obj.refresh_from_db()
    assert len(obj.action_plan) == 1

    begeleider = client_for(partner)
    response = begeleider.post(step_url(obj, "gesprek"), {
        "held_on": timezone.localdate().isoformat(), "co_interviewer": partner.pk, "location": "Thuis",
        "action": "verder"})
    assert response.status_code == 302  # the co-interviewer keeps themselves as co-interviewer
    steps = [s.slug for s in intake_queries.steps_for(grant_for(partner, world.participant))]
    assert "leefdomeinen-gezondheid" not in steps and "inkomen" not in steps
    assert begeleider.get(step_url(obj, "leefdomeinen-gezondheid")).status_code == 404
    assert begeleider.get(step_url(obj, "inkomen")).status_code == 404
    page = begeleider.get(step_url(obj, "leefdomeinen-geld-en-wonen")).content.decode()
    assert "Huisvesting" in page and "Financiën" not in page
    # A health field slipped into the post is ignored: only the domains of the step are read.
    begeleider.post(step_url(obj, "leefdomeinen-werk-en-taal"), {
        "participatie-situation": "Werkte als lasser", "participatie-support_needed": "Werkfit-traject",
        "geestelijke_gezondheid-situation": "overschreven", "action": "verder",
    })
    assert obj.domains.get(domain="geestelijke_gezondheid").situation == HEALTH_NOTE
    page = begeleider.get(step_url(obj, "afronden")).content.decode()
    assert HEALTH_NOTE not in page and "Huisarts" not in page

    response = begeleider.post(step_url(obj, "afronden"), closing_data(
        [row(world.reintegratie, "Werkfit-traject starten", domain="participatie", assignee=partner)], initial=0))
    assert response.status_code == 302
    items = {i.title: i for i in ActionItem.objects.filter(source_intake=obj)}
    assert set(items) == {"Huisarts bezoeken", "Werkfit-traject starten"}
    assert items["Huisarts bezoeken"].created_by == world.regisseur
    assert items["Werkfit-traject starten"].created_by == partner
    page = begeleider.get(url("intake_detail", world.participant, intake_id=obj.pk)).content.decode()
    assert "Werkfit-traject starten" in page and "Huisarts" not in page


def test_colleagues_rows_that_one_may_read_but_not_change_are_shown_and_kept(world, client_for, partner):
    jobcoach = make_user(world.reintegratie, Role.JOBCOACH, first_name="Joost")
    obj = start(world.regisseur, world.participant)
    client_for(world.regisseur).post(step_url(obj, "afronden"), closing_data(
        [row(world.taal, "Taaltoets plannen", domain="communicatie_taal", assignee=world.taaldocent)],
        initial=0, action="later"))
    client = client_for(jobcoach)
    page = client.get(step_url(obj, "afronden")).content.decode()
    assert "Actiepunten van collega’s" in page and "Taaltoets plannen" in page
    assert 'value="Taaltoets plannen"' not in page  # shown, not editable: the jobcoach does not write language
    response = client.post(step_url(obj, "afronden"), closing_data(
        [row(world.reintegratie, "Sollicitatietraining", domain="participatie")], initial=0))
    assert response.status_code == 302
    assert set(ActionItem.objects.values_list("title", flat=True)) == {"Taaltoets plannen", "Sollicitatietraining"}


def test_health_domain_cannot_be_written_without_special_rights(world, partner):
    obj = start(world.regisseur, world.participant)
    from django.http import Http404

    with pytest.raises(Http404):
        intake_services.save_domains(partner, world.participant, grant_for(partner, world.participant), obj,
                                    {"lichamelijke_gezondheid": {"situation": "x"}}, reached="afronden")
    assert not IntakeDomain.objects.exists()


def test_partner_with_consent_for_health_sees_health_domains(world, client_for):
    Membership.objects.create(
        participant=world.participant, organisation=world.reintegratie, legal_basis=LegalBasis.TOESTEMMING,
        consent_date=timezone.localdate(), scope=Membership.scope_value([Category.IDENTITY, Category.TRAJECTORY,
                                                                         Category.SPECIAL]),
        added_by=world.regisseur,
    )
    steps = [s.slug for s in intake_queries.steps_for(grant_for(world.begeleider, world.participant))]
    assert "leefdomeinen-gezondheid" in steps
    assert "leefdomeinen-werk-en-taal" not in steps  # werk and taal are not in this consent's scope


def test_detail_query_count_does_not_grow(world, client_for, max_queries):
    obj = start(world.regisseur, world.participant)
    fill_domains(obj, **dict.fromkeys(intake_queries.DOMAIN_ORDER, ("Situatie", "Ondersteuning")))
    client = client_for(world.regisseur)
    client.post(step_url(obj, "afronden"), closing_data(
        [row(world.gemeente, f"Actie {i}", assignee=world.regisseur) for i in range(15)], initial=0))
    assert ActionItem.objects.count() == 15
    with max_queries(16):
        assert client.get(url("intake_detail", world.participant, intake_id=obj.pk)).status_code == 200
    with max_queries(12):
        assert client.get(url("intake_list", world.participant)).status_code == 200


def test_closing_step_says_when_only_the_municipality_can_get_action_items(world, client_for):
    alone = ParticipantFactory(name="Yonas Alleen", regie_organisation=world.gemeente, regisseur=world.regisseur)
    obj = start(world.regisseur, alone)
    page = client_for(world.regisseur).get(step_url(obj, "afronden")).content.decode()
    assert "Nog geen partner betrokken." in page
    assert reverse("participants:access", kwargs={"pk": alone.pk}) in page
    # Nahom has the language provider involved: no such notice.
    obj = start(world.regisseur, world.participant)
    assert "Nog geen partner betrokken." not in client_for(world.regisseur).get(step_url(obj, "afronden")
                                                                                 ).content.decode()


def test_the_work_step_records_the_work_history_as_entries_matching_can_read(world, client_for):
    obj = start(world.regisseur, world.participant)
    client = client_for(world.regisseur)
    page = client.get(step_url(obj, "wensen")).content.decode()
    assert "Nog geen werkervaring vastgelegd." in page
    data = form_values(page)
    data.update({"dream_job": "Elektromonteur", "action": "werkervaring"})
    response = client.post(step_url(obj, "wensen"), data)
    add = reverse("participants:add_work_experience", kwargs={"pk": world.participant.pk})
    assert response.status_code == 302 and response["Location"].startswith(add)
    world.participant.refresh_from_db()
    assert world.participant.dream_job == "Elektromonteur"  # the step was saved first
    response = client.post(response["Location"], {"occupation": "Elektricien", "years": "4", "country": "ER"})
    assert response["Location"] == step_url(obj, "wensen")  # back in the intake
    page = client.get(step_url(obj, "wensen")).content.decode()
    assert "Elektricien, 4 jaar (Eritrea)" in page
    assert world.participant.work_history.get().occupation == "Elektricien"
