"""The alert engine: the caseload's *signalen* (what needs attention), computed from the records and never stored.

"Signals" in code means Django signals only; a signaal on the caseload is computed here. Acknowledging one
(a write) is ``services/alerts.py``.

A signal says *why* (from which records), *since when* and *what to do*. It is computed for a whole batch of
participants at once, with a fixed number of queries whatever the size of the batch (the caseload of 150
participants, the daily ``koers tick`` over all of them in batches of 2,000). The rules are *providers*: plain
functions that receive a ``Batch`` and yield ``Signal``s. The built-in rules are registered below; another part
of Koers adds its own with ``register`` (the work issue: contract ending, aftercare check due)::

    from koers.casework.queries import alerts

    @alerts.register
    def contract_ending(batch: alerts.Batch):
        for row in Placement.objects.filter(participant_id__in=batch.active_ids, ...):  # one query per batch
            yield alerts.Signal(row.participant_id, "contract_loopt_af", ...)

Built-in rules (codes are stable; thresholds from ``MunicipalityPolicy`` of the regie municipality):

``geen_contact``            no contact with the participant present for ``no_contact_days`` days (default 7;
                            counted from the registration when there never was one). Urgent from twice that.
``afwezig_zonder_afmelding`` an unexcused absence in the last 14 days (``activities.attendance.SIGNAL_DAYS``).
``aanwezigheid_laag``       attendance rate below ``min_attendance_percent``, from 4 registered sessions on.
``pip_termijn``             PIP not signed and due within 14 days, or overdue (``plans.rules``).
``leerroute_wissel``        the window for switching leerroute without approval closes within 30 days.
``doel_te_laat`` / ``stap_te_laat``  a goal or step of the current plan is past its date (health goals are
                            special-category data: category ``bijzonder``).
``actiepunt_te_laat``       an open action item is past its date (category of its life domain).
``inschrijving_beeindigd``  an enrolment ended (afgerond/uitgevallen) in the last 30 days with no contact and no
                            new enrolment since.
``bericht_onbeantwoord``    the participant's message (Mijn Koers) has had no staff message after it for two
                            working days (Monday to Friday; urgent after four).

Acknowledging a signal (``acknowledge``) stores a ``SignalAcknowledgement`` with a note; the signal is hidden
until ``snooze_until`` (today + ``signal_snooze_days``) and returns then when its condition persists. An
acknowledgement covers only the occurrence it was given for: a signal whose condition started again after the
acknowledgement (a new period without contact) shows at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Prefetch, Q
from django.utils import timezone

from koers.activities.models import Attendance, Enrolment
from koers.casework.models import ActionItem, Contact, SignalAcknowledgement
from koers.casework.queries import messages
from koers.core import access
from koers.core.codes import (
    DOMAIN_CATEGORY,
    PRESENT_STATUSES,
    ActionStatus,
    AttendanceStatus,
    Category,
    EnrolmentStatus,
    Phase,
)
from koers.core.models import MunicipalityPolicy
from koers.core.workdays import add_working_days
from koers.plans.models import Goal, IntegrationRecord, PlanKind, PlanVersion, Step, VersionStatus
from koers.plans.rules import leerroute

if TYPE_CHECKING:
    from koers.participants.models import Participant

INFO, ATTENTION, URGENT = 1, 2, 3


SEVERITY_LABELS = {INFO: "Ter info", ATTENTION: "Aandacht", URGENT: "Urgent"}


#: Built-in codes with their Dutch names (filters, digest). Providers registered later add theirs (``CODES``).
CODES: dict[str, str] = {
    "geen_contact": "Geen contact",
    "afwezig_zonder_afmelding": "Afwezig zonder afmelding",
    "aanwezigheid_laag": "Aanwezigheid onder de norm",
    "pip_termijn": "PIP-termijn",
    "leerroute_wissel": "Wisseltermijn leerroute",
    "doel_te_laat": "Doel over de streefdatum",
    "stap_te_laat": "Stap over de datum",
    "actiepunt_te_laat": "Actiepunt te laat",
    "inschrijving_beeindigd": "Activiteit beëindigd zonder vervolg",
    "bericht_onbeantwoord": "Bericht niet beantwoord",
}


#: How far back the rules look (days).
ABSENCE_DAYS = 14  # = activities.attendance.SIGNAL_DAYS


RATE_MIN_SESSIONS = 4  # = activities.attendance.RATE_SIGNAL_MIN_SESSIONS


SWITCH_WARN_DAYS = 30


ENDED_DAYS = 30


@dataclass(frozen=True)
class Signal:
    participant_id: int
    code: str
    label: str
    since: date
    severity: int  # 1 info, 2 attention, 3 urgent
    why: str
    todo: str
    subject: str = ""  # which object ("actiepunt:12"), empty for the participant as a whole
    category: str = Category.TRAJECTORY

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, "")

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.participant_id, self.code, self.subject)


@dataclass
class Batch:
    """What every provider receives: the participants, today, their municipalities' rules, and a cache so that
    two providers needing the same figures (the last contact) query them once."""

    participants: Sequence[Participant]
    today: date
    policies: dict[int, MunicipalityPolicy]
    cache: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {p.pk: p for p in self.participants}
        #: Closed trajectories get no built-in signals.
        self.active_ids = [p.pk for p in self.participants if p.phase != Phase.AFGESLOTEN]

    def policy(self, participant_id: int) -> MunicipalityPolicy:
        return self.policies[self.by_id[participant_id].regie_organisation_id]

    def cached(self, key: str, load: Callable[[], object]):
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]


Provider = Callable[[Batch], Iterable[Signal]]


PROVIDERS: list[Provider] = []


def register(provider: Provider, *, codes: dict[str, str] | None = None) -> Provider:
    """Add a signal provider (usable as a decorator). ``codes`` names the provider's codes for the filters."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    CODES.update(codes or {})
    return provider


def _d(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


def local_date(value: dt.datetime | dt.date) -> date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def last_contacts(batch: Batch) -> dict[int, date]:
    """The date of the last contact with the participant present, per participant (one query, cached)."""

    def load():
        end = timezone.make_aware(dt.datetime.combine(batch.today + timedelta(days=1), dt.time.min))
        rows = (
            Contact.objects.filter(participant_id__in=batch.active_ids, participant_present=True, happened_at__lt=end)
            .values("participant_id").annotate(last=Max("happened_at")).order_by()
        )
        return {r["participant_id"]: local_date(r["last"]) for r in rows}

    return batch.cached("last_contacts", load)


def no_contact(batch: Batch) -> Iterable[Signal]:
    last = last_contacts(batch)
    for pid in batch.active_ids:
        p = batch.by_id[pid]
        limit = batch.policy(pid).no_contact_days
        if not limit:
            continue
        seen = last.get(pid)
        start = seen or local_date(p.created_at)
        days = (batch.today - start).days
        if days < limit:
            continue
        if seen:
            why = f"Het laatste contact met de deelnemer was op {_d(seen)}, {_days(days)} geleden."
        else:
            why = f"Er is nog nooit contact vastgelegd; de deelnemer is op {_d(start)} aangemeld."
        yield Signal(
            pid, "geen_contact", f"Geen contact sinds {_days(days)}", start + timedelta(days=limit),
            URGENT if days >= 2 * limit else ATTENTION,
            f"{why} De gemeente verwacht minstens elke {_days(limit)} contact.",
            "Neem contact op (bellen, bericht of huisbezoek) en leg het contactmoment vast.",
        )


def absences(batch: Batch) -> Iterable[Signal]:
    rows = (
        Attendance.objects.filter(
            participant_id__in=batch.active_ids, status=AttendanceStatus.ONGEOORLOOFD,
            session__date__gt=batch.today - timedelta(days=ABSENCE_DAYS), session__date__lte=batch.today,
        )
        .values_list("participant_id", "session__date", "session__activity__title")
        .order_by("participant_id", "session__date")
    )
    per: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for pid, day, title in rows:
        per[pid].append((day, title))
    for pid, items in per.items():
        first, last = items[0][0], items[-1][0]
        listed = "; ".join(f"{_d(day)} {title}" for day, title in items[-3:])
        yield Signal(
            pid, "afwezig_zonder_afmelding",
            "Afwezig zonder afmelding" + (f" ({len(items)}×)" if len(items) > 1 else ""),
            first, URGENT if len(items) > 1 else ATTENTION,
            f"{len(items)}× afwezig zonder afmelding in de laatste {ABSENCE_DAYS} dagen: {listed}.",
            "Bel de deelnemer en de aanbieder om de reden te achterhalen; overweeg een huisbezoek.",
            subject=f"tot:{last.isoformat()}",
        )


def low_attendance(batch: Batch) -> Iterable[Signal]:
    rows = (
        Attendance.objects.filter(participant_id__in=batch.active_ids)
        .values("participant_id")
        .annotate(n=Count("id"), present=Count("id", filter=Q(status__in=list(PRESENT_STATUSES))),
                  last=Max("recorded_at"))
        .order_by()
    )
    for r in rows:
        pid, n, present = r["participant_id"], r["n"], r["present"]
        threshold = batch.policy(pid).min_attendance_percent
        if n < RATE_MIN_SESSIONS or 100 * present >= threshold * n:
            continue
        percent = round(100 * present / n)
        yield Signal(
            pid, "aanwezigheid_laag", f"Aanwezigheid {percent}%", local_date(r["last"]) if r["last"] else batch.today,
            ATTENTION,
            f"Aanwezig bij {present} van de {n} geregistreerde bijeenkomsten ({percent}%); de gemeente hanteert "
            f"minimaal {threshold}%.",
            "Bespreek de aanwezigheid met de deelnemer en de aanbieder; pas zo nodig rooster of plan aan.",
        )


def plan_deadlines(batch: Batch) -> Iterable[Signal]:
    """PIP, leerroute switch window, goals and steps: ``plans.rules.deadlines`` on data loaded in bulk."""
    ids = batch.active_ids
    records = {r.participant_id: r for r in IntegrationRecord.objects.filter(participant_id__in=ids)}
    signed = dict(
        PlanVersion.objects.filter(participant_id__in=ids, kind=PlanKind.PIP, status=VersionStatus.SIGNED)
        .values("participant_id").annotate(first=Min("signed_on")).values_list("participant_id", "first")
        .order_by()
    )
    # The current version: newest signed, else the concept (leerroute.current_version, for a batch).
    best: dict[int, tuple[bool, int, int]] = {}
    for vid, pid, number, status in PlanVersion.objects.filter(participant_id__in=ids).values_list(
        "id", "participant_id", "number", "status"
    ):
        rank = (status == VersionStatus.SIGNED, number, vid)
        if pid not in best or rank > best[pid]:
            best[pid] = rank
    versions = {}
    if best:
        steps = Step.objects.select_related("owner_organisation", "owner_user")
        goals = Goal.objects.prefetch_related(Prefetch("steps", queryset=steps))
        for v in PlanVersion.objects.filter(pk__in=[r[2] for r in best.values()]).prefetch_related(
            Prefetch("goals", queryset=goals)
        ):
            versions[v.participant_id] = v
    for pid in ids:
        record = records.get(pid)
        version = versions.get(pid)
        if version is None and (record is None or record.obligation_start is None):
            continue
        p = batch.by_id[pid]
        p._koers_policy = batch.policy(pid)  # MunicipalityPolicy.for_participant reads it without a query
        for d in leerroute.deadlines(p, batch.today, current=version, record=record, pip_signed_on=signed.get(pid)):
            signal = _deadline_signal(pid, d, batch.today)
            if signal:
                yield signal


def _deadline_signal(pid: int, d, today: date) -> Signal | None:
    if d.done or (d.status == leerroute.OK and d.code != "leerroute_wissel"):
        return None
    overdue = d.status == leerroute.OVERDUE
    if d.code == "pip":
        return Signal(
            pid, "pip_termijn", "PIP te laat" if overdue else f"PIP uiterlijk {_d(d.due)}",
            d.due + timedelta(days=1) if overdue else d.due - timedelta(days=leerroute.SOON_DAYS),
            URGENT if overdue else ATTENTION, d.explanation,
            "Rond de PIP af en onderteken hem samen met de deelnemer.",
        )
    if d.code == "leerroute_wissel":
        left = (d.due - today).days
        if left > SWITCH_WARN_DAYS:
            return None
        return Signal(
            pid, "leerroute_wissel", f"Wisseltermijn leerroute sluit over {_days(left)}" if left else
            "Wisseltermijn leerroute sluit vandaag", d.due - timedelta(days=SWITCH_WARN_DAYS), ATTENTION,
            d.explanation,
            f"Beoordeel of de leerroute nog past; wisselen kan tot en met {_d(d.due)} zonder goedkeuring.",
        )
    if not overdue:
        return None
    if d.code.startswith("doel:"):
        return Signal(
            pid, "doel_te_laat", d.label, d.due + timedelta(days=1), ATTENTION,
            f"{d.explanation} De streefdatum was {_d(d.due)}.",
            "Bespreek het doel met de deelnemer: behaald, een nieuwe streefdatum of vervallen (nieuwe planversie).",
            subject=d.code, category=d.category,
        )
    if d.code.startswith("stap:"):
        return Signal(
            pid, "stap_te_laat", d.label, d.due + timedelta(days=1), ATTENTION,
            f"{d.explanation} De datum was {_d(d.due)}.",
            "Vraag de uitvoerder naar de stap, of pas de datum aan in een nieuwe planversie.",
            subject=d.code, category=d.category,
        )
    return None


def overdue_action_items(batch: Batch) -> Iterable[Signal]:
    rows = (
        ActionItem.objects.filter(
            participant_id__in=batch.active_ids, status__in=(ActionStatus.OPEN, ActionStatus.BEZIG),
            due_date__lt=batch.today,
        )
        .values_list("id", "participant_id", "title", "domain", "due_date", "escalated_at",
                     "owner_organisation__name", "assignee__first_name", "assignee__last_name")
        .order_by("due_date", "id")
    )
    for item_id, pid, title, domain, due, escalated, org, first, last in rows:
        late = (batch.today - due).days
        who = " ".join(filter(None, [first, last])) or "nog geen uitvoerder"
        why = f"‘{title}’ ({org}, {who}) moest uiterlijk {_d(due)} klaar zijn: {_days(late)} te laat."
        if escalated:
            why += f" Geëscaleerd naar de regisseur op {_d(local_date(escalated))}."
        yield Signal(
            pid, "actiepunt_te_laat", f"Actiepunt te laat: {title}", due + timedelta(days=1),
            URGENT if late >= 7 or escalated else ATTENTION, why,
            "Vraag de uitvoerder het actiepunt af te ronden, of spreek een nieuwe datum af.",
            subject=f"actiepunt:{item_id}",
            category=DOMAIN_CATEGORY.get(domain, Category.TRAJECTORY) if domain else Category.TRAJECTORY,
        )


def ended_without_follow_up(batch: Batch) -> Iterable[Signal]:
    since = batch.today - timedelta(days=ENDED_DAYS)
    rows = list(
        Enrolment.objects.filter(participant_id__in=batch.active_ids)
        .filter(Q(end_date__gte=since) | Q(start_date__gte=since) | Q(end_date__isnull=True))
        # Not the dropout reason: it may be health data, and the signal is shown to everyone on the trajectory.
        .values_list("id", "participant_id", "status", "start_date", "end_date", "activity__title")
        .order_by()
    )
    ended = (EnrolmentStatus.AFGEROND, EnrolmentStatus.UITGEVALLEN)
    by_participant: dict[int, list] = defaultdict(list)
    for row in rows:
        by_participant[row[1]].append(row)
    last = last_contacts(batch)
    for pid, items in by_participant.items():
        found = []
        for eid, _pid, status, _start, end, title in items:
            if status not in ended or end is None or not (since <= end <= batch.today):
                continue
            if (last.get(pid) or date.min) >= end:
                continue  # a contact since
            if any(o[0] != eid and (o[3] >= end or (o[2] not in ended and (o[4] is None or o[4] >= end)))
                   for o in items):
                continue  # a new (or still running) enrolment
            found.append((end, eid, status == EnrolmentStatus.UITGEVALLEN, title))
        if found:
            yield _ended_signal(pid, sorted(found))


def _titles(titles: list[str]) -> str:
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " en " + titles[-1]


def _ended_signal(pid: int, found: list[tuple]) -> Signal:
    """One signal for everything that ended without a follow-up (four modules ending on one day are one thing
    to follow up, not four), urgent when any of it was a dropout; acknowledged per latest enrolment."""
    dropped = [title for _end, _eid, d, title in found if d]
    completed = [title for _end, _eid, d, title in found if not d]
    parts = ([f"Uitgevallen bij: {_titles(dropped)}"] if dropped else []) + \
        ([f"Afgerond: {_titles(completed)}"] if completed else [])
    why = " ".join(
        f"De deelnemer is op {_d(end)} {'uitgevallen bij' if d else 'klaar met'} ‘{title}’."
        for end, _eid, d, title in found
    )
    latest_end, latest_id = found[-1][0], found[-1][1]
    return Signal(
        pid, "inschrijving_beeindigd", "; ".join(parts), latest_end, URGENT if dropped else ATTENTION,
        why + " Sindsdien is er geen contact vastgelegd en geen nieuwe activiteit gestart.",
        "Spreek een vervolg af: een gesprek en zo nodig een nieuwe activiteit; leg het contact vast.",
        subject=f"inschrijving:{latest_id}",
    )

def unanswered_messages(batch: Batch) -> Iterable[Signal]:
    for pid, (message_id, sent_at) in messages.first_unanswered(batch.active_ids).items():
        sent = local_date(sent_at)
        due = add_working_days(sent, messages.ANSWER_WITHIN_WORKING_DAYS)
        if batch.today < due:
            continue
        late = add_working_days(sent, 2 * messages.ANSWER_WITHIN_WORKING_DAYS)
        yield Signal(
            pid, "bericht_onbeantwoord", "Bericht niet beantwoord", due, URGENT if batch.today >= late else ATTENTION,
            f"De deelnemer stuurde op {_d(sent)} een bericht via Mijn Koers. Na "
            f"{messages.ANSWER_WITHIN_WORKING_DAYS} werkdagen is er nog geen antwoord.",
            "Lees het bericht bij Berichten en antwoord de deelnemer.",
            subject=f"bericht:{message_id}",
        )


for _provider in (no_contact, absences, low_attendance, plan_deadlines, overdue_action_items,
                  ended_without_follow_up, unanswered_messages):
    register(_provider)


def policies_for(organisation_ids: Iterable[int], known: dict[int, MunicipalityPolicy] | None = None
                 ) -> dict[int, MunicipalityPolicy]:
    """The rules of these municipalities (stored or default), one query for those not in ``known``."""
    result = dict(known or {})
    missing = set(organisation_ids) - set(result)
    if missing:
        for policy in MunicipalityPolicy.objects.filter(organisation_id__in=missing):
            result[policy.organisation_id] = policy
        for org_id in missing - set(result):
            result[org_id] = MunicipalityPolicy(organisation_id=org_id)
    return result


def sort_key(signal: Signal):
    return (-signal.severity, signal.since, signal.code, signal.subject)


def compute(
    participants: Sequence[Participant], *, today: date | None = None, include_acknowledged: bool = False,
    policies: dict[int, MunicipalityPolicy] | None = None,
) -> dict[int, list[Signal]]:
    """The signals of these participants, per participant id (every id present, most urgent first).

    A fixed number of queries whatever the number of participants. The caller decides who may see them (pass
    visible participants; filter categories with ``visible``). ``policies`` may carry rules loaded before
    (``koers tick`` loads them once)."""
    today = today or timezone.localdate()
    participants = list(participants)
    result: dict[int, list[Signal]] = {p.pk: [] for p in participants}
    if not participants:
        return result
    batch = Batch(participants, today, policies_for({p.regie_organisation_id for p in participants}, policies))
    if policies is not None:
        policies.update(batch.policies)
    found: list[Signal] = []
    for provider in PROVIDERS:
        found.extend(provider(batch))
    if not include_acknowledged and found:
        snoozed = snoozed_keys(result.keys(), today)
        found = [s for s in found if not _is_snoozed(s, snoozed)]
    for s in found:
        result[s.participant_id].append(s)
    for items in result.values():
        items.sort(key=sort_key)
    return result


def snoozed_keys(participant_ids: Iterable[int], today: date) -> dict[tuple[int, str, str], date]:
    """(participant, code, subject) → the latest day an acknowledgement still running was given."""
    result: dict[tuple[int, str, str], date] = {}
    rows = SignalAcknowledgement.objects.filter(
        participant_id__in=list(participant_ids), snooze_until__gt=today
    ).values_list("participant_id", "code", "subject", "acknowledged_at")
    for pid, code, subject, at in rows:
        key = (pid, code, subject)
        day = local_date(at)
        if key not in result or day > result[key]:
            result[key] = day
    return result


def _is_snoozed(signal: Signal, snoozed: dict) -> bool:
    given = snoozed.get(signal.key)
    return given is not None and signal.since <= given


def visible(signals: Iterable[Signal], grant: access.Grant) -> list[Signal]:
    """The signals whose data category the grant covers (a health goal's signal is health data)."""
    return [s for s in signals if s.category in grant.read]


def urgency_key(signals: Sequence[Signal]):
    """Sort key of a participant by their signals: most severe, then most signals, then the oldest."""
    if not signals:
        return (0, 0, date.max.toordinal())
    return (-max(s.severity for s in signals), -len(signals), min(s.since for s in signals).toordinal())


def for_participant(participant: Participant, grant: access.Grant, *, today: date | None = None) -> list[Signal]:
    """The visible, not acknowledged signals of one participant (the participant page)."""
    return visible(compute([participant], today=today)[participant.pk], grant)


def panel(participant: Participant, grant: access.Grant, *, today: date | None = None, request=None) -> dict:
    """Context for ``casework/signals/_panel.html`` on the participant page (empty: render nothing).

    Needs the trajectory category. The caller audits the page view (trajectory is among its categories)."""
    if Category.TRAJECTORY not in grant.read:
        return {}
    items = for_participant(participant, grant, today=today)
    return {"signals": items, "participant": participant, "next": request.get_full_path() if request else ""}
