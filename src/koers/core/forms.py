"""Forms for logging in, the second factor and the functional administrator's pages (Dutch messages)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from koers.core import access, services
from koers.core.codes import OrganisationKind, Role
from koers.core.models import Organisation, User


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


def _required(what: str) -> dict[str, str]:
    return {"required": what}


class KoersPasswordResetForm(PasswordResetForm):
    """Also reaches active accounts that never chose a password (a lost activation link)."""

    email = forms.EmailField(
        label="E-mailadres",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Het e-mailadres waarmee u bij Koers bekend bent.",
        error_messages={
            "required": "Vul uw e-mailadres in.",
            "invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.",
        },
    )

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True).iterator()


class DutchPasswordMixin:
    """Password rules in plain Dutch, shown at the new password (Django 5.2 lacks a Dutch "too short")."""

    def validate_password_for_user(self, user, password_field_name="new_password2"):  # noqa: S107 - a field name
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            messages = []
            for item in error.error_list:
                if item.code == "password_too_short":
                    minimum = (item.params or {}).get("min_length", 12)
                    messages.append(ValidationError(
                        f"Dit wachtwoord is te kort. Kies een wachtwoord van ten minste {minimum} tekens.",
                        code=item.code,
                    ))
                else:
                    messages.append(item)
            self.add_error("new_password1", messages)


class KoersSetPasswordForm(DutchPasswordMixin, SetPasswordForm):
    pass


class KoersPasswordChangeForm(DutchPasswordMixin, PasswordChangeForm):
    pass


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code uit de app",
        help_text="De 6 cijfers die de authenticator-app op uw telefoon nu toont.",
        max_length=12,
        error_messages=_required("Vul de code van 6 cijfers uit de app in."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autocapitalize": "off",
                   "spellcheck": "false", "class": "input--short"}
        ),
    )

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not re.fullmatch(r"\d{6}", token):
            raise ValidationError("Een code bestaat uit 6 cijfers. Vul de code in die de app nu toont.")
        return token


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "municipality", "email", "phone", "is_active"]
        labels = {"is_active": "Actief"}
        help_texts = {
            "name": "De naam zoals medewerkers die kennen, bijvoorbeeld 'Gemeente Rivierstad'.",
            "email": "Een algemeen adres, geen persoonlijk adres.",
            "is_active": "Medewerkers van een niet-actieve organisatie zien geen deelnemers meer.",
        }
        error_messages = {
            "name": {"required": "Vul de naam van de organisatie in.",
                     "unique": services.MSG_ORGANISATION_NAME_TAKEN},
            "kind": {"required": "Kies de soort organisatie.",
                     "invalid_choice": "Kies een soort uit de lijst."},
            "email": {"invalid": "Vul een geldig e-mailadres in, bijvoorbeeld info@organisatie.nl."},
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, acting_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.can_create_organisations(acting_user):
            # A functional administrator keeps the contact details of their own organisation up to date; its kind
            # and whether it is active decide what its staff see, so the platform administrator changes those.
            for name in ("kind", "is_active"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Alleen de platformbeheerder kan dit wijzigen."

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        try:
            services.check_organisation_name_free(name, exclude=self.instance)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["name"]) from exc
        return name


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort", required=False, choices=[("", "Alle soorten"), *OrganisationKind.choices],
    )


class SecurityEventFilterForm(forms.Form):
    """Filters of the security events page (Beheer > Beveiliging)."""

    periode = forms.ChoiceField(
        label="Periode", required=False,
        choices=[("24u", "Laatste 24 uur"), ("7d", "Laatste 7 dagen"), ("30d", "Laatste 30 dagen")],
        initial="7d",  # the page's default: the select shows the period the list holds
        error_messages={"invalid_choice": "Kies een periode uit de lijst."},
    )
    soort = forms.ChoiceField(
        label="Soort", required=False,
        choices=[("", "Alles"), ("geweigerd", "Geweigerde pogingen"), ("beheer", "Beheerhandelingen")],
        error_messages={"invalid_choice": "Kies een soort uit de lijst."},
    )


class UserForm(forms.ModelForm):
    """A staff member: who they are, where they work, what they do there."""

    roles = forms.MultipleChoiceField(
        label="Rollen",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Wat de medewerker in Koers doet. Kies ten minste één rol. "
        "Toegang tot deelnemers volgt uit de trajecten waarin de organisatie meedoet.",
        error_messages={"required": services.MSG_NO_ROLES, "invalid_choice": "Kies rollen uit de lijst."},
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "organisation", "roles", "is_active"]
        labels = {
            "username": "Gebruikersnaam",
            "first_name": "Voornaam",
            "last_name": "Achternaam",
            "email": "E-mailadres",
            "phone": "Telefoon",
            "organisation": "Organisatie",
            "is_active": "Actief",
        }
        help_texts = {
            "username": "Hiermee logt de medewerker in. Alleen letters, cijfers en de tekens @ . + - _",
            "email": "Hierheen sturen we de activatielink en later wachtwoordmails.",
            "is_active": "Een niet-actieve medewerker kan niet inloggen.",
        }
        error_messages = {
            "username": {"required": "Vul een gebruikersnaam in.", "unique": services.MSG_USERNAME_TAKEN},
            "first_name": {"required": "Vul de voornaam in."},
            "last_name": {"required": "Vul de achternaam in."},
            "email": {"required": "Vul een e-mailadres in.",
                      "invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl."},
            "organisation": {"required": "Kies de organisatie van de medewerker.",
                             "invalid_choice": "Kies een organisatie uit de lijst."},
        }
        widgets = {
            "username": forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                               "spellcheck": "false"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, acting_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        for name in ("first_name", "last_name", "email", "organisation"):
            self.fields[name].required = True
        # Keep the field's max-length validator: a 100,000-character name must fail before the uniqueness query.
        self.fields["username"].validators = [v for v in self.fields["username"].validators
                                              if not isinstance(v, UnicodeUsernameValidator)] + [
            UnicodeUsernameValidator(message="Gebruik alleen letters, cijfers en de tekens @ . + - _ (geen spaties).")
        ]
        # Only organisations the acting user manages: a functional administrator's own, every one for the
        # platform administrator. Any other id posted is "Kies een organisatie uit de lijst".
        organisations = Organisation.objects.filter(is_active=True)
        if self.instance.organisation_id:
            organisations = Organisation.objects.filter(pk=self.instance.organisation_id) | organisations
        self.fields["organisation"].queryset = access.managed_organisations(acting_user, organisations).order_by(
            "name"
        )
        if not access.is_platform_admin(acting_user):
            self.fields["organisation"].help_text = (
                "U beheert alleen medewerkers van uw eigen organisatie. Moet een medewerker naar een andere "
                "organisatie? Vraag het de platformbeheerder."
            )
        self.fields["organisation"].empty_label = "Kies een organisatie"
        if self.instance.pk is not None and "roles" not in self.initial:
            self.initial["roles"] = sorted(r.role for r in self.instance.roles.all())

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        try:
            services.check_username_free(username, exclude=self.instance)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["username"]) from exc
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        try:
            services.check_email_free(email, exclude=self.instance)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["email"]) from exc
        return email

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and "roles" in cleaned:
            try:
                services.check_self_change(
                    self.acting_user, self.instance, roles=cleaned["roles"],
                    is_active=cleaned.get("is_active", True),
                )
            except ValidationError as exc:
                apply_errors(self, exc)
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["username"], "first_name": data["first_name"], "last_name": data["last_name"],
            "email": data["email"], "phone": data.get("phone", ""), "organisation": data["organisation"],
            "roles": data["roles"], "is_active": data.get("is_active", False),
        }


# --- Input limits for every form of the project (issue 10, item 8) ----------------------------------------------
#
# Installed once from CoreConfig.ready(), so every form — including ones written later and Django's own model
# forms — gets them without opting in: a date outside 1900..2100 is a form error (date arithmetic in week views,
# periods and PDFs cannot overflow), and an id the database cannot hold is an invalid choice before any query
# runs (SQLite raises OverflowError on integers above 2**63-1).

_INPUT_LIMITS_INSTALLED = False
MSG_NUMBER_TOO_LARGE = "Dit getal is te groot. Vul een kleiner getal in."


def _date_in_range(value):
    from koers.core.http import DATE_RANGE_MESSAGE, in_date_range

    if value not in (None, "") and not in_date_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")
    return value


def _pk_is_integer(field) -> bool:
    from django.db import models as db_models

    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return False
    key = queryset.model._meta.get_field(field.to_field_name) if field.to_field_name else queryset.model._meta.pk
    return isinstance(key, db_models.IntegerField | db_models.AutoField)


def _check_ids(field, values) -> None:
    from koers.core.access import safe_id

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
    from koers.core.access import MAX_ID

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
