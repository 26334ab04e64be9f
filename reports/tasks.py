"""Report and reminder jobs (thin: one service call each; scheduled ones in django-celery-beat)."""

from celery import shared_task

from config.celery import DB_TASK_OPTIONS

from . import services


@shared_task(**DB_TASK_OPTIONS)
def program_report_generate(report_id: int):
    """Build one requested program XLSX report."""
    return services.program_report_generate(report_id=report_id)


@shared_task(**DB_TASK_OPTIONS)
def program_reports_refresh():
    """Nightly: request fresh reports of the programs that have one."""
    return services.program_reports_refresh()


@shared_task(**DB_TASK_OPTIONS)
def data_quality_report_send():
    """Nightly: e-mail the data-quality report to staff."""
    return services.data_quality_report_send()


@shared_task(**DB_TASK_OPTIONS)
def reminders_send():
    """Daily: e-mail staff before application deadlines and events (once per item)."""
    return services.reminders_send()
