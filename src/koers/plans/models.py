"""The participant's plan (PIP / toekomstplan / trajectplan) in versions, and the integration record.

A plan exists as numbered versions. A version is a *concept* (draft) until it is signed; a signed version is
immutable: the services refuse changes and so do the models (``save``/``delete`` and queryset
``update``/``delete``). A new version starts as a copy of the last signed one. Goals, steps and agreements
carry a ``lineage`` key that stays the same across copies, so that two versions can be compared.

Plan content is trajectory data; goals (and their steps) on the two health life domains are special-category
data (``category`` below).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from koers.core.codes import SPECIAL_DOMAINS, ActionStatus, Category, LearningRoute, LifeDomain
from koers.core.models import Organisation
from koers.participants.models import Participant

SIGNED_MESSAGE = (
    "Deze versie van het plan is ondertekend en kan niet meer worden gewijzigd. "
    "Start een nieuwe versie om het plan aan te passen."
)


class SignedPlanError(Exception):
    """A change to a signed (immutable) plan version was attempted."""

    def __init__(self, message: str = SIGNED_MESSAGE):
        super().__init__(message)
        self.message = message


def new_lineage() -> str:
    return uuid.uuid4().hex


def domain_category(domain: str) -> str:
    """The data category of plan content on a life domain: health is special, everything else trajectory."""
    return Category.SPECIAL if domain in SPECIAL_DOMAINS else Category.TRAJECTORY


class PlanKind(models.TextChoices):
    PIP = "pip", "PIP (Persoonlijk Plan Inburgering en Participatie)"
    TOEKOMSTPLAN = "toekomstplan", "Toekomstplan"
    TRAJECTPLAN = "trajectplan", "Trajectplan"


class VersionStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    SIGNED = "ondertekend", "Ondertekend"


class SignMethod(models.TextChoices):
    SCREEN = "scherm", "Op het scherm, samen met de deelnemer"
    PAPER = "papier", "Op papier ondertekend (scan of foto toegevoegd)"


class GoalStatus(models.TextChoices):
    OPEN = "open", "Nog niet begonnen"
    BEZIG = "bezig", "Bezig"
    BEHAALD = "behaald", "Behaald"
    VERVALLEN = "vervallen", "Vervallen"


def signed_document_path(instance: PlanVersion, filename: str) -> str:
    """A random name: the file name of an upload may contain personal data."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"plans/ondertekend/{instance.participant_id}/{uuid.uuid4().hex}.{ext}"


class PlanVersion(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField("versie")
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="gebaseerd op"
    )
    kind = models.CharField("soort plan", max_length=20, choices=PlanKind.choices, default=PlanKind.PIP)
    plan_date = models.DateField("datum plan")
    long_term_goal = models.TextField(
        "stip op de horizon", blank=True, help_text="Het doel op langere termijn waar het plan naartoe werkt."
    )
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.CONCEPT)
    revision = models.PositiveIntegerField(
        default=1, help_text="Verhoogd bij elke wijziging van het concept (optimistische vergrendeling)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    # --- signing ---
    signed_on = models.DateField("datum ondertekening", null=True, blank=True)
    signed_at = models.DateTimeField("vastgelegd op", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name="ondertekend namens de gemeente door",
    )
    signed_by_participant = models.BooleanField("ondertekend door de deelnemer", default=False)
    sign_method = models.CharField("manier van ondertekenen", max_length=10, choices=SignMethod.choices, blank=True)
    signed_document = models.FileField("ondertekend plan (scan)", upload_to=signed_document_path, blank=True)
    sign_note = models.CharField("opmerking bij ondertekening", max_length=300, blank=True)

    class Meta:
        verbose_name = "planversie"
        verbose_name_plural = "planversies"
        ordering = ["participant", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "number"], name="unique_plan_version_number"),
            models.UniqueConstraint(
                fields=["participant"], condition=Q(status="concept"), name="one_draft_plan_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} versie {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and PlanVersion.objects.filter(pk=self.pk, status=VersionStatus.SIGNED).exists():
            raise SignedPlanError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and PlanVersion.objects.filter(pk=self.pk, status=VersionStatus.SIGNED).exists():
            raise SignedPlanError()
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == VersionStatus.SIGNED

    @property
    def kind_short(self) -> str:
        return "PIP" if self.kind == PlanKind.PIP else self.get_kind_display()


class _ContentQuerySet(models.QuerySet):
    """Bulk updates and deletes of plan content refuse to touch signed versions too."""

    version_path = "version"

    def _touches_signed(self) -> bool:
        return self.filter(**{f"{self.version_path}__status": VersionStatus.SIGNED}).exists()

    def update(self, **kwargs):
        if self._touches_signed():
            raise SignedPlanError()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_signed():
            raise SignedPlanError()
        return super().delete()


class _StepQuerySet(_ContentQuerySet):
    version_path = "goal__version"


class _Content(models.Model):
    """Goal, step and agreement: refuse save and delete when their version is signed."""

    lineage = models.CharField(max_length=32, default=new_lineage, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _version_id(self) -> int:
        return self.version_id

    def _guard(self) -> None:
        if PlanVersion.objects.filter(pk=self._version_id(), status=VersionStatus.SIGNED).exists():
            raise SignedPlanError()


class Goal(_Content):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField("leefdomein", max_length=30, choices=LifeDomain.choices)
    title = models.CharField("doel", max_length=200)
    description = models.TextField("toelichting", blank=True)
    due_date = models.DateField("streefdatum", null=True, blank=True)
    status = models.CharField("status", max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    completed_on = models.DateField("behaald op", null=True, blank=True)
    next_goal = models.CharField(
        "volgend doel", max_length=200, blank=True,
        help_text="Het doel dat volgt als dit doel behaald is. Koers stelt het dan voor als nieuw doel.",
    )
    follows = models.CharField(
        "volgt op", max_length=200, blank=True, help_text="Het behaalde doel waar dit doel uit voortkomt."
    )

    objects = _ContentQuerySet.as_manager()

    class Meta:
        verbose_name = "doel"
        verbose_name_plural = "doelen"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def category(self) -> str:
        return domain_category(self.domain)

    @property
    def is_special(self) -> bool:
        return self.domain in SPECIAL_DOMAINS

    @property
    def is_finished(self) -> bool:
        return self.status in (GoalStatus.BEHAALD, GoalStatus.VERVALLEN)


class Step(_Content):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField("stap", max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisatie"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name="medewerker", help_text="Leeg laten als de deelnemer deze stap zelf zet.",
    )
    due_date = models.DateField("klaar op")
    status = models.CharField("status", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    objects = _StepQuerySet.as_manager()

    class Meta:
        verbose_name = "stap"
        verbose_name_plural = "stappen"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description

    def _version_id(self) -> int:
        return Goal.objects.filter(pk=self.goal_id).values_list("version_id", flat=True).first()

    @property
    def owner_label(self) -> str:
        person = str(self.owner_user) if self.owner_user_id else "de deelnemer zelf"
        return f"{person} ({self.owner_organisation})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ActionStatus.AFGEROND, ActionStatus.VERVALLEN)


class Agreement(_Content):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField("afspraak")

    objects = _ContentQuerySet.as_manager()

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanEdit(models.Model):
    """One saved change to a concept: the revision it produced, by whom, what. Shown when a save is refused
    because somebody else saved first."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="edits")
    revision = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    category = models.CharField(max_length=30, default=Category.TRAJECTORY)
    summary = models.CharField(max_length=500)

    class Meta:
        ordering = ["version", "revision"]


# --- Integration (Wet inburgering 2021) ------------------------------------------------------------------


class Component(models.TextChoices):
    MAP = "map", "MAP (Module Arbeidsmarkt en Participatie)"
    PVT = "pvt", "PVT (participatieverklaringstraject)"


class ComponentStatus(models.TextChoices):
    NIET_GESTART = "niet_gestart", "Niet gestart"
    BEZIG = "bezig", "Bezig"
    AFGEROND = "afgerond", "Afgerond"
    VRIJGESTELD = "vrijgesteld", "Vrijgesteld"


class ExemptionKind(models.TextChoices):
    ONTHEFFING = "ontheffing", "Ontheffing"
    VRIJSTELLING = "vrijstelling", "Vrijstelling"


class SwitchStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", "Wacht op goedkeuring"
    GOEDGEKEURD = "goedgekeurd", "Goedgekeurd"
    AFGEWEZEN = "afgewezen", "Afgewezen"


class IntegrationRecord(models.Model):
    """A participant's integration obligation: its start, and the completion of the leerroute."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="integration")
    obligation_start = models.DateField(
        "start inburgeringsplicht", null=True, blank=True,
        help_text="De datum waarop de inburgeringsplicht begon (de PIP-termijn en de wisseltermijn tellen vanaf "
        "hier).",
    )
    route_completed_on = models.DateField("leerroute afgerond op", null=True, blank=True)
    route_completed = models.CharField(
        "afgeronde leerroute", max_length=10, choices=LearningRoute.choices, blank=True
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "inburgering"
        verbose_name_plural = "inburgering"


class RouteSwitch(models.Model):
    """A change of leerroute: from, to, on which date and why; later than the window it needs approval."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="route_switches")
    from_route = models.CharField("van", max_length=10, choices=LearningRoute.choices)
    to_route = models.CharField("naar", max_length=10, choices=LearningRoute.choices)
    switch_on = models.DateField("datum wissel")
    reason = models.TextField("reden", blank=True)
    needs_approval = models.BooleanField(default=False)
    status = models.CharField(max_length=15, choices=SwitchStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("toelichting besluit", max_length=300, blank=True)

    class Meta:
        verbose_name = "leerroutewissel"
        verbose_name_plural = "leerroutewissels"
        ordering = ["-switch_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=Q(status="aangevraagd"), name="one_open_route_switch"
            ),
        ]


class ComponentProgress(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="integration_components")
    component = models.CharField("onderdeel", max_length=10, choices=Component.choices)
    status = models.CharField(
        "status", max_length=15, choices=ComponentStatus.choices, default=ComponentStatus.NIET_GESTART
    )
    status_on = models.DateField("sinds")
    note = models.CharField("toelichting", max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "onderdeel inburgering"
        verbose_name_plural = "onderdelen inburgering"
        constraints = [
            models.UniqueConstraint(fields=["participant", "component"], name="unique_participant_component")
        ]


class Exemption(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="exemptions")
    kind = models.CharField("soort", max_length=15, choices=ExemptionKind.choices)
    part = models.CharField(
        "waarvoor", max_length=200, help_text="Bijvoorbeeld: de hele inburgeringsplicht, de MAP, het onderdeel lezen."
    )
    decided_on = models.DateField("datum besluit")
    reason = models.TextField("reden")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ontheffing of vrijstelling"
        verbose_name_plural = "ontheffingen en vrijstellingen"
        ordering = ["-decided_on", "-id"]


class ClosingInterview(models.Model):
    """The eindgesprek: required before a Z-route can be recorded as completed."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="closing_interviews")
    held_on = models.DateField("datum eindgesprek")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="gevoerd door"
    )
    summary = models.TextField("samenvatting")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "eindgesprek"
        verbose_name_plural = "eindgesprekken"
        ordering = ["-held_on", "-id"]
