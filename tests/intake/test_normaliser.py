"""The normaliser pinned on the forms press releases use (amounts, %, counts, dates, regions)."""

import datetime as dt

import pytest

from core.amounts import find_krw
from intake.values import find_values

PUB = dt.date(2026, 7, 1)  # a Wednesday
NEWS = dt.date(2025, 4, 9)

# (text, publication date, the values found as (kind, value[, unit]))
FORMS = [
    # amounts: 원, 만원, 억, 조 and mixed forms, to integer KRW
    ("350억 원", PUB, [("amount", 35_000_000_000)]),
    ("350억원", PUB, [("amount", 35_000_000_000)]),
    ("1조 2,000억원", PUB, [("amount", 1_200_000_000_000)]),
    ("1조 2,000억 원 규모", PUB, [("amount", 1_200_000_000_000)]),
    ("5천만 원", PUB, [("amount", 50_000_000)]),
    ("12억 3,400만 원", PUB, [("amount", 1_234_000_000)]),
    ("3,000만원", PUB, [("amount", 30_000_000)]),
    ("총 234억 투입", PUB, [("amount", 23_400_000_000)]),
    ("₩1,000,000", PUB, [("amount", 1_000_000)]),
    ("7억 5,000만 원을", PUB, [("amount", 750_000_000)]),
    ("약 7000만달러(약 1050억원)", PUB, [("amount", 105_000_000_000)]),
    ("350억 달러", PUB, []),
    ("국비 100억, 지방비 50억 원", PUB, [("amount", 10_000_000_000), ("amount", 5_000_000_000)]),
    ("기업당 최대 2억 원까지", PUB, [("amount", 200_000_000)]),
    # percentages and percentage points
    ("12% 증가", PUB, [("percent", 12)]),
    ("8.7%에 그쳐", PUB, [("percent", 8.7)]),
    ("1.2%p 상승", PUB, [("percent_point", 1.2)]),
    ("3.5%포인트", PUB, [("percent_point", 3.5)]),
    ("35퍼센트", PUB, [("percent", 35)]),
    # counts with their unit
    ("300개사", PUB, [("count", 300, "개사")]),
    ("20여 명이 참석", PUB, [("count", 20, "명")]),
    ("20명 내외", PUB, [("count", 20, "명")]),
    ("거점 5곳", PUB, [("count", 5, "곳")]),
    ("GPU 서버 12기", PUB, [("count", 12, "기")]),
    ("2,000개사를 대상으로", PUB, [("count", 2000, "개사")]),
    ("1만 2천명", PUB, [("count", 12000, "명")]),
    ("3만 명", PUB, [("count", 30000, "명")]),
    ("두 곳으로", PUB, [("count", 2, "곳")]),
    ("기업 15개사를", PUB, [("count", 15, "개사")]),
    ("40여 명이", PUB, [("count", 40, "명")]),
    # absolute dates with precision
    ("2025-04-09", PUB, [("date", "2025-04-09")]),
    ("2026. 2. 9.", PUB, [("date", "2026-02-09")]),
    ("2025년 4월 9일", PUB, [("date", "2025-04-09")]),
    ("2025년 4월", PUB, [("date", "2025-04")]),
    ("2027년까지", PUB, [("date", "2027")]),
    ("2025-04-09 16:05:26", PUB, [("datetime", "2025-04-09T16:05:00+09:00")]),
    # partial dates, against the publication date
    ("7월 1일", PUB, [("date", "2026-07-01")]),
    ("7. 1.(수)", PUB, [("date", "2026-07-01")]),
    ("7. 1 (수)", PUB, [("date", "2026-07-01")]),
    ("19일", PUB, [("date", "2026-07-19")]),
    ("9일 서울에서", NEWS, [("date", "2025-04-09"), ("region", "11")]),
    ("4월 하순에는", NEWS, [("date", "2025-04")]),
    ("(26.3월~)", PUB, [("date", "2026-03")]),
    ("‘26년 3월", PUB, [("date", "2026-03")]),
    ("1. 5.(월)", dt.date(2025, 12, 20), [("date", "2026-01-05")]),
    # relative dates
    ("지난 19일", PUB, [("date", "2026-06-19")]),
    ("지난 30일", dt.date(2026, 3, 2), [("date", "2026-01-30")]),
    ("오는 8일", PUB, [("date", "2026-07-08")]),
    ("내달 8일", PUB, [("date", "2026-08-08")]),
    ("다음 달 8일", dt.date(2026, 12, 3), [("date", "2027-01-08")]),
    ("지난달 5일", PUB, [("date", "2026-06-05")]),
    ("작년 10월 2일", NEWS, [("date", "2024-10-02")]),
    ("지난해", PUB, [("date", "2025")]),
    ("올해 3월", PUB, [("date", "2026-03")]),
    ("내년", PUB, [("date", "2027")]),
    ("지난 3월 5일", PUB, [("date", "2026-03-05")]),
    ("지난 9월 5일", PUB, [("date", "2025-09-05")]),
    # ranges and times
    ("‘25.~’28.", PUB, [("range", {"start": "2025", "end": "2028"})]),
    ("2025~2028년", PUB, [("range", {"start": "2025", "end": "2028"})]),
    (
        "7. 1.(수) 14:00~16:00",
        PUB,
        [("range", {"start": "2026-07-01T14:00:00+09:00", "end": "2026-07-01T16:00:00+09:00"})],
    ),
    (
        "7. 1 (수), 14:00~16:00, 회의실",
        PUB,
        [("range", {"start": "2026-07-01T14:00:00+09:00", "end": "2026-07-01T16:00:00+09:00"})],
    ),
    ("< 7. 1.(수) 12:00 >", PUB, [("datetime", "2026-07-01T12:00:00+09:00")]),
    ("9일 오후 2시", NEWS, [("datetime", "2025-04-09T14:00:00+09:00")]),
    ("2026. 2. 9.~2. 27.", PUB, [("range", {"start": "2026-02-09", "end": "2026-02-27"})]),
    # regions by their names and short forms
    ("경남", PUB, [("region", "48")]),
    ("경상남도는", PUB, [("region", "48")]),
    ("경남도와", PUB, [("region", "48")]),
    ("부산시", PUB, [("region", "26")]),
    ("강원도", PUB, [("region", "51")]),
    ("전라북도", PUB, [("region", "52")]),
    ("충북 청주", PUB, [("region", "43"), ("region", "43")]),
    ("경기대학교", PUB, []),
    ("AI 대전환", PUB, []),
    ("서울스퀘어", PUB, []),
    # without a publication date a relative date keeps its precision but no value
    ("지난 19일", None, [("date", None)]),
]


def _shape(value):
    if value.kind == "count":
        return (value.kind, value.value, value.unit)
    return (value.kind, value.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "published", "expected"), FORMS, ids=[f[0] for f in FORMS])
def test_normaliser_reads_the_form(text, published, expected):
    assert [_shape(v) for v in find_values(text, published)] == expected


def test_the_table_pins_at_least_sixty_forms():
    assert len(FORMS) >= 60


@pytest.mark.django_db
def test_precision_is_kept():
    values = find_values("2025년 4월, 2025년, 2025년 4월 9일, 9일 14:00", dt.date(2025, 4, 9))
    assert [(v.value, v.precision) for v in values] == [
        ("2025-04", "month"),
        ("2025", "year"),
        ("2025-04-09", "day"),
        ("2025-04-09T14:00:00+09:00", "minute"),
    ]


@pytest.mark.django_db
def test_values_keep_their_offsets_and_approximation():
    text = "모두 20여 명이 참석했다"
    (value,) = find_values(text, PUB)
    assert (value.start, value.end, text[value.start : value.end], value.approximate) == (
        3,
        8,
        "20여 명",
        True,
    )


def test_find_krw_notes_the_other_currency_and_covers_both():
    (mention,) = find_krw("해외 기업과 약 7000만달러(약 1050억원) 규모 협약")
    assert (mention.krw, mention.text, mention.other_currency, mention.approximate) == (
        105_000_000_000,
        "약 7000만달러(약 1050억원)",
        "약 7000만달러",
        True,
    )


def test_find_krw_uses_parse_krw_for_every_match():
    assert [(m.text, m.krw) for m in find_krw("국비 1조 2,000억원과 5천만 원")] == [
        ("1조 2,000억원", 1_200_000_000_000),
        ("5천만 원", 50_000_000),
    ]
