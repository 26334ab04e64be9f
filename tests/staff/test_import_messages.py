"""Import report messages: Korean column names only, clear reasons, CSV line numbers."""

import pytest

from events.models import Event
from events.resources import EventResource
from tests.staff.test_imports import csv_bytes, latest_job, upload

pytestmark = pytest.mark.django_db

EVENT_HEADER = ["행사명", "날짜", "시작 시각", "종류", "지역"]


@pytest.fixture
def editor(client, ministry_editor):
    client.force_login(ministry_editor)
    return client


def test_a_model_field_without_its_own_column_is_reported_under_a_korean_column():
    resource = EventResource()
    assert resource.column_for("starts_at") == "날짜"
    assert resource.column_for("ends_at") == "종료 시각"
    assert resource.column_for("parent") == "본 행사"


@pytest.mark.parametrize(
    "date, message",
    [
        (
            "9999-12-31",
            "날짜가 허용 범위(1800~2200년)를 벗어났습니다: '9999-12-31'. 연도를 확인해 주세요.",
        ),
        ("2025-13-01", "날짜가 아닙니다: '2025-13-01' (예: 2025-03-14)"),
    ],
)
def test_a_bad_date_gives_one_korean_reason_under_its_column(editor, date, message):
    data = csv_bytes(EVENT_HEADER, [["AI 컨퍼런스", date, "14:00", "컨퍼런스", "경남"]])
    # when
    upload(editor, "events", "events.csv", data)
    # then
    assert latest_job().errors == [
        {
            "row": 2,
            "column": "날짜",
            "message": message,
            "value": date,
            "record": f"AI 컨퍼런스 · {date}",
        }
    ]
    assert Event.objects.count() == 0


def test_an_unclosed_quote_is_refused_with_its_line(editor):
    data = (
        "행사명,날짜,시작 시각,종류,지역\n"
        "AI 컨퍼런스,2025-06-25,14:00,컨퍼런스,경남\n"
        '"AI 세미나,2025-06-26,14:00,세미나,경남\n'
        "AI 포럼,2025-06-27,14:00,포럼,경남\n"
    ).encode()
    # when
    upload(editor, "events", "events.csv", data)
    # then
    assert latest_job().errors == [
        {
            "row": None,
            "column": "",
            "message": "CSV 파일의 형식을 읽을 수 없습니다: 3번째 줄에서 시작하는 행의 "
            '따옴표(")가 닫히지 않았거나 잘못 쓰였습니다.',
        }
    ]
    assert Event.objects.count() == 0


def test_a_row_with_more_cells_than_columns_is_refused_with_its_line(editor):
    data = (
        "행사명,날짜,시작 시각,종류,지역\n"
        "AI 컨퍼런스,2025-06-25,14:00,컨퍼런스,경남\n"
        "AI 세미나,2025-06-26,14:00,세미나,경남,덤\n"
    ).encode()
    # when
    upload(editor, "events", "events.csv", data)
    # then
    assert latest_job().errors[0]["message"] == (
        "CSV 파일의 3번째 줄에 칸이 6개 있습니다. 첫 줄의 열 수(5개)보다 많습니다."
    )


def test_a_quoted_cell_over_two_lines_keeps_the_next_rows_line_numbers(editor):
    data = (
        "행사명,날짜,시작 시각,종류,지역\n"
        '"AI 컨퍼런스\n2부",2025-06-25,14:00,컨퍼런스,경남\n'
        "AI 세미나,2025-13-01,14:00,토론회,경남\n"
    ).encode()
    # when
    upload(editor, "events", "events.csv", data)
    # then: the bad row starts on line 4 of the file
    assert [(e["row"], e["column"]) for e in latest_job().errors] == [(4, "날짜")]
