"""factory_boy factories: one `<Model>Factory` per concrete model of the domain apps.

Defaults are valid (they pass ``full_clean()``); optional relations are left empty unless the
model needs them. Regions are reference data loaded by a migration, so ``RegionFactory`` gets
the existing row by code (경상남도, "48") instead of inventing one.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from alerts.models import SavedSearch, SentItem
from companies.models import Company
from companies.validators import BRN_WEIGHTS
from core.models import Organization, Person, Region, SearchDocument, SearchWord, Source
from events.models import SEOUL, AgendaItem, Award, Event, EventOrganization, EventParticipant
from indicators.models import Observation, StatisticSeries
from programs.models import (
    BudgetLine,
    CofinancingRule,
    Hub,
    Outcome,
    Participation,
    Program,
    ProgramOrganization,
    RegionalParticipation,
    Target,
)
from results.models import (
    FollowUp,
    ReportingPeriod,
    ResultBreakdown,
    ResultEvidence,
    ResultNotice,
    ResultTransition,
    ResultUpdate,
)


def business_number_check_digit(first_nine: str) -> int:
    """The NTS check digit of a 사업자등록번호 (the same rule as companies.validators)."""
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def make_business_number(first_nine: str) -> str:
    """A valid ten-digit 사업자등록번호 that starts with ``first_nine``."""
    return f"{first_nine}{business_number_check_digit(first_nine)}"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "48"
    name = factory.Sequence(lambda n: f"시험지역{n}")
    short_name = factory.Sequence(lambda n: f"시험{n}")
    name_en = factory.Sequence(lambda n: f"Test region {n}")
    is_capital_area = False


class SearchDocumentFactory(DjangoModelFactory):
    """A bare index row; real ones are written by ``core.search.index_record``."""

    class Meta:
        model = SearchDocument

    model = "core.region"
    object_id = factory.Sequence(lambda n: 900000 + n)
    record_type = "region"
    title = factory.Sequence(lambda n: f"색인 문서 {n}")


class SearchWordFactory(DjangoModelFactory):
    class Meta:
        model = SearchWord

    word = factory.Sequence(lambda n: f"낱말{n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    kind = Source.Kind.PRESS_RELEASE
    publisher = "중소벤처기업부"
    title = factory.Sequence(lambda n: f"제조 AI 보도자료 {n}")
    url = factory.Sequence(lambda n: f"https://www.mss.go.kr/press/{n}")
    published_at = datetime.datetime(2025, 6, 25, 12, 0, tzinfo=SEOUL)
    published_precision = Source.Precision.MINUTE


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"시험 기관 {n}")
    kind = Organization.Kind.AGENCY


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"홍길동{n}")
    position = "과장"
    organization = factory.SubFactory(OrganizationFactory)


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"시험 제조 {n} 주식회사")
    kind = Organization.Kind.COMPANY
    region = factory.SubFactory(RegionFactory)
    business_number = factory.Sequence(lambda n: make_business_number(f"{101810000 + n:09d}"))
    size = Company.Size.SMALL
    is_ai_demand = True


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"제조 AI 확산 사업 {n}")
    kind = Program.Kind.PROGRAM
    status = Program.Status.IN_PROGRESS
    planned_start = datetime.date(2025, 1, 1)
    planned_end = datetime.date(2025, 12, 31)


class ProgramOrganizationFactory(DjangoModelFactory):
    class Meta:
        model = ProgramOrganization

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = ProgramOrganization.Role.HOST


class HubFactory(DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"제조 AI 데이터센터 {n}")
    region = factory.SubFactory(RegionFactory)


class RegionalParticipationFactory(DjangoModelFactory):
    class Meta:
        model = RegionalParticipation

    program = factory.SubFactory(ProgramFactory)
    region = factory.SubFactory(RegionFactory)
    status = RegionalParticipation.Status.SELECTED
    selected_on = datetime.date(2025, 3, 14)
    budget_krw = 10_000_000_000


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    program = factory.SubFactory(ProgramFactory)
    amount_krw = 35_000_000_000
    funding_source = BudgetLine.FundingSource.NATIONAL
    vehicle = BudgetLine.Vehicle.MAIN
    fiscal_year = 2025
    status = BudgetLine.Status.ANNOUNCED
    source = factory.SubFactory(SourceFactory)


class CofinancingRuleFactory(DjangoModelFactory):
    class Meta:
        model = CofinancingRule

    program = factory.SubFactory(ProgramFactory)
    scope = CofinancingRule.Scope.REGIONAL_BUDGET
    share = CofinancingRule.Share.NATIONAL
    bound = CofinancingRule.Bound.AT_MOST
    percent = 70


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    program = factory.SubFactory(ProgramFactory)
    regional_participation = None
    metric = "AI 도입 기업 수"
    unit = "개사"
    direction = Target.Direction.HIGHER
    comparator = Target.Comparator.GTE
    target_value = Decimal("100")


def staff_account(n: int):
    """A staff account (accounts are not domain models: no factory of their own)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        f"staff{n}", email=f"staff{n}@example.go.kr", password=None, is_staff=True
    )


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    target = factory.SubFactory(TargetFactory)
    start = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n * 2))
    end = factory.LazyAttribute(lambda o: o.start)
    deadline = factory.LazyAttribute(lambda o: o.end + datetime.timedelta(days=20))


class ResultUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ResultUpdate

    period = factory.SubFactory(ReportingPeriodFactory)
    value = Decimal("10")
    as_of = factory.LazyAttribute(lambda o: o.period.end)


class ResultBreakdownFactory(DjangoModelFactory):
    class Meta:
        model = ResultBreakdown

    update = factory.SubFactory(ResultUpdateFactory)
    category = factory.Sequence(lambda n: f"구분 {n}")
    value = Decimal("5")


class ResultEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = ResultEvidence

    update = factory.SubFactory(ResultUpdateFactory)
    file = factory.django.FileField(filename="evidence.pdf", data=b"%PDF-1.4 evidence")
    original_name = "evidence.pdf"
    size_bytes = 17


class ResultTransitionFactory(DjangoModelFactory):
    class Meta:
        model = ResultTransition

    update = factory.SubFactory(ResultUpdateFactory)
    from_status = ResultUpdate.Status.DRAFT
    to_status = ResultUpdate.Status.SUBMITTED


class ResultNoticeFactory(DjangoModelFactory):
    class Meta:
        model = ResultNotice

    kind = ResultNotice.Kind.DEADLINE
    key = factory.Sequence(lambda n: f"deadline:{n}")
    recipient = factory.Sequence(staff_account)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    title = factory.Sequence(lambda n: f"후속 간담회 {n}")
    owner = factory.SubFactory(OrganizationFactory)
    source = factory.SubFactory(SourceFactory)
    due_end = datetime.date(2025, 4, 30)


def approved_result(target, on, value, *, source=None, note="", start=None):
    """An approved update of ``value`` as of ``on`` in a period of ``target`` (one day long
    unless ``start`` is given), with the target's progress refreshed: a reported actual."""
    from results import progress

    period = ReportingPeriod.objects.filter(target=target, start__lte=on, end__gte=on).first()
    if period is None:
        period = ReportingPeriodFactory(target=target, start=start or on, end=on)
    update = ResultUpdateFactory(
        period=period,
        value=value,
        as_of=on,
        source=source,
        comment=note,
        status=ResultUpdate.Status.APPROVED,
    )
    progress.period_refresh(period)
    progress.target_refresh(target)
    return update


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    company = factory.SubFactory(CompanyFactory)
    program = factory.SubFactory(ProgramFactory)
    status = Participation.Status.SELECTED
    applied_on = datetime.date(2025, 2, 1)
    selected_on = datetime.date(2025, 3, 14)
    support_amount_krw = 200_000_000


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    participation = factory.SubFactory(ParticipationFactory)
    company = factory.SelfAttribute("participation.company")
    metric = "불량률"
    unit = "%"
    direction = Target.Direction.LOWER
    baseline_value = Decimal("5.00")
    result_value = Decimal("3.00")
    change_pct = Decimal("-40.0")


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"제조 AI 컨퍼런스 {n}")
    kind = Event.Kind.CONFERENCE
    starts_at = datetime.datetime(2025, 6, 25, 14, 0, tzinfo=SEOUL)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))


class EventOrganizationFactory(DjangoModelFactory):
    class Meta:
        model = EventOrganization

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = EventOrganization.Role.HOST


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    order = factory.Sequence(lambda n: n + 1)
    starts_at = factory.SelfAttribute("event.starts_at")
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))
    title = factory.Sequence(lambda n: f"발표 {n}")
    kind = AgendaItem.Kind.TALK


class EventParticipantFactory(DjangoModelFactory):
    class Meta:
        model = EventParticipant

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    role = EventParticipant.Role.SPEAKER


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    name = "제조 AI 우수사례 경진대회"
    event = None
    year = factory.LazyAttribute(lambda o: o.event.local_date.year if o.event else 2025)
    rank = "대상"
    prize = "중소벤처기업부 장관상"
    recipient_company = factory.SubFactory(CompanyFactory)


class StatisticSeriesFactory(DjangoModelFactory):
    class Meta:
        model = StatisticSeries

    slug = factory.Sequence(lambda n: f"series-{n}")
    name = factory.Sequence(lambda n: f"중소기업 AI 활용률 {n}")
    unit = "%"


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = Observation

    series = factory.SubFactory(StatisticSeriesFactory)
    dimension = Observation.Dimension.TOTAL
    segment = "전체"
    period = factory.Sequence(lambda n: f"{2000 + n // 12}-{n % 12 + 1:02d}")
    value = Decimal("12.500")


class SavedSearchFactory(DjangoModelFactory):
    class Meta:
        model = SavedSearch

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    query = "AI"
    frequency = "weekly"


class SentItemFactory(DjangoModelFactory):
    class Meta:
        model = SentItem

    saved_search = factory.SubFactory(SavedSearchFactory)
    model = "programs.program"
    object_id = factory.Sequence(lambda n: n + 1)
