"""Portal fixtures: Nahom of the shared ``world`` invited to Mijn Koers (in Dutch, so tests read Dutch texts),
activated and logged in."""

from __future__ import annotations

import pytest

from koers.portal.services import accounts as services

PASSWORD = "een lange zin voor Nahom"  # noqa: S105 - a test password


@pytest.fixture
def invitation(world):
    return services.invite(participant=world.participant, by=world.regisseur, language="nl")


@pytest.fixture
def account(invitation):
    checked = services.check_code(username=invitation.account.user.username, code=invitation.code)
    return services.activate(invitation=checked, password=PASSWORD)


@pytest.fixture
def portal_client(client, account):
    client.force_login(account.user)
    return client


@pytest.fixture
def other_account(world):
    """Samira, a participant of the other municipality, with her own activated account."""
    new = services.invite(participant=world.other_participant, by=world.andere_regisseur, language="ar")
    checked = services.check_code(username=new.account.user.username, code=new.code)
    return services.activate(invitation=checked, password=PASSWORD)
