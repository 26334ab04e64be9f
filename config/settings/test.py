"""Test settings: fast hashing, in-memory e-mail, eager tasks unless a broker is named."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, STORAGES, env

SECRET_KEY = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": STORAGES["private"],
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_THROTTLE_RATE", default="100000/min"),
        "user": env("API_USER_THROTTLE_RATE", default="100000/min"),
    },
}
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
STAFF_IMPORT_THREAD_WHEN_EAGER = False  # background imports run synchronously in tests

# Tasks run in-process in tests; the worker tests start a real worker on REDIS_URL themselves
# (with CELERY_TASK_ALWAYS_EAGER=false, so a task that retries sends a real message).
CELERY_BROKER_URL = env("REDIS_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
