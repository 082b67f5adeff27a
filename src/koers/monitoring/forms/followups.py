"""Forms of the follow-up worklist and of linking a participant to a project. They only parse input; the rules and
their Dutch messages live in services/followups.py and services/sync.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.core.codes import YesNoUnknown
from koers.core.locking import VersionedFormMixin
from koers.monitoring.models import FollowUpStatus
from koers.participants.forms.file import DATE_INPUT

DATE_ERRORS = {"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2025."}




class ProjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        org = f" — {obj.organisation}" if obj.organisation_id else ""
        return f"{obj.programme.name}: {obj.name}{org}"


class EnrolForm(forms.Form):
    project = ProjectChoice(
        label="Project", queryset=None, empty_label="Kies een project…",
        error_messages={"required": "Kies het project.", "invalid_choice": "Kies een project uit de lijst."},
    )
    started_on = forms.DateField(
        label="Startdatum in het project", widget=DATE_INPUT, initial=timezone.localdate,
        error_messages={**DATE_ERRORS, "required": "Vul de startdatum in."},
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class FollowUpForm(VersionedFormMixin, forms.Form):
    """The answer of one follow-up; the worklist uses a prefix per follow-up so ids stay unique."""

    status = forms.ChoiceField(
        label="Resultaat", widget=forms.RadioSelect, initial=FollowUpStatus.GEDAAN,
        choices=[(FollowUpStatus.GEDAAN, "Gemeten: deelnemer (of werkgever) gesproken"),
                 (FollowUpStatus.NIET_BEREIKT, "Deelnemer niet bereikt")],
        error_messages={"required": "Kies of de meting is gedaan of dat de deelnemer niet is bereikt."},
    )
    in_paid_work = forms.ChoiceField(
        label="Heeft de deelnemer betaald werk?", widget=forms.RadioSelect, required=False,
        choices=[(YesNoUnknown.JA, "Ja, betaald werk"), (YesNoUnknown.NEE, "Nee, geen betaald werk")],
        help_text="Niet nodig als de deelnemer niet is bereikt.",
    )
    done_on = forms.DateField(
        label="Datum van de meting", widget=DATE_INPUT, initial=timezone.localdate,
        error_messages={**DATE_ERRORS, "required": "Vul de datum van de meting in."},
    )
    note = forms.CharField(label="Toelichting", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Bijvoorbeeld: bij welke werkgever, of wat er is geprobeerd.")

    def answer_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"status": d["status"], "in_paid_work": d.get("in_paid_work") or "", "done_on": d["done_on"],
                "note": d.get("note", "")}
