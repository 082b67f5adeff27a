"""Planning an appointment. The rules live in queries/appointments.py."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from koers.casework.forms.contacts import DATETIME_FORMAT, DATETIME_INPUT
from koers.casework.queries import appointments as queries
from koers.core.codes import ContactKind
from koers.core.models import User


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label="Soort afspraak", choices=queries.KINDS, initial=ContactKind.GESPREK,
                             error_messages={"required": "Kies een soort afspraak.",
                                             "invalid_choice": "Kies een soort afspraak."})
    starts_at = forms.DateTimeField(
        label="Datum en tijd", widget=DATETIME_INPUT,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"required": "Vul de datum en tijd van de afspraak in.",
                        "invalid": "Vul een geldige datum en tijd in, bijvoorbeeld 31-12-2026 14:30."},
    )
    duration_minutes = forms.IntegerField(
        label="Duur in minuten", initial=30, min_value=queries.MIN_DURATION, max_value=queries.MAX_DURATION,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), queries.MSG_DURATION),
    )
    with_user = forms.TypedChoiceField(
        label="Met wie", coerce=int, choices=(),
        error_messages={"required": "Kies met wie de deelnemer de afspraak heeft.",
                        "invalid_choice": "Kies een medewerker van een organisatie die bij het traject betrokken is."},
    )
    purpose = forms.CharField(
        label="Waarover", max_length=200,
        help_text="De deelnemer leest dit in Mijn Koers. Schrijf eenvoudig, en niets over gezondheid.",
        error_messages={"required": "Schrijf kort waarover de afspraak gaat; de deelnemer leest dit in Mijn Koers."},
    )
    location = forms.CharField(label="Waar", max_length=200, required=False,
                               help_text="Bijvoorbeeld: Stadskantoor, Markt 1, balie 3. Of: u wordt gebeld.")
    #: Shown only after the form found classes at that time: plan it anyway.
    despite_clash = forms.BooleanField(label="Toch op dit moment plannen", required=False)

    def __init__(self, *args, staff: list[User], user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_by_id = {u.pk: u for u in staff}
        groups: dict[str, list] = {}
        for u in staff:
            groups.setdefault(u.organisation.name, []).append((u.pk, str(u)))
        self.fields["with_user"].choices = [("", "Kies een medewerker")] + list(groups.items())
        if user.pk in self.staff_by_id:
            self.fields["with_user"].initial = user.pk
        self.fields["starts_at"].widget.attrs["min"] = timezone.localtime().strftime(DATETIME_FORMAT)
        self.fields["starts_at"].initial = (timezone.localtime() + timedelta(days=1)).replace(
            hour=10, minute=0, second=0, microsecond=0)

    def to_data(self) -> queries.AppointmentData:
        d = self.cleaned_data
        return queries.AppointmentData(kind=d["kind"], starts_at=d["starts_at"],
                                       duration_minutes=d["duration_minutes"],
                                       with_user=self.staff_by_id[d["with_user"]], purpose=d["purpose"],
                                       location=d.get("location") or "")
