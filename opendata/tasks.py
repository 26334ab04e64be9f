"""Open-data jobs (thin: one service call each; the nightly one is in django-celery-beat)."""

from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import services


@shared_task(**DB_TASK_OPTIONS)
def opendata_package_build(package_id: int):
    """Build one requested open-data package."""
    package = services.opendata_package_build(package_id=package_id)
    return package.pk if package else None


@shared_task(**DB_TASK_OPTIONS)
def opendata_package_refresh():
    """Nightly: request a fresh open-data package."""
    return services.opendata_package_refresh().pk
