"""Mijn Koers: a participant's portal account and the invitation letters that activate it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from koers.core import uploads


class PortalAccount(models.Model):
    """The link between a participant and the login (a ``core.User`` with ``is_participant``) they use at /mijn/.

    One account per participant. The language is the portal's interface language (the plan's own texts stay as
    staff wrote them, in Dutch). ``activated_at`` is empty until the participant set a password with a code.
    """

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="portal_account", verbose_name="deelnemer"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account", verbose_name="account"
    )
    language = models.CharField("taal van Mijn Koers", max_length=8, default="nl")
    created_at = models.DateTimeField("aangemaakt", default=timezone.now)
    activated_at = models.DateTimeField("geactiveerd op", null=True, blank=True)
    last_login_at = models.DateTimeField("laatst ingelogd", null=True, blank=True)
    #: The participant asked for a short e-mail (to the address in their file) when there is news for them.
    email_notices = models.BooleanField("e-mail bij nieuws", default=False)
    #: When the last such e-mail went out: no next one until the participant has logged in since.
    notified_at = models.DateTimeField("laatste e-mail bij nieuws", null=True, blank=True)

    class Meta:
        verbose_name = "account Mijn Koers"
        verbose_name_plural = "accounts Mijn Koers"

    def __str__(self) -> str:
        return f"Mijn Koers van {self.participant_id}"

    @property
    def is_active(self) -> bool:
        return self.activated_at is not None and self.user.is_active


class Invitation(models.Model):
    """One printed invitation letter: a one-time activation code, stored only as a hash.

    A new letter voids the older ones; a code is void once used, after its expiry date, or after too many wrong
    tries (``settings.KOERS_PORTAL_CODE_ATTEMPTS``). Resetting a forgotten password is a new letter from the
    regisseur: the participant then chooses a new password with the new code.
    """

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=128)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField("geldig tot")
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "uitnodiging Mijn Koers"
        verbose_name_plural = "uitnodigingen Mijn Koers"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Uitnodiging {self.created_at:%d-%m-%Y}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.voided_at is None and self.expires_at > now


def portfolio_file_path(instance: PortfolioItem, filename: str) -> str:
    """A random name: the name of an uploaded file may hold personal data (the shown name is kept apart)."""
    return uploads.random_path("portfolio", instance.participant_id, filename)


class PortfolioItem(models.Model):
    """Something the participant did or learned and adds to their portfolio themselves (issue 13, item 5).

    A photo of their work, a reference letter, a course outside Koers: a title, a short description, an optional
    date and file (PDF, JPEG or PNG, checked by ``core.uploads``), and whether it goes on the CV. Only the
    participant writes these (in Mijn Koers); staff see them read-only on the file. Category ``werk``.
    """

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="portfolio_items",
        verbose_name="deelnemer",
    )
    title = models.CharField("titel", max_length=120)
    description = models.TextField("beschrijving", max_length=1000, blank=True)
    happened_on = models.DateField("datum", null=True, blank=True)
    file = models.FileField("bestand", upload_to=portfolio_file_path, blank=True)
    file_name = models.CharField("naam van het bestand", max_length=120, blank=True)
    on_cv = models.BooleanField("op het cv", default=True)
    created_at = models.DateTimeField("toegevoegd", default=timezone.now)
    updated_at = models.DateTimeField("gewijzigd", default=timezone.now)

    class Meta:
        verbose_name = "portfolio-item"
        verbose_name_plural = "portfolio-items"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["participant", "created_at"], name="portfolio_participant")]

    def __str__(self) -> str:
        return self.title
class Passkey(models.Model):
    """A passkey (WebAuthn credential) the participant added to log in without a password.

    Only the public key is kept; the private key never leaves the participant's phone. ``credential_id`` is the
    authenticator's id for it (base64url), unique over all accounts: a login with it can only open this account.
    """

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    name = models.CharField("naam", max_length=60)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "passkey Mijn Koers"
        verbose_name_plural = "passkeys Mijn Koers"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
