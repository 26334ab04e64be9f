"""Site icon on every page, and no invented time for events known only by their date."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from events.models import SEOUL
from tests.factories import EventFactory

ICON_LINK = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_the_icon_is_a_small_svg_in_the_static_files():
    path = finders.find("img/favicon.svg")
    assert path is not None
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"


@pytest.mark.parametrize("url", ["/", "/programs/", "/events/", "/statistics/", "/search/?q=AI"])
def test_every_public_page_links_the_icon(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert ICON_LINK in response.content.decode()


def test_the_not_found_page_links_the_icon_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert ICON_LINK in response.content.decode()


def test_favicon_ico_leads_to_the_svg(client, db):
    # when a browser or crawler asks for the conventional address
    response = client.get("/favicon.ico")
    # then it is sent to the icon (served by WhiteNoise; the browser test loads it)
    assert response.status_code == 302
    assert response.headers["Location"] == "/static/img/favicon.svg"


def test_an_event_known_by_its_date_only_has_no_time_anywhere(client, db):
    # given an event stored at midnight because only its day is known
    EventFactory(
        slug="date-only",
        name="날짜만 아는 행사",
        starts_at=datetime.datetime(2025, 11, 19, tzinfo=SEOUL),
        ends_at=None,
        time_is_known=False,
    )
    for url in [reverse("event-list"), reverse("event-detail", args=["date-only"])]:
        html = client.get(url).content.decode()
        # then neither the text nor the machine-readable date carries a time
        assert '<time datetime="2025-11-19">2025년 11월 19일 (수)</time>' in html, url
        assert "00:00" not in html, url
        assert "오전" not in html, url


def test_an_event_with_a_known_time_keeps_it(client, db):
    EventFactory(slug="timed", starts_at=datetime.datetime(2025, 11, 19, 14, 0, tzinfo=SEOUL))
    html = client.get(reverse("event-detail", args=["timed"])).content.decode()
    assert '<time datetime="2025-11-19T14:00:00+09:00">2025년 11월 19일 (수) 14:00–16:00' in html
