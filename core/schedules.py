"""Periodic tasks as django-celery-beat rows staff can edit in the admin, created by data
migrations through one helper: ``migrations.RunPython(*periodic_tasks(Schedule(...), ...))``.

Idempotent: a row is looked up by its task (and its arguments, when it has any), so a time or a
name edited in the admin is kept when the migrations run again. Times are Korean time. The
helper reads the historical models (``apps.get_model``), as a data migration must.
"""

import json
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Schedule:
    """One periodic task: its admin name, the Celery task, a crontab and what it does."""

    name: str
    task: str
    minute: str
    hour: str
    description: str = ""
    day_of_week: str = "*"
    args: tuple = ()


def periodic_tasks(*schedules: Schedule):
    """(create, remove) functions for ``migrations.RunPython``."""

    def create(apps, schema_editor):
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        for s in schedules:
            existing = PeriodicTask.objects.filter(task=s.task)
            if s.args:
                existing = existing.filter(args=json.dumps(list(s.args)))
            if existing.exists():
                continue
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=s.minute,
                hour=s.hour,
                day_of_week=s.day_of_week,
                day_of_month="*",
                month_of_year="*",
                timezone="Asia/Seoul",
            )
            PeriodicTask.objects.create(
                name=s.name,
                task=s.task,
                crontab=crontab,
                args=json.dumps(list(s.args)),
                description=s.description,
                enabled=True,
            )
        # Tell a running beat that the schedule changed.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})

    def remove(apps, schema_editor):
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTask.objects.filter(task__in={s.task for s in schedules}).delete()

    return create, remove
