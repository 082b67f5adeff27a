"""Bad input answers with a fallback or a form error, never with the server's error page (issue 10, item 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.test import RequestFactory

from koers.core.http import parse_date, safe_next
from koers.core.models import Organisation

HUGE = "99999999999999999999"


@pytest.mark.parametrize("target, expected", [
    ("/deelnemers/1/", "/deelnemers/1/"),
    ("/deelnemers/?q=a&page=2", "/deelnemers/?q=a&page=2"),
    ("participants:detail", "/terug/"),  # a view name: redirect() would try to reverse it
    ("deelnemers", "/terug/"),
    ("https://evil.example/", "/terug/"),
    ("//evil.example/", "/terug/"),
    ("/\\evil.example/", "/terug/"),
    ("javascript:alert(1)", "/terug/"),
    ("", "/terug/"),
])
def test_safe_next_only_returns_a_path_inside_koers(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/terug/") == expected


@pytest.mark.parametrize("value, expected", [
    ("2026-03-02", dt.date(2026, 3, 2)), ("9999-12-31", None), ("0001-01-01", None), ("morgen", None),
    ("", None), (None, None),
])
def test_query_string_dates_fall_back_outside_the_sane_range(value, expected):
    assert parse_date(value) == expected


class Sample(forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField(required=False)
    count = forms.IntegerField(required=False)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)
    organisations = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize("data, field", [
    ({"day": "9999-12-31"}, "day"),
    ({"day": "0001-01-01"}, "day"),
    ({"day": "2026-01-01", "moment": "9999-12-31 23:59"}, "moment"),
    ({"day": "2026-01-01", "count": HUGE}, "count"),
    ({"day": "2026-01-01", "organisation": HUGE}, "organisation"),
    ({"day": "2026-01-01", "organisations": ["1", HUGE]}, "organisations"),
])
def test_every_form_refuses_edge_dates_and_huge_ids_with_a_form_error(data, field):
    form = Sample(data)
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_a_date_in_range_is_accepted():
    form = Sample({"day": "2026-03-02"})
    assert form.is_valid(), form.errors
    assert "1900" in str(Sample({"day": "2101-01-01"}).errors["day"])


@pytest.mark.django_db
def test_a_100000_character_username_is_a_form_error_not_a_database_error(world, client_for):
    from django.urls import reverse

    from koers.core.models import User

    client = client_for(world.beheerder)
    response = client.post(reverse("core:user_create", kwargs={"pk": world.gemeente.pk}), {
        "username": "x" * 100_000, "first_name": "A", "last_name": "B", "email": "a@example.nl",
        "organisation": world.gemeente.pk, "roles": ["taaldocent"], "is_active": "on",
    })
    assert response.status_code == 200
    assert "150" in response.content.decode()  # "ten hoogste 150 tekens"
    assert not User.objects.filter(first_name="A", last_name="B").exists()

