"""Programs and what hangs off them: budgets, regional participation, hubs, targets, participations."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models import Company
from core.formatting import EOK, JO
from core.models import Organization, Person, Region, Source, TrackedModel, TrackedQuerySet
from core.publication import Publication, PublicManager
from core.search import SearchSpec


class ProgramQuerySet(TrackedQuerySet):
    def active_in_year(self, year: int):
        """Programs whose planned or actual period overlaps ``year`` (open ends count as ongoing)."""
        start = datetime.date(year, 1, 1)
        end = datetime.date(year, 12, 31)
        began = Q(planned_start__lte=end) | Q(actual_start__lte=end)
        not_ended = (
            Q(planned_end__isnull=True, actual_end__isnull=True)
            | Q(actual_end__gte=start)
            | Q(actual_end__isnull=True, planned_end__gte=start)
        )
        return self.filter(began & not_ended)

    def in_region(self, region_code: str):
        """Programs a region is served by: carried out there (a regional participation) or
        linked to a regional participation there (연계 사업, ``RegionalParticipation.
        linked_programs`` — the one relation for both)."""
        return self.filter(region_q(region_code))


def region_q(region_code: str, prefix: str = "") -> Q:
    """The condition for the program at ``prefix`` to serve the region ``region_code``: a
    regional participation there, or linked by one (연계 사업)."""
    carried = RegionalParticipation.objects.filter(region__code=region_code).values("program_id")
    linked = RegionalParticipation.linked_programs.through.objects.filter(
        regionalparticipation__region__code=region_code
    ).values("program_id")
    return Q(**{f"{prefix}pk__in": carried}) | Q(**{f"{prefix}pk__in": linked})


class ReportingSchedule(models.TextChoices):
    """How a target's reporting periods are generated (on the program or the target)."""

    QUARTERLY = "quarterly", _("분기")
    HALF_YEARLY = "half_yearly", _("반기")
    YEARLY = "yearly", _("연간")
    CUSTOM = "custom", _("직접 지정")


class Program(TrackedModel):
    """A support program, call for applications (공고), policy, strategy, plan or law."""

    class Kind(models.TextChoices):
        PROGRAM = "program", _("지원사업")
        CALL = "call", _("공고")
        POLICY = "policy", _("정책")
        STRATEGY = "strategy", _("전략")
        PLAN = "plan", _("계획")
        SYSTEM = "system", _("제도")
        LAW = "law", _("법률")

    class Status(models.TextChoices):
        PLANNED = "planned", _("계획")
        ANNOUNCED = "announced", _("발표")
        IN_PREPARATION = "in_preparation", _("수립 중")
        UNDER_DELIBERATION = "under_deliberation", _("국회 심의 중")
        OPEN = "open", _("모집 중")
        IN_PROGRESS = "in_progress", _("진행 중")
        COMPLETED = "completed", _("종료")
        CANCELLED = "cancelled", _("취소")
        UNKNOWN = "unknown", _("확인 필요")

    slug = models.SlugField(_("슬러그"), max_length=80, unique=True)
    name = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    short_name = models.CharField(_("약칭"), max_length=60, blank=True)
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("상위 사업"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("하위 사업의 예산은 상위 사업 합계에 다시 더하지 않습니다."),
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("관련 사업"), blank=True, symmetrical=True
    )
    lead_ministry = models.ForeignKey(
        Organization,
        verbose_name=_("소관 부처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_programs",
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("참여 기관"),
        through="ProgramOrganization",
        related_name="programs",
        blank=True,
    )
    summary = models.CharField(_("요약"), max_length=300, blank=True)
    summary_en = models.CharField(_("영문 요약"), max_length=300, blank=True)
    description = models.TextField(_("설명"), blank=True)
    description_en = models.TextField(_("영문 설명"), blank=True)
    planned_start = models.DateField(_("계획 시작일"), null=True, blank=True)
    planned_end = models.DateField(_("계획 종료일"), null=True, blank=True)
    actual_start = models.DateField(_("실제 시작일"), null=True, blank=True)
    actual_end = models.DateField(_("실제 종료일"), null=True, blank=True)
    application_start = models.DateField(_("접수 시작일"), null=True, blank=True)
    application_end = models.DateField(_("접수 마감일"), null=True, blank=True)
    date_note = models.CharField(_("일자 비고"), max_length=200, blank=True)
    date_note_en = models.CharField(_("영문 일자 비고"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    reporting_schedule = models.CharField(
        _("실적 보고 주기"),
        max_length=12,
        choices=ReportingSchedule.choices,
        blank=True,
        help_text=_("목표의 보고 기간을 이 주기로 만듭니다 (목표에서 따로 정할 수 있음)."),
    )
    sources = models.ManyToManyField(Source, verbose_name=_("출처"), blank=True)
    history = HistoricalRecords(m2m_fields=[sources])

    objects = ProgramQuerySet.as_manager()

    search = SearchSpec(
        type="program",
        label=_("사업·정책"),
        title=("name", "name_en"),
        names=("short_name",),
        snippet=("summary", "summary_en"),
        texts=(
            "description",
            "description_en",
            "lead_ministry__name",
            "lead_ministry__short_name",
            "organizations__name",
            "regional_participations__strategy_title",
            "regional_participations__hubs__name",
            "regional_participations__hubs__capabilities",
        ),
        kind="kind",
        status="status",
        regions=("regional_participations__region__code",),
        years=(
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "application_start",
            "application_end",
        ),
        url=("program-detail", {"slug": "slug"}),
        priority=0,
    )
    publication = Publication(
        public=(
            "slug",
            "name",
            "name_en",
            "short_name",
            "kind",
            "status",
            "parent",
            "lead_ministry",
            "summary",
            "summary_en",
            "description",
            "description_en",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "application_start",
            "application_end",
            "date_note",
            "date_note_en",
            "url",
            "reporting_schedule",
            "related",
            "organizations",
            "sources",
        )
    )

    class Meta:
        verbose_name = _("사업·정책")
        verbose_name_plural = _("사업·정책")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="program_planned_end_after_start",
                violation_error_message=_("계획 종료일은 계획 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="program_actual_end_after_start",
                violation_error_message=_("실제 종료일은 실제 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(application_end__isnull=True)
                | Q(application_start__isnull=True)
                | Q(application_end__gte=F("application_start")),
                name="program_application_end_after_start",
                violation_error_message=_("접수 마감일은 접수 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="program_not_own_parent",
                violation_error_message=_("사업은 자기 자신의 상위 사업이 될 수 없습니다."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and self.pk:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("상위 사업 관계가 순환합니다.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end


class ProgramOrganization(models.Model):
    """An organization's typed role in a program (주최, 주관, 수행, 재원, 수요기업...)."""

    class Role(models.TextChoices):
        HOST = "host", _("주최")
        ORGANIZER = "organizer", _("주관")
        EXECUTOR = "executor", _("수행")
        FUNDER = "funder", _("재원")
        PARTNER = "partner", _("협력")
        DEMAND_COMPANY = "demand_company", _("수요기관")
        RESEARCH = "research", _("연구·분석")

    program = models.ForeignKey(
        Program, verbose_name=_("사업"), on_delete=models.CASCADE, related_name="roles"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("기관"), on_delete=models.PROTECT, related_name="program_roles"
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices)
    note = models.CharField(
        _("내부 메모 (비공개)"), max_length=200, blank=True, help_text=_("직원에게만 보입니다.")
    )
    history = HistoricalRecords()

    objects = PublicManager()
    publication = Publication(
        public=("program", "organization", "role"),
        staff_only={"note": "internal staff note"},
    )

    class Meta:
        verbose_name = _("사업 참여 기관")
        verbose_name_plural = _("사업 참여 기관")
        ordering = ["program", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization", "role"],
                name="program_organization_unique_role",
                violation_error_message=_("이 기관은 이미 같은 역할로 등록되어 있습니다."),
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_role_display()}"


class Hub(TrackedModel):
    """An infrastructure site run for a program (e.g. a manufacturing AI data centre)."""

    name = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("지역"), on_delete=models.PROTECT, related_name="hubs"
    )
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("운영 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_hubs",
    )
    site_name = models.CharField(_("설치 장소"), max_length=200, blank=True)
    site_name_en = models.CharField(_("영문 설치 장소"), max_length=200, blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    address_en = models.CharField(_("영문 주소"), max_length=200, blank=True)
    city = models.CharField(_("시군구"), max_length=60, blank=True)
    city_en = models.CharField(_("영문 시군구"), max_length=60, blank=True)
    capabilities = models.TextField(_("보유 역량"), blank=True)
    capabilities_en = models.TextField(_("영문 보유 역량"), blank=True)
    has_gpu = models.BooleanField(_("GPU 보유"), default=False)
    has_testbed = models.BooleanField(_("테스트베드 보유"), default=False)
    opening_hours = models.CharField(_("운영 시간"), max_length=100, blank=True)
    opening_hours_en = models.CharField(_("영문 운영 시간"), max_length=100, blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("출처"), blank=True)
    history = HistoricalRecords()

    search = SearchSpec(
        type="hub",
        label=_("거점"),
        title=("name", "name_en"),
        names=("site_name",),
        snippet=("capabilities", "capabilities_en"),
        texts=("address", "city", "operator__name", "region__name"),
        regions=("region__code",),
        url=("region-detail", {"code": "region__code"}),
        priority=2,
    )
    publication = Publication(
        public=(
            "name",
            "name_en",
            "region",
            "operator",
            "site_name",
            "site_name_en",
            "address",
            "address_en",
            "city",
            "city_en",
            "capabilities",
            "capabilities_en",
            "has_gpu",
            "has_testbed",
            "opening_hours",
            "opening_hours_en",
            "sources",
        )
    )

    class Meta:
        verbose_name = _("거점")
        verbose_name_plural = _("거점")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="hub_unique_name_in_region",
                violation_error_message=_("이 지역에 같은 이름의 거점이 이미 있습니다."),
            )
        ]

    def __str__(self):
        return self.name


class RegionalParticipation(TrackedModel):
    """A program as carried out in one region: selection, strategy, hubs, budget and targets."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("제안")
        SELECTED = "selected", _("선정")
        NOT_SELECTED = "not_selected", _("미선정")
        WITHDRAWN = "withdrawn", _("철회")

    program = models.ForeignKey(
        Program,
        verbose_name=_("사업"),
        on_delete=models.CASCADE,
        related_name="regional_participations",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("지역"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    status = models.CharField(_("선정 상태"), max_length=20, choices=Status.choices)
    selected_on = models.DateField(_("선정일"), null=True, blank=True)
    strategy_title = models.CharField(_("추진 전략"), max_length=200, blank=True)
    strategy_title_en = models.CharField(_("영문 추진 전략"), max_length=200, blank=True)
    plan_title = models.CharField(_("사업추진계획"), max_length=200, blank=True)
    plan_title_en = models.CharField(_("영문 사업추진계획"), max_length=200, blank=True)
    executing_organization = models.ForeignKey(
        Organization,
        verbose_name=_("수행 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executed_participations",
    )
    official = models.ForeignKey(
        Person,
        verbose_name=_("담당 책임자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="regional_participations",
    )
    budget_krw = models.BigIntegerField(_("지역 예산 (원)"), null=True, blank=True)
    #: usual amounts; the admin asks to confirm others (core.admin_money)
    PLAUSIBLE_KRW = {"budget_krw": (10_000_000, JO)}
    hubs = models.ManyToManyField(
        Hub, verbose_name=_("거점"), blank=True, related_name="regional_participations"
    )
    linked_programs = models.ManyToManyField(
        Program,
        verbose_name=_("연계 사업"),
        blank=True,
        related_name="linked_from_participations",
    )
    summary = models.TextField(_("내용"), blank=True)
    summary_en = models.TextField(_("영문 내용"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("출처"), blank=True)
    history = HistoricalRecords()

    publication = Publication(
        public=(
            "program",
            "region",
            "status",
            "selected_on",
            "strategy_title",
            "strategy_title_en",
            "plan_title",
            "plan_title_en",
            "executing_organization",
            "official",
            "budget_krw",
            "summary",
            "summary_en",
            "hubs",
            "linked_programs",
            "sources",
        )
    )

    class Meta:
        verbose_name = _("지역 참여")
        verbose_name_plural = _("지역 참여")
        ordering = ["program", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "region"],
                name="regional_participation_unique",
                violation_error_message=_("이 사업에 이 지역은 이미 등록되어 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(budget_krw__isnull=True) | Q(budget_krw__gte=0),
                name="regional_participation_budget_not_negative",
                violation_error_message=_("예산은 음수일 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.program} · {self.region}"


class BudgetLine(TrackedModel):
    """An amount of money for a program, as one source states it.

    A figure that two sources state differently is kept as two lines, each citing its source.
    """

    class FundingSource(models.TextChoices):
        NATIONAL = "national", _("국비")
        NATIONAL_AND_OTHER = "national_and_other", _("국비 등")
        LOCAL = "local", _("지방비")
        PRIVATE = "private", _("민간·자부담")
        MIXED = "mixed", _("혼합")
        UNSPECIFIED = "unspecified", _("미상")

    class Vehicle(models.TextChoices):
        MAIN = "main", _("본예산")
        SUPPLEMENTARY_1 = "supplementary_1", _("1차 추경")
        SUPPLEMENTARY_2 = "supplementary_2", _("2차 추경")
        FUND = "fund", _("기금")
        OTHER = "other", _("기타")
        UNSPECIFIED = "unspecified", _("미상")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("발표")
        COMMITTED = "committed", _("확정")
        EXECUTED = "executed", _("집행")

    program = models.ForeignKey(
        Program, verbose_name=_("사업"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    regional_participation = models.ForeignKey(
        RegionalParticipation,
        verbose_name=_("지역 참여"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    amount_krw = models.BigIntegerField(_("금액 (원)"))
    #: usual amounts; the admin asks to confirm others (core.admin_money)
    PLAUSIBLE_KRW = {"amount_krw": (10_000_000, 10 * JO)}
    funding_source = models.CharField(_("재원"), max_length=20, choices=FundingSource.choices)
    vehicle = models.CharField(
        _("예산 구분"), max_length=20, choices=Vehicle.choices, default=Vehicle.UNSPECIFIED
    )
    fiscal_year = models.PositiveSmallIntegerField(_("회계연도"), null=True, blank=True)
    period_start_year = models.PositiveSmallIntegerField(_("기간 시작 연도"), null=True, blank=True)
    period_end_year = models.PositiveSmallIntegerField(_("기간 종료 연도"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices)
    purpose = models.CharField(_("용도"), max_length=200, blank=True)
    purpose_en = models.CharField(_("영문 용도"), max_length=200, blank=True)
    quoted_text = models.CharField(
        _("출처 표기"),
        max_length=200,
        blank=True,
        help_text=_("출처에 적힌 그대로 옮깁니다(예: 2차 추경 350억 원). 설명은 비고에 적습니다."),
    )
    note = models.CharField(
        _("비고"),
        max_length=300,
        blank=True,
        help_text=_("직원 메모(비공개): 정정·확인 사항 등. 출처 표기와 따로 둡니다."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("출처"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    history = HistoricalRecords()

    publication = Publication(
        public=(
            "program",
            "regional_participation",
            "amount_krw",
            "funding_source",
            "vehicle",
            "fiscal_year",
            "period_start_year",
            "period_end_year",
            "status",
            "purpose",
            "purpose_en",
            "quoted_text",
            "source",
        ),
        staff_only={"note": "internal staff note"},
    )

    class Meta:
        verbose_name = _("예산")
        verbose_name_plural = _("예산")
        ordering = ["program", "-amount_krw", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_krw__gte=0),
                name="budget_line_amount_not_negative",
                violation_error_message=_("금액은 음수일 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(period_end_year__isnull=True)
                | Q(period_start_year__isnull=True)
                | Q(period_end_year__gte=F("period_start_year")),
                name="budget_line_period_ordered",
                violation_error_message=_("기간 종료 연도는 시작 연도보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__isnull=True)
                | (Q(fiscal_year__gte=1948) & Q(fiscal_year__lte=2100)),
                name="budget_line_fiscal_year_range",
                violation_error_message=_("회계연도는 1948년부터 2100년 사이여야 합니다."),
            ),
        ]

    def __str__(self):
        from core.formatting import format_krw

        return f"{self.program} · {format_krw(self.amount_krw)}"

    def clean(self):
        super().clean()
        if (
            self.regional_participation_id
            and self.program_id
            and self.regional_participation.program_id != self.program_id
        ):
            raise ValidationError(
                {"regional_participation": _("다른 사업의 지역 참여는 선택할 수 없습니다.")}
            )

    @property
    def period_display(self) -> str:
        if self.period_start_year and self.period_end_year:
            return f"{self.period_start_year}–{self.period_end_year}"
        return str(self.fiscal_year or self.period_start_year or "")


def _percent_text(value) -> str:
    """70 for Decimal("70.00"), 12.5 for Decimal("12.50")."""
    return f"{Decimal(value).normalize():f}"


class CofinancingRule(TrackedModel):
    """How a program's money must be shared (공동 재원 비율), e.g. 국비 at most 70 % and 지방비 at
    least 30 % of a regional budget, or 자부담 at least 20 % of a company's project cost.

    A rule is checked by ``programs.cofinancing`` against each source's statement of a regional
    budget (figures of different sources are never added) and against each company
    participation's support and self-funding.
    """

    class Scope(models.TextChoices):
        REGIONAL_BUDGET = "regional_budget", _("지역 예산")
        COMPANY_SUPPORT = "company_support", _("기업 지원")

    class Share(models.TextChoices):
        NATIONAL = "national", _("국비")
        LOCAL = "local", _("지방비")
        PRIVATE = "private", _("민간·자부담")
        SELF_FUNDING = "self_funding", _("기업 자부담")

    class Bound(models.TextChoices):
        AT_MOST = "at_most", _("이하")
        AT_LEAST = "at_least", _("이상")

    class Basis(models.TextChoices):
        TOTAL = "total", _("합계 대비")
        SUPPORT = "support", _("지원금 대비")

    #: which shares a rule of each scope can speak of
    SHARES_BY_SCOPE = {
        Scope.REGIONAL_BUDGET: {Share.NATIONAL, Share.LOCAL, Share.PRIVATE},
        Scope.COMPANY_SUPPORT: {Share.SELF_FUNDING},
    }

    program = models.ForeignKey(
        Program,
        verbose_name=_("사업"),
        on_delete=models.CASCADE,
        related_name="cofinancing_rules",
    )
    scope = models.CharField(_("적용 대상"), max_length=20, choices=Scope.choices)
    share = models.CharField(_("재원"), max_length=20, choices=Share.choices)
    bound = models.CharField(_("기준"), max_length=10, choices=Bound.choices)
    percent = models.DecimalField(
        _("비율 (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("예: 70 (국비 70% 이하)"),
    )
    basis = models.CharField(
        _("비율의 기준"),
        max_length=10,
        choices=Basis.choices,
        default=Basis.TOTAL,
        help_text=_(
            "지역 예산: 한 출처가 밝힌 그 지역 예산의 합계 대비. 기업 지원: 총사업비(지원금+자부담) "
            "대비 또는 지원금 대비."
        ),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("출처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cofinancing_rules",
        help_text=_("규칙을 밝힌 공고·지침"),
    )
    note = models.CharField(_("비고"), max_length=300, blank=True)
    history = HistoricalRecords()

    publication = Publication(
        public=("program", "scope", "share", "bound", "percent", "basis", "source"),
        staff_only={"note": "internal staff note"},
    )

    class Meta:
        verbose_name = _("공동 재원 규칙")
        verbose_name_plural = _("공동 재원 규칙")
        ordering = ["program", "scope", "share", "bound"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="cofinancing_rule_percent_range",
                violation_error_message=_("비율은 0%%에서 100%% 사이여야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["program", "scope", "share", "bound"],
                name="cofinancing_rule_unique",
                violation_error_message=_(
                    "이 사업에는 같은 대상·재원·기준의 규칙이 이미 있습니다. 그 규칙의 비율을 고쳐 주세요."
                ),
            ),
        ]

    def __str__(self):
        percent = _percent_text(self.percent) if self.percent is not None else "?"
        basis = f" ({self.get_basis_display()})" if self.basis == self.Basis.SUPPORT else ""
        return (
            f"{self.get_scope_display()}: {self.get_share_display()} {percent}% "
            f"{self.get_bound_display()}{basis}"
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.scope and self.share and self.share not in self.SHARES_BY_SCOPE[self.scope]:
            allowed = ", ".join(
                str(label)
                for value, label in self.Share.choices
                if value in self.SHARES_BY_SCOPE[self.scope]
            )
            errors["share"] = _("%(scope)s 규칙의 재원은 %(allowed)s 가운데 하나입니다.") % {
                "scope": self.get_scope_display(),
                "allowed": allowed,
            }
        if self.scope == self.Scope.REGIONAL_BUDGET and self.basis == self.Basis.SUPPORT:
            errors["basis"] = _("지역 예산 규칙은 합계 대비로만 정합니다.")
        if not errors and self.program_id and self.percent is not None:
            opposite = (
                self.Bound.AT_LEAST if self.bound == self.Bound.AT_MOST else self.Bound.AT_MOST
            )
            other = (
                CofinancingRule.objects.filter(
                    program_id=self.program_id,
                    scope=self.scope,
                    share=self.share,
                    basis=self.basis,
                    bound=opposite,
                )
                .exclude(pk=self.pk)
                .first()
            )
            low, high = (
                (self.percent, other.percent if other else None)
                if self.bound == self.Bound.AT_LEAST
                else (other.percent if other else None, self.percent)
            )
            if other is not None and low > high:
                errors["percent"] = _(
                    "같은 재원의 ‘이상’ 비율(%(low)s%%)이 ‘이하’ 비율(%(high)s%%)보다 커서 "
                    "지킬 수 없는 규칙입니다."
                ) % {"low": _percent_text(low), "high": _percent_text(high)}
        if not errors and self.bound == self.Bound.AT_LEAST and self.program_id:
            others = (
                CofinancingRule.objects.filter(
                    program_id=self.program_id,
                    scope=self.scope,
                    basis=self.basis,
                    bound=self.Bound.AT_LEAST,
                )
                .exclude(pk=self.pk)
                .exclude(share=self.share)
            )
            total = sum((r.percent for r in others), self.percent or Decimal(0))
            if total > 100:
                errors["percent"] = _(
                    "재원별 ‘이상’ 비율의 합이 %(total)s%%로 100%%를 넘어 지킬 수 없는 규칙입니다."
                ) % {"total": _percent_text(total)}
        if errors:
            raise ValidationError(errors)


class Target(TrackedModel):
    """A measurable goal of a program or a regional participation, with a derived status."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("높을수록 좋음")
        LOWER = "lower", _("낮을수록 좋음")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("누적 (기간 합계)")
        LATEST = "latest", _("최근 값")
        AVERAGE = "average", _("평균")

    class Measure(models.TextChoices):
        NUMBER = "number", _("수치")
        PERCENTAGE = "percentage", _("비율 (분자/분모)")

    class Trajectory(models.TextChoices):
        LINEAR = "linear", _("직선 (기준값→목표값)")
        MILESTONE = "milestone", _("기간별 중간 목표")

    class Rollup(models.TextChoices):
        NONE = "", _("집계 안 함")
        SUM = "sum", _("지역 목표 합계")
        WEIGHTED = "weighted", _("지역 목표 가중 (분자/분모 합계)")

    class OutcomeStatistic(models.TextChoices):
        NONE = "", _("사용 안 함")
        MEAN_CHANGE = "mean_change", _("검증된 성과의 평균 변화율")
        SHARE_MEETING = "share_meeting", _("기준을 충족한 참여 기업 비율")

    class Comparator(models.TextChoices):
        GTE = "gte", "≥"
        LTE = "lte", "≤"
        EQ = "eq", "="

    class Status(models.TextChoices):
        NO_PERIOD = "no_period", _("기간 미정")
        NO_DATA = "no_data", _("실적 없음")
        ACHIEVED = "achieved", _("달성")
        ON_TRACK = "on_track", _("정상 진행")
        AT_RISK = "at_risk", _("주의")
        OFF_TRACK = "off_track", _("미흡")

    program = models.ForeignKey(
        Program,
        verbose_name=_("사업"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    regional_participation = models.ForeignKey(
        RegionalParticipation,
        verbose_name=_("지역 참여"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    metric = models.CharField(_("지표"), max_length=200)
    metric_en = models.CharField(_("영문 지표"), max_length=200, blank=True)
    unit = models.CharField(_("단위"), max_length=20)
    direction = models.CharField(_("방향"), max_length=10, choices=Direction.choices)
    comparator = models.CharField(_("비교"), max_length=3, choices=Comparator.choices)
    baseline_value = models.DecimalField(
        _("기준값"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(_("목표값"), max_digits=14, decimal_places=2)
    period_start = models.DateField(_("목표 기간 시작"), null=True, blank=True)
    period_end = models.DateField(_("목표 기간 종료"), null=True, blank=True)
    applies_to = models.CharField(
        _("적용 대상"), max_length=100, blank=True, help_text=_("예: 참여 기업 (기업당 기대효과)")
    )
    applies_to_en = models.CharField(_("영문 적용 대상"), max_length=100, blank=True)
    note = models.CharField(
        _("공개 비고"),
        max_length=300,
        blank=True,
        help_text=_(
            "읽는 사람에게 보이는 설명입니다: 공개 페이지와 API에 나옵니다. 내부 메모는 적지 마세요."
        ),
    )
    note_en = models.CharField(_("영문 공개 비고"), max_length=300, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("출처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    reporting_schedule = models.CharField(
        _("보고 주기"),
        max_length=12,
        choices=ReportingSchedule.choices,
        blank=True,
        help_text=_("비워 두면 사업의 보고 주기를 따릅니다."),
    )
    aggregation = models.CharField(
        _("기간 합산 방식"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    measure = models.CharField(
        _("값의 종류"), max_length=10, choices=Measure.choices, default=Measure.NUMBER
    )
    trajectory = models.CharField(
        _("기대 경로"), max_length=10, choices=Trajectory.choices, default=Trajectory.LINEAR
    )
    rollup = models.CharField(
        _("지역 목표 집계"), max_length=8, choices=Rollup.choices, blank=True, default=""
    )
    contributes_to = models.ForeignKey(
        "self",
        verbose_name=_("집계 대상 (사업 목표)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        help_text=_("이 지역 목표의 값이 더해지는 사업 단위 목표"),
    )
    outcome_statistic = models.CharField(
        _("기업 성과로 계산"),
        max_length=14,
        choices=OutcomeStatistic.choices,
        blank=True,
        default="",
    )
    outcome_metric = models.CharField(
        _("성과 지표명"),
        max_length=200,
        blank=True,
        help_text=_("참여 기업의 검증된 성과 중 이 지표명을 가진 것으로 계산합니다."),
    )
    outcome_threshold = models.DecimalField(
        _("기업별 기준 (변화율 %)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("충족 기업 비율: 이 변화율 이상(낮을수록 좋은 지표는 이하)이면 충족입니다."),
    )
    current_value = models.DecimalField(
        _("승인된 실적"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    achievement_pct = models.DecimalField(
        _("달성률 (%)"), max_digits=8, decimal_places=1, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("진행 상태"),
        max_length=10,
        choices=Status.choices,
        default=Status.NO_PERIOD,
        editable=False,
        db_index=True,
    )
    history = HistoricalRecords()

    publication = Publication(
        public=(
            "program",
            "regional_participation",
            "metric",
            "metric_en",
            "unit",
            "direction",
            "comparator",
            "baseline_value",
            "target_value",
            "period_start",
            "period_end",
            "applies_to",
            "applies_to_en",
            "note",
            "note_en",
            "source",
            "reporting_schedule",
            "aggregation",
            "measure",
            "trajectory",
            "rollup",
            "contributes_to",
            "outcome_statistic",
            "outcome_metric",
            "outcome_threshold",
            "current_value",
            "achievement_pct",
            "status",
        )
    )

    class Meta:
        verbose_name = _("목표")
        verbose_name_plural = _("목표")
        ordering = ["program", "regional_participation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(regional_participation__isnull=True))
                | (Q(program__isnull=True) & Q(regional_participation__isnull=False)),
                name="target_belongs_to_one_owner",
                violation_error_message=_(
                    "목표는 사업 또는 지역 참여 중 하나에만 연결해야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="target_period_ordered",
                violation_error_message=_("목표 기간 종료일은 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=(Q(direction="higher") & ~Q(comparator="lte"))
                | (Q(direction="lower") & ~Q(comparator="gte")),
                name="target_comparator_matches_direction",
                violation_error_message=_(
                    "비교 기호가 방향과 맞지 않습니다: 높을수록 좋은 지표는 ≥, 낮을수록 좋은 지표는 ≤ 를 씁니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rollup="") | Q(program__isnull=False),
                name="target_rollup_only_program_level",
                violation_error_message=_("지역 목표 집계는 사업 단위 목표에만 쓸 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(outcome_statistic="") | ~Q(outcome_metric=""),
                name="target_outcome_needs_metric",
                violation_error_message=_("기업 성과로 계산하려면 성과 지표명을 적어 주세요."),
            ),
        ]

    def __str__(self):
        return f"{self.metric} {self.get_comparator_display()} {self.target_value}{self.unit}"

    def clean(self):
        super().clean()
        parent = self.contributes_to
        if parent is None:
            return
        if not self.regional_participation_id:
            raise ValidationError(
                {"contributes_to": _("사업 목표에 더해지는 것은 지역 목표뿐입니다.")}
            )
        if not parent.rollup or parent.program_id != self.regional_participation.program_id:
            raise ValidationError(
                {
                    "contributes_to": _(
                        "같은 사업의, 지역 목표 집계를 하는 사업 단위 목표를 골라 주세요."
                    )
                }
            )
        if parent.unit != self.unit or parent.measure != self.measure:
            raise ValidationError(
                {"contributes_to": _("단위와 값의 종류가 같은 목표끼리만 집계할 수 있습니다.")}
            )

    @property
    def owner_program_id(self):
        if self.program_id:
            return self.program_id
        return self.regional_participation.program_id if self.regional_participation_id else None

    def compute_achievement(self, actual: Decimal | None) -> Decimal | None:
        """Achievement in percent of the way from baseline to target; direction-aware."""
        if actual is None:
            return None
        target = Decimal(self.target_value)
        actual = Decimal(actual)
        if self.baseline_value is not None:
            span = target - Decimal(self.baseline_value)
            if span == 0:
                return None
            ratio = (actual - Decimal(self.baseline_value)) / span
        elif self.direction == self.Direction.HIGHER:
            # Without a baseline, progress is measured from zero; a target at or below zero
            # leaves no way from zero to measure along.
            if target <= 0:
                return None
            ratio = actual / target
        elif target < 0:
            # A reduction target such as "cost change ≤ −5%": progress from zero towards it.
            ratio = actual / target
        else:
            # A ceiling such as "defect rate ≤ 3%": how far the actual sits under the ceiling.
            if actual <= 0:
                return None
            ratio = target / actual
        return (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def is_met(self, actual: Decimal) -> bool:
        if self.comparator == self.Comparator.GTE:
            return actual >= self.target_value
        if self.comparator == self.Comparator.LTE:
            return actual <= self.target_value
        return actual == self.target_value


class ParticipationQuerySet(TrackedQuerySet):
    def in_regions(self, region_ids):
        return self.filter(Q(region_id__in=region_ids) | Q(company__region_id__in=region_ids))


class Participation(TrackedModel):
    """A company in a program (and region), with its support and measured outcomes."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("신청")
        SELECTED = "selected", _("선정")
        IN_PROGRESS = "in_progress", _("수행 중")
        COMPLETED = "completed", _("완료")
        DROPPED = "dropped", _("중도 포기")

    company = models.ForeignKey(
        Company, verbose_name=_("기업"), on_delete=models.CASCADE, related_name="participations"
    )
    program = models.ForeignKey(
        Program, verbose_name=_("사업"), on_delete=models.PROTECT, related_name="participations"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("지역"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="company_participations",
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, db_index=True)
    applied_on = models.DateField(_("신청일"), null=True, blank=True)
    selected_on = models.DateField(_("선정일"), null=True, blank=True)
    support_amount_krw = models.BigIntegerField(_("지원금 (원)"), null=True, blank=True)
    self_funding_krw = models.BigIntegerField(_("자부담 (원)"), null=True, blank=True)
    #: usual amounts per company; the admin asks to confirm others (core.admin_money)
    PLAUSIBLE_KRW = {
        "support_amount_krw": (1_000_000, 50 * EOK),
        "self_funding_krw": (100_000, 50 * EOK),
    }
    solution_name = models.CharField(_("AI 솔루션"), max_length=200, blank=True)
    supplier = models.ForeignKey(
        Company,
        verbose_name=_("AI 공급기업"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplied_participations",
    )
    consent_to_publish = models.BooleanField(
        _("성과 공개 동의"),
        default=False,
        help_text=_("기업별 성과를 공개 페이지·API에 싣는 데 동의"),
    )
    note = models.TextField(
        _("내부 메모 (비공개)"), blank=True, help_text=_("직원에게만 보입니다.")
    )
    sources = models.ManyToManyField(Source, verbose_name=_("출처"), blank=True)
    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    publication = Publication(
        public=(
            "company",
            "program",
            "region",
            "status",
            "applied_on",
            "selected_on",
            "support_amount_krw",
            "self_funding_krw",
            "solution_name",
            "supplier",
            "consent_to_publish",
            "sources",
        ),
        staff_only={"note": "internal staff note"},
    )

    class Meta:
        verbose_name = _("기업 참여")
        verbose_name_plural = _("기업 참여")
        ordering = ["program", "company__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "program"],
                name="participation_unique_company_program",
                violation_error_message=_(
                    "이 기업은 이미 이 사업에 참여 중으로 등록되어 있습니다."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(support_amount_krw__isnull=True) | Q(support_amount_krw__gte=0))
                & (Q(self_funding_krw__isnull=True) | Q(self_funding_krw__gte=0)),
                name="participation_amounts_not_negative",
                violation_error_message=_("지원금과 자부담은 음수일 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(selected_on__isnull=True)
                | Q(applied_on__isnull=True)
                | Q(selected_on__gte=F("applied_on")),
                name="participation_selected_after_applied",
                violation_error_message=_("선정일은 신청일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(supplier=F("company")),
                name="participation_supplier_not_self",
                violation_error_message=_("AI 공급기업은 참여 기업 자신일 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.program}"


class OutcomeQuerySet(TrackedQuerySet):
    def published_q(self, at, prefix=""):
        """A company-level outcome is public when the company consented to publication in its
        participation, or when it was published outside any participation (e.g. cited by an
        award from a press release)."""
        return Q(**{f"{prefix}participation__isnull": True}) | Q(
            **{f"{prefix}participation__consent_to_publish": True}
        )


class Outcome(TrackedModel):
    """A measured result for a company (within a participation when known): baseline → result."""

    class Verification(models.TextChoices):
        CLAIMED = "claimed", _("기업 주장")
        VERIFIED = "verified", _("검증됨")

    company = models.ForeignKey(
        Company, verbose_name=_("기업"), on_delete=models.CASCADE, related_name="outcomes"
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("기업 참여"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    metric = models.CharField(_("지표"), max_length=200)
    metric_en = models.CharField(_("영문 지표"), max_length=200, blank=True)
    unit = models.CharField(_("단위"), max_length=20, blank=True)
    direction = models.CharField(
        _("방향"), max_length=10, choices=Target.Direction.choices, default=Target.Direction.HIGHER
    )
    baseline_value = models.DecimalField(
        _("기준값"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    result_value = models.DecimalField(
        _("결과값"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    change_pct = models.DecimalField(
        _("변화율 (%)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    verification = models.CharField(
        _("검증 여부"), max_length=10, choices=Verification.choices, default=Verification.CLAIMED
    )
    measured_on = models.DateField(_("측정일"), null=True, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("출처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    history = HistoricalRecords()

    objects = OutcomeQuerySet.as_manager()
    publication = Publication(
        public=(
            "company",
            "participation",
            "metric",
            "metric_en",
            "unit",
            "direction",
            "baseline_value",
            "result_value",
            "change_pct",
            "verification",
            "measured_on",
            "source",
        )
    )

    class Meta:
        verbose_name = _("성과")
        verbose_name_plural = _("성과")
        ordering = ["company", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(change_pct__isnull=False) | Q(result_value__isnull=False),
                name="outcome_has_result",
                violation_error_message=_("결과값 또는 변화율 중 하나는 입력해야 합니다."),
            )
        ]

    def __str__(self):
        change = f" {self.change_pct:+}%" if self.change_pct is not None else ""
        return f"{self.metric}{change}"

    def clean(self):
        super().clean()
        if self.participation_id and self.company_id:
            if self.participation.company_id != self.company_id:
                raise ValidationError(
                    {"participation": _("다른 기업의 사업 참여는 선택할 수 없습니다.")}
                )
        if (
            self.change_pct is None
            and self.baseline_value not in (None, 0)
            and self.result_value is not None
        ):
            change = (self.result_value - self.baseline_value) / self.baseline_value * 100
            self.change_pct = change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def is_improvement(self) -> bool | None:
        if self.change_pct is None:
            return None
        if self.direction == Target.Direction.LOWER:
            return self.change_pct < 0
        return self.change_pct > 0
