"""Forms of programmes and projects (with their targets). They parse and validate; services/programmes.py writes."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from koers.core.codes import Outcome
from koers.core.models import Organisation
from koers.monitoring.models import RESERVED_PROGRAMME_CODES as RESERVED_CODES
from koers.monitoring.models import Programme, Project
from koers.participants.forms.file import DATE_INPUT

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

    def values(self) -> dict:
        """The programme's fields for ``services.programmes.save_programme`` (after validation)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "research_organisations"}


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

    def values(self) -> dict:
        """The project's fields for ``services.programmes.save_project`` (after validation)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def targets(self) -> dict[str, tuple[int, str]]:
        """outcome → (count, rationale) for the filled-in targets (after validation)."""
        out = {}
        for code, _label, count_name, why_name in self.target_fields:
            if self.cleaned_data.get(count_name) is not None:
                out[code] = (self.cleaned_data[count_name], self.cleaned_data[why_name])
        return out
