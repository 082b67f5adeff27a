"""Plan pages: what a user sees, what is refused, access (404), audit and query budgets."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import unicodedata
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koers.core.codes import LifeDomain
from koers.core.models import AuditAction, AuditEvent
from koers.participants.models import Intake, IntakeDomain, IntakeStatus, Participant
from koers.plans import pdf as plan_pdf
from koers.plans.models import Goal, PlanVersion, VersionStatus
from koers.plans.queries import plans as queries
from koers.plans.services import plans as services
from koers.plans.tests.conftest import draft_with_content, grant

HEALTH_GOAL = "Beter slapen met hulp van de huisarts"


def url(name, world, **kwargs):
    return reverse(f"plans:{name}", kwargs={"pk": world.participant.pk, **kwargs})


def _work_goal(version):
    return version.goals.get(domain=LifeDomain.PARTICIPATIE)


class TestPlanPage:
    def test_regisseur_sees_the_whole_plan_with_deadlines_and_versions(self, world, client_for, signed_plan,
                                                                        max_queries):
        client = client_for(world.regisseur)
        with max_queries(16):
            response = client.get(url("plan", world))
        html = response.content.decode()
        assert response.status_code == 200
        for text in ("Werken als elektricien", "Werkervaring opdoen in de techniek", HEALTH_GOAL,
                     "Bedrijfsbezoek bij installatiebedrijf", "Nahom meldt zich af", "Ondertekend",
                     "Nieuwe versie starten", "Termijnen", "Doel behaald: ga verder met ‘Betaald werk als monteur’"):
            assert text in html
        event = AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.VIEW).latest("id")
        assert "Plan bekeken" in event.detail

    def test_queries_do_not_grow_with_the_plan(self, world, client_for, max_queries):
        from koers.core.codes import ActionStatus
        from koers.plans.tests.conftest import sign

        v = draft_with_content(world)
        p, g = world.participant, grant(world.regisseur, world.participant)
        for i in range(6):
            v.refresh_from_db()
            goal = services.save_goal(world.regisseur, p, g, v.pk, v.revision, services.GoalData(
                domain=LifeDomain.HUISVESTING, title=f"Doel {i}"))
            services.save_step(world.regisseur, p, g, v.pk, v.revision + 1, goal.pk, services.StepData(
                f"Stap {i}", world.taal, world.taaldocent, v.plan_date + timedelta(days=9), ActionStatus.OPEN))
        v.refresh_from_db()
        sign(world, v)
        client = client_for(world.regisseur)
        with max_queries(16):
            html = client.get(url("plan", world)).content.decode()
        assert "Doel 5" in html and "Stap 5" in html

    def test_taaldocent_sees_the_plan_but_no_health_goals_and_no_edit_buttons(self, world, client_for, signed_plan):
        html = client_for(world.taaldocent).get(url("plan", world)).content.decode()
        assert "Werkervaring opdoen in de techniek" in html
        assert HEALTH_GOAL not in html and "praktijkondersteuner" not in html
        assert "Nieuwe versie starten" not in html and "Doel behaald" not in html

    def test_no_plan_yet(self, world, client_for):
        html = client_for(world.regisseur).get(url("plan", world)).content.decode()
        assert "Er is nog geen plan" in html and "Plan opstellen" in html

    def test_the_first_plan_starts_from_the_intake_and_the_dream_job(self, world, client_for):
        p = world.participant
        Participant.objects.filter(pk=p.pk).update(dream_job="elektromonteur")
        intake = Intake.objects.create(participant=p, organisation=world.gemeente, conducted_by=world.regisseur,
                                       status=IntakeStatus.AFGEROND, completed_at=timezone.now())
        IntakeDomain.objects.create(intake=intake, domain=LifeDomain.FINANCIEN, situation="Schulden bij de energie",
                                    support_needed="Aanmelden bij schuldhulpverlening\nBudgetcursus volgen")
        IntakeDomain.objects.create(intake=intake, domain=LifeDomain.GEESTELIJKE_GEZONDHEID,
                                    support_needed="Gesprek met de praktijkondersteuner")
        IntakeDomain.objects.create(intake=intake, domain=LifeDomain.HUISVESTING, situation="Woont goed")  # no support
        client = client_for(world.regisseur)
        form = client.get(url("start", world)).content.decode()
        assert "Werken als elektromonteur" in form  # the "stip op de horizon", pre-filled
        response = client.post(url("start", world), {"kind": "pip", "plan_date": timezone.localdate().isoformat(),
                                                      "long_term_goal": "Werken als elektromonteur"}, follow=True)
        assert "2 doel(en) zijn overgenomen uit de brede intake" in response.content.decode()
        version = PlanVersion.objects.get(participant=p)
        goals = {g.domain: g for g in version.goals.all()}
        assert set(goals) == {LifeDomain.FINANCIEN, LifeDomain.GEESTELIJKE_GEZONDHEID}
        assert goals[LifeDomain.FINANCIEN].title == "Aanmelden bij schuldhulpverlening"
        assert "Situatie: Schulden bij de energie" in goals[LifeDomain.FINANCIEN].description
        assert "Budgetcursus volgen" in goals[LifeDomain.FINANCIEN].description

    def test_a_planner_without_health_access_gets_no_health_goal_from_the_intake(self, world):
        intake = Intake.objects.create(participant=world.participant, organisation=world.gemeente,
                                       conducted_by=world.regisseur, status=IntakeStatus.AFGEROND,
                                       completed_at=timezone.now())
        IntakeDomain.objects.create(intake=intake, domain=LifeDomain.GEESTELIJKE_GEZONDHEID,
                                    support_needed="Gesprek met de praktijkondersteuner")
        IntakeDomain.objects.create(intake=intake, domain=LifeDomain.FINANCIEN, support_needed="Schuldhulp")
        limited = grant(world.regisseur, world.participant)
        limited = dataclasses.replace(limited, read=limited.read - {"bijzonder"},
                                      write=limited.write - {"bijzonder"})
        domains = {g["domain"] for g in queries.goals_from_intake(world.participant, limited)}
        assert domains == {LifeDomain.FINANCIEN}

    def test_other_municipality_gets_404_everywhere(self, world, client_for, signed_plan):
        client = client_for(world.andere_regisseur)
        goal = _work_goal(signed_plan)
        for name, kwargs in [("plan", {}), ("version", {"number": 1}), ("pdf", {"number": 1}), ("compare", {}),
                             ("integration", {}), ("edit", {"number": 1}), ("sign", {"number": 1}),
                             ("goal_edit", {"number": 1, "goal_id": goal.pk}), ("start", {})]:
            assert client.get(url(name, world, **kwargs)).status_code == 404, name
        assert client.post(url("new_version", world)).status_code == 404
        assert client.post(url("complete_goal", world), {"lineage": goal.lineage}).status_code == 404
        assert not PlanVersion.objects.filter(number=2).exists()

    def test_taaldocent_cannot_reach_edit_pages(self, world, client_for, draft_plan):
        client = client_for(world.taaldocent)
        goal = _work_goal(draft_plan)
        for name, kwargs in [("edit", {"number": 1}), ("goal_add", {"number": 1}),
                             ("goal_edit", {"number": 1, "goal_id": goal.pk}),
                             ("step_add", {"number": 1, "goal_id": goal.pk}), ("agreement_add", {"number": 1}),
                             ("sign", {"number": 1}), ("start", {})]:
            assert client.get(url(name, world, **kwargs)).status_code == 404, name
        response = client.post(url("agreement_add", world, number=1), {"revision": draft_plan.revision, "text": "x"})
        assert response.status_code == 404
        assert client.post(url("integration_action", world, action="wissel"), {}).status_code == 404

    def test_health_goal_id_is_404_for_a_partner_without_consent(self, world, client_for, draft_plan):
        health = draft_plan.goals.get(domain=LifeDomain.GEESTELIJKE_GEZONDHEID)
        assert client_for(world.taaldocent).get(url("version", world, number=1)).status_code == 200
        response = client_for(world.taaldocent).get(url("goal_edit", world, number=1, goal_id=health.pk))
        assert response.status_code == 404


class TestEditing:
    def test_editing_a_signed_version_is_refused_with_a_clear_message(self, world, client_for, signed_plan):
        client = client_for(world.regisseur)
        goal = _work_goal(signed_plan)
        response = client.post(url("goal_edit", world, number=1, goal_id=goal.pk), {
            "revision": signed_plan.revision, "domain": goal.domain, "title": "Gewijzigd", "status": "open",
        }, follow=True)
        assert "ondertekend en kan niet meer worden gewijzigd" in response.content.decode()
        assert Goal.objects.get(pk=goal.pk).title == "Werkervaring opdoen in de techniek"

    def test_second_save_shows_what_changed(self, world, client_for, draft_plan):
        goal = _work_goal(draft_plan)
        form = {"revision": draft_plan.revision, "domain": goal.domain, "status": "open"}
        first = client_for(world.regisseur).post(url("goal_edit", world, number=1, goal_id=goal.pk),
                                                 {**form, "title": "Stage bij een installatiebedrijf"})
        assert first.status_code == 302
        from koers.core.tests.factories import make_user

        collega = make_user(world.gemeente, "regisseur", username="collega", first_name="Cor")
        second = client_for(collega).post(url("goal_edit", world, number=1, goal_id=goal.pk),
                                          {**form, "title": "Iets heel anders"})
        html = second.content.decode()
        assert second.status_code == 200
        assert "Niet opgeslagen: iemand anders was u voor" in html
        assert "Rita" in html and "Stage bij een installatiebedrijf" in html
        assert 'value="Iets heel anders"' in html  # the user's input is kept
        assert Goal.objects.get(pk=goal.pk).title == "Stage bij een installatiebedrijf"
        # Saving again, now knowingly, works.
        revision = PlanVersion.objects.get(pk=draft_plan.pk).revision
        third = client_for(collega).post(url("goal_edit", world, number=1, goal_id=goal.pk),
                                         {**form, "revision": revision, "title": "Iets heel anders"})
        assert third.status_code == 302
        assert Goal.objects.get(pk=goal.pk).title == "Iets heel anders"

    def test_step_with_an_uninvolved_organisation_is_a_form_error(self, world, client_for, draft_plan):
        goal = _work_goal(draft_plan)
        response = client_for(world.regisseur).post(url("step_add", world, number=1, goal_id=goal.pk), {
            "revision": draft_plan.revision, "description": "Kennismaken", "status": "open",
            "owner_organisation": world.andere_gemeente.pk,
            "due_date": (draft_plan.plan_date + timedelta(days=5)).isoformat(),
        })
        html = response.content.decode()
        assert response.status_code == 200
        assert "niet betrokken bij het traject" in html
        assert goal.steps.count() == 1

    def test_goal_due_before_the_plan_date_is_a_form_error(self, world, client_for, draft_plan):
        response = client_for(world.regisseur).post(url("goal_add", world, number=1), {
            "revision": draft_plan.revision, "domain": LifeDomain.HUISVESTING, "title": "Andere woning",
            "status": "open", "due_date": (draft_plan.plan_date - timedelta(days=1)).isoformat(),
        })
        assert "vóór de datum van het plan" in response.content.decode()
        assert not draft_plan.goals.filter(title="Andere woning").exists()

    def test_new_version_change_sign_and_compare(self, world, client_for, signed_plan, max_queries):
        client = client_for(world.regisseur)
        response = client.post(url("new_version", world))
        assert response.url == url("edit", world, number=2)
        v2 = PlanVersion.objects.get(participant=world.participant, number=2)
        with max_queries(14):
            assert client.get(response.url).status_code == 200
        goal = _work_goal(v2)
        client.post(url("goal_edit", world, number=2, goal_id=goal.pk), {
            "revision": v2.revision, "domain": goal.domain, "title": "Stage als elektromonteur", "status": "bezig",
            "next_goal": goal.next_goal, "due_date": goal.due_date.isoformat(),
        })
        v2.refresh_from_db()
        response = client.post(url("sign", world, number=2), {
            "revision": v2.revision, "method": "scherm", "signed_on": timezone.localdate().isoformat(),
            "participant_signed": "on",
        })
        assert response.status_code == 302
        assert PlanVersion.objects.get(pk=v2.pk).status == VersionStatus.SIGNED
        with max_queries(18):
            html = client.get(url("compare", world) + "?van=1&naar=2").content.decode()
        assert "Doel gewijzigd" in html
        assert "Werkervaring opdoen in de techniek" in html and "Stage als elektromonteur" in html
        assert "Bezig" in html

    def test_paper_signing_through_the_form(self, world, client_for, draft_plan, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        client = client_for(world.regisseur)
        bad = client.post(url("sign", world, number=1), {
            "revision": draft_plan.revision, "method": "papier", "signed_on": timezone.localdate().isoformat(),
            "participant_signed": "on", "document": SimpleUploadedFile("scan.gif", b"GIF89a"),
        })
        assert "Dit bestandstype kan niet" in bad.content.decode()
        good = client.post(url("sign", world, number=1), {
            "revision": draft_plan.revision, "method": "papier", "signed_on": timezone.localdate().isoformat(),
            "participant_signed": "on", "document": SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0 jpeg"),
        })
        assert good.status_code == 302
        download = client.get(url("signed_document", world, number=1))
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xff\xd8\xff")
        assert client_for(world.andere_regisseur).get(url("signed_document", world, number=1)).status_code == 404

    def test_only_a_regisseur_signs(self, world, client_for, draft_plan):
        from koers.core.tests.factories import MembershipFactory, make_user

        coach = make_user(world.reintegratie, "begeleider", username="coach2")
        MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur)
        client = client_for(coach)
        assert client.get(url("edit", world, number=1)).status_code == 200  # may edit the concept ...
        assert client.get(url("sign", world, number=1)).status_code == 404  # ... but not sign it

    def test_goal_chaining_is_one_click(self, world, client_for, signed_plan):
        goal = _work_goal(signed_plan)
        response = client_for(world.regisseur).post(url("complete_goal", world), {"lineage": goal.lineage},
                                                    follow=True)
        html = response.content.decode()
        assert "Het volgende doel ‘Betaald werk als monteur’ is toegevoegd" in html
        v2 = PlanVersion.objects.get(participant=world.participant, number=2)
        assert v2.goals.filter(title="Betaald werk als monteur", follows=goal.title).exists()


class TestPdf:
    def test_pdf_response_is_audited_as_export(self, world, client_for, signed_plan):
        response = client_for(world.regisseur).get(url("pdf", world, number=1))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.EXPORT).exists()

    def test_arabic_summary_is_marked_right_to_left(self, world, signed_plan):
        p = Participant.objects.get(pk=world.participant.pk)
        p.languages = ["ar"]
        version = queries.get_version_or_404(p, grant(world.regisseur, p), 1)
        html = plan_pdf.render_html(p, version, grant(world.regisseur, p))
        assert '<section class="summary" lang="ar" dir="rtl">' in html
        assert "ملخص خطتك" in html and "الصحة النفسية" in html

    @pytest.mark.parametrize("languages", [["so", "it"], ["nl", "ar"], [], None])
    def test_no_summary_without_a_catalogue_or_for_a_dutch_reader(self, world, signed_plan, languages):
        # Somali and Italian have no catalogue; a participant whose first language is Dutch reads the Dutch plan.
        p = Participant.objects.get(pk=world.participant.pk)
        p.languages = languages
        html = plan_pdf.render_html(p, queries.get_version_or_404(p, grant(world.regisseur, p), 1),
                                    grant(world.regisseur, p))
        assert 'class="summary"' not in html

    @pytest.mark.parametrize(("languages", "lang", "direction", "words"), [
        (["ti"], "ti", "ltr", ["ጽማቕ መደብኩም", "ጥዕና ኣእምሮ"]),  # Tigrinya (the world's participant): Ge'ez script
        (["fa"], "fa", "rtl", ["خلاصه برنامه شما", "سلامت روان"]),
        (["prs", "en"], "fa", "rtl", ["خلاصه برنامه شما"]),  # Dari reads the Persian catalogue
        (["uk"], "uk", "ltr", ["Короткий зміст вашого плану", "Психічне здоров"]),
        (["so", "en"], "en", "ltr", ["Summary of your plan", "Mental health"]),  # first language with a catalogue
    ])
    def test_summary_in_every_catalogue_language(self, world, signed_plan, languages, lang, direction, words):
        p = Participant.objects.get(pk=world.participant.pk)
        p.languages = languages
        html = plan_pdf.render_html(p, queries.get_version_or_404(p, grant(world.regisseur, p), 1),
                                    grant(world.regisseur, p))
        assert f'<section class="summary" lang="{lang}" dir="{direction}">' in html
        for word in words:
            assert word in html
        assert "Samenvatting van je plan" not in html  # no untranslated Dutch heading in the summary
        assert "Stip op de horizon" in html  # the Dutch plan stays Dutch

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
    @pytest.mark.parametrize(("languages", "expected"), [
        (["ar"], ["ملخص", "خطتك", "أهدافك"]),
        (["ti", "en"], ["ጽማቕ", "መደብኩም", "ዕላማታትኩም", "ጥዕና ኣእምሮ"]),  # Ge'ez script comes back from the PDF
        (["so", "en"], ["Summary of your plan", "Your goals", "Mental health"]),
    ])
    def test_pdf_text_in_dutch_and_own_language(self, world, signed_plan, languages, expected, tmp_path):
        p = Participant.objects.get(pk=world.participant.pk)
        p.languages = languages
        g = grant(world.regisseur, p)
        content = plan_pdf.render_pdf(p, queries.get_version_or_404(p, g, 1), g)
        path = tmp_path / "plan.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout
        text = unicodedata.normalize("NFKC", text)
        for dutch in ("PIP (Persoonlijk Plan Inburgering en Participatie)", "Stip op de horizon",
                      "Werkervaring opdoen in de techniek", HEALTH_GOAL, "Afspraken"):
            assert dutch in text
        for word in expected:
            assert word in text

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
    @pytest.mark.parametrize(("languages", "heading", "side"), [
        (["ar"], "ملخص", "right"), (["fa"], "خلاصه", "right"), (["ti"], "ጽማቕ", "left"),
    ])
    def test_summary_heading_starts_on_the_reading_side(self, world, signed_plan, tmp_path, languages, heading,
                                                          side):
        """Arabic and Persian are laid out right to left: the summary's heading stands at the right margin."""
        import re

        p = Participant.objects.get(pk=world.participant.pk)
        p.languages = languages
        g = grant(world.regisseur, p)
        path = tmp_path / "plan.pdf"
        path.write_bytes(plan_pdf.render_pdf(p, queries.get_version_or_404(p, g, 1), g))
        boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                               text=True).stdout
        width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
        # -bbox gives the glyphs of a word in visual order: an Arabic word comes back reversed
        x_min, x_max = next((float(a), float(b)) for a, b, word in words if heading in (word, word[::-1]))
        if side == "right":
            assert x_min > width / 2 and width - x_max < 60  # within the right margin (16 mm ≈ 45 pt)
        else:
            assert x_max < width / 2 and x_min < 60

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is niet geïnstalleerd")
    def test_pdf_leaves_out_health_goals_for_the_taaldocent(self, world, client_for, signed_plan, tmp_path):
        content = client_for(world.taaldocent).get(url("pdf", world, number=1)).content
        path = tmp_path / "plan.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
        assert "Werkervaring opdoen" in text and "slapen" not in text


class TestIntegrationPage:
    def test_regisseur_records_start_and_sees_deadlines(self, world, client_for, max_queries):
        client = client_for(world.regisseur)
        start = timezone.localdate() - timedelta(weeks=9)
        response = client.post(url("integration_action", world, action="start"),
                               {"start-obligation_start": start.isoformat()})
        assert response.status_code == 302
        with max_queries(16):  # +1: the Monitoring menu item (uses_monitoring)
            html = client.get(url("integration", world)).content.decode()
        assert "PIP vaststellen" in html and "binnenkort" in html
        assert "Leerroute wisselen zonder goedkeuring" in html

    def test_switch_without_start_is_a_clear_error(self, world, client_for):
        Participant.objects.filter(pk=world.participant.pk).update(learning_route="b1")
        response = client_for(world.regisseur).post(url("integration_action", world, action="wissel"), {
            "wissel-to_route": "z", "wissel-switch_on": timezone.localdate().isoformat(),
        })
        assert "Leg eerst de start van de inburgeringsplicht vast" in response.content.decode()

    def test_first_route_is_recorded_without_the_window(self, world, client_for):
        client = client_for(world.regisseur)
        response = client.post(url("integration_action", world, action="wissel"), {
            "wissel-to_route": "b1", "wissel-switch_on": timezone.localdate().isoformat(),
        }, follow=True)
        assert "De leerroute is nu de B1-route." in response.content.decode()
        assert Participant.objects.get(pk=world.participant.pk).learning_route == "b1"

    def test_component_status(self, world, client_for):
        client = client_for(world.regisseur)
        client.post(url("integration_action", world, action="onderdeel-map"), {
            "onderdeel-map-status": "bezig", "onderdeel-map-status_on": timezone.localdate().isoformat(),
        })
        html = client.get(url("integration", world)).content.decode()
        assert "MAP (Module Arbeidsmarkt en Participatie)" in html and "Bezig" in html

    def test_taaldocent_views_but_cannot_record(self, world, client_for):
        client = client_for(world.taaldocent)
        html = client.get(url("integration", world)).content.decode()
        assert "Inburgering en leerroute" in html and "Leerroute wisselen</summary>" not in html
        assert client.post(url("integration_action", world, action="onderdeel-map"), {}).status_code == 404


def test_panel(world, signed_plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        panel = queries.panel(world.participant, grant(world.regisseur, world.participant))
    assert panel["current"].number == 1 and panel["draft"] is None
    assert panel["next_deadline"].label.startswith("Stap:")
    assert queries.panel(world.participant, grant(world.andere_regisseur, world.participant)) == {}


def test_panel_template_renders(world, signed_plan, rf):
    from django.template.loader import render_to_string

    html = render_to_string("plans/_panel.html", {
        "p": world.participant, "plan_panel": queries.panel(world.participant, grant(world.regisseur,
                                                                                     world.participant)),
    })
    assert "PIP, versie 1, ondertekend op" in html and "Eerstvolgende termijn" in html


def test_draft_with_content_helper_is_a_concept(world):
    v = draft_with_content(world)
    assert v.status == VersionStatus.CONCEPT and services.check_due_date(v, v.plan_date) is None
