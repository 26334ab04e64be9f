"""Production settings: deploy checks pass, no default secret, CSP, whitenoise, JSON logs.

Production settings are evaluated in subprocesses (they refuse to load without their variables);
the CSP middleware is also exercised in-process and, with Chromium, against Swagger UI.
"""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from config.security import DEFAULT_POLICY, build_policy
from programs.models import Program

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "example.org",
}
HEADERS_MIDDLEWARE = "config.security.SecurityHeadersMiddleware"


def run_production(args: list[str], unset=(), **overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CSP_", "EMAIL_"))}
    env.update(PRODUCTION_ENV)
    env.update(overrides)
    for name in unset:
        env.pop(name)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names: str, **overrides) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_production(["-c", code], **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing():
    # when
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize("key", ["", "too-short-0123456789"], ids=["missing", "short"])
def test_start_up_refuses_without_a_real_secret_key(key):
    # when
    result = run_production(["manage.py", "check"], DJANGO_SECRET_KEY=key)

    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters" in (
        result.stderr
    )


def test_start_up_refuses_without_allowed_hosts():
    result = run_production(["manage.py", "check"], unset=["DJANGO_ALLOWED_HOSTS"])
    assert result.returncode != 0
    assert "Set the DJANGO_ALLOWED_HOSTS environment variable" in result.stderr


def test_production_security_settings():
    values = production_settings(
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_REDIRECT_EXEMPT",
        "X_FRAME_OPTIONS",
        "MIDDLEWARE",
        "STORAGES",
        "CSP_REPORT_ONLY",
        "CSP_ENABLED",
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    middleware = values["MIDDLEWARE"]
    # the headers middleware above WhiteNoise, so static files get them too; WhiteNoise next
    # after the guards that answer hostile requests before anything else runs
    assert middleware[:6] == [
        "django.middleware.security.SecurityMiddleware",
        HEADERS_MIDDLEWARE,
        "config.middleware.InvalidCharactersMiddleware",
        "config.middleware.RequestSizeMiddleware",
        "config.security.ClientAddressMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert values["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.storage.")
    assert values["CSP_REPORT_ONLY"] is False
    assert values["CSP_ENABLED"] is True


def test_email_url_configures_smtp():
    values = production_settings(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.go.kr:587",
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.go.kr",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
    }


def test_production_logs_are_json_lines_on_stdout():
    # when
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('reports').warning('보고서 %s 실패', 7, extra={'program_id': 7})"
    )
    result = run_production(["-c", code])

    # then: one JSON object per line on stdout
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    (entry,) = [line for line in lines if line["logger"] == "reports"]
    assert entry["level"] == "WARNING"
    assert entry["message"] == "보고서 7 실패"
    assert entry["program_id"] == 7
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", entry["time"])


# --- Content-Security-Policy ------------------------------------------------------------------------


def with_csp(**extra):
    """Production's policy switched on (the middleware reads it when the client first calls)."""
    return override_settings(CSP_ENABLED=True, **extra)


def test_csp_header_on_every_response(db, client):
    with with_csp():
        response = client.get("/healthz")
    assert response["Content-Security-Policy"] == build_policy(DEFAULT_POLICY)
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_csp_report_only_mode(db, client):
    with with_csp(CSP_REPORT_ONLY=True):
        response = client.get("/healthz")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == build_policy(DEFAULT_POLICY)


def test_api_docs_page_has_no_inline_script(db, client):
    # when
    with with_csp():
        page = client.get("/api/docs/")
        script = client.get("/api/docs/?script=")

    # then: every <script> has a src on our own origin, and the init script is served by URL
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes
        assert body.strip() == ""
        assert "//" not in attributes.split("src=")[1].split()[0].replace("\\/", "")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_work_under_the_csp_in_chromium(live_server, django_user_model):
    """Swagger UI, the public pages and the admin load in Chromium under the production policy
    without a single CSP violation or script error."""
    # given
    from pathlib import Path

    from django.core.management import call_command

    from tests.services import require_service

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    require_service("chromium", Path(chromium).is_file(), f"no browser at {chromium}")
    from playwright.sync_api import sync_playwright

    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_superuser("csp-admin", "csp@example.go.kr", "pw-csp-12345")
    # Database reads stay outside the Playwright block: its greenlet has its own context, and a
    # connection opened there would never be closed.
    program_id = Program.objects.get(slug="region-led-ai-transformation").pk
    violations, errors = [], []
    policy = build_policy(DEFAULT_POLICY)

    def with_policy(route):
        # The live server's middleware stack is built before a test could change it, so the
        # browser adds the production header to every response itself.
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": policy}
        )

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.route("**/*", with_policy)
            page.on(
                "console",
                lambda m: (
                    violations.append(m.text) if "Content Security Policy" in m.text else None
                ),
            )
            page.on("pageerror", lambda e: errors.append(str(e)))

            # when: the API docs render ...
            response = page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
            title = page.inner_text(".swagger-ui .info .title")
            csp = response.headers["content-security-policy"]
            # ... the public pages and the admin load (htmx filters, map, charts, admin JS)
            for path in (
                "/",
                "/programs/region-led-ai-transformation/",
                "/events/",
                "/statistics/",
            ):
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", "csp-admin")
            page.fill("#id_password", "pw-csp-12345")
            page.click("input[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{live_server.url}/admin/programs/program/{program_id}/change/")
            page.wait_for_load_state("networkidle")
            admin_title = page.title()
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

    # then
    assert csp == policy
    assert "트래커 API" in title
    assert "지역 주도형 AI 대전환사업" in admin_title
    assert violations == []
    assert errors == []
