"""Activity catalogue, enrolments, groups, weekly pattern, sessions and attendance."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q

from koers.core.codes import (
    ActivityKind,
    AttendanceStatus,
    Delivery,
    DropoutReason,
    EnrolmentStatus,
    SessionStatus,
)
from koers.core.models import Organisation

WEEKDAYS = [(0, "maandag"), (1, "dinsdag"), (2, "woensdag"), (3, "donderdag"), (4, "vrijdag"), (5, "zaterdag"),
            (6, "zondag")]
DAY_CODES = ["ma", "di", "wo", "do", "vr", "za", "zo"]


def dagdeel_of(start: time) -> str:
    """The part of the day a time slot starts in: o (ochtend, before 12:00), m (middag, before 17:00), a."""
    if start < time(12, 0):
        return "o"
    if start < time(17, 0):
        return "m"
    return "a"


class Activity(models.Model):
    """Something a provider offers: a course, training, theme meeting, work experience, ..."""

    provider = models.ForeignKey(
        Organisation, verbose_name="aanbieder", on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField("titel", max_length=200)
    kind = models.CharField("soort", max_length=40, choices=ActivityKind.choices)
    description = models.TextField("omschrijving", blank=True)
    theme = models.CharField(
        "thema", max_length=120, blank=True,
        help_text="Voor het tweestapsmodel: hetzelfde thema eerst in de eigen taal, dan in de Nederlandse les.",
    )
    follows = models.ForeignKey(
        "self", verbose_name="volgt op", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="followed_by",
        help_text="Tweestapsmodel: de themabijeenkomst in de eigen taal waarop deze les voortbouwt.",
    )
    is_group = models.BooleanField("groepsactiviteit", default=True)
    delivery = models.CharField("vorm", max_length=10, choices=Delivery.choices, default=Delivery.FYSIEK)
    location = models.CharField("locatie", max_length=200, blank=True)
    language = models.CharField(
        "voertaal", max_length=3, default="nl", help_text="ISO 639-code, bijvoorbeeld nl, ar of ti."
    )
    start_date = models.DateField("startdatum")
    end_date = models.DateField("einddatum")
    min_group_size = models.PositiveSmallIntegerField("minimale groepsgrootte", null=True, blank=True)
    max_group_size = models.PositiveSmallIntegerField("maximale groepsgrootte", null=True, blank=True)
    required_levels = models.JSONField(
        "vereist taalniveau", default=dict, blank=True,
        help_text='Per vaardigheid het minimale niveau, bijvoorbeeld {"spreken": "A2"}.',
    )
    certificate = models.CharField("certificaat", max_length=120, blank=True)
    is_published = models.BooleanField("gepubliceerd", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "activiteit"
        verbose_name_plural = "activiteiten"
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="activity_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_fixed(self) -> bool:
        """The formal language course is the fixed block of a week; everything else is planned around it."""
        return self.kind == ActivityKind.TAAL_FORMEEL


class ActivitySlot(models.Model):
    """One weekly recurring time block of an activity (its weekly pattern)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField("dag", choices=WEEKDAYS)
    start_time = models.TimeField("van")
    end_time = models.TimeField("tot")

    class Meta:
        verbose_name = "tijdblok"
        verbose_name_plural = "weekpatroon"
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="slot_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def dagdeel(self) -> str:
        """Code like "ma_o" (see core.codes.DAGDELEN)."""
        return f"{DAY_CODES[self.weekday]}_{dagdeel_of(self.start_time)}"

    @property
    def hours(self) -> float:
        minutes = (self.end_time.hour - self.start_time.hour) * 60 + self.end_time.minute - self.start_time.minute
        return minutes / 60


class Group(models.Model):
    """A group of participants taking a group activity together."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("naam", max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "groep"
        verbose_name_plural = "groepen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="enrolments"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="enrolments")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments")
    start_date = models.DateField("start")
    end_date = models.DateField("einde", null=True, blank=True)
    status = models.CharField("status", max_length=12, choices=EnrolmentStatus.choices, default="aangemeld")
    dropout_reason = models.CharField(
        "reden uitval", max_length=30, choices=DropoutReason.choices, blank=True
    )
    dropout_note = models.CharField("toelichting uitval", max_length=300, blank=True)
    dropout_note_is_special = models.BooleanField(
        "toelichting is bijzonder persoonsgegeven", default=False,
        help_text="Alleen zichtbaar voor wie bijzondere persoonsgegevens van deze deelnemer mag zien. "
                  "Altijd zo bij een reden van uitval die over gezondheid gaat.",
    )
    requirement_override = models.CharField(
        "reden afwijken van instapeisen", max_length=300, blank=True,
        help_text="Vastgelegd als de deelnemer niet aan de instapeisen voldoet en toch wordt ingeschreven.",
    )
    conflict_override = models.CharField("reden ondanks roosterconflict", max_length=300, blank=True)
    membership = models.ForeignKey(
        "participants.Membership", verbose_name="toegang van de aanbieder", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
        help_text="De betrokkenheid die de aanbieder met deze inschrijving kreeg (core.access.enrolment_access); "
                  "die eindigt met de inschrijving.",
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "inschrijving"
        verbose_name_plural = "inschrijvingen"
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["participant", "status"], name="enrolment_participant_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.UITGEVALLEN) | ~Q(dropout_reason=""),
                name="enrolment_dropout_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in {self.activity}"


class ClosedDay(models.Model):
    """A holiday or closing day of a provider: no sessions are generated on it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField("datum")
    reason = models.CharField("reden", max_length=120)

    class Meta:
        verbose_name = "vrije dag"
        verbose_name_plural = "vrije dagen"
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="unique_closed_day")]


class Session(models.Model):
    """One meeting of an activity (or of one of its groups) on a date, generated from the weekly pattern."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions")
    date = models.DateField("datum")
    start_time = models.TimeField("van")
    end_time = models.TimeField("tot")
    status = models.CharField("status", max_length=12, choices=SessionStatus.choices, default=SessionStatus.GEPLAND)
    note = models.CharField("opmerking", max_length=200, blank=True)

    class Meta:
        verbose_name = "bijeenkomst"
        verbose_name_plural = "bijeenkomsten"
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["activity", "date"], name="session_activity_date")]
        constraints = [
            # (Unique also without a group: generation checks that itself, since NULLs are distinct in SQL.)
            models.UniqueConstraint(fields=["activity", "group", "date", "start_time"], name="unique_session"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%d-%m-%Y} {self.start_time:%H:%M}"


class Attendance(models.Model):
    """Whether a participant was at a session. participant_id is stored too, for per-person rates."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField("aanwezigheid", max_length=30, choices=AttendanceStatus.choices)
    note = models.CharField("opmerking", max_length=200, blank=True)
    note_is_special = models.BooleanField(
        "opmerking is bijzonder persoonsgegeven", default=False,
        help_text="Bijvoorbeeld een afspraak bij de huisarts. Alleen zichtbaar voor wie bijzondere "
                  "persoonsgegevens van deze deelnemer mag zien; wie de opmerking schrijft zonder dat recht, "
                  "ziet daarna 'afgeschermde notitie'.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "aanwezigheid"
        verbose_name_plural = "aanwezigheid"
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="unique_attendance")]
        indexes = [
            models.Index(fields=["participant", "status"], name="attendance_participant_status"),
            models.Index(fields=["enrolment", "status"], name="attendance_enrolment_status"),
        ]
