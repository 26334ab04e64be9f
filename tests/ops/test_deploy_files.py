"""Deployment files: docker-compose.yml, Dockerfile, .env.example, scripts.

No Docker engine runs where these tests run, so the image is not built here: the compose file
is parsed and checked for what the deployment relies on, and the scripts are run directly.
"""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


# --- docker-compose.yml -------------------------------------------------------------------------


def test_compose_has_the_services_of_the_stack(compose):
    assert set(compose["services"]) == {"db", "redis", *APP_SERVICES}
    assert compose["services"]["db"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"].startswith("redis:")


def test_web_worker_and_beat_share_one_image(compose):
    services = compose["services"]
    images = {(services[name]["build"], services[name]["image"]) for name in APP_SERVICES}
    assert images == {(".", "ax-tracker:latest")}
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "config/gunicorn.py"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_every_long_running_service_has_a_healthcheck(compose):
    for name in ("db", "redis", "web", "worker", "beat"):
        assert compose["services"][name]["healthcheck"]["test"], name


def test_app_services_wait_for_healthy_db_redis_and_migrations(compose):
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    assert compose["services"]["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_app_services_read_the_env_file_and_share_media(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert "media:/app/media" in service["volumes"]
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media", "private_media"}


def test_compose_variables_are_documented_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    assert used
    assert used <= env_example_names(), used - env_example_names()


# --- Dockerfile ------------------------------------------------------------------------------------


def test_dockerfile_builds_one_non_root_gunicorn_image():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.M)
    assert stages[-1] == "python:3.11-slim"
    user = re.findall(r"^USER (\S+)", text, flags=re.M)
    assert user == ["app"]
    assert "useradd --system" in text
    assert re.search(r'^CMD \["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"\]', text, re.M)
    assert "collectstatic --noinput" in text
    assert "npm ci" in text  # front-end packages from the registry at build time, no CDN


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "db.sqlite3", "media", "node_modules"):
        assert entry in ignored


# --- .env.example ----------------------------------------------------------------------------------


def settings_variables() -> set[str]:
    """Every environment variable the settings and the gunicorn config read."""
    names = set()
    for path in [*(ROOT / "config" / "settings").glob("*.py"), ROOT / "config" / "gunicorn.py"]:
        text = path.read_text()
        names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
        names |= set(re.findall(r"environ(?:\.get)?\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
        names |= set(re.findall(r"environ\[\"([A-Z][A-Z0-9_]*)\"\]", text))
    return names


def test_env_example_lists_every_variable_the_settings_read():
    names = settings_variables()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"} <= names
    assert names - env_example_names() == set()


def test_env_example_lines_are_assignments_or_comments():
    for number, line in enumerate((ROOT / ".env.example").read_text().splitlines(), start=1):
        assert line == "" or line.startswith("#") or re.match(r"^[A-Z][A-Z0-9_]*=", line), number


# --- scripts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["backup.sh", "restore.sh", "healthcheck.py"])
def test_scripts_are_executable(name):
    path = ROOT / "scripts" / name
    assert path.stat().st_mode & stat.S_IXUSR
    if name.endswith(".sh"):
        assert subprocess.run(["bash", "-n", str(path)]).returncode == 0


def healthcheck(mode: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("CELERY_BROKER_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "healthcheck.py"), mode],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_healthcheck_script_services_mode(tmp_path):
    common = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}",
    }
    healthy = healthcheck("services", REDIS_URL="", **common)
    broker_down = healthcheck("services", REDIS_URL="redis://127.0.0.1:1/0", **common)
    assert (healthy.returncode, broker_down.returncode) == (0, 1), healthy.stderr
    assert '"status": "ok"' in healthy.stdout
    assert '"status": "error"' in broker_down.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthcheck_script_http_mode(live_server):
    port = live_server.url.rsplit(":", 1)[1]
    result = healthcheck("http", PORT=port, DJANGO_ALLOWED_HOSTS="localhost,example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"status": "ok"' in result.stdout
    refused = healthcheck("http", PORT="1")
    assert refused.returncode == 1
