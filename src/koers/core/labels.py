"""Code-list values as a participant reads them: plain Dutch (A2 level), marked for translation.

The labels in ``codes.py`` are the staff's words ("Formele taalles (NT2)", "Huiselijke relaties"). What a
participant reads (the plan PDF's summary, the week card, the portal) uses these plainer names instead, through
gettext, so each is translated in the catalogues (``koers/locale``). Look a value up with ``plain(mapping, code)``
under ``translation.override(language)``; an unknown code comes back as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from koers.core.codes import ActionStatus, ActivityKind, Category, LegalBasis, LifeDomain

LIFE_DOMAIN = {
    LifeDomain.PARTICIPATIE: _("Meedoen en werk"),
    LifeDomain.COMMUNICATIE_TAAL: _("Praten en taal"),
    LifeDomain.ONDERWIJS: _("School en opleiding"),
    LifeDomain.SOCIAAL_NETWERK: _("Vrienden en contacten"),
    LifeDomain.FINANCIEN: _("Geld"),
    LifeDomain.KENNIS_NL: _("Nederland leren kennen"),
    LifeDomain.HUISVESTING: _("Wonen"),
    LifeDomain.HUISELIJKE_RELATIES: _("Familie en thuis"),
    LifeDomain.OPVOEDING: _("Kinderen en kinderopvang"),
    LifeDomain.GEESTELIJKE_GEZONDHEID: _("Psychische gezondheid"),
    LifeDomain.LICHAMELIJKE_GEZONDHEID: _("Gezondheid van je lichaam"),
    LifeDomain.DAGELIJKS_LEVEN: _("Het dagelijks leven"),
}

#: Goals (plans.GoalStatus: open, bezig, behaald, vervallen) and steps (ActionStatus: ... afgerond ...).
STATUS = {
    "open": _("Nog niet begonnen"),
    ActionStatus.BEZIG: _("Bezig"),
    "behaald": _("Klaar"),
    ActionStatus.AFGEROND: _("Klaar"),
    ActionStatus.VERVALLEN: _("Gaat niet door"),
}

ACTIVITY_KIND = {
    ActivityKind.TAAL_FORMEEL: _("Nederlandse les"),
    ActivityKind.TAAL_PRAKTIJK: _("Nederlands in de praktijk"),
    ActivityKind.TAALCOACHING: _("Taalcoach"),
    ActivityKind.THEMA_EIGEN_TAAL: _("Bijeenkomst in je eigen taal"),
    ActivityKind.TRAINING_WERKNEMER: _("Leren voor werk"),
    ActivityKind.TRAINING_SOLLICITATIE: _("Leren solliciteren"),
    ActivityKind.TRAINING_ARBEIDSMARKT: _("Werk in Nederland"),
    ActivityKind.TRAINING_CULTUUR: _("Werken in Nederland: gewoontes"),
    ActivityKind.GEZONDHEID_SPORT: _("Gezondheid en sport"),
    ActivityKind.FINANCIEN: _("Omgaan met geld"),
    ActivityKind.DIGITAAL: _("Werken met de computer"),
    ActivityKind.VAKSCHOLING: _("Een vak leren"),
    ActivityKind.CERTIFICERING: _("Cursus met diploma"),
    ActivityKind.WERKERVARING: _("Werkervaring"),
    ActivityKind.VRIJWILLIGERSWERK: _("Vrijwilligerswerk"),
    ActivityKind.STAGE: _("Stage"),
    ActivityKind.BEDRIJFSBEZOEK: _("Bezoek aan een bedrijf"),
    ActivityKind.EXCURSIE: _("Uitstapje"),
    ActivityKind.BUDDY: _("Maatje"),
    ActivityKind.OVERIG: _("Anders"),
}

#: Day codes of ``codes.DAYS`` and day parts of ``codes.PARTS``.
DAY = {
    "ma": _("maandag"), "di": _("dinsdag"), "wo": _("woensdag"), "do": _("donderdag"), "vr": _("vrijdag"),
    "za": _("zaterdag"), "zo": _("zondag"),
}
DAY_PART = {"o": _("ochtend"), "m": _("middag"), "a": _("avond")}


#: Data categories (``codes.Category``): what a participant reads in "who sees my data".
CATEGORY = {
    Category.IDENTITY: _("Naam, adres en contact"),
    Category.TRAJECTORY: _("Plan, lessen en afspraken"),
    Category.LANGUAGE: _("Taal en opleiding"),
    Category.WORK: _("Werk"),
    Category.INCOME: _("Inkomen en uitkering"),
    Category.SPECIAL: _("Gezondheid"),
}

#: Why an organisation may see the file (``codes.LegalBasis``), in plain words.
LEGAL_BASIS = {
    LegalBasis.REGIE: _("De gemeente regelt uw traject. Dat is haar taak volgens de wet."),
    LegalBasis.WETTELIJKE_TAAK: _("Deze organisatie werkt in opdracht van de gemeente."),
    LegalBasis.TOESTEMMING: _("U heeft toestemming gegeven."),
}


def plain(mapping: dict, code: str) -> str:
    """The plain label of ``code`` in the active language (the code itself when the mapping lacks it)."""
    label = mapping.get(code)
    return str(label) if label is not None else code
