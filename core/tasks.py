from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import search


@shared_task(**DB_TASK_OPTIONS)
def search_index_rebuild() -> int:
    """Nightly: every searchable record indexed again (repairs what a failed or bypassed
    save-time update missed, and links written without a signal)."""
    return search.rebuild()
