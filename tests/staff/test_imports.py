"""Spreadsheet import: template, dry run listing every error (row, column, reason in Korean),
confirm, idempotence by natural keys, whole-file refusal of malformed files, background jobs
with progress, region scope and history."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from core.resources import StaffImportResource
from events.models import AgendaItem, Event
from indicators.models import Observation
from programs.models import Outcome, Participation
from staff import imports
from staff.models import ImportJob
from tests import factories as f

pytestmark = pytest.mark.django_db

COMPANY_HEADER = ["사업자등록번호", "기업명", "지역", "기업 규모", "AI 수요기업", "대표자"]


def brn(n: int) -> str:
    """A valid 사업자등록번호 written with hyphens, as staff type it."""
    digits = f.make_business_number(f"{601810000 + n:09d}")
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def company_rows(count: int, region: str = "48"):
    return [[brn(i), f"경남 제조 {i}", region, "소기업", "예", "김대표"] for i in range(count)]


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, kind, name, data):
    return client.post(
        reverse("staff:import-upload", args=[kind]), {"file": SimpleUploadedFile(name, data)}
    )


def latest_job() -> ImportJob:
    return ImportJob.objects.latest("id")


def confirm(client, job):
    return client.post(reverse("staff:import-job-confirm", args=[job.pk]))


def db_snapshot():
    """Everything an import may touch, to prove a refused import changed nothing."""
    return {
        "companies": list(Company.objects.order_by("pk").values()),
        "participations": list(Participation.objects.order_by("pk").values()),
        "outcomes": list(Outcome.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("pk").values()),
        "agenda": list(AgendaItem.objects.order_by("pk").values()),
        "observations": list(Observation.objects.order_by("pk").values()),
        "history": Company.history.count() + Participation.history.count(),
    }


@pytest.fixture
def editor(client, ministry_editor):
    client.force_login(ministry_editor)
    return client


# --- template -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k.value for k in ImportJob.Kind])
def test_templates_download_with_every_column(editor, kind):
    columns = imports.RESOURCES[kind].template_columns()
    # when
    as_csv = editor.get(reverse("staff:import-template", args=[kind, "csv"]))
    as_xlsx = editor.get(reverse("staff:import-template", args=[kind, "xlsx"]))
    # then
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")))) == columns
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert [cell.value for cell in next(sheet.iter_rows())] == columns


# --- the happy path, in every encoding ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.csv", csv_bytes(COMPANY_HEADER, company_rows(2), "utf-8")),
        ("bom.csv", csv_bytes(COMPANY_HEADER, company_rows(2), "utf-8-sig")),
        ("excel.csv", csv_bytes(COMPANY_HEADER, company_rows(2), "cp949")),
        ("excel.xlsx", xlsx_bytes(COMPANY_HEADER, company_rows(2))),
    ],
    ids=["utf-8", "utf-8-bom", "cp949", "xlsx"],
)
def test_company_import_dry_run_then_confirm(editor, ministry_editor, name, data):
    # when the file is uploaded: a dry run that changes nothing
    response = upload(editor, "companies", name, data)
    job = latest_job()
    # then
    assert response.status_code == 302
    assert response.url == reverse("staff:import-job", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED
    assert job.report["counts"] == {"new": 2, "updated": 0, "unchanged": 0}
    assert Company.objects.count() == 0
    # when confirmed
    confirm(editor, job)
    job.refresh_from_db()
    # then both companies exist, with their history naming the editor and the file
    assert job.status == ImportJob.Status.DONE
    company = Company.objects.get(business_number=brn(0).replace("-", ""))
    assert (company.name, company.region.code, company.size, company.is_ai_demand) == (
        "경남 제조 0",
        "48",
        "small",
        True,
    )
    assert Company.objects.count() == 2
    record = Company.history.get(id=company.pk)
    assert record.history_user == ministry_editor
    assert record.history_change_reason == f"가져오기 #{job.pk}: {name}"


def test_importing_the_same_file_twice_creates_no_duplicates(editor):
    data = csv_bytes(COMPANY_HEADER, company_rows(3))
    upload(editor, "companies", "a.csv", data)
    confirm(editor, latest_job())
    versions = list(Company.objects.order_by("pk").values_list("version", flat=True))
    # when
    upload(editor, "companies", "a.csv", data)
    second = latest_job()
    confirm(editor, second)
    second.refresh_from_db()
    # then: nothing new, nothing rewritten (same versions, no new history rows)
    assert second.report["counts"] == {"new": 0, "updated": 0, "unchanged": 3}
    assert Company.objects.count() == 3
    assert list(Company.objects.order_by("pk").values_list("version", flat=True)) == versions
    assert Company.history.count() == 3


def test_import_updates_an_existing_company_found_by_its_number(editor):
    company = f.CompanyFactory(business_number=brn(0).replace("-", ""), ceo_name="옛 대표")
    data = csv_bytes(COMPANY_HEADER, [[brn(0), company.name, "48", "중기업", "아니오", "새 대표"]])
    # when
    upload(editor, "companies", "update.csv", data)
    job = latest_job()
    confirm(editor, job)
    # then
    company.refresh_from_db()
    assert (company.ceo_name, company.size, company.version) == ("새 대표", "medium", 2)
    assert Company.objects.count() == 1


# --- malformed files are refused whole ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "utf16.csv",
            csv_bytes(COMPANY_HEADER, company_rows(2), "utf-16"),
            "문자 인코딩을 읽을 수 없습니다",
        ),
        (
            "missing.csv",
            csv_bytes(["사업자등록번호", "지역"], [[brn(0), "48"]]),
            "필수 열이 없습니다: 기업명",
        ),
        (
            "typo.csv",
            csv_bytes([*COMPANY_HEADER, "직원수"], [[*company_rows(1)[0], "12"]]),
            "알 수 없는 열이 있습니다: 직원수",
        ),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "XLSX 파일을 열 수 없습니다"),
        ("data.json", b"[]", "CSV 또는 XLSX 파일만"),
        ("empty.csv", csv_bytes(COMPANY_HEADER, []), "가져올 행이 없습니다"),
    ],
    ids=["bad-encoding", "missing-column", "unknown-column", "bad-xlsx", "not-a-sheet", "empty"],
)
def test_malformed_file_is_refused_at_upload(editor, name, data, message):
    before = db_snapshot()
    # when
    upload(editor, "companies", name, data)
    job = latest_job()
    # then
    assert job.status == ImportJob.Status.REFUSED
    assert len(job.errors) == 1
    assert message in job.errors[0]["message"]
    assert db_snapshot() == before


def test_every_bad_cell_is_listed_by_row_column_and_reason(editor):
    rows = company_rows(5)
    rows[1][0] = brn(1)[:-1] + str((int(brn(1)[-1]) + 1) % 10)  # wrong check digit
    rows[2][3] = "거대기업"  # not a size
    rows[3][1] = ""  # required name missing
    rows[3][2] = "99"  # no such region
    before = db_snapshot()
    # when
    upload(editor, "companies", "bad.csv", csv_bytes(COMPANY_HEADER, rows))
    job = latest_job()
    # then (spreadsheet lines: the header is line 1)
    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "사업자등록번호"),
        (4, "기업 규모"),
        (5, "기업명"),
        (5, "지역"),
    ]
    messages = [e["message"] for e in job.errors]
    assert "검증번호" in messages[0]
    assert "허용되지 않는 값입니다: '거대기업'" in messages[1]
    assert messages[2] == "필수 항목이 비어 있습니다."
    assert messages[3] == "'99'에 해당하는 지역을(를) 찾을 수 없습니다."
    assert db_snapshot() == before
    # and the report page lists them
    page = editor.get(reverse("staff:import-job", args=[job.pk])).content.decode()
    assert "오류 4건" in page
    assert "거대기업" in page


def test_bad_row_at_ninety_percent_refuses_the_whole_file(editor):
    program = f.ProgramFactory(slug="ai-factory")
    companies = [f.CompanyFactory(business_number=brn(i).replace("-", "")) for i in range(10)]
    header = ["사업자등록번호", "사업", "상태", "지원금(원)"]
    rows = [[brn(i), program.slug, "선정", "200,000,000"] for i in range(10)]
    rows[8][3] = "이억원"  # row 9 of 10
    before = db_snapshot()
    # when
    upload(editor, "participations", "late-error.csv", csv_bytes(header, rows))
    job = latest_job()
    # then
    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (
            10,
            "지원금(원)",
            "금액을 읽을 수 없습니다: '이억원' (예: 234억, 1조 2,000억, 5천만 원, 23,400,000,000)",
        )
    ]
    assert db_snapshot() == before
    assert len(companies) == 10


def test_failure_while_importing_rolls_everything_back(editor):
    """The data may change between the check and the confirm; the import is still all or
    nothing."""
    programs = [f.ProgramFactory(slug="ai-factory"), f.ProgramFactory(slug="late-program")]
    for i in range(10):
        f.CompanyFactory(business_number=brn(i).replace("-", ""))
    header = ["사업자등록번호", "사업", "상태"]
    rows = [[brn(i), "ai-factory", "선정"] for i in range(10)]
    rows[8][1] = "late-program"
    upload(editor, "participations", "p.csv", csv_bytes(header, rows))
    job = latest_job()
    assert job.status == ImportJob.Status.CHECKED
    programs[1].delete()  # someone removes the program of row 10 before the confirm
    before = db_snapshot()
    # when
    confirm(editor, job)
    job.refresh_from_db()
    # then
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(10, "사업")]
    assert db_snapshot() == before


# --- participations with outcomes, events with agenda items, observations -----------------


def test_participations_with_outcomes_import_once(editor):
    program = f.ProgramFactory(slug="ai-factory")
    company = f.CompanyFactory(business_number=brn(0).replace("-", ""))
    header = [
        "사업자등록번호",
        "사업",
        "상태",
        "지원금(원)",
        "성과 지표",
        "성과 방향",
        "기준값",
        "결과값",
    ]
    rows = [
        [brn(0), "ai-factory", "완료", "200000000", "불량률", "낮을수록 좋음", "5", "3"],
        [brn(0), "ai-factory", "완료", "200000000", "생산성", "높을수록 좋음", "100", "130"],
    ]
    data = csv_bytes(header, rows)
    # when imported twice
    for _ in range(2):
        upload(editor, "participations", "outcomes.csv", data)
        confirm(editor, latest_job())
    # then one participation with two outcomes
    participation = Participation.objects.get(company=company, program=program)
    assert (participation.status, participation.support_amount_krw) == ("completed", 200_000_000)
    outcomes = {o.metric: (o.baseline_value, o.result_value) for o in participation.outcomes.all()}
    assert {k: (str(a), str(b)) for k, (a, b) in outcomes.items()} == {
        "불량률": ("5.00", "3.00"),
        "생산성": ("100.00", "130.00"),
    }
    assert Outcome.objects.count() == 2
    assert latest_job().report["counts"]["unchanged"] == 2


def test_events_with_agenda_items_import_once(editor, own_region):
    header = [
        "행사명",
        "날짜",
        "시작 시각",
        "종류",
        "지역",
        "일정 순서",
        "일정 시작",
        "일정 종료",
        "일정 제목",
        "일정 종류",
    ]
    rows = [
        [
            "제조 AI 컨퍼런스",
            "2025.6.25",
            "14:00",
            "컨퍼런스",
            "경남",
            1,
            "14:00",
            "14:30",
            "개회사",
            "개회",
        ],
        [
            "제조 AI 컨퍼런스",
            "2025.6.25",
            "14:00",
            "컨퍼런스",
            "경남",
            2,
            "14:30",
            "15:10",
            "기조연설",
            "발표",
        ],
    ]
    data = xlsx_bytes(header, rows)
    # when imported twice
    for _ in range(2):
        upload(editor, "events", "agenda.xlsx", data)
        job = latest_job()
        assert job.status == ImportJob.Status.CHECKED, job.errors
        confirm(editor, job)
    # then
    event = Event.objects.get()
    assert (event.name, event.region, event.local_date.isoformat()) == (
        "제조 AI 컨퍼런스",
        own_region,
        "2025-06-25",
    )
    assert list(event.agenda_items.values_list("order", "title")) == [
        (1, "개회사"),
        (2, "기조연설"),
    ]


def test_observations_import_once(editor):
    series = f.StatisticSeriesFactory(slug="ai-usage")
    header = ["통계 계열", "구분 기준", "구분", "기간", "값"]
    rows = [
        ["ai-usage", "기업 규모", "소기업", "2024", "5.3"],
        ["ai-usage", "전체", "전체", 2024, 8.1],
    ]
    data = csv_bytes(header, rows)
    for _ in range(2):
        upload(editor, "observations", "stats.csv", data)
        confirm(editor, latest_job())
    # then
    assert sorted(series.observations.values_list("segment", "period")) == [
        ("소기업", "2024"),
        ("전체", "2024"),
    ]


# --- region scope and permissions -----------------------------------------------------------


def test_regional_editor_cannot_import_rows_of_another_region(client, regional_editor):
    client.force_login(regional_editor)
    rows = company_rows(2)
    rows[1][2] = "26"  # 부산
    # when
    upload(client, "companies", "mixed.csv", csv_bytes(COMPANY_HEADER, rows))
    job = latest_job()
    # then
    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (3, "지역", "담당 지역이 아닌 기록은 가져올 수 없습니다.")
    ]
    assert Company.objects.count() == 0


def test_viewer_cannot_open_the_import_page(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("staff:import-upload", args=["companies"]))
    assert response.status_code == 403


def test_someone_elses_job_is_not_shown(client, regional_editor, ministry_editor):
    client.force_login(ministry_editor)
    upload(client, "companies", "a.csv", csv_bytes(COMPANY_HEADER, company_rows(1)))
    job = latest_job()
    client.force_login(regional_editor)
    assert client.get(reverse("staff:import-job", args=[job.pk])).status_code == 404
    assert confirm(client, job).status_code == 404


# --- large files: background job with progress ----------------------------------------------


def test_large_files_run_in_the_background_by_default():
    assert imports.background_threshold() == 5000


def test_large_file_answers_at_once_and_runs_as_a_background_job(
    editor, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_IMPORT_BACKGROUND_ROWS = 3
    data = csv_bytes(COMPANY_HEADER, company_rows(5))
    # when uploaded: the job is queued after the commit, the answer comes at once
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(editor, "companies", "big.csv", data)
    job = latest_job()
    page = editor.get(response.url).content.decode()
    status = editor.get(reverse("staff:import-job-status", args=[job.pk])).json()
    # then
    assert response.status_code == 302
    assert (job.status, job.background, job.total, len(callbacks)) == ("queued", True, 5, 1)
    assert 'id="import-progress-bar"' in page
    assert "staff/import-progress.js" in page
    assert (status["running"], status["progress"], status["total"]) == (True, 0, 5)
    # when the worker runs it
    callbacks[0]()
    job.refresh_from_db()
    # then the report is there; confirming queues the import the same way
    assert job.status == ImportJob.Status.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        confirm(editor, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Company.objects.count() == 5


def test_status_endpoint_reports_progress_while_running(editor, ministry_editor):
    job = ImportJob.objects.create(
        kind="companies",
        original_name="big.csv",
        user=ministry_editor,
        total=8000,
        status=ImportJob.Status.IMPORTING,
        background=True,
    )
    cache.set(imports.progress_key(job.pk), 2000)
    # when
    status = editor.get(reverse("staff:import-job-status", args=[job.pk])).json()
    # then
    assert (status["progress"], status["total"], status["percent"], status["running"]) == (
        2000,
        8000,
        25,
        True,
    )


def test_progress_is_reported_at_least_every_two_seconds(monkeypatch):
    # given a clock that moves 0.6 s per row
    ticks = iter(x * 0.6 for x in range(1, 100))
    monkeypatch.setattr("core.resources.time.monotonic", lambda: next(ticks))
    reported = []
    resource = StaffImportResource(progress=reported.append)
    # when ten rows are read
    for number in range(1, 11):
        resource.before_import_row({}, row_number=number)
    # then a report every row (0.6 s apart): never more than 2 s without one
    assert reported == list(range(0, 10))


def test_uploaded_file_is_kept_outside_media_and_served_by_no_url(editor, settings):
    # when a spreadsheet is uploaded
    upload(editor, "companies", "secret.csv", csv_bytes(COMPANY_HEADER, company_rows(1), "utf-8"))
    job = latest_job()
    try:
        # then it lies in the private folder, not under MEDIA_ROOT, and /media/ does not serve it
        path = Path(job.file.path)
        assert path.is_file()
        assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
        assert editor.get(f"/media/{job.file.name}").status_code == 404
    finally:
        job.file.delete(save=False)
