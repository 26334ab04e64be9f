"""Background jobs of programs (thin: one service call each)."""

from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import services


@shared_task(**DB_TASK_OPTIONS)
def target_recompute_all():
    """Nightly: refresh every target's achievement and status (django-celery-beat schedule)."""
    return services.target_recompute_all()
