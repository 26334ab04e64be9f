"""The digest schedules, daily and weekly (``core.schedules``)."""

from django.db import migrations

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "검색 알림 일간 메일 (매일 07:00)",
        "alerts.tasks.alert_digests_send",
        "0",
        "7",
        "저장한 검색에 새로 맞는 사업·공고·행사를 신청자에게 한 번씩 보냅니다.",
        args=("daily",),
    ),
    Schedule(
        "검색 알림 주간 메일 (월요일 07:30)",
        "alerts.tasks.alert_digests_send",
        "30",
        "7",
        "저장한 검색에 새로 맞는 사업·공고·행사를 신청자에게 한 번씩 보냅니다.",
        day_of_week="1",
        args=("weekly",),
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(*SCHEDULES)]
