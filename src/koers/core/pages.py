"""The one door to a participant-scoped page.

Every view that shows or changes one participant's data is decorated with ``participant_page``. The door

- loads the participant and the user's grant through the access policy (``access.get_participant_or_404``): a
  participant the user may not see is a 404, recorded as a security event by the 404 handler;
- hands them to the view as ``view(request, participant, grant, **other_url_kwargs)`` (the URL's ``pk`` is gone,
  so a view cannot load the participant another way by accident);
- makes sure the request left an audit record for the participant: a view records what it showed with its
  categories itself (``audit.record``); when it did not, the door records a view of the identity data under the
  page's name, so no participant page is ever served unrecorded;
- marks the response ``Cache-Control: no-store``: participant data is never kept in a browser or proxy cache.

``tests/test_participant_pages.py`` (core) enumerates the URL patterns and fails when a participant-scoped route
is not behind this door or answers without an audit record.
"""

from __future__ import annotations

from functools import wraps

from django.utils.cache import add_never_cache_headers

from koers.core import access, audit
from koers.core.codes import Category
from koers.core.models import AuditAction


def _through_the_door(request, participant, grant, call):
    """Run ``call`` and make sure it left an audit record for ``participant``; mark the response no-store."""
    with audit.tracking() as recorded:
        try:
            response = call()
        except access.NotVisible as exc:
            # A view's own check (``require_category``) refused: the security event names the participant.
            if exc.participant_id is None:
                exc.participant_id = participant.pk
            raise
    if participant.pk not in recorded and response.status_code < 400:
        match = request.resolver_match
        audit.record(
            request.user,
            participant,
            Category.IDENTITY,
            AuditAction.VIEW if request.method in ("GET", "HEAD") else AuditAction.UPDATE,
            legal_basis=grant.legal_basis,
            detail=f"Pagina {match.view_name if match else request.path}",
            request=request,
        )
    return no_store(response)


def participant_page(view=None, *, kwarg: str = "pk"):
    """Decorate a view whose URL carries a participant id in ``kwarg`` (default ``pk``)."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            participant, grant = access.get_participant_or_404(request.user, kwargs.pop(kwarg))
            return _through_the_door(
                request, participant, grant, lambda: func(request, participant, grant, *args, **kwargs)
            )

        wrapper.participant_page = kwarg
        return wrapper

    return decorate(view) if view is not None else decorate


def participant_object_page(loader, *, kwarg: str = "pk"):
    """The second door: a view whose URL carries the id of an object that belongs to one participant.

    ``loader(user, object_id)`` returns ``(obj, participant, grant)`` and raises a 404 when the user may not see
    the object; it must reach the participant through the access policy (``access.get_participant_or_404`` or
    ``access.visible_participants`` + ``access.grant_for``). The view is called as
    ``view(request, obj, participant, grant, **other_url_kwargs)``; audit and no-store are the same as for
    ``participant_page``.
    """

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            obj, participant, grant = loader(request.user, kwargs.pop(kwarg))
            return _through_the_door(
                request, participant, grant, lambda: func(request, obj, participant, grant, *args, **kwargs)
            )

        wrapper.participant_object_page = kwarg
        return wrapper

    return decorate


def no_store(response):
    """Mark a response that holds personal data (exports, PDFs, lists) as never to be cached.

    A response that already says ``no-store`` (a download that set it itself) is left as it is."""
    if "no-store" in response.get("Cache-Control", ""):
        return response
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response
