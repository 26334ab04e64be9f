"""/healthz: database and broker state as JSON; 200 when both are up, 503 otherwise."""

import pytest
from django.db import connection
from django.db.utils import OperationalError

from tests.ops.conftest import broker


def test_healthz_without_broker_reports_in_process_tasks(db, client):
    # when
    response = client.get("/healthz")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["database"]["vendor"] == connection.vendor
    assert body["checks"]["broker"] == {"ok": True, "mode": "in-process"}


def test_healthz_with_redis_broker(db, client, redis_url):
    # when
    with broker(redis_url):
        response = client.get("/healthz")

    # then
    assert response.status_code == 200
    broker_check = response.json()["checks"]["broker"]
    assert (broker_check["ok"], broker_check["mode"]) == (True, "broker")


def test_healthz_broker_down_is_503(db, client):
    # when: nothing listens on port 1
    with broker("redis://127.0.0.1:1/0"):
        response = client.get("/healthz")

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"] == {"ok": False, "mode": "broker", "error": "ConnectionError"}
    assert body["checks"]["database"]["ok"] is True


def test_healthz_database_down_is_503(db, client, monkeypatch):
    # given: every new cursor fails as if the server were gone
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    # when
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")

    # then
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_answers_only_get_and_head(db, client, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_healthz_leaks_no_configuration(db, client):
    text = client.get("/healthz").content.decode()
    for secret in ("postgres://", "redis://", "SECRET", "password"):
        assert secret not in text
