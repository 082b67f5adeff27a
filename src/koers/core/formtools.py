"""The form mechanism every app uses: ``apply_errors`` puts a service's ``ValidationError`` on a form, and
``install_input_limits`` gives every form of the project sane dates, ids and integers (installed once from
``CoreConfig.ready()``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models as db_models

from koers.core.access import MAX_ID, safe_id
from koers.core.http import DATE_RANGE_MESSAGE, in_date_range


def apply_errors(form, exc: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ``ValidationError`` on the form that collected its input (the one helper for it).

    A message for a field the form shows goes to that field (``field_map`` renames a service argument to the
    form field it came from); every other message, and a plain message without a field, goes to the top of the
    form. Services take keyword data and raise ``ValidationError({"argument": "..."})`` in Dutch."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            name = field_map.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


# --- Input limits for every form of the project (issue 10, item 8) ----------------------------------------------
#
# Installed once from CoreConfig.ready(), so every form — including ones written later and Django's own model
# forms — gets them without opting in: a date outside 1900..2100 is a form error (date arithmetic in week views,
# periods and PDFs cannot overflow), and an id the database cannot hold is an invalid choice before any query
# runs (SQLite raises OverflowError on integers above 2**63-1).

_INPUT_LIMITS_INSTALLED = False
MSG_NUMBER_TOO_LARGE = "Dit getal is te groot. Vul een kleiner getal in."


def _date_in_range(value):
    if value not in (None, "") and not in_date_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")
    return value


def _pk_is_integer(field) -> bool:
    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return False
    key = queryset.model._meta.get_field(field.to_field_name) if field.to_field_name else queryset.model._meta.pk
    return isinstance(key, db_models.IntegerField | db_models.AutoField)


def _check_ids(field, values) -> None:
    if not _pk_is_integer(field):
        return
    for value in values:
        if value in field.empty_values:
            continue
        if isinstance(value, str | int) and not isinstance(value, bool) and safe_id(value) is not None:
            continue
        if hasattr(value, "pk"):  # a model instance passed as initial data
            continue
        raise ValidationError(field.error_messages.get("invalid_choice", "Kies een geldige optie."),
                              code="invalid_choice", params={"value": str(value)[:30]})


def install_input_limits() -> None:
    """Patch Django's form fields once: sane date range, ids the database can hold, integers that fit."""
    global _INPUT_LIMITS_INSTALLED
    if _INPUT_LIMITS_INSTALLED:
        return
    _INPUT_LIMITS_INSTALLED = True
    for cls in (forms.DateField, forms.DateTimeField):
        original = cls.to_python

        def to_python(self, value, _original=original):
            return _date_in_range(_original(self, value))

        cls.to_python = to_python

    original_int = forms.IntegerField.to_python

    def int_to_python(self, value):
        number = original_int(self, value)
        if number is not None and abs(number) > MAX_ID:
            raise ValidationError(MSG_NUMBER_TOO_LARGE, code="max_value")
        return number

    forms.IntegerField.to_python = int_to_python

    original_choice = forms.ModelChoiceField.to_python

    def choice_to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model if self.queryset is not None
                                                              else ()):
            _check_ids(self, [value])
        return original_choice(self, value)

    forms.ModelChoiceField.to_python = choice_to_python

    original_check = forms.ModelMultipleChoiceField._check_values

    def check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = frozenset()
        _check_ids(self, values)
        return original_check(self, value)

    forms.ModelMultipleChoiceField._check_values = check_values
