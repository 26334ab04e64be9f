"""Background import jobs (thin: a job id in, one service call), their recovery and clean-up."""

import threading

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction

from config.celery import DB_TASK_OPTIONS, enqueue_on_commit

from . import imports

#: A phase stops with a Korean message at the soft limit; the hard limit kills what ignores it.
SOFT_TIME_LIMIT = getattr(settings, "STAFF_IMPORT_SOFT_TIME_LIMIT", 1500)
TIME_LIMIT = getattr(settings, "STAFF_IMPORT_TIME_LIMIT", 1800)


@shared_task(bind=True, **DB_TASK_OPTIONS, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def import_job_run(self, job_id: int) -> str:
    """Check or import one uploaded spreadsheet (``staff.imports.import_job_run``).

    Delivered again after a worker died (late acknowledgement), it finds the job under the
    dead worker's lease: it waits for the lease to expire (a retry), then redoes the phase."""
    job = imports.import_job_run(job_id=job_id)
    if job.retry_in is not None:
        raise self.retry(countdown=job.retry_in, max_retries=50)
    return job.status


@shared_task(**DB_TASK_OPTIONS)
def import_jobs_recover() -> int:
    """Every few minutes: queue again the jobs whose process died or whose message was lost."""
    ids = imports.import_jobs_recover()
    for job_id in ids:
        import_job_run.delay(job_id)
    return len(ids)


@shared_task(**DB_TASK_OPTIONS)
def import_files_clean() -> int:
    """Daily: delete upload files no job needs (refused, failed, orphaned)."""
    return imports.import_files_clean()


def _run_in_thread(job_id: int) -> None:
    try:
        imports.import_job_run(job_id=job_id)
    finally:
        connections.close_all()


def enqueue_import_job(job_id: int) -> None:
    """Run the job after the current transaction commits, without holding up the request.

    With a broker, a worker takes it. Without one (the embedded default of ``make run``)
    Celery would run it eagerly inside the upload request, so it runs in a thread of the web
    process instead (``STAFF_IMPORT_THREAD_WHEN_EAGER``; off in tests, which stay synchronous).
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(
        settings, "STAFF_IMPORT_THREAD_WHEN_EAGER", True
    ):
        transaction.on_commit(
            lambda: threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()
        )
    else:
        enqueue_on_commit(import_job_run, job_id)
