"""Writes of households: the regie links participants of one family, or takes one out."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.participants.models import Household, Participant


def _require_regisseur(user, participant: Participant) -> access.Grant:
    grant = access.grant_for(user, participant)
    if not grant.is_regisseur:
        raise access.NotVisible(participant_id=participant.pk)
    access.require_category(grant, Category.TRAJECTORY, write=True)
    return grant


@transaction.atomic
def link(user, participant: Participant, other_id: int) -> Household:
    """Put ``other`` in the participant's household (a new one when there is none; ``other``'s own household, if
    any, joins it). Both must be participants of the user's regie that the user directs as regisseur."""
    grant = _require_regisseur(user, participant)
    try:
        other = access.get_participant_or_404(user, other_id)[0]
    except Http404:  # not visible, not a number, or gone: the same answer
        other = None
    if other is None or other.pk == participant.pk or other.regie_organisation_id != participant.regie_organisation_id:
        raise ValidationError({"other": "Kies een andere deelnemer van uw gemeente."})
    other_grant = _require_regisseur(user, other)
    fresh = Participant.objects.select_for_update().get(pk=participant.pk)
    other = Participant.objects.select_for_update().get(pk=other.pk)
    if fresh.household_id and fresh.household_id == other.household_id:
        raise ValidationError({"other": f"{other.name} hoort al bij dit huishouden."})
    household = fresh.household or other.household or Household.objects.create(
        regie_organisation_id=fresh.regie_organisation_id, created_by=user)
    joining = [other.household_id] if other.household_id and other.household_id != household.pk else []
    Participant.objects.filter(pk__in=[fresh.pk, other.pk]).update(household=household)
    if joining:  # the other family joins as a whole
        Participant.objects.filter(household_id__in=joining).update(household=household)
        Household.objects.filter(pk__in=joining).delete()
    for p, g, name in ((fresh, grant, other.name), (other, other_grant, fresh.name)):
        audit.record(user, p, Category.TRAJECTORY, AuditAction.UPDATE, legal_basis=g.legal_basis,
                     detail=f"Huishouden: gekoppeld aan {name}")
    return household


@transaction.atomic
def leave(user, participant: Participant) -> None:
    """Take the participant out of their household (a household of one is removed)."""
    grant = _require_regisseur(user, participant)
    fresh = Participant.objects.select_for_update().get(pk=participant.pk)
    if fresh.household_id is None:
        return
    household_id = fresh.household_id
    Participant.objects.filter(pk=fresh.pk).update(household=None)
    rest = Participant.objects.filter(household_id=household_id)
    if rest.count() <= 1:
        rest.update(household=None)
        Household.objects.filter(pk=household_id).delete()
    audit.record(user, fresh, Category.TRAJECTORY, AuditAction.UPDATE, legal_basis=grant.legal_basis,
                 detail="Huishouden: losgekoppeld")
