"""Anonymous rate limit: a fixed-window counter per client address.

The rate comes from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`` (env
``API_ANON_THROTTLE_RATE``, e.g. ``120/min``; ``none`` switches it off) and is read per request,
so settings overrides apply at once. One counter per client and window costs a cache ``add`` and
``incr`` (O(1)), unlike DRF's sliding window that stores every timestamp. Use a shared cache
(``CACHE_URL=redis://...``) so that all server processes count together.

Callers are counted by ``core.client_address.client_ip``: X-Forwarded-For counts only when it comes
from a trusted proxy, so a rotating or borrowed header neither escapes the limit nor throttles
someone else.
"""

import time

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


class AnonRateThrottle(BaseThrottle):
    """Limits anonymous callers; authenticated users are not throttled here."""

    scope = "anon"
    timer = time.time

    def __init__(self):
        self.rate = parse_rate(api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))
        self._wait = None

    def allow_request(self, request, view):
        if self.rate is None or (request.user and request.user.is_authenticated):
            return True
        limit, duration = self.rate
        now = self.timer()
        window = int(now // duration)
        key = f"throttle:{self.scope}:{self.get_ident(request)}:{duration}:{window}"
        cache.add(key, 0, duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, duration + 1)
            count = 1
        if count <= limit:
            return True
        self._wait = max(1, int((window + 1) * duration - now + 0.999))
        return False

    def get_ident(self, request) -> str:
        return client_ip(request)

    def wait(self):
        return self._wait
