"""Filters of the statistics (observations) list."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.filtering import ApiFilterSet, documented, id_filter, id_or_slug_filter
from indicators.models import Observation, StatisticSeries

PERIOD_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"


class ObservationFilterSet(ApiFilterSet):
    series = id_or_slug_filter("series", _("Statistic series (id or slug)."))
    dimension = django_filters.ChoiceFilter(
        choices=Observation.Dimension.choices, help_text=_("What the segments split by.")
    )
    segment = django_filters.CharFilter(help_text=_("Exact segment, e.g. 중소기업."))
    period = extend_schema_field(
        documented(
            {"type": "string", "pattern": PERIOD_PATTERN},
            _("Exact period: YYYY, YYYY-MM or YYYY-Qn."),
        )
    )(
        django_filters.CharFilter(
            validators=[RegexValidator(PERIOD_PATTERN, _("YYYY, YYYY-MM or YYYY-Qn."))],
            help_text=_("Exact period: YYYY, YYYY-MM or YYYY-Qn."),
        )
    )

    class Meta:
        model = Observation
        fields = ["series", "dimension", "segment", "period"]


class StatisticSeriesFilterSet(ApiFilterSet):
    source_organization = id_filter(
        "source_organization", _("Id of the organization behind the series.")
    )

    class Meta:
        model = StatisticSeries
        fields = ["source_organization"]
