"""The portfolio's forms: an own item (add and change) and the CV's choice of contact details. Translated texts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koers.core.locking import VERSION_FIELD
from koers.portal.rules import portfolio as rules

DATE_MESSAGE = _("Deze datum klopt niet. Kies een dag met de kalender, of schrijf hem als 31-12-2025.")


class PortalDateField(forms.DateField):
    """A date field whose every error (also the project-wide 1900–2100 limit) is in the participant's language."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(DATE_MESSAGE, code="invalid") from error


class ItemForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"), max_length=120, widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Bijvoorbeeld: Brief van mijn stagebegeleider, of: Foto van een kast die ik heb gemaakt."),
        error_messages={"required": _("Schrijf een titel."),
                        "max_length": _("De titel is te lang. Gebruik hoogstens %(limit_value)d tekens.")},
    )
    description = forms.CharField(
        label=_("Beschrijving"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Wat heeft u gedaan of geleerd? Een paar zinnen is genoeg."),
        error_messages={"max_length": _("De beschrijving is te lang. Gebruik hoogstens %(limit_value)d tekens.")},
    )
    happened_on = PortalDateField(
        label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
    )
    file = forms.FileField(
        label=_("Bestand"), required=False,
        help_text=_("Een foto of een brief: PDF, JPEG of PNG, hoogstens 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,"
                                                         "image/png"}),
        error_messages={"invalid": _("Dit bestand kan niet worden gelezen. Kies een ander bestand."),
                        "empty": _("Het bestand is leeg.")},
    )
    on_cv = forms.BooleanField(label=_("Zet dit op mijn cv"), required=False, initial=True)

    def __init__(self, *args, version: str = "", has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget = forms.FileInput(attrs=self.fields["file"].widget.attrs)
        if has_file:
            self.fields["remove_file"] = forms.BooleanField(label=_("Bestand weghalen"), required=False)
            self.fields["file"].label = _("Ander bestand")
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200,
                                                     initial=version)

    @property
    def submitted_version(self) -> str | None:
        value = self.data.get(VERSION_FIELD) if self.is_bound else None
        return value if isinstance(value, str) and value else None

    def refresh_version(self, version: str) -> None:
        data = self.data.copy()
        data[VERSION_FIELD] = version
        self.data = data

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "description": d.get("description") or "", "happened_on": d.get("happened_on"),
                "on_cv": bool(d.get("on_cv")), "upload": d.get("file") or None}


class CvForm(forms.Form):
    """Which contact details go on the CV (sent with GET: downloading changes nothing)."""

    contact = forms.MultipleChoiceField(
        label=_("Wat mag op uw cv staan?"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(rules.CONTACT_FIELDS.items()),
        help_text=_("Uw naam staat er altijd op. Uw BSN, nationaliteit en gezondheid nooit."),
    )

    def chosen(self) -> frozenset[str]:
        """The ticked details; the defaults when the form was not sent."""
        if not self.is_bound or "cv" not in self.data:
            return rules.contact_choice(None)
        return rules.contact_choice(self.data.getlist("contact"))  # unknown values are left out
