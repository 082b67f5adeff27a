"""The printable week card (PDF via WeasyPrint): the participant's week with Dutch labels and, where a
translation exists, the same labels in the participant's own language (translations.py)."""

from __future__ import annotations

from django.template.loader import render_to_string

from koers.activities.rules.schedule import Week, fmt_date
from koers.activities.translations import kind_label, label, own_language
from koers.core.codes import DAYS
from koers.core.pdf import html_to_pdf
from koers.participants.models import Participant


def week_card_context(participant: Participant, week: Week) -> dict:
    lang = own_language(participant.languages)
    days = []
    for day in week.days:
        code = DAYS[day.weekday][0]
        days.append({
            "label": label(code, lang),
            "date": fmt_date(day.date),
            "cells": [
                [{"work": w} for w in cell.work]
                + [{"block": b, "kind": kind_label(b.kind, lang)} for b in cell.blocks]
                for cell in day.cells
            ],
        })
    return {
        "p": participant,
        "week": week,
        "lang": lang or "nl",
        "title": label("title", lang),
        "week_label": label("week", lang),
        "parts": [label(p, lang) for p, _ in week.parts],
        "fixed": label("fixed", lang),
        "nothing": label("nothing", lang),
        "days": days,
        "period": f"{fmt_date(week.monday)} – {fmt_date(week.sunday)}",
    }


def week_card(participant: Participant, week: Week) -> bytes:
    html = render_to_string("activities/week_card.html", week_card_context(participant, week))
    return html_to_pdf(html, base=False)  # a one-page card with its own layout (week_card.html), not a document
