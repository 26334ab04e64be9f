"""The digest schedules, as django-celery-beat rows staff can edit in the admin (idempotent)."""

import json

from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    # (name, frequency, minute, hour, day_of_week)
    ("검색 알림 일간 메일 (매일 07:00)", "daily", "0", "7", "*"),
    ("검색 알림 주간 메일 (월요일 07:30)", "weekly", "30", "7", "1"),
]
TASK = "alerts.tasks.alert_digests_send"


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, frequency, minute, hour, day_of_week in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Seoul",
        )
        PeriodicTask.objects.create(
            name=name,
            task=TASK,
            crontab=crontab,
            args=json.dumps([frequency]),
            description="저장한 검색에 새로 맞는 사업·공고·행사를 신청자에게 한 번씩 보냅니다.",
            enabled=True,
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
