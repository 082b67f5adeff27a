"""``koers tick``: one digest per user with new and urgent signals, idempotent escalation, dry run."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from koers.casework.management.commands import tick
from koers.casework.models import ActionItem, Contact
from koers.core.codes import LifeDomain
from koers.core.models import AuditEvent
from koers.core.tests.factories import MembershipFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def contact(world, p, days_ago):
    Contact.objects.create(
        participant=p, kind="gesprek", duration_minutes=30, organisation=world.gemeente, summary="Gesprek",
        happened_at=timezone.make_aware(dt.datetime.combine(today() - timedelta(days=days_ago), dt.time(10))),
        recorded_by=world.regisseur,
    )


@pytest.fixture
def setup(world):
    for user, address in ((world.regisseur, "rita@example.org"), (world.begeleider, "bo@example.org")):
        user.email = address
        user.save()
    contact(world, world.participant, 7)  # new today: no contact for 7 days
    MembershipFactory(participant=world.participant, organisation=world.reintegratie, added_by=world.regisseur,
                      counsellor=world.begeleider)
    quiet = ParticipantFactory(name="Amal Yusuf", regie_organisation=world.gemeente, regisseur=world.regisseur)
    contact(world, quiet, 1)
    item = ActionItem.objects.create(participant=world.participant, owner_organisation=world.reintegratie,
                                     title="Cv maken", due_date=today() - timedelta(days=2),
                                     created_by=world.regisseur)
    health = ActionItem.objects.create(participant=world.participant, owner_organisation=world.gemeente,
                                       title="Huisarts bellen", due_date=today() - timedelta(days=1),
                                       domain=LifeDomain.GEESTELIJKE_GEZONDHEID, created_by=world.regisseur)
    contact(world, world.other_participant, 20)
    return item, health


def run(*args) -> str:
    out = StringIO()
    call_command("tick", *args, stdout=out)
    return out.getvalue()


def test_one_digest_per_user_with_links_and_escalation(world, setup):
    item, health = setup
    summary = run()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"rita@example.org", "bo@example.org", world.andere_regisseur.email}
    rita = by_address["rita@example.org"].body
    assert f"Deelnemer {world.participant.pk} (N.T.)" in rita and "Nahom" not in rita
    assert "Geen contact sinds 7 dagen (nieuw)" in rita
    assert f"/deelnemers/{world.participant.pk}/" in rita and "/acties/caseload/" in rita
    assert "geëscaleerd (2)" in rita and "‘Cv maken’" in rita
    assert "Huisarts" not in rita and "bijzondere persoonsgegevens" in rita  # health details stay in Koers
    assert "Amal" not in rita and "(A.Y.)" not in rita  # no signals: not listed
    bo = by_address["bo@example.org"].body
    assert "Geen contact sinds 7 dagen" in bo and "bijzondere persoonsgegevens" not in bo  # no health for Bo
    assert "geëscaleerd" not in bo
    item.refresh_from_db()
    health.refresh_from_db()
    assert item.escalated_at is not None and health.escalated_at is not None
    assert "2 actiepunten geëscaleerd" in summary and "3 overzichten verstuurd" in summary
    audited = AuditEvent.objects.filter(detail__startswith="Dagelijks signalenoverzicht")
    assert set(audited.values_list("user_id", flat=True)) == {world.regisseur.pk, world.begeleider.pk,
                                                              world.andere_regisseur.pk}


def test_second_run_the_same_day_escalates_and_sends_nothing_again(world, setup):
    item, _ = setup
    run()
    first = ActionItem.objects.get(pk=item.pk).escalated_at
    mail.outbox.clear()
    summary = run()
    assert mail.outbox == []
    assert ActionItem.objects.get(pk=item.pk).escalated_at == first
    assert "0 actiepunten geëscaleerd" in summary and "3 vandaag al verstuurd" in summary


def test_dry_run_changes_nothing(world, setup):
    item, _ = setup
    summary = run("--dry-run")
    assert mail.outbox == []
    assert ActionItem.objects.get(pk=item.pk).escalated_at is None
    assert not AuditEvent.objects.filter(detail__startswith="Dagelijks").exists()
    assert summary.startswith("[proefdraai") and "3 overzichten zouden worden verstuurd" in summary


def test_old_attention_signals_are_not_repeated_but_urgent_ones_are(world):
    world.regisseur.email = "rita@example.org"
    world.regisseur.save()
    contact(world, world.participant, 9)  # attention since 2 days: not new, not urgent
    run()
    assert mail.outbox == []
    result = tick.run(today=today() + timedelta(days=5), dry_run=True)  # 14 days: urgent
    assert result.mails == 1


def test_batches_give_the_same_result(world, setup):
    one = tick.run(dry_run=True)
    small = tick.run(dry_run=True, batch_size=1)
    assert small.batches == one.participants == 3
    assert {k: len(d.items) for k, d in one.digests.items()} == {k: len(d.items) for k, d in small.digests.items()}


def test_bad_arguments_are_refused_in_dutch(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        run("--today", "16-03-2026")
