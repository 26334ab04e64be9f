"""Search, saved-search sign-up, calendar links and the embeddable widget in a real browser:
facts, axe (no serious or critical violation), 360 px without sideways scrolling, and the widget
shown in a frame by an allowed origin and refused by any other."""

import http.server
import threading

import pytest

from .conftest import DESKTOP, PHONE
from .test_public_site import check_page, serious_violations

pytestmark = pytest.mark.e2e

FLAGSHIP = "지역 주도형 AI 대전환사업"
SLUG = "region-led-ai-transformation"


def test_search_ranks_the_flagship_first_and_suggests_a_fix(page, site):
    check_page(page, site + "/search/?q=AI대전환", "search-ranked", [FLAGSHIP, "좁혀 보기"])
    first = page.locator(".search-result").first
    assert FLAGSHIP in first.inner_text()
    check_page(page, site + "/search/?q=대전화", "search-suggestion", ["이것을 찾으셨나요?"])
    page.get_by_role("link", name="대전환", exact=True).click()
    page.wait_for_url("**/search/?q=*")
    assert FLAGSHIP in page.locator(".search-result").first.inner_text()
    # a facet narrows the results
    page.locator(".facet a", has_text="행사").first.click()
    page.wait_for_url("**type=event*")
    assert page.locator(".search-result .badge").all_inner_texts() == ["행사"] * 3


def test_saving_a_search_asks_for_confirmation(page, site):
    page.goto(site + "/search/?q=대전환")
    page.get_by_label("이메일").fill("reader@example.org")
    page.get_by_label("받는 주기").select_option("daily")
    page.get_by_label("새 소식 메일을 받는 데 동의합니다", exact=False).check()
    page.get_by_role("button", name="알림 신청").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("확인 메일을 보냈습니다", exact=False).is_visible()
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_event_page_offers_add_to_calendar(page, site):
    url = site + "/events/2025-regional-ai-vision-ceremony/"
    check_page(page, url, "event-calendar", ["캘린더에 추가 (.ics)"])
    href = page.get_by_role("link", name="캘린더에 추가 (.ics)").get_attribute("href")
    response = page.request.get(site + href)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VEVENT" in response.text()


def test_widget_card_reads_well_in_korean_and_english(page, site):
    check_page(page, site + f"/embed/programs/{SLUG}/", "embed-program", [FLAGSHIP, "350억 원"])
    check_page(
        page,
        site + f"/en/embed/programs/{SLUG}/",
        "embed-program",
        ["KRW 35 billion"],
        language="en",
    )
    check_page(page, site + "/embed/regions/48/", "embed-region", [FLAGSHIP])


@pytest.fixture
def partner(site):
    """A partner site on another origin whose page frames the widget."""
    html = f'<!doctype html><title>partner</title><iframe src="{site}/embed/programs/{SLUG}/" title="widget" width="600" height="400"></iframe>'.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def framed_text(page, partner_url) -> str:
    page.set_viewport_size(DESKTOP)
    page.goto(partner_url + "/")
    page.wait_for_load_state("load")
    frame = page.frames[1] if len(page.frames) > 1 else None
    if frame is None or not frame.url.startswith("http"):
        return ""
    try:
        return frame.locator("body").inner_text(timeout=3000)
    except Exception:
        return ""


def test_widget_is_shown_by_an_allowed_origin_and_refused_by_another(page, partner, settings):
    settings.EMBED_ALLOWED_ORIGINS = [partner]
    assert FLAGSHIP in framed_text(page, partner)
    settings.EMBED_ALLOWED_ORIGINS = ["https://partner.example.org"]
    assert FLAGSHIP not in framed_text(page, partner)
