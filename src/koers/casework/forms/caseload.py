"""Forms of the caseload pages: the filters and reassigning (Dutch labels and messages)."""

from __future__ import annotations

from django import forms

from koers.casework.queries import alerts
from koers.core.codes import Phase


class CaseloadFilterForm(forms.Form):
    """GET filters of the caseload. Unknown values are ignored (a stale bookmark still shows the page)."""

    scope = forms.ChoiceField(
        label="Welke deelnemers", required=False,
        choices=[("mijn", "Mijn deelnemers"), ("organisatie", "Hele organisatie")],
    )
    fase = forms.ChoiceField(label="Fase", required=False)
    signaal = forms.ChoiceField(label="Soort signaal", required=False)
    alleen_signalen = forms.BooleanField(label="Alleen deelnemers met signalen", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fase"].choices = [("", "Alle fasen")] + [c for c in Phase.choices if c[0] != Phase.AFGESLOTEN]
        self.fields["signaal"].choices = [("", "Alle signalen")] + sorted(alerts.CODES.items(),
                                                                          key=lambda c: c[1])

    def value(self, name: str):
        if not self.is_bound:
            return self.fields[name].initial or ("mijn" if name == "scope" else "")
        return self.cleaned_data.get(name) if self.is_valid() else ""


class ReassignForm(forms.Form):
    participants = forms.MultipleChoiceField(
        label="Deelnemers", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies minstens één deelnemer.",
                        "invalid_choice": "Kies alleen deelnemers uit de lijst."},
    )
    regisseur = forms.ChoiceField(
        label="Nieuwe regisseur",
        error_messages={"required": "Kies de nieuwe regisseur.",
                        "invalid_choice": "Kies een regisseur van uw eigen organisatie (niet de huidige)."},
    )
    van = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, participants=(), regisseurs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [
            (str(r.participant_id), f"{r.name} · {r.phase_label} · gewicht {r.weight}") for r in participants
        ]
        self.fields["regisseur"].choices = [("", "Kies een regisseur")] + [(str(u.pk), str(u)) for u in regisseurs]
