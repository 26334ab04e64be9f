"""Import jobs survive SIGKILL: real `celery -A config worker` processes on Redis and PostgreSQL
run spreadsheet checks and imports and are killed (the whole process group, SIGKILL) three
times — once in the middle of a check, twice in the middle of an import. Every job ends done,
with its rows written exactly once (one row and one history entry per company).

How it holds: the killed worker's messages come back after the broker's visibility timeout
(acks_late); the job is found under the dead worker's lease, the task waits for the lease to
expire (a retry) and then redoes the phase from the start; an import and its "done" are one
transaction, so a phase cut off by the kill left nothing behind.
"""

import json
import signal
import subprocess
import time

import pytest
import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from companies.models import Company
from core.scoping import MINISTRY_EDITOR
from staff import imports
from staff import tasks as staff_tasks
from staff.models import ImportJob
from tests.ops.conftest import broker
from tests.ops.test_worker_kill import CELERY, TRANSPORT_OPTIONS, kill_group, subprocess_env
from tests.staff.conftest import make_staff
from tests.staff.test_imports import COMPANY_HEADER, brn, csv_bytes

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = "ops-import-kill-test"
JOBS = 3
ROWS = 60  # a phase takes a few seconds here (~18 queries a row): a kill lands inside it
LEASE_SECONDS = 2


def rows_of(job_number: int):
    return [
        [brn(job_number * 1000 + i), f"제조 {job_number}-{i}", "48", "소기업", "예", "김대표"]
        for i in range(ROWS)
    ]


@pytest.fixture
def shared_files(tmp_path, monkeypatch, settings):
    """Web (this test) and workers share one private folder for the uploads."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    storage = FileSystemStorage(location=root, base_url="/no-public-url/")
    monkeypatch.setattr(ImportJob._meta.get_field("file"), "storage", storage)
    return root


@pytest.fixture
def queue(redis_url):
    client = redis.Redis.from_url(redis_url)
    keys = (QUEUE, "unacked", "unacked_index", "unacked_mutex")
    client.delete(*keys)
    yield client
    client.delete(*keys)
    client.close()


def start_worker(name, redis_url, log, private_root):
    env = subprocess_env(redis_url)
    env.update(
        CELERY_TASK_ALWAYS_EAGER="false",
        STAFF_IMPORT_LEASE_SECONDS=str(LEASE_SECONDS),
        STAFF_IMPORT_BACKGROUND_ROWS="1",
        DJANGO_PRIVATE_MEDIA_ROOT=str(private_root),
        CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(TRANSPORT_OPTIONS),
    )
    command = [
        CELERY,
        "-A",
        "config",
        "worker",
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
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def statuses() -> dict[int, str]:
    connection.close()  # a fresh snapshot of what the workers committed
    return dict(ImportJob.objects.order_by("pk").values_list("pk", "status"))


def wait_until(condition, timeout: float, what: str, log):
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if condition():
            print(f"{what}: {time.monotonic() - started:.1f} s")
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}: {statuses()}\n{log.read_text()[-3000:]}")


def running_under_a_new_lease(phase: str, seen: set):
    """True once a job is in ``phase`` under a lease no earlier (killed) worker held: a live
    worker is in the middle of that phase."""

    def check():
        connection.close()
        owners = set(
            ImportJob.objects.filter(status=phase)
            .exclude(lease_owner="")
            .values_list("lease_owner", flat=True)
        )
        new = owners - seen
        seen.update(new)
        return bool(new)

    return check


def attempts() -> list[int]:
    connection.close()
    return list(ImportJob.objects.order_by("pk").values_list("attempts", flat=True))


def enqueue(job_ids):
    for job_id in job_ids:
        staff_tasks.import_job_run.apply_async(args=[job_id], queue=QUEUE)


def test_import_jobs_survive_three_sigkills_and_write_their_rows_once(
    redis_url, queue, shared_files, tmp_path, settings
):
    settings.STAFF_IMPORT_BACKGROUND_ROWS = 1  # every job is a background job
    editor = make_staff("ministry", MINISTRY_EDITOR)
    jobs = [
        imports.import_job_create(
            user=editor,
            kind="companies",
            upload=SimpleUploadedFile(f"part{n}.csv", csv_bytes(COMPANY_HEADER, rows_of(n))),
        )
        for n in range(JOBS)
    ]
    ids = [job.pk for job in jobs]
    assert {job.status for job in jobs} == {"queued"}
    log = tmp_path / "worker.log"
    kills, owners = [], set()
    with broker(redis_url, transport_options=TRANSPORT_OPTIONS):
        enqueue(ids)

        # kill 1: in the middle of a check
        worker = start_worker("kill1", redis_url, log, shared_files)
        try:
            wait_until(running_under_a_new_lease("checking", owners), 60, "a check", log)
            time.sleep(0.5)
        finally:
            kill_group(worker)
        kills.append(("checking", statuses()))

        # the checks finish on a new worker; then every job is confirmed
        worker = start_worker("after1", redis_url, log, shared_files)
        try:
            wait_until(lambda: set(statuses().values()) == {"checked"}, 90, "every check", log)
            check_attempts = attempts()
            for job_id in ids:
                assert imports.import_job_confirm(job_id=job_id)
            enqueue(ids)
            # kill 2: in the middle of an import
            wait_until(running_under_a_new_lease("importing", owners), 60, "an import", log)
            time.sleep(0.5)
        finally:
            kill_group(worker)
        kills.append(("importing", statuses()))

        # kill 3: in the middle of an import again, one a new worker really runs
        worker = start_worker("kill3", redis_url, log, shared_files)
        try:
            wait_until(running_under_a_new_lease("importing", owners), 60, "another import", log)
            time.sleep(0.5)
        finally:
            kill_group(worker)
        kills.append(("importing", statuses()))

        # a last worker finishes what is left
        worker = start_worker("final", redis_url, log, shared_files)
        try:
            wait_until(
                lambda: set(statuses().values()) <= {"done", "failed"}, 120, "every job", log
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                kill_group(worker)

    # then: each kill cut a phase short, which was then done again from the start
    assert [phase for phase, _ in kills] == ["checking", "importing", "importing"]
    for phase, at_kill in kills:
        assert phase in at_kill.values(), kills
    assert sum(check_attempts) >= JOBS + 1, check_attempts
    # every job is done, each after more than one attempt where a kill hit it ...
    connection.close()
    finished = list(ImportJob.objects.filter(pk__in=ids).order_by("pk"))
    assert [job.status for job in finished] == ["done"] * JOBS, [j.errors for j in finished]
    assert all(
        job.report["counts"] == {"new": ROWS, "updated": 0, "unchanged": 0} for job in finished
    )
    assert sum(job.attempts for job in finished) >= JOBS + 2, [j.attempts for j in finished]
    # ... and every row was written exactly once: one company and one history entry each
    assert Company.objects.count() == JOBS * ROWS
    assert Company.objects.values("business_number").distinct().count() == JOBS * ROWS
    assert Company.history.count() == JOBS * ROWS
    print(
        f"\nimport kills: {[phase for phase, _ in kills]}; check attempts per job: "
        f"{check_attempts}; import attempts per job: {[job.attempts for job in finished]}; "
        f"rows: {Company.objects.count()}"
    )
