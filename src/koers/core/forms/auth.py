"""Forms for logging in: the password reset, choosing and changing a password, the second factor's code."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext, pgettext_lazy

from koers.core.models import User, staff_language_choices


def _required(what: str) -> dict[str, str]:
    return {"required": what}


class StaffAuthenticationForm(AuthenticationForm):
    """The staff login: a participant's portal account is refused here (it logs in at /mijn/)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_participant:
            raise ValidationError(
                "Dit is een account voor Mijn Koers. Log in op de pagina voor deelnemers: /mijn/inloggen/.",
                code="participant_account",
            )


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
        return User.objects.filter(email__iexact=email, is_active=True, is_participant=False).iterator()


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
                        pgettext("staff", "Dit wachtwoord is te kort. Kies een wachtwoord van ten minste "
                                          "%(minimum)s tekens.") % {"minimum": minimum},
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
        label=pgettext_lazy("staff", "Code uit de app"),
        help_text=pgettext_lazy("staff", "De 6 cijfers die de authenticator-app op uw telefoon nu toont."),
        max_length=12,
        error_messages=_required(pgettext_lazy("staff", "Vul de code van 6 cijfers uit de app in.")),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autocapitalize": "off",
                   "spellcheck": "false", "class": "input--short"}
        ),
    )

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not re.fullmatch(r"\d{6}", token):
            raise ValidationError(
                pgettext_lazy("staff", "Een code bestaat uit 6 cijfers. Vul de code in die de app nu toont."))
        return token


class InterfaceLanguageForm(forms.Form):
    """A staff member's own choice of the language of the staff pages (Mijn account)."""

    interface_language = forms.ChoiceField(
        label=pgettext_lazy("staff", "Taal van Koers"),
        help_text=pgettext_lazy(
            "staff", "De taal van menu's, knoppen en vaste teksten. Wat nog niet vertaald is, blijft Nederlands."),
        choices=staff_language_choices,
        error_messages={
            "required": pgettext_lazy("staff", "Kies een taal."),
            "invalid_choice": pgettext_lazy("staff", "Deze taal is er niet. Kies Nederlands of English."),
        },
    )
