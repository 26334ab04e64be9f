"""Filters of the core resources (regions, organizations, sources, people)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtering import ApiFilterSet, boolean_filter, id_filter, region_code_filter
from core.models import Organization, Person, Region, Source


class RegionFilterSet(ApiFilterSet):
    is_capital_area = boolean_filter(_("In the capital area (수도권)."))

    class Meta:
        model = Region
        fields = ["is_capital_area"]


class OrganizationFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, help_text=_("Kind."))
    region = region_code_filter("region__code")
    parent = id_filter("parent", _("Id of the parent organization."))

    class Meta:
        model = Organization
        fields = ["kind", "region", "parent"]


class SourceFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices, help_text=_("Kind."))
    publisher = django_filters.CharFilter(help_text=_("Exact publisher name, e.g. 뉴스스텝."))

    class Meta:
        model = Source
        fields = ["kind", "publisher"]


class PersonFilterSet(ApiFilterSet):
    organization = id_filter("organization", _("Id of the person's organization."))

    class Meta:
        model = Person
        fields = ["organization"]
