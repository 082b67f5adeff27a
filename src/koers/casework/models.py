"""Casework. The foundation starts with action items; contacts, signals and case meetings follow."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from koers.core import uploads
from koers.core.codes import ActionStatus, AppointmentStatus, ContactKind, HandoverStatus, LifeDomain, MeetingStatus
from koers.core.models import Organisation


class ActionItem(models.Model):
    """A follow-up assigned to an organisation (and optionally a person), e.g. from the brede intake."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField("actiepunt", max_length=200)
    description = models.TextField("toelichting", blank=True)
    domain = models.CharField("leefdomein", max_length=30, choices=LifeDomain.choices, blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, related_name="action_items"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="uitvoerder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_date = models.DateField("uiterlijk op")
    status = models.CharField(
        "status", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    source_intake = models.ForeignKey(
        "participants.Intake", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    source_contact = models.ForeignKey(
        "casework.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    source_goal = models.ForeignKey(
        "plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    source_meeting_item = models.ForeignKey(
        "casework.CaseMeetingItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions",
        verbose_name="besluit in casusoverleg",
    )
    escalated_at = models.DateTimeField("geëscaleerd naar regisseur op", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "actiepunt"
        verbose_name_plural = "actiepunten"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner_organisation", "status", "due_date"], name="action_org_status")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.BEZIG) and self.due_date < timezone.localdate()


class Contact(models.Model):
    """A recorded contact with or about a participant. Guidance hours are derived from these."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField("soort contact", max_length=20, choices=ContactKind.choices)
    happened_at = models.DateTimeField("datum en tijd")
    duration_minutes = models.PositiveSmallIntegerField("duur (minuten)")
    organisation = models.ForeignKey(
        Organisation, verbose_name="namens organisatie", on_delete=models.PROTECT, related_name="contacts"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="medewerkers", related_name="contacts", blank=True,
        help_text="Medewerkers die deelnamen, ook van andere organisaties.",
    )
    participant_present = models.BooleanField("deelnemer aanwezig", default=True)
    third_party = models.CharField(
        "derde partij", max_length=200, blank=True, help_text="Bij een driegesprek: met wie (bijv. de werkgever)."
    )
    employer_present = models.BooleanField("werkgever aanwezig", default=False)
    interpreter_present = models.BooleanField("tolk of bruggenbouwer aanwezig", default=False)
    summary = models.TextField("verslag")
    agreements = models.TextField("afspraken", blank=True)
    follow_up = models.TextField("vervolg", blank=True)
    is_special = models.BooleanField(
        "bevat bijzondere persoonsgegevens", default=False,
        help_text="Bijvoorbeeld over gezondheid: alleen zichtbaar voor wie daar een grondslag voor heeft.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contactmoment"
        verbose_name_plural = "contactmomenten"
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["participant", "happened_at"], name="contact_participant_at"),
            models.Index(fields=["organisation", "happened_at"], name="contact_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%d-%m-%Y}"


class SignalAcknowledgement(models.Model):
    """A staff member saw a signal and noted what they did; the signal returns after the snooze period if its
    condition persists. Signals themselves are never stored: they are computed from the records."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    code = models.CharField("signaal", max_length=40)
    subject = models.CharField(
        "betreft", max_length=60, blank=True, help_text="Welk object (bijv. actiepunt 12), leeg voor de deelnemer."
    )
    note = models.CharField("notitie", max_length=300)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)
    snooze_until = models.DateField("terug op")

    class Meta:
        verbose_name = "afgehandeld signaal"
        verbose_name_plural = "afgehandelde signalen"
        ordering = ["-acknowledged_at"]
        indexes = [models.Index(fields=["participant", "code", "snooze_until"], name="ack_participant_code")]


class DiscussionRequest(models.Model):
    """A partner's request to discuss a participant in the next case meeting ("bespreken in casusoverleg")."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("waarom bespreken", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    handled_in = models.ForeignKey(
        "CaseMeetingItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        verbose_name = "verzoek tot bespreking"
        verbose_name_plural = "verzoeken tot bespreking"
        ordering = ["created_at"]


class CaseMeeting(models.Model):
    """A casusoverleg of the regie organisation with partners."""

    regie_organisation = models.ForeignKey(
        Organisation, verbose_name="regie-organisatie", on_delete=models.PROTECT, related_name="case_meetings"
    )
    date = models.DateField("datum")
    title = models.CharField("titel", max_length=200, default="Casusoverleg")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="voorzitter", on_delete=models.PROTECT, related_name="+"
    )
    organisations = models.ManyToManyField(Organisation, verbose_name="deelnemende organisaties", related_name="+")
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="aanwezigen", related_name="case_meetings", blank=True
    )
    status = models.CharField(max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.GEPLAND)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "casusoverleg"
        verbose_name_plural = "casusoverleggen"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.date:%d-%m-%Y}"

    @property
    def has_taken_place(self) -> bool:
        """Whether the meeting's day has come: minutes are adopted on or after it, never before."""
        return self.date <= timezone.localdate()


class CaseMeetingItem(models.Model):
    """One participant on the agenda of a case meeting, with the minutes for them."""

    meeting = models.ForeignKey(CaseMeeting, on_delete=models.CASCADE, related_name="items")
    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField("reden op de agenda", max_length=300, blank=True)
    note = models.TextField("verslag", blank=True)
    note_is_special = models.BooleanField(
        "verslag bevat bijzondere persoonsgegevens", default=False,
        help_text="Bijvoorbeeld over gezondheid: alleen zichtbaar voor wie daar een grondslag voor heeft.",
    )
    discussed = models.BooleanField("besproken", default=False)

    class Meta:
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "participant"], name="unique_meeting_participant")]


class Handover(models.Model):
    """A warm handover to another counsellor or organisation, confirmed by the receiver."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="van", on_delete=models.PROTECT, related_name="+", null=True
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="naar", on_delete=models.PROTECT, related_name="handovers_received"
    )
    to_organisation = models.ForeignKey(Organisation, verbose_name="naar organisatie", on_delete=models.PROTECT,
                                        related_name="+")
    note = models.TextField("overdrachtsnotitie")
    snapshot = models.JSONField("overdrachtsdocument", default=dict)
    status = models.CharField(max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_note = models.CharField("reactie ontvanger", max_length=300, blank=True)

    class Meta:
        verbose_name = "warme overdracht"
        verbose_name_plural = "warme overdrachten"
        ordering = ["-created_at"]


def message_attachment_path(instance: Message, filename: str) -> str:
    """A random name under the participant's folder: the original name is kept in ``attachment_name`` only."""
    return uploads.random_path("berichten", instance.participant_id, filename)


class Message(models.Model):
    """A message in the conversation between a participant (through Mijn Koers) and the staff who guide them.

    Every message is also a contact of kind *bericht* in the file (``contact``): a participant's message resets the
    contact clock (participant present), a staff member's message counts as a few minutes of guidance but not as
    contact with the participant until they answer. The text lives here only; the contact says "Bericht via Mijn
    Koers", so a role that sees contacts but not the conversation (a teacher) does not read it.
    """

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="messages")
    contact = models.OneToOneField(Contact, on_delete=models.RESTRICT, related_name="message")
    from_participant = models.BooleanField("van de deelnemer")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="afzender", on_delete=models.PROTECT,
                               related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name="namens organisatie", on_delete=models.PROTECT,
                                     related_name="+")
    body = models.TextField("bericht")
    attachment = models.FileField("bijlage", upload_to=message_attachment_path, blank=True)
    attachment_name = models.CharField("naam van de bijlage", max_length=120, blank=True)
    sent_at = models.DateTimeField("verstuurd op", default=timezone.now)
    read_at = models.DateTimeField("gelezen op", null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="gelezen door", on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "bericht"
        verbose_name_plural = "berichten"
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["participant", "sent_at"], name="message_participant_at"),
            models.Index(fields=["participant", "from_participant", "read_at"], name="message_unread"),
        ]

    def __str__(self) -> str:
        return f"Bericht {timezone.localtime(self.sent_at):%d-%m-%Y %H:%M}"


class Appointment(models.Model):
    """A planned contact: a conversation, a home visit or a call on a set day and time.

    The participant sees it in Mijn Koers (my week, and tomorrow's first appointment on the home page), so
    ``purpose`` and ``location`` are written for them and never hold special-category data. When it took place,
    recording the contact from it (pre-filled) links ``contact`` and makes it *gehouden*.
    """

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE,
                                    related_name="appointments")
    kind = models.CharField("soort afspraak", max_length=20, choices=ContactKind.choices)
    starts_at = models.DateTimeField("datum en tijd")
    duration_minutes = models.PositiveSmallIntegerField("duur (minuten)", default=30)
    organisation = models.ForeignKey(Organisation, verbose_name="namens organisatie", on_delete=models.PROTECT,
                                     related_name="+")
    with_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="met medewerker", on_delete=models.PROTECT,
                                  related_name="+")
    purpose = models.CharField("waarover", max_length=200)
    location = models.CharField("waar", max_length=200, blank=True)
    status = models.CharField("status", max_length=20, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.GEPLAND)
    contact = models.OneToOneField(Contact, verbose_name="vastgelegd contact", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="appointment")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["participant", "starts_at"], name="appointment_participant_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)
