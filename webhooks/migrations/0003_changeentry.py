"""The changes feed (webhooks.ChangeEntry) and its nightly clean-up (a django-celery-beat row
staff can edit in the admin; idempotent: looked up by task name)."""

from django.db import migrations, models
from django.utils import timezone

NAME = "변경 피드 정리 (매일 04:45)"
TASK = "webhooks.tasks.changes_purge"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45",
        hour="4",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        crontab=crontab,
        description="보관 기간(CHANGES_RETENTION_DAYS, 기본 90일)이 지난 변경 피드 항목을 지웁니다.",
        enabled=True,
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_release_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeEntry',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('xid', models.BigIntegerField(blank=True, null=True, verbose_name='트랜잭션 ID')),
                ('record_type', models.CharField(max_length=60, verbose_name='레코드 종류')),
                ('record_id', models.CharField(max_length=40, verbose_name='레코드 ID')),
                ('action', models.CharField(choices=[('created', '생성'), ('updated', '수정'), ('deleted', '삭제')], max_length=10, verbose_name='변경')),
                ('occurred_at', models.DateTimeField(verbose_name='변경 시각')),
                ('resource', models.CharField(blank=True, help_text='기록을 보여 주는 API 자원', max_length=40, verbose_name='API 자원')),
                ('resource_id', models.CharField(blank=True, max_length=40, verbose_name='API 자원 ID')),
                ('release_key', models.CharField(blank=True, help_text='엠바고 해제로 생긴 항목을 한 번만 기록하기 위한 키', max_length=120, null=True, unique=True, verbose_name='엠바고 해제 키')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='기록 시각')),
            ],
            options={
                'verbose_name': '변경 피드 항목',
                'verbose_name_plural': '변경 피드',
                'ordering': ['xid', 'id'],
                'indexes': [models.Index(fields=['xid', 'id'], name='changeentry_xid_id')],
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
