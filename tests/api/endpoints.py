"""The one table of API endpoints that drives the generic tests (tests/api/test_endpoints.py).

Each ``Endpoint`` says how to build ``n`` rich rows (every nested list filled, so a per-row query
would show in the query counts), how to look a row up, and one ``FilterCase`` per filter: a
setup that creates matching and non-matching rows and returns the query and the expected ids.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import resolve

from companies.api.serializers import CompanySerializer
from companies.models import Company
from core.api.serializers import (
    OrganizationSerializer,
    PersonSerializer,
    RegionSerializer,
    SourceSerializer,
)
from core.models import Organization, Region, Source
from events.api.serializers import AwardSerializer, EventDetailSerializer, EventSerializer
from events.models import SEOUL, Event
from indicators.api.serializers import (
    ObservationSerializer,
    StatisticSeriesDetailSerializer,
    StatisticSeriesSerializer,
)
from indicators.models import Observation
from programs.api.serializers import (
    ParticipationSerializer,
    ProgramDetailSerializer,
    ProgramSerializer,
)
from programs.models import Participation, Program, ProgramOrganization
from tests import factories as f

API = "/api/v1/"


@dataclass(frozen=True)
class FilterCase:
    name: str
    setup: Callable[[], tuple[dict, set]]


@dataclass(frozen=True)
class Endpoint:
    name: str
    make: Callable[[int], list]
    serializer: type
    detail_serializer: type | None = None
    lookups: Callable[[object], list[str]] = lambda obj: [str(obj.pk)]
    filters: tuple[FilterCase, ...] = field(default_factory=tuple)
    staff_only: bool = False

    @property
    def path(self) -> str:
        return f"{API}{self.name}/"

    def total(self) -> int:
        """Rows of the endpoint's model in the database (the builders also make related rows)."""
        return resolve(self.path).func.cls.queryset.model.objects.count()

    def __str__(self):
        return self.name


def region(code: str) -> Region:
    return Region.objects.get(code=code)


# --- builders of rich rows --------------------------------------------------------------------


def make_regions(n):
    return list(Region.objects.order_by("code")[:n])


def make_organizations(n):
    parent = f.OrganizationFactory(kind=Organization.Kind.MINISTRY)
    return [f.OrganizationFactory(parent=parent, region=region("48")) for _ in range(n)]


def make_sources(n):
    return [f.SourceFactory() for _ in range(n)]


def make_people(n):
    return [
        f.PersonFactory(phone=f"044-204-{7000 + i}", email=f"person{i}@mss.go.kr") for i in range(n)
    ]


def make_companies(n):
    return [f.CompanyFactory() for _ in range(n)]


def rich_program(**kwargs) -> Program:
    ministry = f.OrganizationFactory(kind=Organization.Kind.MINISTRY)
    program = f.ProgramFactory(lead_ministry=ministry, **kwargs)
    f.ProgramOrganizationFactory(program=program, role=ProgramOrganization.Role.ORGANIZER)
    source = f.SourceFactory()
    program.sources.add(source)
    f.BudgetLineFactory(program=program, source=source)
    rp = f.RegionalParticipationFactory(program=program, region=region("48"))
    rp.hubs.add(f.HubFactory(region=region("48")))
    rp.linked_programs.add(f.ProgramFactory())
    f.approved_result(
        f.TargetFactory(program=None, regional_participation=rp), datetime.date(2025, 6, 30), 10
    )
    f.approved_result(f.TargetFactory(program=program), datetime.date(2025, 6, 30), 10)
    program.related.add(f.ProgramFactory())
    f.ProgramFactory(parent=program)
    return program


def make_programs(n):
    return [rich_program() for _ in range(n)]


def rich_participation(**kwargs) -> Participation:
    participation = f.ParticipationFactory(
        consent_to_publish=True, supplier=f.CompanyFactory(is_ai_supplier=True), **kwargs
    )
    f.OutcomeFactory(participation=participation, source=f.SourceFactory())
    participation.sources.add(f.SourceFactory())
    return participation


def make_participations(n):
    program = f.ProgramFactory()
    return [rich_participation(program=program, region=region("48")) for _ in range(n)]


def rich_event(**kwargs) -> Event:
    event = f.EventFactory(region=region("48"), **kwargs)
    f.EventOrganizationFactory(event=event)
    event.programs.add(f.ProgramFactory())
    event.sources.add(f.SourceFactory())
    f.AgendaItemFactory(event=event, order=1, presenter_person=f.PersonFactory())
    f.EventParticipantFactory(event=event, is_public=True)
    return event


def make_events(n):
    return [rich_event() for _ in range(n)]


def rich_award(**kwargs):
    award = f.AwardFactory(**kwargs)
    award.outcomes.add(f.OutcomeFactory())
    award.sources.add(f.SourceFactory())
    return award


def make_awards(n):
    return [rich_award() for _ in range(n)]


def make_observations(n):
    series = f.StatisticSeriesFactory(source=f.SourceFactory())
    return [f.ObservationFactory(series=series) for _ in range(n)]


def make_series(n):
    org = f.OrganizationFactory(kind=Organization.Kind.RESEARCH_INSTITUTE)
    out = []
    for _ in range(n):
        series = f.StatisticSeriesFactory(source_organization=org, source=f.SourceFactory())
        f.ObservationFactory(series=series)
        out.append(series)
    return out


# --- filter cases -----------------------------------------------------------------------------


def ids(objs) -> set:
    return {o.pk for o in objs}


def case(name):
    def wrap(setup):
        return FilterCase(name, setup)

    return wrap


@case("is_capital_area")
def regions_capital():
    return {"is_capital_area": "true"}, set(
        Region.objects.filter(code__in=["11", "28", "41"]).values_list("pk", flat=True)
    )


@case("search")
def regions_search():
    return {"search": "Gyeongnam"}, {region("48").pk}


@case("kind")
def organizations_kind():
    wanted = [f.OrganizationFactory(kind=Organization.Kind.UNIVERSITY) for _ in range(2)]
    f.OrganizationFactory(kind=Organization.Kind.AGENCY)
    return {"kind": "university"}, ids(wanted)


@case("region")
def organizations_region():
    wanted = [f.OrganizationFactory(region=region("26")) for _ in range(2)]
    f.OrganizationFactory(region=region("48"))
    return {"region": "26"}, ids(wanted)


@case("parent")
def organizations_parent():
    parent = f.OrganizationFactory()
    wanted = [f.OrganizationFactory(parent=parent) for _ in range(2)]
    f.OrganizationFactory()
    return {"parent": parent.pk}, ids(wanted)


@case("search")
def organizations_search():
    wanted = [f.OrganizationFactory(name="경상국립대학교", name_en="Gyeongsang National Univ.")]
    f.OrganizationFactory(name="창원대학교")
    return {"search": "gyeongsang"}, ids(wanted)


@case("kind")
def sources_kind():
    wanted = [f.SourceFactory(kind=Source.Kind.NEWS) for _ in range(2)]
    f.SourceFactory(kind=Source.Kind.REPORT)
    return {"kind": "news"}, ids(wanted)


@case("publisher")
def sources_publisher():
    wanted = [f.SourceFactory(publisher="뉴스스텝")]
    f.SourceFactory(publisher="메트로서울")
    return {"publisher": "뉴스스텝"}, ids(wanted)


@case("search")
def sources_search():
    wanted = [f.SourceFactory(title="스마트제조 정책혁신 라운드테이블 개최")]
    f.SourceFactory(title="비전선포식")
    return {"search": "라운드테이블"}, ids(wanted)


@case("organization")
def people_organization():
    org = f.OrganizationFactory()
    wanted = [f.PersonFactory(organization=org) for _ in range(2)]
    f.PersonFactory()
    return {"organization": org.pk}, ids(wanted)


@case("search")
def people_search():
    wanted = [f.PersonFactory(name="곽재경")]
    f.PersonFactory(name="부영희")
    return {"search": "곽재경"}, ids(wanted)


@case("region")
def companies_region():
    wanted = [f.CompanyFactory(region=region("27")) for _ in range(2)]
    f.CompanyFactory(region=region("48"))
    return {"region": "27"}, ids(wanted)


@case("program-id")
def companies_program_id():
    program = f.ProgramFactory()
    wanted = [f.ParticipationFactory(program=program).company for _ in range(2)]
    f.ParticipationFactory()
    return {"program": program.pk}, ids(wanted)


@case("program-slug")
def companies_program_slug():
    program = f.ProgramFactory(slug="region-led-ai")
    wanted = [f.ParticipationFactory(program=program).company]
    f.ParticipationFactory()
    return {"program": "region-led-ai"}, ids(wanted)


@case("size")
def companies_size():
    wanted = [f.CompanyFactory(size=Company.Size.MEDIUM)]
    f.CompanyFactory(size=Company.Size.SMALL)
    return {"size": "medium"}, ids(wanted)


@case("role-supplier")
def companies_role_supplier():
    wanted = [f.CompanyFactory(is_ai_supplier=True, is_ai_demand=False)]
    f.CompanyFactory(is_ai_supplier=False, is_ai_demand=True)
    return {"role": "supplier"}, ids(wanted)


@case("role-demand")
def companies_role_demand():
    wanted = [f.CompanyFactory(is_ai_supplier=False, is_ai_demand=True)]
    f.CompanyFactory(is_ai_supplier=True, is_ai_demand=False)
    return {"role": "demand"}, ids(wanted)


@case("search")
def companies_search():
    wanted = [f.CompanyFactory(name="천일엔지니어링")]
    f.CompanyFactory(name="인터엑스")
    return {"search": "천일"}, ids(wanted)


@case("kind")
def programs_kind():
    wanted = [f.ProgramFactory(kind=Program.Kind.LAW)]
    f.ProgramFactory(kind=Program.Kind.PROGRAM)
    return {"kind": "law"}, ids(wanted)


@case("status")
def programs_status():
    wanted = [f.ProgramFactory(status=Program.Status.UNDER_DELIBERATION)]
    f.ProgramFactory(status=Program.Status.IN_PROGRESS)
    return {"status": "under_deliberation"}, ids(wanted)


@case("region")
def programs_region():
    wanted = [f.RegionalParticipationFactory(region=region("31")).program for _ in range(2)]
    f.RegionalParticipationFactory(region=region("48"))
    return {"region": "31"}, ids(wanted)


@case("year")
def programs_year():
    wanted = [
        f.ProgramFactory(planned_start=datetime.date(2024, 1, 1), planned_end=None),
        f.ProgramFactory(
            planned_start=datetime.date(2023, 1, 1),
            planned_end=datetime.date(2023, 12, 31),
            actual_start=datetime.date(2023, 1, 1),
            actual_end=datetime.date(2026, 6, 30),
        ),
    ]
    f.ProgramFactory(planned_start=datetime.date(2023, 1, 1), planned_end=datetime.date(2023, 6, 1))
    f.ProgramFactory(planned_start=datetime.date(2027, 1, 1), planned_end=None)
    return {"year": 2025}, ids(wanted)


@case("organization")
def programs_organization():
    org = f.OrganizationFactory()
    led = f.ProgramFactory(lead_ministry=org)
    role = f.ProgramOrganizationFactory(organization=org).program
    f.ProgramOrganizationFactory(
        organization=org, program=role, role=ProgramOrganization.Role.FUNDER
    )
    f.ProgramFactory()
    return {"organization": org.pk}, {led.pk, role.pk}


@case("parent")
def programs_parent():
    parent = f.ProgramFactory()
    wanted = [f.ProgramFactory(parent=parent) for _ in range(2)]
    f.ProgramFactory()
    return {"parent": parent.pk}, ids(wanted)


@case("search")
def programs_search():
    wanted = [f.ProgramFactory(name="지역 주도형 AI 대전환사업", name_en="Region-led AI")]
    f.ProgramFactory(name="스케일업팁스")
    return {"search": "region-led"}, ids(wanted)


@case("program")
def participations_program():
    program = f.ProgramFactory(slug="ax-demo")
    wanted = [f.ParticipationFactory(program=program) for _ in range(2)]
    f.ParticipationFactory()
    return {"program": "ax-demo"}, ids(wanted)


@case("region")
def participations_region():
    own = f.ParticipationFactory(region=region("46"))
    via_company = f.ParticipationFactory(region=None, company=f.CompanyFactory(region=region("46")))
    f.ParticipationFactory(region=region("48"))
    f.ParticipationFactory(region=region("48"), company=f.CompanyFactory(region=region("46")))
    return {"region": "46"}, {own.pk, via_company.pk}


@case("company")
def participations_company():
    company = f.CompanyFactory()
    wanted = [f.ParticipationFactory(company=company) for _ in range(2)]
    f.ParticipationFactory()
    return {"company": company.pk}, ids(wanted)


@case("status")
def participations_status():
    wanted = [f.ParticipationFactory(status=Participation.Status.COMPLETED)]
    f.ParticipationFactory(status=Participation.Status.SELECTED)
    return {"status": "completed"}, ids(wanted)


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2025, 11, day, hour, 0, tzinfo=SEOUL)


@case("kind")
def events_kind():
    wanted = [f.EventFactory(kind=Event.Kind.ROUNDTABLE)]
    f.EventFactory(kind=Event.Kind.CONFERENCE)
    return {"kind": "roundtable"}, ids(wanted)


@case("region")
def events_region():
    wanted = [f.EventFactory(region=region("50"))]
    f.EventFactory(region=region("48"))
    return {"region": "50"}, ids(wanted)


@case("program")
def events_program():
    program = f.ProgramFactory()
    wanted = [f.EventFactory() for _ in range(2)]
    for event in wanted:
        event.programs.add(program)
    f.EventFactory().programs.add(f.ProgramFactory())
    return {"program": program.pk}, ids(wanted)


@case("date_from")
def events_date_from():
    running = f.EventFactory(starts_at=at(18), ends_at=at(20))
    later = f.EventFactory(starts_at=at(21), ends_at=None)
    f.EventFactory(starts_at=at(17), ends_at=at(17, 12))
    return {"date_from": "2025-11-19"}, {running.pk, later.pk}


@case("date_to")
def events_date_to():
    same_day_late = f.EventFactory(
        starts_at=at(19, 23), ends_at=at(19, 23) + datetime.timedelta(minutes=30)
    )
    earlier = f.EventFactory(starts_at=at(10), ends_at=at(10, 12))
    f.EventFactory(starts_at=at(20, 0), ends_at=at(20, 2))
    return {"date_to": "2025-11-19"}, {same_day_late.pk, earlier.pk}


@case("parent")
def events_parent():
    parent = f.EventFactory(starts_at=at(19, 9))
    wanted = [f.EventFactory(parent=parent, starts_at=at(19, 13)) for _ in range(2)]
    f.EventFactory()
    return {"parent": parent.pk}, ids(wanted)


@case("search")
def events_search():
    wanted = [f.EventFactory(name="지역 AI 대전환 비전선포식", venue_name="창원컨벤션센터")]
    f.EventFactory(name="라운드테이블", venue_name="서울스퀘어")
    return {"search": "창원컨벤션"}, ids(wanted)


@case("program")
def awards_program():
    program = f.ProgramFactory(slug="ax-awards")
    wanted = [f.AwardFactory(program=program)]
    f.AwardFactory()
    return {"program": "ax-awards"}, ids(wanted)


@case("event")
def awards_event():
    event = f.EventFactory(starts_at=datetime.datetime(2025, 11, 19, 10, tzinfo=SEOUL))
    wanted = [f.AwardFactory(event=event) for _ in range(2)]
    f.AwardFactory()
    return {"event": event.pk}, ids(wanted)


@case("year")
def awards_year():
    wanted = [f.AwardFactory(year=2024)]
    f.AwardFactory(year=2025)
    return {"year": 2024}, ids(wanted)


@case("company")
def awards_company():
    company = f.CompanyFactory()
    wanted = [f.AwardFactory(recipient_company=company)]
    f.AwardFactory()
    return {"company": company.pk}, ids(wanted)


@case("series")
def statistics_series():
    series = f.StatisticSeriesFactory(slug="ai-utilization-rate")
    wanted = [f.ObservationFactory(series=series) for _ in range(2)]
    f.ObservationFactory()
    return {"series": "ai-utilization-rate"}, ids(wanted)


@case("dimension")
def statistics_dimension():
    wanted = [f.ObservationFactory(dimension=Observation.Dimension.FIRM_SIZE, segment="중소기업")]
    f.ObservationFactory(dimension=Observation.Dimension.TOTAL)
    return {"dimension": "firm_size"}, ids(wanted)


@case("segment")
def statistics_segment():
    wanted = [f.ObservationFactory(segment="대기업", value=Decimal("13.5"))]
    f.ObservationFactory(segment="중소기업")
    return {"segment": "대기업"}, ids(wanted)


@case("period")
def statistics_period():
    series = f.StatisticSeriesFactory()
    wanted = [f.ObservationFactory(series=series, period="2023", segment=s) for s in ("a", "b")]
    f.ObservationFactory(series=series, period="2017", segment="a")
    return {"period": "2023"}, ids(wanted)


@case("source_organization")
def series_source_organization():
    org = f.OrganizationFactory()
    wanted = [f.StatisticSeriesFactory(source_organization=org)]
    f.StatisticSeriesFactory()
    return {"source_organization": org.pk}, ids(wanted)


@case("search")
def series_search():
    wanted = [f.StatisticSeriesFactory(name="스마트공장 도입률")]
    f.StatisticSeriesFactory(name="AI 활용률")
    return {"search": "스마트공장"}, ids(wanted)


ENDPOINTS = (
    Endpoint(
        "regions",
        make_regions,
        RegionSerializer,
        lookups=lambda r: [r.code],
        filters=(regions_capital, regions_search),
    ),
    Endpoint(
        "organizations",
        make_organizations,
        OrganizationSerializer,
        filters=(
            organizations_kind,
            organizations_region,
            organizations_parent,
            organizations_search,
        ),
    ),
    Endpoint(
        "sources",
        make_sources,
        SourceSerializer,
        lookups=lambda s: [str(s.pk), s.key],
        filters=(sources_kind, sources_publisher, sources_search),
    ),
    Endpoint(
        "people",
        make_people,
        PersonSerializer,
        filters=(people_organization, people_search),
        staff_only=True,
    ),
    Endpoint(
        "companies",
        make_companies,
        CompanySerializer,
        filters=(
            companies_region,
            companies_program_id,
            companies_program_slug,
            companies_size,
            companies_role_supplier,
            companies_role_demand,
            companies_search,
        ),
    ),
    Endpoint(
        "programs",
        make_programs,
        ProgramSerializer,
        ProgramDetailSerializer,
        lookups=lambda p: [str(p.pk), p.slug],
        filters=(
            programs_kind,
            programs_status,
            programs_region,
            programs_year,
            programs_organization,
            programs_parent,
            programs_search,
        ),
    ),
    Endpoint(
        "participations",
        make_participations,
        ParticipationSerializer,
        filters=(
            participations_program,
            participations_region,
            participations_company,
            participations_status,
        ),
    ),
    Endpoint(
        "events",
        make_events,
        EventSerializer,
        EventDetailSerializer,
        lookups=lambda e: [str(e.pk), e.slug],
        filters=(
            events_kind,
            events_region,
            events_program,
            events_date_from,
            events_date_to,
            events_parent,
            events_search,
        ),
    ),
    Endpoint(
        "awards",
        make_awards,
        AwardSerializer,
        filters=(awards_program, awards_event, awards_year, awards_company),
    ),
    Endpoint(
        "statistics",
        make_observations,
        ObservationSerializer,
        filters=(statistics_series, statistics_dimension, statistics_segment, statistics_period),
    ),
    Endpoint(
        "statistic-series",
        make_series,
        StatisticSeriesSerializer,
        StatisticSeriesDetailSerializer,
        lookups=lambda s: [str(s.pk), s.slug],
        filters=(series_source_organization, series_search),
    ),
)

FILTER_CASES = [(endpoint, case) for endpoint in ENDPOINTS for case in endpoint.filters]
