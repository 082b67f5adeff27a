"""The words the portal shows for codes (life domains, statuses, days), in plain language and translatable.

Staff pages show the code lists' Dutch labels; a participant reads simpler words in their own language, so the
portal has its own msgids here (gettext: one catalogue entry per word, translated per language in locale/).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from koers.core.codes import ActionStatus, LifeDomain

DOMAINS = {
    LifeDomain.PARTICIPATIE: _("Werk en meedoen"),
    LifeDomain.COMMUNICATIE_TAAL: _("Taal en contact met anderen"),
    LifeDomain.ONDERWIJS: _("School en opleiding"),
    LifeDomain.SOCIAAL_NETWERK: _("Familie, vrienden en kennissen"),
    LifeDomain.FINANCIEN: _("Geld"),
    LifeDomain.KENNIS_NL: _("Nederland leren kennen"),
    LifeDomain.HUISVESTING: _("Wonen"),
    LifeDomain.HUISELIJKE_RELATIES: _("Thuis en relaties"),
    LifeDomain.OPVOEDING: _("Kinderen en opvang"),
    LifeDomain.DAGELIJKS_LEVEN: _("Dagelijks leven"),
}

GOAL_STATUS = {
    "open": _("nog niet begonnen"),
    "bezig": _("bezig"),
    "behaald": _("gehaald"),
    "vervallen": _("gaat niet meer door"),
}

STEP_STATUS = {
    ActionStatus.OPEN: _("nog te doen"),
    ActionStatus.BEZIG: _("bezig"),
    ActionStatus.AFGEROND: _("klaar"),
    ActionStatus.VERVALLEN: _("gaat niet meer door"),
}

WEEKDAYS = [_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"), _("zondag")]

DAY_PARTS = {"o": _("ochtend"), "m": _("middag"), "a": _("avond")}
