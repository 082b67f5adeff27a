"""Shared fixtures: a small world of a municipality, its partners and another municipality."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("KOERS_TESTING", "1")

from koers.core.codes import OrganisationKind, Role  # noqa: E402
from koers.core.tests.factories import (  # noqa: E402
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    make_user,
)


@pytest.fixture
def world(db):
    """Gemeente Rivierstad (regie) with a language provider partner, and a second municipality."""

    class World:
        pass

    w = World()
    w.gemeente = OrganisationFactory(name="Gemeente Rivierstad", kind=OrganisationKind.GEMEENTE)
    w.taal = OrganisationFactory(name="Taalhuis Rivierland", kind=OrganisationKind.TAALAANBIEDER)
    w.reintegratie = OrganisationFactory(name="Werkkracht", kind=OrganisationKind.REINTEGRATIE)
    w.andere_gemeente = OrganisationFactory(name="Gemeente Heuvelrand", kind=OrganisationKind.GEMEENTE)
    w.regisseur = make_user(w.gemeente, Role.REGISSEUR, username="regisseur", first_name="Rita")
    w.taaldocent = make_user(w.taal, Role.TAALDOCENT, username="docent", first_name="Daan")
    w.begeleider = make_user(w.reintegratie, Role.BEGELEIDER, username="begeleider", first_name="Bo")
    w.beheerder = make_user(w.gemeente, Role.BEHEERDER, username="beheerder", first_name="Bea")
    w.andere_regisseur = make_user(w.andere_gemeente, Role.REGISSEUR, username="andere", first_name="Ayla")
    w.participant = ParticipantFactory(
        name="Nahom Tesfay",
        regie_organisation=w.gemeente,
        regisseur=w.regisseur,
        country_of_origin="ER",
        languages=["ti"],
    )
    w.membership = MembershipFactory(participant=w.participant, organisation=w.taal, added_by=w.regisseur)
    w.other_participant = ParticipantFactory(
        name="Samira Haddad", regie_organisation=w.andere_gemeente, regisseur=w.andere_regisseur
    )
    return w


@pytest.fixture
def client_for(client):
    """Log a user in (demo mode off or on, two-factor is marked verified for the test client)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Two-factor authentication is tested on its own (core/tests/test_two_factor.py); elsewhere it is off.
    Passwords use a fast hasher in tests (Argon2 is asserted in core/tests/test_auth.py)."""
    settings.KOERS_REQUIRE_2FA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def max_queries(django_assert_max_num_queries):
    """A query budget for one request. PostgreSQL takes one more query per audit append (the advisory lock
    that keeps the hash chain linear); SQLite gets that from its IMMEDIATE transaction for free. Pass
    `audits=` when the request appends more than one audit event."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"

    def _budget(n: int, *, audits: int = 1):
        return django_assert_max_num_queries(n + (audits if postgres else 0))

    return _budget
