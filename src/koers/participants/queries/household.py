"""Reads of a participant's household: the other members, as far as the access policy lets the user see them."""

from __future__ import annotations

from koers.core import access
from koers.core.codes import Category
from koers.participants.models import Participant
from koers.participants.validators import normalise_name


def members(user, participant: Participant) -> list[Participant]:
    """The other members of the participant's household that ``user`` may see (the others are not mentioned)."""
    if participant.household_id is None:
        return []
    qs = access.visible_participants(user).filter(household_id=participant.household_id).exclude(pk=participant.pk)
    return list(qs.select_related("regisseur").order_by("name_search", "pk"))


def candidates(user, participant: Participant, q: str, limit: int = 10) -> list[Participant]:
    """Participants to link: of the same regie, visible to the user, with the trajectory category, by name."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    qs = (access.visible_participants(user)
          .filter(regie_organisation_id=participant.regie_organisation_id, name_search__contains=normalise_name(q))
          .exclude(pk=participant.pk))
    if participant.household_id:
        qs = qs.exclude(household_id=participant.household_id)
    found = list(qs.order_by("name_search", "pk")[:limit])
    grants = access.grants_for_page(user, found)
    return [p for p in found if grants[p.pk].can_change(Category.TRAJECTORY)]


def panel(user, participant: Participant, grant) -> dict:
    """The dossier's household card: whether the viewer can see family members (the page lists them). Not whether a
    household exists: to a partner who sees none of the others, that alone would say something about them."""
    if not grant.can_see(Category.TRAJECTORY):
        return {}
    linked = participant.household_id is not None and bool(members(user, participant))
    return {"linked": linked, "can_link": grant.is_regisseur}
