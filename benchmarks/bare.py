"""The bare floor: the floor's SQL (``benchmarks.floor``) behind a plain WSGI callable — no
middleware, no Django request or response, no URL resolver — and the dispatcher that serves it
under ``/bench-bare/`` next to the site in one gunicorn (``benchmarks.wsgi``)."""

import re
from urllib.parse import parse_qsl

from benchmarks.endpoints import BARE_PREFIX, ENDPOINTS
from benchmarks.floor import FloorRequest, render

ROUTES = [
    (re.compile("^" + re.sub(r"<int:(\w+)>", r"(?P<\1>[0-9]+)", e.route) + "$"), e.floor)
    for e in ENDPOINTS
]
NOT_FOUND = b'{"detail":"not found"}'


def bare_application(environ, start_response):
    """Serve a floor by its route (the path after ``/bench-bare/``)."""
    rest = environ.get("PATH_INFO", "")[len(BARE_PREFIX) :]
    for pattern, view in ROUTES:
        match = pattern.match(rest)
        if match:
            request = FloorRequest(
                dict(parse_qsl(environ.get("QUERY_STRING", ""))),
                f"{environ.get('wsgi.url_scheme', 'http')}://{environ['HTTP_HOST']}",
            )
            payload = view(request, **{k: int(v) for k, v in match.groupdict().items()})
            if payload is not None:
                body = render(payload)
                start_response(
                    "200 OK",
                    [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
                )
                return [body]
            break
    start_response("404 Not Found", [("Content-Type", "application/json")])
    return [NOT_FOUND]


def dispatch(site):
    """A WSGI callable: ``/bench-bare/...`` to the bare floor, everything else to ``site``."""

    def application(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(BARE_PREFIX):
            return bare_application(environ, start_response)
        return site(environ, start_response)

    return application
