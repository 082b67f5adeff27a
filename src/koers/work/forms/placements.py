"""Forms for placements: a new placement, new terms, the end. The rules live in services/ and queries/placements.py;
the forms only parse input (their Dutch messages come from the services, per field)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.codes import ContractType, PlacementKind
from koers.core.locking import VersionedFormMixin
from koers.participants.forms.file import DATE_INPUT
from koers.work.models import EndReason, Scheme
from koers.work.queries.placements import CorrectionData, PlacementData, TermData

#: Kinds of placement that come without a paid contract: from a proposal the contract type follows the kind.
UNPAID_KINDS = frozenset({PlacementKind.PROEFPLAATSING, PlacementKind.WERKERVARINGSPLAATS, PlacementKind.STAGE,
                          PlacementKind.VRIJWILLIGERSWERK, PlacementKind.DAGBESTEDING})

DATE_ERRORS = {"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2025."}


def date_field(label, *, required=True, help_text="", initial=None):
    return forms.DateField(label=label, required=required, widget=DATE_INPUT, help_text=help_text, initial=initial,
                           error_messages={**DATE_ERRORS, "required": f"Vul de {label.lower()} in."})


def _hours_field():
    return forms.DecimalField(
        label="Uren per week", max_digits=5, decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "class": "input--short", "step": "0.5"}),
        help_text="0 bij een nulurencontract; hoogstens 60.",
        error_messages={"invalid": "Vul een getal in, bijvoorbeeld 24 of 32,5.",
                        "required": "Vul het aantal uren per week in (0 bij een nulurencontract)."},
    )


class TermFields(forms.Form):
    contract_type = forms.ChoiceField(label="Contractsoort", choices=[("", "Kies…"), *ContractType.choices],
                                      error_messages={"required": "Kies de contractsoort."})
    hours_per_week = _hours_field()
    contract_end = date_field("Einddatum contract of afspraak", required=False,
                         help_text="Leeg bij een vast contract. Vier weken vooraf komt er een signaal.")
    note = forms.CharField(label="Toelichting", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PlacementForm(TermFields):
    """A new placement; from a match the employer and opening are fixed (``match`` given)."""

    employer = forms.ModelChoiceField(label="Werkgever", queryset=None, empty_label="Kies een werkgever…",
                                      error_messages={"required": "Kies de werkgever.",
                                                      "invalid_choice": "Kies een werkgever uit de lijst."})
    opening = forms.ModelChoiceField(label="Vacature of participatieplek", queryset=None, required=False,
                                     empty_label="Geen (direct bij de werkgever)")
    kind = forms.ChoiceField(label="Soort plaatsing", choices=[("", "Kies…"), *PlacementKind.choices],
                             error_messages={"required": "Kies de soort plaatsing."})
    job_title = forms.CharField(label="Functie", max_length=200,
                                error_messages={"required": "Vul de functie in, bijvoorbeeld ‘productiemedewerker’."})
    start_date = date_field("Startdatum")
    probation_end = date_field("Einde proeftijd", required=False)
    schemes = forms.MultipleChoiceField(label="Regelingen", choices=Scheme.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    jobcoach = forms.ModelChoiceField(label="Jobcoach", queryset=None, required=False, empty_label="Nog niemand",
                                      help_text="Voorgesteld: de eigen begeleider van de deelnemer.")
    buddy_name = forms.CharField(label="Buddy op de werkvloer", required=False, max_length=200,
                                 help_text="Naam van de collega die de deelnemer wegwijs maakt.")
    over_hours_reason = forms.CharField(
        label="Reden om toch te plaatsen boven het maximum aantal uren per week", required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Alleen nodig als les en werk samen boven het maximum van de gemeente komen.")

    field_order = ["employer", "opening", "kind", "job_title", "start_date", "probation_end", "contract_type",
                   "hours_per_week", "contract_end", "schemes", "jobcoach", "buddy_name", "note",
                   "over_hours_reason"]

    def __init__(self, *args, employers, openings, staff, match=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.match = match
        self.fields["employer"].queryset = employers
        self.fields["opening"].queryset = openings
        self.fields["opening"].label_from_instance = lambda o: f"{o.employer} — {o.title}"
        self.fields["jobcoach"].queryset = staff
        self.fields["jobcoach"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.organisation})"
        if match is not None:
            self.fields["employer"].disabled = True
            self.fields["opening"].disabled = True

    @classmethod
    def initial_for(cls, *, match=None, jobcoach=None) -> dict:
        initial = {"start_date": timezone.localdate(), "jobcoach": jobcoach}
        if match is not None:
            opening = match.opening
            initial.update({
                "employer": opening.employer_id, "opening": opening.pk, "kind": opening.kind,
                "job_title": opening.title, "hours_per_week": opening.hours_per_week,
                "contract_type": ContractType.GEEN if opening.kind in UNPAID_KINDS else "",
                "start_date": opening.start_date if opening.start_date and opening.start_date >= timezone.localdate()
                else timezone.localdate(),
            })
        return initial

    def to_data(self) -> PlacementData:
        c = self.cleaned_data
        return PlacementData(
            employer_id=c["employer"].pk if c.get("employer") else None, kind=c["kind"], job_title=c["job_title"],
            start_date=c["start_date"], contract_type=c["contract_type"], hours_per_week=c.get("hours_per_week"),
            contract_end=c.get("contract_end"), probation_end=c.get("probation_end"),
            opening_id=c["opening"].pk if c.get("opening") else None,
            match_id=self.match.pk if self.match is not None else None, schemes=c.get("schemes") or [],
            jobcoach_id=c["jobcoach"].pk if c.get("jobcoach") else None, buddy_name=c.get("buddy_name", ""),
            note=c.get("note", ""), over_hours_reason=c.get("over_hours_reason", ""),
        )


class TermForm(TermFields):
    effective_from = date_field("Ingangsdatum", initial=timezone.localdate)

    field_order = ["effective_from", "contract_type", "hours_per_week", "contract_end", "note"]

    def to_data(self) -> TermData:
        c = self.cleaned_data
        return TermData(c["effective_from"], c["contract_type"], c.get("hours_per_week"), c.get("contract_end"),
                        c.get("note", ""))


class EndForm(forms.Form):
    ended_on = date_field("Einddatum", initial=timezone.localdate)
    end_reason = forms.ChoiceField(label="Reden", choices=[("", "Kies…"), *EndReason.choices],
                                   error_messages={"required": "Kies de reden waarom de plaatsing eindigt."})
    end_note = forms.CharField(label="Toelichting", required=False, max_length=500,
                               widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(VersionedFormMixin, forms.Form):
    """Correct what was entered wrongly; the version covers the values as loaded (optimistic locking)."""

    job_title = forms.CharField(label="Functie", max_length=200,
                                error_messages={"required": "Vul de functie in, bijvoorbeeld ‘productiemedewerker’."})
    start_date = date_field("Startdatum")
    probation_end = date_field("Einde proeftijd", required=False)
    hours_per_week = _hours_field()
    contract_end = date_field("Einddatum contract of afspraak", required=False,
                              help_text="Leeg bij een vast contract.")

    field_order = ["job_title", "start_date", "probation_end", "hours_per_week", "contract_end"]

    def to_data(self) -> CorrectionData:
        c = self.cleaned_data
        return CorrectionData(c["job_title"], c["start_date"], c.get("probation_end"), c.get("hours_per_week"),
                              c.get("contract_end"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Waarom wordt de plaatsing ingetrokken?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: per vergissing vastgelegd, of de werkgever zag af van de plaatsing vóór de start.",
        error_messages={"required": "Schrijf op waarom de plaatsing wordt ingetrokken."},
    )
