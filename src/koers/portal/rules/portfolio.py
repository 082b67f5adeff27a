"""The portfolio and the CV: what goes on them, in plain words (pure: no database).

The labels are plain Dutch marked for translation: the portfolio page reads them in the participant's language,
the CV (always Dutch: it is for an employer) renders them under ``translation.override("nl")``.

What never goes on a CV (docs/privacy.md, "Mijn Koers"): the BSN, nationality or country of origin, residence
status, health, benefit, gender, and anything a placement's kind or a course would give away of those. So a
placement shows as work, an internship, a learning job, volunteering, or otherwise neutral "work experience"
(never "proefplaatsing met behoud van uitkering" or "beschermd werk"); courses about health, money or a buddy
stay off the CV; an end reason is never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from koers.core.codes import (
    ActivityKind,
    DiplomaValuation,
    EducationLevel,
    LanguageLevel,
    LanguageSkill,
    PlacementKind,
)

SKILL = {
    LanguageSkill.SPREKEN: _("Spreken"),
    LanguageSkill.LUISTEREN: _("Luisteren"),
    LanguageSkill.LEZEN: _("Lezen"),
    LanguageSkill.SCHRIJVEN: _("Schrijven"),
}

EDUCATION_LEVEL = {
    EducationLevel.GEEN: _("Geen opleiding"),
    EducationLevel.PRIMAIR: _("Basisschool"),
    EducationLevel.VOORTGEZET: _("Middelbare school"),
    EducationLevel.BEROEPS: _("Beroepsopleiding"),
    EducationLevel.HOGER: _("Hogeschool of universiteit"),
}

DIPLOMA_VALUATION = {
    DiplomaValuation.NIET_AANGEVRAAGD: _("Diploma nog niet laten waarderen"),
    DiplomaValuation.AANGEVRAAGD: _("Diplomawaardering aangevraagd, nog geen uitslag"),
    DiplomaValuation.GEWAARDEERD: _("Diploma gewaardeerd in Nederland"),
    DiplomaValuation.NIET_MOGELIJK: _("Diplomawaardering was niet mogelijk"),
}

#: A placement's kind as the participant and an employer read it (neutral: see the module's docstring).
PLACEMENT_KIND = {
    PlacementKind.BETAALD_WERK: _("Werk"),
    PlacementKind.STAGE: _("Stage"),
    PlacementKind.LEERWERKPLEK: _("Leerwerkplek"),
    PlacementKind.VRIJWILLIGERSWERK: _("Vrijwilligerswerk"),
}
OTHER_PLACEMENT = _("Werkervaring")

#: Completed activities that are not courses an employer needs to know of (they could tell of health, debts or
#: support), or are no course at all.
NOT_ON_CV_KINDS = frozenset({
    ActivityKind.GEZONDHEID_SPORT, ActivityKind.FINANCIEN, ActivityKind.BUDDY, ActivityKind.EXCURSIE,
    ActivityKind.BEDRIJFSBEZOEK, ActivityKind.THEMA_EIGEN_TAAL,
})

#: Levels that say nothing to an employer (below A1, or not known).
NO_LEVEL = frozenset({LanguageLevel.A0, LanguageLevel.ONBEKEND})

#: The contact details a participant may put on the CV, and which are ticked at first. Never: BSN, nationality,
#: country of origin, residence status, gender.
CONTACT_FIELDS = {
    "telefoon": _("Telefoonnummer"),
    "email": _("E-mailadres"),
    "woonplaats": _("Woonplaats"),
    "adres": _("Straat en huisnummer, postcode"),
    "geboortedatum": _("Geboortedatum"),
}
CONTACT_DEFAULT = frozenset({"telefoon", "email", "woonplaats"})


def placement_kind(code: str) -> str:
    return str(PLACEMENT_KIND.get(code, OTHER_PLACEMENT))


def plain(mapping: Mapping, code: str) -> str:
    label = mapping.get(code)
    return str(label) if label is not None else ""


@dataclass(frozen=True)
class Level:
    skill: str
    level: str

    @property
    def skill_label(self) -> str:
        return plain(SKILL, self.skill)


def levels(current: Mapping[str, str]) -> list[Level]:
    """The Dutch level per skill, in the usual order (speaking, listening, reading, writing)."""
    return [Level(skill, current.get(skill) or LanguageLevel.ONBEKEND) for skill in LanguageSkill.values]


def cv_levels(current: Mapping[str, str]) -> list[Level]:
    """Only the levels an employer can read something in (A1 and up)."""
    return [lvl for lvl in levels(current) if lvl.level not in NO_LEVEL]


def cv_course(kind: str) -> bool:
    return kind not in NOT_ON_CV_KINDS


def contact_choice(ticked: Iterable[str] | None) -> frozenset[str]:
    """The contact details to put on the CV (the defaults when the participant did not choose)."""
    if ticked is None:
        return CONTACT_DEFAULT
    return frozenset(t for t in ticked if t in CONTACT_FIELDS)
