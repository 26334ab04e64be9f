"""Background import jobs (thin: a job id in, one service call)."""

import threading

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction

from config.celery import DB_TASK_OPTIONS, enqueue_on_commit

from . import imports


@shared_task(**DB_TASK_OPTIONS)
def import_job_run(job_id: int) -> str:
    """Check or import one uploaded spreadsheet (``staff.imports.import_job_run``)."""
    return imports.import_job_run(job_id=job_id).status


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
