"""Admin of results reporting. Values and transitions go through ``results.services`` (the
workflow's rules hold here as on the staff pages and the API); the target's admin gains its
reporting periods inline and recomputes its progress after a save."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedTabularInline, TrackedAdmin
from programs.admin import TargetAdmin as ProgramsTargetAdmin
from programs.models import Target

from . import progress, services
from .models import (
    FollowUp,
    ReportingPeriod,
    ResultBreakdown,
    ResultEvidence,
    ResultNotice,
    ResultTransition,
    ResultUpdate,
)
from .outcomes import target_outcomes
from .resources import ResultUpdateResource


class ReportingPeriodInline(ScopedTabularInline):
    model = ReportingPeriod
    extra = 0
    fields = ["start", "end", "deadline", "milestone_value", "locked", "approved_value"]
    readonly_fields = ["locked", "approved_value"]
    show_change_link = True


admin.site.unregister(Target)


@admin.register(Target)
class TargetAdmin(ProgramsTargetAdmin):
    inlines = [ReportingPeriodInline]
    actions = ["generate_periods"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "outcome_companies"]

    @admin.display(description=_("성과 계산에 쓰인 기업 (직원용)"))
    def outcome_companies(self, obj):
        """The companies behind an outcome-derived figure — staff see them all, whatever the
        consent; the public sees only the figure and the counts."""
        if obj is None or not obj.pk or not obj.outcome_statistic:
            return "—"
        rows = [
            f"{o.company.name}: {o.change_pct:+}%"
            + ("" if (o.participation and o.participation.consent_to_publish) else " (비공개)")
            for o in target_outcomes(obj).select_related("participation")
        ]
        return "; ".join(rows) or _("검증된 성과가 없습니다.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        progress.target_refresh(form.instance)

    @admin.action(description=_("보고 주기에 따라 보고 기간 만들기"))
    def generate_periods(self, request, queryset):
        created = 0
        for target in queryset.select_related("program", "regional_participation__program"):
            created += len(services.periods_generate(target=target, user=request.user))
        self.message_user(request, _("보고 기간 %(n)d개를 만들었습니다.") % {"n": created})


class ResultUpdateInline(ScopedTabularInline):
    model = ResultUpdate
    extra = 0
    fields = ["status", "value", "numerator", "denominator", "as_of", "submitted_by"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(TrackedAdmin):
    list_display = ["target", "start", "end", "deadline", "locked", "approved_value"]
    list_filter = ["locked", "target__regional_participation__region", "deadline"]
    search_fields = ["target__metric"]
    autocomplete_fields = ["target"]
    list_select_related = ["target"]
    readonly_fields = ["locked", "lock_reason", "approved_value"]
    inlines = [ResultUpdateInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        progress.target_refresh(obj.target)


class ResultBreakdownInline(ScopedTabularInline):
    model = ResultBreakdown
    extra = 0
    fields = ["category", "value", "numerator", "denominator"]


class ResultEvidenceInline(ScopedTabularInline):
    model = ResultEvidence
    extra = 0
    fields = ["original_name", "size_bytes", "uploaded_by", "uploaded_at", "download"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("내려받기"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("results:evidence", args=[obj.pk]), _("내려받기")
        )


class ResultTransitionInline(admin.TabularInline):
    model = ResultTransition
    extra = 0
    fields = ["from_status", "to_status", "user", "at", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ResultUpdateAdminForm(TrackedAdmin.form):
    """The workflow's rules before the save (role, region, locked period, editable status), so
    a refusal is a form error in Korean, never a server error."""

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period") or getattr(self.instance, "period", None)
        if period is not None and getattr(self, "request_user", None) is not None:
            try:
                services.update_check_writable(
                    user=self.request_user,
                    period=period,
                    update=self.instance if self.instance.pk else None,
                )
            except services.WorkflowError as exc:
                raise ValidationError(exc.message) from exc
        return cleaned


@admin.register(ResultUpdate)
class ResultUpdateAdmin(TrackedAdmin):
    form = ResultUpdateAdminForm
    import_kind = "results"
    resource_classes = [ResultUpdateResource]
    list_display = ["period", "status", "value", "as_of", "submitted_by", "breakdown_incomplete"]
    list_filter = [
        "status",
        "breakdown_incomplete",
        "period__target__regional_participation__region",
    ]
    search_fields = ["period__target__metric", "comment"]
    autocomplete_fields = ["period", "source"]
    list_select_related = ["period__target", "submitted_by"]
    readonly_fields = [
        "status",
        "breakdown_incomplete",
        "created_by",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "return_reason",
    ]
    inlines = [ResultBreakdownInline, ResultEvidenceInline, ResultTransitionInline]
    actions = ["submit", "approve"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithUser(form):
            request_user = request.user

        return WithUser

    def save_model(self, request, obj, form, change):
        """Through the service: role, region scope, locked periods and editable statuses
        (checked by the form already, so this does not refuse)."""
        services.update_save(
            user=request.user,
            period=obj.period,
            update=obj,
            value=obj.value,
            numerator=obj.numerator,
            denominator=obj.denominator,
            as_of=obj.as_of,
            comment=obj.comment,
            source=obj.source,
            dimension=obj.breakdown_dimension,
            parts=None,
        )

    def _transition(self, request, queryset, action):
        done = 0
        for update in queryset:
            try:
                services.update_transition(update=update, action=action, user=request.user)
                done += 1
            except services.WorkflowError as exc:
                self.message_user(request, f"{update}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d건을 처리했습니다.") % {"n": done})

    @admin.action(description=_("선택한 보고 제출"))
    def submit(self, request, queryset):
        self._transition(request, queryset, "submit")

    @admin.action(description=_("선택한 보고 승인"))
    def approve(self, request, queryset):
        self._transition(request, queryset, "approve")


@admin.register(ResultBreakdown)
class ResultBreakdownAdmin(TrackedAdmin):
    list_display = ["update", "category", "value"]
    list_filter = ["update__breakdown_dimension"]
    search_fields = ["category", "update__period__target__metric"]
    autocomplete_fields = ["update"]
    list_select_related = ["update__period__target"]


@admin.register(ResultEvidence)
class ResultEvidenceAdmin(TrackedAdmin):
    list_display = ["original_name", "update", "size_bytes", "uploaded_by", "uploaded_at"]
    list_filter = ["uploaded_at"]
    search_fields = ["original_name", "update__period__target__metric"]
    autocomplete_fields = ["update"]
    list_select_related = ["update__period__target", "uploaded_by"]
    readonly_fields = ["original_name", "size_bytes", "uploaded_by"]


@admin.register(ResultTransition)
class ResultTransitionAdmin(admin.ModelAdmin):
    list_display = ["update", "from_status", "to_status", "user", "at", "reason"]
    list_filter = ["to_status", "at"]
    search_fields = ["update__period__target__metric", "reason", "user__username"]
    autocomplete_fields = ["update"]
    list_select_related = ["update__period__target", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResultNotice)
class ResultNoticeAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "recipient", "sent_at"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["key", "recipient__username"]
    autocomplete_fields = ["recipient"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(TrackedAdmin):
    list_display = ["title", "owner", "due_end", "status", "announced_at", "source"]
    list_filter = ["status", "owner"]
    search_fields = ["title", "title_en", "note"]
    autocomplete_fields = [
        "owner",
        "program",
        "announced_at",
        "source",
        "fulfilled_by_event",
        "fulfilled_by_program",
        "fulfilled_by_source",
    ]
    list_select_related = ["owner", "announced_at", "source"]
