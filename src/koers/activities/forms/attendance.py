"""Forms of the session, closed-day and attendance pages. They parse and validate input; the rules live in the
attendance services and queries."""

from __future__ import annotations

import re

from django import forms

from koers.activities.models import ClosedDay, Group
from koers.core import access, locking
from koers.core.codes import AttendanceStatus, SessionStatus

#: Short labels for the segmented control on the attendance screen (the full label is the code list's).
SHORT_LABELS = {
    AttendanceStatus.AANWEZIG: "Aanwezig",
    AttendanceStatus.TE_LAAT: "Te laat",
    AttendanceStatus.AFGEMELD: "Afwezig, wel afgemeld",
    AttendanceStatus.ONGEOORLOOFD: "Afwezig, niet afgemeld",
    AttendanceStatus.ZIEK: "Ziek gemeld",
}
STATUS_FIELD = re.compile(r"^status_(\d+)$")


class AttendanceForm(locking.VersionedFormMixin, forms.Form):
    """One status and one optional note per member of the session: ``status_<enrolment id>``,
    ``note_<enrolment id>``. Entries for anyone not on the screen are an error (nothing is saved)."""

    def __init__(self, *args, rows, **kwargs):
        # ``version``: the register as it was opened (optimistic locking, core/locking.py).
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.enrolment.pk
            current = row.attendance
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=row.participant.name, choices=list(SHORT_LABELS.items()), widget=forms.RadioSelect,
                initial=current.status if current else AttendanceStatus.AANWEZIG,
                error_messages={"required": "Kies de aanwezigheid.", "invalid_choice": "Kies de aanwezigheid."},
            )
            # A note marked special is only put back in the form for users who may read it; others see that a
            # protected note exists, may leave it (empty field: kept) or replace it, but never read it.
            hidden = bool(current and current.note and current.note_is_special
                          and not access.may_see_special(row.grant))
            self.fields[f"note_{pk}"] = forms.CharField(
                label=f"Opmerking bij {row.participant.name}", required=False, max_length=200,
                initial="" if hidden or not current else current.note,
                widget=forms.TextInput(attrs={"aria-describedby": f"id_note_{pk}_helptext"}),
            )
            self.fields[f"note_{pk}"].hidden_note = hidden
            self.fields[f"special_{pk}"] = forms.BooleanField(
                label=f"Opmerking over gezondheid (bijzonder persoonsgegeven), {row.participant.name}",
                required=False, initial=bool(current and current.note_is_special),
            )

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            known = {row.enrolment.pk for row in self.rows}
            posted = {int(m.group(1)) for key in self.data for m in [STATUS_FIELD.match(key)] if m}
            if posted - known:
                raise forms.ValidationError(
                    "Het formulier bevat deelnemers die niet (meer) ingeschreven staan voor deze bijeenkomst. "
                    "Er is niets opgeslagen; laad de pagina opnieuw.",
                    code="unknown_enrolment",
                )
        return cleaned

    def entries(self) -> dict[int, tuple[str, str, bool]]:
        return {
            row.enrolment.pk: (self.cleaned_data[f"status_{row.enrolment.pk}"],
                               self.cleaned_data.get(f"note_{row.enrolment.pk}", ""),
                               bool(self.cleaned_data.get(f"special_{row.enrolment.pk}")))
            for row in self.rows
        }

    def bound_rows(self):
        """(row, status field, note field, special checkbox, hidden note?) for the template."""
        return [
            (row, self[f"status_{row.enrolment.pk}"], self[f"note_{row.enrolment.pk}"],
             self[f"special_{row.enrolment.pk}"], self.fields[f"note_{row.enrolment.pk}"].hidden_note)
            for row in self.rows
        ]


class SessionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=SessionStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reden", required=False, max_length=200,
        help_text="Verplicht bij annuleren of vakantie, bijvoorbeeld ‘docent ziek’ of ‘Koningsdag’.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") and cleaned["status"] != SessionStatus.GEPLAND and not cleaned.get("reason", ""):
            self.add_error("reason", "Geef een reden op.")
        return cleaned


class SessionCreateForm(forms.Form):
    date = forms.DateField(label="Datum", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Van", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label="Tot", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    group = forms.ModelChoiceField(label="Groep", queryset=Group.objects.none(), required=False,
                                   empty_label="Hele activiteit (geen groep)")

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = activity.groups.all()
        if not activity.is_group or not self.fields["group"].queryset.exists():
            del self.fields["group"]


class ClosedDayForm(forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"reason": "Bijvoorbeeld ‘Koningsdag’, ‘kerstvakantie’ of ‘studiedag’."}

    def validate_unique(self):
        pass  # organisation is not on the form; the service checks for a duplicate date


class DayForm(forms.Form):
    datum = forms.DateField(label="Datum", required=False, widget=forms.DateInput(attrs={"type": "date"}))
