"""The participant's own portfolio items: adding, changing and deleting them in Mijn Koers.

Keyword data in, a ``ValidationError`` in the participant's language out (the portal's door speaks it); nothing is
saved when anything is wrong. Uploads go through ``core.uploads.check_upload``. Changing an item carries a version
(``core.locking``): a change saved in another tab in the meantime is refused instead of silently overwritten.
Every write is audited as the participant's own access (category ``werk``, legal basis ``betrokkene``).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core import audit, locking, uploads
from koers.core.access import OWN_BASIS
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.portal.models import PortalAccount, PortfolioItem
from koers.portal.queries import portfolio as queries

TITLE_MAX = 120
DESCRIPTION_MAX = 1000
EARLIEST = date(1950, 1, 1)
LOCKED = ("title", "description", "happened_on", "on_cv", "file_name")


def item_values(item: PortfolioItem) -> dict:
    return {name: getattr(item, name) for name in LOCKED}


def version(item: PortfolioItem) -> str:
    return locking.make_version(item_values(item))


def _check(*, title: str, description: str, happened_on: date | None, upload) -> dict[str, str]:
    errors = {}
    if not title:
        errors["title"] = _("Schrijf een titel.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("De titel is te lang. Gebruik hoogstens %(max)s tekens.") % {"max": TITLE_MAX}
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("De beschrijving is te lang. Gebruik hoogstens %(max)s tekens.") % {
            "max": DESCRIPTION_MAX}
    if happened_on is not None:
        if happened_on > timezone.localdate():
            errors["happened_on"] = _("Deze datum is nog niet geweest. Kies een datum van vandaag of eerder.")
        elif happened_on < EARLIEST:
            errors["happened_on"] = _("Deze datum is te vroeg. Kies een datum na 1950.")
    problem = uploads.check_upload(upload)
    if problem:
        errors["file"] = problem
    return errors


def _record(account: PortalAccount, action: str, detail: str, request=None) -> None:
    audit.record(account.user, account.participant, Category.WORK, action, legal_basis=OWN_BASIS, detail=detail,
                 request=request)


def _delete_file_after_commit(field_file) -> None:
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_item(*, account: PortalAccount, title: str, description: str = "", happened_on: date | None = None,
             on_cv: bool = True, upload=None, request=None) -> PortfolioItem:
    title, description = (title or "").strip(), (description or "").strip()
    errors = _check(title=title, description=description, happened_on=happened_on, upload=upload)
    if errors:
        raise ValidationError(errors)
    item = PortfolioItem(participant=account.participant, title=title, description=description,
                         happened_on=happened_on, on_cv=on_cv)
    if upload is not None:
        item.file_name = uploads.safe_name(upload.name)
        item.file.save(upload.name, upload, save=False)
    item.save()
    _record(account, AuditAction.CREATE, "Mijn Koers: portfolio-item toegevoegd", request)
    return item


@transaction.atomic
def update_item(*, account: PortalAccount, item_id: int, title: str, description: str = "",
                happened_on: date | None = None, on_cv: bool = True, upload=None, remove_file: bool = False,
                version: str | None = None, request=None) -> PortfolioItem:
    """Change one of the participant's own items (404 for anyone else's). ``version`` is ``version(item)`` as the
    form was loaded; when the item changed since, ``locking.StaleEdit`` and nothing is saved."""
    queries.item_or_404(account.participant, item_id)
    item = PortfolioItem.objects.select_for_update().get(pk=item_id)
    locking.check(version, item_values(item))
    title, description = (title or "").strip(), (description or "").strip()
    errors = _check(title=title, description=description, happened_on=happened_on, upload=upload)
    if errors:
        raise ValidationError(errors)
    item.title, item.description, item.happened_on, item.on_cv = title, description, happened_on, on_cv
    if upload is not None or remove_file:
        if item.file:
            _delete_file_after_commit(item.file)
        item.file, item.file_name = "", ""
    if upload is not None:
        item.file_name = uploads.safe_name(upload.name)
        item.file.save(upload.name, upload, save=False)
    item.updated_at = timezone.now()
    item.save()
    _record(account, AuditAction.UPDATE, "Mijn Koers: portfolio-item gewijzigd", request)
    return item


@transaction.atomic
def delete_item(*, account: PortalAccount, item_id: int, request=None) -> None:
    """Delete one of the participant's own items and its file (404 for anyone else's)."""
    queries.item_or_404(account.participant, item_id)
    item = PortfolioItem.objects.select_for_update().get(pk=item_id)
    if item.file:
        _delete_file_after_commit(item.file)
    item.delete()
    _record(account, AuditAction.DELETE, "Mijn Koers: portfolio-item verwijderd", request)
