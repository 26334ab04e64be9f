"""Every public page type in a real browser: key facts, filters, language switch, axe, layout.

Screenshots of each page type at desktop (1280 px) and phone (360 px) width are written to
tests/e2e/screenshots/ (gitignored) for people to look at.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from companies.models import Company

from .conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.e2e

FLAGSHIP = "/programs/region-led-ai-transformation/"
FIVE_REGIONS = ["경남", "대구", "울산", "전남", "제주"]
AXE = Axe()


def serious_violations(page) -> list[str]:
    """axe-core findings of impact serious or critical, as 'rule: target' lines."""
    results = AXE.run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def visible(page, text: str) -> bool:
    return page.get_by_text(text, exact=False).first.is_visible()


def check_page(page, url: str, name: str, facts: list[str], language: str = "ko"):
    """Load a page at desktop width, check facts and axe, then at phone width: no sideways
    scrolling. Screenshots at both widths."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response.status == 200, url
    assert page.locator("html").get_attribute("lang") == language
    missing = [fact for fact in facts if not visible(page, fact)]
    assert missing == [], url
    assert serious_violations(page) == [], url
    page.screenshot(path=SCREENSHOTS / f"{name}-{language}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    assert serious_violations(page) == [], url
    page.screenshot(path=SCREENSHOTS / f"{name}-{language}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_home_program_list_and_program_page(page, site):
    # home: headline figures, events, awards and a way into everything
    check_page(
        page,
        site + "/",
        "home",
        ["1,278억 원", "참여 지역 (시도)", "최근 행사", "천일엔지니어링", "둘러보기"],
    )
    assert page.locator("svg .province.is-marked").count() == 5

    # program list, then its filters (htmx swaps the results and pushes the URL)
    check_page(
        page, site + "/programs/", "program-list", ["사업·정책 21건", "지역 주도형 AI 대전환사업"]
    )
    page.select_option("#id_region", "48")
    page.wait_for_url(re.compile(r"region=48"))
    # 경남 takes part in the flagship and links three programs (연계 사업)
    page.locator("#results").get_by_text("사업·정책 4건").wait_for()
    assert page.locator("#results .program-card").count() == 4
    page.select_option("#id_region", "")
    page.select_option("#id_kind", "law")
    page.locator("#results").get_by_text("사업·정책 2건").wait_for()
    page.select_option("#id_kind", "")
    page.fill("#id_q", "팁스")
    page.locator("#results").get_by_text(
        "사업·정책 2건"
    ).wait_for()  # 팁스 = TIPS (alias) and 스케일업팁스
    assert visible(page.locator("#results"), "스케일업팁스")
    page.select_option("#id_year", "2024")
    page.wait_for_url(re.compile(r"year=2024"))
    page.locator("#results").get_by_text("조건에 맞는 사업이 없습니다.").wait_for()

    # the flagship: 350억 원 next to 234억 원, the five regions marked on the map
    check_page(
        page,
        site + FLAGSHIP,
        "program-detail",
        ["350억 원", "234억 원", "제조 특화 AI 대전환", "제조AI 데이터센터", "AI팩토리사업"],
    )
    marked = page.locator("svg .province.is-marked")
    assert sorted(marked.evaluate_all("els => els.map(e => e.dataset.region)")) == [
        "27",
        "31",
        "46",
        "48",
        "50",
    ]
    labels = page.locator("svg .map-label text").all_text_contents()
    assert sorted(labels) == sorted(FIVE_REGIONS)
    assert page.locator(".korea-map").is_visible()


def test_region_company_and_search_pages(page, site):
    cheonil = Company.objects.get(name="천일엔지니어링")
    check_page(
        page,
        site + "/regions/48/",
        "region",
        ["경상남도", "제조AI 데이터센터", "지역 AI 대전환 비전선포식"],
    )
    assert page.locator("svg .province.is-marked").evaluate_all(
        "els => els.map(e => e.dataset.region)"
    ) == ["48"]
    check_page(
        page, site + f"/companies/{cheonil.pk}/", "company", ["천일엔지니어링", "−42.3%", "+20.8%"]
    )
    assert (
        page.locator(".outcome-card").filter(has_text="불량률").get_by_text("−42.3%").is_visible()
    )
    check_page(
        page, site + "/search/?q=AI", "search", ["지역 주도형 AI 대전환사업", "기업 AI 활용률"]
    )
    # searching from the home page
    page.goto(site + "/")
    page.fill("#home-q", "천일")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert visible(page, "천일엔지니어링")


def test_event_pages_and_statistics(page, site):
    check_page(
        page,
        site + "/events/",
        "event-list",
        ["예정된 행사가 없습니다.", "중소·벤처 AI+ 정책협의체 간담회", "지역 AI 대전환 비전선포식"],
    )
    page.select_option("#id_kind", "award_ceremony")
    page.wait_for_url(re.compile(r"kind=award_ceremony"))
    page.locator("#results").get_by_text("제조혁신 유공표창").wait_for()
    assert page.locator("#results .event-item").count() == 2
    page.select_option("#id_kind", "")
    page.select_option("#id_region", "11")
    page.wait_for_url(re.compile(r"region=11"))
    page.locator("#results").get_by_text("스마트제조 정책혁신 라운드테이블").wait_for()
    assert page.locator("#results .event-item").count() == 2
    page.select_option("#id_region", "")
    page.fill("#id_month", "2026-07")
    page.wait_for_url(re.compile(r"month=2026-07"))
    page.wait_for_function("document.querySelectorAll('#results .event-item').length === 1")

    check_page(
        page,
        site + "/events/2026-ai-plus-policy-council/",
        "event-detail",
        ["14:40–14:50", "청주 오스코(OSCO)", "오송역 회의실", "노용석", "협의체 회의"],
    )
    assert page.locator("table.agenda tbody tr").count() == 7
    html = page.content()
    assert "044-" not in html
    assert "부영희" not in html

    check_page(page, site + "/statistics/", "statistics", ["기업 AI 활용률", "13.5", "“0.25”"])
    assert page.locator("#ai-utilization-rate svg rect.bar").count() == 12


def test_language_switch_keyboard_and_no_javascript(page, browser, site):
    # the switch is visible on every page and keeps the visitor on the same page
    page.goto(site + FLAGSHIP)
    switch = page.get_by_role("link", name="English")
    assert switch.is_visible()
    switch.click()
    page.wait_for_url(site + "/en" + FLAGSHIP)
    check_page(
        page,
        site + "/en" + FLAGSHIP,
        "program-detail",
        ["KRW 35 billion", "KRW 23.4 billion", "Region-led AI transformation program", "Gyeongnam"],
        language="en",
    )
    for name, url, facts in [
        ("home", "/", ["KRW 127.8 billion", "Latest awards", "Cheonil Engineering"]),
        ("event-detail", "/events/2026-ai-plus-policy-council/", ["Wed, July 1, 2026 14:00–16:00"]),
        ("statistics", "/statistics/", ["Value printed in the source: “0.25”."]),
    ]:
        check_page(page, site + "/en" + url, name, facts, language="en")
    page.get_by_role("link", name="한국어").click()
    page.wait_for_url(site + "/statistics/")
    assert page.locator("html").get_attribute("lang") == "ko"

    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    page.goto(site + "/programs/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    # without JavaScript the filter form still works (a plain GET)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    plain = context.new_page()
    plain.goto(site + "/programs/")
    plain.select_option("#id_status", "under_deliberation")
    plain.get_by_role("button", name="적용").click()
    plain.wait_for_url(re.compile(r"status=under_deliberation"))
    assert plain.locator("#results .program-card").count() == 1
    assert plain.get_by_text("「중소기업 AI 활용 촉진법」 제정안").first.is_visible()
    context.close()
