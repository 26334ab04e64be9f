"""Production: secrets and hosts must come from the environment; secure cookies and HSTS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters."
    )
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 8)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every response, static files included (config/security.py).
# CSP_REPORT_ONLY=true sends it as Content-Security-Policy-Report-Only, to try a stricter policy
# without breaking pages.
CSP_ENABLED = True
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)

# Structured logs: one JSON object per line on stdout, for the container runtime to collect.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.jsonlog.JsonFormatter"}},
    "filters": {"client_ip": {"()": "config.security.ClientAddressLogFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["client_ip"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {
            "handlers": ["stdout"],
            "level": env("LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        "django.security": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "celery": {
            "handlers": ["stdout"],
            "level": env("LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
    },
}

# Outgoing mail (reminders, data-quality report): EMAIL_URL such as
# smtp+tls://user:password@smtp.example.org:587 (django-environ); without it EMAIL_BACKEND decides.
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)  # noqa: F405
