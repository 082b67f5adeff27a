"""The report's filters (GET): projects, executing organisation, period, and the external version."""

from __future__ import annotations

from django import forms

from koers.core.models import Organisation
from koers.monitoring.models import Project
from koers.monitoring.queries.indicators import Filters
from koers.participants.forms.file import DATE_INPUT


class ReportFilterForm(forms.Form):
    """The report's filters (GET). Projects and organisations are limited to what the scope shows."""

    projects = forms.ModelMultipleChoiceField(
        label="Projecten", required=False, queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Niets aangevinkt: alle projecten.",
        error_messages={"invalid_choice": "Kies alleen projecten uit de lijst."},
    )
    organisation = forms.ModelChoiceField(
        label="Uitvoerende organisatie", required=False, queryset=Organisation.objects.none(),
        empty_label="Alle organisaties",
        error_messages={"invalid_choice": "Kies een organisatie uit de lijst."},
    )
    date_from = forms.DateField(label="Actief vanaf", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="Actief tot en met", required=False, widget=DATE_INPUT)
    extern = forms.BooleanField(
        label="Versie voor externe partijen (aantallen onder de 5 afgeschermd)", required=False,
        help_text="Voor de financier of andere partijen buiten de betrokken organisaties.",
    )

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        projects = scope.projects().order_by("name")
        self.fields["projects"].queryset = projects
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=projects.exclude(organisation=None).values("organisation_id")
        ).order_by("name")
        if scope.external:
            self.fields["extern"].disabled = True
            self.fields["extern"].initial = True
            self.fields["extern"].help_text = "Voor uw rol worden aantallen onder de 5 altijd afgeschermd."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Deze datum ligt vóór ‘Actief vanaf’.")
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            project_ids=tuple(sorted(p.pk for p in data.get("projects") or ())),
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("projects") or data.get("organisation") or data.get("date_from")
                    or data.get("date_to"))
