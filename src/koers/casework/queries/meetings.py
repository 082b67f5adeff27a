"""The casusoverleg (case meeting): the reads — discussion requests, the proposed agenda, the minutes and their access
scope. Writes: services/meetings.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from koers.casework.models import ActionItem, CaseMeeting, CaseMeetingItem, DiscussionRequest
from koers.casework.queries import actions as queries
from koers.casework.queries import alerts
from koers.core import access, audit, locking
from koers.core.codes import Category, MeetingStatus, OrganisationKind, Phase, Role
from koers.core.models import AuditAction, MunicipalityPolicy, Organisation, User
from koers.participants.models import Membership, Participant

C = Category


#: Who plans a meeting and edits its agenda (at a municipality that holds the regie).
PLANNER_ROLES = frozenset({Role.REGISSEUR, Role.PROJECTLEIDER})


#: Signals of at least this severity put a participant on the proposed agenda.
URGENT_SEVERITY = 2


#: The proposal shows at most this many participants (the rest are counted).
MAX_PROPOSALS = 30


#: Signals are computed for at most this many candidates, the longest undiscussed first (a very large
#: municipality then still gets its proposal in a second; requests are always included).
MAX_SIGNAL_CANDIDATES = 1000


CLOSED_MESSAGE = "De notulen van dit casusoverleg zijn vastgesteld en kunnen niet meer worden gewijzigd."


NOT_PARTICIPATING = (
    "{org} neemt niet deel aan dit casusoverleg. Kies een deelnemende organisatie die bij het traject betrokken is."
)


def _roles(user) -> frozenset[str]:
    return user.role_codes if getattr(user, "is_authenticated", False) and user.organisation_id else frozenset()


def can_plan(user) -> bool:
    """A regisseur or projectleider of an active municipality plans its case meetings."""
    org = getattr(user, "organisation", None)
    return bool(
        org is not None and org.is_active and org.kind == OrganisationKind.GEMEENTE and _roles(user) & PLANNER_ROLES
    )


def can_edit_agenda(user, meeting: CaseMeeting) -> bool:
    return (
        meeting.status == MeetingStatus.GEPLAND
        and user.organisation_id == meeting.regie_organisation_id
        and bool(_roles(user) & PLANNER_ROLES)
        and user.organisation.is_active
    )


def can_record(user, meeting: CaseMeeting) -> bool:
    """Recording the minutes creates action items (trajectory data): a regisseur of the regie organisation."""
    return can_edit_agenda(user, meeting) and Role.REGISSEUR in _roles(user)


def chair_candidates(organisation_id: int) -> QuerySet:
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, roles__role=Role.REGISSEUR
    ).distinct().order_by("first_name", "last_name", "username")


def partner_organisations(organisation_id: int) -> QuerySet:
    """Active organisations that are partner in at least one trajectory the municipality holds the regie of."""
    partners = Membership.objects.active().filter(participant__regie_organisation_id=organisation_id)
    return Organisation.objects.filter(
        pk__in=partners.values("organisation_id"), is_active=True
    ).exclude(pk=organisation_id).order_by("name")


def attendee_candidates(organisation_ids) -> QuerySet:
    """Active staff who work with participants, of the given organisations."""
    return (
        User.objects.filter(
            organisation_id__in=list(organisation_ids), organisation__is_active=True, is_active=True,
            roles__role__in=sorted(access.CASE_ROLES),
        )
        .select_related("organisation").distinct()
        .order_by("organisation__name", "first_name", "last_name", "username")
    )


def visible_meetings(user) -> QuerySet:
    """Meetings of the user's organisation: it holds the regie or participates. Everyone else: none."""
    if not access.works_with_participants(user) or not user.organisation.is_active:
        return CaseMeeting.objects.none()
    participating = CaseMeeting.organisations.through.objects.filter(organisation_id=user.organisation_id)
    return CaseMeeting.objects.filter(
        Q(regie_organisation_id=user.organisation_id) | Q(pk__in=participating.values("casemeeting_id"))
    )


def get_meeting_or_404(user, pk) -> CaseMeeting:
    try:
        return visible_meetings(user).select_related("regie_organisation", "chair").get(pk=int(pk))
    except (ValueError, TypeError, CaseMeeting.DoesNotExist) as exc:
        raise Http404("Casusoverleg niet gevonden") from exc


def meetings_for(user, today: dt.date | None = None) -> tuple[list[CaseMeeting], QuerySet]:
    """Upcoming meetings (planned, from today, soonest first) and the others (newest first)."""
    today = today or timezone.localdate()
    qs = visible_meetings(user).select_related("regie_organisation", "chair")
    upcoming = qs.filter(status=MeetingStatus.GEPLAND, date__gte=today)
    return list(upcoming.order_by("date", "id")), qs.exclude(pk__in=upcoming.values("pk")).order_by("-date", "-id")


def organisation_ids(meeting: CaseMeeting) -> list[int]:
    """The participating organisations, the regie organisation first."""
    ids = getattr(meeting, "_koers_org_ids", None)
    if ids is None:
        others = sorted(set(meeting.organisations.values_list("pk", flat=True)) - {meeting.regie_organisation_id})
        ids = meeting._koers_org_ids = [meeting.regie_organisation_id, *others]
    return ids


@dataclass(frozen=True)
class MeetingDraft:
    date: dt.date
    title: str
    chair_id: int
    organisation_ids: list[int]
    attendee_ids: list[int]


def check_meeting(organisation_id: int, draft: MeetingDraft) -> dict[str, str]:
    """The problems with a planned meeting, per field (Dutch messages)."""
    errors: dict[str, str] = {}
    if not chair_candidates(organisation_id).filter(pk=draft.chair_id).exists():
        errors["chair"] = "De voorzitter moet een regisseur van uw organisatie zijn."
    allowed = set(partner_organisations(organisation_id).values_list("pk", flat=True))
    if set(draft.organisation_ids) - allowed - {organisation_id}:
        errors["organisations"] = "Kies alleen partners die bij trajecten van uw gemeente betrokken zijn."
    orgs = {organisation_id, *draft.organisation_ids}
    attendees = attendee_candidates(orgs).filter(pk__in=draft.attendee_ids)
    if attendees.count() != len(set(draft.attendee_ids)):
        outside = User.objects.filter(pk__in=draft.attendee_ids).exclude(pk__in=attendees.values("pk"))
        names = ", ".join(f"{u} ({u.organisation})" for u in outside[:3])
        errors["attendees"] = (
            f"Niet iedere aanwezige werkt bij een deelnemende organisatie: {names}. Kies die organisatie ook als "
            "deelnemer, of haal de medewerker weg."
        )
    return errors


def open_requests(participant_ids) -> dict[int, list[DiscussionRequest]]:
    result: dict[int, list[DiscussionRequest]] = defaultdict(list)
    for r in DiscussionRequest.objects.filter(participant_id__in=participant_ids, handled_in__isnull=True
                                              ).select_related("organisation", "requested_by"):
        result[r.participant_id].append(r)
    return result


def request_panel(user, participant: Participant, grant: access.Grant, *, today: dt.date | None = None) -> dict:
    """Context for ``casework/meetings/_request.html`` on the participant page (empty: render nothing).

    Open requests and the last discussion are trajectory data: shown with that category only; the form is there
    for everyone who sees the participant. Two queries."""
    if C.IDENTITY not in grant.read:
        return {}
    panel: dict = {"can_see": C.TRAJECTORY in grant.read, "open": [], "last": None, "mine_open": False}
    if panel["can_see"]:
        panel["open"] = open_requests([participant.pk]).get(participant.pk, [])
        panel["last"] = (
            CaseMeetingItem.objects.filter(participant=participant, discussed=True,
                                           meeting__status=MeetingStatus.AFGEROND)
            .aggregate(last=Max("meeting__date"))["last"]
        )
        panel["mine_open"] = any(r.organisation_id == user.organisation_id for r in panel["open"])
    return panel


@dataclass(frozen=True)
class Reason:
    code: str  # signaal / verzoek / niet_besproken / handmatig
    label: str
    severity: int = 0
    category: str = C.TRAJECTORY


@dataclass
class Proposal:
    participant: Participant
    reasons: list[Reason] = field(default_factory=list)
    last_discussed: dt.date | None = None
    #: Whether a partner at the table is involved (always true for an internal meeting).
    shared: bool = True

    @property
    def preselected(self) -> bool:
        """Ticked in advance: an urgent signal or a request, about a case the partners at the table share. The
        rest (only "not discussed for a while", or nobody at the table involved) is the chair's explicit choice."""
        return self.shared and (self.severity > 0 or self.has_request)

    @property
    def severity(self) -> int:
        return max((r.severity for r in self.reasons if r.code == "signaal"), default=0)

    @property
    def has_request(self) -> bool:
        return any(r.code == "verzoek" for r in self.reasons)

    def sort_key(self):
        return (-self.severity, not self.has_request, self.last_discussed or dt.date.min, self.participant.name)

    @property
    def reason_text(self) -> str:
        """The reasons as stored on the agenda item: trajectory data only (a health signal is not named)."""
        parts = []
        for r in self.reasons:
            if r.category in (C.TRAJECTORY, C.IDENTITY):
                parts.append(r.label)
            elif "Urgent signaal" not in parts:
                parts.append("Urgent signaal")
        return "; ".join(parts)[:300]


@dataclass
class AgendaProposal:
    proposals: list[Proposal]
    more: int
    weeks: int


def _urgent_signals(participants: list[Participant], grants: dict[int, access.Grant], today: dt.date
                    ) -> dict[int, list[Reason]]:
    if not participants:
        return {}
    result: dict[int, list[Reason]] = {}
    for pid, items in alerts.compute(participants, today=today).items():
        grant = grants.get(pid)
        if grant is None:
            continue
        urgent = [s for s in alerts.visible(items,
                                                     grant) if s.severity >= URGENT_SEVERITY]  # most urgent first
        if urgent:
            result[pid] = [Reason("signaal", f"Signaal: {s.label}", s.severity, s.category) for s in urgent]
    return result


def _last_discussed(meeting: CaseMeeting) -> Subquery:
    return Subquery(
        CaseMeetingItem.objects.filter(
            participant=OuterRef("pk"), discussed=True, meeting__status=MeetingStatus.AFGEROND,
            meeting__regie_organisation_id=meeting.regie_organisation_id,
        ).order_by("-meeting__date").values("meeting__date")[:1]
    )


def propose_agenda(meeting: CaseMeeting, today: dt.date | None = None, *, viewer=None) -> AgendaProposal:
    """Participants the chair may see, directed by the regie organisation and not on the agenda yet, with why:

    (a) urgent signals (severity ≥ 2, as far as the chair may see them), (b) open discussion requests, (c) not
    discussed in a finalised casusoverleg of this organisation for ``not_discussed_weeks`` weeks (or never).
    When partners take part, (a) and (c) consider the participants at least one of them is involved in (the
    meeting is about shared cases); an internal meeting considers all. Requests always count. Ordered by the most
    severe signal, then requests, then the longest undiscussed; capped at ``MAX_PROPOSALS``.
    """
    today = today or timezone.localdate()
    weeks = MunicipalityPolicy.for_organisation(meeting.regie_organisation_id).not_discussed_weeks
    cutoff = today - dt.timedelta(weeks=weeks)
    base = (
        access.visible_participants(meeting.chair)
        .filter(regie_organisation_id=meeting.regie_organisation_id)
        .exclude(phase=Phase.AFGESLOTEN)
        .exclude(pk__in=meeting.items.values("participant_id"))
        .annotate(last_discussed=_last_discussed(meeting))
    )
    partners = organisation_ids(meeting)[1:]
    shared = base
    if partners:
        involved = Membership.objects.active().filter(organisation_id__in=partners).values("participant_id")
        shared = base.filter(pk__in=involved)
    requests = open_requests(base.filter(pk__in=DiscussionRequest.objects.filter(handled_in__isnull=True)
                                         .values("participant_id")).values_list("pk", flat=True))
    order = (F("last_discussed").asc(nulls_first=True), "pk")
    # Urgent signals count for every participant of the regie: the most urgent case is never left out. Whether a
    # partner at the table is involved decides only what is ticked in advance (shared cases, see Proposal).
    candidates = {p.pk: p for p in base.order_by(*order)[:MAX_SIGNAL_CANDIDATES]}
    missing = set(requests) - set(candidates)
    if missing:
        candidates.update({p.pk: p for p in base.filter(pk__in=missing)})
    shared_ids = set(shared.filter(pk__in=list(candidates)).values_list("pk", flat=True)) if partners \
        else set(candidates)
    participants = list(candidates.values())
    grants = access.grants_for_page(meeting.chair, participants)
    urgent = _urgent_signals(participants, grants, today)
    undiscussed_total = shared.filter(Q(last_discussed__isnull=True) | Q(last_discussed__lt=cutoff)).count()

    proposals: list[Proposal] = []
    undiscussed_counted = 0
    for p in participants:
        grant = grants.get(p.pk)
        if grant is None or C.TRAJECTORY not in grant.read:
            continue
        proposal = Proposal(p, list(urgent.get(p.pk, [])), p.last_discussed, shared=p.pk in shared_ids)
        for r in requests.get(p.pk, []):
            proposal.reasons.append(Reason("verzoek", f"Verzoek van {r.organisation.name}: {r.reason}"))
        if p.pk in shared_ids and (p.last_discussed is None or p.last_discussed < cutoff):
            proposal.reasons.append(Reason("niet_besproken", _undiscussed_label(p.last_discussed, today)))
            undiscussed_counted += 1
        if proposal.reasons:
            proposals.append(proposal)
    proposals.sort(key=Proposal.sort_key)
    shown = proposals[:MAX_PROPOSALS]
    more = len(proposals) - len(shown) + max(0, undiscussed_total - undiscussed_counted)
    if viewer is not None and viewer.pk != meeting.chair_id:
        _mask_reasons(shown, access.grants_for_page(viewer, [p.participant for p in shown]))
    return AgendaProposal(shown, more, weeks)


def _mask_reasons(proposals: list[Proposal], grants: dict[int, access.Grant]) -> None:
    for proposal in proposals:
        read = grants[proposal.participant.pk].read
        proposal.reasons = [r if r.category in read else Reason(r.code, "Signaal (afgeschermd)", r.severity)
                            for r in proposal.reasons]


def _undiscussed_label(last: dt.date | None, today: dt.date) -> str:
    if last is None:
        return "Nog niet besproken in een casusoverleg"
    weeks = (today - last).days // 7
    return f"Niet besproken sinds {last:%d-%m-%Y} ({weeks} weken)"


def agenda_participant_or_404(user, meeting: CaseMeeting, participant_id) -> tuple[Participant, access.Grant]:
    """A participant that may go on the agenda: both the chair and the user must see their trajectory, else 404
    (the same answer as for a participant that does not exist)."""
    try:
        pid = int(participant_id)
    except (TypeError, ValueError) as exc:
        raise Http404("Deelnemer niet gevonden") from exc
    if not access.visible_participants(meeting.chair).filter(pk=pid).exists():
        raise Http404("Deelnemer niet gevonden")
    participant, grant = access.get_participant_or_404(user, pid)
    if C.TRAJECTORY not in grant.read or C.TRAJECTORY not in access.grant_for(meeting.chair, participant).read:
        raise Http404("Deelnemer niet gevonden")
    return participant, grant


def search_participants(user, meeting: CaseMeeting, q: str, limit: int = 20) -> list[Participant]:
    """Participants to add by hand: name or number, visible to the chair and the user, not on the agenda."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    qs = access.visible_participants(meeting.chair).filter(
        pk__in=access.visible_participants(user).values("pk")
    ).exclude(pk__in=meeting.items.values("participant_id"))
    match = Q(name__icontains=q)
    if q.isdigit():
        match |= Q(pk=int(q))
    return list(qs.filter(match).select_related("regie_organisation").order_by("name", "pk")[:limit])


@dataclass(frozen=True)
class DecisionDraft:
    title: str
    owner_organisation_id: int | None
    due_date: dt.date | None
    domain: str = ""
    assignee_id: int | None = None


def decision_organisations(meeting: CaseMeeting, participant_ids) -> dict[int, list[Organisation]]:
    """Per participant, the participating organisations involved in their trajectory (one query each kind)."""
    org_ids = organisation_ids(meeting)
    orgs = Organisation.objects.in_bulk(org_ids)
    partner = defaultdict(set)
    for pid, oid in Membership.objects.active().filter(
        participant_id__in=list(participant_ids), organisation_id__in=org_ids[1:]
    ).values_list("participant_id", "organisation_id"):
        partner[pid].add(oid)
    result = {}
    for pid in participant_ids:
        ids = [meeting.regie_organisation_id, *sorted(partner[pid], key=lambda i: orgs[i].name)]
        result[pid] = [orgs[i] for i in ids if orgs[i].is_active]
    return result


def check_decision(meeting: CaseMeeting, participant: Participant, draft: DecisionDraft) -> dict[str, str]:
    """The problems with a decision (field names as in ``queries.check_action``), Dutch messages."""
    involved = access.involved_organisation_ids(participant)
    participating = set(organisation_ids(meeting))
    owner = Organisation.objects.filter(pk=draft.owner_organisation_id).first() if draft.owner_organisation_id \
        else None
    if owner is not None and owner.pk in involved and owner.pk not in participating:
        return {"owner_organisation": NOT_PARTICIPATING.format(org=owner)}
    assignee = User.objects.filter(pk=draft.assignee_id).first() if draft.assignee_id else None
    if draft.assignee_id and assignee is None:
        return {"assignee": "Kies een medewerker uit de lijst."}
    return queries.check_action(
        participant, domain=draft.domain, owner_organisation=owner, assignee=assignee, due_date=draft.due_date,
        involved_ids=[i for i in involved if i in participating],
    )


ITEM_LABELS = {"note": "Verslag", "note_is_special": "Verslag is bijzonder persoonsgegeven", "discussed": "Besproken"}


def _item_values(item: CaseMeetingItem) -> dict:
    return {"note": item.note, "note_is_special": item.note_is_special, "discussed": item.discussed}


def item_version(item: CaseMeetingItem) -> str:
    """The optimistic-locking version of an agenda item's minutes as shown (core/locking.py)."""
    return locking.make_version(_item_values(item))


@dataclass
class ItemView:
    item: CaseMeetingItem
    grant: access.Grant
    show_note: bool
    decisions: list[ActionItem]

    @property
    def participant(self) -> Participant:
        return self.item.participant

    @property
    def categories(self) -> set[str]:
        cats = {C.IDENTITY, C.TRAJECTORY}
        if self.show_note and self.item.note_is_special:
            cats.add(C.SPECIAL)
        return cats | {queries.category_of(d.domain) for d in self.decisions}


@dataclass
class MeetingView:
    meeting: CaseMeeting
    items: list[ItemView]
    organisations: list[Organisation]
    attendees: list[User]

    def audit_entries(self, *, minutes: bool = True) -> list[tuple[int, str, str]]:
        """(participant, category, legal basis) of what is shown: the agenda only names and reasons."""
        return [
            (v.participant.pk, c, v.grant.legal_basis)
            for v in self.items for c in sorted(v.categories if minutes else {C.IDENTITY, C.TRAJECTORY})
        ]

    @property
    def is_final(self) -> bool:
        return self.meeting.status == MeetingStatus.AFGEROND


def meeting_view(user, meeting: CaseMeeting) -> MeetingView:
    """The meeting as this user may see it: items of participants whose trajectory they may see; a special note
    only with ``bijzonder``; decisions as far as the user may see action items of that category. Six queries."""
    items = list(
        meeting.items.filter(participant__in=access.visible_participants(user))
        .select_related("participant", "participant__regisseur").order_by("position", "id")
    )
    grants = access.grants_for_page(user, [i.participant for i in items])
    items = [i for i in items if {C.IDENTITY, C.TRAJECTORY} <= grants[i.participant_id].read]
    decisions: dict[int, list[ActionItem]] = defaultdict(list)
    if items:
        for d in queries.visible_action_items(user).filter(source_meeting_item__in=[i.pk for i in items]
                                                            ).select_related("owner_organisation", "assignee"):
            decisions[d.source_meeting_item_id].append(d)
    views = [
        ItemView(i, grants[i.participant_id], bool(i.note) and (not i.note_is_special or grants[i.participant_id]
                                                                .special), decisions[i.pk])
        for i in items
    ]
    organisations = list(meeting.organisations.order_by("name"))
    meeting._koers_org_ids = [meeting.regie_organisation_id] + sorted(
        o.pk for o in organisations if o.pk != meeting.regie_organisation_id)
    attendees = list(meeting.attendees.select_related("organisation").order_by(
        "organisation__name", "first_name", "last_name"))
    return MeetingView(meeting, views, organisations, attendees)


def record_view(user, view: MeetingView, *, action: str = AuditAction.VIEW, detail: str, minutes: bool = True,
                request=None) -> None:
    """One audit record per participant and category shown (one insert)."""
    audit.record_many(user, view.audit_entries(minutes=minutes), action, detail=detail, request=request)
