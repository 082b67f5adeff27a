"""Organisations, staff, roles and the audit trail."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property

from koers.core.codes import OrganisationKind, Role


class Organisation(models.Model):
    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=40, choices=OrganisationKind.choices)
    municipality = models.CharField(
        "gemeente / regio", max_length=120, blank=True, help_text="Werkgebied, bijvoorbeeld de gemeente."
    )
    email = models.EmailField("algemeen e-mailadres", blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    is_active = models.BooleanField("actief", default=True)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def staff_language_choices() -> list[tuple[str, str]]:
    """The languages of ``KOERS_STAFF_LANGUAGES``, each named in its own language (``settings.LANGUAGES``)."""
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in settings.KOERS_STAFF_LANGUAGES]


class StaffManager(UserManager):
    """Loads the organisation with the user: every request needs it for the access policy."""

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


class User(AbstractUser):
    """A staff member. Belongs to exactly one organisation; roles say what they do there.

    A participant's portal account (``is_participant``) is a row here too, so that passwords, sessions and the
    login lockout are one machinery; it has no organisation and no roles, so the access policy gives it nothing,
    and ``ParticipantConfinementMiddleware`` keeps it inside the portal. What it may see is the portal's door.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    phone = models.CharField("telefoon", max_length=30, blank=True)
    is_participant = models.BooleanField(
        "deelnemer", default=False, editable=False,
        help_text="Een account van een deelnemer voor Mijn Koers (/mijn/): geen medewerker, geen organisatie.",
    )

    interface_language = models.CharField(
        "taal van Koers", max_length=8, default="nl", choices=staff_language_choices,
        help_text="De taal van de pagina's voor medewerkers. Wat nog niet vertaald is, blijft Nederlands.",
    )

    objects = StaffManager()

    class Meta:
        verbose_name = "medewerker"
        verbose_name_plural = "medewerkers"
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels[r] for r in sorted(self.role_codes)]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("rol", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "rollen"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class AuditAction(models.TextChoices):
    VIEW = "bekijken", "Bekeken"
    LIST = "lijst", "In lijst getoond"
    CREATE = "aanmaken", "Aangemaakt"
    UPDATE = "wijzigen", "Gewijzigd"
    DELETE = "verwijderen", "Verwijderd"
    EXPORT = "exporteren", "Geëxporteerd"
    GRANT = "toegang_verleend", "Toegang verleend"
    REVOKE = "toegang_ingetrokken", "Toegang ingetrokken"
    DENIED = "geweigerd", "Toegang geweigerd"
    ADMIN = "beheer", "Beheerhandeling"
    IMPORT = "importeren", "Geïmporteerd"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("De audittrail is alleen-toevoegen: records kunnen niet worden gewijzigd.")

    def delete(self):
        raise PermissionError("De audittrail is alleen-toevoegen: records kunnen niet worden verwijderd.")


class AuditEvent(models.Model):
    """One access to or change of participant data. Append-only, hash-chained.

    Not a foreign key to the participant on purpose: the trail must outlive the participant's record
    (retention) and must never be cascaded away. A database trigger refuses UPDATE and DELETE.
    """

    at = models.DateTimeField("tijdstip", db_index=True)
    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, db_constraint=False, related_name="+"
    )
    user_name = models.CharField("medewerker", max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, db_constraint=False, related_name="+"
    )
    organisation_name = models.CharField("organisatie", max_length=200)
    participant_id = models.BigIntegerField("deelnemer", null=True, db_index=True)
    category = models.CharField("gegevenscategorie", max_length=30)
    action = models.CharField("actie", max_length=30, choices=AuditAction.choices)
    legal_basis = models.CharField("grondslag", max_length=30)
    detail = models.CharField("omschrijving", max_length=500, blank=True)
    path = models.CharField("adres", max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "auditrecord"
        verbose_name_plural = "audittrail"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["participant_id", "at"], name="audit_participant_at")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("De audittrail is alleen-toevoegen: records kunnen niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("De audittrail is alleen-toevoegen: records kunnen niet worden verwijderd.")

    def payload(self) -> str:
        return json.dumps(
            [
                self.at.isoformat(),
                self.user_id,
                self.user_name,
                self.organisation_id,
                self.organisation_name,
                self.participant_id,
                self.category,
                self.action,
                self.legal_basis,
                self.detail,
                self.path,
            ],
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.payload()).encode()).hexdigest()


class MunicipalityPolicy(models.Model):
    """Rules a municipality configures (defaults from the Wet inburgering 2021 and common practice)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="policy", verbose_name="gemeente"
    )
    pip_due_weeks = models.PositiveSmallIntegerField(
        "PIP vastgesteld binnen (weken)", default=10,
        help_text="Na de start van de inburgeringsplicht (Wet inburgering 2021: 10 weken).",
    )
    route_switch_months = models.PositiveSmallIntegerField(
        "leerroute wisselen binnen (maanden)", default=18,
        help_text="Later wisselen vraagt een vastgelegde reden en goedkeuring.",
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        "maximaal aantal uren activiteiten per week", default=32
    )
    no_contact_days = models.PositiveSmallIntegerField("signaal na dagen zonder contact", default=7)
    min_attendance_percent = models.PositiveSmallIntegerField("signaal bij aanwezigheid onder (%)", default=80)
    signal_snooze_days = models.PositiveSmallIntegerField(
        "afgehandeld signaal komt terug na (dagen)", default=7,
        help_text="Een signaal dat is afgehandeld maar waarvan de oorzaak blijft, verschijnt daarna opnieuw.",
    )
    not_discussed_weeks = models.PositiveSmallIntegerField(
        "voorstellen voor casusoverleg na (weken) niet besproken", default=8
    )
    # Weighted caseload (Lino Welfare-style): a weight per phase plus extras per flag.
    weight_intake = models.DecimalField("gewicht fase intake", max_digits=4, decimal_places=1, default=1.5)
    weight_traject = models.DecimalField("gewicht actief traject", max_digits=4, decimal_places=1, default=1.0)
    weight_nazorg = models.DecimalField("gewicht plaatsing met nazorg", max_digits=4, decimal_places=1, default=0.7)
    weight_multiproblem = models.DecimalField(
        "extra gewicht multiproblematiek", max_digits=4, decimal_places=1, default=0.5,
        help_text="Bij drie of meer vastgelegde belemmeringen.",
    )
    weight_interpreter = models.DecimalField("extra gewicht tolk nodig", max_digits=4, decimal_places=1, default=0.2)

    class Meta:
        verbose_name = "gemeentelijke regels"
        verbose_name_plural = "gemeentelijke regels"

    def __str__(self) -> str:
        return f"Regels {self.organisation}"

    @classmethod
    def for_organisation(cls, organisation_id: int) -> MunicipalityPolicy:
        """The stored rules, or the defaults (unsaved) when the municipality has not set any."""
        return cls.objects.filter(organisation_id=organisation_id).first() or cls(organisation_id=organisation_id)

    @classmethod
    def for_participant(cls, participant) -> MunicipalityPolicy:
        """The rules of the participant's regie municipality, read once per participant object (per request)."""
        policy = getattr(participant, "_koers_policy", None)
        if policy is None or policy.organisation_id != participant.regie_organisation_id:
            policy = cls.for_organisation(participant.regie_organisation_id)
            participant._koers_policy = policy
        return policy
