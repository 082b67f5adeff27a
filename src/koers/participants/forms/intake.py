"""Forms of the brede intake. File sections reuse the file's own forms (forms.SECTIONS)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.access import involved_staff
from koers.core.locking import VersionedFormMixin
from koers.participants.forms.file import DATE_INPUT
from koers.participants.models import Intake, Participant

NOT_INVOLVED_STAFF = (
    "Kies een medewerker van de regie-organisatie of van een organisatie die bij het traject van deze "
    "deelnemer betrokken is."
)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} ({obj.organisation.name})"


class ConversationForm(VersionedFormMixin, forms.ModelForm):
    """Step 1: the conversation itself."""

    co_interviewer = StaffChoiceField(
        label="Samen met", required=False, queryset=None, empty_label="Niemand, alleen afgenomen",
        help_text="Bij een gezamenlijke intake: de tweede medewerker, ook van een betrokken partner "
                  "(bijvoorbeeld de maatschappelijk begeleider).",
        error_messages={"invalid_choice": NOT_INVOLVED_STAFF},
    )

    class Meta:
        model = Intake
        fields = ["held_on", "home_visit", "location", "co_interviewer", "interpreter_present"]
        labels = {
            "home_visit": "Huisbezoek: het gesprek was bij de deelnemer thuis",
            "interpreter_present": "Er was een tolk of bruggenbouwer bij",
        }
        help_texts = {"location": "Bijvoorbeeld: thuis, gemeentehuis, taalhuis of AZC."}
        widgets = {"held_on": DATE_INPUT}
        error_messages = {
            "held_on": {"required": "Vul de datum van het gesprek in.",
                        "invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2026."},
        }

    def __init__(self, *args, participant: Participant, user, **kwargs):
        super().__init__(*args, **kwargs)
        conductor = self.instance.conducted_by_id or user.pk
        self.fields["co_interviewer"].queryset = involved_staff(participant).exclude(pk=conductor)

    def clean_held_on(self):
        value = self.cleaned_data.get("held_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Deze datum ligt in de toekomst. Vul de datum van het gesprek in.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("home_visit") and not (data.get("location") or "").strip():
            data["location"] = "Bij de deelnemer thuis"
        return data


class DomainForm(VersionedFormMixin, forms.Form):
    """The notes on one life domain (prefix: the domain code)."""

    situation = forms.CharField(
        label="Situatie", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
    )
    own_view = forms.CharField(
        label="Eigen visie van de deelnemer", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support_needed = forms.CharField(
        label="Benodigde ondersteuning", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
