"""'My data and who sees it': the organisations involved, the access log, and the download of one's own data.

The access log reads the audit trail (the same records the regisseur sees), grouped per organisation, data
category and day, without staff names: the participant learns *which organisation* looked, not who.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.activities.models import Enrolment
from koers.casework.models import Contact, Message
from koers.core import access, audit, labels
from koers.core.codes import Category, LegalBasis
from koers.core.models import AuditAction, AuditEvent
from koers.participants.models import Membership, Participant
from koers.portal.queries import portfolio as portfolio_queries
from koers.portal.queries.pages import signed_plan
from koers.work.models import Placement

#: Audit actions a participant reads as "looked at" (the rest changed something).
LOOKED = {AuditAction.VIEW, AuditAction.LIST, AuditAction.EXPORT}
#: How far back the access log goes, and how many lines it shows at most.
LOG_DAYS = 365
LOG_LINES = 300


@dataclass(frozen=True)
class Involved:
    organisation: str
    purpose: str
    basis: str  # LegalBasis code
    basis_text: str
    since: date | None
    membership_id: int | None = None  # set for a consent the participant can withdraw
    scope: tuple[str, ...] = ()
    consent_date: date | None = None


def involved(participant: Participant) -> list[Involved]:
    rows = [Involved(participant.regie_organisation.name, "", LegalBasis.REGIE,
                     labels.plain(labels.LEGAL_BASIS, LegalBasis.REGIE), participant.created_at.date())]
    for m in (Membership.objects.active().filter(participant=participant).select_related("organisation")
              .order_by("valid_from", "pk")):
        consent = m.legal_basis == LegalBasis.TOESTEMMING
        rows.append(Involved(
            m.organisation.name, m.purpose, m.legal_basis, labels.plain(labels.LEGAL_BASIS, m.legal_basis),
            m.valid_from, m.pk if consent else None,
            tuple(labels.plain(labels.CATEGORY, c) for c in Category.values if c in m.scope.split()),
            m.consent_date,
        ))
    return rows


@dataclass(frozen=True)
class LogLine:
    day: date
    organisation: str
    category: str
    changed: bool
    times: int


def access_log(participant: Participant, own_user_id: int, today: date | None = None) -> list[LogLine]:
    """Who opened or changed the file in the last year: organisation, category, day (never a staff name).

    Left out: the participant's own visits, refused attempts (security events, no data was shown) and system
    records without data."""
    since = timezone.now() - timedelta(days=LOG_DAYS)
    rows = (AuditEvent.objects.filter(participant_id=participant.pk, at__gte=since)
            .exclude(user_id=own_user_id).exclude(action=AuditAction.DENIED)
            .exclude(category=audit.SYSTEM_CATEGORY)
            .annotate(day=TruncDate("at"))
            .values("day", "organisation_name", "category", "action")
            .annotate(n=Count("id")).order_by("-day", "organisation_name", "category"))
    lines: dict[tuple, int] = {}
    for row in rows[: LOG_LINES * 4]:
        key = (row["day"], row["organisation_name"] or "Koers", row["category"], row["action"] not in LOOKED)
        lines[key] = lines.get(key, 0) + row["n"]
    return [LogLine(day, org, labels.plain(labels.CATEGORY, cat), changed, n)
            for (day, org, cat, changed), n in list(lines.items())[:LOG_LINES]]


def _d(value) -> str | None:
    return value.isoformat() if value else None


def download(participant: Participant) -> dict:
    """All of the participant's own data that Mijn Koers shows, as one JSON document (AVG inzage).

    Special-category data (health) is left out, as everywhere in the portal; the regisseur answers a full
    request for access, which includes it (docs/privacy.md)."""
    grant = access.own_grant()
    p = participant
    plan = signed_plan(p, grant)
    contacts = (Contact.objects.filter(participant=p, is_special=False).select_related("organisation")
                .order_by("happened_at"))
    return {
        "gemaakt_op": timezone.now().isoformat(),
        "persoon": {
            "naam": p.name, "roepnaam": p.preferred_name, "geboortedatum": _d(p.date_of_birth),
            "adres": " ".join(filter(None, [p.street, p.postcode, p.city])), "telefoon": p.phone, "e-mail": p.email,
            "talen": p.languages, "land_van_herkomst": p.country_of_origin,
        },
        "organisaties": [
            {"organisatie": i.organisation, "grondslag": i.basis, "sinds": _d(i.since), "rol": i.purpose,
             "toestemming_gegeven_op": _d(i.consent_date)} for i in involved(p)
        ],
        "plan": None if plan is None else {
            "versie": plan.number, "getekend_op": _d(plan.signed_on), "doel_voor_later": plan.long_term_goal,
            "doelen": [{"leefdomein": g.domain, "doel": g.title, "toelichting": g.description, "status": g.status,
                        "stappen": [{"stap": s.description, "klaar_op": _d(s.due_date), "status": s.status}
                                    for s in g.steps.all()]} for g in plan.goals.all()],
            "afspraken": [a.text for a in plan.agreements.all()],
        },
        "activiteiten": [
            {"activiteit": e.activity.title, "aanbieder": e.activity.provider.name, "start": _d(e.start_date),
             "einde": _d(e.end_date), "status": e.status}
            for e in Enrolment.objects.filter(participant=p).select_related("activity__provider").order_by("start_date")
        ],
        "werk": [
            {"werkgever": pl.employer.name, "functie": pl.job_title, "soort": pl.kind, "start": _d(pl.start_date)}
            for pl in Placement.objects.filter(participant=p).select_related("employer").order_by("start_date")
        ],
        "portfolio": [
            {"titel": i.title, "beschrijving": i.description, "datum": _d(i.happened_on), "op_cv": i.on_cv,
             "bestand": i.file_name or None} for i in portfolio_queries.items(p)
        ],
        "contactmomenten": [
            {"datum": c.happened_at.isoformat(), "soort": c.kind, "organisatie": c.organisation.name,
             "verslag": c.summary, "afspraken": c.agreements} for c in contacts
        ],
        "berichten": [
            {"verstuurd_op": m.sent_at.isoformat(), "van": "deelnemer" if m.from_participant else m.organisation.name,
             "bericht": m.body, "bijlage": m.attachment_name}
            for m in Message.objects.filter(participant=p).select_related("organisation").order_by("sent_at", "id")
        ],
    }
