"""Settings shared by every environment; values come from the environment (django-environ)."""

import ipaddress
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "axes",
    "core",
    "companies",
    "programs",
    "events",
    "results",
    "public",
    "indicators",
    "webhooks",
    "reports",
    "staff",
    "opendata",
    "alerts",
    "intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files carry the same headers as pages (config/security.py).
    "config.security.SecurityHeadersMiddleware",
    # Before anything reads the body, queries the database or logs the address.
    "config.middleware.InvalidCharactersMiddleware",
    "config.middleware.RequestSizeMiddleware",
    "config.security.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.views.URLLanguageMiddleware",  # LocaleMiddleware: the URL says the language
    "config.middleware.ApiLanguageMiddleware",  # /api/: Accept-Language (ko, en)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.AdminLookupMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.api.throttling.RateLimitHeadersMiddleware",  # RateLimit-* on every /api/ answer
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.page_languages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["core.formats"]  # one datetime format in Korean: 2026년 12월 2일 14:41

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from the npm registry at setup (package.json, `npm ci` in the Makefile).
# Without node the directory is missing: pages still render, the map falls back to a table.
NODE_MODULES_DIR = Path(env("NODE_MODULES_DIR", default=str(BASE_DIR / "node_modules")))
if (NODE_MODULES_DIR / "htmx.org" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded spreadsheets hold unpublished data: kept outside MEDIA_ROOT, never served by URL.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/no-public-url/"},
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- The edge: proxies, request sizes, headers (config/security.py, config/middleware.py) -----
# The reverse proxies in front of the web service (addresses or CIDR networks, comma-separated).
# X-Forwarded-For is believed only from them; login protection, the API rate limit, the import
# audit and the logs all use the one client address derived from it (core.client_address.client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or CIDR network."
        ) from _exc
# Largest request body (by Content-Length) any URL accepts; larger ones answer 413 unread.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=12 * 1024 * 1024)
# Largest JSON body the API parses; larger ones answer 413 before parsing.
API_MAX_JSON_BYTES = env.int("API_MAX_JSON_BYTES", default=1024 * 1024)
# Content-Security-Policy (production turns it on); Permissions-Policy is sent everywhere.
CSP_ENABLED = False

# --- Django REST framework / OpenAPI -------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous write is told 401 with ``WWW-Authenticate: Token``.
        "staff.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ReadPublicWriteWithModelPerms"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonRateThrottle"],  # fixed window, O(1)
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.ORJSONParser"],
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_THROTTLE_RATE", default="120/min"),
        "user": env("API_USER_THROTTLE_RATE", default="1200/min"),
    },
    "DATETIME_FORMAT": "iso-8601",
}
#: The guide for dashboard authors (docs/api.md) is the schema's description, so /api/docs/
#: serves the same text as the repository (its first heading is the page's title).
API_GUIDE = BASE_DIR / "docs" / "api.md"
SPECTACULAR_SETTINGS = {
    "TITLE": "중소기업 AI 전환 지원사업 트래커 API",
    "DESCRIPTION": API_GUIDE.read_text(encoding="utf-8").split("\n", 1)[1].strip() + "\n",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {  # choice sets that share a field name get distinct, stable names
        "ErrorCodeEnum": "core.api.exceptions.ERROR_CODE_CHOICES",
        "StaleVersionCodeEnum": [("stale_version", "stale_version")],
        "PreconditionRequiredCodeEnum": [("precondition_required", "precondition_required")],
        "SourceKindEnum": "core.models.Source.Kind",
        "OrganizationKindEnum": "core.models.Organization.Kind",
        "ProgramKindEnum": "programs.models.Program.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "AgendaItemKindEnum": "events.models.AgendaItem.Kind",
        "ProgramStatusEnum": "programs.models.Program.Status",
        "BudgetLineStatusEnum": "programs.models.BudgetLine.Status",
        "RegionalParticipationStatusEnum": "programs.models.RegionalParticipation.Status",
        "TargetStatusEnum": "programs.models.Target.Status",
        "ParticipationStatusEnum": "programs.models.Participation.Status",
        "ProgramRoleEnum": "programs.models.ProgramOrganization.Role",
        "EventRoleEnum": "events.models.EventOrganization.Role",
        "EventParticipantRoleEnum": "events.models.EventParticipant.Role",
        "FundingSourceEnum": "programs.models.BudgetLine.FundingSource",
        "VehicleEnum": "programs.models.BudgetLine.Vehicle",
        "CofinancingStatusEnum": "programs.cofinancing.STATUS_CHOICES",
        "ResultUpdateStatusEnum": "results.models.ResultUpdate.Status",
        "FollowUpStatusEnum": "results.models.FollowUp.Status",
    },
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# Partner sites that may show the /embed/ cards in a frame (CSP frame-ancestors), such as
# "https://partner.example.org"; every other page, and every other site, stays denied.
EMBED_ALLOWED_ORIGINS = env.list("EMBED_ALLOWED_ORIGINS", default=[])
for _origin in EMBED_ALLOWED_ORIGINS:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", _origin):
        raise ImproperlyConfigured(
            f"EMBED_ALLOWED_ORIGINS: {_origin!r} is not an origin such as https://example.org"
        )
# Saved-search alerts (public/alerts): sign-ups per client address and hour.
ALERT_SIGNUPS_PER_HOUR = env.int("ALERT_SIGNUPS_PER_HOUR", default=5)
# The address mails link to (confirm, unsubscribe, items): the public site.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Record URLs inside the open-data package and its catalogue record start with it.
OPENDATA_BASE_URL = SITE_URL
CORS_URLS_REGEX = r"^/api/.*$"

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured, tasks run in-process (the embedded default of `make run`).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="")) or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Bulk open data (opendata/, docs/opendata.md): the package and its DCAT-AP catalogue record.
OPENDATA_TITLE = "중소기업 AI 전환 지원사업 트래커 공개 데이터"
OPENDATA_TITLE_EN = "SME AI-transformation program tracker: open data"
OPENDATA_DESCRIPTION = (
    "Programs and their budgets, regions, companies, participations, awards, events and "
    "AI-adoption statistics of Korean SME AI-transformation policy: every public record of "
    "the tracker as CSV and JSON tables."
)
OPENDATA_PUBLISHER = env("OPENDATA_PUBLISHER", default="중소벤처기업부")
OPENDATA_CONTACT_EMAIL = env("OPENDATA_CONTACT_EMAIL", default="")
OPENDATA_LICENSE_ID = "KOGL-Type1"
OPENDATA_LICENSE_TITLE = "공공누리 제1유형 (출처표시)"
OPENDATA_LICENSE_URL = "https://www.kogl.or.kr/info/licenseType1.do"
OPENDATA_KEYWORDS = ("중소기업", "인공지능", "AI 전환", "지원사업", "예산", "SME", "AI")
#: Ready packages kept (older files are deleted).
OPENDATA_KEEP = env.int("OPENDATA_KEEP", default=3)
# A message a killed worker held (acks_late) goes back to the queue after visibility_timeout;
# it must exceed the longest task run and the longest retry countdown (see docs/operations.md).
CELERY_BROKER_TRANSPORT_OPTIONS = env.json(
    "CELERY_BROKER_TRANSPORT_OPTIONS", default={"visibility_timeout": 3600}
)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = env.bool("CELERY_WORKER_SEND_TASK_EVENTS", default=False)

# --- Webhooks, reports and reminders (webhooks/, reports/) ----------------------------------
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# The changes feed (/api/v1/changes/) keeps this many days of entries (nightly clean-up).
CHANGES_RETENTION_DAYS = env.int("CHANGES_RETENTION_DAYS", default=90)
WEBHOOK_MAX_RETRIES = env.int("WEBHOOK_MAX_RETRIES", default=8)
WEBHOOK_RETRY_BACKOFF_SECONDS = env.float("WEBHOOK_RETRY_BACKOFF_SECONDS", default=10.0)
WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = env.float("WEBHOOK_RETRY_BACKOFF_MAX_SECONDS", default=1800.0)
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=[])

# --- Login protection (django-axes) --------------------------------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Failures lock one (username, address) pair after AXES_FAILURE_LIMIT; failures under any names
# from one address (password spraying) lock that address after LOGIN_ADDRESS_FAILURE_LIMIT.
# Nobody can lock a colleague out from another address (staff.login.LoginProtectionHandler).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_HANDLER = "staff.login.LoginProtectionHandler"
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"  # the one client address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "staff.views.lockout_response"  # Korean page, HTTP 429

# --- Staff workflows (staff app): imports, exports, history --------------------------------
# Spreadsheets with more rows than this are checked and imported as a background job.
STAFF_IMPORT_BACKGROUND_ROWS = env.int("STAFF_IMPORT_BACKGROUND_ROWS", default=5000)
# Files larger than this are not read in the web request at all: read and checked by a worker.
STAFF_IMPORT_SYNC_MAX_BYTES = env.int("STAFF_IMPORT_SYNC_MAX_BYTES", default=512 * 1024)
# Largest spreadsheet accepted (refused with a Korean message, nothing stored).
STAFF_IMPORT_MAX_UPLOAD_BYTES = env.int("STAFF_IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
STAFF_IMPORT_MAX_ROWS = env.int("STAFF_IMPORT_MAX_ROWS", default=100_000)
# An XLSX file is a ZIP archive: refused before parsing when its members would inflate beyond
# this size, or one of them (over 1 MB) beyond this many times its compressed size.
STAFF_IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env.int(
    "STAFF_IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
STAFF_IMPORT_XLSX_MAX_RATIO = env.int("STAFF_IMPORT_XLSX_MAX_RATIO", default=100)
# A running import holds a lease this long, renewed while it works; a job whose lease expired
# (its process died) is restarted, at most STAFF_IMPORT_MAX_ATTEMPTS times.
STAFF_IMPORT_LEASE_SECONDS = env.float("STAFF_IMPORT_LEASE_SECONDS", default=120)
STAFF_IMPORT_MAX_ATTEMPTS = env.int("STAFF_IMPORT_MAX_ATTEMPTS", default=5)
# Celery time limits of one import phase (soft: stopped with a message; hard: killed).
STAFF_IMPORT_SOFT_TIME_LIMIT = env.int("STAFF_IMPORT_SOFT_TIME_LIMIT", default=25 * 60)
STAFF_IMPORT_TIME_LIMIT = env.int("STAFF_IMPORT_TIME_LIMIT", default=30 * 60)
# Without a broker, run background imports in a thread of the web process (not in the request).
STAFF_IMPORT_THREAD_WHEN_EAGER = True
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True  # no spreadsheet formula injection via exports

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="tracker@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s"}
    },
    "filters": {"client_ip": {"()": "config.security.ClientAddressLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_ip"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Naming "django" drops its default console handler: its records reach the root handler once.
    "loggers": {"axes": {"level": "WARNING"}, "django": {"level": "INFO"}},
}
