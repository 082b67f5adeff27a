"""Warm handover (warme overdracht): the reads (who can receive it, the handover pages, the lists). Writes:
services/handover.py."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koers.casework.models import Handover
from koers.casework.queries import actions as queries
from koers.casework.queries import contacts as contact_queries
from koers.core import access
from koers.core.access import Grant
from koers.core.codes import SPECIAL_DOMAINS, Category
from koers.core.models import User
from koers.participants.models import Participant
from koers.plans.queries import plans as plan_queries

logger = logging.getLogger("koers.casework")


RECENT_DAYS = 60


MSG_NOT_RECEIVER = (
    "Deze medewerker kan de deelnemer niet overnemen: kies een medewerker van een organisatie die bij het traject "
    "betrokken is en het traject mag inzien."
)


MSG_SELF = "U kunt een deelnemer niet aan uzelf overdragen."


MSG_OPEN = "Er staat al een overdracht aan deze medewerker open. Wacht op de bevestiging of bekijk die overdracht."


def can_start(grant: Grant) -> bool:
    """Handing over is changing who guides the trajectory: it needs write access to the trajectory."""
    return Category.TRAJECTORY in grant.write


def receivers(participant: Participant, sender) -> list[User]:
    """Staff who can take the participant over: involved staff (not the sender) who see the trajectory.
    Grants depend only on organisation and roles, so they are computed once per combination."""
    staff = list(access.involved_staff(participant).exclude(pk=sender.pk).prefetch_related("roles"))
    cache: dict[tuple[int, frozenset[str]], Grant] = {}
    result = []
    for u in staff:
        u.__dict__["role_codes"] = frozenset(r.role for r in u.roles.all())
        key = (u.organisation_id, u.role_codes)
        if key not in cache:
            cache[key] = access.grant_for(u, participant)
        if Category.TRAJECTORY in cache[key].read and Category.IDENTITY in cache[key].read:
            result.append(u)
    return result


def _d(value) -> str:
    return value.isoformat() if value else ""


def build_snapshot(participant: Participant, grant: Grant, *, now=None) -> dict:
    """The handover document for ``grant`` (already the intersection of sender and receiver)."""
    now = now or timezone.now()
    doc: dict = {
        "made_at": now.isoformat(),
        "participant": {"name": participant.name, "regie": participant.regie_organisation.name,
                        "phase": participant.get_phase_display(),
                        "regisseur": str(participant.regisseur) if participant.regisseur else ""},
        "categories": sorted(grant.read),
        "plan": None,
        "actions": [],
        "contacts": [],
        "recent_days": RECENT_DAYS,
    }
    current = plan_queries.pick_current(plan_queries.versions(participant))
    if current is not None:
        version = plan_queries.get_version_or_404(participant, grant, current.number)
        doc["plan"] = {
            "kind": version.kind_short, "number": version.number, "signed": version.is_signed,
            "signed_on": _d(version.signed_on), "long_term_goal": version.long_term_goal,
            "goals": [
                {"title": g.title, "domain": g.get_domain_display(), "due_date": _d(g.due_date),
                 "status": g.get_status_display(), "special": g.domain in SPECIAL_DOMAINS}
                for g in version.goals.all()
            ],
        }
    for item in queries.participant_action_items(participant, grant):
        if item.status not in queries.RUNNING:
            continue
        doc["actions"].append({
            "title": item.title, "domain": item.get_domain_display() if item.domain else "",
            "owner": item.owner_organisation.name, "assignee": str(item.assignee) if item.assignee else "",
            "due_date": _d(item.due_date), "status": item.get_status_display(), "overdue": item.is_overdue,
            "special": queries.category_of(item.domain) == Category.SPECIAL,
        })
    recent = contact_queries.in_period(contact_queries.visible_contacts(participant, grant),
                                timezone.localdate(now) - timedelta(days=RECENT_DAYS), None)
    for c in recent.select_related("organisation", "recorded_by"):
        doc["contacts"].append({
            "happened_at": timezone.localtime(c.happened_at).isoformat(), "kind": c.get_kind_display(),
            "duration": c.duration_minutes, "organisation": c.organisation.name, "by": str(c.recorded_by),
            "third_party": c.third_party, "summary": c.summary, "agreements": c.agreements,
            "follow_up": c.follow_up, "special": c.is_special,
        })
    return doc


def _parsed(row: dict, **fields) -> dict:
    """A copy of a snapshot row with its ISO dates turned back into dates (for display)."""
    out = dict(row)
    for name, parse in fields.items():
        try:
            out[name] = parse(row[name]) if row.get(name) else None
        except (TypeError, ValueError):
            out[name] = None
    return out


def snapshot_for(handover: Handover, grant: Grant) -> dict:
    """The stored document as this viewer may see it (special parts left out without ``bijzonder``)."""
    doc = dict(handover.snapshot or {})
    keep = (lambda row: True) if grant.special else (lambda row: not row.get("special"))
    if doc.get("plan"):
        doc["plan"] = _parsed(doc["plan"], signed_on=date.fromisoformat)
        doc["plan"]["goals"] = [_parsed(g, due_date=date.fromisoformat) for g in doc["plan"].get("goals", [])
                                if keep(g)]
    doc["actions"] = [_parsed(a, due_date=date.fromisoformat) for a in doc.get("actions", []) if keep(a)]
    doc["contacts"] = [_parsed(c, happened_at=datetime.fromisoformat) for c in doc.get("contacts", []) if keep(c)]
    return doc


def snapshot_categories(doc: dict) -> set[str]:
    cats = {Category.IDENTITY, Category.TRAJECTORY}
    parts = (doc.get("plan") or {}).get("goals", []) + doc.get("actions", []) + doc.get("contacts", [])
    if any(p.get("special") for p in parts):
        cats.add(Category.SPECIAL)
    return cats


def visible_handovers(user) -> QuerySet:
    """Handovers the user sent or received, of participants the user still sees."""
    return (
        Handover.objects.filter(Q(to_user=user) | Q(from_user=user) | Q(created_by=user))
        .filter(participant__in=access.visible_participants(user))
        .select_related("participant", "from_user", "to_user", "to_organisation")
        .defer("snapshot")
    )


def earlier_handovers(participant: Participant, limit: int = 10) -> list[Handover]:
    """The participant's latest handovers (without their snapshots), for the form's list of earlier ones."""
    return list(participant.handovers.select_related("from_user", "to_user", "to_organisation")
                .defer("snapshot")[:limit])


def get_handover_or_404(user, handover_id) -> tuple[Handover, Participant, Grant]:
    """Sender, receiver and the regie organisation's regisseurs may read a handover; everyone else gets 404."""
    try:
        handover = Handover.objects.select_related("from_user", "to_user", "to_organisation").get(pk=int(handover_id))
    except (ValueError, TypeError, Handover.DoesNotExist) as exc:
        raise Http404("Overdracht niet gevonden") from exc
    participant, grant = access.get_participant_or_404(user, handover.participant_id)
    involved = user.pk in (handover.to_user_id, handover.from_user_id, handover.created_by_id)
    if not (involved or grant.can_manage_access) or Category.TRAJECTORY not in grant.read:
        raise Http404("Overdracht niet gevonden")
    return handover, participant, grant
