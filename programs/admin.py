from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from companies.admin import CompanyAdmin
from companies.models import Company
from core.admin_base import ScopedTabularInline, TrackedAdmin, krw_column

from . import cofinancing
from .models import (
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
from .resources import ParticipationResource


class CofinancingWarningMixin:
    """After a save, warn (not refuse) when the saved record's budgets or company support break
    their program's co-financing rules (``programs.cofinancing``)."""

    #: at most this many warnings are listed; the data-quality page lists all
    cofinancing_warning_limit = 5

    def cofinancing_subjects(self, obj):
        """(regional participations, participations) whose rules the save may affect."""
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        regional, participations = self.cofinancing_subjects(form.instance)
        found = cofinancing.violations(regional, participations)
        for check in found[: self.cofinancing_warning_limit]:
            self.message_user(
                request, _("공동 재원 규칙 위반: %s") % check.message, messages.WARNING
            )
        if len(found) > self.cofinancing_warning_limit:
            self.message_user(
                request,
                _("공동 재원 규칙 위반 %(n)d건 더: 데이터 품질 점검에서 모두 볼 수 있습니다.")
                % {"n": len(found) - self.cofinancing_warning_limit},
                messages.WARNING,
            )


def _none(model):
    return model.objects.none()


class CofinancingRuleInline(ScopedTabularInline):
    model = CofinancingRule
    extra = 0
    fields = ["scope", "share", "bound", "percent", "basis", "source", "note"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ProgramOrganizationInline(ScopedTabularInline):
    model = ProgramOrganization
    extra = 0
    autocomplete_fields = ["organization"]


class BudgetLineInline(ScopedTabularInline):
    model = BudgetLine
    extra = 0
    fields = [
        "amount_krw",
        "funding_source",
        "vehicle",
        "fiscal_year",
        "period_start_year",
        "period_end_year",
        "status",
        "purpose",
        "source",
    ]
    autocomplete_fields = ["source"]
    show_change_link = True  # source quote and note are edited on the line's own page

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class RegionalParticipationInline(ScopedTabularInline):
    model = RegionalParticipation
    extra = 0
    fields = ["region", "status", "selected_on", "strategy_title", "executing_organization"]
    autocomplete_fields = ["region", "executing_organization"]
    show_change_link = True


class ProgramTargetInline(ScopedTabularInline):
    model = Target
    fk_name = "program"
    extra = 0
    # The row keeps the required fields and what to check at a glance; baseline, period start,
    # note and source are edited on the target's own page ("변경" link), so the table fits.
    fields = [
        "metric",
        "unit",
        "direction",
        "comparator",
        "target_value",
        "period_end",
        "achievement_pct",
        "status",
    ]
    readonly_fields = ["achievement_pct", "status"]
    show_change_link = True


class ParticipationRegionTargetInline(ProgramTargetInline):
    fk_name = "regional_participation"


class OutcomeInline(ScopedTabularInline):
    model = Outcome
    extra = 0
    fields = [
        "company",
        "metric",
        "unit",
        "direction",
        "baseline_value",
        "result_value",
        "change_pct",
        "verification",
        "source",
    ]
    autocomplete_fields = ["company", "source"]


class CompanyParticipationInline(ScopedTabularInline):
    model = Participation
    fk_name = "company"
    extra = 0
    fields = [
        "program",
        "region",
        "status",
        "selected_on",
        "support_amount_krw",
        "consent_to_publish",
    ]
    autocomplete_fields = ["program", "region"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program", "region")


@admin.register(Program)
class ProgramAdmin(CofinancingWarningMixin, TrackedAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "lead_ministry",
        "parent",
        "budget_lines_count",
        "start",
        "end",
    ]
    list_filter = ["kind", "status", "lead_ministry", "regional_participations__region"]
    search_fields = ["name", "name_en", "short_name", "slug", "summary"]
    autocomplete_fields = ["parent", "lead_ministry", "related", "sources"]
    list_select_related = ["lead_ministry", "parent"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [
        ProgramOrganizationInline,
        BudgetLineInline,
        CofinancingRuleInline,
        RegionalParticipationInline,
        ProgramTargetInline,
    ]

    def cofinancing_subjects(self, obj):
        return obj.regional_participations.all(), obj.participations.all()

    fieldsets = [
        (None, {"fields": ["name", "name_en", "short_name", "slug", "kind", "status"]}),
        (_("관계"), {"fields": ["parent", "related", "lead_ministry"]}),
        (_("내용"), {"fields": ["summary", "summary_en", "description", "description_en", "url"]}),
        (
            _("일정"),
            {
                "fields": [
                    ("planned_start", "planned_end"),
                    ("actual_start", "actual_end"),
                    ("application_start", "application_end"),
                    "date_note",
                ]
            },
        ),
        (_("출처"), {"fields": ["sources"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(budget_line_total=Count("budget_lines", distinct=True))
        )

    @admin.display(description=_("예산 항목"), ordering="budget_line_total")
    def budget_lines_count(self, obj):
        return obj.budget_line_total

    @admin.display(description=_("시작"))
    def start(self, obj):
        return obj.start

    @admin.display(description=_("종료"))
    def end(self, obj):
        return obj.end


@admin.register(ProgramOrganization)
class ProgramOrganizationAdmin(TrackedAdmin):
    list_display = ["program", "organization", "role", "note"]
    list_filter = ["role"]
    search_fields = ["program__name", "organization__name"]
    autocomplete_fields = ["program", "organization"]
    list_select_related = ["program", "organization"]


@admin.register(BudgetLine)
class BudgetLineAdmin(CofinancingWarningMixin, TrackedAdmin):
    list_display = [
        "program",
        "amount_display",
        "funding_source",
        "vehicle",
        "fiscal_year",
        "period_display",
        "status",
        "source",
    ]
    list_filter = ["funding_source", "vehicle", "status", "fiscal_year"]
    search_fields = ["program__name", "purpose", "quoted_text", "note", "source__title"]
    autocomplete_fields = ["program", "regional_participation", "source"]
    list_select_related = ["program", "source"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "program",
                    "regional_participation",
                    "amount_krw",
                    ("funding_source", "vehicle", "status"),
                    ("fiscal_year", "period_start_year", "period_end_year"),
                    "purpose",
                    "purpose_en",
                ]
            },
        ),
        (_("출처"), {"fields": ["source", "quoted_text"]}),
        (_("비고 (직원 메모, 비공개)"), {"fields": ["note"]}),
    ]
    amount_display = krw_column("amount_krw", _("금액"))

    @admin.display(description=_("기간"))
    def period_display(self, obj):
        return obj.period_display

    def cofinancing_subjects(self, obj):
        regional = RegionalParticipation.objects.filter(pk=obj.regional_participation_id)
        return regional, _none(Participation)


@admin.register(Hub)
class HubAdmin(TrackedAdmin):
    list_display = [
        "name",
        "region",
        "site_name",
        "city",
        "operator",
        "has_gpu",
        "has_testbed",
        "opening_hours",
    ]
    list_filter = ["region", "has_gpu", "has_testbed"]
    search_fields = ["name", "name_en", "site_name", "address", "city"]
    autocomplete_fields = ["region", "operator", "sources"]
    list_select_related = ["region", "operator"]


@admin.register(RegionalParticipation)
class RegionalParticipationAdmin(CofinancingWarningMixin, TrackedAdmin):
    list_display = [
        "program",
        "region",
        "status",
        "selected_on",
        "strategy_title",
        "budget_display",
        "official",
    ]
    list_filter = ["status", "region", "program"]
    search_fields = ["program__name", "region__name", "strategy_title", "plan_title"]
    autocomplete_fields = [
        "program",
        "region",
        "executing_organization",
        "official",
        "hubs",
        "linked_programs",
        "sources",
    ]
    list_select_related = ["program", "region", "official__organization"]
    inlines = [ParticipationRegionTargetInline]
    budget_display = krw_column("budget_krw", _("지역 예산"))

    def cofinancing_subjects(self, obj):
        return RegionalParticipation.objects.filter(pk=obj.pk), _none(Participation)


@admin.register(Target)
class TargetAdmin(TrackedAdmin):
    list_display = [
        "metric",
        "owner",
        "comparator_display",
        "unit",
        "direction",
        "achievement_pct",
        "status",
    ]
    list_filter = ["status", "direction", "program", "regional_participation__region"]
    search_fields = [
        "metric",
        "metric_en",
        "program__name",
        "regional_participation__program__name",
    ]
    autocomplete_fields = ["program", "regional_participation", "source", "contributes_to"]
    list_select_related = [
        "program",
        "regional_participation__program",
        "regional_participation__region",
    ]
    readonly_fields = ["current_value", "achievement_pct", "status"]

    @admin.display(description=_("대상"))
    def owner(self, obj):
        return obj.program or obj.regional_participation

    @admin.display(description=_("목표"))
    def comparator_display(self, obj):
        return f"{obj.get_comparator_display()} {obj.target_value}"


@admin.register(Participation)
class ParticipationAdmin(CofinancingWarningMixin, TrackedAdmin):
    resource_classes = [ParticipationResource]
    import_kind = "participations"
    actions = ["mark_in_progress", "mark_completed"]
    list_display = [
        "company",
        "program",
        "region",
        "status",
        "selected_on",
        "support_display",
        "supplier",
        "consent_to_publish",
    ]
    list_filter = ["status", "program", "region", "consent_to_publish"]
    search_fields = [
        "company__name",
        "company__business_number",
        "supplier__name",
        "program__name",
        "solution_name",
    ]
    identifier_search_fields = ["company__business_number", "supplier__business_number"]
    search_help_text = _(
        "기업 이름·사업자등록번호(하이픈 있어도 없어도), 공급기업, 사업, AI 솔루션"
    )
    autocomplete_fields = ["company", "program", "region", "supplier", "sources"]
    list_select_related = ["company", "program", "region", "supplier"]
    inlines = [OutcomeInline]
    support_display = krw_column("support_amount_krw", _("지원금"))

    def cofinancing_subjects(self, obj):
        return _none(RegionalParticipation), Participation.objects.filter(pk=obj.pk)

    @admin.action(description=_("선택한 참여를 '수행 중'으로 표시"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, Participation.Status.IN_PROGRESS)

    @admin.action(description=_("선택한 참여를 '완료'로 표시"), permissions=["change"])
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, Participation.Status.COMPLETED)

    def _set_status(self, request, queryset, status):
        # update() of TrackedQuerySet writes one history row per participation, bumps versions.
        count = queryset.update_with_history(
            status=status, history_user=request.user, change_reason=_("일괄 변경")
        )
        self.message_user(request, _("%(count)d건의 참여를 바꿨습니다.") % {"count": count})


@admin.register(Outcome)
class OutcomeAdmin(TrackedAdmin):
    list_display = [
        "company",
        "metric",
        "baseline_value",
        "result_value",
        "change_pct",
        "verification",
        "participation",
    ]
    list_filter = ["verification", "direction"]
    search_fields = ["company__name", "company__business_number", "metric", "metric_en"]
    identifier_search_fields = ["company__business_number"]
    autocomplete_fields = ["company", "participation", "source"]
    list_select_related = ["company", "participation__program", "participation__company"]


admin.site.unregister(Company)


@admin.register(Company)
class CompanyWithParticipationsAdmin(CofinancingWarningMixin, CompanyAdmin):
    """The company admin, with its participations inline (programs sit above companies)."""

    inlines = [CompanyParticipationInline]

    def cofinancing_subjects(self, obj):
        return _none(RegionalParticipation), obj.participations.all()


@admin.register(CofinancingRule)
class CofinancingRuleAdmin(CofinancingWarningMixin, TrackedAdmin):
    list_display = ["program", "scope", "share", "bound", "percent", "basis", "source"]
    list_filter = ["scope", "share", "bound", "program"]
    search_fields = ["program__name", "note", "source__title"]
    autocomplete_fields = ["program", "source"]
    list_select_related = ["program", "source"]

    def cofinancing_subjects(self, obj):
        return obj.program.regional_participations.all(), obj.program.participations.all()
