"""Factories for test data (factory_boy). Fictional people only."""

from __future__ import annotations

import factory
from django.utils import timezone

from koers.core import access
from koers.core.codes import Category, LegalBasis, OrganisationKind, Role
from koers.core.models import Organisation, User, UserRole
from koers.participants.models import Membership, Participant

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.GEMEENTE
    municipality = "Rivierstad"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Achternaam"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)
        self.__dict__.pop("role_codes", None)
        if create:
            self.save()


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    name = factory.Sequence(lambda n: f"Deelnemer {n}")
    regie_organisation = factory.SubFactory(OrganisationFactory)
    country_of_origin = "SY"
    languages = factory.LazyFunction(lambda: ["ar"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.TAALAANBIEDER)
    legal_basis = LegalBasis.WETTELIJKE_TAAK
    scope = factory.LazyAttribute(lambda m: Membership.scope_value(access.DEFAULT_SCOPE[m.organisation.kind]))
    valid_from = factory.LazyFunction(timezone.localdate)
    added_by = factory.SubFactory(UserFactory)


def make_user(organisation: Organisation, *roles: str, **kwargs) -> User:
    return UserFactory(organisation=organisation, roles=list(roles), **kwargs)


__all__ = [
    "PASSWORD",
    "Category",
    "Role",
    "OrganisationFactory",
    "UserFactory",
    "ParticipantFactory",
    "MembershipFactory",
    "make_user",
]
