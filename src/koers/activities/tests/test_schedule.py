"""Conflict detection and the week view: pure functions at their boundaries, then the participant's week page
and the printable week card."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from koers.activities.rules import schedule
from koers.activities.rules.schedule import (
    Block,
    busiest_week,
    check_schedule,
    clash_date,
    slot_dagdelen,
    times_overlap,
    week_view,
)
from koers.activities.tests.activity_factories import make_activity, make_enrolment, this_monday
from koers.core.codes import ActivityKind
from koers.core.models import AuditEvent, MunicipalityPolicy

MON = date(2025, 3, 10)  # a monday


def block(weekday=0, start="09:00", end="12:00", first=MON, last=MON + timedelta(weeks=10), title="A", **kw):
    return Block(
        enrolment_id=kw.pop("enrolment_id", None), activity_id=kw.pop("activity_id", 1), title=title,
        kind=kw.pop("kind", "overig"), kind_label="Overig", weekday=weekday, start=time.fromisoformat(start),
        end=time.fromisoformat(end), first=first, last=last, **kw,
    )


# --- Pure functions -------------------------------------------------------------------------------------


def test_touching_intervals_do_not_overlap():
    assert not times_overlap(time(9), time(12), time(12), time(13))
    assert not times_overlap(time(12), time(13), time(9), time(12))
    assert times_overlap(time(9), time(12), time(11, 59), time(13))
    assert times_overlap(time(9), time(12), time(10), time(11))  # contained


def test_clash_needs_same_weekday_and_a_shared_date():
    a = block(0, "09:00", "12:00")
    assert clash_date(a, block(0, "12:00", "13:00")) is None  # touching
    assert clash_date(a, block(1, "09:00", "12:00")) is None  # other day
    assert clash_date(a, block(0, "11:00", "13:00")) == MON
    # Periods that overlap only on a tuesday and wednesday do not clash on mondays.
    later = block(0, "09:00", "12:00", first=MON + timedelta(days=71), last=MON + timedelta(days=80))
    short = block(0, "09:00", "12:00", first=MON, last=MON + timedelta(days=72))
    assert clash_date(short, later) is None
    # Periods that meet on the last day do clash (closed date ranges).
    first = block(0, first=MON, last=MON + timedelta(weeks=2))
    second = block(0, first=MON + timedelta(weeks=2), last=MON + timedelta(weeks=6))
    assert clash_date(first, second) == MON + timedelta(weeks=2)
    # Consecutive periods do not.
    third = block(0, first=MON + timedelta(weeks=2, days=1), last=MON + timedelta(weeks=6))
    assert clash_date(first, third) is None


def test_slot_dagdelen_boundaries():
    assert slot_dagdelen(0, time(9), time(12)) == ["ma_o"]
    assert slot_dagdelen(0, time(12), time(13)) == ["ma_m"]
    assert slot_dagdelen(1, time(9), time(15)) == ["di_o", "di_m"]
    assert slot_dagdelen(4, time(16, 30), time(19)) == ["vr_m", "vr_a"]
    assert slot_dagdelen(6, time(17), time(21)) == ["zo_a"]


def test_availability_conflicts_and_unknown_availability():
    proposed = [block(1, "09:00", "12:00", proposed=True), block(1, "13:00", "16:00", proposed=True)]
    result = check_schedule(proposed, [], availability=["di_o"], max_hours=32)
    assert result.has_conflicts
    assert [codes for _, codes in result.outside_availability] == [["di_m"]]
    assert "buiten de beschikbaarheid" in result.conflicts[0]
    unknown = check_schedule(proposed, [], availability=None, max_hours=32)
    assert not unknown.has_conflicts and unknown.availability_unknown
    assert "onbekend" in unknown.notices[0]
    none_available = check_schedule(proposed, [], availability=[], max_hours=32)
    assert len(none_available.outside_availability) == 2


def test_hours_cap_is_exceeded_only_above_the_maximum():
    existing = [block(d, "09:00", "15:00") for d in range(4)]  # 24 hours
    exactly = check_schedule([block(4, "09:00", "13:00", proposed=True)], existing, availability=None, max_hours=28)
    assert exactly.hours == 28 and not exactly.over_hours
    above = check_schedule([block(4, "09:00", "13:30", proposed=True)], existing, availability=None, max_hours=28)
    assert above.over_hours and "28,5 uur" in above.conflicts[0] and "maximaal 28 uur" in above.conflicts[0]


def test_hours_count_only_weeks_where_both_run():
    # The existing course ends before the new activity starts: no week has both.
    existing = [block(d, "09:00", "15:00", last=MON + timedelta(weeks=2) - timedelta(days=1)) for d in range(5)]
    proposed = [block(0, "15:00", "17:00", first=MON + timedelta(weeks=2), proposed=True)]
    assert check_schedule(proposed, existing, availability=None, max_hours=28).hours == 2
    # Starting on wednesday of the course's last week: that week counts the whole course and only the
    # wednesday to friday blocks of the new activity.
    proposed = [block(d, "15:00", "17:00", first=MON + timedelta(weeks=1, days=2), proposed=True) for d in range(5)]
    result = check_schedule(proposed, existing, availability=None, max_hours=99)
    assert result.hours_week == MON + timedelta(weeks=1)
    assert result.hours == 5 * 6 + 3 * 2


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(6, 19), st.integers(1, 4), st.integers(0, 60),
                       st.integers(0, 60)), min_size=1, max_size=6)
)
def test_busiest_week_matches_brute_force(specs):
    blocks = [
        block(d, f"{h:02d}:00", f"{h + n:02d}:00", first=MON + timedelta(days=a), last=MON + timedelta(days=a + b))
        for d, h, n, a, b in specs
    ]
    first, last = MON, MON + timedelta(days=130)
    hours, _ = busiest_week(blocks, first, last)
    brute = max(schedule.week_hours(blocks, MON + timedelta(weeks=w)) for w in range(20))
    assert hours == brute


def test_week_view_places_blocks_and_marks_clashes():
    fixed = block(1, "09:00", "12:00", title="NT2", fixed=True, enrolment_id=1)
    other = block(1, "11:00", "14:00", title="Sport", enrolment_id=2)
    late = block(5, "18:00", "20:00", title="Taalcafé", enrolment_id=3)
    week = week_view([fixed, other, late], MON + timedelta(days=3), availability=["di_o"], max_hours=28)
    assert week.monday == MON and week.number == 11
    assert [d.label for d in week.days] == ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]
    assert [p for p, _ in week.parts] == ["o", "m", "a"]  # evening shown: something is planned then
    tuesday = week.days[1]
    morning = tuesday.cells[0]
    assert [i.block.title for i in morning.items] == ["NT2", "Sport"]
    assert all(i.clash for i in morning.items)
    assert morning.items[1].outside  # 11:00–14:00 runs two hours into the afternoon, which is not available
    assert week.hours == 3 + 3 + 2
    empty = week_view([], MON, availability=None, max_hours=28)
    assert len(empty.days) == 5 and [p for p, _ in empty.parts] == ["o", "m"]


def test_week_view_leaves_out_blocks_outside_their_period():
    b = block(0, first=MON + timedelta(days=7), last=MON + timedelta(days=20))
    assert week_view([b], MON, availability=None, max_hours=None).blocks == []
    assert len(week_view([b], MON + timedelta(days=7), availability=None, max_hours=None).blocks) == 1


# --- The week page and the week card ----------------------------------------------------------------------


def _week_world(world):
    monday = this_monday()
    course = make_activity(world.taal, world.taaldocent, title="NT2 Basis", slots=[(0, "09:00", "12:00"),
                                                                                   (2, "09:00", "12:00")])
    sport = make_activity(world.gemeente, world.regisseur, title="Buitensport", kind=ActivityKind.GEZONDHEID_SPORT,
                          slots=[(0, "11:00", "13:00")], location="Sportpark Oost")
    make_enrolment(world.participant, course, world.taaldocent)
    make_enrolment(world.participant, sport, world.regisseur, status="aangemeld")
    return monday, course, sport


@pytest.mark.django_db
def test_week_page_shows_fixed_block_conflict_and_navigation(world, client_for, max_queries):
    monday, course, sport = _week_world(world)
    MunicipalityPolicy.objects.create(organisation=world.gemeente, max_hours_per_week=28)
    client = client_for(world.regisseur)
    url = reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})
    with max_queries(14):
        response = client.get(url)
    page = response.content.decode()
    assert "NT2 Basis" in page and "Buitensport" in page and "vast blok" in page
    assert "overlap" in page and "Conflicten in deze week" in page
    assert "8 uur" in page and "maximaal 28 uur" in page
    assert f"?week={monday - timedelta(days=7):%Y-%m-%d}" in page
    far = client.get(url, {"week": "2001-01-03"}).content.decode()
    assert "NT2 Basis" not in far and "Week 1" not in far and "week 1 " in far.lower()
    assert client.get(url, {"week": "nonsense"}).status_code == 200
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, category="traject",
                                     detail__startswith="Weekrooster").exists()


@pytest.mark.django_db
def test_week_page_hidden_from_other_organisations(world, client_for):
    url = reverse("activities:participant_schedule", kwargs={"pk": world.participant.pk})
    assert client_for(world.andere_regisseur).get(url).status_code == 404
    assert client_for(world.begeleider).get(url).status_code == 404  # not involved
    assert client_for(world.taaldocent).get(url).status_code == 200  # partner with trajectory in scope


def _pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext niet geïnstalleerd (apt-get install poppler-utils): alleen de PDF-kop getoetst")
    path = tmp_path / "card.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["so", "en"], ["Monday", "morning", "Dutch course"]),  # Somali has no catalogue, English has
        (["ar"], ["الجمعة", "الصباح", "الجدول"]),
        (["ti"], ["ሰኑይ", "ንግሆ", "ሰሙናዊ", "ትምህርቲ"]),  # Tigrinya: Ge'ez script
        (["so"], []),
    ],
)
def test_week_card_pdf_in_own_language(world, client_for, tmp_path, languages, expected):
    # (Arabic words without a lam-alef ligature: pdftotext splits those glyphs back in visual order.)
    _week_world(world)
    world.participant.languages = languages
    world.participant.save()
    response = client_for(world.regisseur).get(
        reverse("activities:week_card", kwargs={"pk": world.participant.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="exporteren").exists()
    text = _pdf_text(response.content, tmp_path)
    assert "Maandag" in text and "Ochtend" in text and "NT2 Basis" in text and "Weekrooster" in text
    for word in expected:
        assert word in text
    if not expected:
        assert "Monday" not in text and "ሰኑይ" not in text


@pytest.mark.django_db
def test_week_card_hidden_from_other_organisations(world, client_for):
    url = reverse("activities:week_card", kwargs={"pk": world.participant.pk})
    assert client_for(world.andere_regisseur).get(url).status_code == 404


# --- Language progression chart (item 8) ------------------------------------------------------------------


def test_language_chart_data_and_svg(world):
    from django.template.loader import render_to_string

    from koers.participants.models import LanguageAssessment
    from koers.participants.rules.charts import language_chart

    def assess(skill, level, on):
        return LanguageAssessment(participant=world.participant, skill=skill, level=level, tested_on=on,
                                  source="toets", recorded_by=world.taaldocent, organisation=world.taal)

    assert language_chart([]) is None
    assert language_chart([assess("spreken", "onbekend", MON)]) is None
    items = [assess("spreken", "A1", MON), assess("spreken", "A2", MON + timedelta(days=120)),
             assess("lezen", "A0", MON + timedelta(days=30)), assess("lezen", "onbekend", MON + timedelta(days=60))]
    chart = language_chart(items)
    spreken, lezen = chart["series"]
    assert [p.level for p in spreken.points] == ["A1", "A2"] and [p.level for p in lezen.points] == ["A0"]
    assert spreken.points[0].x == chart["left"] and spreken.points[1].x == chart["right"]
    assert spreken.points[1].y < spreken.points[0].y  # higher level is higher up
    assert chart["summary"] == "Spreken: A1 → A2; Lezen: A0"
    html = render_to_string("participants/_language_chart.html", {"chart": chart})
    assert "<svg" in html and 'role="img"' in html and "Verloop taalniveau per vaardigheid" in html
    assert "style=" not in html and "<script" not in html
    assert "<polyline" in html and html.count("<path") >= 3
    # One measurement: a single point in the middle, no line.
    single = language_chart([assess("schrijven", "B1", MON)])
    assert single["series"][0].points[0].x == single["left"] + (single["right"] - single["left"]) / 2
    assert "<polyline" not in render_to_string("participants/_language_chart.html", {"chart": single})


def test_language_chart_coordinates_use_a_decimal_point():
    """The Dutch locale formats numbers with a comma, which SVG does not read."""
    from django.template.loader import render_to_string

    from koers.participants.models import LanguageAssessment
    from koers.participants.rules.charts import language_chart

    items = [LanguageAssessment(skill="spreken", level=lvl, tested_on=MON + timedelta(days=d), source="toets")
             for d, lvl in [(0, "A0"), (37, "A1"), (101, "B1")]]
    html = render_to_string("participants/_language_chart.html", {"chart": language_chart(items)})
    assert re.search(r' y1="\d+\.\d"', html)
    assert not re.search(r' (?:x|y|x1|x2|y1|y2)="[^"]*,', html)
