"""Every write to the participant file: checked against the access policy, history kept, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from koers.core import audit, locking
from koers.core.access import Grant, require_category
from koers.core.codes import (
    LEVEL_ORDER,
    SPECIAL_BARRIERS,
    Barrier,
    BarrierStatus,
    Category,
    LanguageSkill,
    LegalBasis,
    Phase,
    Role,
)
from koers.core.models import AuditAction
from koers.participants.models import (
    FIELD_CATEGORY,
    LanguageAssessment,
    Membership,
    Participant,
    ParticipantBarrier,
    ParticipantChange,
    WorkExperience,
)


def display_value(participant: Participant, field: str, value: Any = None) -> str:
    """A readable rendering of a field value for the history ("" for empty)."""
    field_obj = Participant._meta.get_field(field)
    if value is None and field not in ("availability", "children_count", "date_of_birth", "settled_on"):
        value = getattr(participant, field)
    if field_obj.choices and value not in (None, ""):
        return str(dict(field_obj.flatchoices).get(value, value))
    if field_obj.is_relation:
        return str(value) if value else ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _snapshot(participant: Participant, fields: Iterable[str]) -> dict[str, str]:
    result = {}
    for f in fields:
        value = getattr(participant, f)
        result[f] = display_value(participant, f, value) if value is not None else ""
    return result


def _record_changes(
    user,
    participant: Participant,
    before: dict[str, str],
    after: dict[str, str],
    category_of=FIELD_CATEGORY.get,
) -> list[ParticipantChange]:
    changes = [
        ParticipantChange(
            participant=participant,
            user=user,
            organisation_id=user.organisation_id,
            field=f,
            field_label=str(Participant._meta.get_field(f).verbose_name) if f in FIELD_CATEGORY else f,
            category=category_of(f) or Category.TRAJECTORY,
            old_value=before[f],
            new_value=after[f],
        )
        for f in before
        if before[f] != after[f]
    ]
    ParticipantChange.objects.bulk_create(changes)
    return changes


@transaction.atomic
def create_participant(user, **data) -> Participant:
    """A regisseur registers a new participant (``data``: identity fields of the model, already validated);
    their organisation takes the regie."""
    if not user.has_role(Role.REGISSEUR) or user.organisation_id is None:
        raise Http404("Pagina niet gevonden")
    participant = Participant(**data)
    participant.regie_organisation_id = user.organisation_id
    participant.regisseur = user
    participant.phase = Phase.AANMELDING
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:
        # Two registrations of one BSN at the same moment: the form's check passed for both.
        if participant.bsn and "bsn" in str(exc).lower():
            raise ValidationError({"bsn": "Er staat al een deelnemer met dit BSN in Koers."}) from exc
        raise
    audit.record(
        user,
        participant,
        Category.IDENTITY,
        AuditAction.CREATE,
        legal_basis=LegalBasis.REGIE,
        detail="Deelnemer aangemaakt",
    )
    return participant


@transaction.atomic
def update_section(user, participant: Participant, grant: Grant, section, *, values: dict,
                   version: str | None = None) -> list[ParticipantChange]:
    """Save one section of the file (``values``: field → validated value, only fields of this section;
    ``version``: what the form was loaded with, see core.locking). Returns the recorded changes (none when nothing
    changed)."""
    require_category(grant, section.category, write=True)
    fields = section_fields(section.form_class)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"{section.title} has no field(s) {sorted(unknown)}")
    fresh = Participant.objects.select_for_update().get(pk=participant.pk)
    before = _snapshot(fresh, fields)
    _check_version(version, fresh, grant, before)
    # Write only this section's fields: another section saved meanwhile by a colleague is not overwritten
    # with the values this request loaded.
    saved = fresh
    for name, value in values.items():
        setattr(saved, name, value)
    update_fields = [*fields, "updated_at"] + (["name_search"] if "name" in fields else [])
    saved.save(update_fields=update_fields)
    after = _snapshot(saved, fields)
    changes = _record_changes(user, saved, before, after)
    if changes:
        audit.record(
            user,
            saved,
            {c.category for c in changes},
            AuditAction.UPDATE,
            legal_basis=grant.legal_basis,
            detail=f"{section.title}: " + ", ".join(c.field_label for c in changes),
        )
    return changes


# --- Optimistic locking (core.locking): a stale section save is refused with what changed since -------------


def section_fields(form_class) -> list[str]:
    """The participant fields a section form writes (the fields its version covers)."""
    fields = [f for f in form_class.Meta.fields if f in FIELD_CATEGORY]
    if "availability" in form_class.base_fields:
        fields.append("availability")
    return fields


def _latest_change_id(participant: Participant) -> int:
    return participant.changes.order_by("-id").values_list("id", flat=True).first() or 0


def section_version(participant: Participant, fields: list[str]) -> str:
    """The version a section form carries: the newest change id and the fingerprints of its fields."""
    return locking.make_version(_snapshot(participant, fields), _latest_change_id(participant))


def _barrier_values(participant: Participant, special: bool) -> dict[str, object]:
    codes = set(participant.barriers.values_list("code", flat=True))
    if not special:
        codes -= SPECIAL_BARRIERS
    return {"barrier_status": participant.barrier_status, "barriers": sorted(codes)}


def barriers_version(participant: Participant, special: bool) -> str:
    """The version the barriers form carries. Only the barriers this user may change count (``special``: the
    user may change health barriers), so a health barrier added meanwhile neither blocks nor shows for others."""
    return locking.make_version(_barrier_values(participant, special), _latest_change_id(participant))


def _check_version(submitted: str | None, fresh: Participant, grant: Grant, current: dict,
                   prefixes: tuple[str, ...] = ()) -> None:
    """Refuse a save when the fields changed after the form was loaded (``fresh`` is row-locked)."""
    marker = locking.parse_marker(submitted) or 0

    def changes_since(names: list[str]) -> list[locking.Change]:
        q = ParticipantChange.objects.filter(participant=fresh, id__gt=marker, category__in=grant.read)
        rows = [c for c in q.select_related("user").order_by("at", "id")
                if c.field in names or c.field.startswith(prefixes or ("\x00",))]
        return [locking.Change(c.field_label, c.old_value or "(leeg)", c.new_value or "(leeg)",
                               c.user.get_full_name() or c.user.get_username(), c.at) for c in rows]

    try:
        locking.check(submitted, current, changes_since=changes_since)
    except locking.StaleEdit as exc:
        exc.version = locking.make_version(current, _latest_change_id(fresh))
        raise


@transaction.atomic
def set_barriers(user, participant: Participant, grant: Grant, status: str, codes: Iterable[str],
                 version: str | None = None) -> bool:
    """Replace the barriers the user may see; special (health) barriers stay untouched for others.

    ``version`` is what the form carried (``barriers_version``); a stale one raises ``locking.StaleEdit``."""
    require_category(grant, Category.TRAJECTORY, write=True)
    codes = set(codes)
    if codes & SPECIAL_BARRIERS:
        require_category(grant, Category.SPECIAL, write=True)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _check_version(version, participant, grant, _barrier_values(participant, grant.can_change(Category.SPECIAL)),
                   prefixes=("barrier",))
    editable = set(Barrier.values)
    if not grant.can_change(Category.SPECIAL):
        editable -= SPECIAL_BARRIERS
    current = set(participant.barriers.values_list("code", flat=True))
    visible_current = current & editable
    to_add, to_remove = codes - visible_current, visible_current - codes
    old_status = participant.barrier_status
    if status != BarrierStatus.WEL:
        to_remove = visible_current
        to_add = set()
    ParticipantBarrier.objects.filter(participant=participant, code__in=to_remove).delete()
    ParticipantBarrier.objects.bulk_create(
        ParticipantBarrier(participant=participant, code=c) for c in to_add
    )
    participant.barrier_status = status
    participant.save(update_fields=["barrier_status", "updated_at"])
    labels = dict(Barrier.choices)
    changes: list[ParticipantChange] = []
    if old_status != status:
        changes.append(
            ParticipantChange(
                participant=participant,
                user=user,
                organisation_id=user.organisation_id,
                field="barrier_status",
                field_label="belemmeringen",
                category=Category.TRAJECTORY,
                old_value=BarrierStatus(old_status).label,
                new_value=BarrierStatus(status).label,
            )
        )
    for code in sorted(to_add | to_remove):
        cat = Category.SPECIAL if code in SPECIAL_BARRIERS else Category.TRAJECTORY
        changes.append(
            ParticipantChange(
                participant=participant,
                user=user,
                organisation_id=user.organisation_id,
                field=f"barrier:{code}",
                field_label=f"belemmering {labels[code].lower()}",
                category=cat,
                old_value="ja" if code in to_remove else "",
                new_value="ja" if code in to_add else "",
            )
        )
    ParticipantChange.objects.bulk_create(changes)
    if changes:
        audit.record(
            user,
            participant,
            {c.category for c in changes},
            AuditAction.UPDATE,
            legal_basis=grant.legal_basis,
            detail="Belemmeringen gewijzigd",
        )
    return bool(changes)


@transaction.atomic
def record_language_assessment(user, participant: Participant, grant: Grant, *, skill: str, level: str,
                               tested_on, source: str = "", instrument: str = "") -> LanguageAssessment:
    """A tested level per skill; the newest test (by date) becomes the participant's current level."""
    require_category(grant, Category.LANGUAGE, write=True)
    assessment = LanguageAssessment(skill=skill, level=level, tested_on=tested_on, source=source,
                                    instrument=instrument)
    assessment.participant = participant
    assessment.recorded_by = user
    assessment.organisation_id = user.organisation_id
    assessment.save()
    latest = (
        LanguageAssessment.objects.filter(participant=participant, skill=assessment.skill)
        .order_by("-tested_on", "-id")
        .first()
    )
    field = f"level_{assessment.skill}"
    if latest and getattr(participant, field) != latest.level:
        before = _snapshot(participant, [field])
        setattr(participant, field, latest.level)
        participant.save(update_fields=[field, "updated_at"])
        _record_changes(user, participant, before, _snapshot(participant, [field]))
    audit.record(
        user,
        participant,
        Category.LANGUAGE,
        AuditAction.CREATE,
        legal_basis=grant.legal_basis,
        detail=f"Taalniveau {assessment.get_skill_display().lower()}: {assessment.level}",
    )
    return assessment


@transaction.atomic
def record_language_test(user, participant: Participant, grant: Grant, *, tested_on, source: str,
                         instrument: str = "", levels: dict[str, str]) -> list[LanguageAssessment]:
    """One test for several skills at once (``levels``: skill → level): one assessment per skill, each of which
    may become the current level (``record_language_assessment``). Refuses an empty test."""
    require_category(grant, Category.LANGUAGE, write=True)
    levels = {skill: level for skill, level in levels.items() if level}
    if not levels:
        raise ValidationError({"level_lezen": "Vul voor minstens één vaardigheid het gemeten niveau in."})
    unknown = [s for s, lvl in levels.items() if s not in LanguageSkill.values or lvl not in LEVEL_ORDER]
    if unknown:
        raise ValidationError({f"level_{unknown[0]}": "Kies een niveau uit de lijst (A0 tot C2)."})
    return [
        record_language_assessment(user, participant, grant, skill=skill, level=levels[skill], tested_on=tested_on,
                                   source=source, instrument=instrument)
        for skill in LanguageSkill.values if skill in levels
    ]


@transaction.atomic
def add_work_experience(user, participant: Participant, grant: Grant, *, occupation: str, years=None,
                        country: str = "", description: str = "") -> WorkExperience:
    require_category(grant, Category.WORK, write=True)
    item = WorkExperience(occupation=occupation, years=years, country=country, description=description)
    item.participant = participant
    item.save()
    ParticipantChange.objects.create(
        participant=participant,
        user=user,
        organisation_id=user.organisation_id,
        field="work_history",
        field_label="werkervaring",
        category=Category.WORK,
        old_value="",
        new_value=f"{item.occupation} ({item.years or '?'} jaar, {item.country or 'land onbekend'})",
    )
    audit.record(
        user,
        participant,
        Category.WORK,
        AuditAction.CREATE,
        legal_basis=grant.legal_basis,
        detail=f"Werkervaring toegevoegd: {item.occupation}",
    )
    return item


@transaction.atomic
def remove_work_experience(user, participant: Participant, grant: Grant, item_id: int) -> None:
    require_category(grant, Category.WORK, write=True)
    item = WorkExperience.objects.filter(participant=participant, pk=item_id).first()
    if item is None:
        raise Http404("Werkervaring niet gevonden")
    ParticipantChange.objects.create(
        participant=participant,
        user=user,
        organisation_id=user.organisation_id,
        field="work_history",
        field_label="werkervaring",
        category=Category.WORK,
        old_value=item.occupation,
        new_value="",
    )
    item.delete()
    audit.record(
        user,
        participant,
        Category.WORK,
        AuditAction.DELETE,
        legal_basis=grant.legal_basis,
        detail=f"Werkervaring verwijderd: {item.occupation}",
    )


@transaction.atomic
def add_membership(user, participant: Participant, grant: Grant, *, scope, **data) -> Membership:
    """Involve a partner organisation, on a legal task or the participant's consent (regisseur only).
    ``scope``: the data categories; ``data``: organisation, legal basis, purpose, consent and validity dates."""
    if not grant.can_manage_access:
        raise Http404("Pagina niet gevonden")
    membership = Membership(**data)
    membership.participant = participant
    membership.scope = Membership.scope_value(scope)
    membership.added_by = user
    membership.save()
    audit.record(
        user,
        participant,
        Category.TRAJECTORY,
        AuditAction.GRANT,
        legal_basis=grant.legal_basis,
        detail=f"{membership.organisation} betrokken ({membership.get_legal_basis_display()}): "
        + ", ".join(membership.scope_labels),
    )
    return membership


@transaction.atomic
def end_membership(
    user, participant: Participant, grant: Grant, membership_id: int, *, reason: str, withdrawn: bool = False
) -> Membership:
    """End a partner's involvement or record the withdrawal of consent: access ends at once."""
    if not grant.can_manage_access:
        raise Http404("Pagina niet gevonden")
    return close_membership(user, participant, membership_id, reason=reason, withdrawn=withdrawn,
                            legal_basis=grant.legal_basis)


def close_membership(user, participant: Participant, membership_id: int, *, reason: str, withdrawn: bool,
                     legal_basis: str, consent_only: bool = False) -> Membership:
    """End one active membership now (access ends at once) and audit it. Who may do this is the caller's check:
    the regisseur (``end_membership``) or the participant withdrawing their own consent (Mijn Koers,
    ``consent_only``: only a membership on consent can be ended that way)."""
    qs = Membership.objects.select_for_update().filter(participant=participant, pk=membership_id,
                                                      ended_at__isnull=True)
    if consent_only:
        qs = qs.filter(legal_basis=LegalBasis.TOESTEMMING)
    membership = qs.select_related("organisation").first()
    if membership is None:
        raise Http404("Betrokkenheid niet gevonden")
    membership.ended_at = timezone.now()
    membership.ended_by = user
    membership.end_reason = reason
    membership.consent_withdrawn = withdrawn and membership.legal_basis == LegalBasis.TOESTEMMING
    membership.save()
    what = "Toestemming ingetrokken" if membership.consent_withdrawn else "Betrokkenheid beëindigd"
    audit.record(
        user,
        participant,
        Category.TRAJECTORY,
        AuditAction.REVOKE,
        legal_basis=legal_basis,
        detail=f"{what}: {membership.organisation} ({reason})",
    )
    return membership


def _set_field(user, participant: Participant, field: str, value) -> bool:
    """Set one field of the file (under a row lock), with a line in the file's history. Returns whether it
    changed. Who may do this, auditing and notifying are the caller's."""
    fresh = Participant.objects.select_for_update(of=("self",)).select_related("regisseur").get(pk=participant.pk)
    attname = Participant._meta.get_field(field).attname
    if getattr(fresh, attname) == getattr(value, "pk", value):
        return False
    before = _snapshot(fresh, [field])
    setattr(fresh, field, value)
    fresh.save(update_fields=[field, "updated_at"])
    _record_changes(user, fresh, before, _snapshot(fresh, [field]))
    setattr(participant, field, value)
    return True


def set_phase(user, participant: Participant, phase: str) -> bool:
    """Move the participant's phase (e.g. intake → traject → nazorg → afgesloten)."""
    return _set_field(user, participant, "phase", phase)


def set_regisseur(user, participant: Participant, new) -> bool:
    """Give the participant another regisseur (``new``: a user or None); callers: ``koers.casework``."""
    return _set_field(user, participant, "regisseur", new)


def set_learning_route(user, participant: Participant, route: str) -> bool:
    """Change the participant's leerroute. The leerroute rules (switch window, approval) are checked by the
    caller (``koers.plans.services.integration``)."""
    return _set_field(user, participant, "learning_route", route)
