"""Forms for the casusoverleg. The rules live in ``meetings`` (and, for decisions, in ``queries.check_action``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.casework.forms.actions import DEFAULT_TERM, writable_domain_choices
from koers.casework.models import CaseMeeting, CaseMeetingItem
from koers.casework.queries import meetings as meeting_queries
from koers.core.access import Grant
from koers.core.locking import VersionedFormMixin
from koers.core.models import Organisation, User
from koers.participants.forms.file import DATE_INPUT


class DiscussionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Waarom wilt u deze deelnemer bespreken?", max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kort en zakelijk; schrijf geen medische details.",
        error_messages={"required": "Geef aan waarom u deze deelnemer wilt bespreken.",
                        "max_length": "Houd de reden kort: hoogstens 300 tekens."},
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.organisation.name})"


class MeetingForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200, initial="Casusoverleg",
                            error_messages={"required": "Geef het overleg een titel."})
    date = forms.DateField(
        label="Datum", widget=DATE_INPUT,
        error_messages={"required": "Vul de datum van het overleg in.",
                        "invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2026."},
    )
    chair = forms.ModelChoiceField(
        label="Voorzitter", queryset=User.objects.none(), empty_label="Kies de voorzitter",
        help_text="Een regisseur van uw organisatie. De voorzitter stelt de agenda vast en legt de besluiten vast.",
        error_messages={"required": "Kies de voorzitter.",
                        "invalid_choice": "De voorzitter moet een regisseur van uw organisatie zijn."},
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Deelnemende partners", queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Uw eigen organisatie neemt altijd deel. Partners zien alleen de agendapunten van deelnemers "
                  "bij wie zij betrokken zijn.",
        error_messages={"invalid_choice": "Kies alleen partners die bij trajecten van uw gemeente betrokken zijn."},
    )
    attendees = StaffChoiceField(
        label="Aanwezigen", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Medewerkers van uw organisatie en van de gekozen partners. De voorzitter is altijd aanwezig.",
        error_messages={"invalid_choice": "Kies medewerkers van de deelnemende organisaties."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        org_id = user.organisation_id
        self.fields["chair"].queryset = meeting_queries.chair_candidates(org_id)
        partners = meeting_queries.partner_organisations(org_id)
        self.fields["organisations"].queryset = partners
        self.fields["attendees"].queryset = meeting_queries.attendee_candidates(
            [org_id, *partners.values_list("pk", flat=True)])
        if not self.is_bound and user.has_role("regisseur"):
            self.initial.setdefault("chair", user.pk)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors = meeting_queries.check_meeting(self.user.organisation_id, self.to_draft())
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def to_draft(self) -> meeting_queries.MeetingDraft:
        d = self.cleaned_data
        return meeting_queries.MeetingDraft(
            date=d["date"], title=d["title"], chair_id=d["chair"].pk,
            organisation_ids=[o.pk for o in d.get("organisations") or []],
            attendee_ids=[u.pk for u in d.get("attendees") or []],
        )


class AcceptProposalForm(forms.Form):
    """The proposals the chair takes over (rendered by hand in the template, with the reasons)."""

    participants = forms.TypedMultipleChoiceField(
        label="Voorgestelde deelnemers", coerce=int, choices=(),
        error_messages={"required": "Kies minstens één deelnemer uit het voorstel.",
                        "invalid_choice": "Kies deelnemers uit het voorstel; het voorstel is misschien veranderd."},
    )

    def __init__(self, *args, proposal: meeting_queries.AgendaProposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [(p.participant.pk, p.participant.name) for p in proposal.proposals]


class AddParticipantForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Reden", max_length=300, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label="Deelnemer zoeken (naam of nummer)", max_length=100, required=False)


class ItemMinutesForm(VersionedFormMixin, forms.Form):
    """The minutes of one agenda item and, optionally, one new decision."""

    note = forms.CharField(label="Verslag", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    note_is_special = forms.BooleanField(
        label="Verslag bevat bijzondere persoonsgegevens (bijvoorbeeld over gezondheid)", required=False,
        help_text="Dan zien alleen deelnemers aan het overleg met een grondslag voor bijzondere gegevens het verslag.",
    )
    discussed = forms.BooleanField(label="Besproken", required=False)
    decision_title = forms.CharField(label="Besluit (wordt een actiepunt)", required=False, max_length=200)
    decision_domain = forms.ChoiceField(label="Leefdomein", required=False, choices=(),
                                        error_messages={"invalid_choice": "Kies een leefdomein uit de lijst."})
    decision_owner = forms.TypedChoiceField(
        label="Organisatie die het uitvoert", coerce=int, empty_value=None, required=False, choices=(),
        error_messages={"invalid_choice": "Kies een deelnemende organisatie die bij het traject betrokken is."},
    )
    decision_assignee = forms.TypedChoiceField(
        label="Uitvoerder", coerce=int, empty_value=None, required=False, choices=(),
        error_messages={"invalid_choice": "Kies een medewerker van een deelnemende organisatie."},
    )
    decision_due = forms.DateField(
        label="Uiterlijk op", required=False, widget=DATE_INPUT,
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 31-12-2026."},
    )

    #: Form field → the field names queries.check_action reports on.
    DECISION_FIELDS = {"owner_organisation": "decision_owner", "assignee": "decision_assignee",
                       "due_date": "decision_due"}

    def __init__(self, *args, meeting: CaseMeeting, item: CaseMeetingItem, grant: Grant,
                 organisations: list[Organisation], staff: list[User], **kwargs):
        kwargs.setdefault("prefix", f"item-{item.pk}")
        kwargs.setdefault("initial", {
            "note": item.note if grant.special or not item.note_is_special else "",
            "note_is_special": item.note_is_special, "discussed": item.discussed,
            "decision_due": timezone.localdate() + DEFAULT_TERM,
        })
        # The item's minutes as opened (optimistic locking: a colleague's save meanwhile is not overwritten).
        super().__init__(*args, version=meeting_queries.item_version(item), **kwargs)
        self.meeting, self.item, self.grant = meeting, item, grant
        self.stale = None  # the refused save's locking.StaleEdit, shown above the form
        self.fields["decision_domain"].choices = writable_domain_choices(grant)
        self.fields["decision_owner"].choices = [("", "Kies een organisatie")] + [(o.pk, o.name) for o in organisations]
        org_ids = {o.pk for o in organisations}
        groups: dict[str, list] = {}
        for u in staff:
            if u.organisation_id in org_ids:
                groups.setdefault(u.organisation.name, []).append((u.pk, str(u)))
        self.fields["decision_assignee"].choices = [("", "Nog niemand (de organisatie verdeelt het)")] + list(
            groups.items())
        self.fields["decision_due"].widget.attrs["min"] = timezone.localdate().isoformat()
        if not grant.special:
            del self.fields["note_is_special"]

    @property
    def has_decision(self) -> bool:
        d = self.cleaned_data
        return bool((d.get("decision_title") or "").strip())

    def clean(self):
        data = super().clean()
        if self.errors or not self.has_decision:
            return data
        if not data.get("decision_owner"):
            self.add_error("decision_owner", "Kies de organisatie die het besluit uitvoert.")
        if not data.get("decision_due"):
            self.add_error("decision_due", "Vul de datum in waarop het actiepunt klaar moet zijn.")
        if self.errors:
            return data
        errors = meeting_queries.check_decision(self.meeting, self.item.participant, self.decision())
        for name, message in errors.items():
            self.add_error(self.DECISION_FIELDS.get(name), message)
        return data

    def decision(self) -> meeting_queries.DecisionDraft | None:
        if not self.has_decision:
            return None
        d = self.cleaned_data
        return meeting_queries.DecisionDraft(
            title=d["decision_title"].strip(), owner_organisation_id=d.get("decision_owner"),
            due_date=d.get("decision_due"), domain=d.get("decision_domain") or "",
            assignee_id=d.get("decision_assignee"),
        )
