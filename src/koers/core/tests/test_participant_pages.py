"""Audit by construction: every participant-scoped route goes through the door (``core.pages``).

1. Every URL pattern of the project is classified: a route that carries a participant id is decorated with
   ``participant_page``; a route that carries the id of an object belonging to one participant is decorated with
   ``participant_object_page``; every other route is in ``NOT_PARTICIPANT_SCOPED`` with the reason. A new route
   that is none of these fails the test, so it has to be classified by whoever adds it.
2. On the demo, every participant-scoped GET route is requested as the participant's regisseur: a 200 must have
   written an audit record for that participant during the request, and the response is ``no-store``.
3. The same URLs as the other municipality's regisseur are a 404 with a DENIED security event; a language teacher
   (partner without work or income data) gets the same on the pages of those categories.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from koers.core.models import AuditAction, AuditEvent, User

#: Routes that are not about one participant, and why. Lists that show several participants record a list view
#: (``audit.record_list``); exports and reports of programmes are aggregated or pseudonymised.
NOT_PARTICIPANT_SCOPED: dict[str, str] = {
    # Logging in, account, two-factor: the user's own account.
    "home": "start page; its lists are recorded as list views",
    "healthz": "health check, no data",
    "login": "public", "logout": "own session", "password_reset": "public", "password_reset_done": "public",
    "password_reset_confirm": "public", "password_reset_complete": "public",
    "two_factor_verify": "own account", "two_factor_setup": "own account",
    "core:account": "own account", "core:password_change": "own account",
    # Beheer: organisations and staff (audited as ADMIN events by the beheer views).
    "core:organisation_list": "beheer", "core:organisation_create": "beheer", "core:organisation_detail": "beheer",
    "core:organisation_update": "beheer", "core:user_create": "beheer", "core:user_update": "beheer",
    "core:user_deactivate": "beheer", "core:user_reactivate": "beheer", "core:user_send_reset": "beheer",
    "core:user_reset_2fa": "beheer", "core:security_events": "beheer: security events, no participant data",
    "core:translations": "beheer: the translation catalogues, no participant data",
    # Lists of several participants (recorded as list views) and creating a new participant.
    "participants:list": "list of participants", "participants:create": "new participant, no file yet",
    "casework:my_actions": "list", "casework:org_actions": "list", "casework:escalations": "list",
    "casework:guidance_hours": "hours per participant (list, CSV)", "casework:my_handovers": "list",
    "casework:caseload": "list", "casework:team_caseload": "list", "casework:team_reassign": "list (POST)",
    "casework:change_status": "action item; the service checks the participant's grant and audits the change",
    "casework:signal_acknowledge": "POST only; the participant id is in the form and "
                                   "signals.acknowledge checks it through the policy and audits",
    # Case meetings hold several participants; each item is checked and recorded per participant.
    "casework:meetings": "list", "casework:meeting_create": "meeting", "casework:meeting_detail": "meeting",
    "casework:meeting_agenda": "meeting", "casework:meeting_minutes": "meeting",
    "casework:meeting_finalise": "meeting", "casework:meeting_agenda_pdf": "meeting",
    "casework:meeting_minutes_pdf": "meeting",
    # Activities, sessions and groups: several participants, recorded as list views where names show.
    "activities:list": "activities", "activities:create": "activity", "activities:detail": "activity",
    "activities:update": "activity", "activities:enrol_activity": "activity (choose participants)",
    "activities:my_sessions": "sessions", "activities:attendance": "session (several participants)",
    "activities:session_edit": "session", "activities:sessions": "sessions",
    "activities:sessions_generate": "sessions", "activities:session_create": "session",
    "activities:closed_days": "organisation calendar", "activities:closed_day_delete": "organisation calendar",
    "activities:groups": "groups", "activities:group_suggestions": "groups",
    "activities:group_from_suggestion": "groups", "activities:group_detail": "group (several participants)",
    "activities:group_remove_member": "group (POST)",
    # Employers, openings and certificates: organisation data; candidate lists are recorded as list views.
    "work:employer_list": "employers", "work:employer_create": "employer", "work:employer_detail": "employer",
    "work:employer_update": "employer", "work:contact_create": "employer contact",
    "work:contact_update": "employer contact", "work:contact_delete": "employer contact",
    "work:visit_create": "company visit", "work:visit_update": "company visit", "work:certificates": "catalogue",
    "work:opening_create": "opening",
    "work:certificate_update": "catalogue", "work:opening_list": "openings", "work:opening_detail": "opening",
    "work:opening_update": "opening", "work:opening_matches": "candidates for an opening (list view)",
    "work:check_ins_due": "the jobcoach's list of check-ins due (list view, audited per participant shown)",
    # Monitoring: programmes, aggregated reports, imports (audited as IMPORT) and pseudonymised research data.
    "monitoring:followups": "list", "monitoring:programmes": "programmes",
    "monitoring:programme_create": "programme", "monitoring:programme": "programme",
    "monitoring:programme_update": "programme", "monitoring:project_create": "project",
    "monitoring:project": "project", "monitoring:project_update": "project", "monitoring:report": "aggregated",
    "monitoring:report_pdf": "aggregated", "monitoring:report_all_xlsx": "aggregated",
    "monitoring:report_table": "aggregated", "monitoring:import": "import", "monitoring:import_preview": "import",
    "monitoring:import_confirm": "import", "monitoring:import_cancel": "import",
    "monitoring:completeness": "trajectories by external id (programme scope)",
    "monitoring:trajectory_edit": "a programme trajectory by external id, checked by the programme scope",
    "monitoring:research": "pseudonymised", "monitoring:research_export": "pseudonymised",
    # Mijn Koers: the participant's own pages. Their door (portal/door.py) loads the logged-in participant, never
    # one named in the URL, and records every page as the participant's own access (portal/tests).
    "portal:home": "participant's own", "portal:plan": "participant's own", "portal:plan_pdf": "participant's own",
    "portal:week": "participant's own", "portal:week_card": "participant's own",
    "portal:language": "participant's own", "portal:my_data": "participant's own",
    "portal:email_notices": "participant's own account setting",
    "portal:withdraw_consent": "participant's own consent (looked up in their own file)",
    "portal:download": "participant's own", "portal:download_pdf": "participant's own",
    "portal:messages": "participant's own conversation",
    "portal:message_attachment": "participant's own message (looked up in their own file)",
    "portal:portfolio": "participant's own", "portal:portfolio_add": "participant's own",
    "portal:portfolio_edit": "participant's own item (looked up in their own items)",
    "portal:portfolio_delete": "participant's own item (looked up in their own items)",
    "portal:portfolio_file": "participant's own item (looked up in their own items)",
    "portal:cv": "participant's own",
    "portal:login": "public", "portal:visitor_language": "public",
    "portal:activate": "public (activation code)", "portal:logout": "own session",
    "portal:passkeys": "participant's own", "portal:passkey_add_options": "participant's own",
    "portal:passkey_remove": "participant's own passkey (looked up in their own account)",
    "portal:passkey_login": "public (passkey)", "portal:passkey_login_options": "public (passkey challenge)",
    # DigiD for Mijn Koers (portal/digid_urls.py): the login start and DigiD's return (both public), and in mock
    # mode the library's mock identity provider (demo and tests only).
    "digid:login": "public (DigiD)", "digid:acs": "public (DigiD's answer)",
    "digid-mock:login": "public (mock DigiD, demo)", "digid-mock:bsn": "public (mock DigiD, demo)",
}

#: URL fragments that mean "this route is about one participant": such a route must be behind the door.
PARTICIPANT_URL = re.compile(r"(deelnemers?/<int:pk>|<int:participant_pk>)")


def _routes():
    """(name, route text, callback, url kwarg names) for every named pattern outside the Django admin."""

    def walk(patterns, prefix, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace
                                                                                 else ""))
            elif isinstance(p, URLPattern):
                names = set(p.pattern.regex.groupindex)
                yield ns + (p.name or ""), prefix + str(p.pattern), p.callback, names

    return list(walk(get_resolver().url_patterns, "", ""))


ROUTES = _routes()
PARTICIPANT_ROUTES = {name for name, _, cb, _ in ROUTES if getattr(cb, "participant_page", None)}
OBJECT_ROUTES = {name for name, _, cb, _ in ROUTES if getattr(cb, "participant_object_page", None)}


def test_every_route_is_classified():
    problems = []
    for name, route, callback, kwargs in ROUTES:
        door = getattr(callback, "participant_page", None)
        object_door = getattr(callback, "participant_object_page", None)
        if PARTICIPANT_URL.search(route):
            expected = "participant_pk" if "participant_pk" in kwargs else "pk"
            if door != expected:
                problems.append(f"{name} ({route}) carries a participant id but is not @participant_page"
                                f"(kwarg={expected!r})")
        elif door:
            problems.append(f"{name} is @participant_page but its URL does not look like a participant URL")
        if (door or object_door) and name in NOT_PARTICIPANT_SCOPED:
            problems.append(f"{name} is behind the door: remove it from NOT_PARTICIPANT_SCOPED")
        if not (door or object_door) and name not in NOT_PARTICIPANT_SCOPED:
            problems.append(f"{name} ({route}) is not classified: put it behind core.pages.participant_page / "
                            "participant_object_page, or add it to NOT_PARTICIPANT_SCOPED with the reason")
    stale = set(NOT_PARTICIPANT_SCOPED) - {name for name, *_ in ROUTES}
    problems += [f"{name} in NOT_PARTICIPANT_SCOPED is no URL name any more" for name in sorted(stale)]
    assert not problems, "\n".join(problems)


def test_the_door_covers_the_participant_routes():
    # A sanity check on the enumeration itself: the file, plan and placement pages are all found.
    for name in ("participants:detail", "participants:access", "plans:signed_document", "work:placement_detail",
                 "casework:handover_create", "work:propose_match", "activities:week_card"):
        assert name in PARTICIPANT_ROUTES
    for name in ("activities:enrolment_status", "casework:handover_detail", "work:match_reject",
                 "work:placement_from_match", "monitoring:followup_record"):
        assert name in OBJECT_ROUTES


# --- On the demo -------------------------------------------------------------------------------------------------

#: Routes that only take POST (a GET is a 405 and shows nothing).
POST_ONLY = {
    "participants:remove_work_experience", "participants:end_membership", "participants:intake_start",
    "participants:household_leave",
    "plans:new_version", "plans:complete_goal", "plans:goal_delete", "plans:step_delete", "plans:agreement_delete",
    "plans:integration_action", "plans:decide_switch", "casework:request_discussion", "work:check_in_add",
    "work:friction_resolve", "work:friction_escalate", "casework:handover_confirm", "portal_staff:block",
    "casework:appointment_status",
}


def _fillers():
    """URL name -> () -> (participant, url kwargs), with real demo objects. Imports here: the apps' models."""
    from koers.activities.models import Enrolment
    from koers.casework.models import Contact, Handover
    from koers.monitoring.models import FollowUp
    from koers.participants.models import Intake, Participant
    from koers.plans.models import Agreement, Goal, PlanVersion, Step
    from koers.work.models import Closure, Friction, Match, Opening, OpeningStatus, Placement

    def regie(qs, field="participant"):
        return qs.filter(**{f"{field}__regie_organisation__name": "Gemeente Rivierstad"})

    def person():
        p = regie(PlanVersion.objects.all()).order_by("participant_id").first().participant
        return p, {"pk": p.pk}

    def version(draft=None):
        qs = regie(PlanVersion.objects.all())
        if draft is not None:
            qs = qs.filter(status="concept") if draft else qs.exclude(status="concept")
        v = qs.order_by("id").first()
        return v.participant, {"pk": v.participant_id, "number": v.number}

    def goal():
        g = regie(Goal.objects.filter(version__status="concept"), "version__participant").order_by("id").first()
        return g.version.participant, {"pk": g.version.participant_id, "number": g.version.number, "goal_id": g.pk}

    def step():
        s = regie(Step.objects.filter(goal__version__status="concept"), "goal__version__participant").first()
        v = s.goal.version
        return v.participant, {"pk": v.participant_id, "number": v.number, "goal_id": s.goal_id, "step_id": s.pk}

    def agreement():
        a = regie(Agreement.objects.filter(version__status="concept"), "version__participant").first()
        return a.version.participant, {"pk": a.version.participant_id, "number": a.version.number,
                                       "agreement_id": a.pk}

    def signed():
        # The demo signs digitally; give one signed version a paper scan (stored under the test's MEDIA_ROOT).
        v = regie(PlanVersion.objects.exclude(status="concept")).order_by("id").first()
        name = default_storage.save(f"plans/ondertekend/{v.participant_id}/scan.pdf", ContentFile(b"%PDF-1.4 test"))
        PlanVersion.objects.filter(pk=v.pk).update(sign_method="papier", signed_document=name)  # a signed version
        return v.participant, {"pk": v.participant_id, "number": v.number}

    def intake(extra=None):
        i = regie(Intake.objects.all()).order_by("-completed_at").first()
        return i.participant, {"pk": i.participant_id, "intake_id": i.pk, **(extra or {})}

    def draft_intake(step=None):
        extra = {"step": step} if step else {}
        i = regie(Intake.objects.filter(completed_at__isnull=True)).first()
        if i is None:  # the demo's intakes are completed: a regisseur starts a new one
            p = person()[0]
            i = Intake.objects.create(participant=p, organisation=p.regie_organisation, conducted_by=p.regisseur)
        return i.participant, {"pk": i.participant_id, "intake_id": i.pk, **extra}

    def contact():
        # Correcting is possible for 24 hours, by the one who recorded it: make the demo's newest contact fresh.
        c = regie(Contact.objects.all()).order_by("-id").first()
        Contact.objects.filter(pk=c.pk).update(recorded_at=timezone.now(), recorded_by=c.participant.regisseur)
        return c.participant, {"pk": c.participant_id, "contact_id": c.pk}

    def message():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from koers.casework.services import messages
        from koers.core import access

        p = person()[0]
        m = messages.send_from_staff(p.regisseur, p, access.grant_for(p.regisseur, p), body="Tot morgen",
                                     attachment=SimpleUploadedFile("rooster.pdf", b"%PDF-1.4 test"))
        return p, {"pk": p.pk, "message_id": m.pk}

    def portfolio_item():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from koers.portal.models import PortfolioItem

        p = person()[0]
        item = PortfolioItem(participant=p, title="Certificaat heftruck", file_name="heftruck.pdf")
        item.file.save("heftruck.pdf", SimpleUploadedFile("heftruck.pdf", b"%PDF-1.4 test"), save=True)
        return p, {"pk": p.pk, "item_id": item.pk}

    def appointment():
        from koers.casework.models import Appointment

        a = regie(Appointment.objects.filter(status="gepland")).order_by("id").first()
        return a.participant, {"pk": a.participant_id, "appointment_id": a.pk}

    def placement(open_=True):
        qs = regie(Placement.objects.filter(aftercare__isnull=False))
        pl = (qs.filter(ended_on__isnull=True) if open_ else qs).order_by("id").first() or qs.first()
        return pl.participant, {"pk": pl.participant_id, "placement_id": pl.pk}

    def check_in():
        pl = regie(Placement.objects.filter(aftercare__check_ins__done_on__isnull=True)).order_by("id").first()
        ci = pl.aftercare.check_ins.filter(done_on__isnull=True).first()
        return pl.participant, {"pk": pl.participant_id, "placement_id": pl.pk, "check_in_id": ci.pk}

    def friction():
        f = regie(Friction.objects.all(), "plan__placement__participant").first()
        pl = f.plan.placement
        return pl.participant, {"pk": pl.participant_id, "placement_id": pl.pk}

    def closure(version_="gemeente"):
        c = regie(Closure.objects.all()).first()
        return c.participant, {"pk": c.participant_id, **({"version": version_} if version_ else {})}

    def propose():
        p = Participant.objects.filter(regie_organisation__name="Gemeente Rivierstad").order_by("id").first()
        o = Opening.objects.filter(status=OpeningStatus.OPEN).order_by("id").first()
        return p, {"pk": o.pk, "participant_pk": p.pk}

    def enrolment():
        e = regie(Enrolment.objects.filter(status="ingeschreven")).first() or regie(Enrolment.objects).first()
        return e.participant, {"pk": e.pk}

    def handover():
        h = regie(Handover.objects.all()).first()
        return h.participant, {"handover_id": h.pk}

    def match(kwarg="pk"):
        m = regie(Match.objects.all()).order_by("id").first()
        if kwarg == "pk":  # rejecting needs an open proposal; the demo's one match became a placement
            p = m.participant
            opening = Opening.objects.filter(status=OpeningStatus.OPEN).exclude(matches__participant=p).first()
            m = Match.objects.create(opening=opening, participant=p, proposed_by=p.regisseur,
                                     organisation=p.regie_organisation, mode=m.mode)
        return m.participant, {kwarg: m.pk}

    def without(**lookups):
        def pick():
            p = (Participant.objects.filter(regie_organisation__name="Gemeente Rivierstad", regisseur__isnull=False)
                 .exclude(**lookups).order_by("id").first())
            return p, {"pk": p.pk}
        return pick

    def followup():
        f = regie(FollowUp.objects.filter(trajectory__participant__isnull=False), "trajectory__participant").filter(
            organisation__name="Gemeente Rivierstad").first()
        return f.trajectory.participant, {"pk": f.pk}

    fill = dict.fromkeys(PARTICIPANT_ROUTES, person)
    fill.update({
        "participants:edit_section": lambda: (person()[0], {**person()[1], "section": "traject"}),
        "participants:intake_detail": intake, "participants:intake_resume": draft_intake,
        "participants:intake_step": lambda: draft_intake("gesprek"),
        "plans:version": lambda: version(False), "plans:pdf": lambda: version(False),
        "plans:signed_document": signed, "plans:edit": lambda: version(True), "plans:sign": lambda: version(True),
        "plans:goal_add": lambda: version(True), "plans:goal_edit": goal, "plans:step_add": goal,
        "plans:step_edit": step, "plans:agreement_add": lambda: version(True), "plans:agreement_edit": agreement,
        "casework:message_attachment": message, "casework:appointment_status": appointment,
        "portal_staff:portfolio_file": portfolio_item,
        "casework:contact_detail": contact, "casework:contact_edit": contact, "casework:contact_delete": contact,
        "work:placement_detail": placement, "work:placement_term_add": placement, "work:placement_end": placement,
        "work:placement_correct": placement, "work:placement_withdraw": placement,
        "work:check_in_record": check_in, "work:friction_add": placement, "work:aftercare_close": friction,
        "work:closure_detail": lambda: closure(None), "work:close_trajectory": without(phase="afgesloten"),
        "plans:start": without(plan_versions__isnull=False),
        "work:closure_report": closure, "work:propose_match": propose,
        "activities:enrolment_status": enrolment, "casework:handover_detail": handover,
        "work:match_reject": match, "work:placement_from_match": lambda: match("match_id"),
        "monitoring:followup_record": followup,
    })
    return fill


#: GET routes that do not answer 200 for the regisseur on the demo, and why (every other one must serve a page).
NOT_SERVED_ON_THE_DEMO: dict[str, int] = {
    "participants:intake_resume": 302,  # "Intake hervatten" always goes on to the step where the user continues
}


#: Door routes whose 404 for an outsider is not a security event, and why.
NOT_A_SECURITY_EVENT = {
    # A follow-up belongs to the organisation that does it; another organisation's id is simply not found.
    "monitoring:followup_record",
}

PARTICIPANT_LAYOUTS = {"participants/page.html", "participants/form_page.html"}

#: HTML pages of one participant drawn in neither participant layout, and why.
NOT_IN_THE_LAYOUT: dict[str, str] = {
    "casework:handover_detail": "a printable document that the receiving organisation keeps (print-document)",
    "activities:enrol": "reached from an activity as well as from the file; the check step has its own heading",
}

#: Pages that show only identity data, for which the door's fallback record is the right record.
FALLBACK_IS_ENOUGH: set[str] = set()


@pytest.fixture
def demo(demo_data):
    """The demo world of ``koers demo --force`` (``demo_data``, koers/conftest.py: loaded once per worker)."""


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_participant_page_is_audited_no_store_and_closed_to_others(demo, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fill = _fillers()
    regisseur_org = "Gemeente Rivierstad"
    outsider = User.objects.get(username="heuvelrand")
    problems, statuses, layout = [], {}, []
    for name in sorted((PARTICIPANT_ROUTES | OBJECT_ROUTES) - POST_ONLY):
        participant, kwargs = fill[name]()
        assert participant.regie_organisation.name == regisseur_org
        url = reverse(name, kwargs=kwargs)

        # (b) The participant's regisseur: a 200 is an audit record for this participant, and never cached.
        client.force_login(participant.regisseur)
        before = _last_event_id()
        response = client.get(url)
        statuses[name] = response.status_code
        if response.status_code == 200:
            written = AuditEvent.objects.filter(id__gt=before, participant_id=participant.pk)
            if not written.exists():
                problems.append(f"{name}: 200 without an audit record for the participant ({url})")
            elif written.filter(detail__startswith="Pagina ").exists() and name not in FALLBACK_IS_ENOUGH:
                # The door's fallback record (identity only) is a safety net: a page records what it shows.
                problems.append(f"{name}: records no categories of its own, only the door's fallback ({url})")
            # One layout: every HTML page of a participant's file draws the file's header and tabs
            # (participants/page.html), or, for a task inside the file, its breadcrumbs and heading
            # (participants/form_page.html).
            used = {t.name for t in response.templates}
            if response["Content-Type"].startswith("text/html") and not used & PARTICIPANT_LAYOUTS:
                layout.append(name)
        elif response.status_code not in (302, 404):
            problems.append(f"{name}: {response.status_code} for the regisseur ({url})")
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{name}: no Cache-Control: no-store ({url})")

        # (c) Another municipality's regisseur: 404, recorded as a security event (for the door's routes with the
        # participant's id).
        client.force_login(outsider)
        before = _last_event_id()
        response = client.get(url)
        if response.status_code != 404:
            problems.append(f"{name}: {response.status_code} for another municipality ({url})")
        denied = AuditEvent.objects.filter(id__gt=before, action=AuditAction.DENIED)
        if name not in NOT_A_SECURITY_EVENT and not denied.filter(participant_id=participant.pk).exists():
            problems.append(f"{name}: the 404 for another municipality is not recorded as a security event")
        if AuditEvent.objects.filter(id__gt=before).exclude(action=AuditAction.DENIED).exists():
            problems.append(f"{name}: the refused request still recorded a view or change ({url})")
    assert not problems, "\n".join(problems)
    assert sorted(layout) == sorted(NOT_IN_THE_LAYOUT), "in neither participant layout: " + " ".join(layout)
    # The test is only worth something when the pages really answered: nearly all of them must have served.
    not_served = {name: status for name, status in statuses.items() if status != 200}
    assert not_served == NOT_SERVED_ON_THE_DEMO, " ".join(f"{k}={v}" for k, v in sorted(not_served.items()))


def _dummy_kwargs(route: str, participant_pk: int, kwarg: str) -> dict:
    """Any value for the other URL kwargs: the door refuses before the view looks at them."""
    values = {}
    for converter, key in re.findall(r"<(\w+):(\w+)>", route):
        values[key] = 1 if converter == "int" else "x"
    values[kwarg] = participant_pk
    return values


def test_posts_to_another_municipalitys_participant_are_refused_and_recorded(world, client_for):
    client = client_for(world.andere_regisseur)
    problems = []
    for name, route, callback, _ in ROUTES:
        if name not in PARTICIPANT_ROUTES:
            continue
        url = reverse(name, kwargs=_dummy_kwargs(route, world.participant.pk, callback.participant_page))
        before = _last_event_id()
        response = client.post(url, {"note": "x", "reason": "x"})
        written = AuditEvent.objects.filter(id__gt=before)
        if response.status_code != 404:
            problems.append(f"{name}: POST answered {response.status_code}")
        elif not written.filter(action=AuditAction.DENIED, participant_id=world.participant.pk).exists():
            problems.append(f"{name}: refused POST not recorded as a security event")
        if written.exclude(action=AuditAction.DENIED).exists():
            problems.append(f"{name}: refused POST still recorded a view or change")
    assert not problems, "\n".join(problems)


#: Pages of a category the language teacher does not have (work; income): a 404 and a security event.
CATEGORY_PAGES = {
    "work:participant_placements": {}, "work:placement_create": {}, "work:work_profile": {},
    "work:participant_matches": {}, "participants:add_work_experience": {},
    "participants:edit_section": {"section": "inkomen"},
}


def test_the_language_teacher_cannot_open_pages_of_categories_they_do_not_have(demo, client):
    from koers.participants.models import Membership

    teacher = User.objects.get(username="taaldocent")
    m = Membership.objects.active().filter(organisation=teacher.organisation).select_related("participant").first()
    participant = m.participant
    client.force_login(teacher)
    # The teacher does see the file itself (and that is recorded).
    before = _last_event_id()
    assert client.get(reverse("participants:detail", kwargs={"pk": participant.pk})).status_code == 200
    assert AuditEvent.objects.filter(id__gt=before, participant_id=participant.pk).exists()
    for name, extra in CATEGORY_PAGES.items():
        before = _last_event_id()
        response = client.get(reverse(name, kwargs={"pk": participant.pk, **extra}))
        assert response.status_code == 404, name
        denied = AuditEvent.objects.filter(id__gt=before, action=AuditAction.DENIED)
        assert denied.filter(participant_id=participant.pk).exists(), name
        assert not AuditEvent.objects.filter(id__gt=before).exclude(action=AuditAction.DENIED).exists(), name


def test_the_access_page_records_what_it_shows(world, client_for):
    client = client_for(world.regisseur)
    response = client.get(reverse("participants:access", kwargs={"pk": world.participant.pk}))
    assert response.status_code == 200
    events = AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.VIEW,
                                       detail="Betrokken organisaties en toestemming bekeken")
    assert set(events.values_list("category", flat=True)) == {"traject", "identiteit"}


@pytest.mark.parametrize(("name", "category"), [("participants:add_assessment", "taal_opleiding"),
                                                 ("participants:add_work_experience", "werk")])
def test_the_add_forms_record_a_view_of_their_category(world, client_for, name, category):
    client = client_for(world.regisseur)
    response = client.get(reverse(name, kwargs={"pk": world.participant.pk}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.VIEW,
                                     category=category).exists()


def test_logged_in_pages_and_exports_are_never_cached(world, client_for):
    client = client_for(world.regisseur)
    for url in (reverse("participants:list"), reverse("casework:caseload"),
                reverse("casework:guidance_hours") + "?export=csv",
                reverse("participants:audit_csv", kwargs={"pk": world.participant.pk})):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
