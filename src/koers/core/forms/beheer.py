"""Forms of the functional administrator's pages: organisations and staff (Dutch messages)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from koers.core import access
from koers.core.codes import OrganisationKind, Role
from koers.core.formtools import apply_errors
from koers.core.models import Organisation, User
from koers.core.services import beheer as services


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
