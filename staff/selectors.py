"""The data-quality checks: one declaration of what staff should look at, read by the staff
data-quality page (``staff.views.data_quality``), the admin's changelist filter "데이터 품질"
(``?quality=<key>``, so every count links to exactly its rows and exports them) and the daily
data-quality mail (``reports.services``).

A check is a model and a filter of its rows; ``check_queryset(check, user)`` applies the user's
region scope (``core.scoping``). Checks whose rows cannot be written as one SQL filter (likely
duplicate companies, co-financing violations) compute their ids in Python, in a fixed number
of queries.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.admin_base import register_quality_checks
from core.models import Organization, Person, Source
from core.scoping import scope_queryset
from events.models import AgendaItem, Award, Event
from indicators.models import Observation, StatisticSeries
from programs import cofinancing
from programs.models import (
    BudgetLine,
    Hub,
    Outcome,
    Participation,
    Program,
    RegionalParticipation,
    Target,
)
from results.models import FollowUp, ReportingPeriod, ResultUpdate

#: rows listed per check on the page (the changelist link shows them all)
ROW_LIMIT = 20

GROUP_BASICS = _("기본 정보")
GROUP_SOURCES = _("출처가 없는 기록")
GROUP_ENGLISH = _("영문 텍스트가 없는 기록")
GROUP_TARGETS = _("목표·실적")
GROUP_MONEY = _("공동 재원 규칙")
GROUP_DUPLICATES = _("중복 의심")
GROUPS = [
    GROUP_BASICS,
    GROUP_TARGETS,
    GROUP_MONEY,
    GROUP_SOURCES,
    GROUP_ENGLISH,
    GROUP_DUPLICATES,
]


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    group: str
    model: type[models.Model]
    rows: Callable[[datetime.date], models.QuerySet]  # unscoped rows, given today's date
    describe: Callable[[models.Model], str] = str
    select_related: tuple[str, ...] = ()
    help: str = ""


@dataclass
class CheckResult:
    check: Check
    count: int
    rows: list[dict] = field(default_factory=list)
    changelist_url: str = ""
    export_url: str = ""

    @property
    def title(self):
        return self.check.title


# --- the checks -----------------------------------------------------------------------------


def _no_source_m2m(model):
    through = model.sources.through
    cited = through.objects.filter(**{f"{model._meta.model_name}_id": OuterRef("pk")})
    return lambda today: model.objects.filter(~Exists(cited))


def _no_source_fk(model):
    return lambda today: model.objects.filter(source__isnull=True)


COMPANY_SUFFIXES = re.compile(
    r"\(주\)|㈜|주식회사|\(유\)|유한회사|\(사\)|사단법인|co\.?,?\s*ltd\.?|inc\.?"
)


def normalized_company_name(name: str) -> str:
    """'(주)한빛 정밀', '한빛정밀 주식회사' and '㈜ 한빛정밀' all become '한빛정밀'."""
    name = COMPANY_SUFFIXES.sub("", name.lower())
    return re.sub(r"[\s\W_]+", "", name)


def duplicate_company_groups(companies) -> list[dict]:
    """Likely duplicates among ``companies``: the same normalized name or business number."""
    by_name, by_number = defaultdict(list), defaultdict(list)
    for company in companies.select_related("region").order_by("name", "pk"):
        by_name[normalized_company_name(company.name)].append(company)
        if company.business_number:
            by_number[company.business_number].append(company)
    groups = [
        {"reason": _("같은 이름(정규화): %(key)s") % {"key": key}, "companies": group}
        for key, group in by_name.items()
        if key and len(group) > 1
    ]
    groups += [
        {"reason": _("같은 사업자등록번호: %(key)s") % {"key": key}, "companies": group}
        for key, group in by_number.items()
        if len(group) > 1
    ]
    return groups


def _duplicates(today):
    ids = {c.pk for g in duplicate_company_groups(Company.objects.all()) for c in g["companies"]}
    return Company.objects.filter(pk__in=ids)


def _overdue_targets(today):
    approved = ResultUpdate.objects.filter(
        period__target=OuterRef("pk"), status=ResultUpdate.Status.APPROVED
    )
    return Target.objects.filter(period_end__lt=today).filter(~Exists(approved))


def _overdue_reports(today):
    """Periods past their deadline, not locked, without an update submitted or approved."""
    reported = ResultUpdate.objects.filter(period=OuterRef("pk")).exclude(
        status=ResultUpdate.Status.DRAFT
    )
    return ReportingPeriod.objects.filter(deadline__lt=today, locked=False).filter(
        ~Exists(reported)
    )


def _describe_period(period):
    owner = period.target.regional_participation or period.target.program
    return f"{period.target.metric} · {period.label} ({_('제출 기한')} {period.deadline:%Y-%m-%d}) — {owner}"


def _overdue_follow_ups(today):
    return FollowUp.objects.filter(status__in=FollowUp.OPEN, due_end__lt=today)


def _describe_follow_up(item):
    return f"{item} — {item.owner} ({_('기한')} {item.due_end:%Y-%m-%d})"


def _cofinancing_regional(today):
    ids = {
        c.subject.pk for c in cofinancing.violations(participations=Participation.objects.none())
    }
    return RegionalParticipation.objects.filter(pk__in=ids)


def _cofinancing_companies(today):
    violated = cofinancing.violations(regional_participations=RegionalParticipation.objects.none())
    return Participation.objects.filter(pk__in={c.subject.pk for c in violated})


def _describe_target(target):
    owner = target.program or target.regional_participation
    end = f" ({_('기간 종료')} {target.period_end:%Y-%m-%d})" if target.period_end else ""
    return f"{target} — {owner}{end}"


def _describe_participation(participation):
    return f"{participation} ({participation.get_status_display()})"


def describe_company(company):
    return f"{company.name} · {company.formatted_business_number or '—'} · {company.region or '—'}"


def _english_pairs(model) -> list[tuple[str, str]]:
    """(Korean field, English field) pairs of ``model``: every ``X_en`` text field with an ``X``."""
    names = {f.name for f in model._meta.concrete_fields}
    return [
        (f.name[:-3], f.name)
        for f in model._meta.concrete_fields
        if f.name.endswith("_en")
        and f.name[:-3] in names
        and isinstance(f, models.CharField | models.TextField)
    ]


def _missing_english(model):
    condition = Q(pk__in=[])
    for korean, english in _english_pairs(model):
        condition |= ~Q(**{korean: ""}) & Q(**{english: ""})
    return lambda today: model.objects.filter(condition)


ENGLISH_MODELS = [
    Program,
    RegionalParticipation,
    BudgetLine,
    Hub,
    Target,
    Outcome,
    Organization,
    Person,
    Event,
    AgendaItem,
    Award,
    StatisticSeries,
    Observation,
]


def _checks() -> list[Check]:
    checks = [
        Check(
            "companies-without-region",
            _("지역이 없는 기업"),
            GROUP_BASICS,
            Company,
            lambda today: Company.objects.filter(region__isnull=True),
            describe_company,
            help=_("지역이 없으면 지역 편집자가 볼 수 없고 지역 통계에서 빠집니다."),
        ),
        Check(
            "companies-without-business-number",
            _("사업자등록번호가 없는 기업"),
            GROUP_BASICS,
            Company,
            lambda today: Company.objects.filter(business_number=""),
            describe_company,
            ("region",),
            help=_("번호가 없으면 중복 확인과 가져오기 대조가 되지 않습니다."),
        ),
        Check(
            "sources-without-url",
            _("URL이 없는 출처"),
            GROUP_BASICS,
            Source,
            lambda today: Source.objects.filter(url=""),
        ),
        Check(
            "targets-without-period",
            _("기간이 없는 목표"),
            GROUP_TARGETS,
            Target,
            lambda today: Target.objects.filter(period_end__isnull=True),
            _describe_target,
            ("program", "regional_participation__program", "regional_participation__region"),
            help=_("종료일이 없으면 진행 상태와 보고 기한을 계산할 수 없습니다."),
        ),
        Check(
            "targets-overdue-without-actuals",
            _("기간이 끝났는데 승인된 실적이 없는 목표"),
            GROUP_TARGETS,
            Target,
            _overdue_targets,
            _describe_target,
            ("program", "regional_participation__program", "regional_participation__region"),
        ),
        Check(
            "reports-overdue",
            _("제출 기한이 지났는데 보고되지 않은 실적"),
            GROUP_TARGETS,
            ReportingPeriod,
            _overdue_reports,
            _describe_period,
            (
                "target__program",
                "target__regional_participation__program",
                "target__regional_participation__region",
            ),
            help=_("제출되거나 승인된 보고가 없는 보고 기간 (잠긴 기간 제외)"),
        ),
        Check(
            "follow-ups-overdue",
            _("기한이 지난 후속 조치"),
            GROUP_TARGETS,
            FollowUp,
            _overdue_follow_ups,
            _describe_follow_up,
            ("owner",),
            help=_("발표됨 또는 진행 중인데 기한이 지났습니다."),
        ),
        Check(
            "participations-without-outcomes",
            _("성과가 없는 기업 참여"),
            GROUP_TARGETS,
            Participation,
            lambda today: Participation.objects.filter(
                ~Exists(Outcome.objects.filter(participation=OuterRef("pk")))
            ),
            _describe_participation,
            ("company", "program"),
        ),
        Check(
            "cofinancing-regional-budgets",
            _("공동 재원 규칙을 어긴 지역 예산"),
            GROUP_MONEY,
            RegionalParticipation,
            _cofinancing_regional,
            str,
            ("program", "region"),
            help=_("한 출처가 밝힌 지역 예산의 재원 비율이 사업의 규칙을 벗어납니다."),
        ),
        Check(
            "cofinancing-company-support",
            _("자부담 규칙을 어긴 기업 참여"),
            GROUP_MONEY,
            Participation,
            _cofinancing_companies,
            _describe_participation,
            ("company", "program"),
        ),
    ]
    for model in [Program, RegionalParticipation, Hub, Participation, Event, Award]:
        checks.append(
            Check(
                f"no-source-{model._meta.model_name}",
                model._meta.verbose_name,
                GROUP_SOURCES,
                model,
                _no_source_m2m(model),
            )
        )
    for model in [Target, Outcome, StatisticSeries]:
        checks.append(
            Check(
                f"no-source-{model._meta.model_name}",
                model._meta.verbose_name,
                GROUP_SOURCES,
                model,
                _no_source_fk(model),
            )
        )
    for model in ENGLISH_MODELS:
        fields = ", ".join(
            str(model._meta.get_field(english).verbose_name)
            for _korean, english in _english_pairs(model)
        )
        checks.append(
            Check(
                f"no-english-{model._meta.model_name}",
                model._meta.verbose_name,
                GROUP_ENGLISH,
                model,
                _missing_english(model),
                help=fields,
            )
        )
    checks.append(
        Check(
            "duplicate-companies",
            _("중복 의심 기업"),
            GROUP_DUPLICATES,
            Company,
            _duplicates,
            describe_company,
            ("region",),
            help=_("같은 이름(㈜·주식회사 등 제외) 또는 같은 사업자등록번호"),
        )
    )
    return checks


CHECKS: list[Check] = _checks()
CHECKS_BY_KEY = {check.key: check for check in CHECKS}


# --- reading them ---------------------------------------------------------------------------


def check_queryset(check: Check, user=None, today: datetime.date | None = None):
    """The rows of ``check`` in ``user``'s region scope (every row for ``None``)."""
    today = today or timezone.localdate()
    rows = check.rows(today)
    related = check.select_related or _admin_select_related(check.model)
    if related:
        rows = rows.select_related(*related)
    return scope_queryset(user, rows)


def _admin_select_related(model) -> tuple[str, ...]:
    """What the model's ``__str__`` touches, as its ModelAdmin declares it (CONTRIBUTING)."""
    from django.contrib import admin

    try:
        related = admin.site.get_model_admin(model).list_select_related
    except admin.exceptions.NotRegistered:
        return ()
    return tuple(related) if isinstance(related, list | tuple) else ()


def filter_rows(key: str, queryset, today: datetime.date | None = None):
    """``queryset`` narrowed to the rows of check ``key`` (the admin's "데이터 품질" filter)."""
    check = CHECKS_BY_KEY[key]
    return queryset.filter(pk__in=check.rows(today or timezone.localdate()).values("pk"))


def _admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _changelist(check: Check, action: str = "changelist") -> str:
    opts = check.model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_{action}')}?quality={check.key}"


def summary(user=None, today: datetime.date | None = None, limit: int = ROW_LIMIT):
    """Every check with its count in ``user``'s scope, and its first ``limit`` rows."""
    today = today or timezone.localdate()
    results = []
    for check in CHECKS:
        rows = check_queryset(check, user, today)
        count = rows.count()
        listed = (
            [{"label": check.describe(obj), "url": _admin_url(obj)} for obj in rows[:limit]]
            if count and limit
            else []
        )
        results.append(
            CheckResult(
                check,
                count,
                listed,
                changelist_url=_changelist(check),
                export_url=_changelist(check, "export"),
            )
        )
    return results


def grouped(results) -> list[dict]:
    """The results by group, in the page's order: {"group", "results", "total"}."""
    by_group = defaultdict(list)
    for result in results:
        by_group[result.check.group].append(result)
    return [
        {
            "group": group,
            "results": by_group[group],
            "total": sum(r.count for r in by_group[group]),
        }
        for group in GROUPS
        if by_group[group]
    ]


def model_checks(model) -> list[Check]:
    """The checks listing rows of ``model`` (the choices of its changelist filter)."""
    return [check for check in CHECKS if check.model is model]


register_quality_checks(
    {
        model: [(check.key, check.title) for check in model_checks(model)]
        for model in {check.model for check in CHECKS}
    },
    filter_rows,
)
