"""Forms for the aftercare of a placement: a check-in, an extra moment, a friction, the final talk. The rules live
in services/ and queries/aftercare.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.locking import VersionedFormMixin
from koers.work.forms.placements import date_field
from koers.work.models import CheckInWith, Topic
from koers.work.queries.aftercare import CHANNELS, CheckInData, FinalTalkData


class CheckInForm(VersionedFormMixin, forms.Form):
    done_on = date_field("Datum gesprek", initial=timezone.localdate)
    at = forms.TimeField(label="Tijd", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                         help_text="Leeg: nu (vandaag) of 12:00.",
                         error_messages={"invalid": "Vul een tijd in, bijvoorbeeld 14:30."})
    with_whom = forms.ChoiceField(label="Met wie", choices=CheckInWith.choices, widget=forms.RadioSelect,
                                  error_messages={"required": "Kies met wie het gesprek was."})
    channel = forms.ChoiceField(label="Hoe", choices=CHANNELS, initial=CHANNELS[0][0], widget=forms.RadioSelect,
                                help_text="Samen met deelnemer en werkgever in gesprek is een driegesprek.",
                                error_messages={"required": "Kies hoe het gesprek ging."})
    duration_minutes = forms.IntegerField(
        label="Duur (minuten)", initial=30, min_value=1, max_value=600,
        widget=forms.NumberInput(attrs={"class": "input--short", "inputmode": "numeric"}),
        help_text="Telt mee als contact en begeleidingsuren.",
        error_messages={"required": "Vul de duur in minuten in.", "invalid": "Vul een aantal minuten in.",
                        "min_value": "Vul een duur in van 1 tot en met 600 minuten.",
                        "max_value": "Vul een duur in van 1 tot en met 600 minuten."})
    topics = forms.MultipleChoiceField(label="Onderwerpen", choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label="Verslag", widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Hoe gaat het, wat is afgesproken? Geen medische details.",
                            error_messages={"required": "Schrijf kort op hoe het gaat en wat er is afgesproken."})
    close_action_ids = forms.TypedMultipleChoiceField(
        label="Dit gesprek rondt ook af", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Open actiepunten die met dit gesprek klaar zijn. Ze krijgen de status afgerond.")

    def __init__(self, *args, action_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        items = list(action_items)
        self.fields["close_action_ids"].choices = [
            (i.pk, f"{i.title} (uiterlijk {i.due_date:%d-%m-%Y})") for i in items]
        self.fields["close_action_ids"].initial = [i.pk for i in items if getattr(i, "suggested", False)]
        if not items:
            del self.fields["close_action_ids"]

    def to_data(self) -> CheckInData:
        c = self.cleaned_data
        return CheckInData(c["done_on"], c["with_whom"], c.get("topics") or [], c["notes"],
                           channel=c["channel"], duration_minutes=c.get("duration_minutes"), at=c.get("at"),
                           close_action_ids=list(c.get("close_action_ids") or []))


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
