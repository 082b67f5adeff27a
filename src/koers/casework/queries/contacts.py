"""Contacts (contactmomenten) and the guidance hours derived from them: reads, through the access policy. Writes:
services/contacts.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from koers.casework.models import Contact, Message
from koers.casework.queries import actions as queries
from koers.core import access, locking
from koers.core.access import Grant
from koers.core.codes import Category, ContactKind, Role
from koers.core.models import User
from koers.participants.models import Participant

MAX_DURATION = 600  # minutes


EDIT_WINDOW = timedelta(hours=24)


RECENT_ON_PANEL = 3


MSG_FUTURE = "Een contact kan niet in de toekomst liggen. Vul de datum en tijd in waarop het contact plaatsvond."


MSG_DURATION = f"Vul een duur in van 1 tot en met {MAX_DURATION} minuten."


MSG_THIRD_PARTY = "Vul bij een driegesprek in met wie het gesprek was (bijvoorbeeld de werkgever of de school)."


MSG_STAFF = (
    "{names} werkt niet bij een organisatie die bij het traject betrokken is. Kies alleen medewerkers van de "
    "regie-organisatie of van een organisatie die als partner is toegevoegd."
)


MSG_SPECIAL = "U kunt geen contact met bijzondere persoonsgegevens vastleggen voor deze deelnemer."


MSG_TOO_LATE = (
    "Een contact kan alleen binnen 24 uur na het vastleggen worden gewijzigd of verwijderd, en alleen door wie het "
    "vastlegde. Leg een correctie vast als nieuw contact."
)


def can_record(grant: Grant) -> bool:
    """Every user who may see the participant's trajectory may log a contact for their own organisation."""
    return Category.TRAJECTORY in grant.read


def can_see(grant: Grant, contact: Contact) -> bool:
    return Category.TRAJECTORY in grant.read and (not contact.is_special or grant.special)


def can_correct(user, contact: Contact, now: datetime | None = None) -> bool:
    """The recorder, within 24 hours of recording. A message's contact never: what was sent stays as sent."""
    now = now or timezone.now()
    return (contact.recorded_by_id == user.pk and now - contact.recorded_at <= EDIT_WINDOW
            and not is_message(contact))


def is_message(contact: Contact) -> bool:
    """A message in Mijn Koers recorded as this contact (its text lives in the conversation)."""
    return contact.kind == ContactKind.BERICHT and Message.objects.filter(contact=contact).exists()


def category_of(contact: Contact) -> str:
    return Category.SPECIAL if contact.is_special else Category.TRAJECTORY


def categories_of(contacts) -> set[str]:
    return {category_of(c) for c in contacts}


def visible_contacts(participant: Participant, grant: Grant) -> QuerySet:
    """A participant's contacts the grant covers (the caller checked the participant with the policy)."""
    if Category.TRAJECTORY not in grant.read:
        return Contact.objects.none()
    qs = Contact.objects.filter(participant=participant)
    return qs if grant.special else qs.filter(is_special=False)


def for_list(qs: QuerySet) -> QuerySet:
    return qs.select_related("organisation", "recorded_by").prefetch_related("staff__organisation")


@dataclass
class ContactFilters:
    kind: str = ""
    organisation_id: int | None = None
    start: date | None = None
    end: date | None = None


def day_start(d: date) -> datetime:
    """The first moment of a local calendar day (periods are inclusive calendar days)."""
    return timezone.make_aware(datetime.combine(d, time.min))


def in_period(qs: QuerySet, start: date | None, end: date | None, prefix: str = "") -> QuerySet:
    """Contacts whose moment falls on the local days ``start`` up to and including ``end``."""
    if start:
        qs = qs.filter(**{f"{prefix}happened_at__gte": day_start(start)})
    if end:
        qs = qs.filter(**{f"{prefix}happened_at__lt": day_start(end + timedelta(days=1))})
    return qs


def filtered_contacts(participant: Participant, grant: Grant, filters: ContactFilters) -> QuerySet:
    qs = visible_contacts(participant, grant)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    return for_list(in_period(qs, filters.start, filters.end))


def get_contact_or_404(participant: Participant, grant: Grant, contact_id) -> Contact:
    try:
        return for_list(visible_contacts(participant, grant)).get(pk=int(contact_id))
    except (ValueError, TypeError, Contact.DoesNotExist) as exc:
        raise Http404("Contact niet gevonden") from exc


def last_contact_at(participant: Participant) -> datetime | None:
    """The moment of the most recent contact of any kind (special ones too: only the date counts)."""
    return Contact.objects.filter(participant=participant).aggregate(last=Max("happened_at"))["last"]


def panel(participant: Participant, grant: Grant) -> dict:
    """For the participant page: last contact and the three most recent visible contacts (two queries).
    Usage: ``{% include "casework/contacts/_panel.html" with contacts_panel=contacts_panel %}``.
    Empty (renders nothing) without the trajectory category."""
    if Category.TRAJECTORY not in grant.read:
        return {}
    last = last_contact_at(participant)
    recent = list(
        visible_contacts(participant, grant).select_related("organisation", "recorded_by")[:RECENT_ON_PANEL]
    )
    today = timezone.localdate()
    return {
        "last": last,
        "days_since": (today - timezone.localtime(last).date()).days if last else None,
        "recent": recent,
        "can_record": can_record(grant),
        "can_handover": Category.TRAJECTORY in grant.write,
    }


def panel_categories(ctx: dict) -> set[str]:
    """The categories a panel showed (for the caller's audit record)."""
    return categories_of(ctx.get("recent", ())) if ctx else set()


def involved_staff_for(participant: Participant) -> list[User]:
    """Staff who can be named as having taken part: active staff of involved organisations with a case role."""
    return list(access.involved_staff(participant))


def contact_action_items(contact: Contact, grant: Grant) -> list:
    """The action items created from this contact that the grant covers."""
    items = queries.participant_action_items(contact.participant, grant)
    return [i for i in items if i.source_contact_id == contact.pk]


@dataclass
class ContactData:
    kind: str
    happened_at: datetime
    duration_minutes: int
    summary: str
    staff: list[User] = field(default_factory=list)
    participant_present: bool = True
    employer_present: bool = False
    interpreter_present: bool = False
    third_party: str = ""
    agreements: str = ""
    follow_up: str = ""
    is_special: bool = False


def check_contact(participant: Participant, grant: Grant, data: ContactData, *,
                  involved_ids: list[int] | None = None, now: datetime | None = None) -> dict[str, str]:
    """The problems with a contact, per field (empty when it may be saved). Dutch messages."""
    errors: dict[str, str] = {}
    now = now or timezone.now()
    if data.kind not in ContactKind.values:
        errors["kind"] = "Kies een soort contact."
    if data.happened_at is not None and data.happened_at > now:
        errors["happened_at"] = MSG_FUTURE
    if data.duration_minutes is None or not 0 < data.duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = MSG_DURATION
    if data.kind == ContactKind.DRIEGESPREK and not (data.third_party or "").strip():
        errors["third_party"] = MSG_THIRD_PARTY
    involved = involved_ids if involved_ids is not None else access.involved_organisation_ids(participant)
    outsiders = [u for u in data.staff if u.organisation_id not in involved or not u.is_active]
    if outsiders:
        errors["staff"] = MSG_STAFF.format(names=", ".join(str(u) for u in outsiders))
    if data.is_special and not grant.special:
        errors["is_special"] = MSG_SPECIAL
    return errors


def editable_values(contact: Contact) -> dict:
    """The values the edit form shows (its initial data) and the version covers."""
    return {
        "kind": contact.kind, "happened_at": timezone.localtime(contact.happened_at),
        "duration_minutes": contact.duration_minutes, "third_party": contact.third_party,
        "staff": sorted(u.pk for u in contact.staff.all()), "participant_present": contact.participant_present,
        "employer_present": contact.employer_present, "interpreter_present": contact.interpreter_present,
        "summary": contact.summary, "agreements": contact.agreements, "follow_up": contact.follow_up,
        "is_special": contact.is_special,
    }


EDIT_LABELS = {name: str(Contact._meta.get_field(name).verbose_name) for name in (
    "kind", "happened_at", "duration_minutes", "third_party", "staff", "participant_present", "employer_present",
    "interpreter_present", "summary", "agreements", "follow_up", "is_special")}


def contact_version(contact: Contact) -> str:
    return locking.make_version(editable_values(contact))


def _readable_contacts(user) -> QuerySet:
    """Contacts of participants the user may see, special ones only where the user may see special data."""
    visible = access.visible_participants(user)
    special_ok = Participant.objects.filter(access.category_q(user, Category.SPECIAL)).values("pk")
    trajectory_ok = Participant.objects.filter(access.category_q(user, Category.TRAJECTORY)).values("pk")
    return Contact.objects.filter(participant__in=visible).filter(participant__in=trajectory_ok).filter(
        Q(is_special=False) | Q(participant__in=special_ok)
    )


def hours_per_participant(user, start: date, end: date) -> list[dict]:
    """Per participant: the contacts the user's organisation recorded in the period (one query).
    Rows: participant_id, name, regie_organisation_id, contacts, minutes."""
    qs = in_period(_readable_contacts(user).filter(organisation_id=user.organisation_id), start, end)
    rows = (
        qs.values("participant_id", "participant__name", "participant__regie_organisation_id")
        .annotate(contacts=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("participant__name", "participant_id")
    )
    return [
        {"participant_id": r["participant_id"], "name": r["participant__name"],
         "regie_organisation_id": r["participant__regie_organisation_id"], "contacts": r["contacts"],
         "minutes": r["minutes"] or 0}
        for r in rows
    ]


def may_see_team(user) -> bool:
    """The team view (all organisations on the municipality's participants) is for regisseurs."""
    return access.works_with_participants(user) and user.has_role(Role.REGISSEUR)


def hours_per_organisation(user, start: date, end: date) -> list[dict]:
    """Team view: hours of every organisation on the participants whose regie the user's organisation holds.
    Aggregates only (no participant is named)."""
    qs = in_period(Contact.objects.filter(participant__regie_organisation_id=user.organisation_id), start, end)
    rows = (
        qs.values("organisation_id", "organisation__name")
        .annotate(contacts=Count("id"), minutes=Sum("duration_minutes"), participants=Count("participant",
                                                                                             distinct=True))
        .order_by("organisation__name")
    )
    return [{"name": r["organisation__name"], "contacts": r["contacts"], "participants": r["participants"],
             "minutes": r["minutes"] or 0} for r in rows]


def hours_per_staff(user, start: date, end: date) -> list[dict]:
    """Team view: hours recorded by each staff member of the user's organisation (its regie participants and
    partner work alike). Aggregates only."""
    qs = in_period(Contact.objects.filter(organisation_id=user.organisation_id), start, end)
    rows = (
        qs.values("recorded_by_id", "recorded_by__first_name", "recorded_by__last_name", "recorded_by__username")
        .annotate(contacts=Count("id"), minutes=Sum("duration_minutes"), participants=Count("participant",
                                                                                             distinct=True))
        .order_by("recorded_by__first_name", "recorded_by__last_name")
    )
    return [{"name": " ".join(filter(None, (r["recorded_by__first_name"], r["recorded_by__last_name"])))
             or r["recorded_by__username"], "contacts": r["contacts"], "participants": r["participants"],
             "minutes": r["minutes"] or 0} for r in rows]


def participant_hours(participant: Participant, grant: Grant, start: date | None, end: date | None) -> list[dict]:
    """Per organisation: hours on one participant in a period, from the contacts the grant covers."""
    qs = in_period(visible_contacts(participant, grant), start, end)
    rows = (
        qs.values("organisation__name").annotate(contacts=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("organisation__name")
    )
    return [{"name": r["organisation__name"], "contacts": r["contacts"], "minutes": r["minutes"] or 0}
            for r in rows]


def hours_label(minutes: int) -> str:
    """Minutes as Dutch decimal hours ("1,5")."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".").replace(".", ",") or "0"
