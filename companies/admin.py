from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_base import TrackedAdmin

from .models import Company
from .resources import CompanyResource


@admin.register(Company)
class CompanyAdmin(TrackedAdmin):
    resource_classes = [CompanyResource]
    import_kind = "companies"
    list_display = [
        "name",
        "formatted_business_number",
        "region",
        "size",
        "ksic_code",
        "is_ai_supplier",
        "is_ai_demand",
        "ceo_name",
    ]
    list_filter = ["size", "is_ai_supplier", "is_ai_demand", "region"]
    search_fields = ["name", "name_en", "business_number", "ceo_name", "ksic_code", "industry"]
    identifier_search_fields = ["business_number"]
    ksic_search_fields = ["ksic_code"]
    search_help_text = _(
        "이름, 사업자등록번호(220-81-62517처럼 하이픈을 넣어도 빼도 됩니다), 대표자, "
        "KSIC 코드(C29, C-29, 29271), 업종으로 찾습니다."
    )
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "short_name", "region", "website"]}),
        (
            _("사업 정보"),
            {
                "fields": [
                    "business_number",
                    "ksic_code",
                    ("industry", "industry_en"),
                    "size",
                    ("ceo_name", "ceo_name_en"),
                    ("address", "address_en"),
                ]
            },
        ),
        (_("AI 시장 역할"), {"fields": ["is_ai_supplier", "is_ai_demand"]}),
        (_("기타"), {"fields": ["parent"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("사업자등록번호"), ordering="business_number")
    def formatted_business_number(self, obj):
        return obj.formatted_business_number or "—"
