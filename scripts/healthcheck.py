#!/usr/bin/env python
"""Container healthcheck (docker-compose.yml). Exit 0 when healthy, 1 otherwise.

healthcheck.py http      GET /healthz of the local gunicorn (web): database and broker
healthcheck.py services  the same checks in-process, for containers without HTTP (beat)
"""

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path


def check_http() -> bool:
    port = os.environ.get("PORT", "8000")
    # The request must carry a Host that ALLOWED_HOSTS accepts, and say it came over HTTPS so
    # the SSL redirect does not answer first.
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host or "localhost", "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=8) as response:
            body = json.load(response)
            print(json.dumps(body))
            return response.status == 200
    except urllib.error.HTTPError as exc:
        print(exc.read().decode(errors="replace"))
    except OSError as exc:
        print(f"healthz unreachable: {exc}")
    return False


def check_services() -> bool:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    from config.health import health_report

    healthy, body = health_report()
    print(json.dumps(body))
    return healthy


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "http"
    checks = {"http": check_http, "services": check_services}
    if mode not in checks:
        sys.exit(f"usage: {sys.argv[0]} http|services")
    sys.exit(0 if checks[mode]() else 1)
