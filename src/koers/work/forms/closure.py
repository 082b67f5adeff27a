"""The form that closes a trajectory: outcome, reports, and a decision per running placement. The rules live in
services/ and queries/closure.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.codes import DropoutReason, Outcome
from koers.participants.forms.file import DATE_INPUT
from koers.work.forms.placements import DATE_ERRORS, date_field
from koers.work.models import EndReason
from koers.work.queries import closure as closure_queries
from koers.work.queries.closure import ClosureData, PlacementDecision

DECISIONS = [(closure_queries.END, "Beëindigen"), (closure_queries.KEEP, "Loopt door na het afsluiten")]


class ClosureForm(forms.Form):
    closed_on = date_field("Datum afsluiten", initial=timezone.localdate)
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
    employer_consent_on = date_field("Datum toestemming", required=False)
    employer_placement = forms.ModelChoiceField(label="Werkgever", queryset=None, required=False,
                                                empty_label="Kies de plaatsing…")
    employer_advice = forms.CharField(label="Voor de werkgever: wat werkt, en de afspraken", required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    kept_reason = forms.CharField(label="Waarom loopt de plaatsing door na het afsluiten?", required=False,
                                  max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="Verplicht als een plaatsing doorloopt. De nazorg loopt gewoon door.")

    def __init__(self, *args, running, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.running = running
        self.fields["employer_placement"].queryset = placements
        self.fields["employer_placement"].label_from_instance = lambda p: f"{p.employer} — {p.job_title}"
        self.decision_rows = []
        for p in running:
            prefix = f"placement_{p.pk}"
            later = p.start_date > timezone.localdate()
            self.fields[f"{prefix}_decision"] = forms.ChoiceField(
                label=f"{p.job_title} bij {p.employer}" + (f" (begint op {p.start_date:%d-%m-%Y})" if later else ""),
                choices=DECISIONS[1:] if later else DECISIONS, widget=forms.RadioSelect, required=False,
                initial=closure_queries.KEEP if later else None)
            self.fields[f"{prefix}_ended_on"] = forms.DateField(
                label="Einddatum", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
            self.fields[f"{prefix}_reason"] = forms.ChoiceField(
                label="Reden", required=False, choices=EndReason.choices, initial=EndReason.TRAJECT_AFGESLOTEN)
            self.decision_rows.append({
                "placement": p, "decision": self[f"{prefix}_decision"], "ended_on": self[f"{prefix}_ended_on"],
                "reason": self[f"{prefix}_reason"], "key": prefix, "later": later,
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
            decisions=decisions, kept_reason=c.get("kept_reason", ""),
        )
