"""Optimistic locking for every edit form of participant data: no lost updates.

Two staff open the same form; the first saves; without a check the second save silently puts back the values
the second user loaded. The rule (docs/architecture.md, "Optimistic locking"):

* The form carries a **version** in a hidden field: a marker (the id of the newest change record, where the data
  has a history, else empty) and one short fingerprint per edited field of the values as the form was loaded.
* The service re-reads the row **under a row lock inside the transaction** and compares the fingerprints of the
  current values with the submitted ones (:func:`check`). When a field differs, the save is refused with
  :class:`StaleEdit`, which lists what changed since (field, old → new, who, when — from the change history where
  there is one, else the current value and the row's "updated by/at").
* The view shows the form again with the user's input and those changes, and a fresh version: saving again is a
  deliberate overwrite.

A submission without a version (a client that never loaded the form) is not checked; a version that cannot be
read is treated as stale.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings

from koers.core.access import safe_id

VERSION_FIELD = "version"
STALE_MESSAGE = (
    "Iemand anders heeft deze gegevens gewijzigd nadat u het formulier opende. Uw wijziging is niet opgeslagen. "
    "Hieronder ziet u wat er veranderd is. Controleer uw invoer en sla opnieuw op als u die wijziging wilt "
    "vervangen."
)


@dataclass(frozen=True)
class Change:
    """One change made since the form was loaded."""

    label: str
    old: str = ""
    new: str = ""
    who: str = ""
    when: datetime | None = None


class StaleEdit(Exception):  # noqa: N818 - the name says what happened, as StaleDraftError does
    """The data changed after the form was loaded; ``changes`` says what changed, by whom and when."""

    def __init__(self, changes: Iterable[Change] = ()):
        self.changes = list(changes)
        super().__init__(STALE_MESSAGE)


def _fingerprint(value) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        text = "\x1f".join(sorted(str(v) for v in value)) if isinstance(value, set | frozenset) else \
            "\x1f".join(str(v) for v in value)
    elif hasattr(value, "pk"):
        text = str(value.pk)
    else:
        text = "" if value is None else str(value)
    # Keyed, so a fingerprint cannot be matched against guessed values (it only says "changed or not").
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, text.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:10]


def make_version(values: Mapping[str, object], marker: object = "") -> str:
    """The version token for these field values (in the order given) and an optional marker."""
    return f"{marker or ''}:" + ".".join(_fingerprint(v) for v in values.values())


def parse_marker(version: str | None) -> int | None:
    """The marker of a version token as an id, or None."""
    if not version or ":" not in version:
        return None
    return safe_id(version.split(":", 1)[0])


def changed_fields(submitted: str | None, current: Mapping[str, object]) -> list[str] | None:
    """The names of the fields whose value differs from the submitted version (None: no version submitted)."""
    if not submitted:
        return None
    try:
        _marker, prints = submitted.split(":", 1)
    except ValueError:
        return list(current)
    parts = prints.split(".") if prints else []
    if len(parts) != len(current):
        return list(current)
    return [name for (name, value), seen in zip(current.items(), parts, strict=True) if _fingerprint(value) != seen]


def check(submitted: str | None, current: Mapping[str, object], *,
          changes_since: Callable[[list[str]], list[Change]] | None = None, labels: Mapping[str, str] | None = None,
          who: str = "", when: datetime | None = None) -> None:
    """Raise :class:`StaleEdit` when ``current`` (read under a row lock) no longer matches the submitted version.

    ``changes_since(fields)`` returns the recorded changes of those fields since the version's marker; without it
    (or when it finds none) each changed field is listed with its current value and ``who``/``when``.
    """
    fields = changed_fields(submitted, current)
    if not fields:
        return
    changes = changes_since(fields) if changes_since else []
    if not changes:
        labels = labels or {}
        changes = [Change(labels.get(name, name), "", display(current[name]), who, when) for name in fields]
    raise StaleEdit(changes)


def display(value) -> str:
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value) or "(leeg)"
    return str(value)[:200]


def field_value(instance, name: str):
    """The value of a model field as a form edits it (a foreign key as its id, many-to-many as sorted ids)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(instance.pk and getattr(instance, name).values_list("pk", flat=True) or [])
    if field.is_relation:
        return getattr(instance, field.attname)
    return getattr(instance, name)


def model_values(instance, names: Iterable[str]) -> dict[str, object]:
    return {name: field_value(instance, name) for name in names}


def model_labels(model, names: Iterable[str]) -> dict[str, str]:
    return {name: str(model._meta.get_field(name).verbose_name) for name in names}


class VersionedFormMixin:
    """A form that carries the version of the data it edits in a hidden ``version`` field.

    Set ``self.version_initial`` (or pass ``version=``) before rendering; ModelForms get the fingerprint of their
    own model fields of ``instance`` automatically. ``submitted_version`` is what came back with the POST.
    """

    def __init__(self, *args, version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # 11 characters per locked value: room for a whole attendance register.
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=50_000)
        if version is None and getattr(self, "instance", None) is not None and self.instance.pk is not None:
            version = make_version(model_values(self.instance, self.locked_fields()))
        self.fields[VERSION_FIELD].initial = version or ""

    def locked_fields(self) -> list[str]:
        names = getattr(getattr(self, "Meta", None), "fields", None) or []
        model = self.instance._meta
        concrete = {f.name for f in model.get_fields() if getattr(f, "concrete", False) or f.many_to_many}
        return [n for n in names if n in concrete]

    @property
    def submitted_version(self) -> str | None:
        value = self.data.get(self.add_prefix(VERSION_FIELD)) if self.is_bound else None
        return value if isinstance(value, str) and value else None

    def refresh_version(self, version: str) -> None:
        """After a refused save: the form shows the user's input with the current version (overwrite on purpose)."""
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = version
        self.data = data
