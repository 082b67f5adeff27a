"""Plan rules: immutability of signed versions, new versions, goal chaining, concurrency, checks, diff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from koers.core.codes import ActionStatus, Category, LifeDomain
from koers.core.models import AuditEvent
from koers.core.tests.factories import OrganisationFactory, make_user
from koers.plans.models import (
    Goal,
    GoalStatus,
    PlanEdit,
    PlanVersion,
    SignedPlanError,
    SignMethod,
    Step,
    VersionStatus,
)
from koers.plans.rules.diff import ADDED, CHANGED, REMOVED, diff_versions
from koers.plans.services import plans as services
from koers.plans.tests.conftest import draft_with_content, grant, sign


def _goal(version, domain=LifeDomain.PARTICIPATIE):
    return version.goals.get(domain=domain)


class TestSignedIsImmutable:
    def test_services_refuse_changes_to_a_signed_version(self, world, signed_plan):
        p, u, g = world.participant, world.regisseur, grant(world.regisseur, world.participant)
        goal = _goal(signed_plan)
        with pytest.raises(SignedPlanError, match="ondertekend en kan niet meer worden gewijzigd"):
            services.save_goal(u, p, g, signed_plan.pk, signed_plan.revision,
                               services.GoalData(domain=goal.domain, title="Anders"), goal_id=goal.pk)
        with pytest.raises(SignedPlanError):
            services.save_agreement(u, p, g, signed_plan.pk, signed_plan.revision, "Nieuwe afspraak")
        with pytest.raises(SignedPlanError):
            services.delete_goal(u, p, g, signed_plan.pk, signed_plan.revision, goal.pk)
        assert _goal(signed_plan).title == "Werkervaring opdoen in de techniek"

    def test_models_refuse_changes_too(self, signed_plan):
        goal = _goal(signed_plan)
        goal.title = "Stiekem gewijzigd"
        with pytest.raises(SignedPlanError):
            goal.save()
        with pytest.raises(SignedPlanError):
            Goal.objects.filter(pk=goal.pk).update(title="Via de queryset")
        with pytest.raises(SignedPlanError):
            Step.objects.filter(goal__version=signed_plan).delete()
        with pytest.raises(SignedPlanError):
            signed_plan.agreements.first().delete()
        version = PlanVersion.objects.get(pk=signed_plan.pk)
        version.long_term_goal = "Iets anders"
        with pytest.raises(SignedPlanError):
            version.save()
        with pytest.raises(SignedPlanError):
            version.delete()
        assert Goal.objects.get(pk=goal.pk).title == "Werkervaring opdoen in de techniek"

    def test_signing_records_who_when_and_how(self, world, signed_plan):
        assert signed_plan.status == VersionStatus.SIGNED
        assert signed_plan.signed_by == world.regisseur
        assert signed_plan.signed_by_participant is True
        assert signed_plan.sign_method == SignMethod.SCREEN
        assert signed_plan.signed_on == timezone.localdate()
        assert AuditEvent.objects.filter(participant_id=world.participant.pk,
                                         detail__contains="ondertekend").exists()


class TestNewVersion:
    def test_copies_the_signed_version_into_a_draft(self, world, signed_plan):
        v2 = services.new_version(world.regisseur, world.participant, grant(world.regisseur, world.participant))
        assert (v2.number, v2.status, v2.based_on_id) == (2, VersionStatus.CONCEPT, signed_plan.pk)
        assert v2.long_term_goal == signed_plan.long_term_goal
        old = {g.lineage: (g.title, g.steps.count()) for g in signed_plan.goals.all()}
        new = {g.lineage: (g.title, g.steps.count()) for g in v2.goals.all()}
        assert old == new
        assert v2.agreements.count() == 1

    def test_only_one_draft_at_a_time(self, world, signed_plan):
        g = grant(world.regisseur, world.participant)
        services.new_version(world.regisseur, world.participant, g)
        with pytest.raises(ValidationError, match="Er is al een concept"):
            services.new_version(world.regisseur, world.participant, g)


class TestGoalChaining:
    def test_completing_a_goal_on_a_signed_plan_starts_a_version_with_the_next_goal(self, world, signed_plan):
        g = grant(world.regisseur, world.participant)
        lineage = _goal(signed_plan).lineage
        version, done, follow_up = services.complete_goal(world.regisseur, world.participant, g, lineage)
        assert version.number == 2 and version.status == VersionStatus.CONCEPT
        assert done.status == GoalStatus.BEHAALD and done.completed_on == timezone.localdate()
        assert follow_up.title == "Betaald werk als monteur"
        assert follow_up.domain == LifeDomain.PARTICIPATIE
        assert follow_up.follows == "Werkervaring opdoen in de techniek"
        assert _goal(signed_plan).status == GoalStatus.OPEN  # the signed version did not change

    def test_completing_twice_is_refused(self, world, draft_plan):
        g = grant(world.regisseur, world.participant)
        lineage = _goal(draft_plan).lineage
        services.complete_goal(world.regisseur, world.participant, g, lineage, revision=draft_plan.revision)
        with pytest.raises(ValidationError, match="al behaald"):
            services.complete_goal(world.regisseur, world.participant, g, lineage)


class TestConcurrency:
    def test_second_save_with_an_old_revision_is_refused_with_what_changed(self, world, draft_plan):
        p = world.participant
        begeleider = make_user(world.gemeente, "regisseur", username="collega", first_name="Cor")
        loaded = draft_plan.revision  # both open the goal form at this revision
        goal = _goal(draft_plan)
        services.save_goal(world.regisseur, p, grant(world.regisseur, p), draft_plan.pk, loaded,
                           services.GoalData(domain=goal.domain, title="Stage bij een installatiebedrijf"),
                           goal_id=goal.pk)
        with pytest.raises(services.StaleDraftError) as exc:
            services.save_goal(begeleider, p, grant(begeleider, p), draft_plan.pk, loaded,
                               services.GoalData(domain=goal.domain, title="Iets heel anders"), goal_id=goal.pk)
        assert "Iemand anders heeft dit concept gewijzigd" in str(exc.value)
        assert [e.user for e in exc.value.edits] == [world.regisseur]
        assert "Stage bij een installatiebedrijf" in exc.value.edits[0].summary
        assert "doel" in exc.value.edits[0].summary
        assert _goal(draft_plan).title == "Stage bij een installatiebedrijf"  # no silent overwrite

    def test_saving_with_the_current_revision_works(self, world, draft_plan):
        p, g = world.participant, grant(world.regisseur, world.participant)
        services.save_agreement(world.regisseur, p, g, draft_plan.pk, draft_plan.revision, "Eerste")
        services.save_agreement(world.regisseur, p, g, draft_plan.pk, draft_plan.revision + 1, "Tweede")
        assert PlanEdit.objects.filter(version=draft_plan).count() == draft_plan.revision + 2

    def test_signing_an_outdated_view_is_refused(self, world, draft_plan):
        p, g = world.participant, grant(world.regisseur, world.participant)
        services.save_agreement(world.regisseur, p, g, draft_plan.pk, draft_plan.revision, "Laatste afspraak")
        with pytest.raises(services.StaleDraftError):
            services.sign(world.regisseur, p, g, draft_plan.pk, draft_plan.revision, method=SignMethod.SCREEN,
                          signed_on=timezone.localdate(), participant_signed=True)
        assert PlanVersion.objects.get(pk=draft_plan.pk).status == VersionStatus.CONCEPT


class TestChecks:
    def _step(self, world, version, **overrides):
        goal = _goal(version)
        data = {"description": "Sollicitatiebrief", "owner_organisation": world.gemeente, "owner_user": None,
                    "due_date": version.plan_date + timedelta(days=10), "status": ActionStatus.OPEN}
        data.update(overrides)
        return services.save_step(world.regisseur, world.participant, grant(world.regisseur, world.participant),
                                  version.pk, version.revision, goal.pk, services.StepData(**data))

    def test_step_owner_must_be_involved(self, world, draft_plan):
        with pytest.raises(ValidationError) as exc:
            self._step(world, draft_plan, owner_organisation=world.andere_gemeente)
        assert "niet betrokken bij het traject" in str(exc.value.message_dict["owner_organisation"])
        # a partner with an active membership may own a step
        assert self._step(world, draft_plan, owner_organisation=world.taal, owner_user=world.taaldocent).pk

    def test_step_owner_person_works_at_the_organisation(self, world, draft_plan):
        with pytest.raises(ValidationError) as exc:
            self._step(world, draft_plan, owner_organisation=world.gemeente, owner_user=world.taaldocent)
        assert "werkt niet bij" in str(exc.value.message_dict["owner_user"])

    def test_partner_without_health_consent_cannot_own_a_health_step(self, world, draft_plan):
        goal = _goal(draft_plan, LifeDomain.GEESTELIJKE_GEZONDHEID)
        with pytest.raises(ValidationError) as exc:
            services.save_step(world.regisseur, world.participant, grant(world.regisseur, world.participant),
                               draft_plan.pk, draft_plan.revision, goal.pk, services.StepData(
                                   "Gesprek", world.taal, None, draft_plan.plan_date + timedelta(days=3)))
        assert "niet inzien" in str(exc.value.message_dict["owner_organisation"])

    def test_due_dates_before_the_plan_or_absurdly_late_are_refused(self, world, draft_plan):
        with pytest.raises(ValidationError) as exc:
            self._step(world, draft_plan, due_date=draft_plan.plan_date - timedelta(days=1))
        assert "vóór de datum van het plan" in str(exc.value.message_dict["due_date"])
        with pytest.raises(ValidationError) as exc:
            self._step(world, draft_plan, due_date=draft_plan.plan_date.replace(year=draft_plan.plan_date.year + 20))
        assert "Klopt het jaartal" in str(exc.value.message_dict["due_date"])

    def test_signing_needs_goals_and_the_participant(self, world):
        p, g = world.participant, grant(world.regisseur, world.participant)
        v = services.start_plan(world.regisseur, p, g, kind="pip", plan_date=timezone.localdate())
        with pytest.raises(ValidationError) as exc:
            services.sign(world.regisseur, p, g, v.pk, v.revision, method=SignMethod.SCREEN,
                          signed_on=timezone.localdate(), participant_signed=False)
        assert "zonder doelen" in str(exc.value)
        assert "participant_signed" in exc.value.message_dict

    def test_paper_signing_validates_the_upload(self, world, draft_plan):
        p, g = world.participant, grant(world.regisseur, world.participant)

        def attempt(upload):
            return services.sign(world.regisseur, p, g, draft_plan.pk, draft_plan.revision, method=SignMethod.PAPER,
                                 signed_on=timezone.localdate(), participant_signed=True, document=upload)

        with pytest.raises(ValidationError, match="bestandstype"):
            attempt(SimpleUploadedFile("plan.exe", b"MZ\x90\x00"))
        with pytest.raises(ValidationError, match="past niet bij de naam"):
            attempt(SimpleUploadedFile("plan.pdf", b"<html>geen pdf</html>"))
        big = SimpleUploadedFile("plan.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
        with pytest.raises(ValidationError, match="te groot"):
            attempt(big)
        with pytest.raises(ValidationError, match="Voeg de scan"):
            attempt(None)

    def test_paper_signing_stores_the_document(self, world, draft_plan, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        p, g = world.participant, grant(world.regisseur, world.participant)
        v = services.sign(world.regisseur, p, g, draft_plan.pk, draft_plan.revision, method=SignMethod.PAPER,
                          signed_on=timezone.localdate(), participant_signed=True,
                          document=SimpleUploadedFile("Nahom Tesfay getekend.pdf", b"%PDF-1.4 test"))
        assert v.signed_document.name.startswith(f"plans/ondertekend/{p.pk}/")
        assert "Nahom" not in v.signed_document.name  # the stored name carries no personal data
        assert (tmp_path / v.signed_document.name).read_bytes() == b"%PDF-1.4 test"

    def test_taaldocent_cannot_change_the_plan(self, world, draft_plan):
        from django.http import Http404

        with pytest.raises(Http404):
            services.save_agreement(world.taaldocent, world.participant, grant(world.taaldocent, world.participant),
                                    draft_plan.pk, draft_plan.revision, "Mag niet")

    def test_health_goal_needs_the_special_category(self, world, draft_plan):
        from django.http import Http404

        partner = OrganisationFactory(name="Begeleiding Plus")
        from koers.core.tests.factories import MembershipFactory

        MembershipFactory(participant=world.participant, organisation=partner, added_by=world.regisseur,
                          scope="identiteit traject")
        coach = make_user(partner, "begeleider", username="coach")
        g = grant(coach, world.participant)
        assert g.can_change(Category.TRAJECTORY) and not g.can_see(Category.SPECIAL)
        with pytest.raises(Http404):
            services.save_goal(coach, world.participant, g, draft_plan.pk, draft_plan.revision,
                               services.GoalData(domain=LifeDomain.LICHAMELIJKE_GEZONDHEID, title="Sporten"))


class TestDiff:
    def test_added_removed_and_changed(self, world, signed_plan):
        p, g = world.participant, grant(world.regisseur, world.participant)
        v2 = services.new_version(world.regisseur, p, g)
        work = _goal(v2)
        services.save_goal(world.regisseur, p, g, v2.pk, 1, services.GoalData(
            domain=work.domain, title=work.title, due_date=work.due_date, status=GoalStatus.BEZIG,
            next_goal=work.next_goal), goal_id=work.pk)
        services.save_goal(world.regisseur, p, g, v2.pk, 2, services.GoalData(
            domain=LifeDomain.FINANCIEN, title="Zelf de rekeningen betalen"))
        services.delete_agreement(world.regisseur, p, g, v2.pk, 3, v2.agreements.get().pk)
        step = Step.objects.get(goal=work)
        services.save_step(world.regisseur, p, g, v2.pk, 4, work.pk, services.StepData(
            step.description, world.gemeente, None, step.due_date, ActionStatus.AFGEROND), step_id=step.pk)
        from koers.plans.queries import plans as queries

        old = queries.get_version_or_404(p, g, 1)
        new = queries.get_version_or_404(p, g, 2)
        result = diff_versions(old, new, g.read)
        by = {(c.kind, c.what): c for c in result.changes}
        assert by[(CHANGED, "Doel")].fields == [("status", "Nog niet begonnen", "Bezig")]
        assert by[(ADDED, "Doel")].label == "Zelf de rekeningen betalen"
        assert (REMOVED, "Afspraak") in by
        changed_step = by[(CHANGED, "Stap")]
        assert ("status", "Open", "Afgerond") in changed_step.fields
        assert ("wie", "Rita Achternaam (Gemeente Rivierstad)", "de deelnemer zelf (Gemeente Rivierstad)") in \
            changed_step.fields
        assert by[(CHANGED, "Plan")].fields[0][0] == "datum plan"  # a new version is dated today
        assert result.counts == {ADDED: 1, REMOVED: 1, CHANGED: 3}

    def test_health_changes_are_hidden_without_the_special_category(self, world, signed_plan):
        p, g = world.participant, grant(world.regisseur, world.participant)
        v2 = services.new_version(world.regisseur, p, g)
        health = _goal(v2, LifeDomain.GEESTELIJKE_GEZONDHEID)
        services.save_goal(world.regisseur, p, g, v2.pk, 1, services.GoalData(
            domain=health.domain, title="Slaapt beter", status=GoalStatus.BEHAALD), goal_id=health.pk)
        from koers.plans.queries import plans as queries

        docent = grant(world.taaldocent, p)
        result = diff_versions(queries.get_version_or_404(p, docent, 1), queries.get_version_or_404(p, docent, 2),
                               docent.read)
        assert [c.what for c in result.changes] == ["Plan"]  # only the new plan date
        full = diff_versions(queries.get_version_or_404(p, g, 1), queries.get_version_or_404(p, g, 2), g.read)
        assert [(c.what, c.category) for c in full.changes] == [("Plan", Category.TRAJECTORY),
                                                                 ("Doel", Category.SPECIAL)]


def test_signed_version_stays_when_draft_is_edited(world):
    v1 = sign(world, draft_with_content(world))
    p, g = world.participant, grant(world.regisseur, world.participant)
    v2 = services.new_version(world.regisseur, p, g)
    services.update_header(world.regisseur, p, g, v2.pk, v2.revision, kind=v2.kind, plan_date=v2.plan_date,
                           long_term_goal="Eigen bedrijf als elektricien")
    assert PlanVersion.objects.get(pk=v1.pk).long_term_goal == "Werken als elektricien en zelfstandig wonen"
