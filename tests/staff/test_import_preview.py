"""The import dry run lists every row before anything is written — new, changed (each field
old → new), unchanged, refused (the bad value and the record's name) — on CP949 CSV and XLSX
files; a blank cell keeps the stored value, the clear marker empties it; common synonyms of
choices are accepted, others answered with the allowed values."""

import pytest
from django.urls import reverse

from companies.models import Company
from core.models import Region
from core.resources import CLEAR_MARKER
from programs.models import Outcome, Participation
from staff.models import ImportJob
from tests import factories as f
from tests.staff.test_imports import (
    brn,
    confirm,
    csv_bytes,
    db_snapshot,
    latest_job,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HEADER = ["사업자등록번호", "기업명", "지역", "기업 규모", "표준산업분류 코드", "대표자"]


@pytest.fixture
def editor(client, ministry_editor):
    client.force_login(ministry_editor)
    return client


@pytest.fixture
def stored():
    """Two companies already in the database."""
    return [
        f.CompanyFactory(
            business_number=brn(0).replace("-", ""),
            name="한빛정밀",
            region=Region.objects.get(code="48"),
            size="small",
            ksic_code="J62",
            ceo_name="옛 대표",
        ),
        f.CompanyFactory(
            business_number=brn(1).replace("-", ""),
            name="동남기계",
            region=Region.objects.get(code="48"),
            size="medium",
            ksic_code="C29",
            ceo_name="박대표",
        ),
    ]


def rows_of_the_file():
    return [
        # line 2: a changed CEO, a blank KSIC cell (keeps J62)
        [brn(0), "한빛정밀", "48", "소기업", "", "새 대표"],
        # line 3: the same values as stored
        [brn(1), "동남기계", "48", "중기업", "C29", "박대표"],
        # line 4: a new company, size given by a synonym
        [brn(2), "새솔테크", "경남", "소공인", "C26", "이대표"],
        # line 5: a size that is no choice
        [brn(3), "거대산업", "48", "거대기업", "", "최대표"],
    ]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("excel.csv", lambda rows: csv_bytes(HEADER, rows, "cp949")),
        ("excel.xlsx", lambda rows: xlsx_bytes(HEADER, rows)),
    ],
    ids=["cp949-csv", "xlsx"],
)
def test_dry_run_lists_every_row_before_anything_is_written(editor, stored, name, make):
    before = db_snapshot()
    # when
    upload(editor, "companies", name, make(rows_of_the_file()))
    job = latest_job()
    # then: nothing written ...
    assert db_snapshot() == before
    assert job.status == ImportJob.Status.REFUSED  # line 5 is refused, so the file is
    rows = {row["row"]: row for row in job.report["rows"]}
    assert sorted(rows) == [2, 3, 4, 5]
    # ... a changed row, field by field; the blank KSIC cell changes nothing
    assert rows[2] == {
        "row": 2,
        "status": "changed",
        "name": str(stored[0]),
        "changes": [["대표자", "옛 대표", "새 대표"]],
    }
    assert rows[3] == {"row": 3, "status": "unchanged", "name": str(stored[1]), "changes": []}
    # ... a new row with what it sets (the synonym read as 소상공인)
    assert rows[4]["status"] == "new"
    assert rows[4]["name"] == "새솔테크"
    assert ["기업 규모", "", "소상공인"] in rows[4]["changes"]
    assert ["지역", "", "경남"] in rows[4]["changes"]
    # ... a refused row: its record's name, the bad value and the allowed values
    assert rows[5] == {"row": 5, "status": "error", "name": "거대산업", "changes": []}
    (error,) = job.errors
    assert (error["row"], error["column"], error["value"], error["record"]) == (
        5,
        "기업 규모",
        "거대기업",
        "거대산업",
    )
    assert error["message"] == (
        "허용되지 않는 값입니다: '거대기업' (가능한 값: 소상공인, 소기업, 중기업, 중견기업, 대기업)"
    )


def test_the_job_page_shows_the_preview_with_filters(editor, stored):
    rows = rows_of_the_file()[:3]
    upload(editor, "companies", "ok.csv", csv_bytes(HEADER, rows, "cp949"))
    job = latest_job()
    assert job.status == ImportJob.Status.CHECKED
    # when
    page = editor.get(reverse("staff:import-job", args=[job.pk])).content.decode()
    changed_only = editor.get(reverse("staff:import-job", args=[job.pk]) + "?show=changed")
    # then
    assert "가져오면 바뀌는 것 — 행마다" in page
    assert "대표자: 옛 대표 → 새 대표" in page
    assert "전체 3" in page and "새 기록 1" in page and "바뀌는 기록 1" in page
    assert "바뀌지 않는 기록 1" in page
    shown = changed_only.context["preview"]["rows"]
    assert [row["row"] for row in shown] == [2]


def test_blank_cells_keep_stored_values_and_the_clear_marker_empties_them(editor, stored):
    rows = [
        [brn(0), "한빛정밀", "", "", "", ""],  # every optional cell blank
        [brn(1), "동남기계", "48", "중기업", CLEAR_MARKER, CLEAR_MARKER],
    ]
    # when
    upload(editor, "companies", "blank.csv", csv_bytes(HEADER, rows, "cp949"))
    job = latest_job()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    preview = {row["row"]: row for row in job.report["rows"]}
    confirm(editor, job)
    # then: the blank row changed nothing, the marked cells are empty
    first, second = (Company.objects.get(pk=c.pk) for c in stored)
    assert (first.region.code, first.size, first.ksic_code, first.ceo_name, first.version) == (
        "48",
        "small",
        "J62",
        "옛 대표",
        1,
    )
    assert (second.ksic_code, second.ceo_name) == ("", "")
    assert preview[2]["status"] == "unchanged"
    assert preview[3]["changes"] == [
        ["표준산업분류 코드", "C29", "(없음)"],
        ["대표자", "박대표", "(없음)"],
    ]


def test_the_clear_marker_on_a_required_column_is_refused(editor, stored):
    rows = [[brn(0), CLEAR_MARKER, "48", "소기업", "J62", "옛 대표"]]
    upload(editor, "companies", "clear-name.csv", csv_bytes(HEADER, rows))
    job = latest_job()
    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "기업명")]
    assert Company.objects.get(pk=stored[0].pk).name == "한빛정밀"


@pytest.mark.parametrize(
    ("typed", "stored_as"),
    [
        ("선정됨", "selected"),
        ("진행중", "in_progress"),
        ("수행 중", "in_progress"),
        ("완료", "completed"),
        ("중도포기", "dropped"),
        ("SELECTED", "selected"),
    ],
)
def test_common_synonyms_of_a_status_are_accepted(editor, typed, stored_as):
    f.ProgramFactory(slug="ai-factory")
    f.CompanyFactory(business_number=brn(0).replace("-", ""))
    data = csv_bytes(["사업자등록번호", "사업", "상태"], [[brn(0), "ai-factory", typed]])
    upload(editor, "participations", "p.csv", data)
    confirm(editor, latest_job())
    assert Participation.objects.get().status == stored_as


def test_an_unknown_choice_is_answered_with_the_allowed_values(editor):
    f.ProgramFactory(slug="ai-factory")
    f.CompanyFactory(business_number=brn(0).replace("-", ""))
    data = csv_bytes(["사업자등록번호", "사업", "상태"], [[brn(0), "ai-factory", "보류"]])
    upload(editor, "participations", "p.csv", data)
    assert latest_job().errors[0]["message"] == (
        "허용되지 않는 값입니다: '보류' (가능한 값: 신청, 선정, 수행 중, 완료, 중도 포기)"
    )


def test_outcome_changes_and_amounts_in_the_preview(editor):
    program = f.ProgramFactory(slug="ai-factory")
    company = f.CompanyFactory(business_number=brn(0).replace("-", ""))
    participation = f.ParticipationFactory(
        company=company, program=program, status="selected", support_amount_krw=100_000_000
    )
    f.OutcomeFactory(
        participation=participation, company=company, metric="불량률", result_value=5, unit="%"
    )
    header = ["사업자등록번호", "사업", "상태", "지원금(원)", "성과 지표", "결과값", "성과 단위"]
    rows = [[brn(0), "ai-factory", "완료", "200,000,000", "불량률", "3", ""]]
    # when
    upload(editor, "participations", "p.csv", csv_bytes(header, rows, "cp949"))
    (row,) = latest_job().report["rows"]
    # then: the participation's and its outcome's changes, amounts with their 억 reading;
    # the blank 성과 단위 keeps "%"
    assert row["status"] == "changed"
    assert ["상태", "선정", "완료"] in row["changes"]
    assert ["지원금(원)", "100,000,000원 (1억 원)", "200,000,000원 (2억 원)"] in row["changes"]
    assert ["성과(불량률) · 결과값", "5.00", "3"] in row["changes"]
    assert not any("단위" in change[0] for change in row["changes"])
    confirm(editor, latest_job())
    assert Outcome.objects.get().unit == "%"


@pytest.mark.parametrize(
    ("typed", "krw"),
    [
        ("234억", 23_400_000_000),
        ("1조 2,000억", 1_200_000_000_000),
        ("5천만 원", 50_000_000),
        ("200,000,000원", 200_000_000),
        ("23400000000", 23_400_000_000),
    ],
)
def test_money_cells_are_read_by_the_one_amount_parser(editor, typed, krw):
    f.ProgramFactory(slug="ai-factory")
    f.CompanyFactory(business_number=brn(0).replace("-", ""))
    data = csv_bytes(
        ["사업자등록번호", "사업", "상태", "지원금(원)"], [[brn(0), "ai-factory", "선정", typed]]
    )
    upload(editor, "participations", "p.csv", data)
    confirm(editor, latest_job())
    assert Participation.objects.get().support_amount_krw == krw


def test_money_written_as_an_excel_number_cell(editor):
    f.ProgramFactory(slug="ai-factory")
    f.CompanyFactory(business_number=brn(0).replace("-", ""))
    header = ["사업자등록번호", "사업", "상태", "지원금(원)", "자부담(원)"]
    data = xlsx_bytes(header, [[brn(0), "ai-factory", "선정", 200000000, "2천만"]])
    upload(editor, "participations", "p.xlsx", data)
    confirm(editor, latest_job())
    stored = Participation.objects.get()
    assert (stored.support_amount_krw, stored.self_funding_krw) == (200_000_000, 20_000_000)
