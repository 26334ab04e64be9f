"""Import jobs survive the death of the process running them: a running phase holds a lease; a
redelivered task waits for a live lease and reclaims an expired one; a stuck job shows as such
in the admin with "다시 시작"; the periodic recovery queues stuck and lost jobs; a run that lost
its lease writes nothing. (The real-worker SIGKILL test is tests/ops/test_import_worker_kill.py.)
"""

import datetime

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone

from companies.models import Company
from staff import imports, tasks
from staff.models import ImportJob
from tests.staff.test_imports import COMPANY_HEADER, company_rows, csv_bytes, latest_job, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, ministry_editor):
    client.force_login(ministry_editor)
    return client


def left_by_a_dead_process(client, status=ImportJob.Status.CHECKING, expired=True, rows=3):
    """A job as a killed process leaves it: running, under its lease, never finished."""
    upload(client, "companies", "a.csv", csv_bytes(COMPANY_HEADER, company_rows(rows)))
    job = latest_job()
    if status == ImportJob.Status.IMPORTING:
        imports.import_job_confirm(job_id=job.pk)
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        lease_owner="web-1:4242:dead",
        lease_expires_at=now + datetime.timedelta(seconds=-5 if expired else 60),
        attempts=1,
        progress=2,
        report={},
    )
    job.refresh_from_db()
    return job


def test_a_claimed_phase_carries_a_lease_that_ends_with_it(editor, settings):
    upload(editor, "companies", "a.csv", csv_bytes(COMPANY_HEADER, company_rows(2)))
    job = latest_job()
    # then: finished phases hold no lease
    assert (job.status, job.lease_owner, job.lease_expires_at, job.attempts) == (
        "checked",
        "",
        None,
        1,
    )


def test_a_redelivered_run_restarts_a_phase_whose_lease_expired(editor):
    job = left_by_a_dead_process(editor)
    assert job.is_stuck
    # when the task is delivered again
    assert tasks.import_job_run.run(job.pk) == "checked"
    job.refresh_from_db()
    # then: the check was done again, from the start
    assert (job.status, job.attempts, job.progress, job.report["counts"]["new"]) == (
        "checked",
        2,
        3,
        3,
    )
    assert len(job.report["rows"]) == 3


def test_a_redelivered_import_restarts_and_writes_its_rows_once(editor):
    job = left_by_a_dead_process(editor, status=ImportJob.Status.IMPORTING)
    # when
    tasks.import_job_run.run(job.pk)
    tasks.import_job_run.run(job.pk)  # and once more: a duplicate delivery
    job.refresh_from_db()
    # then
    assert job.status == ImportJob.Status.DONE
    assert Company.objects.count() == 3
    assert Company.history.count() == 3


def test_a_delivery_while_another_process_holds_the_lease_waits_for_it(editor):
    job = left_by_a_dead_process(editor, expired=False)
    # when
    with pytest.raises(Retry):
        tasks.import_job_run.run(job.pk)
    found = imports.import_job_run(job_id=job.pk)
    # then: the job is left alone, to be tried again when the lease would have expired
    job.refresh_from_db()
    assert (job.status, job.lease_owner) == ("checking", "web-1:4242:dead")
    assert 55 <= found.retry_in <= 62


def test_a_job_that_died_too_often_fails_with_a_message(editor, settings, tmp_path):
    job = left_by_a_dead_process(editor, status=ImportJob.Status.IMPORTING)
    ImportJob.objects.filter(pk=job.pk).update(attempts=settings.STAFF_IMPORT_MAX_ATTEMPTS)
    # when
    tasks.import_job_run.run(job.pk)
    job.refresh_from_db()
    # then
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["message"].startswith(
        "작업이 5번 중단되어(작업 프로세스 종료, 시간 초과 등) 더 시도하지 않았습니다."
    )
    assert not job.file
    assert Company.objects.count() == 0


def test_a_run_that_lost_its_lease_writes_nothing(editor, monkeypatch):
    job = left_by_a_dead_process(editor, status=ImportJob.Status.IMPORTING)

    def taken_over(self, force=False):
        # another process restarted the job meanwhile (this one was too slow, not dead)
        ImportJob.objects.filter(pk=self.job_id).update(lease_owner="web-2:77:restart")

    monkeypatch.setattr(imports.LeaseKeeper, "renew", taken_over)
    # when
    imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    # then: nothing of this run is kept; the job belongs to the other run
    assert Company.objects.count() == 0
    assert (job.status, job.lease_owner) == ("importing", "web-2:77:restart")


def test_the_lease_is_renewed_while_a_long_phase_runs(editor, settings, monkeypatch):
    settings.STAFF_IMPORT_LEASE_SECONDS = 0.0  # renew at every progress report
    renewals = []
    monkeypatch.setattr(imports.LeaseKeeper, "renew", lambda self, force=False: renewals.append(1))
    upload(editor, "companies", "a.csv", csv_bytes(COMPANY_HEADER, company_rows(3)))
    assert latest_job().status == ImportJob.Status.CHECKED
    assert renewals


# --- the admin and the recovery -------------------------------------------------------------------


def test_a_stuck_job_shows_as_such_and_restarts_from_its_page(
    editor, django_capture_on_commit_callbacks
):
    job = left_by_a_dead_process(editor)
    url = reverse("staff:import-job", args=[job.pk])
    # when
    page = editor.get(url).content.decode()
    status = editor.get(reverse("staff:import-job-status", args=[job.pk])).json()
    # then
    assert "이 작업은 멈췄습니다" in page
    assert 'value="다시 시작"' in page
    assert (status["stuck"], status["running"]) == (True, False)
    assert status["status_display"] == "멈춤 — 작업 프로세스가 응답하지 않습니다"
    # when 다시 시작 is pressed
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("staff:import-job-restart", args=[job.pk]))
    job.refresh_from_db()
    # then
    assert response.status_code == 302
    assert job.status == ImportJob.Status.CHECKED


def test_a_job_that_is_running_fine_cannot_be_restarted(editor):
    job = left_by_a_dead_process(editor, expired=False)
    editor.post(reverse("staff:import-job-restart", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.lease_owner) == ("checking", "web-1:4242:dead")
    page = editor.get(reverse("staff:import-job", args=[job.pk])).content.decode()
    assert "멈춘 작업만 다시 시작할 수 있습니다." in page
    assert 'value="다시 시작"' not in page


def test_the_admin_list_marks_stuck_jobs_and_restarts_them_by_action(
    client, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    stuck = left_by_a_dead_process(client)
    fine = left_by_a_dead_process(client, expired=False)
    changelist = reverse("admin:staff_importjob_changelist")
    page = client.get(changelist).content.decode()
    assert page.count("멈춤 (검사 중 중 작업 프로세스 응답 없음)") == 1
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "restart", "_selected_action": [stuck.pk, fine.pk]},
            follow=True,
        )
    # then
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1개 작업을 다시 시작했습니다.",
        "1개 작업은 멈춘 작업이 아니어서 그대로 두었습니다.",
    ]
    stuck.refresh_from_db()
    fine.refresh_from_db()
    assert (stuck.status, fine.status) == ("checked", "checking")


def test_recovery_queues_stuck_jobs_and_lost_messages_only(editor, settings):
    stuck = left_by_a_dead_process(editor)
    alive = left_by_a_dead_process(editor, expired=False)
    upload(editor, "companies", "b.csv", csv_bytes(COMPANY_HEADER, company_rows(1)))
    lost = latest_job()
    ImportJob.objects.filter(pk=lost.pk).update(
        status=ImportJob.Status.IMPORT_QUEUED,
        updated_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    upload(editor, "companies", "c.csv", csv_bytes(COMPANY_HEADER, company_rows(1)))
    just_queued = latest_job()
    ImportJob.objects.filter(pk=just_queued.pk).update(status=ImportJob.Status.QUEUED)
    # when
    ids = imports.import_jobs_recover()
    # then
    assert ids == sorted([stuck.pk, lost.pk])
    assert alive.pk not in ids
    # and the task runs them (eager here)
    assert tasks.import_jobs_recover.run() == 2
    stuck.refresh_from_db()
    lost.refresh_from_db()
    assert (stuck.status, lost.status) == ("checked", "done")


def test_a_synchronous_check_cut_off_by_a_dead_web_process_is_finished_by_the_recovery(
    editor, monkeypatch
):
    # given: the web process dies in the middle of a small file's check (in the request)
    class Died(BaseException):
        pass

    original, dying = imports._import, [True]

    def die_once(*args, **kwargs):
        if dying:
            dying.pop()
            raise Died
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_import", die_once)
    with pytest.raises(Died):
        upload(editor, "companies", "a.csv", csv_bytes(COMPANY_HEADER, company_rows(2)))
    job = latest_job()
    assert job.status == ImportJob.Status.CHECKING
    assert job.lease_owner and not job.is_stuck
    ImportJob.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    # when the periodic recovery runs
    tasks.import_jobs_recover.run()
    job.refresh_from_db()
    # then
    assert job.status == ImportJob.Status.CHECKED
    assert job.report["counts"]["new"] == 2
