"""Public pages with the demo data: each page type answers and shows its key facts."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from companies.models import Company
from core.models import Organization, Person
from events.models import EventParticipant
from programs.models import Outcome, Program
from tests.factories import CompanyFactory, OutcomeFactory, ParticipationFactory

FLAGSHIP = "region-led-ai-transformation"


def text_of(response) -> str:
    """The page's visible text, roughly: tags removed, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page_urls():
    cheonil = Company.objects.get(name="천일엔지니어링")
    return [
        reverse("home"),
        reverse("program-list"),
        reverse("program-detail", args=[FLAGSHIP]),
        reverse("region-detail", args=["48"]),
        reverse("company-detail", args=[cheonil.pk]),
        reverse("event-list"),
        reverse("event-detail", args=["2026-ai-plus-policy-council"]),
        reverse("statistics"),
        reverse("search") + "?q=AI",
    ]


def test_every_page_type_answers_in_korean(client, demo):
    # given the demo data, when each page type is requested with an English browser
    for url in page_urls():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        # then it answers in Korean (the default) with an ETag
        assert response.status_code == 200, url
        assert '<html lang="ko">' in response.content.decode(), url
        assert response.headers["ETag"], url


def test_program_page_shows_both_budget_figures_with_their_sources(client, demo):
    # when
    text = text_of(client.get(reverse("program-detail", args=[FLAGSHIP])))
    # then 350억 (S1, 2차 추경) and 234억 "국비 등" (S2) are side by side, each with a source
    assert "350억 원" in text
    assert "국비 · 2차 추경 · 2025" in text
    assert "234억 원" in text
    assert "국비 등 · 미상 · 2025" in text
    assert "출처: 시사뉴스피플" in text
    assert "출처: 뉴스스텝" in text
    assert "출처마다 다르게 밝혔습니다" in text


def test_program_page_marks_the_five_regions_on_the_map(client, demo):
    # when
    html = client.get(reverse("program-detail", args=[FLAGSHIP])).content.decode()
    # then the SVG has 17 provinces, the five selected ones filled and labelled
    assert len(re.findall(r'class="province(?: is-marked)?"', html)) == 17
    marked = re.findall(r'class="province is-marked" data-region="(\d\d)"', html)
    assert sorted(marked) == ["27", "31", "46", "48", "50"]
    labels = re.findall(r'<g class="map-label"[^>]*><circle r="6"/><text[^>]*>([^<]+)</text>', html)
    assert sorted(labels) == sorted(["경남", "대구", "울산", "전남", "제주"])
    assert "CC-BY-4.0" in html
    assert "@svg-maps/south-korea" in html


def test_program_page_shows_regional_strategy_hub_targets_and_links(client, demo):
    # when
    text = text_of(client.get(reverse("program-detail", args=[FLAGSHIP])))
    # then 경남's card carries strategy, hub and targets; linked programs are listed
    assert "제조 특화 AI 대전환" in text
    assert "제조AI 데이터센터" in text
    assert "운영 24시간" in text
    assert "≥ 300명" in text
    assert "≤ −5%" in text
    assert "≥ 95%" in text
    # the sources give no end date: no reporting period yet, so 기간 미정 — never 미흡
    assert "기간 미정" in text
    assert "미흡" not in text
    assert "AI팩토리사업" in text
    assert "제조업 AI융합기반 조성사업" in text
    assert "AI 기반 스마트제조혁신 3.0 전략" in text
    assert "지역 AI 대전환 비전선포식" in text


def test_program_page_links_the_xlsx_report_only_when_the_route_exists(client, demo, monkeypatch):
    url = reverse("program-detail", args=[FLAGSHIP])
    try:
        report = reverse("program-report", kwargs={"slug": FLAGSHIP})
    except NoReverseMatch:
        report = None
    # when the report route exists, the page links it
    if report:
        assert f'href="{report}"' in client.get(url).content.decode()

    # when reversing it fails (before the background-jobs work lands), the page still renders
    def no_route(*args, **kwargs):
        raise NoReverseMatch("program-report")

    monkeypatch.setattr("public.views.reverse", no_route)
    response = client.get(url)
    assert response.status_code == 200
    assert "report.xlsx" not in response.content.decode()


def test_targets_show_progress_and_status(client, demo):
    # given TIPS cohort 1 has an actual of 25 against ≥ 25
    program = Program.objects.get(slug="kvmcc-cohort-1")
    # when
    html = client.get(reverse("program-detail", args=[program.slug])).content.decode()
    # then the bar is full and the status reads 달성
    assert 'class="status status-achieved">달성<' in html
    assert 'style="width: 100.0%"' in html
    assert "달성률 100%" in text_of_html(html)


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_company_page_shows_cheonil_award_and_outcomes(client, demo):
    cheonil = Company.objects.get(name="천일엔지니어링")
    # when
    text = text_of(client.get(reverse("company-detail", args=[cheonil.pk])))
    # then
    assert "천일엔지니어링" in text
    assert "−42.3%" in text
    assert "+20.8%" in text
    assert "AX 우수사례 시상" in text
    assert "대상" in text


def test_company_page_hides_outcomes_without_consent(client, demo):
    # given a company with one consented and one unconsented participation outcome
    company = CompanyFactory(name="공개 동의 시험 기업")
    shown = ParticipationFactory(company=company, consent_to_publish=True)
    hidden = ParticipationFactory(company=company, consent_to_publish=False)
    OutcomeFactory(participation=shown, company=company, metric="공개 지표", change_pct=-11.1)
    OutcomeFactory(participation=hidden, company=company, metric="비공개 지표", change_pct=-22.2)
    # when
    text = text_of(client.get(reverse("company-detail", args=[company.pk])))
    # then
    assert "공개 지표" in text
    assert "−11.1%" in text
    assert "비공개 지표" not in text
    assert "22.2" not in text
    assert Outcome.objects.filter(company=company).count() == 2


def test_program_page_hides_unconsented_outcomes(client, demo):
    program = Program.objects.get(slug=FLAGSHIP)
    participation = ParticipationFactory(program=program, consent_to_publish=False)
    OutcomeFactory(participation=participation, metric="동의 없는 성과", change_pct=-33.3)
    # when
    text = text_of(client.get(reverse("program-detail", args=[FLAGSHIP])))
    # then the company is listed, its outcome is not
    assert participation.company.name in text
    assert "동의 없는 성과" not in text
    assert "공개된 성과 없음" in text


def test_event_page_shows_agenda_venues_participants_and_sources(client, demo):
    # when
    text = text_of(client.get(reverse("event-detail", args=["2026-ai-plus-policy-council"])))
    # then
    assert "2026년 7월 1일 (수) 14:00–16:00" in text
    assert "청주 오스코(OSCO)" in text
    assert "오송역 회의실" in text
    for row in (
        "14:00–14:10 개회 및 참석자 소개",
        "14:40–14:50 ④ 「중소기업 AI 활용 촉진법」 제정안 추진 현황",
        "15:00–16:00 건의사항 자유 토론",
    ):
        assert row in text
    assert "노용석" in text
    assert "박정윤 인터엑스 대표" in text
    assert "약 20명" in text
    assert "중소벤처기업부" in text
    assert "AI 대전환을 위한 「중소·벤처 AI+ 정책협의체」 간담회 개최" in text
    assert "2026년 7월 1일 12:00" in text  # the release time, in Seoul time
    assert "2026년 7월 2일 00:00" in text  # the embargo


def test_event_page_hides_non_public_participants(client, demo):
    # given the press contacts are recorded as non-public participants
    hidden = EventParticipant.objects.filter(
        event__slug="2026-ai-plus-policy-council", is_public=False
    )
    names = [p.person.name for p in hidden]
    assert sorted(names) == sorted(["곽재경", "부영희", "양소현", "송치평", "김선아"])
    # when
    text = text_of(client.get(reverse("event-detail", args=["2026-ai-plus-policy-council"])))
    # then only 곽재경 shows — as a public attendee (task-force head), never as a press contact
    for name in ("부영희", "양소현", "송치평", "김선아"):
        assert name not in text
    assert "보도 문의" not in text


def test_ceremony_page_lists_its_side_events(client, demo):
    text = text_of(client.get(reverse("event-detail", args=["2025-regional-ai-vision-ceremony"])))
    for side in ("스마트제조혁신 3.0 컨퍼런스", "AX 우수사례 시상", "AI 공급기업 IR", "전시 부스"):
        assert side in text
    assert "2025년 11월 19일 (수)" in text
    assert "창원컨벤션센터" in text


def test_statistics_page_charts_and_tabulates_with_the_printed_note(client, demo):
    # when
    response = client.get(reverse("statistics"))
    html = response.content.decode()
    text = text_of(response)
    # then the adoption-rate chart is an SVG drawn from the data, with a table and the note
    assert html.count('class="bar bar-0"') >= 6
    assert "기업 AI 활용률" in text
    assert "13.5" in text
    assert "1.0" in text
    assert "0.2*" in text
    assert "출처에 인쇄된 값: “0.25”." in text
    assert "중소벤처기업연구원" in text
    assert "메트로서울" in text


def test_search_finds_across_kinds(client, demo):
    # when
    text = text_of(client.get(reverse("search"), {"q": "AI"}))
    # then programs, events, awards and statistics are all found
    assert "지역 주도형 AI 대전환사업" in text
    assert "지역 AI 대전환 비전선포식" in text
    assert "AX 우수사례 시상" in text
    assert "기업 AI 활용률" in text
    text = text_of(client.get(reverse("search"), {"q": "경남"}))
    assert "경상남도" in text
    text = text_of(client.get(reverse("search"), {"q": "천일"}))
    assert "천일엔지니어링" in text


def test_search_without_terms_shows_the_form_only(client, demo):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "검색 결과" not in text_of(response)


def test_home_shows_headline_figures_events_and_awards(client, demo):
    # when
    response = client.get(reverse("home"))
    text = text_of(response)
    # then: 22 programs, 350 + 222 + 256 + 450 = 1,278억 (each program's largest figure once)
    figures = response.context["figures"]
    assert figures == {
        "programs": Program.objects.count(),
        "budget": 1278 * 10**8,
        "regions": 5,
        "companies": Company.objects.count(),
        "awards": 2,
    }
    assert "1,278억 원" in text
    assert "예정된 행사가 없습니다." in text  # today all demo events are past
    assert "중소·벤처 AI+ 정책협의체 간담회" in text
    assert "천일엔지니어링" in text


@pytest.mark.parametrize(
    "url",
    ["/programs/no-such-program/", "/regions/99/", "/companies/999999/", "/events/nope/"],
)
def test_unknown_records_answer_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


def test_a_non_company_organization_has_no_company_page(client, demo):
    ministry = Organization.objects.get(name="중소벤처기업부")
    assert client.get(reverse("company-detail", args=[ministry.pk])).status_code == 404


def test_no_personal_contact_data_on_any_page(client, demo):
    # given people with phone numbers and e-mail addresses (staff-only data)
    people = Person.objects.exclude(phone="", email="")
    contacts = [value for p in people for value in (p.phone, p.email) if value]
    assert len(contacts) >= 5
    # when every page type is rendered, then none of them appears
    for url in [*page_urls(), reverse("event-detail", args=["2025-regional-ai-vision-ceremony"])]:
        html = client.get(url).content.decode()
        for contact in contacts:
            assert contact not in html, (url, contact)
        assert "044-" not in html, url


def test_pages_refuse_writes(client, demo):
    count = Program.objects.count()
    response = client.post(reverse("program-list"), {"q": "x"})
    assert response.status_code == 405
    assert Program.objects.count() == count


def test_program_page_lists_at_most_50_companies_and_says_how_many(client, demo):
    program = Program.objects.get(slug=FLAGSHIP)
    for _ in range(52):
        ParticipationFactory(program=program)
    # when
    response = client.get(reverse("program-detail", args=[FLAGSHIP]))
    # then
    assert len(response.context["companies"]) == 50
    assert "52개사 가운데 50개사를 표시합니다." in text_of(response)
