"""Real `celery -A config worker` / `celery -A config beat` processes on Redis and PostgreSQL.

The worker-kill test queues 100 jobs, kills the worker (the whole process group, SIGKILL) in the
middle of them three times, then lets a fresh worker finish: every job's effect is present
exactly once. That holds because tasks are acknowledged late (a job a dead worker held goes back
to the queue after the broker's visibility timeout) and idempotent (a re-run changes nothing).

The subprocesses connect to this test's PostgreSQL database (committed data: transactional
test), so these tests need PostgreSQL as well as Redis.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.ops.conftest import broker
from tests.ops.kill_jobs import EFFECT_TABLE, RUN_TABLE, record_job

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = "ops-kill-test"
JOBS = 100
KILL_AT = (15, 40, 65)  # effects present when each SIGKILL is sent
CELERY = str(Path(sys.executable).with_name("celery"))
TRANSPORT_OPTIONS = {
    # A dead worker's messages come back after 3 s, checked every second.
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    # A worker killed while it restores others' messages leaves the restore lock behind; with
    # kombu's default of 300 s no message would come back for five minutes.
    "unacked_mutex_expire": 5,
}


def test_database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False


def subprocess_env(redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=test_database_url(),
        REDIS_URL=redis_url,
        CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(TRANSPORT_OPTIONS),
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


def count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_until(condition, timeout: float, what: str, state=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what} {state()}".rstrip())


@pytest.fixture
def job_tables(postgres):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {EFFECT_TABLE}, {RUN_TABLE}")
        cursor.execute(
            f"CREATE TABLE {EFFECT_TABLE} (job_id integer PRIMARY KEY, done_at timestamptz "
            "NOT NULL DEFAULT now())"
        )
        cursor.execute(
            f"CREATE TABLE {RUN_TABLE} (id bigserial PRIMARY KEY, job_id integer NOT NULL, "
            "pid integer NOT NULL)"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {EFFECT_TABLE}, {RUN_TABLE}")


@pytest.fixture
def clean_queue(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.delete(QUEUE, "unacked", "unacked_index", "unacked_mutex")
    yield client
    client.delete(QUEUE, "unacked", "unacked_index", "unacked_mutex")
    client.close()


def start_worker(name: str, redis_url: str, log: Path) -> subprocess.Popen:
    command = [
        CELERY,
        "-A",
        "config",
        "worker",
        "-I",
        "tests.ops.kill_jobs",
        "-Q",
        QUEUE,
        "--pool=prefork",
        "--concurrency=2",
        "--prefetch-multiplier=1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=WARNING",
        f"--hostname={name}@%h",
    ]
    return subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=subprocess_env(redis_url),
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL reaches the pool children too
    )


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_worker_killed_three_times_loses_and_duplicates_nothing(
    job_tables, clean_queue, redis_url, tmp_path
):
    # given: 100 jobs on the queue
    with broker(redis_url):
        for job_id in range(JOBS):
            record_job.apply_async(args=[job_id], queue=QUEUE)
    assert clean_queue.llen(QUEUE) == JOBS
    log = tmp_path / "worker.log"
    effects = f"SELECT count(*) FROM {EFFECT_TABLE}"

    # when: a worker is SIGKILLed three times in the middle of the jobs ...
    present_at_kill, held_at_kill = [], []
    for round_number, threshold in enumerate(KILL_AT, start=1):
        worker = start_worker(f"kill{round_number}", redis_url, log)
        try:
            wait_until(lambda t=threshold: count(effects) >= t, 60, f"{threshold} effects")
        finally:
            kill_group(worker)
        present_at_kill.append(count(effects))
        held_at_kill.append(clean_queue.hlen("unacked"))  # taken by the dead worker, not acked

    def state() -> str:
        tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
        return (
            f"(effects {count(effects)}, queued {clean_queue.llen(QUEUE)}, unacked "
            f"{clean_queue.hlen('unacked')}; worker log ends: {tail})"
        )

    # ... and a last worker finishes the rest (generous: CI machines are shared). Redis's
    # transport takes a message off the list (BRPOP) before it records it as unacked: a kill in
    # that instant loses the message (kombu #305). The product's jobs live in the database, and
    # the recovery task sends again what a lost message left undone (import_jobs_recover runs
    # every 5 minutes); here the same sweep runs once the broker holds nothing more.
    worker = start_worker("final", redis_url, log)
    lost = []
    try:
        wait_until(
            lambda: (
                count(effects) == JOBS
                or (clean_queue.llen(QUEUE) == 0 and clean_queue.hlen("unacked") == 0)
            ),
            300,
            "every job's effect or a drained broker",
            state,
        )
        time.sleep(1)  # the last acknowledged jobs commit their effect
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT job_id FROM {EFFECT_TABLE}")
            lost = sorted(set(range(JOBS)) - {row[0] for row in cursor.fetchall()})
        with broker(redis_url):
            for job_id in lost:
                record_job.apply_async(args=[job_id], queue=QUEUE)
        wait_until(lambda: count(effects) == JOBS, 120, "every job's effect", state)
        wait_until(
            lambda: clean_queue.llen(QUEUE) == 0 and clean_queue.hlen("unacked") == 0,
            30,
            "an empty queue",
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_group(worker)

    # then: the kills hit the middle of the work ...
    assert all(0 < present < JOBS for present in present_at_kill), present_at_kill
    assert all(held > 0 for held in held_at_kill), held_at_kill
    # ... and every job's effect is present exactly once
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT job_id FROM {EFFECT_TABLE} ORDER BY job_id")
        assert [row[0] for row in cursor.fetchall()] == list(range(JOBS))
        cursor.execute(f"SELECT count(*), count(DISTINCT job_id) FROM {RUN_TABLE}")
        runs, distinct_runs = cursor.fetchone()
    assert distinct_runs == JOBS
    assert runs > JOBS  # jobs cut off by a kill ran again
    assert len(lost) <= len(KILL_AT)  # at most the message in flight at each kill
    print(
        f"effects at each kill: {present_at_kill}; messages held by the killed worker: "
        f"{held_at_kill}; lost by the broker and sent again: {lost}; runs: {runs} for {JOBS} jobs"
    )


def test_beat_sends_a_database_schedule_to_the_broker(job_tables, clean_queue, redis_url, tmp_path):
    # given: a schedule in the database (as staff would add it in the admin)
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.create(
        name="시험 작업",
        task="tests.ops.record_job",
        interval=every_second,
        args=json.dumps([JOBS + 1]),
        queue=QUEUE,
    )
    log = tmp_path / "beat.log"

    # when: `celery -A config beat` runs
    beat = subprocess.Popen(
        [CELERY, "-A", "config", "beat", "--loglevel=INFO", "--max-interval=1"],
        cwd=settings.BASE_DIR,
        env=subprocess_env(redis_url),
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: clean_queue.llen(QUEUE) >= 1, 30, "beat to send the task")
    finally:
        beat.send_signal(signal.SIGTERM)
        try:
            beat.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(beat)

    # then: the message on the queue is the scheduled task with its arguments
    message = json.loads(clean_queue.lindex(QUEUE, -1))
    assert message["headers"]["task"] == "tests.ops.record_job"
    assert json.loads(message["headers"]["argsrepr"]) == [JOBS + 1]
    assert "DatabaseScheduler" in log.read_text()
