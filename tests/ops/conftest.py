"""Fixtures of the operations tests: a local webhook receiver, Redis, a real Celery worker.

Services: Redis comes from REDIS_URL (CI: redis://127.0.0.1:6379/15; this suite's own DB when
run by hand: redis://127.0.0.1:6379/6); PostgreSQL from DATABASE_URL. Tests that need one call
``require_service`` — skipped without it, failed under REQUIRE_SERVICES=1.
"""

import contextlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.services import require_service

PORT_RANGE = range(8600, 8700)


# --- a local HTTP receiver for webhooks -----------------------------------------------------


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every POST; answers with the next status of ``script`` (then 200)."""

    url: str = ""
    script: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    reply: bytes = b""  # the body of every answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} webhook requests, got {len(self.requests)}")


def _bind(handler) -> ThreadingHTTPServer:
    for port in PORT_RANGE:
        with contextlib.suppress(OSError):
            return ThreadingHTTPServer(("127.0.0.1", port), handler)
    raise RuntimeError("no free port in 8600-8699")


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with state.lock:
                state.requests.append(Received(dict(self.headers.items()), body))
                status = state.script.pop(0) if state.script else 200
            self.send_response(status)
            self.send_header("Content-Length", str(len(state.reply)))
            self.end_headers()
            self.wfile.write(state.reply)

        def log_message(self, *args):
            pass

    server = _bind(Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/tracker"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# --- services -----------------------------------------------------------------------------------


def redis_available(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    require_service("redis", bool(url), "REDIS_URL is not set (e.g. redis://127.0.0.1:6379/6)")
    require_service("redis", redis_available(url), f"no Redis answers at {url}")
    return url


@pytest.fixture
def postgres(db):
    require_service(
        "postgresql",
        connection.vendor == "postgresql",
        "DATABASE_URL does not point at PostgreSQL",
    )


def reset_broker_connections(app) -> None:
    """Forget every pooled broker connection, so a changed broker_url takes effect."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextlib.contextmanager
def broker(url: str, *, eager: bool = False, transport_options: dict | None = None):
    """Point the Celery app at ``url`` (publishing for real unless ``eager``) for a while."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.broker_transport_options)
    conf.broker_url, conf.task_always_eager = url, eager
    conf.broker_transport_options = transport_options or {"visibility_timeout": 3600}
    reset_broker_connections(celery_app)
    try:
        yield celery_app
    finally:
        conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved
        reset_broker_connections(celery_app)


@pytest.fixture
def celery_on_redis(redis_url):
    """The Celery app publishing to Redis for real (not eager) for one test; queues purged."""
    with broker(redis_url) as app:
        app.control.purge()
        yield app
        app.control.purge()


@pytest.fixture
def celery_worker(celery_on_redis):
    """A real worker (celery.contrib.testing) consuming from Redis in a thread of this process."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    def close_connections(**kwargs):
        # Tasks run in the worker's thread, which opens its own database connections; close
        # them so the test database can be dropped at the end of the session.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(
            celery_on_redis, pool="solo", perform_ping_check=False, loglevel="WARNING"
        ):
            yield
    finally:
        task_postrun.disconnect(close_connections)
