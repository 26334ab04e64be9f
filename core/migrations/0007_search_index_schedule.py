"""The nightly search-index rebuild (``core.schedules``)."""

from django.db import migrations

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "검색 색인 재구성 (매일 04:00)",
        "core.tasks.search_index_rebuild",
        "0",
        "4",
        "검색 문서를 모두 다시 만듭니다 (저장 때 갱신되지 못한 문서를 바로잡습니다).",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_english_fields"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(*SCHEDULES)]
