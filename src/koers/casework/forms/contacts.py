"""Forms for contacts and guidance hours. The rules live in the contact services and queries."""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from koers.casework.forms.actions import ActionChoices, ActionItemForm
from koers.casework.models import Contact
from koers.casework.queries import contacts as contact_queries
from koers.core import locking
from koers.core.access import Grant
from koers.core.codes import ContactKind
from koers.core.models import Organisation, User
from koers.participants.forms.file import DATE_INPUT
from koers.participants.models import Participant

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
#: How many action items one contact form offers (more can be added on the action items page).
ACTION_ROWS = 2


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(locking.VersionedFormMixin, forms.Form):
    """One contact. Field names follow the model (ids ``id_kind``, ``id_happened_at``, ``id_summary``, ...)."""

    kind = forms.ChoiceField(
        label="Soort contact", choices=ContactKind.choices, initial=ContactKind.GESPREK,
        error_messages={"required": "Kies een soort contact.", "invalid_choice": "Kies een soort contact."},
    )
    happened_at = forms.DateTimeField(
        label="Datum en tijd", widget=DATETIME_INPUT,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={
            "required": "Vul de datum en tijd van het contact in.",
            "invalid": "Vul een geldige datum en tijd in, bijvoorbeeld 31-12-2025 14:30.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Duur in minuten", min_value=1, max_value=contact_queries.MAX_DURATION,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
        help_text="Telt mee voor de begeleidingsuren van uw organisatie.",
        error_messages={
            "required": contact_queries.MSG_DURATION, "invalid": contact_queries.MSG_DURATION,
            "min_value": contact_queries.MSG_DURATION, "max_value": contact_queries.MSG_DURATION,
        },
    )
    third_party = forms.CharField(
        label="Derde partij", required=False, max_length=200,
        help_text="Verplicht bij een driegesprek: met wie (bijvoorbeeld de werkgever of de school).",
    )
    staff = forms.TypedMultipleChoiceField(
        label="Medewerkers die deelnamen", coerce=int, required=False, choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Ook van andere organisaties die bij het traject betrokken zijn.",
        error_messages={"invalid_choice": "Kies alleen medewerkers van organisaties die bij het traject betrokken "
                                          "zijn."},
    )
    participant_present = forms.BooleanField(label="Deelnemer was erbij", required=False, initial=True)
    employer_present = forms.BooleanField(label="Werkgever was erbij", required=False)
    interpreter_present = forms.BooleanField(label="Tolk of bruggenbouwer was erbij", required=False)
    summary = forms.CharField(
        label="Verslag", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Schrijf kort op waar het contact over ging."},
    )
    agreements = forms.CharField(label="Afspraken", required=False, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="Vervolg", required=False, max_length=3000,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Wat er nu gebeurt. Maak er hieronder een actiepunt van als iemand iets "
                                          "moet doen.")
    is_special = forms.BooleanField(
        label="Bevat bijzondere persoonsgegevens (bijvoorbeeld over gezondheid)", required=False,
        help_text="Alleen wie bijzondere persoonsgegevens van deze deelnemer mag inzien, ziet dit contact.",
    )

    def __init__(self, *args, participant: Participant, grant: Grant, staff: list[User],
                 involved_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.grant = grant
        self.involved_ids = involved_ids
        self.staff_by_id = {u.pk: u for u in staff}
        groups: dict[str, list] = {}
        for u in staff:
            groups.setdefault(u.organisation.name, []).append((u.pk, str(u)))
        self.fields["staff"].choices = list(groups.items())
        self.fields["happened_at"].widget.attrs["max"] = _now_minute().strftime(DATETIME_FORMAT)
        if not grant.special:
            del self.fields["is_special"]
            self.fields["summary"].help_text = (
                "U kunt geen bijzondere persoonsgegevens vastleggen: schrijf hier niets over gezondheid."
            )

    def clean_third_party(self):
        return (self.cleaned_data.get("third_party") or "").strip()

    def clean(self):
        data = super().clean()
        if "kind" in data and "happened_at" in data and "duration_minutes" in data:
            errors = contact_queries.check_contact(
                self.participant, self.grant, self.to_data(), involved_ids=self.involved_ids
            )
            for name, message in errors.items():
                if name not in self.errors:
                    self.add_error(name if name in self.fields else None, message)
        return data

    def to_data(self) -> contact_queries.ContactData:
        d = self.cleaned_data
        return contact_queries.ContactData(
            kind=d["kind"], happened_at=d["happened_at"], duration_minutes=d["duration_minutes"],
            summary=d.get("summary") or "", staff=[self.staff_by_id[i] for i in d.get("staff") or []],
            participant_present=bool(d.get("participant_present")), employer_present=bool(d.get("employer_present")),
            interpreter_present=bool(d.get("interpreter_present")), third_party=d.get("third_party") or "",
            agreements=d.get("agreements") or "", follow_up=d.get("follow_up") or "",
            is_special=bool(d.get("is_special")),
        )

    @staticmethod
    def initial_for(user) -> dict:
        return {"happened_at": _now_minute(), "staff": [user.pk], "kind": ContactKind.GESPREK,
                "participant_present": True}

    @staticmethod
    def initial_from(contact: Contact) -> dict:
        return {**contact_queries.editable_values(contact),
                locking.VERSION_FIELD: contact_queries.contact_version(contact)}


class ContactActionForm(ActionItemForm):
    """An optional action item from the contact's follow-up: a row without a title is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].label = "Actiepunt"
        self.fields["title"].help_text = "Laat leeg als er geen actiepunt nodig is."

    def full_clean(self):
        if self.is_bound and not (self.data.get(self.add_prefix("title")) or "").strip():
            self._errors = ErrorDict()
            self.cleaned_data = {"skip": True}
            return
        super().full_clean()

    @property
    def skipped(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("skip"))


def action_forms(data, *, participant: Participant, grant: Grant, choices: ActionChoices, user) -> list:
    initial = choices.new_row_initial(user)
    return [
        ContactActionForm(data, participant=participant, grant=grant, choices=choices, prefix=f"actie-{i}",
                          initial=initial)
        for i in range(ACTION_ROWS)
    ]


class ContactFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", required=False, choices=[("", "Alle soorten")] + ContactKind.choices)
    organisation = forms.TypedChoiceField(label="Organisatie", required=False, coerce=int, empty_value=None,
                                          choices=())
    start = forms.DateField(label="Vanaf", required=False, widget=DATE_INPUT,
                            error_messages={"invalid": "Vul een geldige datum in."})
    end = forms.DateField(label="Tot en met", required=False, widget=DATE_INPUT,
                          error_messages={"invalid": "Vul een geldige datum in."})

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Alle organisaties")] + [(o.pk, o.name) for o in organisations]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "De einddatum ligt voor de begindatum.")
        return data

    def filters(self) -> contact_queries.ContactFilters:
        d = self.cleaned_data if self.is_valid() else {}
        return contact_queries.ContactFilters(kind=d.get("kind") or "", organisation_id=d.get("organisation"),
                                       start=d.get("start"), end=d.get("end"))


def month_start(today: date) -> date:
    return today.replace(day=1)


class PeriodForm(forms.Form):
    """A period of calendar days, both inclusive (default: this month up to today)."""

    start = forms.DateField(label="Vanaf", widget=DATE_INPUT, required=False,
                            error_messages={"invalid": "Vul een geldige datum in."})
    end = forms.DateField(label="Tot en met", widget=DATE_INPUT, required=False,
                          error_messages={"invalid": "Vul een geldige datum in."})

    MAX_DAYS = 731

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "De einddatum ligt voor de begindatum.")
        elif start and end and (end - start).days > self.MAX_DAYS:
            self.add_error("end", "Kies een periode van hoogstens twee jaar.")
        return data

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        d = self.cleaned_data if self.is_valid() else {}
        start = d.get("start") or month_start(today)
        end = d.get("end") or max(today, start)
        if start > end or (end - start).days > self.MAX_DAYS:
            start, end = month_start(today), today
        return start, end
