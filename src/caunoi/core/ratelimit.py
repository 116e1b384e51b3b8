"""A fixed-window request counter in Django's cache, shared by the app's rate limits.

The counter lives in the ``default`` cache: per process with the local-memory cache (the
embedded single-process demo), shared by every process with the database cache or Redis —
which several app processes need, or each would count on its own (docs/operations.md, Limits).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the proxy's header when one is configured, else the socket."""
    header = settings.CAUNOI_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def hit(scope: str, client: str, limit: int, period: int = 60) -> tuple[bool, int]:
    """Count one request of ``client`` in the current window of ``period`` seconds.

    Returns whether it is within ``limit`` and the seconds until the window ends."""
    now = time.time()
    window = int(now // period)
    key = f"caunoi:rate:{scope}:{client}:{window}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=period + 5)
        count = 1
    return count <= limit, max(1, int((window + 1) * period - now))
