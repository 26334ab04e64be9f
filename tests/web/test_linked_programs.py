"""Region pages list the programs linked to the region (연계 사업), marked as linked."""

import re

from django.urls import reverse
from django.utils import translation

LINKED_SECTION = re.compile(r'<section class="section" id="linked".*?</section>', re.S)


def linked_items(html: str) -> list[tuple[str, str, str]]:
    section = LINKED_SECTION.search(html)
    if section is None:
        return []
    return re.findall(
        r'<li class="linked-program"><a href="(?:/en)?/programs/([\w-]+)/">([^<]+)</a> '
        r'<span class="badge badge-quiet">([^<]+)</span>',
        section.group(0),
    )


def test_gyeongnam_page_lists_its_three_linked_programs(client, demo):
    # when
    html = client.get(reverse("region-detail", args=["48"])).content.decode()

    # then
    assert '<h2 id="linked-title">경남 연계 사업</h2>' in html
    assert linked_items(html) == [
        ("ai-factory", "AI팩토리사업", "연계"),
        ("ax-demonstration-complex", "AX실증산단 구축사업", "연계"),
        ("manufacturing-ai-convergence-base", "제조업 AI융합기반 조성사업", "연계"),
    ]
    assert html.count("지역 주도형 AI 대전환사업에 연계") == 3
    assert "<div><dt>연계 사업</dt><dd>3</dd></div>" in html


def test_gyeongnam_page_in_english_marks_them_linked(client, demo):
    with translation.override("en"):
        url = reverse("region-detail", args=["48"])
    html = client.get(url).content.decode()
    assert [badge for _slug, _name, badge in linked_items(html)] == ["Linked"] * 3
    assert "linked to Region-led AI transformation program" in html


def test_a_region_without_links_has_no_linked_section(client, demo):
    html = client.get(reverse("region-detail", args=["27"])).content.decode()
    assert linked_items(html) == []
    assert 'id="linked"' not in html
