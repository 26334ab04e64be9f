"""Program and event list filters, with and without htmx."""

import re

from django.urls import reverse

FLAGSHIP = "region-led-ai-transformation"


def program_slugs(response) -> list[str]:
    return re.findall(
        r'href="/programs/([\w-]+)/"', response.content.decode().split('id="results"')[1]
    )


def event_slugs(response) -> list[str]:
    html = response.content.decode().split('id="results"')[1]
    return re.findall(r'<h3 class="event-title"><a href="/events/([\w-]+)/"', html)


#: 경남: the flagship it takes part in, and the three national programs its participation links
#: (연계 사업), in the list's order (by name)
GYEONGNAM = [
    "ai-factory",
    "ax-demonstration-complex",
    "manufacturing-ai-convergence-base",
    FLAGSHIP,
]


def test_program_list_filters_by_region(client, demo):
    response = client.get(reverse("program-list"), {"region": "48"})
    assert program_slugs(response) == GYEONGNAM


def test_program_list_marks_the_linked_programs_of_a_region(client, demo):
    response = client.get(reverse("program-list"), {"region": "48"})
    html = response.content.decode().split('id="results"')[1]
    cards = html.split('<li class="card program-card">')[1:]
    linked = [
        re.search(r'href="/programs/([\w-]+)/"', card).group(1)
        for card in cards
        if '<div class="linked-regions"><dt>연계 지역</dt><dd>경남 <span class="badge badge-quiet">연계</span>'
        in card
    ]
    assert linked == GYEONGNAM[:3]


def test_program_list_filters_by_status_and_kind(client, demo):
    response = client.get(reverse("program-list"), {"status": "under_deliberation"})
    assert program_slugs(response) == ["sme-ai-utilization-act"]
    response = client.get(reverse("program-list"), {"kind": "strategy"})
    assert program_slugs(response) == ["smart-manufacturing-innovation-3"]


def test_program_list_filters_by_year(client, demo):
    # 2024: only the programs whose period overlaps it (open ends count as ongoing)
    response = client.get(reverse("program-list"), {"year": "2024"})
    assert sorted(program_slugs(response)) == [
        "manufacturing-ai-convergence-base",
        "smart-manufacturing-ecosystem-plan",
    ]


def test_program_list_searches(client, demo):
    # 팁스 is also TIPS (core/search_aliases.yaml)
    response = client.get(reverse("program-list"), {"q": "팁스"})
    assert program_slugs(response) == ["tips", "scale-up-tips"]
    response = client.get(reverse("program-list"), {"q": "Scale-up"})
    assert program_slugs(response) == ["scale-up-tips"]


def test_program_list_ignores_a_bad_filter_value(client, demo):
    # a bad status is dropped, the good region filter still applies
    response = client.get(reverse("program-list"), {"status": "bogus", "region": "48"})
    assert response.status_code == 200
    assert program_slugs(response) == GYEONGNAM


def test_program_list_answers_htmx_with_the_results_only(client, demo):
    response = client.get(reverse("program-list"), {"region": "48"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert not html.lstrip().startswith("<!doctype")
    assert html.lstrip().startswith('<section id="results"')
    assert "사업·정책 4건" in html
    assert "HX-Request" in response.headers["Vary"]


def test_event_list_shows_main_events_with_side_events_nested(client, demo):
    response = client.get(reverse("event-list"))
    assert event_slugs(response) == [
        "2026-ai-plus-policy-council",
        "2026-kbiz-ax-policy-debate",
        "2025-regional-ai-vision-ceremony",
        "2025-smart-manufacturing-roundtable",
    ]
    assert "부대행사 7개" in response.content.decode()


def test_event_list_filters_by_kind_region_and_month(client, demo):
    response = client.get(reverse("event-list"), {"kind": "award_ceremony"})
    assert sorted(event_slugs(response)) == [
        "2025-ax-best-practice-awards",
        "2025-manufacturing-innovation-citations",
    ]
    response = client.get(reverse("event-list"), {"region": "11"})
    assert event_slugs(response) == [
        "2026-kbiz-ax-policy-debate",
        "2025-smart-manufacturing-roundtable",
    ]
    response = client.get(reverse("event-list"), {"month": "2026-07"})
    assert event_slugs(response) == ["2026-ai-plus-policy-council"]
    response = client.get(reverse("event-list"), {"month": "2026-13"})
    assert len(event_slugs(response)) == 4  # an impossible month is ignored


def test_event_list_answers_htmx_with_the_results_only(client, demo):
    response = client.get(reverse("event-list"), {"region": "43"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "중소·벤처 AI+ 정책협의체 간담회" in html
