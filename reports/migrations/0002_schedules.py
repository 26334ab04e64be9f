"""The nightly and daily report schedules (``core.schedules``)."""

from django.db import migrations

from core.schedules import Schedule, periodic_tasks

SCHEDULES = periodic_tasks(
    Schedule(
        "목표 진행 상태 재계산 (매일 02:00)",
        "programs.tasks.target_recompute_all",
        "0",
        "2",
        "모든 목표의 달성률과 진행 상태를 최신 실적으로 다시 계산합니다.",
    ),
    Schedule(
        "사업 보고서 갱신 (매일 03:00)",
        "reports.tasks.program_reports_refresh",
        "0",
        "3",
        "보고서가 한 번이라도 만들어진 사업의 XLSX 보고서를 새로 만듭니다.",
    ),
    Schedule(
        "데이터 품질 보고 메일 (매일 06:30)",
        "reports.tasks.data_quality_report_send",
        "30",
        "6",
        "출처 없는 레코드, 실적 없는 지난 목표, 성과 없는 참여, 중복 의심 기업 수를 직원에게 보냅니다.",
    ),
    Schedule(
        "마감·행사 알림 메일 (매일 08:00)",
        "reports.tasks.reminders_send",
        "0",
        "8",
        "접수 마감과 행사 시작 며칠 전에 직원에게 한 번 알립니다 (REMINDER_DAYS_BEFORE).",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(*SCHEDULES)]
