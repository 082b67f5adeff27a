"""Forms of the plan pages. Validation messages in Dutch, next to the field; the
services check the same rules again (a failed save changes nothing)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from koers.core import access
from koers.core.codes import SPECIAL_DOMAINS, ActionStatus, LifeDomain
from koers.core.models import Organisation, User
from koers.participants.forms.file import DATE_INPUT
from koers.plans.models import GoalStatus, PlanKind, SignMethod
from koers.plans.services import plans as services


class RevisionForm(forms.Form):
    """Every change to a concept carries the revision the editor loaded (optimistic locking)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlanHeaderForm(RevisionForm):
    kind = forms.ChoiceField(label="Soort plan", choices=PlanKind.choices,
                             help_text="PIP voor inburgeringsplichtigen (Wet inburgering 2021), anders een "
                             "toekomstplan of trajectplan.")
    plan_date = forms.DateField(label="Datum plan", widget=DATE_INPUT)
    long_term_goal = forms.CharField(
        label="Stip op de horizon", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Waar wil de deelnemer over een paar jaar staan? In de woorden van de deelnemer.",
    )

    def __init__(self, *args, with_revision: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_revision:
            del self.fields["revision"]

    def clean_plan_date(self):
        value = self.cleaned_data["plan_date"]
        if value > timezone.localdate() + timedelta(days=92):
            raise forms.ValidationError("Deze datum ligt meer dan drie maanden in de toekomst. Klopt het jaartal?")
        return value


class GoalForm(RevisionForm):
    domain = forms.ChoiceField(label="Leefdomein")
    title = forms.CharField(label="Doel", max_length=200,
                            help_text="Kort en concreet, bijvoorbeeld: ‘Zelfstandig de bus nemen naar werk’.")
    description = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label="Streefdatum", required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices, initial=GoalStatus.OPEN)
    next_goal = forms.CharField(
        label="Volgend doel", max_length=200, required=False,
        help_text="Wat komt er als dit doel behaald is? Koers stelt het dan met één klik voor als nieuw doel.",
    )

    def __init__(self, *args, version, special: bool, previous_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version, self.previous_due = version, previous_due
        self.fields["domain"].choices = [("", "Kies een leefdomein")] + [
            (code, label) for code, label in LifeDomain.choices if special or code not in SPECIAL_DOMAINS
        ]

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        problem = services.check_due_date(self.version, due, self.previous_due)
        if problem:
            raise forms.ValidationError(problem)
        return due

    def data_object(self) -> services.GoalData:
        d = self.cleaned_data
        return services.GoalData(domain=d["domain"], title=d["title"], description=d["description"],
                                 due_date=d["due_date"], status=d["status"], next_goal=d["next_goal"])


class StepForm(RevisionForm):
    description = forms.CharField(label="Stap", max_length=300, help_text="Wat gebeurt er, concreet?")
    owner_organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.none(), empty_label="Kies een organisatie",
        help_text="De regie-organisatie of een organisatie die bij het traject betrokken is.",
    )
    owner_user = forms.ModelChoiceField(
        label="Wie zet de stap?", queryset=User.objects.none(), required=False,
        empty_label="De deelnemer zelf", help_text="Een medewerker van de gekozen organisatie, of de deelnemer zelf.",
    )
    due_date = forms.DateField(label="Klaar op", widget=DATE_INPUT)
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, initial=ActionStatus.OPEN)

    def __init__(self, *args, participant, version, goal, previous_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant, self.version, self.goal, self.previous_due = participant, version, goal, previous_due
        # Offered: every active organisation (so a wrong choice gets a clear message rather than vanishing);
        # the involved ones first.
        involved = access.involved_organisations(participant)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["owner_organisation"].choices = [("", "Kies een organisatie")] + [
            (o.pk, o.name) for o in involved
        ]
        self.fields["owner_user"].queryset = access.involved_staff(participant)
        self.fields["owner_user"].label_from_instance = lambda u: f"{u} ({u.organisation})"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors = services.check_step(
            self.participant, self.version, self.goal, organisation=data.get("owner_organisation"),
            owner=data.get("owner_user"), due=data.get("due_date"), previous_due=self.previous_due,
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data

    def data_object(self) -> services.StepData:
        d = self.cleaned_data
        return services.StepData(description=d["description"], owner_organisation=d["owner_organisation"],
                                 owner_user=d["owner_user"], due_date=d["due_date"], status=d["status"])


class AgreementForm(RevisionForm):
    text = forms.CharField(label="Afspraak", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           help_text="Bijvoorbeeld: ‘Nahom meldt zich af bij de taalschool als hij ziek is.’")


class SignForm(RevisionForm):
    method = forms.ChoiceField(label="Hoe is het plan ondertekend?", choices=SignMethod.choices,
                               widget=forms.RadioSelect)
    signed_on = forms.DateField(label="Datum ondertekening", widget=DATE_INPUT, initial=timezone.localdate)
    participant_signed = forms.BooleanField(
        label="De deelnemer heeft het plan gelezen (met tolk of bruggenbouwer als dat nodig was) en ondertekend.",
        required=False,
    )
    document = forms.FileField(
        label="Scan of foto van het ondertekende plan", required=False,
        help_text="Alleen bij ondertekenen op papier. PDF, JPEG of PNG, maximaal 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(label="Opmerking", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("participant_signed"):
            self.add_error("participant_signed", "Het plan wordt samen met de deelnemer ondertekend. Vink aan dat "
                                                 "de deelnemer heeft getekend.")
        if data.get("method") == SignMethod.PAPER:
            problem = services.check_document(data.get("document"))
            if problem:
                self.add_error("document", problem)
        signed_on = data.get("signed_on")
        if signed_on and signed_on > timezone.localdate():
            self.add_error("signed_on", "De datum van ondertekening kan niet in de toekomst liggen.")
        return data
