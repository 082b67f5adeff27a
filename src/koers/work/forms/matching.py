"""Forms of matching: the participant's work profile, proposing a participant for an opening, rejecting a proposal."""

from __future__ import annotations

from django import forms

from koers.core.codes import MatchMode, PlacementKind, Sector
from koers.work.models import Certificate, WorkProfile
from koers.work.queries.employers import unknown_certificate_message


class WorkProfileForm(forms.ModelForm):
    certificates = forms.ModelMultipleChoiceField(
        label="Certificaten", required=False, queryset=Certificate.objects.all(), widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": unknown_certificate_message("%(value)s")},
    )
    excluded_sectors = forms.MultipleChoiceField(
        label="Geen interesse in deze sectoren", required=False, choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Vacatures in deze sectoren worden niet voorgesteld (wel getoond als ‘bijna passend’).",
    )
    excluded_kinds = forms.MultipleChoiceField(
        label="Geen interesse in deze soorten plekken", required=False, choices=PlacementKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorkProfile
        fields = ["driving_licence", "max_travel_km", "hours_wanted", "certificates", "excluded_sectors",
                  "excluded_kinds", "notes"]
        widgets = {"max_travel_km": forms.NumberInput(attrs={"class": "input--short"}),
                   "hours_wanted": forms.NumberInput(attrs={"class": "input--short"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["certificates"] = [c.pk for c in self.instance.certificates.all()]


class ProposeMatchForm(forms.Form):
    mode = forms.ChoiceField(
        label="Hoe kwam deze match tot stand?", choices=MatchMode.choices, widget=forms.RadioSelect,
        initial=MatchMode.VIA_BEGELEIDER,
    )
    note = forms.CharField(
        label="Toelichting", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RejectMatchForm(forms.Form):
    reason = forms.CharField(label="Reden van afwijzing", max_length=300)
