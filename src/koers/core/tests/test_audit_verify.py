"""``koers audit-verify``: an intact chain passes; an inserted or altered record is found and exits 1."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.core import audit
from koers.core.codes import Category, LegalBasis
from koers.core.models import AuditAction, AuditEvent


def run() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def forged_event(world, prev_hash: str) -> AuditEvent:
    event = AuditEvent(
        at=timezone.now(),
        user_id=world.regisseur.pk,
        user_name="Rita Achternaam",
        organisation_id=world.gemeente.pk,
        organisation_name=world.gemeente.name,
        participant_id=world.participant.pk,
        category=Category.SPECIAL,
        action=AuditAction.VIEW,
        legal_basis=LegalBasis.REGIE,
        detail="Ingevoegd buiten Koers om",
        prev_hash=prev_hash,
    )
    event.hash = event.compute_hash()
    return event


@pytest.fixture
def trail(world):
    audit.record(world.regisseur, world.participant, Category.IDENTITY, legal_basis=LegalBasis.REGIE)
    audit.record(
        world.taaldocent,
        world.participant,
        [Category.IDENTITY, Category.LANGUAGE],
        legal_basis=LegalBasis.WETTELIJKE_TAAK,
    )
    return world


def test_empty_trail_is_intact(db):
    code, out, _ = run()
    assert code == 0
    assert "0 records" in out


def test_intact_trail_passes(trail):
    code, out, err = run()
    assert code == 0
    assert "3 records gecontroleerd" in out
    assert err == ""


def test_inserted_record_with_wrong_predecessor_breaks_the_chain(trail):
    # The table refuses UPDATE and DELETE (trigger), but an INSERT past the application is still possible.
    [forged] = AuditEvent.objects.bulk_create([forged_event(trail, prev_hash="f" * 64)])
    audit.record(trail.regisseur, trail.participant, Category.IDENTITY, legal_basis=LegalBasis.REGIE)

    code, out, err = run()

    assert code == 1
    assert f"GEBROKEN bij record {forged.pk}" in err
    assert "de eerste 3 records kloppen" in err


def test_record_whose_content_does_not_match_its_hash_is_found(trail):
    last = AuditEvent.objects.order_by("-id").first()
    event = forged_event(trail, prev_hash=last.hash)
    event.detail = "Achteraf aangepaste omschrijving"  # the hash was computed over the original content
    [tampered] = AuditEvent.objects.bulk_create([event])

    code, _, err = run()

    assert code == 1
    assert f"record {tampered.pk}" in err
