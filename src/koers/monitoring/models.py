"""Programmes, projects, trajectories (the monitoring's unit of analysis) and follow-up measurements.

The reporting engine (``indicators.py``) reads one table: ``Trajectory`` — one participant in one project.
A trajectory is either *native* (linked to a participant file; its characteristics and outcome are copied
from the file, the closure and the placement records by ``sync.py`` whenever those change) or *imported*
(``source = import``, no participant file, identified by ``extern_id`` within the programme). Both are
counted by exactly the same rules, so an imported programme and a natively recorded one report alike.

"Unknown" is a value: code fields default to ``onbekend``; numbers and dates are NULL when unknown.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from koers.core.codes import (
    ContractType,
    DropoutReason,
    EducationEntered,
    EducationLevel,
    EntryPoint,
    Gender,
    LanguageLevel,
    LearningRoute,
    MigrationStatus,
    Outcome,
    YesNoUnknown,
)

#: Programme codes that are fixed paths under /monitoring/ (a programme with such a code could not be reached).
RESERVED_PROGRAMME_CODES = frozenset({"nieuw", "vervolgmetingen", "deelnames", "deelnemers"})


def _new_salt() -> str:
    return secrets.token_hex(16)


class Programme(models.Model):
    """A funded programme (e.g. NBNB) or a municipality's own work, monitored as a whole."""

    code = models.SlugField("code", max_length=40, unique=True, help_text="Korte code, bijvoorbeeld nbnb.")
    name = models.CharField("naam", max_length=200)
    funder = models.CharField("financier", max_length=200, blank=True)
    owner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_programmes",
        verbose_name="opdrachtgever / regie",
        help_text="De organisatie die het programma beheert en alle projecten ziet.",
    )
    research_organisations = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="researched_programmes",
        verbose_name="onderzoeksorganisaties",
        help_text="Onderzoekers van deze organisaties krijgen geaggregeerde cijfers en de gepseudonimiseerde export.",
    )
    starts_on = models.DateField("startdatum", null=True, blank=True)
    ends_on = models.DateField("einddatum", null=True, blank=True)
    description = models.TextField("omschrijving en einddoel", blank=True)
    #: Per-programme salt of the research pseudonyms (with the server's key); never shown, never exported.
    pseudonym_salt = models.CharField(max_length=64, default=_new_salt, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = "programma"
        verbose_name_plural = "programma's"

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A project within a programme, run by one organisation (a tranche is a separate project)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="projects")
    code = models.SlugField("code", max_length=60)
    name = models.CharField("naam", max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="monitoring_projects",
        verbose_name="uitvoerende organisatie",
        null=True,
        blank=True,
    )
    tranche = models.CharField("tranche", max_length=40, blank=True)
    starts_on = models.DateField("startdatum", null=True, blank=True)
    ends_on = models.DateField("einddatum", null=True, blank=True)
    target_group = models.TextField("doelgroep", blank=True)
    planned_participants = models.PositiveIntegerField("gepland aantal deelnemers", null=True, blank=True)
    duration = models.CharField("looptijd en trajectduur", max_length=200, blank=True)
    intensity = models.CharField("intensiteit", max_length=300, blank=True)
    # Intervention logic (interventielogica, Kok & Sol).
    entry_point = models.CharField(
        "aangrijpingspunt", max_length=10, choices=EntryPoint.choices, default=EntryPoint.ONBEKEND
    )
    problem = models.TextField("probleem", blank=True)
    instruments = models.TextField("instrumenten", blank=True)
    mechanisms = models.TextField("mechanismen", blank=True)
    intermediate_goals = models.TextField("tussendoelen", blank=True)
    imported = models.BooleanField("geïmporteerd", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = "project"
        verbose_name_plural = "projecten"
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="project_code_per_programme")]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> str:
        if self.ends_on and self.ends_on < timezone.localdate():
            return "afgerond"
        return "loopt"


class ProjectTarget(models.Model):
    """Expected outflow for one outcome code, with the reason the number is what it is."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    outcome = models.CharField("uitstroom", max_length=30, choices=Outcome.choices)
    count = models.PositiveIntegerField("aantal")
    rationale = models.TextField("onderbouwing", blank=True)

    class Meta:
        ordering = ["project", "outcome"]
        verbose_name = "doelstelling"
        verbose_name_plural = "doelstellingen"
        constraints = [models.UniqueConstraint(fields=["project", "outcome"], name="one_target_per_outcome")]

    def __str__(self) -> str:
        return f"{self.project}: {self.count} × {self.get_outcome_display()}"


class Source(models.TextChoices):
    KOERS = "koers", "Vastgelegd in Koers"
    IMPORT = "import", "Geïmporteerd"


class Trajectory(models.Model):
    """One participant's trajectory in one project: the row every indicator counts.

    ``outcome`` is empty while the trajectory runs; an ended trajectory always has an outcome (``onbekend`` is a
    value). Numbers: ``contract_months`` NULL = unknown or not applicable (permanent contract),
    ``hours_per_week`` NULL = unknown and 0 = zero-hours contract.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="trajectories")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="trajectories")
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="monitoring_trajectories",
        null=True,
        blank=True,
    )
    extern_id = models.CharField("extern id", max_length=80, blank=True)
    source = models.CharField("bron", max_length=10, choices=Source.choices, default=Source.KOERS)

    gender = models.CharField("geslacht", max_length=10, choices=Gender.choices, default=Gender.ONBEKEND)
    birth_year = models.PositiveSmallIntegerField("geboortejaar", null=True, blank=True)
    country_of_origin = models.CharField("land van herkomst", max_length=2, blank=True)
    education_level = models.CharField(
        "opleidingsniveau herkomstland", max_length=20, choices=EducationLevel.choices, default="onbekend"
    )
    migration_status = models.CharField(
        "verblijfsstatus", max_length=30, choices=MigrationStatus.choices, default="onbekend"
    )
    learning_route = models.CharField("leerroute", max_length=20, choices=LearningRoute.choices, default="onbekend")
    level_spreken = models.CharField(
        "taalniveau spreken", max_length=10, choices=LanguageLevel.choices, default="onbekend"
    )

    started_on = models.DateField("startdatum", null=True, blank=True)
    ended_on = models.DateField("einddatum", null=True, blank=True)
    outcome = models.CharField("uitstroom", max_length=30, choices=Outcome.choices, blank=True)
    dropout_reason = models.CharField("reden uitval", max_length=30, choices=DropoutReason.choices, blank=True)
    first_placement_on = models.DateField("eerste plaatsing", null=True, blank=True)

    job_title = models.CharField("functie", max_length=200, blank=True)
    contract_type = models.CharField("contractsoort", max_length=20, choices=ContractType.choices, blank=True)
    contract_months = models.PositiveSmallIntegerField("contractduur (maanden)", null=True, blank=True)
    hours_per_week = models.DecimalField(
        "uren per week", max_digits=4, decimal_places=1, null=True, blank=True, help_text="0 = nulurencontract."
    )
    education_entered = models.CharField(
        "niveau opleiding", max_length=10, choices=EducationEntered.choices, blank=True
    )
    education_field = models.CharField("richting opleiding", max_length=200, blank=True)

    work_6m = models.CharField(
        "betaald werk na 6 maanden", max_length=10, choices=YesNoUnknown.choices, default="onbekend"
    )
    work_12m = models.CharField(
        "betaald werk na 12 maanden", max_length=10, choices=YesNoUnknown.choices, default="onbekend"
    )

    imported_at = models.DateTimeField("geïmporteerd op", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = "trajectdeelname"
        verbose_name_plural = "trajectdeelnames"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "extern_id"],
                condition=~Q(extern_id=""),
                name="extern_id_unique_per_programme",
            ),
            models.UniqueConstraint(
                fields=["project", "participant"],
                condition=Q(participant__isnull=False),
                name="one_trajectory_per_project_participant",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=False) | ~Q(extern_id=""),
                name="trajectory_has_participant_or_extern_id",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "project", "outcome"], name="traj_prog_proj_outcome"),
        ]

    def __str__(self) -> str:
        return self.extern_id or f"deelname {self.pk}"

    @property
    def is_imported(self) -> bool:
        return self.source == Source.IMPORT

    @property
    def is_active(self) -> bool:
        return not self.outcome


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    GEDAAN = "gedaan", "Gedaan"
    NIET_BEREIKT = "niet_bereikt", "Deelnemer niet bereikt"


class FollowUp(models.Model):
    """A follow-up measurement (vervolgmeting) N months after the trajectory ended: still in paid work?"""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField("maanden na afsluiting")
    due_on = models.DateField("uiterlijk op")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="verantwoordelijke organisatie"
    )
    status = models.CharField("status", max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    in_paid_work = models.CharField(
        "heeft betaald werk", max_length=10, choices=YesNoUnknown.choices, default="onbekend"
    )
    #: What the placement records already say (shown as a proposal; a person confirms).
    prefill = models.CharField("voorstel uit plaatsingen", max_length=10, choices=YesNoUnknown.choices, blank=True)
    prefill_reason = models.CharField("grond voor het voorstel", max_length=300, blank=True)
    note = models.CharField("toelichting", max_length=500, blank=True)
    done_on = models.DateField("gemeten op", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "vervolgmeting"
        verbose_name_plural = "vervolgmetingen"
        constraints = [models.UniqueConstraint(fields=["trajectory", "months"], name="one_follow_up_per_moment")]

    def __str__(self) -> str:
        return f"vervolgmeting {self.months} maanden"


class ImportRun(models.Model):
    """One applied import (projects or participants file): who, when, which file, what it changed."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField("soort", max_length=20, choices=[("projects", "Projecten"), ("participants", "Deelnemers")])
    filename = models.CharField("bestand", max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField("regels", default=0)
    created = models.PositiveIntegerField("nieuw", default=0)
    updated = models.PositiveIntegerField("bijgewerkt", default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"
