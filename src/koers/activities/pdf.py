"""The printable week card (PDF via WeasyPrint): the participant's week with Dutch labels and, when the participant
reads a language Koers has a catalogue for (``core.i18n.catalogue_language``), the same labels in that language
(gettext, ``koers/locale``). A label without a translation shows in Dutch only."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from koers.activities.rules.schedule import Week, fmt_date
from koers.core import i18n, labels
from koers.core.codes import DAYS, ActivityKind
from koers.core.pdf import html_to_pdf
from koers.participants.models import Participant

#: The card's own texts (Dutch source; the day names, parts and kinds are in core/labels.py).
TEXTS = {
    "title": _("Weekrooster"),
    "week": _("week"),
    "fixed": _("vaste les"),
    "nothing": _("Geen activiteiten"),
    "appointment": _("Afspraak"),
}


@dataclass(frozen=True)
class Label:
    """A Dutch label and, where translated, the same label in the participant's language."""

    nl: str
    own: str = ""
    lang: str = ""

    @property
    def dir(self) -> str:
        return i18n.direction(self.lang)

    def __str__(self) -> str:
        return f"{self.nl} / {self.own}" if self.own else self.nl


def _label(text, lang: str | None, dutch: str | None = None) -> Label:
    """``text`` (a lazy gettext string) in Dutch and in ``lang``; ``dutch`` replaces the Dutch side."""
    with translation.override("nl"):
        source = str(text)
    own = ""
    if lang:
        with translation.override(lang):
            own = str(text)
        if own == source:  # not translated (yet)
            own = ""
    return Label(dutch if dutch is not None else source, own, lang or "")


def week_card_context(participant: Participant, week: Week) -> dict:
    lang = i18n.catalogue_language(participant.languages)
    kinds: dict[str, Label] = {}

    def kind_label(kind: str) -> Label:
        if kind not in kinds:
            dutch = ActivityKind(kind).label if kind in ActivityKind.values else kind
            kinds[kind] = _label(labels.ACTIVITY_KIND[kind], lang, dutch) if kind in labels.ACTIVITY_KIND \
                else Label(dutch)
        return kinds[kind]

    appointment = _label(TEXTS["appointment"], lang)
    days = []
    for day in week.days:
        code = DAYS[day.weekday][0]
        days.append({
            "label": _label(labels.DAY[code], lang),
            "date": fmt_date(day.date),
            "cells": [
                [{"work": w} for w in cell.work]
                + sorted([{"block": b, "kind": kind_label(b.kind), "start": b.start} for b in cell.blocks]
                         + [{"event": e, "kind": appointment, "start": e.start} for e in cell.events],
                         key=lambda item: item["start"])
                for cell in day.cells
            ],
        })
    return {
        "p": participant,
        "week": week,
        "lang": lang or "nl",
        "title": _label(TEXTS["title"], lang),
        "week_label": _label(TEXTS["week"], lang),
        "parts": [_label(labels.DAY_PART[p], lang) for p, _name in week.parts],
        "fixed": _label(TEXTS["fixed"], lang),
        "nothing": _label(TEXTS["nothing"], lang),
        "days": days,
        "empty": not week.blocks and not any(day.events for day in week.days),
        "period": f"{fmt_date(week.monday)} – {fmt_date(week.sunday)}",
    }


def week_card(participant: Participant, week: Week) -> bytes:
    html = render_to_string("activities/week_card.html", week_card_context(participant, week))
    return html_to_pdf(html, base=False)  # a one-page card with its own layout (week_card.html), not a document
