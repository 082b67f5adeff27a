"""The form that acknowledges a signaal (Dutch labels and messages)."""

from __future__ import annotations

from django import forms


class AcknowledgeForm(forms.Form):
    code = forms.CharField(max_length=40, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)
    next = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label="Wat heeft u gedaan of afgesproken?", max_length=300,
        error_messages={"required": "Schrijf kort op wat u heeft gedaan of afgesproken.",
                        "max_length": "Houd de notitie korter dan 300 tekens."},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
    )
