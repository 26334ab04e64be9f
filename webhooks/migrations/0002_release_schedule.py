"""Every minute: announce records whose press embargo has lifted (``core.schedules``)."""

from django.db import migrations

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "엠바고 해제 알림 (매분)",
        "webhooks.tasks.webhook_releases_dispatch",
        "*",
        "*",
        "보도 엠바고가 풀린 행사(와 그 일정·참여자·포상)를 웹훅 구독자에게 새 레코드로 알립니다.",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(*SCHEDULES)]
