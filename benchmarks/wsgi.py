"""The benchmark server's WSGI callable: the site (``benchmarks.settings``: the production
settings plus the floor behind the middleware) and the bare floor, in one gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
site = get_wsgi_application()

from benchmarks.bare import dispatch  # noqa: E402  (after Django is set up)

application = dispatch(site)
