"""load_demo: every record of the demo data set, exact figures, and a second run changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from companies.models import Company
from core.demo import load_demo
from core.models import Organization, Person, Region, Source
from events.models import SEOUL, AgendaItem, Award, Event, EventParticipant
from indicators.models import Observation, StatisticSeries
from programs.models import BudgetLine, Hub, Program, RegionalParticipation, Target

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {
    Region: 17,
    Source: 5,
    Organization: 48,
    Company: 13,
    Person: 24,
    Program: 21,
    BudgetLine: 5,
    RegionalParticipation: 5,
    Hub: 1,
    Target: 12,
    Event: 11,
    AgendaItem: 7,
    EventParticipant: 40,
    Award: 2,
    StatisticSeries: 5,
    Observation: 22,
}


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_load_demo_creates_exact_counts(demo):
    assert {m.__name__: m.objects.count() for m in EXPECTED_COUNTS} == {
        m.__name__: n for m, n in EXPECTED_COUNTS.items()
    }


def test_flagship_keeps_both_budget_figures_each_with_its_own_source(demo):
    flagship = Program.objects.get(slug="region-led-ai-transformation")
    lines = sorted(
        flagship.budget_lines.values_list(
            "amount_krw", "funding_source", "vehicle", "source__publisher"
        )
    )
    assert lines == [
        (23_400_000_000, "national_and_other", "unspecified", "뉴스스텝"),
        (35_000_000_000, "national", "supplementary_2", "시사뉴스피플"),
    ]
    assert flagship.roles.get(role="organizer").organization.short_name == "중진공"


def test_flagship_has_five_selected_regions_and_gyeongnam_detail(demo):
    flagship = Program.objects.get(slug="region-led-ai-transformation")
    codes = sorted(flagship.regional_participations.values_list("region__short_name", flat=True))
    assert codes == sorted(["경남", "대구", "울산", "전남", "제주"])
    gyeongnam = flagship.regional_participations.get(region__code="48")
    assert gyeongnam.strategy_title == "제조 특화 AI 대전환"
    assert gyeongnam.official.name == "김명주"
    assert [h.name for h in gyeongnam.hubs.all()] == ["제조AI 데이터센터"]
    hub = gyeongnam.hubs.get()
    assert (hub.site_name, hub.opening_hours, hub.has_gpu, hub.has_testbed) == (
        "경남창원산학융합원",
        "24시간",
        True,
        True,
    )
    targets = {
        t.metric: (t.comparator, t.target_value, t.direction) for t in gyeongnam.targets.all()
    }
    assert targets == {
        "맞춤형 AI 솔루션 개발·실증 지원 중소기업 (공모 선정)": ("eq", Decimal("30.00"), "higher"),
        "AI 인재 양성 (경상대·창원대·경남대·인제대)": ("gte", Decimal("300.00"), "higher"),
        "매출 증가율": ("gte", Decimal("12.00"), "higher"),
        "제조원가 변화율": ("lte", Decimal("-5.00"), "lower"),
        "납기 준수율": ("gte", Decimal("95.00"), "higher"),
    }
    linked = {
        p.name: (p.budget_lines.get().amount_krw, p.budget_lines.get().period_display)
        for p in gyeongnam.linked_programs.all()
    }
    assert linked == {
        "AX실증산단 구축사업": (22_200_000_000, "2025–2028"),
        "AI팩토리사업": (25_600_000_000, "2025–2028"),
        "제조업 AI융합기반 조성사업": (45_000_000_000, "2024–2026"),
    }


def test_tips_targets(demo):
    shares = dict(
        Target.objects.filter(metric="지역기업 선정 비중").values_list(
            "program__slug", "target_value"
        )
    )
    assert shares == {"tips": Decimal("20.00"), "scale-up-tips": Decimal("50.00")}
    tips_stats = dict(
        Observation.objects.filter(series__slug="scale-up-tips-regional").values_list(
            "segment", "value"
        )
    )
    assert tips_stats == {
        "운영사 중 지역 VC": Decimal("14.600"),
        "투자액 중 지역기업": Decimal("41.000"),
    }


def test_award_with_outcomes(demo):
    award = Award.objects.get(rank="대상")
    assert (award.name, award.year, award.recipient_company.name, award.selected_count) == (
        "AX 우수사례 시상",
        2025,
        "천일엔지니어링",
        10,
    )
    assert award.event.parent.slug == "2025-regional-ai-vision-ceremony"
    assert sorted(award.outcomes.values_list("metric", "change_pct")) == [
        ("불량률", Decimal("-42.3")),
        ("생산성", Decimal("20.8")),
    ]


def test_events_side_events_agenda_and_private_contacts(demo):
    ceremony = Event.objects.get(slug="2025-regional-ai-vision-ceremony")
    assert ceremony.side_events.count() == 7
    assert ceremony.attendee_count_approx == 200
    council = Event.objects.get(slug="2026-ai-plus-policy-council")
    assert council.starts_at == datetime.datetime(2026, 7, 1, 14, 0, tzinfo=SEOUL)
    assert council.ends_at == datetime.datetime(2026, 7, 1, 16, 0, tzinfo=SEOUL)
    assert (council.venue_name, council.alternative_venue_name) == (
        "청주 오스코(OSCO)",
        "오송역 회의실",
    )
    slots = [
        (
            a.starts_at.astimezone(SEOUL).strftime("%H:%M"),
            a.ends_at.astimezone(SEOUL).strftime("%H:%M"),
        )
        for a in council.agenda_items.all()
    ]
    assert slots == [
        ("14:00", "14:10"),
        ("14:10", "14:20"),
        ("14:20", "14:30"),
        ("14:30", "14:40"),
        ("14:40", "14:50"),
        ("14:50", "15:00"),
        ("15:00", "16:00"),
    ]
    assert all(a.open_to_press for a in council.agenda_items.all())
    contacts = council.participants.filter(role="press_contact")
    assert sorted(contacts.values_list("person__name", "person__phone", "is_public")) == [
        ("곽재경", "044-204-7250", False),
        ("김선아", "044-300-0925", False),
        ("부영희", "044-204-7752", False),
        ("송치평", "044-300-0921", False),
        ("양소현", "044-204-7242", False),
    ]
    assert council.embargo_until == datetime.datetime(2026, 7, 2, tzinfo=SEOUL)
    assert council.release_at == datetime.datetime(2026, 7, 1, 12, 0, tzinfo=SEOUL)


def test_statistics_keep_the_printed_value_as_a_note(demo):
    rows = {
        (o.segment, o.period): o.value
        for o in Observation.objects.filter(series__slug="ai-utilization-rate")
    }
    assert rows == {
        ("대기업", "2017"): Decimal("1.000"),
        ("대기업", "2023"): Decimal("13.500"),
        ("중소기업", "2017"): Decimal("0.200"),
        ("중소기업", "2023"): Decimal("4.500"),
        ("서비스업", "2017"): Decimal("0.300"),
        ("서비스업", "2023"): Decimal("6.800"),
        ("제조업", "2017"): Decimal("0.200"),
        ("제조업", "2023"): Decimal("2.500"),
        ("수도권", "2017"): Decimal("0.300"),
        ("수도권", "2023"): Decimal("6.100"),
        ("비수도권", "2017"): Decimal("0.100"),
        ("비수도권", "2023"): Decimal("1.800"),
    }
    sme = Observation.objects.get(
        series__slug="ai-utilization-rate", segment="중소기업", period="2017"
    )
    assert sme.printed_value == "0.25"
    assert "0.8%p" in sme.note


def test_five_sources_each_with_publisher(demo):
    assert sorted(Source.objects.values_list("publisher", flat=True)) == [
        "뉴스스텝",
        "뉴스스텝",
        "메트로서울",
        "시사뉴스피플",
        "중소벤처기업부",
    ]


def test_unrelated_news_is_not_loaded(demo):
    names = " ".join(Program.objects.values_list("name", flat=True)) + " ".join(
        Event.objects.values_list("name", flat=True)
    )
    for noise in ("데이터센터 전력", "K리그", "의회 예산"):
        assert noise not in names


def test_second_run_changes_nothing(demo):
    # given the demo loaded once
    versions = {
        m.__name__: sorted(m.objects.values_list("pk", "version"))
        for m in (Program, Event, Company, BudgetLine, Target)
    }
    history = Program.history.count() + Event.history.count() + Company.history.count()
    # when it is loaded again
    call_command("load_demo", verbosity=0)
    # then no row was created or saved: same versions, no new history
    assert {
        m.__name__: sorted(m.objects.values_list("pk", "version"))
        for m in (Program, Event, Company, BudgetLine, Target)
    } == versions
    assert Program.history.count() + Event.history.count() + Company.history.count() == history
    assert {m.__name__: m.objects.count() for m in EXPECTED_COUNTS} == {
        m.__name__: n for m, n in EXPECTED_COUNTS.items()
    }


def test_missing_only_keeps_staff_edits_and_restores_missing_records(demo):
    # given a staff edit to a demo record and a deleted demo source link
    flagship = Program.objects.get(slug="region-led-ai-transformation")
    flagship.summary = "직원이 고친 요약"
    flagship.save()
    Hub.objects.get(name="제조AI 데이터센터").regional_participations.clear()
    AgendaItem.objects.filter(order=7).delete()
    # when the demo is loaded with --missing-only (what `make run` does)
    call_command("load_demo", "--missing-only", verbosity=0)
    # then the edit stands, the missing agenda item is back, and the emptied link is restored
    flagship.refresh_from_db()
    assert flagship.summary == "직원이 고친 요약"
    assert AgendaItem.objects.filter(order=7).count() == 1
    assert Hub.objects.get(name="제조AI 데이터센터").regional_participations.count() == 1
    # and a full load brings the demo text back
    call_command("load_demo", verbosity=0)
    flagship.refresh_from_db()
    assert flagship.summary.startswith("지역 중소기업의 AI 활용을 높이는")


def test_missing_only_on_an_empty_database_loads_everything():
    # given an empty database, when the demo is loaded with --missing-only
    call_command("load_demo", "--missing-only", verbosity=0)
    # then a full load finds nothing left to change
    assert load_demo() == 0
    assert (
        RegionalParticipation.objects.get(region__code="48").strategy_title == "제조 특화 AI 대전환"
    )
