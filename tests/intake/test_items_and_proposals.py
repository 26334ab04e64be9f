"""Items and their relevance; the proposals of a press release and of a news page."""

import datetime as dt

import pytest

from intake.items import split_and_judge
from intake.propose import analyse, public_answer
from intake.readers import read_text
from tests import factories as f

from .conftest import proposals, text_of


@pytest.mark.django_db
def test_a_news_page_is_split_into_the_article_and_its_sidebar_items():
    items = split_and_judge(text_of("02_news_with_sidebar.txt"))
    assert [(i.kind, i.relevant) for i in items] == [
        ("article", True),
        ("sidebar", False),
        ("sidebar", False),
        ("sidebar", False),
    ]
    assert items[1].title == "프로야구 개막전 관중 2만 3천명 몰려"
    assert items[1].reason == "기사 본문 아래의 다른 기사(사이드바)이므로 제안하지 않습니다."


@pytest.mark.django_db
def test_several_articles_on_one_page_are_judged_one_by_one():
    items = split_and_judge(text_of("03_several_items.txt"))
    assert [(i.title, i.relevant) for i in items] == [
        ("부산시, 스마트공장 AI 고도화에 5천만 원씩 지원", True),
        ("시립미술관 봄 기획전 개막", False),
        ('중소기업 10곳 중 3곳 "AI 도입 계획 있다"', True),
    ]
    assert (
        items[1].reason == "관련 없음: AI·디지털 전환 주제어가 0회뿐, 중소기업·제조 대상어가 0회뿐"
    )
    assert items[0].reason.startswith("중소기업 AI 도입 정책과 관련: 주제어 AI 2회")


@pytest.mark.django_db
def test_a_press_release_has_its_contacts_table_and_annex(forum):
    assert [(a["item"]["kind"], a["relevant"]) for a in forum["articles"]] == [
        ("article", True),
        ("contacts", True),
        ("annex", True),
    ]


@pytest.mark.django_db
def test_noise_items_propose_nothing():
    result = analyse(read_text(text_of("02_news_with_sidebar.txt")))
    assert [len(a["proposals"]) for a in result["articles"][1:]] == [0, 0, 0]
    noise = analyse(read_text(text_of("04_noise_only.txt")))
    assert [a["proposals"] for a in noise["articles"]] == [[]]


@pytest.mark.django_db
def test_staff_override_makes_an_item_relevant_with_the_reason_saying_so():
    result = analyse(read_text(text_of("03_several_items.txt")), overrides={1: True})
    article = result["articles"][1]
    assert article["relevant"] is True
    assert article["reason"].startswith("직원이 관련 있음으로 정함 (자동 판단: 관련 없음")


@pytest.mark.django_db
def test_the_event_with_venue_alternative_venue_attendees_and_embargo(forum):
    event, side = proposals(forum, "event")
    assert side["fields"] == {
        "name": "제조 AI 솔루션 전시회",
        "kind": "exhibition",
        "parent": "지역 AX 혁신 포럼",
        "starts_at": "2026-03-12",
        "venue_name": "같은 건물 1층",
    }
    assert event["fields"] == {
        "name": "지역 AX 혁신 포럼",
        "kind": "conference",
        "starts_at": "2026-03-12T14:00:00+09:00",
        "ends_at": "2026-03-12T16:30:00+09:00",
        "time_is_known": True,
        "venue_name": "창원컨벤션센터",
        "attendee_count_approx": 120,
        "embargo_until": "2026-03-12T09:00:00+09:00",
        "embargo_note": "3. 12.(목) 석간 ( 3. 12.(목) 09:00 )",
        "alternative_venue_name": "창원컨벤션센터 2층 회의실",
        "alternative_venue_note": "참고 자료의 표기",
    }
    assert event["evidence"]["text"].startswith(
        "중소벤처기업부(이하 중기부)는 3월 12일(목) 창원컨벤션센터에서"
    )


@pytest.mark.django_db
def test_agenda_items_come_from_the_timetable(forum):
    rows = [
        (
            p["fields"]["order"],
            p["fields"]["starts_at"][11:16],
            p["fields"]["ends_at"][11:16],
            p["fields"]["title"],
            p["fields"]["kind"],
            p["fields"]["presenter_note"],
        )
        for p in proposals(forum, "agenda_item")
    ]
    assert rows == [
        (1, "14:00", "14:10", "개회 및 참석자 소개", "opening", ""),
        (2, "14:10", "14:40", "제조 AI 전환 지원사업 추진 계획", "talk", "중기부"),
        (3, "14:40", "15:20", "지역 제조기업 AI 도입 사례 발표", "talk", "경남테크노파크"),
        (4, "15:20", "15:30", "휴식", "break", ""),
        (5, "15:30", "16:30", "현장 의견 토론", "discussion", "전체"),
    ]


@pytest.mark.django_db
def test_contacts_become_staff_only_person_data_and_unpublished_press_contacts(forum):
    people = proposals(forum, "person", article=1)
    assert [
        (
            p["fields"]["name"],
            p["fields"]["position"],
            p["fields"]["phone"],
            p["fields"]["staff_only"],
        )
        for p in people
    ] == [
        ("이준호", "과장", "044-204-7101", ["phone", "email"]),
        ("최민지", "사무관", "044-204-7102", ["phone", "email"]),
    ]
    contacts = proposals(forum, "event_participant", article=1)
    assert [
        (p["fields"]["person"], p["fields"]["role"], p["fields"]["is_public"]) for p in contacts
    ] == [
        ("이준호", "press_contact", False),
        ("최민지", "press_contact", False),
    ]
    # no phone number anywhere else in the proposals
    others = [
        p for a in forum["articles"] if a["item"]["kind"] != "contacts" for p in a["proposals"]
    ]
    assert not any("044-" in str(p["fields"]) for p in others)


@pytest.mark.django_db
def test_budget_lines_with_funding_source_period_and_evidence(forum):
    lines = [
        (
            p["fields"]["amount_krw"],
            p["fields"]["funding_source"],
            p["fields"].get("fiscal_year"),
            p["fields"].get("period_start_year"),
            p["fields"].get("period_end_year"),
        )
        for p in proposals(forum, "budget_line", article=0)
    ]
    assert lines == [
        (35_000_000_000, "national", 2026, None, None),
        (35_000_000_000, "national", 2026, None, None),
        (1_200_000_000_000, "unspecified", None, 2025, 2028),
    ]
    last = proposals(forum, "budget_line", article=0)[2]
    assert (
        last["evidence"]["text"] == "이 사업은 ‘25.~’28. 총사업비 1조 2,000억 원 규모로 추진된다."
    )
    assert (
        forum["text"][last["evidence"]["start"] : last["evidence"]["end"]]
        == last["evidence"]["text"]
    )


@pytest.mark.django_db
def test_people_with_positions_and_roles(forum):
    people = [
        (p["fields"]["name"], p["fields"]["organization"], p["fields"]["position"])
        for p in proposals(forum, "person", article=0)
    ]
    assert people == [
        ("김도현", "경남테크노파크", "원장"),
        ("박서연", "한국스마트제조협회", "회장"),
    ]
    roles = [
        (p["fields"]["person"], p["fields"]["role"])
        for p in proposals(forum, "event_participant", article=0)
    ]
    assert roles == [("김도현", "speaker"), ("박서연", "presenter")]


@pytest.mark.django_db
def test_statistics_become_observations():
    result = analyse(read_text(text_of("03_several_items.txt")))
    rows = [
        (p["fields"]["value"], p["fields"]["unit"])
        for p in proposals(result, "observation", article=2)
    ]
    assert rows == [(10, "곳"), (3, "곳"), (31.4, "%"), (2000, "개사")]


@pytest.mark.django_db
def test_existing_records_are_matched_exactly_by_alias_and_fuzzily():
    f.ProgramFactory(name="제조 AI 전환 지원사업", short_name="제조AI")
    f.EventFactory(name="지역 AX 혁신포럼")
    result = analyse(
        read_text(text_of("01_press_release_forum.txt")), published=dt.date(2026, 3, 12)
    )
    (program,) = [
        p for p in proposals(result, "program") if p["fields"]["name"] == "제조 AI 전환 지원사업"
    ]
    assert (program["match"]["status"], program["match"]["how"]) == ("existing", "exact")
    event = proposals(result, "event")[0]
    assert (event["match"]["status"], event["match"]["how"]) == (
        "existing",
        "exact",
    )  # spaces ignored
    from intake.entities import Matcher

    matcher = Matcher()
    assert matcher.program("제조AI")["how"] == "alias"
    assert matcher.program("제조 AI 전환 지원 사업들")["how"] == "fuzzy"
    assert matcher.program("스마트공장 보급")["status"] == "new"


@pytest.mark.django_db
def test_the_public_answer_has_exactly_the_documented_shape(forum):
    answer = public_answer(forum)
    assert set(answer) == {"source", "articles"}
    assert {k for k in answer["source"] if k != "match"} == {
        "kind",
        "publisher",
        "author",
        "title",
        "url",
        "published_at",
        "published_precision",
    }
    assert answer["source"]["publisher"] == "중소벤처기업부"
    assert answer["source"]["kind"] == "press_release"
    for article in answer["articles"]:
        assert set(article) == {"title", "relevant", "reason", "proposals"}
        for proposal in article["proposals"]:
            assert set(proposal) == {"kind", "fields", "evidence", "confidence", "match"}
            assert set(proposal["evidence"]) == {"text", "start", "end"}


@pytest.mark.django_db
def test_a_news_source_has_its_outlet_byline_and_time():
    source = analyse(read_text(text_of("02_news_with_sidebar.txt")))["source"]
    assert {
        k: source[k] for k in ("kind", "publisher", "author", "published_at", "published_precision")
    } == {
        "kind": "news",
        "publisher": "산업경제신문",
        "author": "한지수 기자",
        "published_at": "2025-06-20T10:30:00+09:00",
        "published_precision": "minute",
    }
