"""The portal's forms. Every text a participant reads is marked for translation (gettext)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koers.portal.rules.language import portal_languages

#: What a participant reads when a code does not work (service ActivationError codes).
ACTIVATION_MESSAGES = {
    "mismatch": _("De gebruikersnaam of de code klopt niet. Kijk goed in de brief en probeer het opnieuw."),
    "used": _("Deze code is al gebruikt. Log in met uw wachtwoord, of vraag uw contactpersoon om een nieuwe brief."),
    "void": _("Deze code werkt niet meer. Vraag uw contactpersoon om een nieuwe brief."),
    "expired": _("Deze code is verlopen. Vraag uw contactpersoon om een nieuwe brief."),
    "throttled": _("U heeft het te vaak geprobeerd. Wacht een uur, of vraag uw contactpersoon om hulp."),
}


class ActivationForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Vul de gebruikersnaam uit de brief in.")},
    )
    code = forms.CharField(
        label=_("Code uit de brief"), max_length=40,
        help_text=_("12 letters en cijfers, bijvoorbeeld K7F3-9QXM-2PAC."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
        error_messages={"required": _("Vul de code uit de brief in.")},
    )
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 12 tekens. Een zin van een paar woorden is makkelijk te onthouden."),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    password2 = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Typ het wachtwoord nog een keer.")},
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("De twee wachtwoorden zijn niet hetzelfde."))
        return data

    def check_password_rules(self, user) -> bool:
        """Django's password rules, with the participant's-language message for the common case."""
        password = self.cleaned_data.get("password1")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            for item in error.error_list:
                if item.code == "password_too_short":
                    self.add_error("password1", _("Dit wachtwoord is te kort. Kies minstens 12 tekens."))
                elif item.code in ("password_too_common", "password_entirely_numeric"):
                    self.add_error("password1", _("Dit wachtwoord is te makkelijk te raden. Kies een ander."))
                elif item.code == "password_too_similar":
                    self.add_error("password1", _("Dit wachtwoord lijkt te veel op uw gebruikersnaam."))
                else:
                    self.add_error("password1", item)
            return False
        return True


class PortalLoginForm(AuthenticationForm):
    """Django's login (with the axes lockout), only for participants' accounts, with translated messages."""

    error_messages = {
        "invalid_login": _("De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters."),
        "inactive": _("Dit account is geblokkeerd. Vraag uw contactpersoon om hulp."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")
        self.fields["username"].error_messages["required"] = _("Vul uw gebruikersnaam in.")
        self.fields["password"].error_messages["required"] = _("Vul uw wachtwoord in.")
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})

    def clean(self):
        # Django's AuthenticationForm sets max_length on the field but adds no validator: a username longer than
        # any account's would reach authenticate() and the lockout table (varchar 255 on PostgreSQL).
        if len(self.cleaned_data.get("username") or "") > 150:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return super().clean()

    def confirm_login_allowed(self, user):
        if not user.is_participant:  # a staff account: the same answer as a wrong password
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        super().confirm_login_allowed(user)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Taal"), choices=portal_languages)


class InviteForm(forms.Form):
    """Staff side (Dutch): the language of the letter and of Mijn Koers."""

    language = forms.ChoiceField(
        label="Taal van de brief en van Mijn Koers", choices=portal_languages,
        help_text="De brief is altijd ook in het Nederlands. De deelnemer kan de taal later zelf kiezen.",
    )


class EmailNoticesForm(forms.Form):
    """On "Mijn gegevens": a short e-mail when there is news (to the address in the participant's file)."""

    email_notices = forms.BooleanField(label=_("Stuur mij een e-mail als er een nieuw bericht of een nieuwe afspraak "
                                             "is"), required=False)
