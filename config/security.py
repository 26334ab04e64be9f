"""Security of the edge: the client address behind trusted proxies, login protection keyed on
it, and the security headers every response carries (pages, API and static files alike).

The client address
    ``client_ip(request)`` is THE client address of a request, used by login protection
    (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the API rate limit, the import audit and the
    logs. ``TRUSTED_PROXIES`` (env, comma-separated addresses or CIDR networks) names the
    reverse proxies in front of the web service. ``X-Forwarded-For`` is read only when the
    peer that connected (``REMOTE_ADDR``) is one of them, and then from the right: each hop a
    trusted proxy added is skipped, and the first address that is not a trusted proxy is the
    client. A header sent by anyone else — a client talking to gunicorn directly, or the
    left-hand part a client wrote itself before the proxy appended the real address — changes
    nothing.

Login protection
    ``config.login.LoginProtectionHandler`` (django-axes) keys on this address.

Headers
    ``SecurityHeadersMiddleware`` sits above WhiteNoise, so static files get the same
    Content-Security-Policy (production), Permissions-Policy and X-Frame-Options as pages.
"""

import ipaddress
import logging
from contextvars import ContextVar
from functools import cache

from django.conf import settings

# --- the client address ---------------------------------------------------------------------

#: Where ``client_ip`` leaves the address in the WSGI environ, for gunicorn's access log
#: (``%({tracker.client_ip}e)s`` in config/gunicorn.py).
ENVIRON_KEY = "tracker.client_ip"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_networks() -> tuple:
    return _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def parse_address(text: str | None) -> Address | None:
    """An address as found in REMOTE_ADDR or one X-Forwarded-For hop, else None.

    Accepts ``1.2.3.4``, ``1.2.3.4:5678``, ``::1``, ``[::1]:5678``; an IPv4-mapped IPv6
    address becomes its IPv4 address."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str:
    """The client address of ``request`` (see the module docstring); cached on the request."""
    cached = getattr(request, "_client_ip", None)
    if cached is not None:
        return cached
    meta = request.META
    peer = parse_address(meta.get("REMOTE_ADDR"))
    networks = trusted_networks()
    if peer is None:
        result = meta.get("REMOTE_ADDR") or ""
    elif not networks or not _is_trusted(peer, networks):
        result = str(peer)
    else:
        nearest = peer
        hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:
                break  # garbage a trusted proxy passed on: stop at the last address we trust
            nearest = address
            if not _is_trusted(address, networks):
                break
        result = str(nearest)
    request._client_ip = result
    meta[ENVIRON_KEY] = result
    _current_client_ip.set(result)
    return result


# The address of the request being served in this thread/task, for log records.
_current_client_ip: ContextVar[str] = ContextVar("client_ip", default="")


class ClientAddressMiddleware:
    """Works out the client address once per request, before anything logs or counts it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_client_ip.set("")
        try:
            client_ip(request)
            return self.get_response(request)
        finally:
            _current_client_ip.reset(token)


class ClientAddressLogFilter(logging.Filter):
    """Adds ``client_ip`` (the request's client address, "" outside requests) to log records."""

    def filter(self, record):
        if not hasattr(record, "client_ip"):
            request = getattr(record, "request", None)
            if request is not None and hasattr(request, "META"):
                record.client_ip = client_ip(request)
            else:
                record.client_ip = _current_client_ip.get()
        return True


# --- headers ----------------------------------------------------------------------------------

#: Scripts only from our own origin (no inline script: the API docs use the split Swagger view,
#: whose init script is a separate URL). Inline styles are allowed: the admin, Swagger UI and
#: some templates set style attributes. Images may be data: URIs (Swagger UI, SVG icons).
DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

#: Browser features no page of the tracker uses: switched off for the site and any frame.
DEFAULT_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}


def build_policy(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def build_permissions_policy(policy: dict[str, list[str]]) -> str:
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    """Adds to every response that lacks them: ``Permissions-Policy``, ``X-Frame-Options``
    (unless a view is exempt) and, with ``CSP_ENABLED`` (production), the
    ``Content-Security-Policy`` (``-Report-Only`` with CSP_REPORT_ONLY).

    Placed above WhiteNoise in MIDDLEWARE, so static files carry them too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp_header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.csp = (
            build_policy(getattr(settings, "CSP_POLICY", DEFAULT_POLICY))
            if getattr(settings, "CSP_ENABLED", False)
            else None
        )
        self.permissions = build_permissions_policy(
            getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        )
        self.frame_options = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        if "X-Frame-Options" not in response and not getattr(
            response, "xframe_options_exempt", False
        ):
            response["X-Frame-Options"] = self.frame_options
        if self.csp and self.csp_header not in response:
            response[self.csp_header] = self.csp
        return response
