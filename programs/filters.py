"""Filters of the program and participation lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filtering import (
    ApiFilterSet,
    id_filter,
    id_or_slug_filter,
    region_code_filter,
    year_filter,
)
from programs.models import Participation, Program, ProgramOrganization, region_q


class ProgramFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Program.Kind.choices, help_text=_("Kind."))
    status = django_filters.ChoiceFilter(choices=Program.Status.choices, help_text=_("Status."))
    region = region_code_filter(
        "regional_participations__region__code",
        _(
            "Programs serving this region (two-digit code): carried out there, or linked to "
            "the region's participation in another program (연계 사업; listed in "
            "linked_regions)."
        ),
        method="filter_region",
    )
    year = year_filter(
        _("Programs active in this year (planned or actual period overlaps it)."),
        method="filter_year",
    )
    organization = id_filter(
        "organization",
        _("Programs where this organization is lead ministry or has a role."),
        method="filter_organization",
    )
    parent = id_filter("parent", _("Id of the parent program."))

    class Meta:
        model = Program
        fields = ["kind", "status", "region", "year", "organization", "parent"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_q(value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(pk__in=Program.objects.active_in_year(value).values("pk"))

    def filter_organization(self, queryset, name, value):
        roles = ProgramOrganization.objects.filter(organization_id=value)
        return queryset.filter(Q(lead_ministry_id=value) | Q(pk__in=roles.values("program_id")))


class ParticipationFilterSet(ApiFilterSet):
    program = id_or_slug_filter("program", _("Program (id or slug)."))
    region = region_code_filter(
        "region__code",
        _("Region (two-digit code); the company's region when none is set."),
        method="filter_region",
    )
    company = id_filter("company", _("Id of the company."))
    status = django_filters.ChoiceFilter(
        choices=Participation.Status.choices, help_text=_("Status.")
    )

    class Meta:
        model = Participation
        fields = ["program", "region", "company", "status"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(region__code=value) | Q(region__isnull=True, company__region__code=value)
        )
