"""Schedules of the import jobs: recovery of jobs whose worker died (every 5 minutes) and
clean-up of unneeded upload files (daily 04:30) (``core.schedules``)."""

from django.db import migrations

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "멈춘 가져오기 작업 다시 시작 (5분마다)",
        "staff.tasks.import_jobs_recover",
        "*/5",
        "*",
        "작업 프로세스가 멈춘(임대가 만료된) 가져오기 작업과 일꾼이 받지 못한 작업을 다시 보냅니다.",
    ),
    Schedule(
        "가져오기 파일 정리 (매일 04:30)",
        "staff.tasks.import_files_clean",
        "30",
        "4",
        "거부·실패한 가져오기의 파일과 어느 작업에도 속하지 않는 파일을 지웁니다.",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0004_import_job_lease"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(*SCHEDULES)]
