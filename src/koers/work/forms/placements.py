"""Forms for placements, aftercare and closing a trajectory. The rules live in placements.py, aftercare.py and
closure.py; the forms only parse input (their Dutch messages come from the services, per field)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.codes import ContractType, DropoutReason, Outcome, PlacementKind
from koers.core.locking import VersionedFormMixin
from koers.participants.forms.file import DATE_INPUT
from koers.work.models import CheckInWith, EndReason, Scheme, Topic
from koers.work.queries import closure as closure_queries
from koers.work.queries.aftercare import CheckInData, FinalTalkData
from koers.work.queries.closure import ClosureData, PlacementDecision
from koers.work.queries.placements import PlacementData, TermData

DATE_ERRORS = {"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2025."}


def _date(label, *, required=True, help_text="", initial=None):
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
    contract_end = _date("Einddatum contract of afspraak", required=False,
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
    start_date = _date("Startdatum")
    probation_end = _date("Einde proeftijd", required=False)
    schemes = forms.MultipleChoiceField(label="Regelingen", choices=Scheme.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    jobcoach = forms.ModelChoiceField(label="Jobcoach", queryset=None, required=False, empty_label="Nog niemand",
                                      help_text="Voorgesteld: de eigen begeleider van de deelnemer.")
    buddy_name = forms.CharField(label="Buddy op de werkvloer", required=False, max_length=200,
                                 help_text="Naam van de collega die de deelnemer wegwijs maakt.")

    field_order = ["employer", "opening", "kind", "job_title", "start_date", "probation_end", "contract_type",
                   "hours_per_week", "contract_end", "schemes", "jobcoach", "buddy_name", "note"]

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
            note=c.get("note", ""),
        )


class TermForm(TermFields):
    effective_from = _date("Ingangsdatum", initial=timezone.localdate)

    field_order = ["effective_from", "contract_type", "hours_per_week", "contract_end", "note"]

    def to_data(self) -> TermData:
        c = self.cleaned_data
        return TermData(c["effective_from"], c["contract_type"], c.get("hours_per_week"), c.get("contract_end"),
                        c.get("note", ""))


class EndForm(forms.Form):
    ended_on = _date("Einddatum", initial=timezone.localdate)
    end_reason = forms.ChoiceField(label="Reden", choices=[("", "Kies…"), *EndReason.choices],
                                   error_messages={"required": "Kies de reden waarom de plaatsing eindigt."})
    end_note = forms.CharField(label="Toelichting", required=False, max_length=500,
                               widget=forms.Textarea(attrs={"rows": 3}))


class CheckInForm(VersionedFormMixin, forms.Form):
    done_on = _date("Datum gesprek", initial=timezone.localdate)
    with_whom = forms.ChoiceField(label="Met wie", choices=CheckInWith.choices, widget=forms.RadioSelect,
                                  error_messages={"required": "Kies met wie het gesprek was."})
    topics = forms.MultipleChoiceField(label="Onderwerpen", choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label="Verslag", widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Hoe gaat het, wat is afgesproken? Geen medische details.",
                            error_messages={"required": "Schrijf kort op hoe het gaat en wat er is afgesproken."})

    def to_data(self) -> CheckInData:
        c = self.cleaned_data
        return CheckInData(c["done_on"], c["with_whom"], c.get("topics") or [], c["notes"])


class ExtraCheckInForm(forms.Form):
    label = forms.CharField(label="Moment", max_length=60, initial="Bezoek werkgever",
                            error_messages={"required": "Geef het moment een naam."})
    planned_on = _date("Gepland op")


class FrictionForm(forms.Form):
    occurred_on = _date("Datum", initial=timezone.localdate)
    what = forms.CharField(label="Wat speelt er", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Beschrijf wat er speelt."})
    follow_up = forms.CharField(label="Vervolg", required=False, max_length=500,
                                widget=forms.Textarea(attrs={"rows": 2}))


class FinalTalkForm(forms.Form):
    held_on = _date("Datum eindgesprek", initial=timezone.localdate)
    with_whom = forms.ChoiceField(label="Met wie", choices=CheckInWith.choices, widget=forms.RadioSelect,
                                  error_messages={"required": "Kies met wie het eindgesprek was."})
    summary = forms.CharField(
        label="Verslag eindgesprek", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Wat is bereikt, hoe gaat het nu, en bij wie kunnen deelnemer en werkgever later terecht?",
        error_messages={"required": "Schrijf op wat er in het eindgesprek is besproken."},
    )

    def to_data(self) -> FinalTalkData:
        c = self.cleaned_data
        return FinalTalkData(c["held_on"], c["with_whom"], c["summary"])


DECISIONS = [(closure_queries.END, "Beëindigen"), (closure_queries.KEEP, "Loopt door na het afsluiten")]


class ClosureForm(forms.Form):
    closed_on = _date("Datum afsluiten", initial=timezone.localdate)
    outcome = forms.ChoiceField(label="Uitstroom", choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Kies de uitstroom."})
    dropout_reason = forms.ChoiceField(label="Reden van uitval", required=False,
                                       choices=[("", "Kies…"), *DropoutReason.choices],
                                       help_text="Verplicht bij voortijdige uitval.")
    dropout_note = forms.CharField(label="Toelichting uitval", required=False, max_length=500,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    unknown_note = forms.CharField(label="Wat is geprobeerd om de uitstroom te achterhalen", required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}), help_text="Verplicht bij ‘onbekend’.")
    summary = forms.CharField(label="Samenvatting en advies voor de gemeente", required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="Komt in de eindrapportage (warme overdracht).")
    employer_consent = forms.BooleanField(
        label="De deelnemer geeft toestemming om een eindrapportage met de werkgever te delen", required=False,
        help_text="De versie voor de werkgever bevat geen gegevens over gezondheid, inkomen of uitkering.",
    )
    employer_consent_on = _date("Datum toestemming", required=False)
    employer_placement = forms.ModelChoiceField(label="Werkgever", queryset=None, required=False,
                                                empty_label="Kies de plaatsing…")
    employer_advice = forms.CharField(label="Voor de werkgever: wat werkt, en de afspraken", required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, running, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.running = running
        self.fields["employer_placement"].queryset = placements
        self.fields["employer_placement"].label_from_instance = lambda p: f"{p.employer} — {p.job_title}"
        self.decision_rows = []
        for p in running:
            prefix = f"placement_{p.pk}"
            self.fields[f"{prefix}_decision"] = forms.ChoiceField(
                label=f"{p.job_title} bij {p.employer}", choices=DECISIONS, widget=forms.RadioSelect, required=False)
            self.fields[f"{prefix}_ended_on"] = forms.DateField(
                label="Einddatum", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
            self.fields[f"{prefix}_reason"] = forms.ChoiceField(
                label="Reden", required=False, choices=EndReason.choices, initial=EndReason.TRAJECT_AFGESLOTEN)
            self.decision_rows.append({
                "placement": p, "decision": self[f"{prefix}_decision"], "ended_on": self[f"{prefix}_ended_on"],
                "reason": self[f"{prefix}_reason"], "key": prefix,
            })

    def to_data(self) -> ClosureData:
        c = self.cleaned_data
        decisions = {}
        for p in self.running:
            action = c.get(f"placement_{p.pk}_decision") or ""
            if action:
                decisions[p.pk] = PlacementDecision(
                    action, c.get(f"placement_{p.pk}_ended_on") or c.get("closed_on"),
                    c.get(f"placement_{p.pk}_reason") or EndReason.TRAJECT_AFGESLOTEN)
        return ClosureData(
            closed_on=c.get("closed_on"), outcome=c.get("outcome", ""), dropout_reason=c.get("dropout_reason", ""),
            dropout_note=c.get("dropout_note", ""), unknown_note=c.get("unknown_note", ""),
            summary=c.get("summary", ""), employer_advice=c.get("employer_advice", ""),
            employer_placement_id=c["employer_placement"].pk if c.get("employer_placement") else None,
            employer_consent=bool(c.get("employer_consent")), employer_consent_on=c.get("employer_consent_on"),
            decisions=decisions,
        )
