"""The list pages and navigation: /regions/, /companies/, program sorting, region order, the
clickable map, home figures that link, and side events' awards and agendas on the main event."""

import re

from django.urls import reverse

from core.models import REGION_USUAL_ORDER, Region

USUAL = (
    "서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주".split()
)


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def company_names(response) -> list[str]:
    return re.findall(
        r'<h3 class="card-title"><a href="/companies/\d+/">([^<]+)</a>', html_of(response)
    )


def program_slugs(response) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="/programs/([^/]+)/">', html_of(response))


# --- the usual order of regions -----------------------------------------------------------


def test_regions_have_one_declared_usual_order(db):
    assert [r.short_name for r in Region.objects.in_usual_order()] == USUAL
    assert len(REGION_USUAL_ORDER) == 17
    assert Region.objects.get(code="51").usual_position == 9  # 강원 right after 경기


def test_home_region_chips_come_in_the_usual_order(client, demo):
    html = html_of(client.get(reverse("home")))
    chips = re.search(r'<ul class="region-chips">(.*?)</ul>', html, re.S).group(1)
    names = re.findall(r'class="chip[^"]*">([^<]+)', chips)
    assert names == USUAL


def test_region_filter_lists_regions_in_the_usual_order(client, db):
    html = html_of(client.get(reverse("program-list")))
    select = re.search(r'<select name="region".*?</select>', html, re.S).group()
    codes = re.findall(r'<option value="(\d\d)"', select)
    assert codes == list(REGION_USUAL_ORDER)


# --- /regions/ ------------------------------------------------------------------------------


def test_region_list_shows_all_17_regions_with_their_programs(client, demo):
    html = html_of(client.get(reverse("region-list")))
    items = re.findall(r'<li id="region-(\d\d)"', html)
    assert items == list(REGION_USUAL_ORDER)
    gyeongnam = re.search(r'<li id="region-48".*?</li>\s*</ul>', html, re.S).group()
    assert 'href="/regions/48/">경상남도</a>' in gyeongnam
    assert (
        'href="/programs/region-led-ai-transformation/">지역 주도형 AI 대전환사업</a>' in gyeongnam
    )
    assert "선정" in gyeongnam
    seoul = re.search(r'<li id="region-11".*?</li>', html, re.S).group()
    assert "등록된 사업이 없습니다." in seoul


def test_region_list_in_english(client, demo):
    html = html_of(client.get("/en/regions/"))
    assert 'href="/en/regions/48/">Gyeongnam</a>' in html
    assert "Region-led AI transformation program" in html
    assert "17 regions" in html


# --- the map --------------------------------------------------------------------------------


def test_map_links_every_province_to_its_region_page(client, demo):
    html = html_of(client.get(reverse("home")))
    svg = re.search(r'<figure class="korea-map">.*?</svg>', html, re.S).group()
    links = re.findall(
        r'<a href="/regions/(\d\d)/" class="province-link" aria-label="([^"]+)">', svg
    )
    assert [code for code, _label in links] == list(REGION_USUAL_ORDER)  # Tab order 서울 … 제주
    labels = dict(links)
    assert labels["48"] == "경상남도 (선정)"
    assert labels["11"] == "서울특별시"
    assert 'role="group" aria-labelledby="map-title"' in svg


def test_map_links_point_to_english_pages_on_english_pages(client, demo):
    html = html_of(client.get("/en/"))
    assert (
        '<a href="/en/regions/48/" class="province-link" aria-label="Gyeongnam (Selected)">' in html
    )


# --- home figures ---------------------------------------------------------------------------


def test_home_headline_figures_link_to_their_lists(client, demo):
    html = html_of(client.get(reverse("home")))
    figures = re.search(r'<ul class="figures">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'<a class="figure-link" href="([^"]+)">', figures) == [
        "/programs/",
        "/programs/?sort=budget",
        "/regions/",
        "/companies/",
        "/companies/?awarded=1",
    ]


# --- what happened at the side events --------------------------------------------------------


def test_ceremony_page_names_the_grand_prize_winner_of_its_side_event(client, demo):
    html = html_of(client.get(reverse("event-detail", args=["2025-regional-ai-vision-ceremony"])))
    side = re.search(r'<h2 id="side-title">.*?</section>', html, re.S).group()
    block = re.search(
        r'<article class="side-event"[^>]*>\s*<h3[^>]*><a href="/events/2025-ax-best-practice-awards/">.*?</article>',
        side,
        re.S,
    ).group()
    assert '<span class="badge badge-accent">대상</span>' in block
    assert re.search(r'<a href="/companies/\d+/">천일엔지니어링</a>', block)
    assert "불량률" in block
