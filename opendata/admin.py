from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.formatting import format_bytes

from . import services
from .models import DataPackage


@admin.register(DataPackage)
class DataPackageAdmin(admin.ModelAdmin):
    """Builds of the bulk open-data package: their result, and a button to build one now."""

    list_display = [
        "created_at",
        "status",
        "trigger",
        "finished_at",
        "tables",
        "rows",
        "size_display",
        "short_sha",
    ]
    list_filter = ["status", "trigger"]
    list_select_related = ["requested_by"]
    search_fields = ["sha256"]
    autocomplete_fields = []
    fields = [
        "status",
        "trigger",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "data_at",
        "tables",
        "rows",
        "size_bytes",
        "sha256",
        "error",
        "public_download",
    ]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "build/",
                self.admin_site.admin_view(require_POST(self.build_view)),
                name="opendata_datapackage_build",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("크기"))
    def size_display(self, obj):
        return format_bytes(obj.size_bytes) if obj.size_bytes else "—"

    @admin.display(description=_("해시"))
    def short_sha(self, obj):
        return obj.sha256[:12] or "—"

    @admin.display(description=_("공개 내려받기"))
    def public_download(self, obj):
        if obj != services.opendata_package_latest():
            return "—"
        url = reverse("opendata-download")
        return format_html('<a href="{}">{}</a>', url, url)

    def build_view(self, request):
        """Request a build now (in the worker; in-process without a broker)."""
        if not request.user.has_perm("opendata.add_datapackage"):
            raise PermissionDenied
        package = services.opendata_package_request(
            trigger=DataPackage.Trigger.ADMIN, requested_by=request.user
        )
        messages.success(
            request,
            _("공개 데이터 묶음 생성을 요청했습니다 (요청 #%(id)s). 완료되면 목록에 표시됩니다.")
            % {"id": package.pk},
        )
        return HttpResponseRedirect(reverse("admin:opendata_datapackage_changelist"))
