"""Schedules of the import jobs, as django-celery-beat rows staff can edit in the admin:
recovery of jobs whose worker died (every 5 minutes) and clean-up of unneeded upload files
(daily 04:30). Idempotent: rows are looked up by task name, so an edited time is kept."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    # (name, task, minute, hour, description)
    (
        "멈춘 가져오기 작업 다시 시작 (5분마다)",
        "staff.tasks.import_jobs_recover",
        "*/5",
        "*",
        "작업 프로세스가 멈춘(임대가 만료된) 가져오기 작업과 일꾼이 받지 못한 작업을 다시 보냅니다.",
    ),
    (
        "가져오기 파일 정리 (매일 04:30)",
        "staff.tasks.import_files_clean",
        "30",
        "4",
        "거부·실패한 가져오기의 파일과 어느 작업에도 속하지 않는 파일을 지웁니다.",
    ),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minute, hour, description in SCHEDULES:
        if PeriodicTask.objects.filter(task=task).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Seoul",
        )
        PeriodicTask.objects.create(
            name=name, task=task, crontab=crontab, description=description, enabled=True
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0004_import_job_lease"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
