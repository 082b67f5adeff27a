"""The casusoverleg (case meeting): the writes — discussion requests, the agenda, the minutes, finalising. Reads:
queries/meetings.py."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from koers.casework.models import ActionItem, CaseMeeting, CaseMeetingItem, DiscussionRequest
from koers.casework.queries.meetings import (
    CLOSED_MESSAGE,
    ITEM_LABELS,
    C,
    DecisionDraft,
    MeetingDraft,
    _item_values,
    agenda_participant_or_404,
    can_edit_agenda,
    can_plan,
    can_record,
    check_decision,
    check_meeting,
    propose_agenda,
)
from koers.casework.services import actions as services
from koers.core import access, audit, locking
from koers.core.codes import MeetingStatus
from koers.core.models import AuditAction
from koers.participants.models import Participant


@transaction.atomic
def plan_meeting(user, draft: MeetingDraft) -> CaseMeeting:
    if not can_plan(user):
        raise Http404("Pagina niet gevonden")
    errors = check_meeting(user.organisation_id, draft)
    if errors:
        raise ValidationError({f: [m] for f, m in errors.items()})
    meeting = CaseMeeting.objects.create(
        regie_organisation_id=user.organisation_id, date=draft.date, title=draft.title.strip() or "Casusoverleg",
        chair_id=draft.chair_id, created_by=user,
    )
    meeting.organisations.set({user.organisation_id, *draft.organisation_ids})
    meeting.attendees.set({draft.chair_id, *draft.attendee_ids})
    return meeting


@transaction.atomic
def request_discussion(user, participant: Participant, grant: access.Grant, reason: str, *,
                       request=None) -> DiscussionRequest:
    """Ask to discuss a participant in the regie organisation's next casusoverleg (anyone who sees them)."""
    if C.IDENTITY not in grant.read:
        raise Http404("Deelnemer niet gevonden")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Geef aan waarom u deze deelnemer wilt bespreken."]})
    if DiscussionRequest.objects.filter(
        participant=participant, organisation_id=user.organisation_id, handled_in__isnull=True
    ).exists():
        raise ValidationError({"reason": [
            "Uw organisatie heeft al gevraagd deze deelnemer te bespreken; dat verzoek staat nog open."
        ]})
    req = DiscussionRequest.objects.create(
        participant=participant, organisation_id=user.organisation_id, requested_by=user, reason=reason[:300]
    )
    audit.record(user, participant, C.TRAJECTORY, AuditAction.CREATE, legal_basis=grant.legal_basis,
                 detail="Verzoek tot bespreking in casusoverleg", request=request)
    return req


def _require_agenda_editor(user, meeting: CaseMeeting) -> None:
    if meeting.status != MeetingStatus.GEPLAND:
        raise ValidationError(CLOSED_MESSAGE)
    if not can_edit_agenda(user, meeting):
        raise Http404("Pagina niet gevonden")


@transaction.atomic
def add_to_agenda(user, meeting: CaseMeeting, entries: list[tuple[int, str]], *, request=None
                  ) -> list[CaseMeetingItem]:
    """Put participants on the agenda: ``entries`` are (participant id, reason). Every participant is checked
    (chair and user may see them, else 404 and nothing is saved); one already on the agenda is skipped."""
    meeting = CaseMeeting.objects.select_for_update(of=("self",)).select_related("chair").get(pk=meeting.pk)
    _require_agenda_editor(user, meeting)
    present = set(meeting.items.values_list("participant_id", flat=True))
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    items, audited = [], []
    for pid, reason in entries:
        participant, grant = agenda_participant_or_404(user, meeting, pid)
        if participant.pk in present:
            continue
        present.add(participant.pk)
        items.append(CaseMeetingItem(meeting=meeting, participant=participant, position=position,
                                     reason=(reason or "").strip()[:300]))
        audited.append((participant.pk, C.TRAJECTORY, grant.legal_basis))
        position += 1
    CaseMeetingItem.objects.bulk_create(items)
    audit.record_many(user, audited, AuditAction.CREATE, detail=f"Op de agenda van {meeting}", request=request)
    return items


def accept_proposals(user, meeting: CaseMeeting, participant_ids: list[int], *, request=None,
                     today: dt.date | None = None) -> list[CaseMeetingItem]:
    """Put chosen participants of the proposal on the agenda, with the reasons the proposal gives now."""
    proposal = {p.participant.pk: p for p in propose_agenda(meeting, today).proposals}
    entries = [(pid, proposal[pid].reason_text if pid in proposal else "Voorgesteld") for pid in participant_ids]
    return add_to_agenda(user, meeting, entries, request=request)


@transaction.atomic
def remove_from_agenda(user, meeting: CaseMeeting, item_id, *, request=None) -> CaseMeetingItem:
    """Take an item off the agenda: only while nothing was recorded for it."""
    _require_agenda_editor(user, meeting)
    item = _item_or_404(user, meeting, item_id)
    if item.discussed or item.note or item.decisions.exists():
        raise ValidationError("Voor dit agendapunt is al iets vastgelegd; het kan niet meer van de agenda.")
    grant = access.grant_for(user, item.participant)
    item.delete()
    audit.record(user, item.participant, C.TRAJECTORY, AuditAction.DELETE, legal_basis=grant.legal_basis,
                 detail=f"Van de agenda van {meeting} gehaald", request=request)
    return item


def _item_or_404(user, meeting: CaseMeeting, item_id) -> CaseMeetingItem:
    try:
        return meeting.items.filter(participant__in=access.visible_participants(user)).select_related(
            "participant").get(pk=int(item_id))
    except (TypeError, ValueError, CaseMeetingItem.DoesNotExist) as exc:
        raise Http404("Agendapunt niet gevonden") from exc


def _handle_requests(item: CaseMeetingItem) -> None:
    if item.discussed:
        DiscussionRequest.objects.filter(participant_id=item.participant_id, handled_in__isnull=True,
                                         created_at__lte=timezone.now()).update(handled_in=item)
    else:
        DiscussionRequest.objects.filter(handled_in=item).update(handled_in=None)


@transaction.atomic
def record_item(user, meeting: CaseMeeting, item_id, *, note: str, note_is_special: bool, discussed: bool,
                decision: DecisionDraft | None = None, request=None,
                version: str | None = None) -> tuple[CaseMeetingItem, ActionItem | None]:
    """Save the minutes of one agenda item and, optionally, one decision (an action item for an owner).

    ``version`` (``item_version`` as the form was opened): when a colleague saved this item's minutes since, nothing
    is saved and ``locking.StaleEdit`` lists the current values.

    The discussion requests for the participant are marked handled by this item once it is discussed."""
    meeting = CaseMeeting.objects.select_for_update(of=("self",)).select_related("chair").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.GEPLAND:
        raise ValidationError(CLOSED_MESSAGE)
    if not can_record(user, meeting):
        raise Http404("Pagina niet gevonden")
    item = _item_or_404(user, meeting, item_id)
    participant = item.participant
    grant = access.grant_for(user, participant)
    access.require_category(grant, C.TRAJECTORY, write=True)
    if note_is_special or item.note_is_special:
        access.require_category(grant, C.SPECIAL, write=True)
    categories = {C.TRAJECTORY} | ({C.SPECIAL} if note_is_special or item.note_is_special else set())
    # After the category checks: a user who may record this item may read its current minutes in the message.
    locking.check(version, _item_values(item), labels=ITEM_LABELS)
    item.note = (note or "").strip()
    item.note_is_special = bool(note_is_special and item.note)
    item.discussed = bool(discussed)
    item.save(update_fields=["note", "note_is_special", "discussed"])
    _handle_requests(item)
    created = None
    if decision is not None:
        errors = check_decision(meeting, participant, decision)
        if errors:
            raise ValidationError({f: [m] for f, m in errors.items()})
        [created] = services.create_action_items(user, participant, grant, [services.ActionDraft(
            title=decision.title.strip(), owner_organisation_id=decision.owner_organisation_id,
            due_date=decision.due_date, domain=decision.domain, assignee_id=decision.assignee_id,
            created_by_id=user.pk,
        )], source_meeting_item=item)
    audit.record(user, participant, categories, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail=f"Verslag in {meeting}", request=request)
    return item, created


@transaction.atomic
def finalise(user, meeting: CaseMeeting, *, request=None) -> CaseMeeting:
    """Adopt the minutes: the meeting becomes read-only."""
    meeting = CaseMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.GEPLAND:
        raise ValidationError(CLOSED_MESSAGE)
    if not can_record(user, meeting):
        raise Http404("Pagina niet gevonden")
    if not meeting.has_taken_place:
        raise ValidationError(f"Dit overleg is op {meeting.date:%d-%m-%Y}. De notulen stelt u vast op of na die dag.")
    meeting.status = MeetingStatus.AFGEROND
    meeting.finalised_at = timezone.now()
    meeting.save(update_fields=["status", "finalised_at"])
    items = list(meeting.items.filter(participant__in=access.visible_participants(user)).select_related("participant"))
    grants = access.grants_for_page(user, [i.participant for i in items])
    audit.record_many(user, [(i.participant_id, C.TRAJECTORY, grants[i.participant_id].legal_basis) for i in items],
                      AuditAction.UPDATE, detail=f"Notulen {meeting} vastgesteld", request=request)
    return meeting
