"""The intake's background job (thin: an id in, one service call)."""

from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import services


@shared_task(**DB_TASK_OPTIONS)
def intake_document_run_task(document_id: int) -> str:
    """Analyse a large uploaded file; its progress is on the intake row (``progress``)."""
    return services.intake_document_run(document_id=document_id).status
