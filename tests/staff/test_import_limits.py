"""Import limits and correctness: upload size, XLSX archives that inflate too far (checked before
openpyxl), oversized cells, a file read once, no file left by a refused or failed upload, the
periodic clean-up, the history reason bounded whatever the file name, duplicate keys in one file
named by both lines, the Celery time limits."""

import csv
import datetime
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from companies.models import Company
from programs.models import Participation
from staff import imports, tasks
from staff.models import ImportJob
from tests import factories as f
from tests.staff.test_imports import (
    COMPANY_HEADER,
    brn,
    company_rows,
    confirm,
    csv_bytes,
    db_snapshot,
    latest_job,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, ministry_editor):
    client.force_login(ministry_editor)
    return client


@pytest.fixture
def private_root(settings):
    """The temporary private folder of the uploads (tests/staff/conftest.py)."""
    return Path(settings.PRIVATE_MEDIA_ROOT)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- size and archive limits --------------------------------------------------------------------


def test_an_upload_over_the_size_limit_is_refused_and_stores_nothing(
    editor, settings, private_root
):
    settings.STAFF_IMPORT_MAX_UPLOAD_BYTES = 1024
    before = db_snapshot()
    data = csv_bytes(COMPANY_HEADER, company_rows(40))
    # when
    upload(editor, "companies", "big.csv", data)
    job = latest_job()
    # then
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors[0]["message"].startswith(
        f"파일이 너무 큽니다({len(data) / 1024:.1f} KB). 한 번에 1.0 KB까지 올릴 수 있습니다."
    )
    assert not job.file
    assert files_under(private_root) == []
    assert db_snapshot() == before


def zip_bomb(inflated_mb: int = 30) -> bytes:
    """A workbook-shaped archive whose sheet inflates ~1000 times (zeros compress that well)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (inflated_mb * 1024 * 1024))
    return out.getvalue()


def test_an_xlsx_that_inflates_too_far_is_refused_before_openpyxl_reads_it(
    editor, monkeypatch, private_root
):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see this file")

    monkeypatch.setattr("staff.imports.XLSX.create_dataset", never)
    data = zip_bomb()
    assert len(data) < 100 * 1024
    # when
    upload(editor, "companies", "bomb.xlsx", data)
    job = latest_job()
    # then: a Korean message with the figures; nothing stored
    assert job.status == ImportJob.Status.REFUSED
    message = job.errors[0]["message"]
    assert message.startswith("XLSX 파일의 압축을 풀면 30.0 MB로 지나치게 커집니다(압축률 최대 ")
    assert "(한도: 100.0 MB, 압축률 100배)" in message
    assert files_under(private_root) == []


def test_an_xlsx_over_the_uncompressed_limit_is_refused(editor, settings, private_root):
    settings.STAFF_IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 4 * 1024
    data = xlsx_bytes(COMPANY_HEADER, company_rows(30))
    upload(editor, "companies", "wide.xlsx", data)
    assert "지나치게 커집니다" in latest_job().errors[0]["message"]


def test_an_ordinary_xlsx_passes_the_archive_check():
    imports.check_xlsx_archive(xlsx_bytes(COMPANY_HEADER, company_rows(200)))


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "message"),
    [
        (
            200_000,  # beyond what the csv module reads: once reported as an unclosed quote
            "2번째 줄의 칸이 너무 깁니다. 한 칸에는 32,767자까지 쓸 수 있습니다(엑셀의 한도). "
            "긴 글은 나누거나 줄여 주세요.",
        ),
        (
            40_000,
            "2번째 줄 '대표자' 열의 칸이 너무 깁니다. 한 칸에는 32,767자까지 쓸 수 있습니다"
            "(엑셀의 한도). 긴 글은 나누거나 줄여 주세요.",
        ),
    ],
    ids=["beyond-the-csv-limit", "beyond-excels-limit"],
)
def test_an_oversized_cell_gets_its_own_message(editor, settings, length, message):
    # the csv module's default field limit, as in the web process (frictionless, a test-only
    # dependency, raises it for the whole process when another test validates a package)
    default_limit = csv.field_size_limit(131_072)
    try:
        _oversized_cell(editor, settings, length, message)
    finally:
        csv.field_size_limit(default_limit)


def _oversized_cell(editor, settings, length, message):
    settings.STAFF_IMPORT_SYNC_MAX_BYTES = 1024 * 1024
    rows = company_rows(1)
    rows[0][5] = "가" * length
    upload(editor, "companies", "long.csv", csv_bytes(COMPANY_HEADER, rows))
    job = latest_job()
    assert job.status == ImportJob.Status.REFUSED
    assert [e["message"] for e in job.errors] == [message]


def test_too_many_rows_are_refused(editor, settings):
    settings.STAFF_IMPORT_MAX_ROWS = 5
    upload(editor, "companies", "rows.csv", csv_bytes(COMPANY_HEADER, company_rows(6)))
    assert latest_job().errors[0]["message"] == (
        "행이 너무 많습니다. 한 파일에 5행까지 가져올 수 있습니다. 파일을 나누어 주세요."
    )


# --- read once; large files only in the background ------------------------------------------------


def counting_reads(monkeypatch) -> list:
    calls = []
    original = imports.read_dataset

    def read(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "read_dataset", read)
    return calls


def test_a_small_file_is_read_once_for_upload_and_check(editor, monkeypatch):
    reads = counting_reads(monkeypatch)
    upload(editor, "companies", "small.csv", csv_bytes(COMPANY_HEADER, company_rows(3)))
    assert latest_job().status == ImportJob.Status.CHECKED
    assert reads == ["small.csv"]


def test_a_large_file_is_not_read_in_the_request(
    editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.STAFF_IMPORT_SYNC_MAX_BYTES = 200
    reads = counting_reads(monkeypatch)
    # when uploaded
    with django_capture_on_commit_callbacks() as callbacks:
        upload(editor, "companies", "large.csv", csv_bytes(COMPANY_HEADER, company_rows(5)))
    job = latest_job()
    # then: queued for a worker, unread
    assert (job.status, job.background, job.total, reads) == ("queued", True, 0, [])
    # when the worker runs it: read once there, the row count known
    callbacks[0]()
    job.refresh_from_db()
    assert (job.status, job.total, reads) == ("checked", 5, ["large.csv"])


# --- no file left behind ----------------------------------------------------------------------------


def test_a_file_refused_by_the_check_is_deleted(editor, private_root):
    rows = company_rows(2)
    rows[1][3] = "거대기업"
    upload(editor, "companies", "bad.csv", csv_bytes(COMPANY_HEADER, rows))
    job = latest_job()
    assert job.status == ImportJob.Status.REFUSED
    assert not job.file
    assert files_under(private_root) == []


def test_a_failed_import_leaves_no_file(editor, private_root):
    programs = [f.ProgramFactory(slug="ai-factory"), f.ProgramFactory(slug="late")]
    for i in range(2):
        f.CompanyFactory(business_number=brn(i).replace("-", ""))
    data = csv_bytes(
        ["사업자등록번호", "사업", "상태"],
        [[brn(0), "ai-factory", "선정"], [brn(1), "late", "선정"]],
    )
    upload(editor, "participations", "p.csv", data)
    job = latest_job()
    assert files_under(private_root) == [f"imports/participations/{Path(job.file.name).name}"]
    programs[1].delete()
    # when
    confirm(editor, job)
    job.refresh_from_db()
    # then
    assert job.status == ImportJob.Status.FAILED
    assert not job.file
    assert files_under(private_root) == []


def test_the_clean_up_removes_orphans_and_refused_files_but_keeps_what_jobs_need(
    editor, private_root
):
    storage = ImportJob._meta.get_field("file").storage
    upload(editor, "companies", "keep.csv", csv_bytes(COMPANY_HEADER, company_rows(1)))
    kept = latest_job()
    old = storage.save("imports/companies/orphan-old.csv", io.BytesIO(b"x"))
    fresh = storage.save("imports/companies/orphan-new.csv", io.BytesIO(b"x"))
    hours_ago = (timezone.now() - datetime.timedelta(hours=3)).timestamp()
    os.utime(private_root / old, (hours_ago, hours_ago))
    refused = ImportJob.objects.create(
        kind="companies", original_name="r.csv", status=ImportJob.Status.REFUSED
    )
    refused.file.save("r.csv", io.BytesIO(b"y"))
    # when
    removed = tasks.import_files_clean()
    # then
    assert removed == 2
    assert files_under(private_root) == sorted([kept.file.name, fresh])
    refused.refresh_from_db()
    assert not refused.file


# --- history reason, duplicates -------------------------------------------------------------------


def test_a_long_file_name_does_not_make_rows_fail(editor):
    name = "가" * 95 + ".csv"
    upload(editor, "companies", name, csv_bytes(COMPANY_HEADER, company_rows(2)))
    job = latest_job()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    confirm(editor, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    reasons = {r.history_change_reason for r in Company.history.all()}
    (reason,) = reasons
    assert len(reason) == 100
    assert reason.startswith(f"가져오기 #{job.pk}: 가가가")
    assert reason.endswith("…")


def test_two_rows_with_the_same_business_number_are_refused_naming_both(editor):
    rows = company_rows(3)
    rows[2][0] = rows[0][0].replace("-", "")  # the same number, written without hyphens
    before = db_snapshot()
    upload(editor, "companies", "dup.csv", csv_bytes(COMPANY_HEADER, rows))
    job = latest_job()
    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (
            4,
            "사업자등록번호",
            f"2번째 줄과 4번째 줄이 같은 기록(사업자등록번호 {rows[2][0]})입니다. "
            "한 기록은 한 줄에만 적어 주세요.",
        )
    ]
    assert db_snapshot() == before


def test_participation_rows_may_repeat_for_different_outcomes_but_not_the_same_one(editor):
    f.ProgramFactory(slug="ai-factory")
    f.CompanyFactory(business_number=brn(0).replace("-", ""))
    header = ["사업자등록번호", "사업", "상태", "성과 지표", "결과값"]
    ok = [
        [brn(0), "ai-factory", "완료", "불량률", "3"],
        [brn(0), "ai-factory", "완료", "생산성", "9"],
    ]
    upload(editor, "participations", "ok.csv", csv_bytes(header, ok))
    assert latest_job().status == ImportJob.Status.CHECKED
    twice = [*ok, [brn(0), "ai-factory", "완료", "불량률", "4"]]
    upload(editor, "participations", "twice.csv", csv_bytes(header, twice))
    job = latest_job()
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "사업자등록번호")]
    assert job.errors[0]["message"].startswith("2번째 줄과 4번째 줄이 같은 기록(")
    assert "성과 지표 불량률" in job.errors[0]["message"]
    assert Participation.objects.count() == 0


# --- time limits ----------------------------------------------------------------------------------


def test_import_tasks_run_under_soft_and_hard_time_limits(settings):
    assert tasks.import_job_run.soft_time_limit == settings.STAFF_IMPORT_SOFT_TIME_LIMIT == 1500
    assert tasks.import_job_run.time_limit == settings.STAFF_IMPORT_TIME_LIMIT == 1800
    # the broker gives a dead worker's message back only after the longest run
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > 1800


def test_reaching_the_soft_time_limit_stops_the_job_with_a_message(editor, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(imports, "_import", slow)
    before = db_snapshot()
    upload(editor, "companies", "slow.csv", csv_bytes(COMPANY_HEADER, company_rows(2)))
    job = latest_job()
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors[0]["message"] == (
        "시간 제한(25분)을 넘어 작업을 멈췄습니다. 데이터베이스는 바뀌지 않았습니다. "
        "파일을 나누어 올려 주세요."
    )
    assert db_snapshot() == before


def test_the_upload_address_is_recorded_for_the_audit(client, ministry_editor, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    client.force_login(ministry_editor)
    data = csv_bytes(COMPANY_HEADER, company_rows(1))
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.post(
        reverse("staff:import-upload", args=["companies"]),
        {"file": SimpleUploadedFile("a.csv", data)},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7",
    )
    assert latest_job().client_ip == "198.51.100.7"
