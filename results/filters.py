"""Filters of the results lists (targets with periods, updates, follow-ups)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.filtering import (
    ID_OR_SLUG_PATTERN,
    ApiFilterSet,
    IdOrSlugFilter,
    documented,
    id_filter,
    id_or_slug_filter,
    region_code_filter,
)
from programs.models import Target

from .models import FollowUp, ResultUpdate


class ProgramOfTargetFilter(IdOrSlugFilter):
    """A program's own targets and its regions' targets."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        if value.isdigit():
            key = {"program_id": int(value)}
            regional = {"regional_participation__program_id": int(value)}
        else:
            key = {"program__slug": value}
            regional = {"regional_participation__program__slug": value}
        return qs.filter(Q(**key) | Q(**regional))


class ResultTargetFilterSet(ApiFilterSet):
    program = extend_schema_field(
        documented(
            {"type": "string", "pattern": ID_OR_SLUG_PATTERN},
            "Program (id or slug); also its regions' targets.",
        )
    )(ProgramOfTargetFilter(field_name="program", help_text=_("Program (id or slug).")))
    region = region_code_filter(
        "regional_participation__region__code", _("Region (two-digit code).")
    )
    status = django_filters.ChoiceFilter(choices=Target.Status.choices, help_text=_("Status."))

    class Meta:
        model = Target
        fields = ["program", "region", "status"]


class ResultUpdateFilterSet(ApiFilterSet):
    target = id_filter("period__target", _("Id of the target."))
    period = id_filter("period", _("Id of the reporting period."))
    status = django_filters.ChoiceFilter(
        choices=ResultUpdate.Status.choices, help_text=_("Review status.")
    )
    region = region_code_filter(
        "period__target__regional_participation__region__code", _("Region (two-digit code).")
    )

    class Meta:
        model = ResultUpdate
        fields = ["target", "period", "status", "region"]


class FollowUpFilterSet(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUp.Status.choices, help_text=_("Status."))
    owner = id_filter("owner", _("Id of the owner organization."))
    program = id_or_slug_filter("program", _("Program (id or slug)."))

    class Meta:
        model = FollowUp
        fields = ["status", "owner", "program"]
