from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from programs.models import Program

from . import services
from .models import ReportFile, StaffReminder
from .views import report_file_response


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    """Generated program reports: download, and generate again (also from the program page)."""

    list_display = ["program", "status", "created_at", "finished_at", "size_display", "download"]
    list_filter = ["status", ("program", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["program"]
    search_fields = ["program__name", "program__slug"]
    fields = [
        "program",
        "status",
        "created_at",
        "started_at",
        "finished_at",
        "size_bytes",
        "requested_by",
        "error",
        "download",
    ]
    readonly_fields = fields
    actions = ["regenerate"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="reports_reportfile_download",
            ),
            path(
                "generate/<int:program_id>/",
                self.admin_site.admin_view(require_POST(self.generate_view)),
                name="reports_reportfile_generate",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("크기"))
    def size_display(self, obj):
        return f"{obj.size_bytes / 1024:,.1f} KB" if obj.size_bytes else "—"

    @admin.display(description=_("내려받기"))
    def download(self, obj):
        if obj.status != ReportFile.Status.READY:
            return "—"
        url = reverse("admin:reports_reportfile_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(
            ReportFile.objects.select_related("program"), pk=pk, status=ReportFile.Status.READY
        )
        return report_file_response(report)

    def has_generate_permission(self, request):
        return request.user.has_perm("programs.view_program") and self.has_view_permission(request)

    def generate_view(self, request, program_id):
        if not self.has_generate_permission(request):
            raise PermissionDenied
        program = get_object_or_404(Program, pk=program_id)
        with transaction.atomic():
            report = services.program_report_request(program=program, user=request.user)
        self.message_user(
            request,
            _("%(program)s 보고서를 요청했습니다 (상태: %(status)s).")
            % {"program": program, "status": report.get_status_display()},
            messages.SUCCESS,
        )
        changelist = reverse("admin:reports_reportfile_changelist")
        return HttpResponseRedirect(f"{changelist}?program__id__exact={program.pk}")

    @admin.action(
        description=_("선택한 보고서의 사업 보고서 새로 만들기"), permissions=["generate"]
    )
    def regenerate(self, request, queryset):
        programs = Program.objects.filter(report_files__in=queryset).distinct()
        with transaction.atomic():
            for program in programs:
                services.program_report_request(program=program, user=request.user)
        self.message_user(request, _("보고서 생성을 요청했습니다."), messages.SUCCESS)


@admin.register(StaffReminder)
class StaffReminderAdmin(admin.ModelAdmin):
    """Reminder e-mails already sent (each deadline or event once)."""

    list_display = ["sent_at", "kind", "program", "event", "due_at", "recipients"]
    list_filter = ["kind"]
    list_select_related = ["program", "event"]
    search_fields = ["program__name", "event__name", "recipients"]
    readonly_fields = ["kind", "program", "event", "due_at", "recipients", "sent_at"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
