"""Forms for employers, contact persons, company visits, openings and certificates (matching: forms/matching.py)."""

from __future__ import annotations

from django import forms

from koers.core.codes import DAGDELEN, OrganisationKind, PlacementKind, Sector, language_choices
from koers.core.models import Organisation
from koers.participants.forms.file import DATE_INPUT, DagdelenWidget
from koers.participants.validators import normalise_name
from koers.work.models import (
    MAX_HOURS_PER_WEEK,
    Certificate,
    CompanyVisit,
    ContactPerson,
    Employer,
    Opening,
    OpeningStatus,
)
from koers.work.queries.employers import unknown_certificate_message


class EmployerForm(forms.ModelForm):
    floor_languages = forms.MultipleChoiceField(
        label="Talen op de werkvloer", required=False, choices=language_choices,
        help_text="Houd Ctrl (of Cmd) ingedrukt om meer talen te kiezen.",
    )
    website = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = [
            "name", "sector", "size_class", "street", "postcode", "city", "phone", "email", "website",
            "offers_buddy", "offers_training", "contract_perspective", "trial_placements", "floor_languages",
            "notes", "partner_organisation", "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_organisation"].queryset = Organisation.objects.filter(kind=OrganisationKind.WERKGEVER)
        self.fields["partner_organisation"].empty_label = "Geen (de werkgever staat niet als organisatie in Koers)"


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "phone", "email", "is_primary", "notes"]


class CompanyVisitForm(forms.ModelForm):
    """The participants field validates against everything the user may add, but shows only a handful: those
    found with the search box and those already on the visit (a municipality has thousands of participants)."""

    participants = forms.ModelMultipleChoiceField(
        label="Deelnemers die meegingen", required=False, queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "U kunt alleen deelnemers kiezen bij wie u werkgegevens mag vastleggen."},
    )

    class Meta:
        model = CompanyVisit
        fields = ["visited_on", "description", "participants"]
        widgets = {"visited_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, allowed=None, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = allowed
        shown_ids = set()
        if self.instance.pk:
            already = self.instance.participants.filter(pk__in=allowed.values("pk"))
            shown_ids |= set(already.values_list("pk", flat=True))
        if self.is_bound:
            shown_ids |= {int(v) for v in self.data.getlist("participants") if str(v).isdigit()}
        found = []
        if search:
            found = allowed.filter(name_search__contains=normalise_name(search)).order_by("name_search", "pk")[:25]
        shown = list(allowed.filter(pk__in=shown_ids).order_by("name_search", "pk"))
        shown += [p for p in found if p.pk not in shown_ids]
        self.shown_participants = shown
        field.widget.choices = [(p.pk, f"{p.name} ({p.pk})") for p in shown]
        if not self.is_bound and self.instance.pk:
            self.initial["participants"] = sorted(shown_ids)


class OpeningForm(forms.ModelForm):
    hours_per_week = forms.IntegerField(
        label="Uren per week", required=False, min_value=0, max_value=MAX_HOURS_PER_WEEK,
        help_text="0 tot en met 60. Leeg is onbekend.",
        error_messages={
            "min_value": "Het aantal uren kan niet negatief zijn. Vul 0 tot en met 60 in.",
            "max_value": "Meer dan 60 uur per week mag niet (Arbeidstijdenwet). Vul 0 tot en met 60 in.",
            "invalid": "Vul een heel aantal uren in, 0 tot en met 60.",
        },
        widget=forms.NumberInput(attrs={"class": "input--short"}),
    )
    days = forms.MultipleChoiceField(
        label="Dagdelen", required=False, choices=DAGDELEN, widget=DagdelenWidget,
        help_text="De dagdelen waarop gewerkt wordt. Niets aangevinkt: in overleg.",
    )
    certificates = forms.ModelMultipleChoiceField(
        label="Vereiste certificaten", required=False, queryset=Certificate.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Alleen certificaten uit de lijst. Ontbreekt er een? Een accountmanager voegt het toe bij ‘Beheer "
                  "certificaten’.",
        error_messages={"invalid_choice": unknown_certificate_message("%(value)s"),
                        "invalid_pk_value": unknown_certificate_message("%(pk)s")},
    )

    class Meta:
        model = Opening
        fields = [
            "kind", "title", "tasks", "sector", "hours_per_week", "days", "postcode", "city", "start_date", "places",
            "req_spreken", "req_luisteren", "req_lezen", "req_schrijven", "certificates", "driving_licence_required",
            "physical_demand", "physical_notes", "support_offered", "status",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "support_offered": forms.Textarea(attrs={"rows": 3}),
            "places": forms.NumberInput(attrs={"class": "input--short"}),
        }
        error_messages = {"places": {"min_value": "Een plek heeft minstens 1 plaats."}}

    def __init__(self, *args, employer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].help_text = "Leeg: het adres van de werkgever."
        if employer is not None and not self.instance.pk and not self.initial.get("sector"):
            self.initial["sector"] = employer.sector
        if not self.instance.pk:
            self.fields["status"].choices = [(OpeningStatus.OPEN, OpeningStatus.OPEN.label)]

    @property
    def level_fields(self):
        return [self[f"req_{s}"] for s in ("spreken", "luisteren", "lezen", "schrijven")]


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["name", "code", "description"]


class FilterForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=100)
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Alle sectoren"), *Sector.choices])


class OpeningFilterForm(FilterForm):
    kind = forms.ChoiceField(label="Soort plek", required=False, choices=[("", "Alle soorten"), *PlacementKind.choices])
    status = forms.ChoiceField(
        label="Status", required=False, choices=[(OpeningStatus.OPEN, "Open"), ("", "Alle"),
                                                 *[c for c in OpeningStatus.choices if c[0] != OpeningStatus.OPEN]],
    )
