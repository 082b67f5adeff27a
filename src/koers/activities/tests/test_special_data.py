"""Health data on enrolments and attendance is a property of the data, not of a page (issue 10, items 1 and 10).

A health dropout reason (``gezondheid_*``) and a note marked *bijzonder* reach only users whose grant for that
participant covers special-category data. Users without it cannot record a health reason, may mark what they
write as special, and then see "afgeschermde notitie" instead of the text. Every test checks both sides: the
taaldocent (never special) does not see the text, the regisseur does.
"""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.activities.models import Attendance, Enrolment, Group, Session
from koers.activities.queries import attendance as attendance_queries
from koers.activities.services import activities as services
from koers.activities.tests.test_attendance import enrol, make_activity, post_data, visible_participant
from koers.core import access
from koers.core.access import grant_for
from koers.core.codes import AttendanceStatus, DropoutReason
from koers.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEALTH_LABEL = "psychische gezondheid"
NOTE = "Opgenomen in de kliniek"


@pytest.fixture
def course(world):
    today = timezone.localdate()
    activity = make_activity(world.taal, world.taaldocent, title="NT2 Basis",
                             slots=((today.weekday(), time(9), time(12)),))
    group = Group.objects.create(activity=activity, name="Groep B", created_by=world.taaldocent)
    return activity, group


@pytest.fixture
def enrolment(world, course):
    return enrol(world.participant, course[0], world.regisseur, group=course[1])


def status_url(e):
    return reverse("activities:enrolment_status", kwargs={"pk": e.pk})


def pages_showing_enrolments(e):
    return [
        reverse("activities:detail", kwargs={"pk": e.activity_id}),
        reverse("activities:participant_enrolments", kwargs={"pk": e.participant_id}),
    ]


# --- classification ------------------------------------------------------------------------------------------


def test_health_codes_are_classified_once():
    assert access.is_special_code("dropout_reason", DropoutReason.GEZONDHEID_PSYCHISCH)
    assert access.is_special_code("dropout_reason", "gezondheid_lichamelijk")
    assert not access.is_special_code("dropout_reason", DropoutReason.ZORGTAKEN)
    assert not access.is_special_code("dropout_reason", "")
    assert access.is_special_code("barrier", "verslaving") and access.is_special_code("life_domain",
                                                                                       "geestelijke_gezondheid")
    assert access.category_of_dropout_reason("gezondheid_psychisch") == "bijzonder"
    assert access.category_of_dropout_reason("verhuizing") == "traject"


def test_display_helpers_hide_health_data_without_the_category(world):
    docent = grant_for(world.taaldocent, world.participant)
    regisseur = grant_for(world.regisseur, world.participant)
    assert not docent.special and regisseur.special
    assert access.show_dropout_reason(docent, "gezondheid_psychisch") == "reden afgeschermd"
    assert access.show_dropout_reason(regisseur, "gezondheid_psychisch") == "Psychische gezondheid"
    assert access.show_dropout_reason(docent, "verhuizing") == "Verhuizing"
    assert access.show_note(docent, NOTE, True) == "afgeschermde notitie"
    assert access.show_note(regisseur, NOTE, True) == NOTE
    assert access.show_note(docent, "Verhuisd", False) == "Verhuisd"
    codes = [c for c, _ in access.dropout_reason_choices(docent, DropoutReason.choices)]
    assert "gezondheid_psychisch" not in codes and "gezondheid_lichamelijk" not in codes and "overig" in codes
    assert len(access.dropout_reason_choices(regisseur, DropoutReason.choices)) == len(DropoutReason.choices)


# --- recording -----------------------------------------------------------------------------------------------


def test_teacher_is_not_offered_health_reasons_and_a_posted_one_is_refused(world, client_for, enrolment):
    client = client_for(world.taaldocent)
    page = client.get(status_url(enrolment)).content.decode()
    assert 'value="zorgtaken"' in page and 'value="gezondheid_psychisch"' not in page
    assert 'value="gezondheid_lichamelijk"' not in page
    response = client.post(status_url(enrolment), {"status": "uitgevallen", "reason": "gezondheid_psychisch",
                                                   "on": timezone.localdate().isoformat(), "note": NOTE})
    assert response.status_code == 200 and "Deze reden mag u niet kiezen" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "actief" and enrolment.dropout_reason == "" and enrolment.dropout_note == ""


def test_service_refuses_a_health_reason_without_the_category(world, enrolment):
    grant = grant_for(world.taaldocent, world.participant)
    with pytest.raises(ValidationError) as exc:
        services.change_status(world.taaldocent, enrolment, grant, "uitgevallen", reason="gezondheid_lichamelijk")
    assert "bijzondere persoonsgegevens" in exc.value.message_dict["reason"][0]
    assert Enrolment.objects.get(pk=enrolment.pk).status == "actief"


def test_regisseur_records_a_health_reason_audited_as_special_without_the_label(world, client_for, enrolment):
    response = client_for(world.regisseur).post(status_url(enrolment), {
        "status": "uitgevallen", "reason": "gezondheid_psychisch", "on": timezone.localdate().isoformat(),
        "note": NOTE})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.dropout_reason, enrolment.dropout_note) == ("gezondheid_psychisch", NOTE)
    assert enrolment.dropout_note_is_special  # a note with a health reason is special automatically
    events = AuditEvent.objects.filter(participant_id=world.participant.pk, action="wijzigen")
    assert {e.category for e in events} == {"traject", "bijzonder"}
    assert not any("psychisch" in e.detail.lower() or NOTE in e.detail for e in events)


def test_teacher_marks_a_note_special_and_cannot_read_it_back(world, client_for, enrolment):
    client = client_for(world.taaldocent)
    response = client.post(status_url(enrolment), {
        "status": "uitgevallen", "reason": "overig", "on": timezone.localdate().isoformat(),
        "note": "Afspraak bij de huisarts", "note_is_special": "on"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.dropout_note_is_special and enrolment.dropout_reason == "overig"
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="wijzigen",
                                     category="bijzonder").exists()
    for url in pages_showing_enrolments(enrolment):
        html = client.get(url).content.decode()
        assert "huisarts" not in html, url
    html = client.get(pages_showing_enrolments(enrolment)[1]).content.decode()
    assert "afgeschermde notitie" in html and "overig" in html
    html = client_for(world.regisseur).get(pages_showing_enrolments(enrolment)[1]).content.decode()
    assert "Afspraak bij de huisarts" in html


def test_a_plain_note_stays_visible_and_is_audited_as_trajectory(world, enrolment):
    grant = grant_for(world.taaldocent, world.participant)
    services.change_status(world.taaldocent, enrolment, grant, "uitgevallen", reason="verhuizing",
                           note="Verhuisd naar Zwolle")
    enrolment.refresh_from_db()
    assert not enrolment.dropout_note_is_special
    assert set(AuditEvent.objects.filter(action="wijzigen").values_list("category", flat=True)) == {"traject"}


# --- rendering -----------------------------------------------------------------------------------------------


def test_health_reason_and_note_reach_only_users_with_the_special_category(world, client_for, enrolment):
    services.change_status(world.regisseur, enrolment, grant_for(world.regisseur, world.participant),
                           "uitgevallen", reason="gezondheid_psychisch", note=NOTE)
    docent = client_for(world.taaldocent)
    for url in pages_showing_enrolments(enrolment):
        response = docent.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert HEALTH_LABEL not in html.lower() and NOTE not in html, url
        assert "reden afgeschermd" in html and "Uitgevallen" in html, url
    regisseur = client_for(world.regisseur)
    for url in pages_showing_enrolments(enrolment):
        html = regisseur.get(url).content.decode()
        assert HEALTH_LABEL in html.lower(), url
    assert NOTE in regisseur.get(pages_showing_enrolments(enrolment)[1]).content.decode()
    # Shown health data is audited as such, for the regisseur only.
    viewed = AuditEvent.objects.filter(participant_id=world.participant.pk, category="bijzonder",
                                       action__in=("bekijken", "lijst"))
    assert set(viewed.values_list("user_id", flat=True)) == {world.regisseur.pk}
    assert set(viewed.values_list("action", flat=True)) == {"bekijken", "lijst"}  # both pages


def test_group_page_and_schedule_do_not_show_the_health_reason(world, client_for, enrolment, course):
    services.change_status(world.regisseur, enrolment, grant_for(world.regisseur, world.participant),
                           "uitgevallen", reason="gezondheid_psychisch", note=NOTE)
    docent = client_for(world.taaldocent)
    for url in (reverse("activities:group_detail", args=[course[1].pk]),
                reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})):
        response = docent.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert HEALTH_LABEL not in html.lower() and NOTE not in html, url


# --- attendance notes ----------------------------------------------------------------------------------------


@pytest.fixture
def session(world, course, enrolment):
    return Session.objects.create(activity=course[0], group=course[1], date=timezone.localdate(),
                                  start_time=time(9), end_time=time(12))


def test_absence_note_marked_special_is_hidden_from_the_teacher_who_wrote_it(world, client_for, enrolment, session):
    client = client_for(world.taaldocent)
    url = reverse("activities:attendance", args=[session.pk])
    assert "Gaat over gezondheid" in client.get(url).content.decode()
    data = post_data([enrolment], {enrolment.pk: AttendanceStatus.AFGEMELD},
                     {enrolment.pk: "Afspraak bij de huisarts"})
    data[f"special_{enrolment.pk}"] = "on"
    assert client.post(url, data).status_code == 302
    a = Attendance.objects.get()
    assert a.note == "Afspraak bij de huisarts" and a.note_is_special
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="aanmaken",
                                     category="bijzonder").exists()
    # The entry page does not put the text back in the form, and says a protected note exists.
    html = client.get(url).content.decode()
    assert "huisarts" not in html and "afgeschermde notitie" in html
    # Saving again with the field left empty keeps the note.
    data = post_data([enrolment], {enrolment.pk: AttendanceStatus.AFGEMELD})
    data[f"special_{enrolment.pk}"] = "on"
    client.post(url, data)
    a.refresh_from_db()
    assert a.note == "Afspraak bij de huisarts" and a.note_is_special
    participant_page = reverse("activities:participant_attendance", args=[world.participant.pk])
    html = client.get(participant_page).content.decode()
    assert "huisarts" not in html and "afgeschermde notitie" in html
    html = client_for(world.regisseur).get(participant_page).content.decode()
    assert "Afspraak bij de huisarts" in html
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="bekijken", category="bijzonder",
                                     user_id=world.regisseur.pk).exists()


def test_unmarked_absence_note_stays_visible(world, client_for, enrolment, session):
    client = client_for(world.taaldocent)
    url = reverse("activities:attendance", args=[session.pk])
    client.post(url, post_data([enrolment], {enrolment.pk: AttendanceStatus.AFGEMELD}, {enrolment.pk: "Trein"}))
    a = Attendance.objects.get()
    assert not a.note_is_special
    assert "Trein" in client.get(reverse("activities:participant_attendance",
                                         args=[world.participant.pk])).content.decode()


def test_absence_signal_masks_a_special_note(world, enrolment, session):
    Attendance.objects.create(session=session, enrolment=enrolment, participant=world.participant,
                              status=AttendanceStatus.ONGEOORLOOFD, note="Bij de psycholoog", note_is_special=True,
                              recorded_by=world.taaldocent)
    [hidden] = attendance_queries.absence_signals(world.participant, grant_for(world.taaldocent, world.participant))
    [shown] = attendance_queries.absence_signals(world.participant, grant_for(world.regisseur, world.participant))
    assert hidden.note == "afgeschermde notitie" and shown.note == "Bij de psycholoog"
    [default] = attendance_queries.absence_signals(world.participant)
    assert default.note == "afgeschermde notitie"  # no grant given: hidden


def test_second_participant_other_session_notes_for_other_teacher(world, client_for, course):
    """A marked note on one participant is not shown on the entry page of another session either."""
    activity, group = course
    p = visible_participant(world, name="Tweede Deelnemer")
    e = enrol(p, activity, world.regisseur, group=group)
    yesterday = timezone.localdate() - dt.timedelta(days=7)
    old = Session.objects.create(activity=activity, group=group, date=yesterday, start_time=time(9),
                                 end_time=time(12))
    Attendance.objects.create(session=old, enrolment=e, participant=p, status=AttendanceStatus.AFGEMELD,
                              note="Bij de psycholoog", note_is_special=True, recorded_by=world.taaldocent)
    html = client_for(world.taaldocent).get(reverse("activities:attendance", args=[old.pk])).content.decode()
    assert "psycholoog" not in html


# --- other rendering paths (issue 10, item 6: sweep) ---------------------------------------------------------


def test_ended_enrolment_signal_and_pages_do_not_carry_the_health_reason(world, client_for, enrolment):
    from koers.casework.queries import alerts

    services.change_status(world.regisseur, enrolment, grant_for(world.regisseur, world.participant),
                           "uitgevallen", reason="gezondheid_psychisch", note=NOTE,
                           on=max(enrolment.start_date, timezone.localdate() - dt.timedelta(days=2)))
    for user in (world.taaldocent, world.regisseur):
        found = alerts.for_participant(world.participant, grant_for(user, world.participant))
        ended = [s for s in found if s.code == "inschrijving_beeindigd"]
        assert ended and ended[0].label == "Uitgevallen bij: NT2 Basis"
        for s in found:
            text = f"{s.label} {s.why} {s.todo}".lower()
            assert HEALTH_LABEL not in text and NOTE.lower() not in text
    # The participant page (signals panel, attendance panel) and the caseload, for the teacher and the regisseur.
    for user, url in ((world.taaldocent, reverse("participants:detail", kwargs={"pk": world.participant.pk})),
                      (world.regisseur, reverse("participants:detail", kwargs={"pk": world.participant.pk})),
                      (world.regisseur, reverse("casework:caseload"))):
        html = client_for(user).get(url).content.decode()
        assert HEALTH_LABEL not in html.lower() and NOTE not in html, (user, url)


def test_participant_page_absence_panel_masks_a_special_note(world, client_for, enrolment, session):
    Attendance.objects.create(session=session, enrolment=enrolment, participant=world.participant,
                              status=AttendanceStatus.ONGEOORLOOFD, note="Bij de psycholoog", note_is_special=True,
                              recorded_by=world.taaldocent)
    url = reverse("participants:detail", kwargs={"pk": world.participant.pk})
    html = client_for(world.taaldocent).get(url).content.decode()
    assert "psycholoog" not in html
    html = client_for(world.regisseur).get(url).content.decode()
    assert "Bij de psycholoog" in html
