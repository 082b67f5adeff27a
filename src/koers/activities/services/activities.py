"""Every write to activities and enrolments: checked against the access policy, audited where it is
participant data (enrolments are trajectory data: category ``traject``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from koers.activities.models import Activity, ActivitySlot, Enrolment, Group
from koers.activities.queries import activities as queries
from koers.activities.queries import schedule as schedule_queries
from koers.activities.queries.groups import TAKING_PART
from koers.activities.rules.schedule import ScheduleCheck, check_schedule, fmt_date
from koers.core import access, audit
from koers.core.access import Grant
from koers.core.codes import Category, DropoutReason, EnrolmentStatus
from koers.core.models import AuditAction
from koers.participants.models import Membership, Participant

S = EnrolmentStatus
#: The status changes of an enrolment. Afgerond and uitgevallen are final: a new start is a new enrolment.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.AANGEMELD: (S.ACTIEF, S.UITGEVALLEN),
    S.ACTIEF: (S.AFGEROND, S.UITGEVALLEN),
    S.AFGEROND: (),
    S.UITGEVALLEN: (),
}
#: The statuses an enrolment can be created with.
START_STATUSES = (S.AANGEMELD, S.ACTIEF)


# --- Activities -----------------------------------------------------------------------------------------


def _enrolments_outside(activity: Activity) -> list[Enrolment]:
    """Enrolments (not dropped out) that would no longer fit in the activity's period."""
    return [
        e for e in activity.enrolments.exclude(status=S.UITGEVALLEN).only("start_date", "end_date")
        if e.start_date < activity.start_date or e.start_date > activity.end_date
        or (e.end_date and e.end_date > activity.end_date)
    ]


@transaction.atomic
def save_activity(user, activity: Activity | None = None, *, slots: list[dict], **fields) -> Activity:
    """Create (``activity`` None) or change an activity and its weekly pattern. Only the provider's own staff
    (else 404). ``fields``: the activity's validated fields (title, kind, dates, ``required_levels`` ...);
    ``slots``: the whole weekly pattern as ``{"weekday", "start_time", "end_time"}`` rows (blocks that stay keep
    their row, others are removed or added)."""
    if activity is None or activity.pk is None:
        if not access.can_manage_activities(user, user.organisation_id):
            raise Http404("Pagina niet gevonden")
        activity = Activity(provider_id=user.organisation_id, created_by=user)
    else:
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if not access.can_manage_activities(user, activity.provider_id):
            raise Http404("Activiteit niet gevonden")
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.follows_id and activity.follows_id == activity.pk:
        raise ValidationError({"follows": "Een activiteit kan niet op zichzelf volgen."})
    activity.save()
    if _enrolments_outside(activity):
        raise ValidationError(
            "Er zijn inschrijvingen die buiten de nieuwe periode vallen. Pas eerst die inschrijvingen aan, of "
            "kies een periode waarin ze passen."
        )
    wanted = {(s["weekday"], s["start_time"], s["end_time"]) for s in slots}
    current = {(s.weekday, s.start_time, s.end_time): s for s in activity.slots.all()}
    for key, slot in current.items():
        if key not in wanted:
            slot.delete()
    ActivitySlot.objects.bulk_create(
        ActivitySlot(activity=activity, weekday=w, start_time=start, end_time=end)
        for (w, start, end) in sorted(wanted - set(current))
    )
    return activity


# --- Enrolments -----------------------------------------------------------------------------------------


@dataclass
class EnrolmentCheck:
    """What Koers tells the user before an enrolment is saved."""

    gaps: list[str] = field(default_factory=list)
    schedule: ScheduleCheck = field(default_factory=ScheduleCheck)

    @property
    def needs_requirement_reason(self) -> bool:
        return bool(self.gaps)

    @property
    def needs_conflict_reason(self) -> bool:
        return self.schedule.has_conflicts

    @property
    def needs_confirmation(self) -> bool:
        return self.needs_requirement_reason or self.needs_conflict_reason

    @property
    def fingerprint(self) -> str:
        return self.schedule.fingerprint + ":" + str(len(self.gaps))


class NeedsConfirmation(Exception):  # noqa: N818 - a question for the user, not an error
    """The enrolment has requirement gaps or schedule conflicts that need a (new) recorded reason."""

    def __init__(self, check: EnrolmentCheck, *, changed: bool = False):
        super().__init__("Bevestiging nodig")
        self.check = check
        self.changed = changed


def period_errors(activity: Activity, start: date | None, end: date | None) -> dict[str, str]:
    """Start and end of an enrolment against each other and against the activity's period."""
    errors: dict[str, str] = {}
    if start is None:
        return errors
    if end is not None and end < start:
        errors["end_date"] = "De einddatum ligt vóór de startdatum. Kies een einddatum op of na de start."
    if not activity.start_date <= start <= activity.end_date:
        errors["start_date"] = (
            f"De start valt buiten de periode van de activiteit ({fmt_date(activity.start_date)} t/m "
            f"{fmt_date(activity.end_date)})."
        )
    elif end is not None and end > activity.end_date and "end_date" not in errors:
        errors["end_date"] = (
            f"De einddatum ligt na het einde van de activiteit ({fmt_date(activity.end_date)}). "
            "Laat het veld leeg om tot het einde van de activiteit ingeschreven te zijn."
        )
    return errors


def overlapping_enrolment(participant_id: int, activity: Activity, start: date, end: date | None,
                          exclude: int | None = None) -> Enrolment | None:
    """Another enrolment of the same participant in the same activity in an overlapping period."""
    last = end or activity.end_date
    qs = Enrolment.objects.filter(participant_id=participant_id, activity=activity, start_date__lte=last)
    if exclude:
        qs = qs.exclude(pk=exclude)
    for e in qs.only("start_date", "end_date", "status"):
        if (e.end_date or activity.end_date) >= start:
            return e
    return None


def enrolment_errors(participant_id: int, activity: Activity, start: date, end: date | None) -> dict[str, str]:
    """Reasons an enrolment is refused outright (no override possible), per form field."""
    errors = period_errors(activity, start, end)
    if not errors and overlapping_enrolment(participant_id, activity, start, end):
        errors["start_date"] = (
            "De deelnemer is in deze periode al ingeschreven voor deze activiteit. Kies een periode na de "
            "bestaande inschrijving, of wijzig die inschrijving."
        )
    return errors


def check_enrolment(user, participant: Participant, grant: Grant, activity: Activity, start: date,
                    end: date | None) -> EnrolmentCheck:
    """Entry requirements and schedule conflicts of a proposed enrolment (reads only)."""
    gaps = queries.requirement_gaps(
        participant, activity.required_levels, may_see_levels=grant.can_see(Category.LANGUAGE)
    )
    slots = list(activity.slots.all())
    proposed = schedule_queries.blocks_of(activity, slots, start, end, proposed=True)
    existing, work = [], []
    if proposed:
        first, last = start, min(end or activity.end_date, activity.end_date)
        existing = schedule_queries.enrolment_blocks(
            schedule_queries.scheduled_enrolments(participant.pk, between=(first, last))
        )
        work = schedule_queries.commitments(participant, grant, first, last)
    schedule = check_schedule(
        proposed, existing, availability=participant.availability,
        max_hours=schedule_queries.max_hours_for(participant), commitments=work,
    )
    return EnrolmentCheck(gaps, schedule)


def _may_enrol(user, grant: Grant, activity: Activity) -> None:
    if not access.can_enrol(user, grant, activity.provider_id):
        raise Http404("Pagina niet gevonden")
    if not queries.catalogue(user).filter(pk=activity.pk).exists():
        raise Http404("Activiteit niet gevonden")


def _group_with_room(activity: Activity) -> Group | None:
    """Where a new member of a group activity goes: the group with the fewest members taking part that is not
    full (ties: by name). None when the activity has no groups (its sessions are for everybody) or all are full;
    the provider can move a member to another group."""
    if not activity.is_group:
        return None
    groups = list(activity.groups.order_by("name", "id"))
    if not groups:
        return None
    sizes = {g.pk: 0 for g in groups}
    for gid in Enrolment.objects.filter(activity=activity, status__in=TAKING_PART, group__in=groups).values_list(
            "group_id", flat=True):
        sizes[gid] += 1
    open_groups = [g for g in groups if activity.max_group_size is None or sizes[g.pk] < activity.max_group_size]
    return min(open_groups, key=lambda g: sizes[g.pk]) if open_groups else None


def group_errors(activity: Activity, group: Group | None) -> dict[str, str]:
    """A group chosen at enrolment: one of the activity's own, and not full."""
    if group is None:
        return {}
    if group.activity_id != activity.pk or not activity.is_group:
        return {"group": f"De groep ‘{group.name}’ hoort niet bij ‘{activity.title}’. Kies een groep van deze "
                         "activiteit of laat het veld leeg."}
    if activity.max_group_size is not None and Enrolment.objects.filter(
            group=group, status__in=TAKING_PART).count() >= activity.max_group_size:
        return {"group": f"De groep ‘{group.name}’ is vol ({activity.max_group_size} deelnemers). Kies een andere "
                         "groep of laat het veld leeg."}
    return {}


def _involve_provider(user, participant: Participant, grant: Grant, activity: Activity, *, request=None
                      ) -> Membership | None:
    """Give the activity's provider access on the trajectory's legal basis when the regie organisation enrols
    the participant in a partner's activity (``core.access.enrolment_access`` decides whether and what)."""
    terms = access.enrolment_access(participant, activity.provider)
    if terms is None or not grant.can_manage_access:
        return None
    membership = Membership.objects.create(
        participant=participant, organisation=activity.provider, legal_basis=terms["legal_basis"],
        scope=Membership.scope_value(terms["scope"]), purpose=f"Inschrijving ‘{activity.title}’"[:200],
        valid_from=timezone.localdate(), added_by=user,
    )
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.GRANT, legal_basis=grant.legal_basis,
                 detail=f"{activity.provider} betrokken door inschrijving voor ‘{activity.title}’ "
                        f"({membership.get_legal_basis_display()}): " + ", ".join(membership.scope_labels),
                 request=request)
    return membership


def _end_provider_access(user, enrolment: Enrolment) -> None:
    """When the enrolment that gave the provider access ends, the access ends ``ENROLMENT_GRACE_DAYS`` later
    (the last attendance and the final level can still be recorded), unless another running enrolment of the
    participant at that provider still needs it."""
    membership = enrolment.membership
    if membership is None or membership.ended_at is not None:
        return
    others = Enrolment.objects.filter(
        participant_id=enrolment.participant_id, activity__provider_id=enrolment.activity.provider_id,
        status__in=TAKING_PART,
    ).exclude(pk=enrolment.pk)
    if others.exists():
        return
    until = access.enrolment_access_until(enrolment.end_date or timezone.localdate())
    if membership.valid_until is None or membership.valid_until > until:
        membership.valid_until = until
        membership.end_reason = f"Inschrijving ‘{enrolment.activity.title}’ beëindigd"[:200]
        membership.save(update_fields=["valid_until", "end_reason"])


@transaction.atomic
def enrol(
    user, participant: Participant, grant: Grant, activity: Activity, *, start: date, end: date | None,
    status: str = S.AANGEMELD, requirement_override: str = "", conflict_override: str = "",
    confirmed: str | None = None, group: Group | None = None, request=None,
) -> Enrolment:
    """Enrol a participant. Refuses bad periods and double enrolments (ValidationError); asks for a reason
    when the entry requirements are not met or the schedule conflicts (NeedsConfirmation). ``confirmed`` is
    the fingerprint of the conflicts the user saw: if they changed meanwhile, the user is asked again."""
    _may_enrol(user, grant, activity)
    if status not in START_STATUSES:
        raise ValidationError({"status": "Een nieuwe inschrijving is aangemeld of actief."})
    # Serialise enrolments of one participant (PostgreSQL row lock; SQLite's IMMEDIATE transaction locks all).
    Participant.objects.select_for_update().only("pk").get(pk=participant.pk)
    errors = enrolment_errors(participant.pk, activity, start, end)
    errors.update(group_errors(activity, group))
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    check = check_enrolment(user, participant, grant, activity, start, end)
    requirement_override, conflict_override = requirement_override.strip(), conflict_override.strip()
    if confirmed is not None and check.needs_confirmation and confirmed != check.fingerprint:
        raise NeedsConfirmation(check, changed=True)
    if (check.needs_requirement_reason and not requirement_override) or (
        check.needs_conflict_reason and not conflict_override
    ):
        raise NeedsConfirmation(check)
    enrolment = Enrolment.objects.create(
        participant=participant, activity=activity, start_date=start, end_date=end, status=status,
        requirement_override=requirement_override if check.needs_requirement_reason else "",
        conflict_override=conflict_override if check.needs_conflict_reason else "",
        enrolled_by=user, group=group or _group_with_room(activity),
        membership=_involve_provider(user, participant, grant, activity, request=request),
    )
    detail = f"Ingeschreven voor ‘{activity.title}’ vanaf {fmt_date(start)}"
    if enrolment.group_id:
        detail += f"; ingedeeld in {enrolment.group.name}"
    if enrolment.requirement_override:
        detail += "; ondanks instapeisen"
    if enrolment.conflict_override:
        detail += "; ondanks roosterconflict"
    audit.record(user, participant, Category.TRAJECTORY, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail=detail, request=request)
    return enrolment


@transaction.atomic
def change_status(
    user, enrolment: Enrolment, grant: Grant, new_status: str, *, on: date | None = None,
    reason: str = "", note: str = "", note_is_special: bool = False, request=None,
) -> Enrolment:
    """aangemeld → actief → afgerond, or → uitgevallen (with a reason code). Closing sets the end date."""
    if not access.can_enrol(user, grant, enrolment.activity.provider_id):
        raise Http404("Inschrijving niet gevonden")
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("activity", "membership").get(pk=enrolment.pk)
    )
    if new_status not in TRANSITIONS.get(enrolment.status, ()):
        label = S(new_status).label.lower() if new_status in S.values else new_status
        raise ValidationError(
            {"status": f"Een inschrijving met status ‘{enrolment.get_status_display().lower()}’ kan niet naar "
                       f"‘{label}’."}
        )
    errors: dict[str, str] = {}
    on = on or timezone.localdate()
    if new_status in (S.AFGEROND, S.UITGEVALLEN):
        if on < enrolment.start_date:
            errors["on"] = (
                f"Deze datum ligt vóór de start ({fmt_date(enrolment.start_date)}). Kies de startdatum als de "
                "deelnemer niet is begonnen."
            )
        if new_status == S.UITGEVALLEN and reason not in DropoutReason.values:
            errors["reason"] = "Kies een reden van uitval (of ‘onbekend’)."
        elif (new_status == S.UITGEVALLEN and access.is_special_code("dropout_reason", reason)
              and not access.may_record_special(grant)):
            errors["reason"] = (
                "U mag geen reden van uitval vastleggen die over gezondheid gaat: dat zijn bijzondere "
                "persoonsgegevens. Kies ‘overig’ of ‘onbekend’ en vraag de regisseur de reden vast te leggen."
            )
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    old = enrolment.get_status_display().lower()
    enrolment.status = new_status
    if new_status in (S.AFGEROND, S.UITGEVALLEN):
        enrolment.end_date = on if enrolment.end_date is None else min(enrolment.end_date, on)
    if new_status == S.UITGEVALLEN:
        enrolment.dropout_reason = reason
        enrolment.dropout_note = note.strip()[:300]
        enrolment.dropout_note_is_special = bool(enrolment.dropout_note) and access.note_is_special(
            note_is_special, reason)
    enrolment.save(update_fields=["status", "end_date", "dropout_reason", "dropout_note", "dropout_note_is_special"])
    if new_status in (S.AFGEROND, S.UITGEVALLEN):
        _end_provider_access(user, enrolment)
    detail = f"Inschrijving ‘{enrolment.activity.title}’: {old} → {enrolment.get_status_display().lower()}"
    categories = {Category.TRAJECTORY}
    if new_status == S.UITGEVALLEN:
        special = access.is_special_code("dropout_reason", reason) or enrolment.dropout_note_is_special
        if special:
            categories.add(Category.SPECIAL)
        if access.is_special_code("dropout_reason", reason):
            # The audit trail is read by more people than health data may reach: name the category, not the reason.
            detail += " (reden: bijzonder persoonsgegeven)"
        else:
            detail += f" ({enrolment.get_dropout_reason_display().lower()})"
        if enrolment.dropout_note_is_special:
            detail += "; toelichting gemarkeerd als bijzonder"
    audit.record(user, enrolment.participant_id, categories, AuditAction.UPDATE,
                 legal_basis=grant.legal_basis, detail=detail, request=request)
    return enrolment


def end_with_trajectory(user, participant: Participant, grant: Grant, *, on: date, request=None) -> list[Enrolment]:
    """Closing a trajectory ends the enrolments that run after the closure date (``queries.running_after``): status
    *uitgevallen* on the closure date (on the start date for one that had not begun), reason *overig* with the
    note "Traject afgesloten op …", so the participant leaves attendance lists and the week schedule and the
    provider's access ends with it. The trajectory's outcome and its dropout reason stay with the closure: the
    provider is told only that the trajectory ended. Each change is audited by ``change_status``."""
    ended = []
    for enrolment in queries.running_after(participant.pk, on):
        ended.append(change_status(
            user, enrolment, grant, S.UITGEVALLEN, on=max(on, enrolment.start_date), reason=DropoutReason.OVERIG,
            note=f"Traject afgesloten op {fmt_date(on)}.", request=request,
        ))
    return ended
