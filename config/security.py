"""Content-Security-Policy header (production), as a small middleware instead of a package."""

from django.conf import settings

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


def build_policy(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` (or ``-Report-Only`` with CSP_REPORT_ONLY) to every
    response that does not already carry one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.value = build_policy(getattr(settings, "CSP_POLICY", DEFAULT_POLICY))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = self.value
        return response
