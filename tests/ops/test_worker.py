"""Jobs through a real Celery worker on Redis (celery.contrib.testing.worker, in a thread).

Saves commit for real (transactional DB), the change travels through Redis to the worker, which
POSTs to a local HTTP receiver: signature verified, retried with backoff after a 500, and never
sent for a private field. The staff app's spreadsheet import job runs on the same worker.
"""

import time

import pytest

from tests import factories
from webhooks import services
from webhooks.models import Delivery, Subscription

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_until(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
def fast_backoff(settings):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0.5
    settings.WEBHOOK_MAX_RETRIES = 3


def test_delivery_is_signed_and_retried_after_a_500(celery_worker, receiver, fast_backoff):
    # given: a subscriber that fails once with 500, then accepts
    Subscription.objects.create(
        name="대시보드", url=receiver.url, secret="worker-secret", record_types=["programs.program"]
    )
    receiver.script = [500]

    # when: a program is saved (and committed)
    program = factories.ProgramFactory(name="스마트공장 보급사업")

    # then: two POSTs of the same delivery, both signed; the log shows the retry
    first, second = receiver.wait_for(2)
    delivery = wait_until(lambda: Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).first())
    for request in (first, second):
        assert services.verify_signature(
            "worker-secret",
            request.headers["X-Tracker-Timestamp"],
            request.body,
            request.headers["X-Tracker-Signature"],
        )
        assert request.headers["X-Tracker-Delivery"] == str(delivery.delivery_id)
    assert first.body == second.body
    assert second.json["data"]["name"] == "스마트공장 보급사업"
    assert second.json["record_id"] == str(program.pk)
    assert (delivery.attempts, delivery.response_code, delivery.last_error) == (2, 200, "")
    assert Delivery.objects.count() == 1


def test_private_field_change_is_never_sent(celery_worker, receiver):
    # given
    Subscription.objects.create(
        name="대시보드", url=receiver.url, secret="k", record_types=["core.person"]
    )
    person = factories.PersonFactory(name="이담당", phone="02-000-0000", email="a@example.go.kr")
    receiver.wait_for(1)  # the creation

    # when: first a private change, then a public one (a marker: jobs run in order)
    person.phone = "02-111-1111"
    person.email = "b@example.go.kr"
    person.save()
    person.position = "국장"
    person.save()

    # then: only the creation and the public change arrived, and no contact data at all
    created, changed = receiver.wait_for(2)
    wait_until(lambda: Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).count() == 2)
    time.sleep(0.5)  # nothing else is on its way
    assert len(receiver.requests) == 2
    assert (created.json["action"], changed.json["action"]) == ("created", "updated")
    assert changed.json["data"]["position"] == "국장"
    for request in receiver.requests:
        # the numbers themselves (a bare "02-" can occur inside the delivery's UUID)
        assert b"000-0000" not in request.body
        assert b"111-1111" not in request.body
        assert b"example.go.kr" not in request.body
    assert Delivery.objects.count() == 2


# --- the import job (staff app) through the same worker ------------------------------------------


def test_spreadsheet_import_job_runs_on_the_worker(
    celery_worker, settings, tmp_path, django_user_model
):
    # given: an uploaded CSV of three companies, stored as a job (the upload view's service)
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from companies.models import Company
    from staff import imports
    from staff.models import ImportJob
    from staff.tasks import enqueue_import_job

    settings.MEDIA_ROOT = tmp_path
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["사업자등록번호", "기업명", "지역", "기업 규모", "AI 수요기업", "대표자"])
    for n in range(3):
        writer.writerow(
            [
                factories.make_business_number(f"{701810000 + n:09d}"),
                f"창원 정밀 {n}",
                "48",
                "소기업",
                "예",
                "김대표",
            ]
        )
    user = django_user_model.objects.create_superuser("importer", "i@example.go.kr", "pw")
    job = imports.import_job_create(
        user=user,
        kind=ImportJob.Kind.COMPANIES,
        upload=SimpleUploadedFile("companies.csv", buffer.getvalue().encode("utf-8-sig")),
    )

    # when: the dry run is queued, then (after staff confirm) the import
    enqueue_import_job(job.pk)
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CHECKED)
    assert Company.objects.count() == 0  # the dry run changed nothing
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORT_QUEUED)
    enqueue_import_job(job.pk)
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE)

    # then
    job.refresh_from_db()
    assert job.report["errors"] == []
    assert job.report["applied"] is True
    assert sorted(Company.objects.values_list("name", flat=True)) == [
        "창원 정밀 0",
        "창원 정밀 1",
        "창원 정밀 2",
    ]
