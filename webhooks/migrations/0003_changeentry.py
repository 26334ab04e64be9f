"""The changes feed (webhooks.ChangeEntry) and its nightly clean-up (``core.schedules``)."""

from django.db import migrations, models

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "변경 피드 정리 (매일 04:45)",
        "webhooks.tasks.changes_purge",
        "45",
        "4",
        "보관 기간(CHANGES_RETENTION_DAYS, 기본 90일)이 지난 변경 피드 항목을 지웁니다.",
    ),
)


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
        migrations.RunPython(*SCHEDULES),
    ]
