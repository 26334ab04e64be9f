"""Rate limits: a fixed-window counter per caller, announced on every answer.

Two scopes, read per request from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (so settings
overrides apply at once): ``anon`` per client address (env ``API_ANON_THROTTLE_RATE``, e.g.
``120/min``) and ``user`` per signed-in user (``API_USER_THROTTLE_RATE``, ``1200/min``);
``none`` switches a scope off. One counter per caller and window costs a cache ``add`` and
``incr`` (O(1)), unlike DRF's sliding window that stores every timestamp. Use a shared cache
(``CACHE_URL=redis://...``) so that all server processes count together.

Every API answer carries the IETF RateLimit header fields of the caller's window
(``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` in seconds, and
``RateLimit-Policy`` such as ``120;w=60``); a 429 also carries ``Retry-After``. An answer given
before the throttle ran (a failed authentication) reports the window without counting.

Anonymous callers are counted by ``core.client_address.client_ip``: X-Forwarded-For counts only
when it comes from a trusted proxy, so a rotating or borrowed header neither escapes the limit
nor throttles someone else.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.client_address import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    if not rate or str(rate).lower() == "none":
        return None
    num, period = str(rate).split("/")
    return int(num), PERIODS[period.strip()[0]]


@dataclass(frozen=True)
class Window:
    """The caller's current window: its limit, what is left, seconds until it resets."""

    limit: int
    remaining: int
    reset: int
    duration: int

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={self.duration}",
        }


class AnonRateThrottle(BaseThrottle):
    """Limits each caller: anonymous ones per address (``anon``), signed-in ones per user
    (``user``). The name is kept from when only anonymous callers were limited."""

    timer = time.time

    def __init__(self):
        self._wait = None

    @staticmethod
    def scope_of(request) -> str:
        user = getattr(request, "user", None)
        return "user" if user is not None and user.is_authenticated else "anon"

    def rate(self, scope: str) -> tuple[int, int] | None:
        return parse_rate(api_settings.DEFAULT_THROTTLE_RATES.get(scope))

    def key(self, request, scope: str, duration: int, window: int) -> str:
        ident = request.user.pk if scope == "user" else client_ip(request)
        return f"throttle:{scope}:{ident}:{duration}:{window}"

    def allow_request(self, request, view):
        scope = self.scope_of(request)
        rate = self.rate(scope)
        if rate is None:
            return True
        limit, duration = rate
        now = self.timer()
        window = int(now // duration)
        key = self.key(request, scope, duration, window)
        cache.add(key, 0, duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, duration + 1)
            count = 1
        reset = max(1, math.ceil((window + 1) * duration - now))
        # On the Django request too: the RateLimit headers are added by a middleware.
        request._request._rate_window = Window(limit, max(0, limit - count), reset, duration)
        if count <= limit:
            return True
        self._wait = reset
        return False

    def peek(self, request) -> Window | None:
        """The caller's window without counting this request (None when not limited)."""
        scope = self.scope_of(request)
        rate = self.rate(scope)
        if rate is None:
            return None
        limit, duration = rate
        now = self.timer()
        window = int(now // duration)
        count = cache.get(self.key(request, scope, duration, window)) or 0
        reset = max(1, math.ceil((window + 1) * duration - now))
        return Window(limit, max(0, limit - count), reset, duration)

    def get_ident(self, request) -> str:
        return client_ip(request)

    def wait(self):
        return self._wait


def add_rate_limit_headers(request, response) -> None:
    """The RateLimit header fields of ``request``'s caller on ``response`` (module doc)."""
    window = getattr(request, "_rate_window", None)
    if window is None:
        try:
            window = AnonRateThrottle().peek(request)
        except Exception:
            window = None
    if window is not None:
        for name, value in window.headers().items():
            response[name] = value


class RateLimitHeadersMiddleware:
    """Adds the RateLimit header fields to every answer under ``/api/`` (after authentication,
    so a token's user is known)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            add_rate_limit_headers(request, response)
        return response
