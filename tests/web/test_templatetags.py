"""Formatting filters and the server-side map, including its fallback without node packages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.templatetags import korea_map, public
from events.models import SEOUL
from tests.factories import EventFactory, ProgramFactory, SourceFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("-42.3"), "−42.3%"), (Decimal("20.8"), "+20.8%"), (Decimal("0"), "0%"), (None, "")],
)
def test_signed_pct_uses_a_typographic_minus(value, expected):
    assert public.signed_pct(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("25.00"), "25"), (Decimal("12.50"), "12.5"), (Decimal("-5"), "−5"), (1278, "1,278")],
)
def test_num_trims_zeros_and_groups_thousands(value, expected):
    assert public.num(value) == expected


def test_krw_follows_the_active_language():
    with translation.override("ko"):
        assert public.krw(35_000_000_000) == "350억 원"
    with translation.override("en"):
        assert public.krw(35_000_000_000) == "KRW 35 billion"


def test_tr_falls_back_to_korean_marked_as_korean():
    program = ProgramFactory.build(name="사업", name_en="", summary="요약", summary_en="Summary")
    with translation.override("en"):
        assert public.tr(program, "name") == '<span lang="ko">사업</span>'
        assert public.tr_text(program, "name") == "사업"  # plain, for the head and attributes
        assert public.tr(program, "summary") == "Summary"
    with translation.override("ko"):
        assert public.tr(program, "summary") == "요약"
        assert public.tr(program, "name") == "사업"


def test_tr_escapes_and_marks_only_hangul():
    program = ProgramFactory.build(name="<b>사업</b>", name_en="", short_name="TIPS", summary="")
    with translation.override("en"):
        assert public.tr(program, "name") == '<span lang="ko">&lt;b&gt;사업&lt;/b&gt;</span>'
        assert public.tr(program, "short_name") == "TIPS"  # no Hangul: nothing to mark
        assert public.tr(program, "summary") == ""


def test_tr_paragraphs_wraps_korean_paragraphs_in_a_korean_block():
    program = ProgramFactory.build(description="첫 문단\n\n둘째 문단", description_en="")
    with translation.override("en"):
        assert public.tr_paragraphs(program, "description") == (
            '<div lang="ko"><p>첫 문단</p>\n\n<p>둘째 문단</p></div>'
        )
    program.description_en = "One"
    with translation.override("en"):
        assert public.tr_paragraphs(program, "description") == "<p>One</p>"


def test_ko_marks_texts_kept_in_korean_on_english_pages_only():
    with translation.override("en"):
        assert public.ko("뉴스스텝") == '<span lang="ko">뉴스스텝</span>'
        assert public.ko("Yonhap") == "Yonhap"
    with translation.override("ko"):
        assert public.ko("뉴스스텝") == "뉴스스텝"


def test_program_period_writes_years_when_only_years_are_known():
    whole_years = ProgramFactory.build(
        planned_start=datetime.date(2025, 1, 1), planned_end=datetime.date(2028, 12, 31)
    )
    noted = ProgramFactory.build(
        planned_start=datetime.date(2025, 1, 1), planned_end=None, date_note="시작일 미상"
    )
    dated = ProgramFactory.build(
        planned_start=datetime.date(2025, 3, 14), planned_end=datetime.date(2025, 9, 30)
    )
    with translation.override("ko"):
        assert public.program_period(whole_years) == "2025 – 2028"
        assert public.program_period(noted) == "2025 –"
        assert public.program_period(dated) == "2025년 3월 14일 – 2025년 9월 30일"
    with translation.override("en"):
        assert public.program_period(dated) == "March 14, 2025 – Sept. 30, 2025"


def test_local_when_writes_date_only_when_the_time_is_unknown():
    known = EventFactory.build(
        starts_at=datetime.datetime(2026, 7, 1, 14, tzinfo=SEOUL),
        ends_at=datetime.datetime(2026, 7, 1, 16, tzinfo=SEOUL),
    )
    unknown = EventFactory.build(
        starts_at=datetime.datetime(2025, 11, 19, tzinfo=SEOUL), ends_at=None, time_is_known=False
    )
    with translation.override("ko"):
        assert public.local_when(known) == "2026년 7월 1일 (수) 14:00–16:00"
        assert public.local_when(unknown) == "2025년 11월 19일 (수)"
    with translation.override("en"):
        assert public.local_when(unknown) == "Wed, Nov. 19, 2025"


def test_source_date_is_only_as_precise_as_known():
    when = datetime.datetime(2025, 11, 1, tzinfo=SEOUL)
    with translation.override("ko"):
        assert (
            public.source_date(SourceFactory.build(published_at=when, published_precision="month"))
            == "2025년 11월"
        )
        assert (
            public.source_date(SourceFactory.build(published_at=when, published_precision="day"))
            == "2025년 11월 1일"
        )
        assert (
            public.source_date(
                SourceFactory.build(published_at=None, published_precision="unknown")
            )
            == "발행일 미상"
        )


def test_map_data_comes_from_the_installed_package():
    data = korea_map.map_data()
    assert data is not None
    assert data["package"] == "@svg-maps/south-korea"
    assert data["license"] == "CC-BY-4.0"
    assert sorted(loc["code"] for loc in data["locations"]) == sorted(
        korea_map.REGION_CODES.values()
    )
    assert len(data["locations"]) == 17
    # labels sit inside the picture
    width, height = (float(v) for v in data["view_box"].split()[2:])
    assert all(0 < loc["x"] < width and 0 < loc["y"] < height for loc in data["locations"])


def test_without_node_packages_the_map_falls_back_to_the_region_list(
    client, demo, settings, tmp_path
):
    # given no node_modules (node is not installed on the machine)
    settings.NODE_MODULES_DIR = tmp_path
    # when
    response = client.get(reverse("program-detail", args=["region-led-ai-transformation"]))
    html = response.content.decode()
    # then the page still renders, listing the regions instead of drawing them
    assert response.status_code == 200
    assert "<svg viewBox" not in html
    assert "지역을 목록으로만 표시합니다" in html
    for region in ("경상남도", "대구광역시", "울산광역시", "전라남도", "제주특별자치도"):
        assert region in html
