"""In a real browser: every English page reads in English (Korean only where marked
``lang="ko"``), the list pages (/regions/, /companies/), program sorting, the clickable map
by keyboard, the language switch keeping the page, and side events on the main event's page.
Each page also passes axe (no serious or critical violation) and fits 360 px."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from .test_public_site import check_page, serious_violations

pytestmark = pytest.mark.e2e

# Hangul text nodes and attributes (aria-label, title, placeholder, alt) whose nearest element
# with a lang attribute is not Korean.
HANGUL_OUTSIDE_KO = r"""() => {
  const hangul = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
  const outside = (el) => {
    const marked = el.closest('[lang]');
    return !marked || !marked.getAttribute('lang').startsWith('ko');
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('script,style,noscript,template')) continue;
    if (hangul.test(node.textContent) && outside(el)) found.push(node.textContent.trim().slice(0, 80));
  }
  for (const el of document.body.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && hangul.test(value) && outside(el)) found.push(`${name}="${value.slice(0, 80)}"`);
    }
  }
  return found;
}"""
MAX_PAGES = 250
FILE = re.compile(r"\.[a-z]+$")


def english_links(page, path: str) -> list[str]:
    links = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        url = urlsplit(urljoin(path, href))
        if url.netloc or not url.path.startswith("/en/") or FILE.search(url.path):
            continue  # other sites, Korean pages, downloads (.xlsx, .ics, .atom)
        links.append(url.path + (f"?{url.query}" if url.query else ""))
    return links


def test_every_english_page_reachable_from_en_has_no_unmarked_hangul(page, site):
    # when every page linked from /en/ (and from those pages, and so on) is read in English
    seen, queue, problems = set(), ["/en/"], {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(site + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "en", path
        found = page.evaluate(HANGUL_OUTSIDE_KO)
        if found:
            problems[path] = found
        queue += [link for link in english_links(page, path) if link not in seen]
    # then Korean appears only where it is marked as Korean (a visible, announced fallback)
    assert problems == {}
    # and the crawl reached every kind of page
    kinds = {re.sub(r"^/en/([a-z]+)/.*", r"\1", p) for p in seen}
    assert {"programs", "events", "regions", "companies", "statistics"} <= kinds
    assert "/en/events/2025-regional-ai-vision-ceremony/" in seen
    assert len(seen) >= 60


def test_english_pages_show_the_new_english_fields(page, site):
    page.goto(site + "/en/events/2025-regional-ai-vision-ceremony/")
    text = page.locator("main").inner_text()
    assert "Changwon Convention Center · Changwon" in text
    assert "10 companies selected; Minister's awards and others presented" in text
    assert "Preliminary rounds at the regional SME offices from August 2025 → final round" in text
    assert "Han Seong-sook" in text
    page.goto(site + "/en/events/2026-ai-plus-policy-council/")
    text = page.locator("main").inner_text()
    assert "Noh Yong-seok" in text
    assert "Presentation" in page.locator("table.agenda thead").inner_text()
    assert "Announced" not in page.locator("table.agenda").inner_text()
    page.goto(site + "/en/regions/48/")
    assert (
        "Palyong-dong, Uichang-gu, Changwon, Gyeongsangnam-do" in page.locator("main").inner_text()
    )
    page.goto(site + "/en/statistics/")
    text = page.locator("main").inner_text()
    assert "(×" in text and "(배" not in text
    # a source's title stays as published, marked as Korean
    assert page.locator('#sources [lang="ko"]').count() > 0


def test_region_and_company_lists(page, site):
    check_page(page, site + "/regions/", "region-list", ["17개 시도", "경상남도", "제주특별자치도"])
    names = page.locator(".region-index h3 a").all_inner_texts()
    assert names[8:11] == ["경기도", "강원특별자치도", "충청북도"]  # 강원 in the usual place
    check_page(
        page, site + "/en/regions/", "region-list", ["Gyeongnam", "Region-led AI"], language="en"
    )
    check_page(page, site + "/companies/", "company-list", ["천일엔지니어링", "기업 13곳"])
    # a filter updates the list in place (htmx) and the address
    page.check("#id_awarded")
    page.wait_for_url(re.compile(r"awarded=on"))
    page.locator("#results").get_by_text("기업 1곳").wait_for()
    assert page.locator("#results .company-card").count() == 1
    check_page(
        page, site + "/en/companies/", "company-list", ["Cheonil Engineering"], language="en"
    )


def test_program_list_sorts_by_budget(page, site):
    page.goto(site + "/programs/")
    page.select_option("#id_sort", "budget")
    page.wait_for_url(re.compile(r"sort=budget"))
    page.locator("#results .program-card").first.wait_for()
    first = page.locator("#results .program-card .card-facts dd").first.inner_text()
    assert first == "450억 원"
    assert serious_violations(page) == []


def test_home_figures_link_to_the_lists(page, site):
    page.goto(site + "/")
    page.locator('a.figure-link[href="/regions/"]').click()
    page.wait_for_url(site + "/regions/")
    page.go_back()
    page.locator('a.figure-link[href="/companies/"]').click()
    page.wait_for_url(site + "/companies/")
    assert page.locator("#results .company-card").count() == 13


def test_map_is_clickable_and_keyboard_reachable(page, site):
    page.goto(site + "/")
    first = page.locator(".korea-map a.province-link").first
    assert first.get_attribute("aria-label") == "서울특별시"
    assert page.locator(".korea-map a.province-link").count() == 17
    first.focus()
    # the focused province is outlined
    stroke = page.evaluate("getComputedStyle(document.activeElement.querySelector('path')).stroke")
    assert stroke == "rgb(217, 119, 6)"
    # Tab moves to the next province in the usual order, Enter opens its page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "부산광역시"
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/regions/26/")
    # a click on 경남 opens its page
    page.goto(site + "/")
    page.locator('.korea-map a[href="/regions/48/"]').click()
    page.wait_for_url(site + "/regions/48/")


def test_switch_keeps_the_page_and_its_filters(page, site):
    page.goto(site + "/events/?kind=ceremony")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site + "/en/events/?kind=ceremony")
    assert page.locator("html").get_attribute("lang") == "en"
    alternates = page.eval_on_selector_all(
        'link[rel="alternate"][hreflang]', "els => els.map(e => [e.hreflang, e.href])"
    )
    assert ["ko", site + "/events/?kind=ceremony"] in alternates
    assert ["en", site + "/en/events/?kind=ceremony"] in alternates
    page.goto(site + "/statistics/?lang=en")
    assert page.url == site + "/en/statistics/"


def test_main_event_page_shows_its_side_events_awards(page, site):
    check_page(
        page,
        site + "/events/2025-regional-ai-vision-ceremony/",
        "event-main",
        ["부대행사", "AX 우수사례 시상", "천일엔지니어링", "대상"],
    )
    check_page(
        page,
        site + "/en/events/2025-regional-ai-vision-ceremony/",
        "event-main",
        ["Side events", "AX best-practice awards", "Cheonil Engineering", "Grand prize"],
        language="en",
    )
