from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import services


@shared_task(**DB_TASK_OPTIONS)
def alert_digests_send(frequency: str) -> int:
    """Daily / weekly digests of saved searches (beat: alerts/migrations/0002_schedules.py)."""
    services.unconfirmed_purge()
    return services.digests_send(frequency=frequency)
