"""The audit trail: every view and change recorded, append-only (also in the database), hash-chained."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from koers.core import audit, audit_triggers
from koers.core.codes import Category
from koers.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db



@pytest.fixture
def audit_triggers_on():
    audit_triggers.install(connection)


def test_viewing_a_file_records_who_what_and_on_which_basis(world, client_for):
    client_for(world.taaldocent).get(reverse("participants:detail", kwargs={"pk": world.participant.pk}))
    events = AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.VIEW)
    assert {e.category for e in events} == {Category.IDENTITY, Category.TRAJECTORY, Category.LANGUAGE}
    e = events.first()
    assert e.user_id == world.taaldocent.pk
    assert e.organisation_name == "Taalhuis Rivierland"
    assert e.legal_basis == "wettelijke_taak"


def test_list_records_each_participant_shown(world, client_for):
    client_for(world.regisseur).get(reverse("participants:list"))
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action=AuditAction.LIST).count() == 1
    assert not AuditEvent.objects.filter(participant_id=world.other_participant.pk).exists()


def test_orm_cannot_change_or_delete_audit_records(world):
    audit.record(world.regisseur, world.participant, Category.IDENTITY)
    event = AuditEvent.objects.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(detail="weg")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_trigger_refuses_direct_update_and_delete(world, audit_triggers_on):
    audit.record(world.regisseur, world.participant, Category.IDENTITY)
    for sql in ("UPDATE core_auditevent SET detail = 'vervalst'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get().detail == ""


def test_hash_chain_verifies_and_detects_a_forged_record(world):
    for _ in range(3):
        audit.record(world.regisseur, world.participant, [Category.IDENTITY, Category.TRAJECTORY])
    checked, broken = audit.verify_chain()
    assert (checked, broken) == (6, None)
    last = AuditEvent.objects.order_by("-id").first()
    forged = AuditEvent(at=last.at, user_name="x", organisation_name="x", participant_id=1, category="x",
                        action=AuditAction.VIEW, legal_basis="", prev_hash="f" * 64, hash="0" * 64)
    AuditEvent.objects.bulk_create([forged])
    checked, broken = audit.verify_chain()
    assert broken == forged.pk


def test_regisseur_sees_audit_trail_filtered_and_exports_csv(world, client_for):
    client_for(world.taaldocent).get(reverse("participants:detail", kwargs={"pk": world.participant.pk}))
    client = client_for(world.regisseur)
    url = reverse("participants:audit", kwargs={"pk": world.participant.pk})
    page = client.get(url, {"organisatie": world.taal.pk}).content.decode()
    assert "Taalhuis Rivierland" in page
    response = client.get(reverse("participants:audit_csv", kwargs={"pk": world.participant.pk}),
                          {"organisatie": world.taal.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["tijdstip", "medewerker", "organisatie"]
    assert len(rows) == 4  # header + three categories the language provider viewed
    assert {r[2] for r in rows[1:]} == {"Taalhuis Rivierland"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, user_id=world.regisseur.pk).exists()


def test_audit_trail_is_hidden_from_partners(world, client_for):
    client = client_for(world.taaldocent)
    assert client.get(reverse("participants:audit", kwargs={"pk": world.participant.pk})).status_code == 404
    assert client.get(reverse("participants:audit_csv", kwargs={"pk": world.participant.pk})).status_code == 404


def test_a_bad_period_filter_is_refused_with_a_message(world, client_for):
    url = reverse("participants:audit", kwargs={"pk": world.participant.pk})
    page = client_for(world.regisseur).get(url, {"van": "2026-05-01", "tot": "2026-04-01"}).content.decode()
    assert "De einddatum ligt vóór de begindatum." in page
