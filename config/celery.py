"""The Celery app. Broker from CELERY_BROKER_URL or REDIS_URL; with neither, tasks run in-process.

Start a worker with ``celery -A config worker`` and the scheduler with ``celery -A config beat``
(schedules live in the database: django-celery-beat, editable in the admin).

Conventions for every task (listed in CONTRIBUTING.md): it takes ids, calls one service, is queued after
the transaction commits (``enqueue_on_commit``), is idempotent, and is acknowledged late
(``task_acks_late`` + ``task_reject_on_worker_lost`` in settings) so a killed worker loses
nothing. Only transient errors are retried (``DB_TRANSIENT_ERRORS`` below, or the webhook
delivery's own network/5xx errors), with exponential backoff.
"""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: Errors worth a retry for tasks that only touch the database: a dropped connection, a
#: failover, a deadlock victim. Programming errors and validation errors are not retried.
DB_TRANSIENT_ERRORS = (OperationalError, InterfaceError)

#: Options shared by tasks that must not be lost and may be retried on transient DB errors.
DB_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": DB_TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` with these (id) arguments once the current transaction commits.

    Outside a transaction it is queued at once. A rolled-back transaction queues nothing, so a
    worker never looks for a row that does not exist. ``robust=True``: if the broker is down,
    the error is logged and the caller's save still succeeds (the committed data is the truth;
    the nightly jobs and the admin's "send again" actions recover the missed work).
    """

    def send():
        task.delay(*args, **kwargs)

    # Django names the callback when it logs a failure.
    send.__qualname__ = f"enqueue_on_commit[{task.name}]"
    transaction.on_commit(send, robust=True)
