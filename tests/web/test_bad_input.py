"""Whatever a link puts in the filters of the public lists, the page answers 200, never 500.

An unusable filter value is dropped (the other filters still apply) and a notice names it.
"""

import pytest
from django.urls import reverse

from events.models import Event
from programs.models import Program

from .test_filters import event_slugs, program_slugs

ALL_MAIN_EVENTS = [
    "2026-ai-plus-policy-council",
    "2026-kbiz-ax-policy-debate",
    "2025-regional-ai-vision-ceremony",
    "2025-smart-manufacturing-roundtable",
]
NOTICE = "다음 조건은 알아볼 수 없어 빼고 보여 줍니다."
WORDS_1000 = "+".join(["인공지능"] * 1000)

# (URL name, raw query string): values a person, a crawler or a broken link may send.
FUZZ = [
    *(
        ("program-list", query)
        for query in [
            "status=bogus",
            "status=",
            "status=%00",
            "kind=" + "x" * 5000,
            "kind=law&kind=%ff%fe",
            "region=99",
            "region=%00",
            "region=48%27%20OR%201=1--",
            "year=abc",
            "year=-1",
            "year=0",
            "year=99999999999999999999999",
            "year=2024.5",
            "q=%00",
            "q=%ff%fe%fd",
            "q=%25_%5C",
            "q=" + WORDS_1000,
            "page=abc",
            "page=-1",
            "page=0",
            "page=99999",
            "page=1e9",
            "page=%00",
        ]
    ),
    *(
        ("event-list", query)
        for query in [
            "kind=bogus",
            "kind=%00",
            "region=00",
            "region=%ff",
            "month=0000-01",
            "month=9999-12",
            "month=0001-01",
            "month=2026-13",
            "month=2026-00",
            "month=2026-7",
            "month=%00",
            "month=20260-01",
            "month=-2026-01",
            "page=abc",
            "page=-1",
            "page=99999",
            "page=1e9",
        ]
    ),
    *(
        ("search", query)
        for query in [
            "q=" + WORDS_1000,
            "q=%00",
            "q=%00AI%00",
            "q=%ff%fe",
            "q=%25",
            "q=_",
            "q=%5C",
            "q=" + "a" * 5000,
            "q=AI&page=abc",
            "q=AI&page=-1",
            "q=AI&page=99999",
        ]
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("name", "query"), FUZZ, ids=lambda v: v[:40])
def test_no_filter_value_breaks_a_public_list(client, demo, name, query, htmx):
    # given the demo data and the counts before
    before = (Program.objects.count(), Event.objects.count())
    headers = {"HX-Request": "true"} if htmx else {}
    # when the list is requested with the odd value
    response = client.get(f"{reverse(name)}?{query}", headers=headers)
    # then it answers with a page, and nothing changed; a NUL is refused (400, with a Korean
    # page) before any view by the one guard of every URL (config/middleware.py)
    assert response.status_code == (400 if "%00" in query else 200)
    assert (Program.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "0001-01", "1899-12", "3000-01"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_month_out_of_range_is_ignored_with_a_notice(client, demo, month, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    # when the event list is asked for a month no calendar can hold
    response = client.get(reverse("event-list"), {"month": month}, headers=headers)
    # then the unfiltered list answers, with a notice that says why
    assert response.status_code == 200
    html = response.content.decode()
    assert event_slugs(response) == ALL_MAIN_EVENTS
    assert NOTICE in html
    assert "<strong>월</strong>: 1900년부터 2999년 사이의 월을 골라 주세요." in html


def test_a_bad_month_drops_only_itself(client, demo):
    # when a region filter comes with an impossible month
    response = client.get(reverse("event-list"), {"region": "11", "month": "9999-12"})
    # then the region filter still applies
    assert event_slugs(response) == [
        "2026-kbiz-ax-policy-debate",
        "2025-smart-manufacturing-roundtable",
    ]
    assert NOTICE in response.content.decode()


def test_a_malformed_month_says_how_to_write_it(client, demo):
    response = client.get(reverse("event-list"), {"month": "2026-7"})
    html = response.content.decode()
    assert "<strong>월</strong>: 2025-11처럼 연도 네 자리와 월 두 자리로 적어 주세요." in html
    assert event_slugs(response) == ALL_MAIN_EVENTS


@pytest.mark.parametrize("month", ["1900-01", "2999-12"])
def test_the_first_and_last_months_accepted_filter_without_a_notice(client, demo, month):
    # December of the last year: the end of the month lies in the following year
    response = client.get(reverse("event-list"), {"month": month})
    assert response.status_code == 200
    assert event_slugs(response) == []
    assert NOTICE not in response.content.decode()


def test_a_valid_filter_shows_no_notice(client, demo):
    response = client.get(reverse("event-list"), {"month": "2026-07"})
    assert event_slugs(response) == ["2026-ai-plus-policy-council"]
    assert NOTICE not in response.content.decode()


def test_a_bad_choice_is_named_without_repeating_what_was_sent(client, demo):
    # when the program list gets an unknown status next to a good region
    response = client.get(
        reverse("program-list"), {"status": "<b>call-us</b>", "region": "48"}, HTTP_HX_REQUEST="1"
    )
    html = response.content.decode()
    # then the region still filters, the notice names the status, the value is not echoed
    # (경남: the flagship it takes part in and its three linked programs, by name)
    assert program_slugs(response) == [
        "ai-factory",
        "ax-demonstration-complex",
        "manufacturing-ai-convergence-base",
        "region-led-ai-transformation",
    ]
    assert NOTICE in html
    assert "<strong>상태</strong>: 목록에 있는 값을 골라 주세요." in html
    assert "call-us" not in html


def test_the_notice_is_in_english_on_english_pages(client, demo):
    response = client.get("/en" + reverse("event-list"), {"month": "0000-01"})
    html = response.content.decode()
    assert "These filters could not be read and were left out:" in html
    assert "<strong>Month</strong>: Choose a month between 1900 and 2999." in html


def test_search_refuses_nul_characters_before_any_query(client, demo):
    # NUL cannot reach PostgreSQL: the guard of every URL answers 400 (config/middleware.py)
    response = client.get(reverse("search") + "?q=%00%ED%8C%81%EC%8A%A4%00")  # "\0팁스\0"
    assert response.status_code == 400
    assert "요청에 쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다." in response.content.decode()
