from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import imports, tasks, tokens
from .models import ApiToken, ImportJob, StaffProfile


class StaffProfileInline(admin.StackedInline):
    """A staff account's regions (regional editors see and change only these)."""

    model = StaffProfile
    can_delete = False
    extra = 0
    max_num = 1
    autocomplete_fields = ["regions"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """The user admin with each account's role groups and regions."""

    inlines = [StaffProfileInline]
    list_display = ["username", "email", "is_staff", "is_superuser", "role_names", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("역할"))
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The list of spreadsheet imports; each opens its report page."""

    list_display = [
        "id",
        "kind",
        "original_name",
        "state",
        "total",
        "user",
        "client_ip",
        "created_at",
        "report_link",
    ]
    list_filter = ["kind", "status", "background"]
    search_fields = ["original_name", "user__username"]
    autocomplete_fields = []
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ImportJob._meta.fields] + ["report_link"]
    actions = ["restart"]

    @admin.display(description=_("상태"), ordering="status")
    def state(self, obj):
        if obj.is_stuck:
            return format_html(
                '<strong class="errornote">{}</strong>',
                _("멈춤 (%(status)s 중 작업 프로세스 응답 없음)")
                % {"status": obj.get_status_display()},
            )
        return obj.get_status_display()

    @admin.action(description=_("다시 시작 (멈춘 작업)"))
    def restart(self, request, queryset):
        restarted, skipped = 0, 0
        for job in queryset.select_related("user"):
            if imports.import_job_restartable(job) and imports.can_import(request.user, job.kind):
                tasks.enqueue_import_job(job.pk)
                restarted += 1
            else:
                skipped += 1
        if restarted:
            self.message_user(
                request, _("%(n)s개 작업을 다시 시작했습니다.") % {"n": restarted}, messages.SUCCESS
            )
        if skipped:
            self.message_user(
                request,
                _("%(n)s개 작업은 멈춘 작업이 아니어서 그대로 두었습니다.") % {"n": skipped},
                messages.WARNING,
            )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.has_perm("staff.change_importjob"):
            return queryset
        return queryset.filter(user=request.user)

    def has_add_permission(self, request):
        return False  # jobs start from the upload page of each kind

    @admin.display(description=_("보고서"))
    def report_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("staff:import-job", args=[obj.pk]), _("열기")
        )


# --- third-party sections in Korean -----------------------------------------------------------
# django-celery-beat's schedule list names a column and a filter from attributes without a
# translatable label ("scheduler", "Task Name"), and reads cron lines in English; these
# subclasses only relabel them.


def _cron_reading(crontab) -> str:
    from cron_descriptor import ExpressionDescriptor, Options

    expression = " ".join(
        [
            crontab.minute,
            crontab.hour,
            crontab.day_of_month,
            crontab.month_of_year,
            crontab.day_of_week,
        ]
    )
    options = Options()
    options.locale_code = "ko_KR"
    options.use_24hour_time_format = True
    try:
        reading = ExpressionDescriptor(expression, options).get_description()
    except Exception:  # a malformed line still shows as written
        reading = ""
    every_day = (crontab.day_of_month, crontab.month_of_year, crontab.day_of_week) == ("*",) * 3
    reading = f"매일 {reading}" if every_day and reading else reading
    return f"{reading} (크론 {expression}, {crontab.timezone})".strip()


class _TitledFieldFilter(admin.AllValuesFieldListFilter):
    title = _("작업 이름")

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = type(self).title


def _register_korean_beat_admin():
    from django_celery_beat.admin import CrontabScheduleAdmin, PeriodicTaskAdmin
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    class KoreanPeriodicTaskAdmin(PeriodicTaskAdmin):
        list_display = (
            "name",
            "enabled",
            "schedule_display",
            "start_time",
            "last_run_at",
            "one_off",
        )
        list_filter = ["enabled", "one_off", ("task", _TitledFieldFilter), "last_run_at"]
        list_select_related = ["crontab", "interval", "solar", "clocked"]
        # The package's template adds an English cron reading with an inline script (which the
        # production Content-Security-Policy blocks anyway); the reading is a field here.
        change_form_template = "admin/change_form.html"

        @admin.display(description=_("일정"))
        def schedule_display(self, obj):
            if obj.crontab_id:
                return _cron_reading(obj.crontab)
            return str(obj.scheduler) if obj.scheduler else "—"

        @admin.display(description=_("크론 일정 풀이"))
        def crontab_translation(self, obj):
            return _cron_reading(obj.crontab) if obj.crontab_id else ""

    class KoreanCrontabScheduleAdmin(CrontabScheduleAdmin):
        list_display = ("human_readable",)

        @admin.display(description=_("일정"))
        def human_readable(self, obj):
            return _cron_reading(obj)

    for model, model_admin in (
        (PeriodicTask, KoreanPeriodicTaskAdmin),
        (CrontabSchedule, KoreanCrontabScheduleAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)


_register_korean_beat_admin()


class ApiTokenForm(forms.ModelForm):
    """New token: a name, a scope and an expiry (default 90 days, at most a year ahead)."""

    class Meta:
        model = ApiToken
        fields = ["name", "scope", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("expires_at", timezone.now() + tokens.DEFAULT_LIFETIME)

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        now = timezone.now()
        if self.instance.pk is None and value <= now:
            raise forms.ValidationError(_("만료 시각은 지금보다 뒤여야 합니다."))
        if value > now + tokens.MAX_LIFETIME:
            raise forms.ValidationError(_("만료 시각은 1년 안이어야 합니다."))
        return value


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Each staff member's own API tokens (superusers see everyone's): made here, the key shown
    once; revoked with the action; the key itself is never stored or shown again."""

    form = ApiTokenForm
    list_display = [
        "name",
        "key_prefix_shown",
        "user",
        "scope",
        "expires_at",
        "last_used_at",
        "state",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "key_prefix", "user__username"]
    autocomplete_fields = []
    list_select_related = ["user"]
    actions = ["revoke"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "name",
            "key_prefix_shown",
            "user",
            "scope",
            "expires_at",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scope", "expires_at"]
        return self.get_readonly_fields(request, obj)

    # Every active staff member manages their own tokens (no model permission needed).
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.user_id == request.user.pk or request.user.is_superuser
        )

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a token is revoked and made anew, never edited

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    @admin.display(description=_("키 앞부분"))
    def key_prefix_shown(self, obj):
        return f"{obj.key_prefix}…"

    @admin.display(description=_("상태"))
    def state(self, obj):
        if obj.revoked_at is not None:
            return _("폐기됨")
        if obj.expires_at <= timezone.now():
            return _("만료됨")
        return _("사용 중")

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = tokens.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.cleaned_data["expires_at"],
        )
        obj.pk, obj.user, obj.key_prefix = token.pk, token.user, token.key_prefix
        obj._state.adding = False
        messages.warning(
            request,
            format_html(
                '{} <code class="api-token-key">{}</code>',
                _("새 토큰의 키입니다. 지금만 보이니 바로 복사해 두세요(다시 볼 수 없습니다):"),
                key,
            ),
        )

    @admin.action(description=_("선택한 토큰 폐기"))
    def revoke(self, request, queryset):
        count = tokens.token_revoke(tokens=queryset)
        self.message_user(
            request, _("토큰 %(n)d개를 폐기했습니다.") % {"n": count}, messages.SUCCESS
        )
