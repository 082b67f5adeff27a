"""Counting requests per key in a time window, in Django's cache (the database cache: shared by all workers).

Used for password-reset requests (per e-mail address and per client address). A fixed window that starts at
the first request; the counter is not perfectly atomic on the database cache (two simultaneous requests may both
pass at the edge), which is fine for a limit meant to stop mail bombing and account probing, not to count exactly.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, identity: str) -> str:
    digest = hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()[:40]
    return f"koers:rl:{scope}:{digest}"  # hashed: no e-mail address or IP in the cache table


def hit(scope: str, identity: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one request for ``identity``; True while the count stays within ``limit`` in the window."""
    key = _key(scope, identity)
    if cache.add(key, 1, window_seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit
