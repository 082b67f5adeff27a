"""core.formtools.apply_errors: a service's ValidationError lands on the form field it belongs to."""

from django import forms
from django.core.exceptions import ValidationError

from koers.core.formtools import apply_errors


class _Form(forms.Form):
    hours = forms.IntegerField()
    starts_on = forms.DateField()


def _bound():
    form = _Form({"hours": "12", "starts_on": "2026-01-05"})
    assert form.is_valid()
    return form


def test_field_message_goes_to_its_field_and_unknown_fields_to_the_top():
    form = _bound()
    apply_errors(form, ValidationError({"hours": "Te veel uren.", "employer": "Onbekende werkgever."}))
    assert form.errors["hours"] == ["Te veel uren."]
    assert form.non_field_errors() == ["Onbekende werkgever."]


def test_plain_message_goes_to_the_top_and_field_map_renames():
    form = _bound()
    apply_errors(form, ValidationError("Niet toegestaan."))
    apply_errors(form, ValidationError({"start": "Datum ligt te ver terug."}), field_map={"start": "starts_on"})
    assert form.non_field_errors() == ["Niet toegestaan."]
    assert form.errors["starts_on"] == ["Datum ligt te ver terug."]
