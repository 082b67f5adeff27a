"""Forms for the catalogue and enrolments. Business rules live in services.py; forms check input shape."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from koers.activities.models import Activity, ActivitySlot, Group
from koers.activities.queries import activities as queries
from koers.activities.rules.schedule import times_overlap
from koers.activities.services import activities as services
from koers.core import access
from koers.core.codes import (
    LEVEL_ORDER,
    ActivityKind,
    DropoutReason,
    EnrolmentStatus,
    LanguageLevel,
    LanguageSkill,
    language_choices,
)
from koers.core.models import Organisation
from koers.participants.forms.file import DATE_INPUT

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LEVEL_CHOICES = [("", "Geen eis")] + [(c, c) for c, _ in LanguageLevel.choices if c in LEVEL_ORDER]


class ActivityForm(forms.ModelForm):
    language = forms.ChoiceField(label="Voertaal", choices=())
    follows = forms.ModelChoiceField(
        label="Volgt op themabijeenkomst", required=False, queryset=Activity.objects.none(),
        empty_label="Geen (geen tweestapsmodel)",
        error_messages={"invalid_choice": "Kies een themabijeenkomst in de eigen taal uit de lijst."},
        help_text="Tweestapsmodel: de Nederlandse les bouwt voort op deze themabijeenkomst in de eigen taal.",
    )

    class Meta:
        model = Activity
        fields = [
            "title", "kind", "description", "theme", "follows", "is_group", "delivery", "location", "language",
            "start_date", "end_date", "min_group_size", "max_group_size", "certificate", "is_published",
        ]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "is_published": "Gepubliceerde activiteiten ziet iedereen in de catalogus; andere alleen uw organisatie.",
            "certificate": "Bijvoorbeeld: VCA Basis. Leeg als er geen certificaat is.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        if not self.instance.pk:
            self.initial.setdefault("language", "nl")
        self.fields["follows"].queryset = queries.theme_meetings(user, exclude=self.instance.pk)
        self.fields["follows"].label_from_instance = lambda a: f"{a.title} ({a.provider.name})"
        for skill, label in LanguageSkill.choices:
            self.fields[f"level_{skill}"] = forms.ChoiceField(
                label=label, required=False, choices=LEVEL_CHOICES,
                initial=(self.instance.required_levels or {}).get(skill, ""),
            )

    @property
    def level_fields(self):
        return [self[f"level_{skill}"] for skill in LanguageSkill.values]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "De einddatum ligt vóór de startdatum.")
        lo, hi = data.get("min_group_size"), data.get("max_group_size")
        if lo is not None and hi is not None and hi < lo:
            self.add_error("max_group_size", "De maximale groepsgrootte is kleiner dan de minimale.")
        if not data.get("is_group") and (lo or hi):
            self.add_error("min_group_size", "Een groepsgrootte hoort alleen bij een groepsactiviteit.")
        follows = data.get("follows")
        if follows is not None and data.get("kind") == ActivityKind.THEMA_EIGEN_TAAL:
            self.add_error("follows", "Een themabijeenkomst in de eigen taal is zelf de eerste stap.")
        if follows is not None and not data.get("theme"):
            data["theme"] = follows.theme
        return data

    def values(self) -> dict:
        """What ``services.save_activity`` writes: the activity's fields and the required language levels."""
        values = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.cleaned_data}
        values["required_levels"] = {
            skill: self.cleaned_data[f"level_{skill}"]
            for skill in LanguageSkill.values
            if self.cleaned_data.get(f"level_{skill}")
        }
        return values


class SlotForm(forms.ModelForm):
    class Meta:
        model = ActivitySlot
        fields = ["weekday", "start_time", "end_time"]
        widgets = {"start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "De eindtijd ligt niet na de begintijd (een tijdblok valt binnen één dag).")
        return data


class BaseSlotFormSet(forms.BaseInlineFormSet):
    def slots(self) -> list[dict]:
        """The weekly pattern as entered: every filled-in block that is not marked for removal."""
        return [
            {k: f.cleaned_data[k] for k in ("weekday", "start_time", "end_time")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("weekday") is not None
        ]

    def clean(self):
        super().clean()
        slots = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or form.errors:
                continue
            d = form.cleaned_data
            for other in slots:
                if other["weekday"] == d["weekday"] and times_overlap(
                    other["start_time"], other["end_time"], d["start_time"], d["end_time"]
                ):
                    raise forms.ValidationError(
                        "Twee tijdblokken overlappen elkaar op dezelfde dag. Voeg ze samen of pas de tijden aan."
                    )
            slots.append(d)


SlotFormSet = forms.inlineformset_factory(
    Activity, ActivitySlot, form=SlotForm, formset=BaseSlotFormSet, extra=2, can_delete=True, max_num=14,
    validate_max=True,
)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}), help_text="Titel, thema of omschrijving.")
    kind = forms.ChoiceField(label="Soort", required=False, choices=[("", "Alle soorten")] + ActivityKind.choices)
    provider = forms.TypedChoiceField(label="Aanbieder", required=False, coerce=int, empty_value=None, choices=())
    language = forms.ChoiceField(label="Voertaal", required=False, choices=())
    current = forms.BooleanField(label="Alleen lopende en komende activiteiten", required=False)

    def __init__(self, *args, providers=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Alle aanbieders")] + [(o.pk, o.name) for o in providers]
        names = dict(language_choices())
        self.fields["language"].choices = [("", "Alle talen")] + [(c, names.get(c, c)) for c in languages]


def catalogue_filter_choices(user) -> tuple[list[Organisation], list[str]]:
    qs = queries.catalogue(user)
    providers = list(Organisation.objects.filter(pk__in=qs.values("provider_id")).only("id", "name").order_by("name"))
    languages = sorted(set(qs.values_list("language", flat=True)))
    return providers, languages


class EnrolForm(forms.Form):
    """An enrolment from the participant's page (choose an activity) or the activity's page (choose a
    participant among those the user may enrol)."""

    activity = forms.ModelChoiceField(
        label="Activiteit", queryset=Activity.objects.none(),
        error_messages={"invalid_choice": "Kies een activiteit uit de lijst.",
                        "required": "Kies een activiteit."},
    )
    participant = forms.ModelChoiceField(
        label="Deelnemer", queryset=Activity.objects.none(),
        error_messages={"invalid_choice": "Kies een deelnemer uit de lijst.", "required": "Kies een deelnemer."},
    )
    start_date = forms.DateField(label="Start", widget=DATE_INPUT)
    end_date = forms.DateField(
        label="Einde", required=False, widget=DATE_INPUT,
        help_text="Leeg: tot het einde van de activiteit.",
    )
    status = forms.ChoiceField(
        label="Status", choices=[(s, EnrolmentStatus(s).label) for s in services.START_STATUSES],
        initial=EnrolmentStatus.AANGEMELD,
    )
    group = forms.ModelChoiceField(
        label="Groep", queryset=Group.objects.none(), required=False,
        empty_label="Koers kiest de groep met de meeste ruimte",
        help_text="Alleen bij een activiteit met groepen. Leeg: de groep met de meeste ruimte.",
        error_messages={"invalid_choice": "Kies een groep uit de lijst."},
    )

    def __init__(self, *args, user, activity=None, participant=None, grant=None, participant_search="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_activity, self.fixed_participant = activity, participant
        self.shown_participants: list = []
        if activity is not None:
            del self.fields["activity"]
            valid, shown = queries.enrolable_participants(user, activity, participant_search)
            field = self.fields["participant"]
            field.queryset = valid
            field.widget.choices = [("", "Kies een deelnemer")] + [(p.pk, p.name) for p in shown]
            self.initial.setdefault("start_date", max(activity.start_date, timezone.localdate()))
            self.shown_participants = shown
        else:
            del self.fields["participant"]
            field = self.fields["activity"]
            field.queryset = queries.enrolable_activities(user, grant)
            field.label_from_instance = lambda a: f"{a.title} — {a.provider.name} ({a.get_kind_display()})"
            self.initial.setdefault("start_date", timezone.localdate())
        self._set_group_choices(activity)

    def _set_group_choices(self, activity) -> None:
        """The groups of the fixed activity, or of every activity in the list (grouped per activity); no field
        when there are none."""
        groups = queries.enrolable_groups(activity if activity is not None else self.fields["activity"].queryset)
        if not groups:
            del self.fields["group"]
            return
        field = self.fields["group"]
        field.queryset = Group.objects.filter(pk__in=[g.pk for g in groups])
        if activity is not None:
            field.choices = [("", field.empty_label), *((g.pk, g.name) for g in groups)]
            return
        per_activity: dict = {}
        for g in groups:
            per_activity.setdefault(g.activity, []).append((g.pk, g.name))
        field.choices = [("", field.empty_label), *((a.title, options) for a, options in per_activity.items())]
        field.help_text = "Alleen bij een activiteit met groepen; kies een groep van de gekozen activiteit. " \
                          "Leeg: de groep met de meeste ruimte."

    def clean(self):
        data = super().clean()
        activity = self.fixed_activity or data.get("activity")
        group = data.get("group")
        if group is not None and activity is not None and group.activity_id != activity.pk:
            self.add_error("group", f"De groep ‘{group.name}’ hoort niet bij ‘{activity.title}’. Kies een groep van "
                                    "deze activiteit of laat het veld leeg.")
        if activity is not None and data.get("start_date"):
            for name, message in services.period_errors(activity, data["start_date"], data.get("end_date")).items():
                self.add_error(name, message)
        return data


class ConfirmForm(forms.Form):
    """The explicit reasons for enrolling despite requirement gaps or schedule conflicts."""

    requirement_override = forms.CharField(
        label="Reden om af te wijken van de instapeisen", max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Geef een reden om de deelnemer toch in te schrijven."},
    )
    conflict_override = forms.CharField(
        label="Reden om ondanks het roosterconflict in te schrijven", max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Geef een reden om ondanks het conflict in te schrijven."},
    )

    def __init__(self, *args, check: services.EnrolmentCheck, **kwargs):
        super().__init__(*args, prefix="confirm", **kwargs)
        if check.needs_requirement_reason:
            self.fields["requirement_override"].required = True
        else:
            del self.fields["requirement_override"]
        if check.needs_conflict_reason:
            self.fields["conflict_override"].required = True
        else:
            del self.fields["conflict_override"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Nieuwe status", choices=())
    on = forms.DateField(label="Datum", required=False, widget=DATE_INPUT,
                         help_text="Bij afronden of uitval: de laatste dag van deelname.")
    reason = forms.ChoiceField(label="Reden van uitval", required=False,
                               choices=[("", "—")] + DropoutReason.choices)
    note = forms.CharField(label="Toelichting", required=False, max_length=300)
    note_is_special = forms.BooleanField(
        label="De toelichting gaat over gezondheid (bijzonder persoonsgegeven)", required=False,
        help_text="Dan zien alleen medewerkers die bijzondere persoonsgegevens van deze deelnemer mogen zien de "
                  "toelichting. Bij een reden die over gezondheid gaat, gebeurt dit altijd.",
    )

    def __init__(self, *args, enrolment, grant=None, **kwargs):
        super().__init__(*args, **kwargs)
        if grant is not None and not access.may_record_special(grant):
            # Health reasons are not offered to users without the special category (the service refuses them too).
            self.fields["reason"].choices = access.dropout_reason_choices(grant, self.fields["reason"].choices)
            self.fields["reason"].help_text = (
                "Redenen die over gezondheid gaan, legt de regisseur (of wie toestemming heeft voor bijzondere "
                "persoonsgegevens) vast. Kies anders ‘overig’ en vink hieronder aan dat de toelichting over "
                "gezondheid gaat."
            )
            self.fields["reason"].error_messages["invalid_choice"] = (
                "Deze reden mag u niet kiezen. Kies een van de redenen in de lijst."
            )
        self.fields["status"].choices = [(s, EnrolmentStatus(s).label) for s in services.TRANSITIONS[enrolment.status]]
        self.initial.setdefault("on", timezone.localdate())
