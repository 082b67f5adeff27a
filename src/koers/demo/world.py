"""The demo world: fictional organisations and staff, the demo logins, and the ``Loader`` every part writes with.

``Loader`` is the context of one ``koers demo`` run: today's date, the organisations and staff by key, and a count
of the rows created per kind (what ``koers demo`` prints). ``load`` creates the organisations and staff that are
missing (natural keys: organisation name, username) and restores a demo password that was changed. Every other
part (``participants``, ``activities``, ...) receives the loader; called on its own it makes one with ``context``.
All organisations and people are fictional. Rows are written with the ORM: seeding is not staff access, so it
writes no audit records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from koers.core import access
from koers.core.codes import SPECIAL_BARRIERS, Barrier, Category, LegalBasis, OrganisationKind, Role
from koers.core.models import Organisation, User, UserRole
from koers.participants.models import FIELD_CATEGORY, Membership, Participant, ParticipantChange

#: One password for every demo login. Demo only: demo mode is refused outside KOERS_DEMO=1.
DEMO_PASSWORD = "koers-demo-2026"  # noqa: S105 - the public demo password, refused outside demo mode

#: The purpose of a partner's membership, per organisation key.
TAAL_PURPOSE = "Taallessen NT2 en voortgangstoetsen"
MAATSCHAPPELIJK_PURPOSE = "Maatschappelijke begeleiding en werkvoorbereiding"
REINTEGRATIE_PURPOSE = "Trajectbegeleiding naar werk"
SOCIAAL_PURPOSE = "Vrijwilligerswerk en werkervaring met jobcoaching"

# --- Organisations and staff ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    municipality: str
    email: str


ORGANISATIONS = [
    OrgSpec("gemeente", "Gemeente Rivierstad", OrganisationKind.GEMEENTE, "Rivierstad", "werk@rivierstad.example"),
    OrgSpec(
        "taal",
        "Taalcentrum Rivierland",
        OrganisationKind.TAALAANBIEDER,
        "Rivierstad en omgeving",
        "info@taalcentrum-rivierland.example",
    ),
    OrgSpec(
        "reintegratie",
        "Werkkracht Re-integratie",
        OrganisationKind.REINTEGRATIE,
        "Rivierstad",
        "team@werkkracht.example",
    ),
    OrgSpec(
        "maatschappelijk",
        "Stichting Nieuw Thuis",
        OrganisationKind.MAATSCHAPPELIJK,
        "Rivierstad",
        "rivierstad@nieuwthuis.example",
    ),
    OrgSpec(
        "sociaal",
        "De Schakel, kringloop en atelier",
        OrganisationKind.SOCIAAL_ONDERNEMER,
        "Rivierstad",
        "werk@deschakel.example",
    ),
    OrgSpec(
        "heuvelrand", "Gemeente Heuvelrand", OrganisationKind.GEMEENTE, "Heuvelrand", "participatie@heuvelrand.example"
    ),
]


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    org: str  # "" for the platform administrator, who belongs to no organisation
    roles: tuple[str, ...]
    superuser: bool = False
    language: str = "nl"  # the staff pages' language (Mijn account): Tesfalem reads English better than Dutch


STAFF = [
    StaffSpec("regisseur", "Ingrid", "Bakker", "gemeente", (Role.REGISSEUR,)),
    StaffSpec("regisseur2", "Jeroen", "Smit", "gemeente", (Role.REGISSEUR,)),
    StaffSpec("accountmanager", "Mark", "Hendriks", "gemeente", (Role.ACCOUNTMANAGER,)),
    StaffSpec("projectleider", "Annemiek", "van Dijk", "gemeente", (Role.PROJECTLEIDER,)),
    StaffSpec("beheerder", "Pieter", "de Graaf", "gemeente", (Role.BEHEERDER,)),
    StaffSpec("onderzoeker", "Noor", "Vermeulen", "gemeente", (Role.ONDERZOEKER,)),
    StaffSpec("taaldocent", "Femke", "de Boer", "taal", (Role.TAALDOCENT,)),
    StaffSpec("begeleider", "Sanne", "Visser", "reintegratie", (Role.BEGELEIDER,)),
    StaffSpec("bruggenbouwer", "Tesfalem", "Habtu", "maatschappelijk", (Role.BRUGGENBOUWER,), language="en"),
    StaffSpec("maatschappelijk", "Lotte", "Jansen", "maatschappelijk", (Role.BEGELEIDER,)),
    StaffSpec("jobcoach", "Ruben", "Mulder", "sociaal", (Role.JOBCOACH,)),
    StaffSpec("heuvelrand", "Kees", "Brouwer", "heuvelrand", (Role.REGISSEUR,)),
    # Creates organisations and manages staff of every organisation (docs/privacy.md "Beheer").
    StaffSpec("platformbeheer", "Olga", "Platje", "", (), superuser=True),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    organisation: str
    roles: str


def demo_logins() -> list[DemoLogin]:
    """The demo accounts (all with DEMO_PASSWORD), as printed by ``koers demo``."""
    orgs = {o.key: o.name for o in ORGANISATIONS}
    labels = dict(Role.choices)
    return [
        DemoLogin(s.username, f"{s.first_name} {s.last_name}", orgs[s.org] if s.org else "—",
                  "platformbeheerder" if s.superuser else ", ".join(labels[r] for r in s.roles))
        for s in STAFF
    ]


# --- The loader ----------------------------------------------------------------------------------------


class Loader:
    """One run of ``koers demo``: today, the organisations and staff by key, and the rows created per kind."""

    def __init__(self):
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.created: dict[str, int] = {}
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self._password_hash: str | None = None
        self._verified_hashes: set[str] = set()

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def days_ago(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def at(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def since(self, before: dict[str, int]) -> dict[str, int]:
        """The rows created since ``before`` (a copy of ``created``), per kind: what one part added."""
        return {k: v - before.get(k, 0) for k, v in self.created.items() if v != before.get(k, 0)}

    # organisations and staff

    def organisations(self) -> None:
        for spec in ORGANISATIONS:
            org, created = Organisation.objects.get_or_create(
                name=spec.name, defaults={"kind": spec.kind, "municipality": spec.municipality, "email": spec.email}
            )
            self.orgs[spec.key] = org
            if created:
                self.count("organisaties")

    def _password_ok(self, user: User) -> bool:
        if user.password in self._verified_hashes:
            return True
        if user.check_password(DEMO_PASSWORD):
            self._verified_hashes.add(user.password)
            return True
        return False

    def _hash(self) -> str:
        # One argon2 hash shared by all demo accounts: hashing is slow on purpose, the password is the same.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
            self._verified_hashes.add(self._password_hash)
        return self._password_hash

    def password_hash(self) -> str:
        """The demo password's hash, for an account made by another part (the participants' portal accounts)."""
        return self._hash()

    def staff(self) -> None:
        for spec in STAFF:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                user = User.objects.create(
                    username=spec.username,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    email=f"{spec.username}@demo.koers.example",
                    organisation=self.orgs[spec.org] if spec.org else None,
                    password=self._hash(),
                    is_superuser=spec.superuser,
                    is_staff=spec.superuser,
                    interface_language=spec.language,
                )
                self.count("medewerkers")
            elif not self._password_ok(user):
                # The demo logins must work: restore the demo password when it was changed.
                user.password = self._hash()
                user.save(update_fields=["password"])
                self.count("wachtwoorden hersteld")
            for role in spec.roles:
                _, created = UserRole.objects.get_or_create(user=user, role=role)
                if created:
                    self.count("rollen")
            self.users[spec.username] = user

    # rows several parts write

    def membership(self, participant, org_key, basis, purpose, days_ago, special=False, ended_days_ago=None) -> None:
        """A partner's membership from ``days_ago`` (the regisseur added it), with the partner's default scope."""
        org = self.orgs[org_key]
        added_by = participant.regisseur
        scope = set(access.DEFAULT_SCOPE[org.kind])
        if special:
            scope.add(Category.SPECIAL)
        start = self.days_ago(days_ago)
        Membership.objects.create(
            participant=participant,
            organisation=org,
            legal_basis=basis,
            scope=Membership.scope_value(scope),
            purpose=purpose,
            consent_date=start if basis == LegalBasis.TOESTEMMING else None,
            valid_from=start,
            added_by=added_by,
            ended_at=self.at(ended_days_ago) if ended_days_ago else None,
            ended_by=added_by if ended_days_ago else None,
            end_reason="Taallessen afgerond" if ended_days_ago else "",
        )
        self.count("betrokkenheden")

    def change(self, participant, days_ago, username, field_name, old, new) -> None:
        """A line in the file's history (``ParticipantChange``), as the services write it, ``days_ago`` days ago."""
        user = self.users[username]
        if field_name.startswith("barrier:"):
            code = field_name.split(":", 1)[1]
            label = f"belemmering {dict(Barrier.choices)[code].lower()}"
            category = Category.SPECIAL if code in SPECIAL_BARRIERS else Category.TRAJECTORY
            old_value, new_value = old, new
        else:
            model_field = Participant._meta.get_field(field_name)
            label = str(model_field.verbose_name)
            category = FIELD_CATEGORY.get(field_name, Category.TRAJECTORY)
            choices = dict(model_field.flatchoices) if model_field.choices else {}
            old_value, new_value = str(choices.get(old, old)), str(choices.get(new, new))
        ParticipantChange.objects.create(
            participant=participant,
            at=self.at(days_ago),
            user=user,
            organisation=user.organisation,
            field=field_name,
            field_label=label,
            category=category,
            old_value=old_value,
            new_value=new_value,
        )
        self.count("wijzigingen")


def load(loader: Loader) -> None:
    """The organisations and staff (the first part of ``koers demo``)."""
    loader.organisations()
    loader.staff()


def context(loader: Loader | None = None) -> Loader:
    """The loader a part writes with: the one ``koers demo`` passes, or a new one with organisations and staff
    (a part loaded on its own, as the tests do)."""
    if loader is None:
        loader = Loader()
        load(loader)
    return loader
