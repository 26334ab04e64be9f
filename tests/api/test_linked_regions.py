"""Regions a program serves (연계 사업) and the program list's headline budget and region codes.

A program is linked to a region when the region's participation in another program names it
(``RegionalParticipation.linked_programs``): 경남's participation in the flagship links
AI팩토리사업, AX실증산단 구축사업 and 제조업 AI융합기반 조성사업 (demo data)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

EOK = 100_000_000
LINKED = ["ai-factory", "ax-demonstration-complex", "manufacturing-ai-convergence-base"]


@pytest.fixture
def gyeongnam_world():
    """The flagship in 경남 (linking three national programs) and 울산; a program elsewhere."""
    gyeongnam, ulsan, seoul = (Region.objects.get(code=c) for c in ("48", "31", "11"))
    source = f.SourceFactory(key="s2")
    other_source = f.SourceFactory(key="s1")
    flagship = f.ProgramFactory(
        slug="region-led-ai-transformation", name="지역 주도형 AI 대전환사업"
    )
    linked = {
        slug: f.ProgramFactory(slug=slug, name=name)
        for slug, name in (
            ("ai-factory", "AI팩토리사업"),
            ("ax-demonstration-complex", "AX실증산단 구축사업"),
            ("manufacturing-ai-convergence-base", "제조업 AI융합기반 조성사업"),
        )
    }
    rp = f.RegionalParticipationFactory(program=flagship, region=gyeongnam, budget_krw=None)
    rp.linked_programs.add(*linked.values())
    f.RegionalParticipationFactory(program=flagship, region=ulsan, budget_krw=None)
    elsewhere = f.ProgramFactory(slug="seoul-only", name="서울 사업")
    f.RegionalParticipationFactory(program=elsewhere, region=seoul, budget_krw=None)
    # budgets: two sources for the flagship (350억, 234억: never added), one per linked program
    f.BudgetLineFactory(program=flagship, amount_krw=350 * EOK, source=other_source)
    f.BudgetLineFactory(program=flagship, amount_krw=234 * EOK, source=source)
    for slug, amount in (
        ("ai-factory", 256),
        ("ax-demonstration-complex", 222),
        ("manufacturing-ai-convergence-base", 450),
    ):
        f.BudgetLineFactory(program=linked[slug], amount_krw=amount * EOK, source=source)
    return {"flagship": flagship, **linked, "elsewhere": elsewhere}


def slugs(response) -> list[str]:
    return sorted(row["slug"] for row in response.json()["results"])


def test_region_filter_includes_the_programs_linked_to_the_region(gyeongnam_world, anon_client):
    # when
    response = anon_client.get("/api/v1/programs/?region=48")

    # then
    assert response.status_code == 200
    assert slugs(response) == [*LINKED, "region-led-ai-transformation"]
    assert response.json()["count"] == 4


def test_region_filter_does_not_list_linked_programs_in_other_regions(gyeongnam_world, anon_client):
    # 울산 takes part in the flagship but links nothing
    assert slugs(anon_client.get("/api/v1/programs/?region=31")) == ["region-led-ai-transformation"]
    assert slugs(anon_client.get("/api/v1/programs/?region=11")) == ["seoul-only"]


def test_program_list_carries_headline_budget_and_region_codes(gyeongnam_world, anon_client):
    # when
    response = anon_client.get("/api/v1/programs/?ordering=name&page_size=10")

    # then
    rows = {
        r["slug"]: (r["regions"], r["linked_regions"], r["headline_budget_krw"])
        for r in response.json()["results"]
    }
    assert rows == {
        "region-led-ai-transformation": (["31", "48"], [], 350 * EOK),  # never 584억
        "ai-factory": ([], ["48"], 256 * EOK),
        "ax-demonstration-complex": ([], ["48"], 222 * EOK),
        "manufacturing-ai-convergence-base": ([], ["48"], 450 * EOK),
        "seoul-only": (["11"], [], None),
    }


def test_program_list_headline_is_the_summarys(gyeongnam_world, anon_client):
    flagship = gyeongnam_world["flagship"]
    listed = anon_client.get("/api/v1/programs/?region=31").json()["results"][0]
    summary = anon_client.get(f"/api/v1/programs/{flagship.pk}/summary/").json()
    assert listed["headline_budget_krw"] == summary["budget"]["headline_krw"] == 350 * EOK


def test_program_detail_carries_linked_regions_and_headline(gyeongnam_world, anon_client):
    body = anon_client.get("/api/v1/programs/ai-factory/").json()
    assert (body["regions"], body["linked_regions"], body["headline_budget_krw"]) == (
        [],
        ["48"],
        256 * EOK,
    )


def test_program_list_queries_do_not_grow_with_programs(anon_client):
    # given: 2 programs, then 20, each with two budget sources and a linked region
    region = Region.objects.get(code="48")

    def add(n):
        for _ in range(n):
            program = f.ProgramFactory()
            f.BudgetLineFactory(program=program, amount_krw=3 * EOK)
            f.BudgetLineFactory(program=program, amount_krw=5 * EOK)
            rp = f.RegionalParticipationFactory(region=region)
            rp.linked_programs.add(program)

    add(1)  # 1 linked + 1 linking program = 2 rows
    with CaptureQueriesContext(connection) as small:
        first = anon_client.get("/api/v1/programs/?page_size=100")
    add(9)  # 20 rows
    with CaptureQueriesContext(connection) as large:
        second = anon_client.get("/api/v1/programs/?page_size=100")

    # then
    assert (first.json()["count"], second.json()["count"]) == (2, 20)
    assert len(small.captured_queries) == len(large.captured_queries)
    budgets = sorted(
        (r["headline_budget_krw"] for r in second.json()["results"]), key=lambda v: v or 0
    )
    assert budgets == [None] * 10 + [5 * EOK] * 10


def test_summary_lists_linked_regions_marked_as_linked(gyeongnam_world, anon_client):
    # when
    body = anon_client.get("/api/v1/programs/ai-factory/summary/").json()

    # then
    assert body["regions"] == [
        {
            "region": {
                "code": "48",
                "name": "경상남도",
                "short_name": "경남",
                "name_en": "Gyeongnam",
            },
            "linked": True,
            "linked_via": {
                "id": gyeongnam_world["flagship"].pk,
                "slug": "region-led-ai-transformation",
                "name": "지역 주도형 AI 대전환사업",
                "name_en": "",
            },
            "status": None,
            "selected_on": None,
            "budget_krw": None,
            "hubs": 0,
            "targets": 0,
        }
    ]


def test_summary_of_the_linking_program_marks_its_own_regions_not_linked(
    gyeongnam_world, anon_client
):
    body = anon_client.get("/api/v1/programs/region-led-ai-transformation/summary/").json()
    assert [
        (r["region"]["code"], r["linked"], r["linked_via"], r["status"]) for r in body["regions"]
    ] == [
        ("31", False, None, "selected"),
        ("48", False, None, "selected"),
    ]


def test_a_region_taking_part_is_not_also_listed_as_linked(gyeongnam_world, anon_client):
    # given: AI팩토리사업 also takes part in 경남 itself
    f.RegionalParticipationFactory(
        program=gyeongnam_world["ai-factory"], region=Region.objects.get(code="48")
    )

    # when
    body = anon_client.get("/api/v1/programs/ai-factory/summary/").json()
    listed = anon_client.get("/api/v1/programs/ai-factory/").json()

    # then
    assert [(r["region"]["code"], r["linked"]) for r in body["regions"]] == [("48", False)]
    assert (listed["regions"], listed["linked_regions"]) == (["48"], [])
    assert slugs(anon_client.get("/api/v1/programs/?region=48")) == [
        *LINKED,
        "region-led-ai-transformation",
    ]
