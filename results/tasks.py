"""Results jobs (thin: one service call each; scheduled ones in django-celery-beat)."""

from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import notices, progress


@shared_task(**DB_TASK_OPTIONS)
def result_notice_send(transition_id: int):
    """Tell the reporter that an update was returned or approved (once)."""
    return notices.transition_notice_send(transition_id=transition_id)


@shared_task(**DB_TASK_OPTIONS)
def result_reminders_send():
    """Daily: reporting deadline reminders and missed review notices (each once)."""
    return notices.result_reminders_send()


@shared_task(**DB_TASK_OPTIONS)
def targets_refresh_all():
    """Nightly: every target's approved value, achievement and status (they depend on the date)."""
    return progress.targets_refresh_all()
