"""Template filters that ask the access policy before showing health data (special category).

Health dropout reasons and notes marked *bijzonder* are a property of the data: every template that shows an
enrolment's dropout reason or note, or an attendance note, uses these filters with the grant for that
participant, never the raw field.

    {% load special_data %}
    {{ e|dropout_reason_for:grant }}   → "psychische gezondheid", or "reden afgeschermd"
    {{ e|dropout_note_for:grant }}     → the note, "afgeschermde notitie", or ""
    {{ a|attendance_note_for:grant }}  → the note, "afgeschermde notitie", or ""
"""

from __future__ import annotations

from django import template

from koers.core import access

register = template.Library()


@register.filter
def dropout_reason_for(obj, grant) -> str:
    """The dropout reason of an enrolment/closure/trajectory (lower case), or ``reden afgeschermd``."""
    code = getattr(obj, "dropout_reason", "")
    if not code:
        return ""
    return access.show_dropout_reason(grant, code, obj.get_dropout_reason_display()).lower()


@register.filter
def dropout_note_for(obj, grant) -> str:
    special = access.note_is_special(getattr(obj, "dropout_note_is_special", False), getattr(obj, "dropout_reason", ""))
    return access.show_note(grant, getattr(obj, "dropout_note", ""), special)


@register.filter
def attendance_note_for(obj, grant) -> str:
    return access.show_note(grant, getattr(obj, "note", ""), getattr(obj, "note_is_special", False))
