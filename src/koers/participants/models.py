"""The participant file, trajectory membership (who is involved, on which legal basis), the brede intake."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from koers.core.codes import (
    Barrier,
    BarrierStatus,
    Category,
    DigitalSkills,
    DiplomaValuation,
    EducationLevel,
    Gender,
    LanguageLevel,
    LanguageSkill,
    LanguageTestSource,
    LearningRoute,
    LegalBasis,
    LifeDomain,
    MigrationStatus,
    Phase,
    YesNoUnknown,
)
from koers.core.models import Organisation
from koers.participants import validators


class Household(models.Model):
    """Participants of one family (002 digest: "one family, one plan"): linked by the regie, so that a regisseur
    who holds more than one of them sees their trajectories side by side. Who sees a member is still decided per
    member by the access policy."""

    regie_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "huishouden"
        verbose_name_plural = "huishoudens"


class Participant(models.Model):
    # --- regie ---
    regie_organisation = models.ForeignKey(
        Organisation,
        verbose_name="regie-organisatie",
        on_delete=models.PROTECT,
        related_name="regie_participants",
    )
    household = models.ForeignKey(
        Household, verbose_name="huishouden", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="members",
    )
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="regisseur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directed_participants",
    )
    phase = models.CharField("fase", max_length=20, choices=Phase.choices, default=Phase.AANMELDING)

    # --- identity and contact (category: identiteit) ---
    name = models.CharField("naam", max_length=200, help_text="Zoals de deelnemer de eigen naam schrijft.")
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    preferred_name = models.CharField("roepnaam", max_length=100, blank=True)
    date_of_birth = models.DateField(
        "geboortedatum",
        null=True,
        blank=True,
        validators=[validators.validate_birth_date],
        help_text="Leeg laten als de geboortedatum onbekend is.",
    )
    bsn = models.CharField(
        "BSN",
        max_length=9,
        blank=True,
        validators=[validators.validate_bsn],
        help_text="Burgerservicenummer, 9 cijfers (optioneel).",
    )
    street = models.CharField("straat en huisnummer", max_length=200, blank=True)
    postcode = models.CharField(
        "postcode", max_length=7, blank=True, validators=[validators.validate_postcode]
    )
    city = models.CharField("woonplaats", max_length=100, blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True, validators=[validators.validate_phone])
    email = models.EmailField("e-mail", blank=True)
    languages = models.JSONField(
        "eigen taal of talen",
        default=list,
        blank=True,
        validators=[validators.validate_language_codes],
        help_text="ISO 639-codes, eerste is de moedertaal.",
    )
    interpreter_needed = models.CharField(
        "tolk nodig", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    gender = models.CharField("geslacht", max_length=10, choices=Gender.choices, default=Gender.ONBEKEND)
    country_of_origin = models.CharField(
        "land van herkomst",
        max_length=2,
        blank=True,
        validators=[validators.validate_country_code],
        help_text="ISO 3166-landcode; leeg is onbekend.",
    )

    # --- trajectory (category: traject) ---
    migration_status = models.CharField(
        "verblijfsstatus", max_length=20, choices=MigrationStatus.choices, default=MigrationStatus.ONBEKEND
    )
    integration_obliged = models.CharField(
        "inburgeringsplichtig", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    learning_route = models.CharField(
        "leerroute", max_length=10, choices=LearningRoute.choices, default=LearningRoute.ONBEKEND
    )
    settled_on = models.DateField("gevestigd in gemeente sinds", null=True, blank=True)
    has_partner = models.CharField("partner", max_length=10, choices=YesNoUnknown.choices, default="onbekend")
    children_count = models.PositiveSmallIntegerField(
        "aantal kinderen", null=True, blank=True, help_text="Leeg is onbekend; 0 is geen kinderen."
    )
    childcare_needed = models.CharField(
        "kinderopvang nodig", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    availability = models.JSONField(
        "beschikbare dagdelen",
        null=True,
        blank=True,
        validators=[validators.validate_dagdelen],
        help_text="Leeg (null) is onbekend; een lege lijst is: geen dagdelen beschikbaar.",
    )
    barrier_status = models.CharField(
        "belemmeringen", max_length=20, choices=BarrierStatus.choices, default=BarrierStatus.NIET_GEVRAAGD
    )

    # --- income (category: inkomen) ---
    benefit = models.CharField("uitkering", max_length=10, choices=YesNoUnknown.choices, default="onbekend")

    # --- language and education (category: taal_opleiding) ---
    education_level = models.CharField(
        "opleidingsniveau land van herkomst",
        max_length=20,
        choices=EducationLevel.choices,
        default="onbekend",
    )
    education_field = models.CharField("richting opleiding", max_length=200, blank=True)
    diploma_valuation = models.CharField(
        "diplomawaardering",
        max_length=20,
        choices=DiplomaValuation.choices,
        default=DiplomaValuation.ONBEKEND,
    )
    diploma_valuation_result = models.CharField(
        "uitkomst diplomawaardering", max_length=200, blank=True, help_text="Bijvoorbeeld: mbo-niveau 3."
    )
    level_spreken = models.CharField(
        "spreken", max_length=10, choices=LanguageLevel.choices, default="onbekend"
    )
    level_luisteren = models.CharField(
        "luisteren", max_length=10, choices=LanguageLevel.choices, default="onbekend"
    )
    level_lezen = models.CharField("lezen", max_length=10, choices=LanguageLevel.choices, default="onbekend")
    level_schrijven = models.CharField(
        "schrijven", max_length=10, choices=LanguageLevel.choices, default="onbekend"
    )
    digital_skills = models.CharField(
        "digitale vaardigheden", max_length=10, choices=DigitalSkills.choices, default=DigitalSkills.ONBEKEND
    )

    # --- work and wishes (category: werk) ---
    dream_job = models.CharField("droombaan", max_length=200, blank=True)
    plan_b = models.CharField("plan B", max_length=200, blank=True)
    sector_interests = models.JSONField(
        "sectoren met interesse", default=list, blank=True, validators=[validators.validate_sectors]
    )

    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "deelnemer"
        verbose_name_plural = "deelnemers"
        ordering = ["name_search", "id"]
        indexes = [
            models.Index(fields=["regie_organisation", "name_search"], name="participant_regie_name"),
            models.Index(fields=["regisseur", "name_search"], name="participant_regisseur_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bsn"], condition=~Q(bsn=""), name="unique_bsn_when_set"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_search = validators.normalise_name(self.name)
        super().save(*args, **kwargs)

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = timezone.localdate()  # the Dutch date, not the server's (UTC) one
        dob = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))

    def level(self, skill: str) -> str:
        return getattr(self, f"level_{skill}")


#: Which data category each field of the participant file belongs to (docs/privacy.md).
_IDENTITY_FIELDS = (
    "name preferred_name date_of_birth bsn street postcode city phone email languages interpreter_needed "
    "gender country_of_origin"
)
_TRAJECTORY_FIELDS = (
    "regie_organisation household regisseur phase migration_status integration_obliged learning_route settled_on "
    "has_partner children_count childcare_needed availability barrier_status"
)
_LANGUAGE_FIELDS = (
    "education_level education_field diploma_valuation diploma_valuation_result level_spreken level_luisteren "
    "level_lezen level_schrijven digital_skills"
)
FIELD_CATEGORY: dict[str, str] = {
    **dict.fromkeys(_IDENTITY_FIELDS.split(), Category.IDENTITY),
    **dict.fromkeys(_TRAJECTORY_FIELDS.split(), Category.TRAJECTORY),
    "benefit": Category.INCOME,
    **dict.fromkeys(_LANGUAGE_FIELDS.split(), Category.LANGUAGE),
    **dict.fromkeys(["dream_job", "plan_b", "sector_interests"], Category.WORK),
}


class MembershipQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(ended_at__isnull=True),
            Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )


class Membership(models.Model):
    """An organisation involved in a participant's trajectory, with its legal basis and data scope.

    The regie organisation has an implicit full membership (Participant.regie_organisation). Partners get a
    Membership: on a legal task, or on the participant's consent (date, scope, optional end date). Ending or
    withdrawing sets ended_at; the record stays as history. Access follows the active memberships only.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, related_name="memberships"
    )
    legal_basis = models.CharField(
        "grondslag", max_length=20, choices=[c for c in LegalBasis.choices if c[0] != LegalBasis.REGIE]
    )
    scope = models.CharField(
        "gegevenscategorieën",
        max_length=200,
        help_text="Codes van de gegevenscategorieën, gescheiden door spaties (zie core.codes.Category).",
    )
    purpose = models.CharField("doel / rol in het traject", max_length=200, blank=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="begeleider bij deze organisatie", on_delete=models.SET_NULL,
        null=True, blank=True, related_name="counselled_memberships",
        help_text="De vaste begeleider of coach van deze organisatie voor deze deelnemer (caseload).",
    )
    consent_date = models.DateField("datum toestemming", null=True, blank=True)
    valid_from = models.DateField("vanaf", default=timezone.localdate)
    valid_until = models.DateField("tot en met", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="toegevoegd door"
    )
    added_at = models.DateTimeField("toegevoegd op", auto_now_add=True)
    ended_at = models.DateTimeField("beëindigd op", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_reason = models.CharField("reden beëindiging", max_length=200, blank=True)
    consent_withdrawn = models.BooleanField("toestemming ingetrokken", default=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "betrokken organisatie"
        verbose_name_plural = "betrokken organisaties"
        ordering = ["-added_at"]
        indexes = [
            # Covers "active memberships of organisation X" (the access policy's subquery) without table reads.
            models.Index(
                fields=["organisation", "participant", "valid_from", "valid_until"],
                condition=Q(ended_at__isnull=True),
                name="membership_active_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} bij {self.participant_id}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (
            self.ended_at is None
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scope.split())

    @property
    def scope_labels(self) -> list[str]:
        return [label for code, label in Category.choices if code in self.scope_set]

    @staticmethod
    def scope_value(categories) -> str:
        return " ".join(code for code in Category.values if code in set(categories))


class LanguageAssessment(models.Model):
    """A language level for one skill at one moment: the history behind the participant's current levels."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="language_assessments"
    )
    skill = models.CharField("vaardigheid", max_length=10, choices=LanguageSkill.choices)
    level = models.CharField("niveau", max_length=10, choices=LanguageLevel.choices)
    tested_on = models.DateField("datum", validators=[validators.validate_not_future])
    source = models.CharField("bron", max_length=30, choices=LanguageTestSource.choices)
    instrument = models.CharField("toets / instrument", max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "taalniveau"
        verbose_name_plural = "taalniveaus"
        ordering = ["-tested_on", "-id"]


class WorkExperience(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="work_history")
    occupation = models.CharField("beroep of functie", max_length=200)
    years = models.DecimalField("jaren", max_digits=4, decimal_places=1, null=True, blank=True)
    country = models.CharField(
        "land", max_length=2, blank=True, validators=[validators.validate_country_code]
    )
    description = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        verbose_name = "werkervaring"
        verbose_name_plural = "werkervaring"
        ordering = ["id"]


class ParticipantBarrier(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="barriers")
    code = models.CharField("belemmering", max_length=30, choices=Barrier.choices)
    note = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        verbose_name = "belemmering"
        verbose_name_plural = "belemmeringen"
        constraints = [
            models.UniqueConstraint(fields=["participant", "code"], name="unique_participant_barrier")
        ]


class ParticipantChange(models.Model):
    """History of the participant file: who changed which field, from what to what, when."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", null=True)
    field = models.CharField(max_length=60)
    field_label = models.CharField(max_length=120)
    category = models.CharField(max_length=30)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        verbose_name = "wijziging"
        verbose_name_plural = "wijzigingen"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["participant", "at"], name="change_participant_at")]


class IntakeStatus(models.TextChoices):
    CONCEPT = "concept", "Bezig"
    AFGEROND = "afgerond", "Afgerond"


class Intake(models.Model):
    """A brede intake: structured, resumable, possibly joint and at home. A re-intake is a new Intake."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="intakes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="afgenomen door", on_delete=models.PROTECT, related_name="+"
    )
    co_interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="samen met",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Tweede medewerker bij een gezamenlijke intake (ook van een partner).",
    )
    held_on = models.DateField("datum gesprek", default=timezone.localdate)
    home_visit = models.BooleanField("huisbezoek", default=False)
    location = models.CharField("locatie", max_length=200, blank=True)
    interpreter_present = models.BooleanField("tolk of bruggenbouwer aanwezig", default=False)
    status = models.CharField(max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.CONCEPT)
    current_step = models.CharField(max_length=40, default="gesprek")
    summary = models.TextField("samenvatting en conclusie", blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    action_plan = models.JSONField(
        "voorgestelde actiepunten", null=True, blank=True, default=None,
        help_text="Concept van de actiepunten tot de intake is afgerond (null: nog niet opgesteld).",
    )

    class Meta:
        verbose_name = "brede intake"
        verbose_name_plural = "brede intakes"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=Q(status="concept"), name="one_draft_intake_per_participant"
            ),
        ]

    @property
    def is_completed(self) -> bool:
        return self.status == IntakeStatus.AFGEROND


class IntakeDomain(models.Model):
    """The intake's notes on one life domain."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField("leefdomein", max_length=30, choices=LifeDomain.choices)
    situation = models.TextField("huidige situatie", blank=True)
    own_view = models.TextField("visie van de deelnemer", blank=True)
    support_needed = models.TextField("benodigde ondersteuning", blank=True)

    class Meta:
        verbose_name = "leefdomein"
        verbose_name_plural = "leefdomeinen"
        constraints = [models.UniqueConstraint(fields=["intake", "domain"], name="unique_intake_domain")]

    @property
    def is_empty(self) -> bool:
        return not (self.situation or self.own_view or self.support_needed)
