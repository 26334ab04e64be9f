"""Security of the edge: the client address behind trusted proxies, login protection keyed on
it, and the security headers every response carries (pages, API and static files alike).

The client address
    ``core.client_address.client_ip(request)`` (behind ``TRUSTED_PROXIES``) is worked out once
    per request here and added to every log record.

Login protection
    ``staff.login.LoginProtectionHandler`` (django-axes) keys on this address.

Headers
    ``SecurityHeadersMiddleware`` sits above WhiteNoise, so static files get the same
    Content-Security-Policy (production), Permissions-Policy and X-Frame-Options as pages.
"""

import logging

from django.conf import settings

from core.client_address import CURRENT_CLIENT_IP, client_ip

# --- the client address (core.client_address), for every request and log record ---------------


class ClientAddressMiddleware:
    """Works out the client address once per request, before anything logs or counts it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = CURRENT_CLIENT_IP.set("")
        try:
            client_ip(request)
            return self.get_response(request)
        finally:
            CURRENT_CLIENT_IP.reset(token)


class ClientAddressLogFilter(logging.Filter):
    """Adds ``client_ip`` (the request's client address, "" outside requests) to log records."""

    def filter(self, record):
        if not hasattr(record, "client_ip"):
            request = getattr(record, "request", None)
            if request is not None and hasattr(request, "META"):
                record.client_ip = client_ip(request)
            else:
                record.client_ip = CURRENT_CLIENT_IP.get()
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
    (unless a view is exempt), for a view that names ``frame_ancestors`` (the embeddable
    widget) a policy allowing exactly those frame parents, and with ``CSP_ENABLED`` (production), the
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
        ancestors = getattr(response, "frame_ancestors", None)
        if ancestors is not None:
            # An embeddable view (public/embed.py): framable by the allowed origins only, and
            # enforced in every environment (not only with CSP_ENABLED).
            policy = dict(getattr(settings, "CSP_POLICY", DEFAULT_POLICY))
            policy["frame-ancestors"] = list(ancestors) or ["'none'"]
            response["Content-Security-Policy"] = build_policy(policy)
        elif self.csp and self.csp_header not in response:
            response[self.csp_header] = self.csp
        return response
