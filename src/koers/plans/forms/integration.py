"""Forms of the integration page. Validation messages in Dutch, next to the field; the services check the same
rules again (a failed save changes nothing)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.codes import LearningRoute
from koers.participants.forms.file import DATE_INPUT
from koers.plans.models import ComponentStatus, ExemptionKind


class ObligationStartForm(forms.Form):
    obligation_start = forms.DateField(label="Start inburgeringsplicht", widget=DATE_INPUT)


class RouteSwitchForm(forms.Form):
    to_route = forms.ChoiceField(
        label="Nieuwe leerroute",
        choices=[("", "Kies een leerroute")]
        + [(c, label) for c, label in LearningRoute.choices if c in ("b1", "onderwijs", "z")],
    )
    switch_on = forms.DateField(label="Datum van de wissel", widget=DATE_INPUT, initial=timezone.localdate)
    reason = forms.CharField(
        label="Reden", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht na de wisseltermijn; dan keurt een regisseur de wissel goed.",
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label="Toelichting", max_length=300, required=False,
                           help_text="Verplicht bij afwijzen.")


class ComponentForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ComponentStatus.choices)
    status_on = forms.DateField(label="Sinds", widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label="Toelichting", max_length=300, required=False)


class ExemptionForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=ExemptionKind.choices)
    part = forms.CharField(label="Waarvoor", max_length=200,
                           help_text="Bijvoorbeeld: de hele inburgeringsplicht, de MAP, het onderdeel lezen.")
    decided_on = forms.DateField(label="Datum besluit", widget=DATE_INPUT)
    reason = forms.CharField(label="Reden", widget=forms.Textarea(attrs={"rows": 3}))


class ClosingInterviewForm(forms.Form):
    held_on = forms.DateField(label="Datum eindgesprek", widget=DATE_INPUT, initial=timezone.localdate)
    summary = forms.CharField(label="Samenvatting", widget=forms.Textarea(attrs={"rows": 4}))


class CompleteRouteForm(forms.Form):
    completed_on = forms.DateField(label="Leerroute afgerond op", widget=DATE_INPUT, initial=timezone.localdate)

