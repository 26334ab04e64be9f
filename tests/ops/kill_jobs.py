"""A test-only task for the worker-kill test: idempotent, it records its job id exactly once.

The worker subprocess imports this module with ``celery -A config worker -I tests.ops.kill_jobs``.
The tables are created and dropped by the test (test_worker_kill.py).
"""

import os
import time

from django.db import connection

from config.celery import app

EFFECT_TABLE = "ops_test_job_effect"
RUN_TABLE = "ops_test_job_run"


@app.task(name="tests.ops.record_job", acks_late=True, reject_on_worker_lost=True)
def record_job(job_id: int, duration: float = 0.05):
    """Log the run, work for ``duration`` seconds (the window a SIGKILL hits), record the effect.

    The effect row is unique per job id and inserted with ON CONFLICT DO NOTHING, so running a
    redelivered job again changes nothing; the run table shows how often jobs really ran.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RUN_TABLE} (job_id, pid) VALUES (%s, %s)", [job_id, os.getpid()]
        )
    time.sleep(duration)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EFFECT_TABLE} (job_id) VALUES (%s) ON CONFLICT (job_id) DO NOTHING",
            [job_id],
        )
