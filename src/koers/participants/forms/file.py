"""Forms of the participant file, one per section. Each section belongs to one data category (access)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from koers.core.codes import (
    DAGDELEN,
    DAYS,
    LEVEL_ORDER,
    PARTS,
    SPECIAL_BARRIERS,
    Barrier,
    BarrierStatus,
    Category,
    LanguageLevel,
    LanguageSkill,
    LanguageTestSource,
    LearningRoute,
    LegalBasis,
    MigrationStatus,
    Phase,
    Role,
    Sector,
    country_choices,
    language_choices,
)
from koers.core.locking import VERSION_FIELD, VersionedFormMixin
from koers.core.models import Organisation, User
from koers.participants import validators
from koers.participants.models import Membership, Participant, WorkExperience
from koers.participants.queries import file as file_queries
from koers.participants.services import file as services

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SelectCountry(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[("", "Onbekend")] + country_choices(), required=False, **kwargs)


class ParticipantSectionForm(VersionedFormMixin, forms.ModelForm):
    """Base: Dutch date inputs and the list of fields this section writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE_INPUT
        if self.instance.pk is not None:  # the version update_section checks (core.locking)
            self.fields[VERSION_FIELD].initial = services.section_version(self.instance,
                                                                          services.section_fields(type(self)))

    def values(self) -> dict:
        """What ``services.update_section`` writes: the validated value of every field of this section."""
        return {f: self.cleaned_data[f] for f in services.section_fields(type(self)) if f in self.cleaned_data}


class IdentityForm(ParticipantSectionForm):
    languages = forms.MultipleChoiceField(
        label="Eigen taal of talen",
        required=False,
        choices=language_choices,
        help_text="Houd Ctrl (of Cmd) ingedrukt om meer talen te kiezen. De eerste is de moedertaal.",
    )
    country_of_origin = SelectCountry(label="Land van herkomst")

    class Meta:
        model = Participant
        fields = [
            "name",
            "preferred_name",
            "date_of_birth",
            "gender",
            "country_of_origin",
            "languages",
            "interpreter_needed",
            "bsn",
            "street",
            "postcode",
            "city",
            "phone",
            "email",
        ]

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "").strip().upper()
        return f"{value[:4]} {value[-2:]}" if len(value.replace(" ", "")) == 6 else value

    def clean_bsn(self):
        bsn = self.cleaned_data.get("bsn", "").strip()
        if bsn and file_queries.bsn_in_use(bsn, except_pk=self.instance.pk):
            # Not which municipality: the number may belong to a participant this user may not see.
            raise forms.ValidationError(
                "Er staat al een deelnemer met dit BSN in Koers. Zoek hem op in de deelnemerslijst. Vindt u hem "
                "niet, dan staat hij bij een andere organisatie: vraag uw functioneel beheerder om hulp.",
                code="bsn_in_use",
            )
        return bsn


class TrajectoryForm(ParticipantSectionForm):
    class Meta:
        model = Participant
        fields = [
            "phase",
            "regisseur",
            "migration_status",
            "integration_obliged",
            "settled_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org_id = self.instance.regie_organisation_id
        self.fields["regisseur"].queryset = User.objects.filter(
            organisation_id=org_id, is_active=True, roles__role=Role.REGISSEUR
        ).distinct()
        self.fields["regisseur"].help_text = "Verantwoordelijke klantmanager bij de regie-organisatie."

    def clean_settled_on(self):
        value = self.cleaned_data.get("settled_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Deze datum ligt in de toekomst. Vul de datum van vestiging in.")
        return value


class DagdelenWidget(forms.CheckboxSelectMultiple):
    template_name = "participants/widgets/dagdelen.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = set(value or [])
        context["widget"]["days"] = DAYS
        context["widget"]["rows"] = [
            (
                part_label,
                [(f"{d}_{p}", f"{day_label} {part_label}", f"{d}_{p}" in selected) for d, day_label in DAYS],
            )
            for p, part_label in PARTS
        ]
        return context


class HouseholdForm(ParticipantSectionForm):
    availability_known = forms.BooleanField(
        label="Beschikbaarheid is besproken",
        required=False,
        help_text=(
            "Niet aangevinkt: beschikbaarheid onbekend. Aangevinkt zonder dagdelen: geen dagdelen beschikbaar."
        ),
    )
    availability = forms.MultipleChoiceField(
        label="Beschikbare dagdelen", required=False, choices=DAGDELEN, widget=DagdelenWidget
    )

    class Meta:
        model = Participant
        fields = ["has_partner", "children_count", "childcare_needed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["availability_known"] = self.instance.availability is not None
            self.initial["availability"] = self.instance.availability or []

    def clean(self):
        data = super().clean()
        if not data.get("availability_known") and data.get("availability"):
            self.add_error("availability_known", "Vink dit aan als u dagdelen invult.")
        return data

    def values(self) -> dict:
        values = super().values()
        known = self.cleaned_data.get("availability_known")
        values["availability"] = sorted(self.cleaned_data.get("availability") or []) if known else None
        return values


class LanguageEducationForm(ParticipantSectionForm):
    class Meta:
        model = Participant
        fields = [
            "education_level",
            "education_field",
            "diploma_valuation",
            "diploma_valuation_result",
            "digital_skills",
        ]


class IncomeForm(ParticipantSectionForm):
    class Meta:
        model = Participant
        fields = ["benefit"]


class WishesForm(ParticipantSectionForm):
    sector_interests = forms.MultipleChoiceField(
        label="Sectoren met interesse",
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Participant
        fields = ["dream_job", "plan_b", "sector_interests"]


class BarriersForm(VersionedFormMixin, forms.Form):
    """Barriers: 'niet gevraagd' and 'geen' are distinct; health barriers only for those who may see them."""

    barrier_status = forms.ChoiceField(
        label="Belemmeringen", choices=BarrierStatus.choices, widget=forms.RadioSelect
    )
    barriers = forms.MultipleChoiceField(
        label="Welke belemmeringen", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, participant: Participant, special: bool, **kwargs):
        self.participant = participant
        self.special = special
        current = [b.code for b in participant.barriers.all()]
        initial = {
            "barrier_status": participant.barrier_status,
            "barriers": [c for c in current if special or c not in SPECIAL_BARRIERS],
        }
        if kwargs.get("version") is None:  # the version set_barriers checks (core.locking)
            kwargs["version"] = services.barriers_version(participant, special)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["barriers"].choices = [
            (code, label + (" (gezondheid, bijzonder gegeven)" if code in SPECIAL_BARRIERS else ""))
            for code, label in Barrier.choices
            if special or code not in SPECIAL_BARRIERS
        ]

    def clean(self):
        data = super().clean()
        status, chosen = data.get("barrier_status"), data.get("barriers") or []
        hidden_special = (not self.special) and self.participant.barriers.filter(
            code__in=SPECIAL_BARRIERS
        ).exists()
        if status == BarrierStatus.WEL and not chosen and not hidden_special:
            self.add_error("barriers", "Kies minstens één belemmering, of kies ‘Geen belemmeringen’.")
        if status != BarrierStatus.WEL and chosen:
            self.add_error("barrier_status", "U koos belemmeringen: kies dan ‘Wel belemmeringen’.")
        if status != BarrierStatus.WEL and hidden_special:
            self.add_error(
                "barrier_status",
                "Er zijn belemmeringen vastgelegd die u niet kunt inzien. "
                "Vraag de regisseur om dit aan te passen.",
            )
        return data


class LanguageTestForm(forms.Form):
    """One language test for all four skills at once (lezen, luisteren, schrijven, spreken), dated today unless
    changed; a skill left on "niet getoetst" is not recorded."""

    tested_on = forms.DateField(label="Datum van de toets", widget=DATE_INPUT,
                                validators=[validators.validate_not_future])
    source = forms.ChoiceField(label="Bron", choices=LanguageTestSource.choices, initial=LanguageTestSource.TOETS)
    instrument = forms.CharField(label="Toets / instrument", max_length=120, required=False,
                                 help_text="Bijvoorbeeld: TOA, Staatsexamen NT2 I, eigen voortgangstoets.")

    SKILLS = ("lezen", "luisteren", "schrijven", "spreken")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("tested_on", timezone.localdate())
        labels = dict(LanguageSkill.choices)
        levels = [(c, label) for c, label in LanguageLevel.choices if c in LEVEL_ORDER]
        for skill in self.SKILLS:
            self.fields[f"level_{skill}"] = forms.ChoiceField(
                label=labels[skill], required=False, choices=[("", "Niet getoetst")] + levels,
                error_messages={"invalid_choice": "Kies een niveau uit de lijst (A0 tot C2) of ‘niet getoetst’."},
            )

    @property
    def level_fields(self):
        return [self[f"level_{skill}"] for skill in self.SKILLS]

    @property
    def other_fields(self):
        return [self["tested_on"], self["source"], self["instrument"]]

    def clean(self):
        data = super().clean()
        if not self.levels() and not any(f"level_{s}" in self.errors for s in self.SKILLS):
            self.add_error(f"level_{self.SKILLS[0]}", "Vul voor minstens één vaardigheid het gemeten niveau in.")
        return data

    def levels(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {})
        return {skill: data[f"level_{skill}"] for skill in self.SKILLS if data.get(f"level_{skill}")}

    def values(self) -> dict:
        return {"tested_on": self.cleaned_data["tested_on"], "source": self.cleaned_data["source"],
                "instrument": self.cleaned_data["instrument"], "levels": self.levels()}


class WorkExperienceForm(forms.ModelForm):
    country = SelectCountry(label="Land")

    class Meta:
        model = WorkExperience
        fields = ["occupation", "years", "country", "description"]

    def clean_years(self):
        years = self.cleaned_data.get("years")
        if years is not None and (years < 0 or years > 60):
            raise forms.ValidationError("Vul een aantal jaren tussen 0 en 60 in.")
        return years


class ParticipantCreateForm(IdentityForm):
    #: Shown when a participant with the same name and date of birth is already in the user's view.
    other_person = forms.BooleanField(
        label="Ik heb de gevonden deelnemer(s) bekeken: dit is een andere persoon", required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates: list = []

    def check_duplicates(self, user) -> bool:
        """After is_valid(): whether the participant may be created. A participant with the same name and date of
        birth that this user can see is shown, and creating needs the explicit "andere persoon" tick."""
        data = self.cleaned_data
        self.duplicates = file_queries.possible_duplicates(user, data.get("name", ""), data.get("date_of_birth"))
        if self.duplicates and not data.get("other_person"):
            self.add_error(
                "other_person",
                "Er staat al een deelnemer met deze naam en geboortedatum in Koers (zie hierboven). Open die "
                "deelnemer, of vink aan dat dit een andere persoon is.",
            )
            return False
        return True

    class Meta(IdentityForm.Meta):
        fields = [
            "name",
            "preferred_name",
            "date_of_birth",
            "gender",
            "country_of_origin",
            "languages",
            "interpreter_needed",
            "bsn",
            "phone",
            "email",
        ]


class MembershipForm(forms.ModelForm):
    scope = forms.MultipleChoiceField(
        label="Gegevenscategorieën",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Identiteit is altijd nodig. Bijzondere persoonsgegevens alleen met toestemming.",
    )

    class Meta:
        model = Membership
        fields = ["organisation", "legal_basis", "purpose", "consent_date", "valid_from", "valid_until"]
        widgets = {"consent_date": DATE_INPUT, "valid_from": DATE_INPUT, "valid_until": DATE_INPUT}

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=participant.regie_organisation_id
        )
        self.fields["legal_basis"].choices = [c for c in LegalBasis.choices if c[0] != LegalBasis.REGIE]
        if not self.is_bound:
            self.initial.setdefault("scope", [Category.IDENTITY, Category.TRAJECTORY])

    def clean(self):
        data = super().clean()
        scope = set(data.get("scope") or [])
        basis = data.get("legal_basis")
        if scope and Category.IDENTITY not in scope:
            self.add_error(
                "scope", "Identiteit en contact is altijd nodig om een deelnemer te kunnen vinden."
            )
        if Category.SPECIAL in scope and basis != LegalBasis.TOESTEMMING:
            self.add_error(
                "scope",
                "Bijzondere persoonsgegevens (gezondheid) kunnen alleen met toestemming worden gedeeld.",
            )
        if basis == LegalBasis.TOESTEMMING and not data.get("consent_date"):
            self.add_error("consent_date", "Vul de datum in waarop de deelnemer toestemming gaf.")
        consent = data.get("consent_date")
        if consent and consent > timezone.localdate():
            self.add_error("consent_date", "De datum van toestemming ligt in de toekomst.")
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "De einddatum ligt vóór de begindatum.")
        org = data.get("organisation")
        if org and self.participant.memberships.active().filter(organisation=org).exists():
            self.add_error("organisation", f"{org} is al betrokken. Beëindig eerst de huidige betrokkenheid.")
        return data


class EndMembershipForm(forms.Form):
    reason = forms.CharField(label="Reden", max_length=200)
    withdrawn = forms.BooleanField(label="De deelnemer heeft de toestemming ingetrokken", required=False)


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label="Naam", required=False, max_length=100)
    fase = forms.ChoiceField(label="Fase", required=False, choices=[("", "Alle")] + Phase.choices)
    status = forms.ChoiceField(label="Verblijfsstatus", required=False, choices=())
    leerroute = forms.ChoiceField(label="Leerroute", required=False, choices=())
    taalniveau = forms.ChoiceField(label="Niveau spreken", required=False, choices=())
    regisseur = forms.TypedChoiceField(
        label="Regisseur", required=False, coerce=int, empty_value=None, choices=()
    )
    organisatie = forms.TypedChoiceField(
        label="Betrokken organisatie", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, regisseurs=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Alle")] + MigrationStatus.choices
        self.fields["leerroute"].choices = [("", "Alle")] + LearningRoute.choices
        self.fields["taalniveau"].choices = [("", "Alle")] + LanguageLevel.choices
        self.fields["regisseur"].choices = [("", "Alle")] + [(u.pk, str(u)) for u in regisseurs]
        self.fields["organisatie"].choices = [("", "Alle")] + [(o.pk, o.name) for o in organisations]


class AuditFilterForm(forms.Form):
    organisatie = forms.TypedChoiceField(label="Organisatie", required=False, coerce=int, empty_value=None)
    van = forms.DateField(label="Van", required=False, widget=DATE_INPUT)
    tot = forms.DateField(label="Tot en met", required=False, widget=DATE_INPUT)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].choices = [("", "Alle")] + list(organisations)

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            self.add_error("tot", "De einddatum ligt vóór de begindatum.")
        return data


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    category: str
    form_class: type


#: The editable sections of the participant file, in display order (also the intake's file steps).
SECTIONS: dict[str, Section] = {
    s.slug: s
    for s in [
        Section("identiteit", "Identiteit en contact", Category.IDENTITY, IdentityForm),
        Section("traject", "Traject en verblijf", Category.TRAJECTORY, TrajectoryForm),
        Section("huishouden", "Huishouden en beschikbaarheid", Category.TRAJECTORY, HouseholdForm),
        Section(
            "taal-opleiding",
            "Taal, opleiding en digitale vaardigheden",
            Category.LANGUAGE,
            LanguageEducationForm,
        ),
        Section("inkomen", "Inkomen", Category.INCOME, IncomeForm),
        Section("wensen", "Werk en wensen", Category.WORK, WishesForm),
        Section("belemmeringen", "Belemmeringen", Category.TRAJECTORY, BarriersForm),
    ]
}

__all__ = ["SECTIONS", "Section", "LanguageSkill"]
