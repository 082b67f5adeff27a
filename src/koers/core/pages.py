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

from . import access, audit
from .codes import Category
from .models import AuditAction


def participant_page(view=None, *, kwarg: str = "pk"):
    """Decorate a view whose URL carries a participant id in ``kwarg`` (default ``pk``)."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            participant, grant = access.get_participant_or_404(request.user, kwargs.pop(kwarg))
            with audit.tracking() as recorded:
                response = func(request, participant, grant, *args, **kwargs)
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
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
            return response

        wrapper.participant_page = kwarg
        return wrapper

    return decorate(view) if view is not None else decorate


def no_store(response):
    """Mark a response that holds personal data (exports, PDFs, lists) as never to be cached."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response
