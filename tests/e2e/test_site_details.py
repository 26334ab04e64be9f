"""In a real browser: no failing request behind a page (the icon included), an impossible month
typed into the event filter answers with a notice, English names in the region filter."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_pages_load_without_a_failing_request_and_with_the_icon(page, site):
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # a request the next navigation cuts off (the icon, fetched after the load event) is not a
    # failing one: only network errors count
    page.on(
        "requestfailed",
        lambda r: (
            None
            if r.failure == "net::ERR_ABORTED"
            else failed.append(f"failed {r.url} {r.failure}")
        ),
    )
    for url in ["/", "/programs/", "/events/", "/events/?month=9999-12", "/events/?month=0000-01"]:
        response = page.goto(site + url, wait_until="networkidle")
        assert response.status == 200, url
    assert failed == []
    # the icon the pages link, and the address browsers try without a link
    assert page.locator('link[rel="icon"]').get_attribute("href") == "/static/img/favicon.svg"
    assert page.request.get(site + "/static/img/favicon.svg").status == 200
    icon = page.request.get(site + "/favicon.ico")
    assert icon.status == 200
    assert icon.url == site + "/static/img/favicon.svg"
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_an_impossible_month_in_the_filter_answers_with_a_notice(page, site):
    page.goto(site + "/events/")
    # when a month no calendar can hold is typed (htmx sends it as the filter changes)
    page.fill("#id_month", "9999-12")
    page.wait_for_url(re.compile(r"month=9999-12"))
    # then the results say the month was left out and still list every main event
    notice = page.locator("#results .notice")
    notice.wait_for()
    assert "1900년부터 2999년 사이의 월을 골라 주세요." in notice.inner_text()
    assert page.locator("#results .event-item").count() == 4


def test_region_filter_in_english(page, site):
    page.goto(site + "/events/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site + "/en/events/")
    assert page.locator('#id_region option[value="48"]').inner_text() == "Gyeongnam"
    page.select_option("#id_region", label="Seoul")
    page.wait_for_url(re.compile(r"region=11"))
    page.locator("#results").get_by_text("Smart manufacturing", exact=False).first.wait_for()
