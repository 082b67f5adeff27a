"""``koers tick``: the daily run (cron or a systemd timer).

    koers tick [--dry-run] [--today YYYY-MM-DD] [--batch-size 2000]

1. Computes the signals of every participant in a running trajectory, in batches of 2,000 (``alerts.compute``
   takes a fixed number of queries per batch: 100,000 participants well within a minute on SQLite).
2. Escalates overdue running action items to the regisseur: sets ``ActionItem.escalated_at`` once (an item
   already escalated is not escalated again, so a second run on the same day changes nothing). Items of a
   participant without a regisseur go to every regisseur of the regie organisation.
3. Sends every regisseur (their participants) and counsellor (participants whose membership names them) ONE
   e-mail listing the *new* (since yesterday) and *urgent* signals they may see (``alerts.visible`` on their
   grant), and the items escalated to them. The e-mail carries participant numbers, initials and links, never
   names or health details (docs/privacy.md); each participant listed is audited for the recipient, and that
   audit record also makes the digest once a day: a second run the same day sends nothing again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from koers.casework.models import ActionItem
from koers.casework.queries import alerts, caseload
from koers.core import access, audit
from koers.core.codes import DOMAIN_CATEGORY, ActionStatus, Category, Role
from koers.core.models import AuditAction, AuditEvent, User, UserRole
from koers.participants.models import Membership, Participant

BATCH_SIZE = 2000
#: A signal is new when it started at most this many days ago (the previous daily run).
NEW_DAYS = 1


@dataclass
class Item:
    participant_id: int
    initials: str
    signals: list[alerts.Signal]


@dataclass
class Escalation:
    participant_id: int
    initials: str
    item_id: int
    title: str  # empty for a special-category item (the e-mail does not name it)
    due: date


@dataclass
class Digest:
    user: User
    items: list[Item] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    bases: dict[int, str] = field(default_factory=dict)  # participant → legal basis (audit)
    categories: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class Result:
    participants: int = 0
    batches: int = 0
    signals: int = 0
    escalated: int = 0
    mails: int = 0
    skipped_today: int = 0  # recipients who had their digest today already
    recipients_without_email: int = 0
    digests: dict[int, Digest] = field(default_factory=dict)


def initials(name: str) -> str:
    return ".".join(w[0].upper() for w in name.split()[:3] if w) + "." if name.strip() else "?"


def _audit_detail(today: date) -> str:
    return f"Dagelijks signalenoverzicht per e-mail ({today.isoformat()})"


class _Staff:
    """Active staff with their roles and organisation, loaded once (two queries)."""

    def __init__(self):
        self.users = {u.pk: u for u in User.objects.filter(is_active=True, organisation__is_active=True)}
        roles: dict[int, set[str]] = defaultdict(set)
        for user_id, role in UserRole.objects.filter(user_id__in=list(self.users)).values_list("user_id", "role"):
            roles[user_id].add(role)
        for pk, user in self.users.items():
            user.__dict__["role_codes"] = frozenset(roles.get(pk, ()))  # the cached_property, filled in bulk
        self.regisseurs_of: dict[int, list[User]] = defaultdict(list)
        for user in self.users.values():
            if Role.REGISSEUR in user.role_codes:
                self.regisseurs_of[user.organisation_id].append(user)

    def get(self, pk) -> User | None:
        return self.users.get(pk)


def run(*, today: date | None = None, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> Result:
    today = today or timezone.localdate()
    result = Result()
    staff = _Staff()
    policies: dict = {}
    now = timezone.now()
    last_id = 0
    while True:
        batch = list(
            caseload.open_or_kept(Participant.objects.all()).filter(pk__gt=last_id).order_by("pk")
            .only(*caseload.ROW_FIELDS)[:batch_size]
        )
        if not batch:
            break
        last_id = batch[-1].pk
        result.batches += 1
        result.participants += len(batch)
        _batch(batch, today, staff, policies, result, now=now, dry_run=dry_run)
    _send(result, today, dry_run)
    return result


def _batch(batch, today, staff: _Staff, policies, result: Result, *, now, dry_run: bool) -> None:
    ids = [p.pk for p in batch]
    found = alerts.compute(batch, today=today, policies=policies)
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for m in Membership.objects.active(today).filter(participant_id__in=ids).only(
        "id", "participant_id", "organisation_id", "legal_basis", "scope", "counsellor_id"
    ):
        memberships[m.participant_id].append(m)
    new_from = today - timedelta(days=NEW_DAYS)

    def add(user: User | None, p: Participant, items: list[alerts.Signal]) -> None:
        if user is None:
            return
        grant = access.grant_with(user, p, memberships[p.pk])  # bulk-loaded memberships
        if Category.IDENTITY not in grant.read:
            return
        shown = [s for s in alerts.visible(items, grant) if s.severity >= alerts.URGENT or s.since >= new_from]
        if not shown:
            return
        digest = result.digests.setdefault(user.pk, Digest(user))
        digest.items.append(Item(p.pk, initials(p.name), shown))
        digest.bases[p.pk] = grant.legal_basis
        digest.categories[p.pk] |= {Category.IDENTITY} | {s.category for s in shown}

    for p in batch:
        items = found[p.pk]
        result.signals += len(items)
        if not items:
            continue
        regisseur = staff.get(p.regisseur_id)
        if regisseur is not None and Role.REGISSEUR in regisseur.role_codes:
            add(regisseur, p, items)
        for m in memberships[p.pk]:
            counsellor = staff.get(m.counsellor_id)
            if counsellor is not None and counsellor.organisation_id == m.organisation_id and \
                    counsellor.role_codes & caseload.COUNSELLOR_ROLES and counsellor.pk != p.regisseur_id:
                add(counsellor, p, items)
    _escalate(batch, today, staff, result, now=now, dry_run=dry_run)


def _escalate(batch, today, staff: _Staff, result: Result, *, now, dry_run: bool) -> None:
    by_id = {p.pk: p for p in batch}
    rows = list(
        ActionItem.objects.filter(
            participant_id__in=list(by_id), status__in=(ActionStatus.OPEN, ActionStatus.BEZIG), due_date__lt=today,
            escalated_at__isnull=True,
        ).values_list("id", "participant_id", "title", "domain", "due_date")
    )
    if not rows:
        return
    if not dry_run:
        with transaction.atomic():
            ActionItem.objects.filter(pk__in=[r[0] for r in rows], escalated_at__isnull=True).update(escalated_at=now)
    result.escalated += len(rows)
    for item_id, pid, title, domain, due in rows:
        p = by_id[pid]
        category = DOMAIN_CATEGORY.get(domain, Category.TRAJECTORY) if domain else Category.TRAJECTORY
        regisseur = staff.get(p.regisseur_id)
        targets = [regisseur] if regisseur is not None else staff.regisseurs_of.get(p.regie_organisation_id, [])
        for user in targets:
            if user.organisation_id != p.regie_organisation_id or Role.REGISSEUR not in user.role_codes:
                continue
            digest = result.digests.setdefault(user.pk, Digest(user))
            digest.escalations.append(Escalation(pid, initials(p.name), item_id,
                                                 "" if category == Category.SPECIAL else title, due))
            digest.bases[pid] = "regie"
            digest.categories[pid] |= {Category.IDENTITY, category}


def _url(name: str, **kwargs) -> str:
    try:
        return caseload.site_url() + reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def render(digest: Digest, today: date) -> tuple[str, str]:
    """Subject and plain-text body of one digest (participant numbers and initials, no names or health data)."""
    user = digest.user
    n = len(digest.items)
    lines = [f"Beste {user.first_name or user.username},", ""]
    if n:
        lines += [f"Uw signalen van {today:%d-%m-%Y}: {n} deelnemer(s) met nieuwe of urgente signalen.",
                  f"Uw caseload: {_url('casework:caseload')}", ""]
    for item in sorted(digest.items, key=lambda i: alerts.urgency_key(i.signals)):
        link = _url("participants:detail", pk=item.participant_id)
        lines.append(f"Deelnemer {item.participant_id} ({item.initials}) — {link}")
        for s in item.signals:
            special = s.category == Category.SPECIAL
            label = "Signaal over bijzondere persoonsgegevens (zie Koers)" if special else s.label
            new = " (nieuw)" if s.since >= today - timedelta(days=NEW_DAYS) else ""
            lines.append(f"  - [{s.severity_label}] {label}{new}, sinds {s.since:%d-%m-%Y}")
        lines.append("")
    if digest.escalations:
        lines += [f"Actiepunten over de datum, naar u geëscaleerd ({len(digest.escalations)}):"]
        for e in digest.escalations:
            what = f"‘{e.title}’" if e.title else "een actiepunt over bijzondere persoonsgegevens"
            lines.append(f"  - Deelnemer {e.participant_id} ({e.initials}): {what}, uiterlijk {e.due:%d-%m-%Y}")
        link = _url("casework:escalations") or _url("casework:caseload")
        lines += [f"Overzicht: {link}", ""]
    lines += ["Namen en details staan alleen in Koers. U krijgt dit overzicht één keer per dag.", "— Koers"]
    parts = []
    if n:
        parts.append(f"{n} deelnemer(s) met signalen")
    if digest.escalations:
        parts.append(f"{len(digest.escalations)} geëscaleerde actiepunt(en)")
    return f"Koers: {', '.join(parts)}", "\n".join(lines)


def _send(result: Result, today: date, dry_run: bool) -> None:
    detail = _audit_detail(today)
    already = set(
        AuditEvent.objects.filter(at__gte=timezone.now() - timedelta(days=2), detail=detail)
        .values_list("user_id", flat=True).distinct()
    ) if result.digests else set()
    connection = None if dry_run else get_connection()
    for user_id, digest in result.digests.items():
        if user_id in already:
            result.skipped_today += 1
            continue
        if not digest.user.email:
            result.recipients_without_email += 1
            continue
        result.mails += 1
        if dry_run:
            continue
        subject, body = render(digest, today)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [digest.user.email], connection=connection).send()
        audit.record_many(
            digest.user,
            [(pid, c, digest.bases.get(pid, "")) for pid, cats in digest.categories.items() for c in sorted(cats)],
            AuditAction.LIST, detail=detail,
        )


class Command(BaseCommand):
    help = "Dagelijkse run: actiepunten escaleren en per medewerker één overzicht van signalen mailen."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="niets opslaan en niets versturen; alleen tellen")
        parser.add_argument("--today", help="de datum van de run (JJJJ-MM-DD); standaard vandaag")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="deelnemers per batch")

    def handle(self, *args, dry_run: bool = False, today: str | None = None, batch_size: int = BATCH_SIZE,
               **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError("Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.") from exc
        if batch_size < 1:
            raise CommandError("--batch-size moet minstens 1 zijn.")
        started = time.perf_counter()
        r = run(today=day, dry_run=dry_run, batch_size=batch_size)
        seconds = time.perf_counter() - started
        def n(x: int) -> str:
            return f"{x:,}".replace(",", ".")

        text = (
            f"{n(r.participants)} deelnemers in {r.batches} batches, {n(r.signals)} signalen; {n(r.escalated)} "
            f"actiepunten geëscaleerd; {n(r.mails)} overzichten "
            f"{'zouden worden verstuurd' if dry_run else 'verstuurd'}; {r.skipped_today} vandaag al verstuurd; "
            f"{r.recipients_without_email} ontvangers zonder e-mailadres; {seconds:.1f} s."
        )
        self.stdout.write(("[proefdraai: niets opgeslagen of verstuurd] " if dry_run else "") + text)
