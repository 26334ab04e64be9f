"""Copy every TargetActual into the results mechanism, and move the nightly target job.

Each actual becomes an approved update (value, as-of date = its date, note → comment, source)
in a reporting period of its target: the period containing the date if there is one, else a
custom period from the target's (or program's) start to that date. Targets' stored figures are
recomputed by the nightly job (``results.tasks.targets_refresh_all``, which replaces
``programs.tasks.target_recompute_all``) and by ``load_demo``/any approval.
"""

import datetime

from django.db import migrations
from django.utils import timezone

OLD_TASK = "programs.tasks.target_recompute_all"
NEW_TASK = "results.tasks.targets_refresh_all"
REMINDERS = (
    "실적 보고 기한·검토 알림 (매일 08:10)",
    "results.tasks.result_reminders_send",
    "10",
    "8",
    "보고 기한 며칠 전(RESULTS_REMINDER_DAYS)과 반려·승인 때 보고자에게 한 번 알립니다.",
)


def copy_actuals(apps, schema_editor):
    TargetActual = apps.get_model("programs", "TargetActual")
    ReportingPeriod = apps.get_model("results", "ReportingPeriod")
    ResultUpdate = apps.get_model("results", "ResultUpdate")
    ResultTransition = apps.get_model("results", "ResultTransition")
    for actual in TargetActual.objects.select_related(
        "target__program", "target__regional_participation__program"
    ).order_by("target_id", "period_end", "id"):
        target = actual.target
        day = actual.period_end
        period = ReportingPeriod.objects.filter(target=target, start__lte=day, end__gte=day).first()
        if period is None:
            program = target.program or target.regional_participation.program
            start = target.period_start or program.actual_start or program.planned_start or day
            previous = (
                ReportingPeriod.objects.filter(target=target, end__lt=day).order_by("-end").first()
            )
            if previous is not None:
                start = previous.end + datetime.timedelta(days=1)
            start = min(start, day)
            period = ReportingPeriod.objects.create(
                target=target, start=start, end=day, deadline=day
            )
        ResultUpdate.objects.create(
            period=period,
            status="approved",
            value=actual.value,
            as_of=day,
            comment=actual.note,
            source=actual.source,
        )
        values = list(
            ResultUpdate.objects.filter(period=period, status="approved").values_list(
                "value", "as_of"
            )
        )
        if target.aggregation == "sum":
            period.approved_value = sum(v for v, _d in values)
        else:
            period.approved_value = max(values, key=lambda row: row[1])[0]
        period.save(update_fields=["approved_value"])
    for update in ResultUpdate.objects.filter(transitions__isnull=True):
        ResultTransition.objects.create(
            update=update, from_status="", to_status="approved", reason="목표 실적에서 옮김"
        )


def move_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTask.objects.filter(task=OLD_TASK).update(
        task=NEW_TASK,
        description="모든 목표의 승인된 실적, 달성률과 진행 상태를 다시 계산합니다.",
    )
    if not PeriodicTask.objects.filter(task=NEW_TASK).exists():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Seoul",
        )
        PeriodicTask.objects.create(
            name="목표 진행 상태 재계산 (매일 02:00)", task=NEW_TASK, crontab=crontab, enabled=True
        )
    name, task, minute, hour, description = REMINDERS
    if not PeriodicTask.objects.filter(task=task).exists():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Seoul",
        )
        PeriodicTask.objects.create(
            name=name, task=task, crontab=crontab, description=description, enabled=True
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unmove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=NEW_TASK).update(task=OLD_TASK)
    PeriodicTask.objects.filter(task=REMINDERS[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0001_initial"),
        ("reports", "0002_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(copy_actuals, migrations.RunPython.noop),
        migrations.RunPython(move_schedule, unmove_schedule),
    ]
