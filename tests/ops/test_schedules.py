"""Scheduled jobs: the beat rows of the data migration, target recompute, reminders, data quality."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import InterfaceError, OperationalError
from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app
from events.models import SEOUL
from programs.models import Participation, Target
from reports import services
from reports.models import StaffReminder
from reports.tasks import data_quality_report_send, reminders_send
from results.tasks import targets_refresh_all
from tests import factories
from webhooks.tasks import webhook_deliver, webhook_dispatch_change

SCHEDULED = {
    "results.tasks.targets_refresh_all": ("0", "2"),
    "results.tasks.result_reminders_send": ("10", "8"),
    "reports.tasks.program_reports_refresh": ("0", "3"),
    "reports.tasks.data_quality_report_send": ("30", "6"),
    "reports.tasks.reminders_send": ("0", "8"),
    "webhooks.tasks.webhook_releases_dispatch": ("*", "*"),
    "webhooks.tasks.changes_purge": ("45", "4"),
    "staff.tasks.import_jobs_recover": ("*/5", "*"),
    "staff.tasks.import_files_clean": ("30", "4"),
    "opendata.tasks.opendata_package_refresh": ("30", "3"),
}


@pytest.fixture
def staff(db, django_user_model):
    django_user_model.objects.create_user(
        "staff1", email="staff1@example.go.kr", password="pw", is_staff=True
    )
    django_user_model.objects.create_user(
        "staff2", email="staff2@example.go.kr", password="pw", is_staff=True
    )
    django_user_model.objects.create_user("citizen", email="c@example.com", password="pw")
    django_user_model.objects.create_user("noemail", email="", password="pw", is_staff=True)


# --- beat schedules and task options ------------------------------------------------------------


def test_data_migration_creates_the_daily_schedules_in_seoul_time(db):
    # when
    tasks = PeriodicTask.objects.filter(task__in=SCHEDULED).select_related("crontab")

    # then
    assert {
        t.task: (t.crontab.minute, t.crontab.hour, str(t.crontab.timezone), t.enabled)
        for t in tasks
    } == {task: (m, h, "Asia/Seoul", True) for task, (m, h) in SCHEDULED.items()}


def test_every_scheduled_task_is_registered():
    celery_app.loader.import_default_modules()
    assert set(SCHEDULED) <= set(celery_app.tasks)


def test_tasks_are_late_acked_and_retry_only_transient_errors():
    celery_app.loader.import_default_modules()
    ours = [
        task
        for name, task in celery_app.tasks.items()
        if name.split(".")[0] in {"programs", "reports", "webhooks", "staff", "opendata"}
    ]
    assert ours
    for task in ours:
        assert task.acks_late is True, task.name
        assert task.reject_on_worker_lost is True, task.name
    for task in (targets_refresh_all, data_quality_report_send, webhook_dispatch_change):
        assert task.autoretry_for == (OperationalError, InterfaceError)
        assert task.retry_backoff == 5
        assert task.max_retries == 5
    assert (
        getattr(webhook_deliver, "autoretry_for", ()) == ()
    )  # retried by hand: transient HTTP only


def test_settings_run_tasks_in_process_without_a_broker(monkeypatch):
    # The decision lives in base settings; re-evaluate it with and without a broker.
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )

    def run(**env):
        import os

        environment = {
            k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}
        }
        environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", **env)
        return subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True
        ).stdout.strip()

    assert run() == "True None"
    assert run(REDIS_URL="redis://127.0.0.1:6379/6") == "False redis://127.0.0.1:6379/6"
    assert (
        run(REDIS_URL="redis://a:6379/0", CELERY_BROKER_URL="redis://b:6379/1")
        == "False redis://b:6379/1"
    )


# --- target recompute -----------------------------------------------------------------------------


def test_target_recompute_all_refreshes_stale_statuses(db):
    # given: a target whose period ended without reaching it, stored as "on track"
    target = factories.TargetFactory(
        target_value=Decimal("100"),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    factories.approved_result(
        target, datetime.date(2025, 6, 30), 50, start=datetime.date(2025, 1, 1)
    )
    Target.objects.filter(pk=target.pk).update(status=Target.Status.ON_TRACK)
    unchanged = factories.TargetFactory()

    # when: the nightly task runs (in-process)
    changed = targets_refresh_all.delay().get()

    # then
    target.refresh_from_db()
    unchanged.refresh_from_db()
    assert changed == 1
    assert target.status == Target.Status.OFF_TRACK
    assert target.achievement_pct == Decimal("50.0")
    assert unchanged.status == Target.Status.NO_PERIOD


# --- reminders ------------------------------------------------------------------------------------


NOW = datetime.datetime(2026, 6, 5, 8, 0, tzinfo=SEOUL)


def test_reminders_go_out_once_before_deadlines_and_events(staff):
    # given
    soon = factories.ProgramFactory(name="모두의 챌린지", application_end=datetime.date(2026, 6, 8))
    factories.ProgramFactory(name="먼 마감", application_end=datetime.date(2026, 6, 30))
    factories.ProgramFactory(name="지난 마감", application_end=datetime.date(2026, 6, 1))
    event = factories.EventFactory(
        name="AX 컨퍼런스", starts_at=datetime.datetime(2026, 6, 6, 14, 0, tzinfo=SEOUL)
    )
    factories.EventFactory(starts_at=datetime.datetime(2026, 7, 1, 14, 0, tzinfo=SEOUL))

    # when: the job runs twice
    first = services.reminders_send(now=NOW)
    second = services.reminders_send(now=NOW + datetime.timedelta(hours=24))

    # then: one mail per item, to staff with an address, never twice
    assert (first, second) == (2, 0)
    assert sorted(m.subject for m in mail.outbox) == [
        "[AI 전환 트래커] 접수 마감 06월 08일: 모두의 챌린지",
        "[AI 전환 트래커] 행사 06월 06일 14:00: AX 컨퍼런스",
    ]
    for message in mail.outbox:
        assert message.to == ["staff1@example.go.kr", "staff2@example.go.kr"]
    assert {(r.kind, r.program_id, r.event_id) for r in StaffReminder.objects.all()} == {
        (StaffReminder.Kind.APPLICATION_DEADLINE, soon.pk, None),
        (StaffReminder.Kind.EVENT_START, None, event.pk),
    }


def test_moved_deadline_is_announced_again(staff):
    # given: a reminder already sent
    program = factories.ProgramFactory(application_end=datetime.date(2026, 6, 8))
    services.reminders_send(now=NOW)

    # when: the deadline moves, still inside the window
    program.application_end = datetime.date(2026, 6, 7)
    program.save()
    sent = services.reminders_send(now=NOW)

    # then
    assert sent == 1
    assert len(mail.outbox) == 2
    assert StaffReminder.objects.filter(program=program).count() == 2


def test_reminders_use_configured_recipients(staff, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["ops@example.go.kr"]
    factories.ProgramFactory(application_end=datetime.date(2026, 6, 8))

    services.reminders_send(now=NOW)

    assert [m.to for m in mail.outbox] == [["ops@example.go.kr"]]


def test_no_recipients_sends_and_records_nothing(db):
    factories.ProgramFactory(application_end=datetime.date(2026, 6, 8))

    assert services.reminders_send(now=NOW) == 0
    assert mail.outbox == []
    assert StaffReminder.objects.count() == 0


def test_failed_mail_records_nothing_so_the_next_run_retries(staff, monkeypatch):
    # given
    factories.ProgramFactory(application_end=datetime.date(2026, 6, 8))

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)

    # when
    with pytest.raises(ConnectionRefusedError):
        services.reminders_send(now=NOW)

    # then
    assert StaffReminder.objects.count() == 0


def test_reminders_task_runs_in_process(staff):
    assert reminders_send.delay().get() == 0  # nothing due today in an empty database


# --- data-quality report ------------------------------------------------------------------------


def test_data_quality_report_counts(db):
    # given
    today = datetime.date(2026, 6, 5)
    factories.ProgramFactory()  # no source
    factories.TargetFactory(
        source=factories.SourceFactory(), period_end=datetime.date(2026, 1, 31)
    )  # overdue, no actual; its program has no source either
    factories.ParticipationFactory(status=Participation.Status.COMPLETED)  # 3rd program
    factories.CompanyFactory(name="(주)한빛정밀")
    factories.CompanyFactory(name="한빛 정밀 주식회사")

    # when
    report = services.data_quality_report(today=today)

    # then
    assert report["without_source"] == {"사업·정책": 3, "기업 참여": 1}
    assert report["without_source_total"] == 4
    assert report["targets_overdue"] == 1
    assert report["participations_without_outcomes"] == 1
    assert report["completed_participations_without_outcomes"] == 1
    assert report["duplicate_company_groups"] == 1
    assert "(주)한빛정밀" in report["duplicate_company_examples"][0]
    assert "한빛 정밀 주식회사" in report["duplicate_company_examples"][0]


def test_data_quality_report_is_mailed_to_staff(staff):
    # given
    factories.ProgramFactory()

    # when
    sent = data_quality_report_send.delay().get()

    # then
    assert sent == 2
    (message,) = mail.outbox
    assert message.subject.startswith("[AI 전환 트래커] 데이터 품질 보고 ")
    assert "출처가 없는 기록: 1건" in message.body
    assert "  - 사업·정책: 1건" in message.body
    assert message.to == ["staff1@example.go.kr", "staff2@example.go.kr"]


def test_reminder_for_an_event_of_unknown_time_names_the_day_only(staff):
    # given an event whose time is not known (stored at midnight)
    factories.EventFactory(
        name="시각 미상 행사",
        starts_at=datetime.datetime(2026, 6, 6, 0, 0, tzinfo=SEOUL),
        time_is_known=False,
    )
    # when the reminders run
    services.reminders_send(now=NOW)
    # then the mail names the day without a made-up 00:00
    (message,) = mail.outbox
    assert message.subject == "[AI 전환 트래커] 행사 06월 06일: 시각 미상 행사"
    assert "2026-06-06에 시작합니다." in message.body
    assert "00:00" not in message.body
