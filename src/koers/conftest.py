"""Shared fixtures: a small world of a municipality, its partners and another municipality; the demo world."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from io import StringIO

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


# --- The demo world, loaded once per worker -------------------------------------------------------------


@pytest.fixture
def demo_data(db):
    """The demo world of ``koers demo --force``, inside this test's transaction (rolled back like any test data).

    The loader takes seconds and is deterministic (fixed seeds, dates relative to today), so a worker runs it
    for real once, keeps the rows it added (raw column values, plus the sequences), and for later tests inserts
    those rows again: the same database, byte for byte, in a fraction of a second. The rows are only re-inserted
    when the database the test starts from is exactly the one the loader started from (every row of every table
    compared: a transactional test's flush recreates the content types with new ids, for example) and on the
    same day; otherwise the loader runs again. Tests that check the loader itself (running it twice changes
    nothing) call ``koers demo`` once more on top, so they still exercise the real code."""
    _load_demo()


@dataclass(frozen=True)
class _DemoSnapshot:
    key: tuple
    before: dict[str, tuple]
    added: dict[str, tuple]
    sequences: tuple


_demo_snapshot: list[_DemoSnapshot] = []


def _load_demo() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if connection.vendor not in {"sqlite", "postgresql"}:
        call_command("demo", "--force", stdout=StringIO())
        return
    key = (connection.vendor, connection.settings_dict["NAME"], timezone.localdate())
    before = _table_contents(connection)
    if connection.vendor == "sqlite":  # transactional there, so part of the state a test starts from
        before["<sequences>"] = ("sequence", _sequences(connection))
    if _demo_snapshot and _demo_snapshot[0].key == key and _demo_snapshot[0].before == before:
        _restore(connection, _demo_snapshot[0])
        return
    call_command("demo", "--force", stdout=StringIO())
    _demo_snapshot.clear()
    added = {}
    for table, (columns, rows) in _table_contents(connection).items():
        old_columns, old_rows = before.get(table, (columns, ()))
        if old_columns != columns or Counter(old_rows) - Counter(rows):
            return  # the loader changed or removed a row that was there before: never replay, always load
        extra = Counter(rows) - Counter(old_rows)
        new_rows = []
        for row in rows:  # the added rows in their original order
            if extra[row]:
                extra[row] -= 1
                new_rows.append(row)
        if new_rows:
            added[table] = (columns, tuple(new_rows))
    _demo_snapshot.append(_DemoSnapshot(key, before, added, _sequences(connection)))


def _table_contents(connection) -> dict[str, tuple]:
    """Every table's rows as the database stores them: raw SQLite values (no type conversion on the way out or
    back in) or PostgreSQL's COPY text lines."""
    qn = connection.ops.quote_name
    contents: dict[str, tuple] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA table_info({qn(table)})")
                columns = tuple(column[1] for column in cursor.fetchall())
                # Unary + keeps the stored value but drops the declared type, so no converter runs.
                select = ", ".join("+" + qn(c) for c in columns)
                cursor.execute(f"SELECT {select} FROM {qn(table)} ORDER BY rowid")  # noqa: S608 - names from the schema
                contents[table] = (columns, tuple(cursor.fetchall()))
            else:
                with cursor.cursor.copy(f"COPY {qn(table)} TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                contents[table] = ("copy", tuple(data.splitlines(keepends=True)))
    return contents


def _sequences(connection) -> tuple:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
            return tuple(cursor.fetchall())
        sequences = []
        for table in sorted(connection.introspection.table_names(cursor)):
            for sequence in connection.introspection.get_sequences(cursor, table):
                cursor.execute(f"SELECT last_value FROM {qn(sequence['name'])}")  # noqa: S608
                sequences.append((sequence["name"], cursor.fetchone()[0]))
        return tuple(sequences)


def _restore(connection, snapshot: _DemoSnapshot) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, (columns, rows) in snapshot.added.items():
            if connection.vendor == "sqlite":
                names, placeholders = ", ".join(map(qn, columns)), ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({placeholders})", rows)  # noqa: S608
            else:
                with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as copy:
                    copy.write(b"".join(rows))
        if connection.vendor == "sqlite":  # exactly as the loader left them (the rollback undoes this too)
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", snapshot.sequences)
        else:  # not transactional: only ever move them forward, past the ids just inserted
            for name, last_value in snapshot.sequences:
                cursor.execute(f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {qn(name)})))",  # noqa: S608
                               [name, last_value])
