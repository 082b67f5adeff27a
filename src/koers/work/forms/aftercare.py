"""Forms for the aftercare of a placement: a check-in, an extra moment, a friction, the final talk. The rules live
in services/ and queries/aftercare.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.locking import VersionedFormMixin
from koers.work.forms.placements import date_field
from koers.work.models import CheckInWith, Topic
from koers.work.queries.aftercare import CheckInData, FinalTalkData


class CheckInForm(VersionedFormMixin, forms.Form):
    done_on = date_field("Datum gesprek", initial=timezone.localdate)
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
    planned_on = date_field("Gepland op")


class FrictionForm(forms.Form):
    occurred_on = date_field("Datum", initial=timezone.localdate)
    what = forms.CharField(label="Wat speelt er", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Beschrijf wat er speelt."})
    follow_up = forms.CharField(label="Vervolg", required=False, max_length=500,
                                widget=forms.Textarea(attrs={"rows": 2}))


class FinalTalkForm(forms.Form):
    held_on = date_field("Datum eindgesprek", initial=timezone.localdate)
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
