"""Employers, contact persons, company visits, openings, certificates, postcode areas, work profiles and matches.

An employer is not a participant and not (necessarily) an organisation that logs in: it has its own name and,
optionally, a link to a ``core.Organisation`` of kind *werkgever* for when it also takes part in trajectories
as a partner (a membership on consent, for a warm handover). Employers and openings are not personal data;
everything that links them to a participant (company-visit attendance, the work profile, matches) is data of
category ``werk`` of that participant and goes through the access policy and the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from koers.core.codes import (
    LanguageSkill,
    MatchMode,
    OrganisationKind,
    PlacementKind,
    Sector,
    YesNoUnknown,
)
from koers.core.models import Organisation
from koers.participants import validators

__all__ = [
    "SizeClass",
    "PhysicalDemand",
    "OpeningStatus",
    "MatchStatus",
    "REQUIRED_LEVEL_CHOICES",
    "MAX_HOURS_PER_WEEK",
    "Certificate",
    "PostcodeArea",
    "Employer",
    "ContactPerson",
    "CompanyVisit",
    "Opening",
    "WorkProfile",
    "Match",
]

#: Hours per week of an opening: 0 (e.g. an on-call job) up to 60 (the legal weekly maximum, Arbeidstijdenwet).
MAX_HOURS_PER_WEEK = 60

#: A language requirement: a CEFR level, or blank for "no requirement".
REQUIRED_LEVEL_CHOICES = [("", "Geen eis"), *[(c, c) for c in ["A1", "A2", "B1", "B2", "C1"]]]


class SizeClass(models.TextChoices):
    ONBEKEND = "onbekend", "Onbekend"
    MICRO = "1-9", "1–9 medewerkers"
    KLEIN = "10-49", "10–49 medewerkers"
    MIDDEL = "50-249", "50–249 medewerkers"
    GROOT = "250+", "250 of meer medewerkers"


class PhysicalDemand(models.TextChoices):
    ONBEKEND = "onbekend", "Onbekend"
    LICHT = "licht", "Licht (vooral zittend of staand werk)"
    GEMIDDELD = "gemiddeld", "Gemiddeld (lopen, af en toe tillen)"
    ZWAAR = "zwaar", "Zwaar (veel tillen, sjouwen of in ploegen)"


class OpeningStatus(models.TextChoices):
    OPEN = "open", "Open"
    VERVULD = "vervuld", "Vervuld"
    GESLOTEN = "gesloten", "Gesloten"


class MatchStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", "Voorgesteld"
    AFGEWEZEN = "afgewezen", "Afgewezen"
    GEPLAATST = "geplaatst", "Geplaatst"


class Certificate(models.Model):
    """A certificate an opening can require and a participant can hold (VCA, heftruck, HACCP ...).

    The list is defined by accountmanagers ("beheer certificaten"); an opening can only require a defined one.
    """

    code = models.SlugField("code", max_length=40, unique=True, help_text="Korte, vaste code, bijvoorbeeld vca.")
    name = models.CharField("naam", max_length=120, unique=True)
    description = models.CharField("omschrijving", max_length=300, blank=True)

    class Meta:
        verbose_name = "certificaat"
        verbose_name_plural = "certificaten"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """The centre of a 4-digit postcode area, for travel distances (``koers import-postcodes FILE``)."""

    postcode4 = models.CharField("postcode (4 cijfers)", max_length=4, unique=True)
    latitude = models.FloatField("breedtegraad")
    longitude = models.FloatField("lengtegraad")
    municipality = models.CharField("gemeente", max_length=120, db_index=True)

    class Meta:
        verbose_name = "postcodegebied"
        verbose_name_plural = "postcodegebieden"
        ordering = ["postcode4"]

    def __str__(self) -> str:
        return f"{self.postcode4} ({self.municipality})"


class Employer(models.Model):
    name = models.CharField("naam", max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="beheerd door", on_delete=models.PROTECT, related_name="managed_employers",
        help_text="De organisatie waarvan de accountmanagers deze werkgever beheren.",
    )
    partner_organisation = models.OneToOneField(
        Organisation, verbose_name="als partnerorganisatie", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="employer", limit_choices_to={"kind": OrganisationKind.WERKGEVER},
        help_text="Alleen als de werkgever ook als organisatie in Koers staat (soort werkgever).",
    )
    sector = models.CharField("sector (SBI)", max_length=2, choices=Sector.choices)
    size_class = models.CharField("grootte", max_length=10, choices=SizeClass.choices, default=SizeClass.ONBEKEND)
    street = models.CharField("straat en huisnummer", max_length=200, blank=True)
    postcode = models.CharField("postcode", max_length=7, blank=True, validators=[validators.validate_postcode])
    city = models.CharField("plaats", max_length=100)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("website", blank=True)
    offers_buddy = models.CharField(
        "buddy of mentor op de werkvloer", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    offers_training = models.CharField(
        "opleiding of training", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    contract_perspective = models.CharField(
        "perspectief op een contract", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    trial_placements = models.CharField(
        "bereid tot proefplaatsingen", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    floor_languages = models.JSONField(
        "talen op de werkvloer", default=list, blank=True, validators=[validators.validate_language_codes],
        help_text="ISO 639-codes, bijvoorbeeld nl, ar, ti.",
    )
    notes = models.TextField("aantekeningen", blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="accountmanager", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="employers",
    )
    is_active = models.BooleanField("actief", default=True)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "werkgever"
        verbose_name_plural = "werkgevers"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.partner_organisation_id and self.partner_organisation.kind != OrganisationKind.WERKGEVER:
            raise ValidationError({"partner_organisation": "Kies een organisatie van de soort werkgever."})


class ContactPerson(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("naam", max_length=200)
    function = models.CharField("functie", max_length=120, blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    is_primary = models.BooleanField("eerste aanspreekpunt", default=False)
    notes = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"
        ordering = ["-is_primary", "name", "id"]

    def __str__(self) -> str:
        return self.name


class CompanyVisit(models.Model):
    """A company visit (bedrijfsbezoek) with the participants who joined (their work data)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("datum", validators=[validators.validate_not_future])
    description = models.TextField("verslag", blank=True)
    participants = models.ManyToManyField(
        "participants.Participant", verbose_name="deelnemers", blank=True, related_name="company_visits"
    )
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="georganiseerd door", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bedrijfsbezoek"
        verbose_name_plural = "bedrijfsbezoeken"
        ordering = ["-visited_on", "-id"]


class Opening(models.Model):
    """A participatieplek or vacature at an employer."""

    employer = models.ForeignKey(Employer, verbose_name="werkgever", on_delete=models.PROTECT, related_name="openings")
    kind = models.CharField("soort plek", max_length=30, choices=PlacementKind.choices)
    title = models.CharField("functie", max_length=200)
    tasks = models.TextField("taken", blank=True)
    sector = models.CharField("sector (SBI)", max_length=2, choices=Sector.choices)
    hours_per_week = models.PositiveSmallIntegerField(
        "uren per week", null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_WEEK)],
        help_text="0 tot en met 60. Leeg is onbekend.",
    )
    days = models.JSONField(
        "dagdelen", default=list, blank=True, validators=[validators.validate_dagdelen],
        help_text="De dagdelen waarop gewerkt wordt; leeg is: in overleg.",
    )
    postcode = models.CharField("postcode", max_length=7, blank=True, validators=[validators.validate_postcode])
    city = models.CharField("plaats", max_length=100, blank=True)
    start_date = models.DateField("start", null=True, blank=True)
    places = models.PositiveSmallIntegerField("aantal plekken", default=1, validators=[MinValueValidator(1)])
    req_spreken = models.CharField("spreken", max_length=2, choices=REQUIRED_LEVEL_CHOICES, blank=True)
    req_luisteren = models.CharField("luisteren", max_length=2, choices=REQUIRED_LEVEL_CHOICES, blank=True)
    req_lezen = models.CharField("lezen", max_length=2, choices=REQUIRED_LEVEL_CHOICES, blank=True)
    req_schrijven = models.CharField("schrijven", max_length=2, choices=REQUIRED_LEVEL_CHOICES, blank=True)
    certificates = models.ManyToManyField(
        Certificate, verbose_name="vereiste certificaten", blank=True, related_name="openings"
    )
    driving_licence_required = models.BooleanField("rijbewijs B vereist", default=False)
    physical_demand = models.CharField(
        "fysieke belasting", max_length=10, choices=PhysicalDemand.choices, default=PhysicalDemand.ONBEKEND
    )
    physical_notes = models.CharField("toelichting fysieke belasting", max_length=300, blank=True)
    support_offered = models.TextField(
        "begeleiding die de werkgever biedt", blank=True,
        help_text="Bijvoorbeeld een buddy, inwerkprogramma, taalcoach.",
    )
    status = models.CharField("status", max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "vacature of participatieplek"
        verbose_name_plural = "vacatures en participatieplekken"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "id"], name="opening_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="opening_hours_at_most_60",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="opening_at_least_one_place"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})" if self.employer_id else self.title

    @property
    def required_levels(self) -> dict[str, str]:
        """{skill: level} for the skills with a requirement."""
        return {s: getattr(self, f"req_{s}") for s in LanguageSkill.values if getattr(self, f"req_{s}")}


class WorkProfile(models.Model):
    """Work data of a participant that the file itself does not hold (category ``werk``).

    Unknown is a value: ``driving_licence`` "onbekend", ``max_travel_km`` and ``hours_wanted`` empty.
    """

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="work_profile"
    )
    driving_licence = models.CharField(
        "rijbewijs B", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.ONBEKEND
    )
    max_travel_km = models.PositiveSmallIntegerField(
        "maximale reisafstand (km)", null=True, blank=True, validators=[MaxValueValidator(300)],
        help_text="Enkele reis. Leeg is onbekend.",
    )
    hours_wanted = models.PositiveSmallIntegerField(
        "gewenst aantal uren per week", null=True, blank=True, validators=[MaxValueValidator(60)],
        help_text="Leeg is onbekend.",
    )
    certificates = models.ManyToManyField(Certificate, verbose_name="certificaten", blank=True, related_name="+")
    excluded_sectors = models.JSONField(
        "geen interesse in sectoren", default=list, blank=True, validators=[validators.validate_sectors]
    )
    excluded_kinds = models.JSONField("geen interesse in soorten plekken", default=list, blank=True)
    notes = models.CharField("toelichting", max_length=300, blank=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "werkprofiel"
        verbose_name_plural = "werkprofielen"

    def __str__(self) -> str:
        return f"Werkprofiel {self.participant_id}"

    def clean(self):
        unknown = [k for k in self.excluded_kinds or [] if k not in PlacementKind.values]
        if unknown:
            raise ValidationError({"excluded_kinds": "Kies alleen soorten plekken uit de lijst."})


class Match(models.Model):
    """A proposed match of a participant with an opening: who proposed it, how (a reporting dimension), the
    score as it was shown, and what came of it (the placements part turns it into a placement)."""

    opening = models.ForeignKey(Opening, verbose_name="vacature", on_delete=models.PROTECT, related_name="matches")
    participant = models.ForeignKey(
        "participants.Participant", verbose_name="deelnemer", on_delete=models.CASCADE, related_name="matches"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="voorgesteld door", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField("manier van matchen", max_length=30, choices=MatchMode.choices)
    score = models.PositiveSmallIntegerField("score", default=0)
    score_snapshot = models.JSONField("score bij het voorstel", default=dict, blank=True)
    note = models.CharField("toelichting", max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=MatchStatus.choices, default=MatchStatus.VOORGESTELD)
    status_reason = models.CharField("reden", max_length=300, blank=True)
    created_at = models.DateTimeField("voorgesteld op", auto_now_add=True)
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)

    class Meta:
        verbose_name = "match"
        verbose_name_plural = "matches"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "participant"], condition=Q(status="voorgesteld"), name="one_open_match_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"Match {self.participant_id} ↔ {self.opening_id}"
