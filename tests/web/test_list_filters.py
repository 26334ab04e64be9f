"""Company filters, program sorting and side events on the main event, with factory data only
(no demo data set: each test builds what it reads)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Region
from tests.factories import (
    AgendaItemFactory,
    AwardFactory,
    BudgetLineFactory,
    CompanyFactory,
    EventFactory,
    ParticipationFactory,
    ProgramFactory,
    RegionalParticipationFactory,
)

from .test_list_pages import company_names, html_of, program_slugs

# --- /companies/ ----------------------------------------------------------------------------


@pytest.fixture
def companies(db):
    gyeongnam, busan = Region.objects.get(code="48"), Region.objects.get(code="26")
    program = ProgramFactory(slug="ax-sprint", name="AX 스프린트")
    supplier = CompanyFactory(
        name="가온 AI", region=gyeongnam, size="medium", is_ai_supplier=True, is_ai_demand=False
    )
    demand = CompanyFactory(name="나래 정밀", region=gyeongnam, size="small")
    other = CompanyFactory(name="다솜 금속", region=busan, size="small")
    ParticipationFactory(company=demand, program=program)
    AwardFactory(recipient_company=other, program=program)
    return {"program": program, "supplier": supplier, "demand": demand, "other": other}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["가온 AI", "나래 정밀", "다솜 금속"]),
        ({"region": "48"}, ["가온 AI", "나래 정밀"]),
        ({"size": "small"}, ["나래 정밀", "다솜 금속"]),
        ({"role": "supplier"}, ["가온 AI"]),
        ({"role": "demand"}, ["나래 정밀", "다솜 금속"]),
        ({"program": "ax-sprint"}, ["나래 정밀"]),
        ({"awarded": "1"}, ["다솜 금속"]),
        ({"region": "48", "role": "demand", "program": "ax-sprint"}, ["나래 정밀"]),
    ],
)
def test_company_list_filters(client, companies, query, names):
    assert company_names(client.get(reverse("company-list"), query)) == names


def test_company_list_shows_region_roles_and_programs(client, companies):
    html = html_of(client.get(reverse("company-list"), {"program": "ax-sprint"}))
    assert "기업 1곳" in html
    assert '<a href="/regions/48/">경남</a>' in html
    assert '<a href="/programs/ax-sprint/">AX 스프린트</a>' in html
    assert '<span class="badge">AI 수요기업</span>' in html


def test_company_list_drops_an_unknown_filter_value_with_a_notice(client, companies):
    response = client.get(reverse("company-list"), {"size": "giant", "region": "48"})
    assert company_names(response) == ["가온 AI", "나래 정밀"]
    assert "<strong>기업 규모</strong>: 목록에 있는 값을 골라 주세요." in html_of(response)


def test_company_list_htmx_partial_is_the_results_only(client, companies):
    html = html_of(client.get(reverse("company-list"), {"region": "26"}, HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<section id="results"')
    assert "다솜 금속" in html and "가온 AI" not in html


def test_company_list_in_english(client, companies):
    html = html_of(client.get("/en/companies/", {"role": "supplier"}))
    assert "1 company" in html
    assert "AI supplier" in html


# --- program list sorting -------------------------------------------------------------------


@pytest.fixture
def sortable(db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    a = ProgramFactory(
        slug="a",
        name="가 사업",
        planned_start=datetime.date(2024, 1, 1),
        planned_end=None,
        application_end=today - 30 * day,
    )
    b = ProgramFactory(
        slug="b",
        name="나 사업",
        planned_start=datetime.date(2026, 1, 1),
        planned_end=None,
        application_end=today + 20 * day,
    )
    c = ProgramFactory(
        slug="c", name="다 사업", planned_start=datetime.date(2025, 1, 1), planned_end=None
    )
    d = ProgramFactory(
        slug="d",
        name="라 사업",
        planned_start=None,
        planned_end=None,
        application_end=today + 2 * day,
    )
    BudgetLineFactory(program=a, amount_krw=5 * 10**9)
    BudgetLineFactory(program=c, amount_krw=9 * 10**9)
    BudgetLineFactory(program=d, amount_krw=1 * 10**9)
    return [a, b, c, d]


@pytest.mark.parametrize(
    ("sort", "slugs"),
    [
        ("", ["a", "b", "c", "d"]),
        ("name", ["a", "b", "c", "d"]),
        ("newest", ["b", "c", "a", "d"]),  # no start date last
        (
            "deadline",
            ["d", "b", "a", "c"],
        ),  # open calls by nearest deadline, then closed, then none
        ("budget", ["c", "a", "d", "b"]),  # the headline figure, none last
    ],
)
def test_program_list_sorts(client, sortable, sort, slugs):
    assert program_slugs(client.get(reverse("program-list"), {"sort": sort})) == slugs


def test_program_list_sort_keeps_the_filters(client, sortable):
    RegionalParticipationFactory(program=sortable[0], region=Region.objects.get(code="48"))
    RegionalParticipationFactory(program=sortable[2], region=Region.objects.get(code="48"))
    response = client.get(reverse("program-list"), {"sort": "budget", "region": "48"})
    assert program_slugs(response) == ["c", "a"]
    assert '<option value="budget" selected>예산 큰 순</option>' in html_of(response)


def test_program_list_ignores_an_unknown_sort(client, sortable):
    response = client.get(reverse("program-list"), {"sort": "random"})
    assert program_slugs(response) == ["a", "b", "c", "d"]
    assert "<strong>정렬</strong>: 목록에 있는 값을 골라 주세요." in html_of(response)


def test_program_cards_show_the_application_deadline(client, db):
    ProgramFactory(slug="call", application_end=datetime.date(2026, 6, 10))
    assert '<time datetime="2026-06-10">2026년 6월 10일</time>' in html_of(
        client.get(reverse("program-list"))
    )


# --- what happened at the side events --------------------------------------------------------


def test_main_event_page_shows_side_event_agendas_and_awards_not_only_links(client, db):
    main = EventFactory(slug="main")
    side = EventFactory(slug="side", parent=main, starts_at=main.starts_at, name="부대 세미나")
    AgendaItemFactory(event=side, title="스마트공장 사례 발표")
    AwardFactory(event=side, name="혁신상", recipient_company=CompanyFactory(name="라온 산업"))
    hidden = EventFactory(
        slug="hidden",
        parent=main,
        starts_at=main.starts_at,
        embargo_until=timezone.now() + datetime.timedelta(days=3),
    )
    AgendaItemFactory(event=hidden, title="엠바고 발표")
    html = html_of(client.get(reverse("event-detail", args=["main"])))
    assert "스마트공장 사례 발표" in html
    assert "혁신상" in html and "라온 산업" in html
    assert "엠바고 발표" not in html
    assert "/events/hidden/" not in html


def test_program_statuses_unchanged_by_sorting(db):
    # the sort reads programs.budget's headline figure, never a sum across sources
    program = ProgramFactory(slug="two-sources")
    BudgetLineFactory(program=program, amount_krw=3 * 10**9)
    BudgetLineFactory(program=program, amount_krw=4 * 10**9)
    from programs.views import program_list_queryset, sort_programs

    row = sort_programs(program_list_queryset(), "budget").get(slug="two-sources")
    assert row.largest_budget == 4 * 10**9
