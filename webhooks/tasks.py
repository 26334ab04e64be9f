"""Webhook tasks: thin (ids in, one service call), acknowledged late, retried only when the
subscriber's failure is transient (network, timeout, 408/429/5xx) — with exponential backoff."""

from celery import shared_task
from django.conf import settings

from config.celery import DB_TASK_OPTIONS

from . import services


@shared_task(**DB_TASK_OPTIONS)
def webhook_dispatch_change(history_label: str, history_id: int):
    """Fan one recorded change out to the subscriptions that want it."""
    return services.webhook_change_dispatch(history_label=history_label, history_id=history_id)


@shared_task(**DB_TASK_OPTIONS)
def webhook_releases_dispatch():
    """Announce the records whose press embargo has lifted (every minute)."""
    return len(services.webhook_releases_dispatch())


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def webhook_deliver(self, delivery_id: int):
    """POST one delivery; on a transient failure retry after base·2^n seconds (jittered).

    The retry limit and backoff are read from settings at run time (WEBHOOK_MAX_RETRIES,
    WEBHOOK_RETRY_BACKOFF_SECONDS, WEBHOOK_RETRY_BACKOFF_MAX_SECONDS). Run in-process (no
    broker), a delivery is tried once and a failure is left for the admin's "send again".
    """
    final = self.request.is_eager or self.request.retries >= settings.WEBHOOK_MAX_RETRIES
    try:
        return services.webhook_delivery_attempt(delivery_id=delivery_id, final_attempt=final)
    except services.TransientDeliveryError as exc:
        raise self.retry(exc=exc, countdown=services.retry_countdown(self.request.retries)) from exc


@shared_task(**DB_TASK_OPTIONS)
def changes_purge():
    """Remove changes feed entries older than the retention period (nightly)."""
    from .changes import changes_purge as purge

    return purge()
