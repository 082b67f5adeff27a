"""Forms of the completeness worklist: its filters, and filling in the reportable fields of an imported
trajectory (a native trajectory's fields come from the participant file and are not edited here)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core import access
from koers.core.codes import ContractType, DropoutReason, EducationEntered, Outcome, country_choices
from koers.core.locking import VERSION_FIELD, VersionedFormMixin
from koers.monitoring.models import Trajectory
from koers.monitoring.queries.completeness import FIELDS, FIELDS_BY_NAME, applicable_fields, trajectory_version
from koers.participants.forms.file import DATE_INPUT

BIRTH_YEAR_MIN = 1920
MIN_AGE = 14  # a birth year later than (this year - MIN_AGE) is a typing error


class WorklistFilterForm(forms.Form):
    project = forms.TypedChoiceField(label="Project", required=False, coerce=int, empty_value=None)
    veld = forms.ChoiceField(label="Onbekend gegeven", required=False)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "Alle projecten")] + [
            (p.pk, f"{p.name} ({p.organisation.name})" if p.organisation_id else p.name) for p in projects
        ]
        self.fields["veld"].choices = [("", "Alle gegevens")] + [(f.name, f.label) for f in FIELDS]


def _choices_unknown_first(choices, *, blank_label="Onbekend"):
    return [("", blank_label)] + [(code, label) for code, label in choices if code != "onbekend"]


class TrajectoryFillInForm(VersionedFormMixin, forms.ModelForm):
    """The reportable fields that apply to this trajectory (by its outcome and end date).

    Built from ``completeness.FIELDS``: a field that does not apply (contract data for a dropout) is not shown.
    ``trajectory`` must carry the flags of ``completeness.annotate_flags``.
    """

    class Meta:
        model = Trajectory
        fields = [f.name for f in FIELDS]
        widgets = {"started_on": DATE_INPUT}

    def __init__(self, *args, trajectory: Trajectory, user=None, **kwargs):
        super().__init__(*args, instance=trajectory, version=trajectory_version(trajectory), **kwargs)
        #: Health dropout reasons are special-category data, also on a pseudonymous imported trajectory: only
        #: users whose roles may record them see or choose them (``access.role_allows_special``).
        self.special = user is not None and access.role_allows_special(user)
        self.reason_hidden = False
        today = timezone.localdate()
        shown = {f.name for f in applicable_fields(trajectory)}
        # Every detail of the current outcome, also when it does not count yet (contract months with 'vast':
        # the contract type may be changed in the same form).
        if trajectory.outcome == Outcome.BETAALD_WERK:
            shown |= {"job_title", "contract_type", "contract_months", "hours_per_week"}
        for name in list(self.fields):
            if name not in shown and name != VERSION_FIELD:
                del self.fields[name]
        f = self.fields
        if "outcome" in f:
            f["outcome"].choices = list(Outcome.choices)
            f["outcome"].required = True
            f["outcome"].help_text = ("Als u de uitstroom wijzigt, vervallen de gegevens die bij de oude uitstroom "
                                      "hoorden; daarna vult u die van de nieuwe aan.")
        if "country_of_origin" in f:
            f["country_of_origin"] = forms.ChoiceField(
                label="Land van herkomst", required=False, choices=[("", "Onbekend")] + country_choices(),
                error_messages={"invalid_choice": "Kies een land uit de lijst."},
            )
        if "birth_year" in f:
            top = today.year - MIN_AGE
            f["birth_year"].min_value = BIRTH_YEAR_MIN
            f["birth_year"].max_value = top
            f["birth_year"].widget.attrs.update({"min": BIRTH_YEAR_MIN, "max": top, "inputmode": "numeric",
                                                 "class": "input--short"})
            f["birth_year"].help_text = "Vier cijfers, bijvoorbeeld 1990. Leeg is onbekend."
        if "dropout_reason" in f:
            choices = DropoutReason.choices
            if not self.special:
                choices = [(c, label) for c, label in choices if not access.is_special_code("dropout_reason", c)]
                f["dropout_reason"].error_messages["invalid_choice"] = (
                    "Deze reden mag u niet kiezen: redenen die over gezondheid gaan legt iemand vast die "
                    "bijzondere persoonsgegevens mag zien. Kies een reden uit de lijst."
                )
            f["dropout_reason"].choices = _choices_unknown_first(choices)
            if not self.special and access.is_special_code("dropout_reason", trajectory.dropout_reason):
                # Recorded by someone who may: not shown, and left as it is when this form is saved.
                del f["dropout_reason"]
                self.reason_hidden = True
        if "contract_type" in f:
            f["contract_type"].choices = _choices_unknown_first(ContractType.choices)
        if "contract_months" in f:
            f["contract_months"].help_text = "Leeg laten bij een vast contract."
            f["contract_months"].widget.attrs.update({"class": "input--short", "inputmode": "numeric"})
        if "hours_per_week" in f:
            # Dutch decimal comma (24,5) accepted: a localized field with a text input.
            f["hours_per_week"] = forms.DecimalField(
                label="Uren per week", required=False, max_digits=4, decimal_places=1, localize=True,
                help_text="0 bij een nulurencontract. Leeg is onbekend.",
                widget=forms.TextInput(attrs={"class": "input--short", "inputmode": "decimal"}),
                error_messages={"invalid": "Vul een getal in, bijvoorbeeld 24 of 32,5."},
            )
        if "education_entered" in f:
            f["education_entered"].choices = _choices_unknown_first(EducationEntered.choices)
        for name, field in f.items():
            if name in FIELDS_BY_NAME and name != "country_of_origin":
                field.label = FIELDS_BY_NAME[name].label

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not BIRTH_YEAR_MIN <= year <= timezone.localdate().year - MIN_AGE:
            raise forms.ValidationError(
                f"Vul een geboortejaar in tussen {BIRTH_YEAR_MIN} en {timezone.localdate().year - MIN_AGE}.")
        return year

    def clean_started_on(self):
        started = self.cleaned_data.get("started_on")
        if started and started > timezone.localdate():
            raise forms.ValidationError("De startdatum ligt in de toekomst.")
        if started and self.instance.ended_on and started > self.instance.ended_on:
            raise forms.ValidationError(
                f"De startdatum ligt na de einddatum ({self.instance.ended_on:%d-%m-%Y}).")
        return started

    def clean_contract_months(self):
        months = self.cleaned_data.get("contract_months")
        if months is not None and not 1 <= months <= 120:
            raise forms.ValidationError("Vul een contractduur in van 1 tot en met 120 maanden.")
        return months

    def clean_hours_per_week(self):
        hours = self.cleaned_data.get("hours_per_week")
        if hours is not None and not 0 <= hours <= 60:
            raise forms.ValidationError("Vul een aantal uren in van 0 (nulurencontract) tot en met 60.")
        return hours

    def clean_job_title(self):
        return " ".join((self.cleaned_data.get("job_title") or "").split())

    def clean_education_field(self):
        return " ".join((self.cleaned_data.get("education_field") or "").split())

    def clean(self):
        data = super().clean()
        if data.get("contract_type") == ContractType.VAST and data.get("contract_months") is not None:
            self.add_error("contract_months", "Een vast contract heeft geen contractduur: laat dit veld leeg.")
        return data

    def to_data(self) -> dict:
        """The cleaned values of the shown fields (for ``completeness.fill_in``)."""
        return {name: self.cleaned_data[name] for name in self.fields if name in FIELDS_BY_NAME}
