"""Reassigning participants to another regisseur of the team (the team's weighted caseload): the write, with
history, audit and an e-mail to both regisseurs. The reads are ``queries/caseload.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from koers.casework.queries.caseload import handover_url, may_lead_team, regisseurs_of, site_url
from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction, User
from koers.participants.models import Participant
from koers.participants.services import file as participant_services


@dataclass
class Reassigned:
    participants: list[Participant]
    new: User
    previous: dict[int, list[Participant]]  # old regisseur id → their participants moved away


def reassign(user, participant_ids, new_regisseur_id, *, request=None) -> Reassigned:
    """Give participants a new regisseur of the same organisation: history, audit, and an e-mail to the old
    and the new regisseur. Participants the user may not reassign are a 404; a wrong choice a ValidationError."""
    if not may_lead_team(user):
        raise Http404("Pagina niet gevonden")
    try:
        ids = sorted({int(i) for i in participant_ids})
    except (TypeError, ValueError) as exc:
        raise Http404("Deelnemer niet gevonden") from exc
    if not ids:
        raise ValidationError({"participants": "Kies minstens één deelnemer."})
    new = regisseurs_of(user.organisation_id).filter(pk=new_regisseur_id).first() if str(
        new_regisseur_id or "").isdigit() else None
    if new is None:
        raise ValidationError({"regisseur": "Kies een regisseur van uw eigen organisatie."})
    with transaction.atomic():
        found = list(
            access.visible_participants(user).filter(pk__in=ids, regie_organisation_id=user.organisation_id)
            .select_related("regisseur").select_for_update(of=("self",))
        )
        if len(found) != len(ids):
            raise Http404("Deelnemer niet gevonden")
        moved = [p for p in found if p.regisseur_id != new.pk]
        if not moved:
            raise ValidationError({"regisseur": f"Deze deelnemers hebben {new} al als regisseur."})
        previous: dict[int, list[Participant]] = defaultdict(list)
        old_users = {}
        for p in moved:
            if p.regisseur_id:
                previous[p.regisseur_id].append(p)
                old_users[p.regisseur_id] = p.regisseur
            participant_services.set_regisseur(user, p, new)
        audit.record_many(
            user, [(p.pk, Category.TRAJECTORY, "regie") for p in moved], AuditAction.UPDATE,
            detail=f"Regisseur gewijzigd naar {new}", request=request,
        )
        transaction.on_commit(lambda: _notify(user, moved, new, previous, old_users))
    return Reassigned(moved, new, dict(previous))


def _participant_line(p: Participant) -> str:
    return f"- deelnemer {p.pk}: {site_url()}{reverse('participants:detail', kwargs={'pk': p.pk})}"


def _notify(user, moved, new, previous, old_users) -> None:
    """Both regisseurs hear of it. Only participant numbers and links: names stay in Koers (docs/privacy.md)."""
    by = user.get_full_name() or user.username
    if new.email:
        lines = [f"Beste {new.first_name or new},", "",
                 f"{by} heeft u regisseur gemaakt van {len(moved)} deelnemer(s):", *map(_participant_line, moved)]
        if handover_url(moved[0].pk):
            lines += ["", "Vraag de vorige regisseur om een warme overdracht als die nog niet is gemaakt."]
        send_mail(f"Koers: {len(moved)} deelnemer(s) aan u overgedragen", "\n".join(lines + ["", "— Koers"]),
                  None, [new.email])
    for old_id, items in previous.items():
        old = old_users[old_id]
        if not old.email:
            continue
        lines = [f"Beste {old.first_name or old},", "",
                 f"{by} heeft {len(items)} deelnemer(s) van u overgedragen aan {new}:", *map(_participant_line, items)]
        if handover_url(items[0].pk):
            lines += ["", "Maak een warme overdracht, zodat de nieuwe regisseur weet wat er speelt:"]
            lines += [f"- deelnemer {p.pk}: {site_url()}{handover_url(p.pk)}" for p in items]
        send_mail(f"Koers: {len(items)} deelnemer(s) overgedragen aan {new}", "\n".join(lines + ["", "— Koers"]),
                  None, [old.email])

