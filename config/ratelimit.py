"""Rate limits counted in the shared cache: `@rate_limited("netcode")` answers 429 past the limit.

Counts live in Django's default cache (CACHE_URL: Redis in production), so every web process
shares them. Each scope allows `settings.RATE_LIMITS[scope]` requests per minute and per person
(the signed-in user, or the client address before sign-in), in fixed one-minute windows.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 60
TOO_MANY_REQUESTS = "Too many requests. Wait {seconds} seconds, then try again."

View = Callable[..., HttpResponse]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, read through the configured number of trusted proxies."""
    proxies = settings.KEYHOUSE_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # Each trusted proxy appends the address it saw; anything further left is client-made.
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def limit_for(scope: str) -> int:
    """Requests per minute allowed in `scope`."""
    return int(settings.RATE_LIMITS[scope])


def hit(scope: str, who: str, *, limit: int) -> int:
    """Count one request of `who` in `scope`; return 0 if allowed, else seconds to wait."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the window's key expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_SECONDS - now))


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """The 429 page, with Retry-After."""
    response = render(
        request,
        "429.html",
        {"message": TOO_MANY_REQUESTS.format(seconds=seconds), "seconds": seconds},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(scope: str, *, methods: Iterable[str] = ("POST",)) -> Callable[[View], View]:
    """Limit a view's `methods` requests to `settings.RATE_LIMITS[scope]` per minute and person."""
    counted = {m.upper() for m in methods}

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in counted:
                wait = hit(scope, _who(request), limit=limit_for(scope))
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
