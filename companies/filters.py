"""Filters of the company list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.filtering import ApiFilterSet, id_or_slug_filter, region_code_filter


class CompanyFilterSet(ApiFilterSet):
    region = region_code_filter("region__code")
    program = id_or_slug_filter(
        "participations__program", _("Companies taking part in this program (id or slug).")
    )
    size = django_filters.ChoiceFilter(choices=Company.Size.choices, help_text=_("Size class."))
    role = django_filters.ChoiceFilter(
        choices=[("supplier", _("AI 공급기업")), ("demand", _("AI 수요기업"))],
        method="filter_role",
        help_text=_("Role in the AI market."),
    )

    class Meta:
        model = Company
        fields = ["region", "program", "size", "role"]

    def filter_role(self, queryset, name, value):
        if value == "supplier":
            return queryset.filter(is_ai_supplier=True)
        return queryset.filter(is_ai_demand=True)
