"""Forms for action items. The rules themselves live in queries.check_action (one place)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from koers.casework.queries import actions as action_queries
from koers.casework.services import actions as services
from koers.core import access
from koers.core.access import Grant
from koers.core.codes import DOMAIN_CATEGORY, ActionStatus, LifeDomain
from koers.core.models import Organisation, User
from koers.participants.forms.file import DATE_INPUT
from koers.participants.models import Participant

#: The proposed due date of a new action item.
DEFAULT_TERM = timedelta(weeks=4)


@dataclass
class ActionChoices:
    """The organisations and staff an action item of one participant can go to, loaded once per page."""

    organisations: list[Organisation]
    staff: list[User]
    involved_ids: list[int] = field(default_factory=list)

    @classmethod
    def for_participant(cls, participant: Participant) -> ActionChoices:
        return cls(
            organisations=list(access.involved_organisations(participant)),
            staff=list(access.involved_staff(participant)),
            involved_ids=access.involved_organisation_ids(participant),
        )

    def new_row_initial(self, user) -> dict:
        """A new action item starts with the user's own organisation (when involved) and a term of four weeks."""
        return {"owner_organisation": self.default_organisation_id(user),
                "due_date": timezone.localdate() + DEFAULT_TERM}

    def default_organisation_id(self, user) -> int | None:
        ids = [o.pk for o in self.organisations]
        if user.organisation_id in ids:
            return user.organisation_id
        return ids[0] if ids else None


def writable_domain_choices(grant: Grant) -> list[tuple[str, str]]:
    return [("", "Geen (algemeen)")] + [(d, label) for d, label in LifeDomain.choices
                                        if DOMAIN_CATEGORY[d] in grant.write]


class ActionItemForm(forms.Form):
    title = forms.CharField(
        label="Actiepunt", max_length=200,
        error_messages={"required": "Beschrijf kort wat er moet gebeuren."},
    )
    description = forms.CharField(
        label="Toelichting", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    domain = forms.ChoiceField(
        label="Leefdomein", required=False, choices=(),
        error_messages={"invalid_choice": "U kunt geen actiepunt vastleggen op dit leefdomein."},
    )
    owner_organisation = forms.TypedChoiceField(
        label="Organisatie", coerce=int, choices=(), help_text="De organisatie die het actiepunt uitvoert.",
        error_messages={
            "required": "Kies de organisatie die het actiepunt uitvoert.",
            "invalid_choice": action_queries.NOT_INVOLVED_ORG,
        },
    )
    assignee = forms.TypedChoiceField(
        label="Uitvoerder", coerce=int, empty_value=None, required=False, choices=(),
        help_text="Een medewerker van de gekozen organisatie. Leeg: de organisatie verdeelt het zelf.",
        error_messages={
            "invalid_choice": "Deze medewerker werkt niet bij een organisatie die bij het traject betrokken is.",
        },
    )
    due_date = forms.DateField(
        label="Uiterlijk op", widget=DATE_INPUT,
        error_messages={
            "required": "Vul de datum in waarop het actiepunt klaar moet zijn.",
            "invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2026.",
        },
    )

    def __init__(self, *args, participant: Participant, grant: Grant, choices: ActionChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.choices = choices
        self.fields["domain"].choices = writable_domain_choices(grant)
        self.fields["owner_organisation"].choices = [("", "Kies een organisatie")] + [
            (o.pk, o.name) for o in choices.organisations
        ]
        groups: dict[str, list] = {}
        for u in choices.staff:
            groups.setdefault(u.organisation.name, []).append((u.pk, str(u)))
        self.fields["assignee"].choices = [("", "Nog niemand (de organisatie verdeelt het)")] + list(groups.items())
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        orgs = {o.pk: o for o in self.choices.organisations}
        staff = {u.pk: u for u in self.choices.staff}
        errors = action_queries.check_action(
            self.participant, domain=data.get("domain") or "",
            owner_organisation=orgs.get(data.get("owner_organisation")),
            assignee=staff.get(data["assignee"]) if data.get("assignee") else None,
            due_date=data.get("due_date"), involved_ids=self.choices.involved_ids,
        )
        for name, message in errors.items():
            if name not in self.errors:  # a field with an error of its own keeps that one
                self.add_error(name, message)
        return data

    @property
    def domain_label(self) -> str:
        code = self.data.get(self.add_prefix("domain")) if self.is_bound else self.initial.get("domain")
        return LifeDomain(code).label if code in LifeDomain.values else ""

    def to_draft(self, user) -> services.ActionDraft:
        d = self.cleaned_data
        return services.ActionDraft(
            title=d["title"].strip(), description=(d.get("description") or "").strip(), domain=d.get("domain") or "",
            owner_organisation_id=d["owner_organisation"], assignee_id=d.get("assignee"), due_date=d["due_date"],
            created_by_id=user.pk,
        )


class IntakeActionForm(ActionItemForm):
    """A row of the intake's action plan: a proposal can be left out."""

    skip = forms.BooleanField(label="Niet opnemen", required=False)

    def full_clean(self):
        if self.is_bound and self.fields["skip"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("skip")
        ):
            self._errors = ErrorDict()
            self.cleaned_data = {"skip": True}
            return
        super().full_clean()

    @property
    def skipped(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("skip"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Nieuwe status", choices=ActionStatus.choices,
        error_messages={"invalid_choice": "Kies een geldige status."},
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("lopend", "Open en bezig"), ("alle", "Alle")] + ActionStatus.choices,
    )


# --- The intake's closing step (casework/intake_views.py) ----------------------------------------------------

class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Samenvatting en conclusie", required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="De belangrijkste punten en afspraken uit het gesprek, in gewone woorden.",
    )


class BaseActionFormSet(forms.BaseFormSet):
    """The action plan: proposals (initial rows) and one new row that starts with sensible defaults."""

    def __init__(self, *args, extra_initial: dict | None = None, **kwargs):
        self.extra_initial = extra_initial or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= len(self.initial or ()):
            kwargs["initial"] = dict(self.extra_initial)  # an untouched new row stays empty (has_changed)
        return kwargs


ActionFormSet = forms.formset_factory(
    IntakeActionForm, formset=BaseActionFormSet, extra=1, max_num=40, validate_max=True
)
