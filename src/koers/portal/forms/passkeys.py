"""Passkey and DigiD texts and forms of the portal (every text a participant reads is translated)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

#: What a participant reads when a passkey did not work (``services.passkeys.PasskeyError`` codes).
PASSKEY_MESSAGES = {
    "expired": _("Dat duurde te lang. Probeer het opnieuw."),
    "invalid": _("Inloggen met de passkey is niet gelukt. Probeer het opnieuw of log in met uw wachtwoord."),
    "unknown": _("Deze passkey kennen wij niet. Log in met uw wachtwoord en voeg de passkey opnieuw toe."),
    "blocked": _("Dit account is geblokkeerd. Vraag uw contactpersoon om hulp."),
    "exists": _("Deze passkey heeft u al toegevoegd."),
    "too_many": _("U heeft al 5 passkeys. Verwijder eerst een passkey die u niet meer gebruikt."),
    "throttled": _("U heeft het te vaak geprobeerd. Wacht een uur, of vraag uw contactpersoon om hulp."),
}

#: Why a DigiD login did not open Mijn Koers (``services.digid.DigiDRefusal`` codes).
DIGID_MESSAGES = {
    "no_account": _("U heeft nog geen Mijn Koers. Vraag uw contactpersoon bij de gemeente om een uitnodiging. "
                    "Daarna kunt u inloggen met DigiD."),
    "blocked": _("Uw toegang tot Mijn Koers is gestopt. Vraag uw contactpersoon bij de gemeente om hulp."),
    "failed": _("Inloggen met DigiD is niet gelukt. Probeer het later opnieuw."),
    "cancelled": _("U heeft het inloggen met DigiD gestopt."),
}


class PasskeyLoginForm(forms.Form):
    """The browser's answer (JSON, filled in by passkey.js) to the challenge in the session."""

    credential = forms.CharField(max_length=20000, widget=forms.HiddenInput)


class PasskeyAddForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de passkey"), max_length=60, required=False,
        help_text=_("Bijvoorbeeld: mijn telefoon. Zo ziet u later welke passkey het is."),
    )
    credential = forms.CharField(max_length=20000, widget=forms.HiddenInput)
