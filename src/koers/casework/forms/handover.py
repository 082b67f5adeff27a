"""Forms of the warm handover (Dutch labels and messages). The rules live in the handover services."""

from __future__ import annotations

from django import forms

from koers.core.models import User


class HandoverForm(forms.Form):
    to_user = forms.TypedChoiceField(
        label="Naar", coerce=int, choices=(),
        help_text="Een medewerker van de regie-organisatie of van een betrokken organisatie die de deelnemer kan "
                  "inzien.",
        error_messages={
            "required": "Kies aan wie u de deelnemer overdraagt.",
            "invalid_choice": "Deze medewerker kan de deelnemer niet overnemen: kies een medewerker van een "
                              "organisatie die bij het traject betrokken is.",
        },
    )
    note = forms.CharField(
        label="Overdrachtsnotitie", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Wat moet de nieuwe begeleider weten? Wat werkt goed, waar let u op, wat is afgesproken?",
        error_messages={"required": "Schrijf een overdrachtsnotitie: een warme overdracht is meer dan een dossier."},
    )

    def __init__(self, *args, receivers: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for u in receivers:
            groups.setdefault(u.organisation.name, []).append((u.pk, f"{u} ({', '.join(u.role_labels)})"))
        self.fields["to_user"].choices = [("", "Kies een medewerker")] + list(groups.items())
        self.receivers = {u.pk: u for u in receivers}


class HandoverConfirmForm(forms.Form):
    confirm_note = forms.CharField(label="Reactie (niet verplicht)", required=False, max_length=300,
                                   widget=forms.Textarea(attrs={"rows": 2}))
