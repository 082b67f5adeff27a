"""Casework. The foundation starts with action items; contacts, signals and case meetings follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from koers.core.codes import ActionStatus, LifeDomain
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
