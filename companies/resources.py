"""Spreadsheet columns of companies (import and export), keyed by 사업자등록번호."""

from core.resources import (
    BooleanWidget,
    ChoiceWidget,
    LookupWidget,
    StaffImportResource,
    TextWidget,
    column,
    is_blank,
    region_widget,
)

from .models import Company
from .validators import normalize_business_number


class BusinessNumberWidget(TextWidget):
    """'123-45-67890', '1234567890' or an Excel number cell; exported with hyphens."""

    def clean(self, value, row=None, **kwargs):
        return normalize_business_number(super().clean(value, row=row, **kwargs))

    def render(self, value, obj=None, **kwargs):
        if value and len(value) == 10:
            return f"{value[:3]}-{value[3:5]}-{value[5:]}"
        return value or ""


def company_widget() -> LookupWidget:
    """A company by its 사업자등록번호 (hyphens optional)."""
    return LookupWidget(Company, ["business_number"], normalize=normalize_business_number)


class CompanyResource(StaffImportResource):
    """One row per company. Importing the same file again updates, never duplicates."""

    business_number = column("business_number", "사업자등록번호", BusinessNumberWidget())
    name = column("name", "기업명")
    name_en = column("name_en", "영문명")
    region = column("region", "지역", region_widget())
    ksic_code = column("ksic_code", "표준산업분류 코드")
    industry = column("industry", "업종")
    size = column(
        "size",
        "기업 규모",
        ChoiceWidget(
            Company.Size.choices,
            synonyms={
                "소공인": "micro",
                "소상공": "micro",
                "소규모": "small",
                "중견": "midsize",
                "대": "large",
                "대규모": "large",
            },
        ),
    )
    is_ai_supplier = column("is_ai_supplier", "AI 공급기업", BooleanWidget())
    is_ai_demand = column("is_ai_demand", "AI 수요기업", BooleanWidget())
    ceo_name = column("ceo_name", "대표자")
    address = column("address", "주소")
    website = column("website", "웹사이트")

    required_columns = ["사업자등록번호", "기업명"]
    name_columns = ["기업명"]

    class Meta(StaffImportResource.Meta):
        model = Company
        name = "기업"
        fields = (
            "business_number",
            "name",
            "name_en",
            "region",
            "ksic_code",
            "industry",
            "size",
            "is_ai_supplier",
            "is_ai_demand",
            "ceo_name",
            "address",
            "website",
        )

    def natural_key(self, row):
        value = row.get("사업자등록번호")
        if is_blank(value):
            return None
        return {"business_number": BusinessNumberWidget().clean(value)}

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("region")
        return super().export(queryset=queryset, **kwargs)
