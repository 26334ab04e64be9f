"""The nightly build of the open-data package (``core.schedules``)."""

from django.db import migrations

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "공개 데이터 묶음 갱신 (매일 03:30)",
        "opendata.tasks.opendata_package_refresh",
        "30",
        "3",
        "모든 공개 레코드를 CSV·JSON ZIP과 datapackage.json으로 새로 만듭니다.",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(*SCHEDULES)]
