"""A health dropout reason on an imported monitoring trajectory is special-category data, even though the row
is known by an extern id only: users whose roles may not record special data are not offered it, a posted one is
refused, and a recorded one shows as "reden afgeschermd" and survives their save (issue 10, item 1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from koers.monitoring.models import Trajectory
from koers.monitoring.tests.test_completeness import VALID, _edit_url, imported, native, prog  # noqa: F401 (prog is a fixture)

pytestmark = pytest.mark.django_db

DROPOUT = VALID | {"outcome": "voortijdige_uitval", "work_6m": "nee", "work_12m": "nee"}


def test_manager_without_special_role_is_not_offered_health_reasons(prog, client_for):  # noqa: F811
    t = imported(prog.werk_project, "U-1", outcome="voortijdige_uitval", ended_on=date(2022, 6, 30))
    client = client_for(prog.projectleider)
    html = client.get(_edit_url(t)).content.decode()
    assert 'value="verhuizing"' in html and 'value="gezondheid_psychisch"' not in html
    response = client.post(_edit_url(t), DROPOUT | {"dropout_reason": "gezondheid_psychisch"})
    assert response.status_code == 200 and "Deze reden mag u niet kiezen" in response.content.decode()
    assert Trajectory.objects.get(pk=t.pk).dropout_reason == ""


def test_recorded_health_reason_is_hidden_and_kept(prog, client_for):  # noqa: F811
    t = imported(prog.werk_project, "U-2", outcome="voortijdige_uitval", ended_on=date(2022, 6, 30),
                 dropout_reason="gezondheid_lichamelijk")
    client = client_for(prog.projectleider)
    html = client.get(_edit_url(t)).content.decode()
    assert "reden afgeschermd" in html and "Lichamelijke gezondheid" not in html
    assert 'name="dropout_reason"' not in html
    response = client.post(_edit_url(t), DROPOUT | {"gender": "vrouw"})
    assert response.status_code == 302, response.context["form"].errors
    t.refresh_from_db()
    assert t.dropout_reason == "gezondheid_lichamelijk" and t.gender == "vrouw"


def test_partner_with_a_special_role_records_a_health_reason(prog, client_for):  # noqa: F811
    t = imported(prog.werk_project, "U-3", outcome="voortijdige_uitval", ended_on=date(2022, 6, 30))
    client = client_for(prog.begeleider)
    html = client.get(_edit_url(t)).content.decode()
    assert 'value="gezondheid_psychisch"' in html
    response = client.post(_edit_url(t), DROPOUT | {"dropout_reason": "gezondheid_psychisch"})
    assert response.status_code == 302, response.context["form"].errors
    assert Trajectory.objects.get(pk=t.pk).dropout_reason == "gezondheid_psychisch"


def test_participant_monitoring_panel_never_shows_a_dropout_reason(prog, client_for):  # noqa: F811
    native(prog.taal_project, prog.participant, outcome="voortijdige_uitval", ended_on=date(2022, 6, 30),
           dropout_reason="gezondheid_psychisch")
    url = reverse("participants:detail", kwargs={"pk": prog.participant.pk})
    html = client_for(prog.taaldocent).get(url).content.decode()
    assert "Voortijdige uitval" in html  # the panel is there, with the outcome ...
    assert "Psychische gezondheid" not in html  # ... but not the health reason
