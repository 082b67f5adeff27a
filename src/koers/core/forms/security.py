"""The filters of the security events page (Beheer > Beveiliging)."""

from __future__ import annotations

from django import forms


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
