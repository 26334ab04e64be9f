"""Model invariants: 사업자등록번호, named constraints, clean() rules, target progress, money."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from factory.django import DjangoModelFactory

from alerts.models import SentItem
from companies.models import Company
from companies.validators import is_valid_business_number, validate_business_number
from core.formatting import format_krw
from core.models import Organization, Person, Region, SearchDocument
from events.models import SEOUL, AgendaItem, EventOrganization, EventParticipant
from indicators.models import Observation
from intake.models import IntakeDocument
from opendata.models import DataPackage
from programs.models import (
    CofinancingRule,
    Hub,
    Participation,
    ProgramOrganization,
    RegionalParticipation,
    Target,
)
from results.models import FollowUp, ReportingPeriod, ResultBreakdown, ResultNotice
from tests import factories
from tests.factories import (
    AgendaItemFactory,
    AwardFactory,
    BudgetLineFactory,
    CofinancingRuleFactory,
    CompanyFactory,
    EventFactory,
    EventOrganizationFactory,
    EventParticipantFactory,
    FollowUpFactory,
    HubFactory,
    ObservationFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    PersonFactory,
    ProgramFactory,
    ProgramOrganizationFactory,
    RegionalParticipationFactory,
    RegionFactory,
    ReportingPeriodFactory,
    ResultBreakdownFactory,
    ResultNoticeFactory,
    ResultUpdateFactory,
    SearchDocumentFactory,
    SentItemFactory,
    SourceFactory,
    TargetFactory,
    business_number_check_digit,
    make_business_number,
)

pytestmark = pytest.mark.django_db

DOMAIN_APPS = (
    "core",
    "companies",
    "programs",
    "events",
    "indicators",
    "results",
    "alerts",
    "opendata",
    "intake",
)

BRN_FORMAT_MESSAGE = "사업자등록번호는 숫자 10자리여야 합니다 (예: 220-81-62517)."
BRN_CHECKSUM_MESSAGE = (
    "사업자등록번호의 검증번호(마지막 자리)가 맞지 않습니다. 번호를 다시 확인해 주세요."
)


def seoul(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SEOUL)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def domain_models() -> list[type[models.Model]]:
    return [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


def rows(model: type[models.Model]) -> list[dict[str, Any]]:
    return list(model._default_manager.order_by("pk").values())


# --- factories ------------------------------------------------------------------------------

ALL_FACTORIES = [
    obj
    for obj in vars(factories).values()
    if isinstance(obj, type)
    and issubclass(obj, DjangoModelFactory)
    and obj is not DjangoModelFactory
]


@pytest.mark.parametrize("factory_class", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_default_row_is_saved_and_passes_full_clean(factory_class):
    # given / when
    instance = factory_class()

    # then
    instance.full_clean()
    assert type(instance)._default_manager.filter(pk=instance.pk).count() == 1


def test_region_factory_returns_the_migrated_region():
    # given: the 17 regions of the data migration
    assert Region.objects.count() == 17

    # when
    region = RegionFactory()
    busan = RegionFactory(code="26")

    # then: no new row, the reference rows come back
    assert (region.code, region.name, region.short_name) == ("48", "경상남도", "경남")
    assert (busan.code, busan.name) == ("26", "부산광역시")
    assert Region.objects.count() == 17


def test_region_fixture_is_gyeongnam(region):
    assert (region.code, region.name_en, region.is_capital_area) == ("48", "Gyeongnam", False)


def test_company_factory_numbers_are_valid_and_distinct():
    # when
    first, second = CompanyFactory(), CompanyFactory()

    # then
    assert is_valid_business_number(first.business_number) is True
    assert is_valid_business_number(second.business_number) is True
    assert first.business_number != second.business_number
    assert first.kind == Organization.Kind.COMPANY


# --- 사업자등록번호 -------------------------------------------------------------------------


def test_classic_business_number_checksum_by_hand():
    # given 220-81-62517: 2·1 + 2·3 + 0·7 + 8·1 + 1·3 + 6·7 + 2·1 + 5·3 + 1·5 = 83,
    # plus floor(1·5/10) = 0 → 83; check digit (10 - 3) % 10 = 7
    # when / then
    assert business_number_check_digit("220816251") == 7
    assert is_valid_business_number("220-81-62517") is True


def test_check_digit_includes_floor_of_ninth_digit_times_five():
    # given 123456789: weighted sum 165, plus floor(9·5/10) = 4 → 169; check digit 1
    # when / then
    assert business_number_check_digit("123456789") == 1
    assert make_business_number("123456789") == "1234567891"
    assert is_valid_business_number("1234567891") is True
    assert is_valid_business_number("1234567890") is False


@pytest.mark.parametrize(
    "value",
    [
        "220-81-62517",
        "2208162517",
        "220 81 62517",
        "1234567891",
        make_business_number("101810000"),
        make_business_number("605870123"),
        make_business_number("999999999"),
    ],
)
def test_valid_business_numbers_pass(value):
    # when / then: no exception
    assert is_valid_business_number(value) is True
    validate_business_number(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("220-81-62518", BRN_CHECKSUM_MESSAGE),
        ("2208162510", BRN_CHECKSUM_MESSAGE),
        ("220816251", BRN_FORMAT_MESSAGE),
        ("22081625170", BRN_FORMAT_MESSAGE),
        ("22O8162517", BRN_FORMAT_MESSAGE),
        ("220-81-6251A", BRN_FORMAT_MESSAGE),
        ("", BRN_FORMAT_MESSAGE),
    ],
)
def test_invalid_business_numbers_are_refused(value, message):
    # when
    with pytest.raises(ValidationError) as excinfo:
        validate_business_number(value)

    # then
    assert excinfo.value.messages == [message]
    assert is_valid_business_number(value) is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("220-81-62518", BRN_CHECKSUM_MESSAGE),
        ("22081625170", BRN_FORMAT_MESSAGE),
        ("22O8162517", BRN_FORMAT_MESSAGE),
    ],
)
def test_company_full_clean_puts_business_number_error_on_the_field(value, message):
    # given
    company = CompanyFactory()
    before = rows(Company)
    company.business_number = value

    # when
    with pytest.raises(ValidationError) as excinfo:
        company.full_clean()

    # then
    assert excinfo.value.message_dict == {"business_number": [message]}
    assert rows(Company) == before


def test_hyphens_are_removed_on_save():
    # when
    company = CompanyFactory(business_number="220-81-62517")

    # then
    company.refresh_from_db()
    assert company.business_number == "2208162517"
    assert company.formatted_business_number == "220-81-62517"


def test_full_clean_normalizes_spaces_and_hyphens():
    # given
    company = CompanyFactory()
    company.business_number = "220 81-62517"

    # when
    company.full_clean()

    # then
    assert company.business_number == "2208162517"


def test_business_number_is_unique_even_when_typed_with_hyphens():
    # given
    CompanyFactory(business_number="2208162517")
    duplicate = CompanyFactory.build(region=RegionFactory(), business_number="220-81-62517")
    before = rows(Company)

    # when / then
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict == {
        "__all__": ["같은 사업자등록번호의 기업이 이미 있습니다."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert rows(Company) == before


def test_blank_business_number_is_allowed_many_times():
    # when
    first = CompanyFactory(business_number="")
    second = CompanyFactory(business_number="")

    # then
    first.full_clean()
    second.full_clean()
    assert Company.objects.filter(business_number="").count() == 2
    assert second.formatted_business_number == ""


def test_company_save_defaults_kind_to_company():
    # when
    company = Company.objects.create(name="시험 주식회사", business_number="")

    # then
    assert Organization.objects.get(pk=company.pk).kind == Organization.Kind.COMPANY


# --- named constraints: full_clean() and the database ---------------------------------------


@dataclass(frozen=True)
class ConstraintCase:
    """A row that breaks ``constraint``; ``full_clean_errors`` when clean() or a field speaks first."""

    constraint: str
    message: str
    build: Any
    full_clean_errors: dict[str, list[str]] | None = field(default=None)
    variant: str = ""

    @property
    def id(self):
        return f"{self.constraint}-{self.variant}" if self.variant else self.constraint


def _self_parent(factory_class):
    def build():
        instance = factory_class()
        instance.parent = instance
        return instance

    return build


def _duplicate_of(factory_class, model, fields, **extra):
    def build():
        existing = factory_class()
        return model(**{name: getattr(existing, name) for name in fields}, **extra)

    return build


def _agenda_ends_before_it_starts():
    event = EventFactory()
    return AgendaItemFactory.build(
        event=event,
        starts_at=seoul(2025, 6, 25, 15, 0),
        ends_at=seoul(2025, 6, 25, 14, 30),
    )


def _agenda_ends_when_it_starts():
    event = EventFactory()
    return AgendaItemFactory.build(
        event=event, starts_at=seoul(2025, 6, 25, 15, 0), ends_at=seoul(2025, 6, 25, 15, 0)
    )


def _outcome_without_result():
    participation = ParticipationFactory()
    return OutcomeFactory.build(
        participation=participation,
        company=participation.company,
        result_value=None,
        change_pct=None,
    )


CONSTRAINT_CASES = [
    ConstraintCase(
        "region_code_two_digits",
        "지역 코드는 두 자리 숫자여야 합니다.",
        lambda: Region(code="4A", name="시험도", short_name="시험", name_en="Test"),
    ),
    ConstraintCase(
        "source_precision_needs_date",
        "발행 시각 정밀도를 지정하려면 발행 시각이 있어야 합니다.",
        lambda: SourceFactory.build(published_at=None, published_precision="day"),
    ),
    ConstraintCase(
        "organization_unique_name_kind",
        "같은 종류에 같은 이름의 기관이 이미 있습니다.",
        _duplicate_of(OrganizationFactory, Organization, ["name", "kind"]),
    ),
    ConstraintCase(
        "organization_not_own_parent",
        "기관은 자기 자신의 상위 기관이 될 수 없습니다.",
        _self_parent(OrganizationFactory),
    ),
    ConstraintCase(
        "person_unique_name_organization",
        "같은 소속에 같은 이름의 인물이 이미 있습니다.",
        _duplicate_of(PersonFactory, Person, ["name", "organization"]),
    ),
    ConstraintCase(
        "person_phone_format",
        "전화번호는 숫자, 공백, 하이픈만 쓸 수 있습니다.",
        lambda: PersonFactory.build(organization=OrganizationFactory(), phone="02)123-4567"),
    ),
    ConstraintCase(
        "person_phone_format",
        "전화번호는 숫자, 공백, 하이픈만 쓸 수 있습니다.",
        lambda: PersonFactory.build(organization=OrganizationFactory(), phone="123"),
        variant="too-short",
    ),
    ConstraintCase(
        "company_unique_business_number",
        "같은 사업자등록번호의 기업이 이미 있습니다.",
        lambda: CompanyFactory.build(
            region=RegionFactory(),
            business_number=CompanyFactory().business_number,
        ),
    ),
    ConstraintCase(
        "company_business_number_digits",
        "사업자등록번호는 숫자 10자리여야 합니다.",
        lambda: CompanyFactory.build(region=RegionFactory(), business_number="22081625AB"),
        full_clean_errors={"business_number": [BRN_FORMAT_MESSAGE]},
    ),
    ConstraintCase(
        "program_planned_end_after_start",
        "계획 종료일은 계획 시작일보다 빠를 수 없습니다.",
        lambda: ProgramFactory.build(
            planned_start=datetime.date(2025, 12, 31), planned_end=datetime.date(2025, 12, 30)
        ),
    ),
    ConstraintCase(
        "program_actual_end_after_start",
        "실제 종료일은 실제 시작일보다 빠를 수 없습니다.",
        lambda: ProgramFactory.build(
            actual_start=datetime.date(2025, 4, 1), actual_end=datetime.date(2025, 3, 31)
        ),
    ),
    ConstraintCase(
        "program_application_end_after_start",
        "접수 마감일은 접수 시작일보다 빠를 수 없습니다.",
        lambda: ProgramFactory.build(
            application_start=datetime.date(2025, 4, 1),
            application_end=datetime.date(2025, 3, 1),
        ),
    ),
    ConstraintCase(
        "program_not_own_parent",
        "사업은 자기 자신의 상위 사업이 될 수 없습니다.",
        _self_parent(ProgramFactory),
        full_clean_errors={"parent": ["상위 사업 관계가 순환합니다."]},
    ),
    ConstraintCase(
        "program_organization_unique_role",
        "이 기관은 이미 같은 역할로 등록되어 있습니다.",
        _duplicate_of(
            ProgramOrganizationFactory, ProgramOrganization, ["program", "organization", "role"]
        ),
    ),
    ConstraintCase(
        "hub_unique_name_in_region",
        "이 지역에 같은 이름의 거점이 이미 있습니다.",
        _duplicate_of(HubFactory, Hub, ["name", "region"]),
    ),
    ConstraintCase(
        "regional_participation_unique",
        "이 사업에 이 지역은 이미 등록되어 있습니다.",
        _duplicate_of(
            RegionalParticipationFactory,
            RegionalParticipation,
            ["program", "region"],
            status=RegionalParticipation.Status.SELECTED,
        ),
    ),
    ConstraintCase(
        "regional_participation_budget_not_negative",
        "예산은 음수일 수 없습니다.",
        lambda: RegionalParticipationFactory.build(
            program=ProgramFactory(), region=RegionFactory(), budget_krw=-1
        ),
    ),
    ConstraintCase(
        "budget_line_amount_not_negative",
        "금액은 음수일 수 없습니다.",
        lambda: BudgetLineFactory.build(
            program=ProgramFactory(), source=SourceFactory(), amount_krw=-1
        ),
    ),
    ConstraintCase(
        "cofinancing_rule_percent_range",
        "비율은 0%에서 100% 사이여야 합니다.",
        lambda: CofinancingRuleFactory.build(program=ProgramFactory(), percent=Decimal("100.5")),
    ),
    ConstraintCase(
        "cofinancing_rule_unique",
        "이 사업에는 같은 대상·재원·기준의 규칙이 이미 있습니다. 그 규칙의 비율을 고쳐 주세요.",
        _duplicate_of(
            CofinancingRuleFactory,
            CofinancingRule,
            ["program", "scope", "share", "bound"],
            percent=Decimal("60"),
        ),
    ),
    ConstraintCase(
        "budget_line_period_ordered",
        "기간 종료 연도는 시작 연도보다 빠를 수 없습니다.",
        lambda: BudgetLineFactory.build(
            program=ProgramFactory(),
            source=SourceFactory(),
            fiscal_year=None,
            period_start_year=2027,
            period_end_year=2025,
        ),
    ),
    ConstraintCase(
        "budget_line_fiscal_year_range",
        "회계연도는 1948년부터 2100년 사이여야 합니다.",
        lambda: BudgetLineFactory.build(
            program=ProgramFactory(), source=SourceFactory(), fiscal_year=1947
        ),
        variant="1947",
    ),
    ConstraintCase(
        "budget_line_fiscal_year_range",
        "회계연도는 1948년부터 2100년 사이여야 합니다.",
        lambda: BudgetLineFactory.build(
            program=ProgramFactory(), source=SourceFactory(), fiscal_year=2101
        ),
        variant="2101",
    ),
    ConstraintCase(
        "target_belongs_to_one_owner",
        "목표는 사업 또는 지역 참여 중 하나에만 연결해야 합니다.",
        lambda: TargetFactory.build(program=None, regional_participation=None),
        variant="none",
    ),
    ConstraintCase(
        "target_belongs_to_one_owner",
        "목표는 사업 또는 지역 참여 중 하나에만 연결해야 합니다.",
        lambda: TargetFactory.build(
            program=ProgramFactory(), regional_participation=RegionalParticipationFactory()
        ),
        variant="both",
    ),
    ConstraintCase(
        "target_period_ordered",
        "목표 기간 종료일은 시작일보다 빠를 수 없습니다.",
        lambda: TargetFactory.build(
            program=ProgramFactory(),
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        ),
    ),
    ConstraintCase(
        "target_comparator_matches_direction",
        "비교 기호가 방향과 맞지 않습니다: 높을수록 좋은 지표는 ≥, 낮을수록 좋은 지표는 ≤ 를 씁니다.",
        lambda: TargetFactory.build(
            program=ProgramFactory(),
            direction=Target.Direction.HIGHER,
            comparator=Target.Comparator.LTE,
        ),
        variant="higher-lte",
    ),
    ConstraintCase(
        "target_comparator_matches_direction",
        "비교 기호가 방향과 맞지 않습니다: 높을수록 좋은 지표는 ≥, 낮을수록 좋은 지표는 ≤ 를 씁니다.",
        lambda: TargetFactory.build(
            program=ProgramFactory(),
            direction=Target.Direction.LOWER,
            comparator=Target.Comparator.GTE,
        ),
        variant="lower-gte",
    ),
    ConstraintCase(
        "target_rollup_only_program_level",
        "지역 목표 집계는 사업 단위 목표에만 쓸 수 있습니다.",
        lambda: TargetFactory.build(
            program=None,
            regional_participation=RegionalParticipationFactory(),
            rollup=Target.Rollup.SUM,
        ),
    ),
    ConstraintCase(
        "target_outcome_needs_metric",
        "기업 성과로 계산하려면 성과 지표명을 적어 주세요.",
        lambda: TargetFactory.build(
            program=ProgramFactory(), outcome_statistic=Target.OutcomeStatistic.MEAN_CHANGE
        ),
    ),
    ConstraintCase(
        "participation_unique_company_program",
        "이 기업은 이미 이 사업에 참여 중으로 등록되어 있습니다.",
        _duplicate_of(
            ParticipationFactory,
            Participation,
            ["company", "program"],
            status=Participation.Status.APPLIED,
        ),
    ),
    ConstraintCase(
        "participation_amounts_not_negative",
        "지원금과 자부담은 음수일 수 없습니다.",
        lambda: ParticipationFactory.build(
            company=CompanyFactory(), program=ProgramFactory(), support_amount_krw=-1
        ),
        variant="support",
    ),
    ConstraintCase(
        "participation_amounts_not_negative",
        "지원금과 자부담은 음수일 수 없습니다.",
        lambda: ParticipationFactory.build(
            company=CompanyFactory(), program=ProgramFactory(), self_funding_krw=-1
        ),
        variant="self-funding",
    ),
    ConstraintCase(
        "participation_selected_after_applied",
        "선정일은 신청일보다 빠를 수 없습니다.",
        lambda: ParticipationFactory.build(
            company=CompanyFactory(),
            program=ProgramFactory(),
            applied_on=datetime.date(2025, 3, 14),
            selected_on=datetime.date(2025, 3, 13),
        ),
    ),
    ConstraintCase(
        "participation_supplier_not_self",
        "AI 공급기업은 참여 기업 자신일 수 없습니다.",
        lambda: (
            lambda company: ParticipationFactory.build(
                company=company, program=ProgramFactory(), supplier=company
            )
        )(CompanyFactory()),
    ),
    ConstraintCase(
        "outcome_has_result",
        "결과값 또는 변화율 중 하나는 입력해야 합니다.",
        _outcome_without_result,
    ),
    ConstraintCase(
        "event_end_not_before_start",
        "종료 시각은 시작 시각보다 빠를 수 없습니다.",
        lambda: EventFactory.build(
            starts_at=seoul(2025, 6, 25, 14, 0), ends_at=seoul(2025, 6, 25, 13, 59)
        ),
    ),
    ConstraintCase(
        "event_not_own_parent",
        "행사는 자기 자신의 부대행사가 될 수 없습니다.",
        _self_parent(EventFactory),
        full_clean_errors={"parent": ["부대행사의 부대행사는 만들 수 없습니다."]},
    ),
    ConstraintCase(
        "event_organization_unique_role",
        "이 기관은 이미 같은 역할로 등록되어 있습니다.",
        _duplicate_of(
            EventOrganizationFactory, EventOrganization, ["event", "organization", "role"]
        ),
    ),
    ConstraintCase(
        "agenda_item_unique_order",
        "같은 순서의 일정이 이미 있습니다.",
        _duplicate_of(
            AgendaItemFactory,
            AgendaItem,
            ["event", "order", "starts_at", "ends_at"],
            title="중복 순서",
            kind=AgendaItem.Kind.TALK,
        ),
    ),
    ConstraintCase(
        "agenda_item_end_after_start",
        "일정의 종료 시각은 시작 시각보다 늦어야 합니다.",
        _agenda_ends_before_it_starts,
        variant="before",
    ),
    ConstraintCase(
        "agenda_item_end_after_start",
        "일정의 종료 시각은 시작 시각보다 늦어야 합니다.",
        _agenda_ends_when_it_starts,
        variant="equal",
    ),
    ConstraintCase(
        "event_participant_has_someone",
        "인물이나 기관 중 하나는 지정해야 합니다.",
        lambda: EventParticipant(
            event=EventFactory(), role=EventParticipant.Role.ATTENDEE, person=None
        ),
    ),
    ConstraintCase(
        "award_year_range",
        "연도는 1948년부터 2100년 사이여야 합니다.",
        lambda: AwardFactory.build(recipient_company=CompanyFactory(), year=1947),
    ),
    ConstraintCase(
        "observation_unique_segment_period",
        "같은 계열·구분·기간의 값이 이미 있습니다.",
        _duplicate_of(
            ObservationFactory,
            Observation,
            ["series", "segment", "period"],
            dimension=Observation.Dimension.TOTAL,
            value=Decimal("1"),
        ),
    ),
    ConstraintCase(
        "searchdocument_one_per_record",
        "한 레코드에는 검색 문서가 하나입니다.",
        _duplicate_of(
            SearchDocumentFactory,
            SearchDocument,
            ["model", "object_id"],
            record_type="region",
            title="같은 레코드",
        ),
    ),
    ConstraintCase(
        "reporting_period_ordered",
        "보고 기간 종료일은 시작일보다 빠를 수 없습니다.",
        lambda: ReportingPeriodFactory.build(
            target=TargetFactory(),
            start=datetime.date(2025, 4, 1),
            end=datetime.date(2025, 3, 31),
            deadline=datetime.date(2025, 4, 20),
        ),
    ),
    ConstraintCase(
        "reporting_period_deadline_after_end",
        "제출 기한은 기간 종료일보다 빠를 수 없습니다.",
        lambda: ReportingPeriodFactory.build(
            target=TargetFactory(),
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 3, 31),
            deadline=datetime.date(2025, 3, 30),
        ),
    ),
    ConstraintCase(
        "reporting_period_unique_start",
        "이 목표에는 같은 날 시작하는 보고 기간이 이미 있습니다.",
        _duplicate_of(
            ReportingPeriodFactory, ReportingPeriod, ["target", "start", "end", "deadline"]
        ),
        # clean() also sees the overlap with the existing period
        full_clean_errors={
            "__all__": [
                "같은 목표의 다른 보고 기간과 겹칩니다.",
                "이 목표에는 같은 날 시작하는 보고 기간이 이미 있습니다.",
            ]
        },
    ),
    ConstraintCase(
        "result_update_denominator_positive",
        "분모는 0보다 커야 합니다.",
        lambda: ResultUpdateFactory.build(
            period=ReportingPeriodFactory(target__measure=Target.Measure.PERCENTAGE),
            value=None,
            numerator=Decimal("3"),
            denominator=Decimal("0"),
        ),
    ),
    ConstraintCase(
        "result_update_has_value",
        "실적값 또는 분자와 분모를 입력해 주세요.",
        lambda: ResultUpdateFactory.build(
            period=ReportingPeriodFactory(),
            value=None,
            numerator=None,
            denominator=None,
        ),
    ),
    ConstraintCase(
        "result_breakdown_unique_category",
        "같은 구분값이 두 번 있습니다.",
        _duplicate_of(
            ResultBreakdownFactory, ResultBreakdown, ["update", "category"], value=Decimal("1")
        ),
    ),
    ConstraintCase(
        "result_notice_once",
        "이 알림은 이미 보냈습니다.",
        _duplicate_of(
            ResultNoticeFactory, ResultNotice, ["key", "recipient"], kind=ResultNotice.Kind.DEADLINE
        ),
    ),
    ConstraintCase(
        "follow_up_due_ordered",
        "기한의 끝은 시작보다 빠를 수 없습니다.",
        lambda: FollowUpFactory.build(
            owner=OrganizationFactory(),
            source=SourceFactory(),
            due_start=datetime.date(2025, 5, 1),
            due_end=datetime.date(2025, 4, 30),
        ),
    ),
    ConstraintCase(
        "follow_up_done_has_record",
        "완료된 후속 조치에는 이행한 행사, 사업·정책 또는 출처를 연결해 주세요.",
        lambda: FollowUpFactory.build(
            owner=OrganizationFactory(), source=SourceFactory(), status=FollowUp.Status.DONE
        ),
    ),
    ConstraintCase(
        "sentitem_once_per_search",
        "한 항목은 한 번만 알립니다.",
        _duplicate_of(SentItemFactory, SentItem, ["saved_search", "model", "object_id"]),
    ),
    ConstraintCase(
        "data_package_ready_has_file",
        "완료된 묶음에는 파일과 해시가 있어야 합니다.",
        lambda: DataPackage(status=DataPackage.Status.READY, trigger=DataPackage.Trigger.ADMIN),
    ),
    ConstraintCase(
        "intake_progress_percent",
        "진행률은 100을 넘을 수 없습니다.",
        lambda: IntakeDocument(
            title="보도자료", text="본문", progress=101, user=factories.staff_account(9001)
        ),
    ),
    *[
        ConstraintCase(
            "observation_period_format",
            "기간은 YYYY, YYYY-MM 또는 YYYY-Qn 형식이어야 합니다.",
            lambda period=period: ObservationFactory.build(
                series=factories.StatisticSeriesFactory(), period=period
            ),
            variant=period,
        )
        for period in ("2025-13", "2025-00", "2025-Q5", "2025Q1", "25")
    ],
]


@pytest.mark.parametrize("case", CONSTRAINT_CASES, ids=lambda case: case.id)
def test_named_constraint_is_enforced_by_full_clean_and_the_database(case):
    # given: a row (new, or saved and changed in memory) that breaks the constraint
    instance = case.build()
    model = type(instance)
    before = rows(model)

    # when / then: the model validation names the problem in Korean
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert excinfo.value.message_dict == (case.full_clean_errors or {"__all__": [case.message]})
    with pytest.raises(ValidationError) as excinfo:
        instance.validate_constraints()
    assert excinfo.value.message_dict == {"__all__": [case.message]}

    # when / then: the database refuses the same row and nothing is written
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
    assert rows(model) == before


def test_every_named_constraint_has_a_case():
    # given
    declared = {c.name for model in domain_models() for c in model._meta.constraints}

    # when
    covered = {case.constraint for case in CONSTRAINT_CASES}

    # then
    assert covered == declared


@pytest.mark.parametrize(
    "phone", ["010-1234-5678", "02 2100 1234", "+82 10 1234 5678", "0552001234", ""]
)
def test_person_phone_formats_accepted(phone):
    # when
    person = PersonFactory(phone=phone)

    # then
    person.full_clean()
    assert Person.objects.get(pk=person.pk).phone == phone


@pytest.mark.parametrize("period", ["", "2025", "2025-01", "2025-12", "2025-Q1", "2025-Q4"])
def test_observation_period_formats_accepted(period):
    # when
    observation = ObservationFactory(period=period)

    # then
    observation.full_clean()
    assert Observation.objects.get(pk=observation.pk).period == period


def test_target_of_a_regional_participation_is_valid_and_knows_its_program():
    # given
    participation = RegionalParticipationFactory()

    # when
    target = TargetFactory(program=None, regional_participation=participation)

    # then
    target.full_clean()
    assert target.owner_program_id == participation.program_id


def test_target_with_eq_comparator_is_allowed_in_both_directions():
    # when
    higher = TargetFactory(direction="higher", comparator="eq")
    lower = TargetFactory(direction="lower", comparator="eq")

    # then
    higher.full_clean()
    lower.full_clean()
    assert Target.objects.filter(comparator="eq").count() == 2


def test_event_participant_with_only_an_organization_is_valid():
    # when
    participant = EventParticipantFactory(person=None, organization=OrganizationFactory())

    # then
    participant.full_clean()
    assert EventParticipant.objects.filter(pk=participant.pk, person=None).count() == 1


# --- clean() rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (seoul(2025, 6, 25, 9, 0), seoul(2025, 6, 25, 9, 30)),
        (seoul(2025, 6, 25, 0, 0), seoul(2025, 6, 25, 0, 10)),
        (seoul(2025, 6, 25, 23, 0), seoul(2025, 6, 25, 23, 59)),
        # 08:00-08:30 KST on the 25th is still the 24th in UTC
        (utc(2025, 6, 24, 23, 0), utc(2025, 6, 24, 23, 30)),
    ],
)
def test_agenda_item_inside_the_event_day_is_accepted(starts_at, ends_at):
    # given
    event = EventFactory(starts_at=seoul(2025, 6, 25, 14, 0), ends_at=seoul(2025, 6, 25, 16, 0))

    # when
    item = AgendaItemFactory(event=event, starts_at=starts_at, ends_at=ends_at)

    # then
    item.full_clean()
    assert AgendaItem.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (seoul(2025, 6, 26, 10, 0), seoul(2025, 6, 26, 10, 30)),
        (seoul(2025, 6, 24, 23, 30), seoul(2025, 6, 25, 0, 30)),
        (seoul(2025, 6, 25, 23, 30), seoul(2025, 6, 26, 0, 30)),
        # 14:00 UTC on the 25th is 23:00 KST; 16:00 UTC is already the 26th in Seoul
        (utc(2025, 6, 25, 14, 0), utc(2025, 6, 25, 16, 0)),
    ],
)
def test_agenda_item_outside_the_event_day_is_refused(starts_at, ends_at):
    # given
    event = EventFactory(starts_at=seoul(2025, 6, 25, 14, 0), ends_at=seoul(2025, 6, 25, 16, 0))
    item = AgendaItemFactory.build(event=event, starts_at=starts_at, ends_at=ends_at)

    # when
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    # then
    assert excinfo.value.message_dict == {
        "starts_at": ["일정은 행사 날짜(2025-06-25) 안에 있어야 합니다."]
    }
    assert AgendaItem.objects.count() == 0


def test_agenda_item_on_the_second_day_of_a_two_day_event_is_accepted():
    # given
    event = EventFactory(starts_at=seoul(2025, 6, 25, 14, 0), ends_at=seoul(2025, 6, 26, 18, 0))
    item = AgendaItemFactory.build(
        event=event, starts_at=seoul(2025, 6, 26, 10, 0), ends_at=seoul(2025, 6, 26, 11, 0)
    )

    # when / then: no exception
    item.full_clean()


def test_side_event_on_the_same_seoul_day_is_accepted():
    # given
    main = EventFactory(starts_at=seoul(2025, 6, 25, 14, 0))

    # when: 00:30 KST on the 25th, i.e. the 24th in UTC
    side = EventFactory(parent=main, starts_at=utc(2025, 6, 24, 15, 30), ends_at=None)

    # then
    side.full_clean()
    assert side.local_date == datetime.date(2025, 6, 25)
    assert list(main.side_events.all()) == [side]


def test_side_event_on_another_day_is_refused():
    # given
    main = EventFactory(starts_at=seoul(2025, 6, 25, 14, 0))
    side = EventFactory.build(parent=main, starts_at=seoul(2025, 6, 26, 10, 0))

    # when
    with pytest.raises(ValidationError) as excinfo:
        side.full_clean()

    # then
    assert excinfo.value.message_dict == {
        "starts_at": ["부대행사는 본 행사와 같은 날에 열려야 합니다."]
    }
    assert main.side_events.count() == 0


def test_side_event_of_a_side_event_is_refused():
    # given
    main = EventFactory()
    side = EventFactory(parent=main)
    side_of_side = EventFactory.build(parent=side, starts_at=side.starts_at)

    # when
    with pytest.raises(ValidationError) as excinfo:
        side_of_side.full_clean()

    # then
    assert excinfo.value.message_dict == {"parent": ["부대행사의 부대행사는 만들 수 없습니다."]}
    assert side.side_events.count() == 0


def test_outcome_with_another_companys_participation_is_refused():
    # given
    participation = ParticipationFactory()
    other_company = CompanyFactory()
    outcome = OutcomeFactory.build(participation=participation, company=other_company)

    # when
    with pytest.raises(ValidationError) as excinfo:
        outcome.full_clean()

    # then
    assert excinfo.value.message_dict == {
        "participation": ["다른 기업의 사업 참여는 선택할 수 없습니다."]
    }
    assert participation.outcomes.count() == 0


def test_outcome_with_its_own_companys_participation_is_accepted():
    # given
    participation = ParticipationFactory()
    outcome = OutcomeFactory.build(participation=participation, company=participation.company)

    # when / then: no exception
    outcome.full_clean()


def test_budget_line_with_another_programs_regional_participation_is_refused():
    # given
    regional = RegionalParticipationFactory()
    line = BudgetLineFactory.build(
        program=ProgramFactory(), regional_participation=regional, source=SourceFactory()
    )

    # when
    with pytest.raises(ValidationError) as excinfo:
        line.full_clean()

    # then
    assert excinfo.value.message_dict == {
        "regional_participation": ["다른 사업의 지역 참여는 선택할 수 없습니다."]
    }
    assert regional.budget_lines.count() == 0


def test_budget_line_with_its_own_programs_regional_participation_is_accepted():
    # given
    regional = RegionalParticipationFactory()

    # when
    line = BudgetLineFactory(program=regional.program, regional_participation=regional)

    # then
    line.full_clean()
    assert list(regional.budget_lines.all()) == [line]


def test_program_parent_cycle_is_refused():
    # given: a ← b ← c
    a = ProgramFactory()
    b = ProgramFactory(parent=a)
    c = ProgramFactory(parent=b)

    # when: a would hang under c
    a.parent = c
    with pytest.raises(ValidationError) as excinfo:
        a.full_clean()

    # then
    assert excinfo.value.message_dict == {"parent": ["상위 사업 관계가 순환합니다."]}
    a.refresh_from_db()
    assert a.parent_id is None


def test_program_two_level_cycle_is_refused_and_a_chain_is_accepted():
    # given
    a = ProgramFactory()
    b = ProgramFactory(parent=a)

    # when / then: the chain itself is fine
    b.full_clean()
    a.parent = b
    with pytest.raises(ValidationError) as excinfo:
        a.full_clean()
    assert excinfo.value.message_dict == {"parent": ["상위 사업 관계가 순환합니다."]}


def test_award_year_must_match_its_event():
    # given
    event = EventFactory(starts_at=seoul(2025, 12, 10, 14, 0))
    award = AwardFactory.build(event=event, recipient_company=CompanyFactory(), year=2024)

    # when
    with pytest.raises(ValidationError) as excinfo:
        award.full_clean()

    # then
    assert excinfo.value.message_dict == {"year": ["시상 연도가 시상 행사의 연도와 다릅니다."]}
    assert event.awards.count() == 0


def test_award_factory_takes_the_year_of_its_event():
    # when
    award = AwardFactory(event=EventFactory(starts_at=seoul(2026, 1, 1, 0, 30)))

    # then: 2025-12-31 15:30 UTC is already 2026 in Seoul
    assert award.year == 2026
    award.full_clean()


# --- targets: achievement and status ---------------------------------------------------------

YEAR_2025 = {"period_start": datetime.date(2025, 1, 1), "period_end": datetime.date(2025, 12, 31)}
# 182 of the 364 days of 2025 have passed on 2 July: half the target is expected by then.
MID_2025 = datetime.date(2025, 7, 2)


def higher_target(**kwargs) -> Target:
    return TargetFactory.build(
        direction=Target.Direction.HIGHER, comparator=Target.Comparator.GTE, **kwargs
    )


def lower_target(**kwargs) -> Target:
    return TargetFactory.build(
        direction=Target.Direction.LOWER, comparator=Target.Comparator.LTE, **kwargs
    )


def defect_rate_target(**kwargs) -> Target:
    """불량률: baseline 5.0 %, target 3.0 %."""
    return lower_target(baseline_value=Decimal("5.0"), target_value=Decimal("3.0"), **kwargs)


def cost_change_target(**kwargs) -> Target:
    """원가 변화율: target −5 %, no baseline."""
    return lower_target(target_value=Decimal("-5"), **kwargs)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        (higher_target(target_value=Decimal("100")), Decimal("80"), Decimal("80.0")),
        (higher_target(target_value=Decimal("100")), Decimal("0"), Decimal("0.0")),
        (higher_target(target_value=Decimal("100")), Decimal("120"), Decimal("120.0")),
        (higher_target(target_value=Decimal("3")), Decimal("1"), Decimal("33.3")),
        (
            higher_target(baseline_value=Decimal("20"), target_value=Decimal("60")),
            Decimal("40"),
            Decimal("50.0"),
        ),
        (
            higher_target(baseline_value=Decimal("20"), target_value=Decimal("60")),
            Decimal("10"),
            Decimal("-25.0"),
        ),
        (defect_rate_target(), Decimal("4.0"), Decimal("50.0")),
        (defect_rate_target(), Decimal("3.0"), Decimal("100.0")),
        (defect_rate_target(), Decimal("2.5"), Decimal("125.0")),
        (defect_rate_target(), Decimal("5.5"), Decimal("-25.0")),
        (lower_target(target_value=Decimal("3")), Decimal("4"), Decimal("75.0")),
        (lower_target(target_value=Decimal("3")), Decimal("2"), Decimal("150.0")),
        (cost_change_target(), Decimal("-3"), Decimal("60.0")),
        (cost_change_target(), Decimal("-6"), Decimal("120.0")),
        (cost_change_target(), Decimal("2"), Decimal("-40.0")),
    ],
)
def test_target_achievement(target, actual, expected):
    # when
    achievement = target.compute_achievement(actual)

    # then
    assert achievement == expected
    assert achievement.as_tuple().exponent == -1


@pytest.mark.parametrize(
    "target",
    [
        higher_target(baseline_value=Decimal("100"), target_value=Decimal("100")),
        higher_target(target_value=Decimal("0")),
    ],
    ids=["baseline-equals-target", "zero-target"],
)
def test_target_achievement_is_undefined_without_a_span(target):
    assert target.compute_achievement(Decimal("90")) is None


def test_target_achievement_of_no_actual_is_none():
    assert higher_target().compute_achievement(None) is None


# --- outcomes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "result", "expected"),
    [
        (Decimal("5.00"), Decimal("3.00"), Decimal("-40.0")),
        (Decimal("100"), Decimal("123.45"), Decimal("23.5")),
        (Decimal("200"), Decimal("260"), Decimal("30.0")),
        (Decimal("3"), Decimal("2"), Decimal("-33.3")),
        (Decimal("0"), Decimal("10"), None),
        (None, Decimal("10"), None),
    ],
)
def test_outcome_clean_computes_missing_change_pct(baseline, result, expected):
    # given
    participation = ParticipationFactory()
    outcome = OutcomeFactory.build(
        participation=participation,
        company=participation.company,
        baseline_value=baseline,
        result_value=result,
        change_pct=None,
    )

    # when
    outcome.full_clean()

    # then
    assert outcome.change_pct == expected


def test_outcome_clean_keeps_a_stated_change_pct():
    # given: the source states −35 %, which differs from 5.0 → 3.0
    participation = ParticipationFactory()
    outcome = OutcomeFactory.build(
        participation=participation,
        company=participation.company,
        baseline_value=Decimal("5.0"),
        result_value=Decimal("3.0"),
        change_pct=Decimal("-35.0"),
    )

    # when
    outcome.full_clean()

    # then
    assert outcome.change_pct == Decimal("-35.0")


def test_outcome_with_only_a_change_pct_is_valid():
    # given
    company = CompanyFactory()
    outcome = OutcomeFactory.build(
        participation=None,
        company=company,
        baseline_value=None,
        result_value=None,
        change_pct=Decimal("-30.0"),
    )

    # when
    outcome.full_clean()
    outcome.save()

    # then
    assert company.outcomes.get().change_pct == Decimal("-30.0")
    assert outcome.is_improvement is True


# --- money formatting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (35_000_000_000, "350억 원"),
        (23_400_000_000, "234억 원"),
        (35_050_000_000, "350.5억 원"),
        (150_000_000, "1.5억 원"),
        (100_000_000, "1억 원"),
        (1_200_000_000_000, "1조 2,000억 원"),
        (1_000_000_000_000, "1조 원"),
        (1_250_000_000_000, "1조 2,500억 원"),
        (12_345_678_900_000, "12조 3,456억 원"),
        (50_000, "5만 원"),
        (9_999, "9,999원"),
        (0, "0원"),
        (-35_000_000_000, "-350억 원"),
    ],
)
def test_format_krw_korean(amount, expected):
    assert format_krw(amount, "ko") == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (35_000_000_000, "KRW 35 billion"),
        (23_400_000_000, "KRW 23.4 billion"),
        (1_200_000_000_000, "KRW 1.2 trillion"),
        (500_000_000, "KRW 500 million"),
        (9_999, "KRW 9,999"),
    ],
)
def test_format_krw_english(amount, expected):
    assert format_krw(amount, "en") == expected


def test_format_krw_follows_the_active_language():
    # when / then
    with translation.override("en"):
        assert format_krw(35_000_000_000) == "KRW 35 billion"
    with translation.override("ko"):
        assert format_krw(35_000_000_000) == "350억 원"


@pytest.mark.parametrize("language", ["ko", "en", None])
def test_format_krw_of_none_is_empty(language):
    assert format_krw(None, language) == ""


def test_budget_line_str_uses_korean_money():
    # given
    line = BudgetLineFactory(program=ProgramFactory(name="제조 AI 특화 사업"))

    # when / then
    with translation.override("ko"):
        assert str(line) == "제조 AI 특화 사업 · 350억 원"


def test_format_krw_negative_trillions_keep_their_parts():
    # given a negative amount of 1.2조 (e.g. a correction line)
    amount = -1_200_000_000_000
    # when formatted in both languages
    # then the sign is carried in front of the whole figure
    assert format_krw(amount, "ko") == "-1조 2,000억 원"
    assert format_krw(amount, "en") == "-KRW 1.2 trillion"


def test_company_full_clean_defaults_kind_to_company():
    # given a company built without an organization kind
    company = Company(name="테스트기업", business_number="220-81-62517")
    # when validated
    company.full_clean()
    # then the kind defaults to company and the number is normalized
    assert company.kind == "company"
    assert company.business_number == "2208162517"


def test_target_higher_with_non_positive_target_and_no_baseline_has_no_achievement():
    target = Target(direction="higher", comparator="gte", target_value=Decimal("-2"), program_id=1)
    assert target.compute_achievement(Decimal("-4")) is None


def test_target_lower_ceiling_without_baseline_has_no_achievement_at_zero():
    target = Target(direction="lower", comparator="lte", target_value=Decimal("3"), program_id=1)
    assert target.compute_achievement(Decimal("0")) is None
    assert target.compute_achievement(Decimal("6")) == Decimal("50.0")
