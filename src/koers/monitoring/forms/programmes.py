"""Forms of the monitoring pages: programmes, projects with their targets, and the report filters.

Writes are small and have no participant data; ``save_programme`` / ``save_project`` do them in one transaction
and log to ``koers.security`` like the beheer pages do.
"""

from __future__ import annotations

import logging

from django import forms
from django.db import transaction
from django.db.models import Q

from koers.core.codes import Outcome
from koers.core.models import Organisation
from koers.monitoring.models import RESERVED_PROGRAMME_CODES as RESERVED_CODES
from koers.monitoring.models import Programme, Project, ProjectTarget
from koers.monitoring.queries.indicators import Filters
from koers.participants.forms.file import DATE_INPUT

logger = logging.getLogger("koers.security")

#: Outcome codes a project can have a target for (a target of "onbekend" would reward unknown data).
TARGET_OUTCOMES = [(code, label) for code, label in Outcome.choices if code != Outcome.ONBEKEND]

MSG_RATIONALE_MISSING = ("Geef een onderbouwing bij dit doel: waarom is dit aantal haalbaar voor deze doelgroep "
                         "en met deze aanpak? Een doel zonder onderbouwing wordt niet opgeslagen.")
MSG_COUNT_MISSING = "Vul ook het aantal in, of maak de onderbouwing leeg als er voor deze uitstroom geen doel is."
MSG_DATES = "De einddatum ligt vóór de startdatum."


def _check_period(form: forms.Form, start_field: str = "starts_on", end_field: str = "ends_on") -> None:
    start, end = form.cleaned_data.get(start_field), form.cleaned_data.get(end_field)
    if start and end and end < start:
        form.add_error(end_field, MSG_DATES)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "code", "funder", "starts_on", "ends_on", "description", "research_organisations"]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
            "research_organisations": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "code": "Korte code in kleine letters, cijfers en streepjes, bijvoorbeeld nbnb. Staat in de adressen "
                    "van de pagina's en in de bestandsnamen van de exports; na het aanmaken niet meer te wijzigen.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["research_organisations"]
        field.queryset = Organisation.objects.filter(is_active=True).order_by("name")
        field.required = False
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "De code staat in adressen en bestandsnamen en blijft daarom gelijk."

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.instance.pk:
            code = code.lower()
            if code in RESERVED_CODES:
                raise forms.ValidationError("Deze code is gereserveerd. Kies een andere code.")
        return code

    def clean(self):
        cleaned = super().clean()
        _check_period(self)
        return cleaned


def save_programme(user, form: ProgrammeForm) -> Programme:
    """Create (owner = the user's organisation) or update a programme from a valid form."""
    creating = form.instance.pk is None
    with transaction.atomic():
        programme = form.save(commit=False)
        if creating:
            programme.owner_id = user.organisation_id
        programme.save()
        form.save_m2m()
    logger.info("monitoring programme %s: %s (%s) by user %s", "created" if creating else "updated",
                programme.pk, programme.code, user.pk)
    return programme


class ProjectForm(forms.ModelForm):
    """A project with its intervention logic and, per outcome code, an optional target that needs a rationale."""

    class Meta:
        model = Project
        fields = [
            "name", "code", "organisation", "tranche", "starts_on", "ends_on", "target_group",
            "planned_participants", "duration", "intensity", "entry_point", "problem", "instruments",
            "mechanisms", "intermediate_goals",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "target_group": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "instruments": forms.Textarea(attrs={"rows": 3}),
            "mechanisms": forms.Textarea(attrs={"rows": 3}),
            "intermediate_goals": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": "Korte code, uniek binnen het programma (bijvoorbeeld kim of vw2). Het importbestand van "
                    "deelnemers verwijst met deze code naar het project.",
            "tranche": "Een volgende tranche is een apart project, bijvoorbeeld 2020.",
            "duration": "Bijvoorbeeld: 2 jaar, traject 6 maanden.",
            "intensity": "Bijvoorbeeld: 3 dagen per week, 1–2 uur begeleiding.",
            "entry_point": "Waar grijpt de aanpak aan: bij de deelnemer, bij de werkgever of bij de match?",
            "problem": "Welk probleem lost het project op?",
            "instruments": "Wat doet het project: training, coaching, werkervaringsplaats, matching …",
            "mechanisms": "Waarom zou dat werken?",
            "intermediate_goals": "Wat is bereikt voordat de uitstroom te meten is?",
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        org = self.fields["organisation"]
        org.queryset = Organisation.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.organisation_id or 0)
        ).order_by("name")
        org.empty_label = "Nog niet bekend"
        existing = {t.outcome: t for t in self.instance.targets.all()} if self.instance.pk else {}
        self.target_fields: list[tuple[str, str, str, str]] = []  # outcome, label, count field, rationale field
        for code, label in TARGET_OUTCOMES:
            count_name, why_name = f"doel_{code}", f"onderbouwing_{code}"
            target = existing.get(code)
            self.fields[count_name] = forms.IntegerField(
                label=f"Doel {label.lower()} (aantal deelnemers)", required=False, min_value=0, max_value=100_000,
                initial=target.count if target else None,
                widget=forms.NumberInput(attrs={"class": "input--short", "inputmode": "numeric"}),
            )
            self.fields[why_name] = forms.CharField(
                label=f"Onderbouwing doel {label.lower()}", required=False, max_length=2000,
                initial=target.rationale if target else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Waarom dit aantal: ervaring met eerdere trajecten, de doelgroep, afspraken met de "
                          "financier.",
            )
            self.target_fields.append((code, label, count_name, why_name))

    def target_rows(self):
        """(label, count bound field, rationale bound field) per outcome, for the template."""
        return [(label, self[count], self[why]) for _code, label, count, why in self.target_fields]

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        clash = Project.objects.filter(programme=self.programme, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Dit programma heeft al een project met deze code.")
        return code

    def clean(self):
        cleaned = super().clean()
        _check_period(self)
        total = 0
        for _code, _label, count_name, why_name in self.target_fields:
            count = cleaned.get(count_name)
            why = (cleaned.get(why_name) or "").strip()
            cleaned[why_name] = why
            if count is not None and not why:
                self.add_error(why_name, MSG_RATIONALE_MISSING)
            elif count is None and why and count_name not in self.errors:
                self.add_error(count_name, MSG_COUNT_MISSING)
            total += count or 0
        planned = cleaned.get("planned_participants")
        if planned is not None and total > planned:
            self.add_error(None, f"De doelen tellen op tot {total} deelnemers, meer dan de {planned} geplande "
                                 "deelnemers. Elke deelnemer heeft één uitstroom; verlaag de doelen of verhoog het "
                                 "geplande aantal.")
        return cleaned

    def targets(self) -> dict[str, tuple[int, str]]:
        """outcome → (count, rationale) for the filled-in targets (after validation)."""
        out = {}
        for code, _label, count_name, why_name in self.target_fields:
            if self.cleaned_data.get(count_name) is not None:
                out[code] = (self.cleaned_data[count_name], self.cleaned_data[why_name])
        return out


def save_project(user, form: ProjectForm) -> Project:
    """Create or update a project and replace its targets, in one transaction."""
    creating = form.instance.pk is None
    targets = form.targets()
    with transaction.atomic():
        project = form.save(commit=False)
        project.programme = form.programme
        project.save()
        project.targets.exclude(outcome__in=list(targets)).delete()
        for outcome, (count, rationale) in targets.items():
            ProjectTarget.objects.update_or_create(
                project=project, outcome=outcome, defaults={"count": count, "rationale": rationale},
            )
    logger.info("monitoring project %s: %s (%s/%s) by user %s, targets %s", "created" if creating else "updated",
                project.pk, form.programme.code, project.code, user.pk, sorted(targets))
    return project


class ReportFilterForm(forms.Form):
    """The report's filters (GET). Projects and organisations are limited to what the scope shows."""

    projects = forms.ModelMultipleChoiceField(
        label="Projecten", required=False, queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Niets aangevinkt: alle projecten.",
        error_messages={"invalid_choice": "Kies alleen projecten uit de lijst."},
    )
    organisation = forms.ModelChoiceField(
        label="Uitvoerende organisatie", required=False, queryset=Organisation.objects.none(),
        empty_label="Alle organisaties",
        error_messages={"invalid_choice": "Kies een organisatie uit de lijst."},
    )
    date_from = forms.DateField(label="Actief vanaf", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="Actief tot en met", required=False, widget=DATE_INPUT)
    extern = forms.BooleanField(
        label="Versie voor externe partijen (aantallen onder de 5 afgeschermd)", required=False,
        help_text="Voor de financier of andere partijen buiten de betrokken organisaties.",
    )

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        projects = scope.projects().order_by("name")
        self.fields["projects"].queryset = projects
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=projects.exclude(organisation=None).values("organisation_id")
        ).order_by("name")
        if scope.external:
            self.fields["extern"].disabled = True
            self.fields["extern"].initial = True
            self.fields["extern"].help_text = "Voor uw rol worden aantallen onder de 5 altijd afgeschermd."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Deze datum ligt vóór ‘Actief vanaf’.")
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            project_ids=tuple(sorted(p.pk for p in data.get("projects") or ())),
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("projects") or data.get("organisation") or data.get("date_from")
                    or data.get("date_to"))
