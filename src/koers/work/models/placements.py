"""Placements with their terms, aftercare and the closure of a trajectory with its outcome.

- A ``Placement`` is a participant at an employer (from a ``Match``, or recorded directly). What was agreed —
  contract type, hours, contract end — lives in ``PlacementTerm`` rows: the first is written with the placement,
  every extension or change (more hours, a new contract) is a new row, so the history shows whether a job
  lasted. The current terms are the newest row (effective date, then id).
- Every placement gets an ``AftercarePlan`` with ``CheckIn`` rows from the default schedule (``work.aftercare``),
  a friction log (``Friction``) and ends only with a recorded eindgesprek (a database constraint).
- ``Closure`` records how a trajectory ended: the outcome (``uitstroom``), what Koers proposed from the records,
  the dropout reason or what was tried, the decision on placements still running and the employer's consent
  for the eindrapportage.

Data category: everything here is work data (``werk``), except the closure (trajectory data; a dropout reason on
health is special-category data).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from koers.core.codes import ContractType, DropoutReason, Outcome, PlacementKind

__all__ = [
    "MAX_HOURS",
    "Scheme",
    "EndReason",
    "CheckInWith",
    "Topic",
    "Placement",
    "PlacementTerm",
    "AftercarePlan",
    "CheckIn",
    "Friction",
    "Closure",
]

MAX_HOURS = 60


def _codes_value(codes, choices) -> str:
    """Codes stored as a space-separated string in the order of the code list (portable "contains": LIKE)."""
    wanted = set(codes or ())
    return " ".join(code for code in choices.values if code in wanted)


class Scheme(models.TextChoices):
    """Wage and employer schemes with a placement (several may apply)."""

    PROEFPLAATSING = "proefplaatsing", "Proefplaatsing met behoud van uitkering"
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", "Loonkostensubsidie"
    LOONWAARDEBEPALING = "loonwaardebepaling", "Loonwaardebepaling"
    NO_RISKPOLIS = "no_riskpolis", "No-riskpolis"


class EndReason(models.TextChoices):
    """Why a placement ended."""

    AFGEROND = "afgerond", "Afgerond zoals afgesproken"
    VAST_OF_NIEUW_CONTRACT = "nieuw_contract", "Over naar een contract (nieuwe plaatsing)"
    CONTRACT_NIET_VERLENGD = "niet_verlengd", "Contract niet verlengd"
    PROEFTIJD = "proeftijd", "Proeftijd niet doorstaan"
    ONTSLAG_WERKGEVER = "ontslag_werkgever", "Ontslag door de werkgever"
    ZELF_GESTOPT = "zelf_gestopt", "Deelnemer is zelf gestopt"
    ANDERE_BAAN = "andere_baan", "Andere baan gevonden"
    OPLEIDING = "opleiding", "Gestart met een opleiding"
    PERSOONLIJK = "persoonlijk", "Persoonlijke omstandigheden"
    BEDRIJF = "bedrijf", "Bedrijf gesloten of gestopt met de plek"
    TRAJECT_AFGESLOTEN = "traject_afgesloten", "Beëindigd bij het afsluiten van het traject"
    OVERIG = "overig", "Overig"


class CheckInWith(models.TextChoices):
    DEELNEMER = "deelnemer", "Met de deelnemer"
    WERKGEVER = "werkgever", "Met de werkgever"
    SAMEN = "samen", "Met deelnemer en werkgever samen"
    APART = "apart", "Met deelnemer en werkgever, apart"


class Topic(models.TextChoices):
    """Topics of an aftercare check-in (werkzame factoren: nazorg)."""

    WERK = "werk", "Het werk zelf"
    VOORWAARDEN = "arbeidsvoorwaarden", "Arbeidsvoorwaarden (uren, contract, loon)"
    RELATIES = "relaties", "Relaties met collega's en leidinggevende"
    HOUDING = "houding", "Houding en werknemersvaardigheden"
    PRIVE = "prive", "Privézaken (zoals toeslagen, kinderopvang, reizen)"
    TAAL = "taal", "Taal op de werkvloer"


class PlacementQuerySet(models.QuerySet):
    def counting(self):
        """Placements that count (for phase, signals, closure and monitoring): not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Placement(models.Model):
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="placements"
    )
    employer = models.ForeignKey(
        "work.Employer", verbose_name="werkgever", on_delete=models.PROTECT, related_name="placements"
    )
    opening = models.ForeignKey(
        "work.Opening", verbose_name="vacature of participatieplek", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="placements",
    )
    match = models.ForeignKey(
        "work.Match", verbose_name="match", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="placements",
    )
    kind = models.CharField("soort plaatsing", max_length=30, choices=PlacementKind.choices)
    job_title = models.CharField("functie", max_length=200)
    start_date = models.DateField("startdatum")
    probation_end = models.DateField("einde proeftijd", null=True, blank=True)
    schemes = models.CharField(
        "regelingen", max_length=200, blank=True,
        help_text="Codes van de regelingen, gescheiden door spaties (zie Scheme).",
    )
    jobcoach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="jobcoach", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="coached_placements",
    )
    buddy_name = models.CharField("buddy op de werkvloer", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="vastgelegd namens"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField("einddatum", null=True, blank=True)
    end_reason = models.CharField("reden einde", max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.CharField("toelichting einde", max_length=500, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A placement entered by mistake (or that never started) is withdrawn, not deleted: the history stays, but it
    # no longer counts as a placement anywhere (phase, signals, closure, monitoring).
    withdrawn_at = models.DateTimeField("ingetrokken op", null=True, blank=True)
    withdrawn_reason = models.CharField("reden intrekken", max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "plaatsing"
        verbose_name_plural = "plaatsingen"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["participant", "ended_on"], name="placement_participant_ended")]
        constraints = [
            models.CheckConstraint(
                condition=Q(probation_end__isnull=True) | Q(probation_end__gte=models.F("start_date")),
                name="placement_probation_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""), name="placement_end_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="placement_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} bij {self.employer}"

    @property
    def scheme_set(self) -> frozenset[str]:
        return frozenset(self.schemes.split())

    @property
    def scheme_labels(self) -> list[str]:
        return [label for code, label in Scheme.choices if code in self.scheme_set]

    @staticmethod
    def schemes_value(codes) -> str:
        return _codes_value(codes, Scheme)

    def is_open(self, on=None) -> bool:
        on = on or timezone.localdate()
        return not self.is_withdrawn and (self.ended_on is None or self.ended_on > on)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class PlacementTerm(models.Model):
    """What applies from a date on: the first terms of a placement, or an extension or change."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="terms")
    effective_from = models.DateField("ingangsdatum")
    contract_type = models.CharField("contractsoort", max_length=20, choices=ContractType.choices)
    hours_per_week = models.DecimalField(
        "uren per week", max_digits=4, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS)],
        help_text="0 bij een nulurencontract.",
    )
    contract_end = models.DateField(
        "einddatum contract of afspraak", null=True, blank=True, help_text="Leeg bij een vast contract."
    )
    note = models.CharField("toelichting", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "arbeidsvoorwaarden"
        verbose_name_plural = "arbeidsvoorwaarden"
        ordering = ["effective_from", "id"]
        indexes = [models.Index(fields=["placement", "effective_from"], name="term_placement_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=MAX_HOURS), name="term_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True) | Q(contract_end__gte=models.F("effective_from")),
                name="term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_contract_type_display()}, {self.hours_per_week} uur vanaf {self.effective_from}"

    @property
    def is_zero_hours(self) -> bool:
        return self.hours_per_week == 0


class AftercarePlan(models.Model):
    """Aftercare of one placement: planned check-ins, a friction log, and an eindgesprek that closes it."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="aftercare")
    started_on = models.DateField("start nazorg")
    created_at = models.DateTimeField(default=timezone.now)
    final_talk_on = models.DateField("datum eindgesprek", null=True, blank=True)
    final_talk_with = models.CharField(
        "eindgesprek met", max_length=20, choices=CheckInWith.choices, blank=True
    )
    final_talk_summary = models.TextField("verslag eindgesprek", blank=True)
    final_talk_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ended_on = models.DateField("nazorg afgesloten op", null=True, blank=True)

    class Meta:
        verbose_name = "nazorgplan"
        verbose_name_plural = "nazorgplannen"
        constraints = [
            # Aftercare is never closed by fading out: a closed plan has a recorded eindgesprek.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (Q(final_talk_on__isnull=False) & ~Q(final_talk_with="") & ~Q(final_talk_summary="")),
                name="aftercare_closed_with_final_talk",
            ),
        ]

    def __str__(self) -> str:
        return f"Nazorg bij {self.placement}"

    @property
    def is_closed(self) -> bool:
        return self.ended_on is not None


class CheckIn(models.Model):
    """A planned aftercare moment ("poolshoogte nemen"); done when its date and content are recorded."""

    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="check_ins")
    label = models.CharField("moment", max_length=60)
    planned_on = models.DateField("gepland op")
    done_on = models.DateField("gehouden op", null=True, blank=True)
    with_whom = models.CharField("met wie", max_length=20, choices=CheckInWith.choices, blank=True)
    topics = models.CharField("onderwerpen", max_length=200, blank=True)
    notes = models.TextField("verslag", blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The contact this check-in was recorded as (casework): the contact clock and guidance hours count it.
    contact = models.ForeignKey(
        "casework.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="contactmoment",
    )

    class Meta:
        verbose_name = "nazorgmoment"
        verbose_name_plural = "nazorgmomenten"
        ordering = ["planned_on", "id"]
        indexes = [models.Index(fields=["plan", "done_on", "planned_on"], name="checkin_plan_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(with_whom=""), name="checkin_done_with_whom"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.planned_on})"

    @property
    def topic_labels(self) -> list[str]:
        chosen = set(self.topics.split())
        return [label for code, label in Topic.choices if code in chosen]

    @staticmethod
    def topics_value(codes) -> str:
        return _codes_value(codes, Topic)


class Friction(models.Model):
    """Something that chafes at work (a misunderstanding, hours, a colleague), with its follow-up."""

    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="frictions")
    occurred_on = models.DateField("datum")
    what = models.CharField("wat speelt er", max_length=500)
    follow_up = models.CharField("vervolg", max_length=500, blank=True)
    resolved_on = models.DateField("opgelost op", null=True, blank=True)
    action_item = models.ForeignKey(
        "casework.ActionItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="escalatie (actiepunt voor de regisseur)",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "knelpunt"
        verbose_name_plural = "knelpunten"
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.what


class Closure(models.Model):
    """The end of a trajectory: its outcome, confirmed by the regisseur, and the eindrapportage's consent."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="closures"
    )
    closed_on = models.DateField("datum afsluiting")
    outcome = models.CharField("uitstroom", max_length=30, choices=Outcome.choices)
    proposed_outcome = models.CharField("voorgestelde uitstroom", max_length=30, choices=Outcome.choices)
    proposal_reason = models.CharField("grond voor het voorstel", max_length=500, blank=True)
    dropout_reason = models.CharField("reden uitval", max_length=30, choices=DropoutReason.choices, blank=True)
    dropout_note = models.CharField("toelichting uitval", max_length=500, blank=True)
    unknown_note = models.TextField("wat is geprobeerd", blank=True)
    summary = models.TextField("samenvatting en advies (eindrapportage)", blank=True)
    employer_advice = models.TextField("voor de werkgever: wat werkt, afspraken", blank=True)
    employer_placement = models.ForeignKey(
        Placement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="plaatsing waarvan de werkgever de eindrapportage krijgt",
    )
    employer_consent = models.BooleanField("deelnemer geeft toestemming", default=False)
    employer_consent_on = models.DateField("datum toestemming", null=True, blank=True)
    placements_kept = models.ManyToManyField(
        Placement, blank=True, related_name="kept_at_closures", verbose_name="plaatsingen die doorlopen"
    )
    kept_reason = models.CharField("waarom plaatsingen doorlopen", max_length=500, blank=True)
    enrolments_ended = models.ManyToManyField(
        "activities.Enrolment", blank=True, related_name="ended_at_closures",
        verbose_name="inschrijvingen beëindigd bij het afsluiten",
    )
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "afsluiting traject"
        verbose_name_plural = "afsluitingen traject"
        ordering = ["-closed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.VOORTIJDIGE_UITVAL) | ~Q(dropout_reason=""),
                name="closure_dropout_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.ONBEKEND) | ~Q(unknown_note=""), name="closure_unknown_has_note"
            ),
            models.CheckConstraint(
                condition=Q(employer_consent=False) | Q(employer_consent_on__isnull=False),
                name="closure_consent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Afsluiting {self.participant_id}: {self.get_outcome_display()}"
