"""Correcting a contact in two tabs: the second save is refused with what changed, nothing is overwritten."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from koers.casework.tests.test_contacts import form_data, make_contact, url

pytestmark = pytest.mark.django_db


def version_in(page: str) -> str:
    match = re.search(r'name="version" value="([^"]*)"', page)
    assert match, "the form carries no version"
    return match.group(1)


def tab(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_second_correction_of_a_contact_is_refused_until_reloaded(world):
    contact = make_contact(world.participant, world.regisseur, minutes=30)
    edit = url("contact_edit", world.participant, contact_id=contact.pk)
    a, b = tab(world.regisseur), tab(world.regisseur)
    version_a = version_in(a.get(edit).content.decode())
    version_b = version_in(b.get(edit).content.decode())
    assert b.post(edit, form_data(duration_minutes="45", summary="Verslag uit tab B", version=version_b)) \
        .status_code == 302

    response = a.post(edit, form_data(duration_minutes="60", summary="Verslag uit tab A", version=version_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen: iemand anders was u voor" in html
    assert "verslag naar ‘Verslag uit tab B’" in html and "duur (minuten) naar ‘45’" in html
    assert "Verslag uit tab A" in html  # the user's input is kept
    contact.refresh_from_db()
    assert (contact.summary, contact.duration_minutes) == ("Verslag uit tab B", 45)

    # Saving the re-shown form is a deliberate overwrite.
    assert a.post(edit, form_data(duration_minutes="60", summary="Verslag uit tab A", version=version_in(html))) \
        .status_code == 302
    contact.refresh_from_db()
    assert (contact.summary, contact.duration_minutes) == ("Verslag uit tab A", 60)
