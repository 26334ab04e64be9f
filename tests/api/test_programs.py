"""Program detail and the dashboard summary: exact figures, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Region
from programs.models import BudgetLine, Participation, Target
from tests import factories as f

pytestmark = pytest.mark.django_db

EOK = 100_000_000


def region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def flagship():
    """지역 주도형 AI 대전환사업 with both budget figures, two regions, companies and targets."""
    s1 = f.SourceFactory(key="s1", published_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC))
    s2 = f.SourceFactory(
        key="s2", published_at=datetime.datetime(2025, 11, 19, tzinfo=datetime.UTC)
    )
    program = f.ProgramFactory(
        slug="region-led-ai-transformation", name="지역 주도형 AI 대전환사업"
    )
    f.BudgetLineFactory(
        program=program,
        amount_krw=350 * EOK,
        funding_source=BudgetLine.FundingSource.NATIONAL,
        vehicle=BudgetLine.Vehicle.SUPPLEMENTARY_2,
        fiscal_year=2025,
        source=s1,
    )
    f.BudgetLineFactory(
        program=program,
        amount_krw=234 * EOK,
        funding_source=BudgetLine.FundingSource.NATIONAL_AND_OTHER,
        vehicle=BudgetLine.Vehicle.UNSPECIFIED,
        fiscal_year=None,
        source=s2,
    )
    gyeongnam = f.RegionalParticipationFactory(
        program=program, region=region("48"), budget_krw=None
    )
    gyeongnam.hubs.add(f.HubFactory(region=region("48"), name="제조AI 데이터센터"))
    f.RegionalParticipationFactory(program=program, region=region("27"), budget_krw=None)
    talents = f.TargetFactory(
        program=None,
        regional_participation=gyeongnam,
        metric="AI 인재 양성",
        unit="명",
        target_value=Decimal("300"),
    )
    f.TargetFactory(
        program=None, regional_participation=gyeongnam, metric="참여 기업", target_value=30
    )
    f.approved_result(talents, datetime.date(2025, 12, 31), 300)
    for _ in range(3):
        f.ParticipationFactory(program=program, support_amount_krw=100_000_000)
    f.ParticipationFactory(
        program=program, status=Participation.Status.COMPLETED, support_amount_krw=None
    )
    f.AwardFactory(program=program)
    f.AwardFactory(program=program)
    f.AwardFactory()
    return program


def test_summary_figures(flagship, anon_client):
    # when
    response = anon_client.get(f"/api/v1/programs/{flagship.slug}/summary/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["program"]["slug"] == "region-led-ai-transformation"
    assert body["url"] == f"http://testserver/api/v1/programs/{flagship.pk}/summary/"
    # two sources' statements of the same budget are never added: no 584억 anywhere
    assert "total_krw" not in body["budget"]
    assert str(584 * EOK) not in str(body)
    assert body["budget"]["headline_krw"] == 350 * EOK
    assert body["budget"]["lines"] == 2
    by_source = body["budget"]["by_source"]
    assert [(s["source"]["key"], s["amount_krw"], s["lines"]) for s in by_source] == [
        ("s1", 350 * EOK, 1),
        ("s2", 234 * EOK, 1),
    ]
    assert [s["by_funding_source"] for s in by_source] == [
        [{"key": "national", "amount_krw": 350 * EOK, "lines": 1}],
        [{"key": "national_and_other", "amount_krw": 234 * EOK, "lines": 1}],
    ]
    assert [s["by_vehicle"] for s in by_source] == [
        [{"key": "supplementary_2", "amount_krw": 350 * EOK, "lines": 1}],
        [{"key": "unspecified", "amount_krw": 234 * EOK, "lines": 1}],
    ]
    assert [s["by_year"] for s in by_source] == [
        [{"key": 2025, "amount_krw": 350 * EOK, "lines": 1}],
        [{"key": None, "amount_krw": 234 * EOK, "lines": 1}],
    ]
    assert [(r["region"]["code"], r["hubs"], r["targets"]) for r in body["regions"]] == [
        ("27", 0, 0),
        ("48", 1, 2),
    ]
    assert body["companies"] == {
        "total": 4,
        "support_total_krw": 300_000_000,
        "by_status": [
            {"status": "applied", "count": 0},
            {"status": "selected", "count": 3},
            {"status": "in_progress", "count": 0},
            {"status": "completed", "count": 1},
            {"status": "dropped", "count": 0},
        ],
    }
    assert body["targets"]["total"] == 2
    assert {s["status"]: s["count"] for s in body["targets"]["by_status"]} == {
        "no_period": 1,
        "no_data": 0,
        "achieved": 1,
        "on_track": 0,
        "at_risk": 0,
        "off_track": 0,
    }
    talents = next(t for t in body["targets"]["items"] if t["metric"] == "AI 인재 양성")
    assert talents == {
        "id": talents["id"],
        "region": "48",
        "metric": "AI 인재 양성",
        "metric_en": "",
        "unit": "명",
        "comparator": "gte",
        "baseline_value": None,
        "target_value": 300,
        "latest_value": 300,
        "achievement_pct": 100,
        "status": "achieved",
    }
    assert body["awards"] == 2


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def grow(program):
    """More of every nested list of the program."""
    rp = f.RegionalParticipationFactory(program=program, region=region("50"))
    for _ in range(3):
        rp.hubs.add(f.HubFactory(region=region("50")))
        rp.linked_programs.add(f.ProgramFactory())
        f.approved_result(
            f.TargetFactory(program=None, regional_participation=rp), datetime.date(2025, 6, 30), 10
        )
        f.approved_result(f.TargetFactory(program=program), datetime.date(2025, 6, 30), 10)
        f.BudgetLineFactory(program=program, fiscal_year=2026)
        f.ProgramOrganizationFactory(program=program)
        program.related.add(f.ProgramFactory())
        program.sources.add(f.SourceFactory())
        f.ProgramFactory(parent=program)
        f.ParticipationFactory(program=program, status=Participation.Status.DROPPED)
        f.AwardFactory(program=program)


@pytest.mark.parametrize("suffix", ["", "summary/"])
def test_detail_and_summary_query_counts_do_not_grow_with_the_program(
    flagship, anon_client, suffix
):
    # given
    path = f"/api/v1/programs/{flagship.pk}/{suffix}"
    anon_client.get(path)
    before = queries(anon_client, path)
    grow(flagship)

    # when
    after = queries(anon_client, path)

    # then
    assert after == before


def test_program_detail_nests_budget_regions_hubs_targets_and_sources(flagship, anon_client):
    # when
    body = anon_client.get(f"/api/v1/programs/{flagship.slug}/").json()

    # then
    assert [(b["amount_krw"], b["source"]["key"]) for b in body["budget_lines"]] == [
        (350 * EOK, "s1"),
        (234 * EOK, "s2"),
    ]
    gyeongnam = next(r for r in body["regional_participations"] if r["region"]["code"] == "48")
    assert [h["name"] for h in gyeongnam["hubs"]] == ["제조AI 데이터센터"]
    talents = next(t for t in gyeongnam["targets"] if t["metric"] == "AI 인재 양성")
    assert (talents["status"], talents["achievement_pct"]) == (Target.Status.ACHIEVED, 100)
    assert talents["current_value"] == 300
    assert body["regions"] == ["27", "48"]


def test_event_detail_query_count_does_not_grow_with_agenda_and_participants(anon_client):
    # given
    event = f.EventFactory()
    path = f"/api/v1/events/{event.slug}/"
    anon_client.get(path)
    before = queries(anon_client, path)
    for order in range(1, 8):
        f.AgendaItemFactory(event=event, order=order, presenter_person=f.PersonFactory())
        f.EventParticipantFactory(event=event)
        f.EventOrganizationFactory(event=event)
        event.programs.add(f.ProgramFactory())
        event.sources.add(f.SourceFactory())
    f.EventFactory(parent=event, starts_at=event.starts_at)

    # when
    after = queries(anon_client, path)

    # then
    assert after == before
    assert len(anon_client.get(path).json()["agenda_items"]) == 7


def test_summary_of_unknown_program_is_404(anon_client):
    assert anon_client.get("/api/v1/programs/no-such-program/summary/").status_code == 404


def test_summary_headline_is_the_public_sites_figure(flagship, anon_client):
    from public.views import headline_budget_total

    # when
    body = anon_client.get(f"/api/v1/programs/{flagship.pk}/summary/").json()

    # then: the one shared rule (programs.budget) gives the same figure on the home page
    assert body["budget"]["headline_krw"] == headline_budget_total() == 350 * EOK
    assert body["budget"]["headline_source"]["key"] == "s1"
    assert body["budget"]["figures"] == 2


def test_summary_without_budget_lines_has_no_headline(anon_client):
    program = f.ProgramFactory()
    # when
    body = anon_client.get(f"/api/v1/programs/{program.pk}/summary/").json()
    # then
    assert body["budget"] == {
        "headline_krw": None,
        "headline_source": None,
        "figures": 0,
        "lines": 0,
        "by_source": [],
    }
