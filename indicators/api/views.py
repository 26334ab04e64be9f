"""Viewsets of statistics: observations (flat, for charts) and series (with observations)."""

from core.api.viewsets import ApiViewSet
from indicators.api.serializers import (
    OBSERVATION,
    SERIES,
    SERIES_DETAIL,
)
from indicators.filters import ObservationFilterSet, StatisticSeriesFilterSet
from indicators.models import Observation, StatisticSeries


class ObservationViewSet(ApiViewSet):
    """Statistic values, one row per series, segment and period — ready for charts."""

    queryset = Observation.objects.all()
    shape = OBSERVATION
    filterset_class = ObservationFilterSet
    search_fields = ("segment", "segment_en")
    ordering = ("series_id", "dimension", "segment", "period")
    ordering_public = ("series", "dimension", "segment", "period")
    ordering_fields = {
        "series": "series_id",
        "dimension": "dimension",
        "segment": "segment",
        "period": "period",
        "value": "value",
        "updated_at": "updated_at",
        "id": "id",
    }
    last_modified = True


class StatisticSeriesViewSet(ApiViewSet):
    """What is measured, by whom, how; the detail lists every observation. By id or slug."""

    queryset = StatisticSeries.objects.all()
    shape = SERIES
    detail_shape = SERIES_DETAIL
    filterset_class = StatisticSeriesFilterSet
    search_fields = ("name", "name_en", "survey")
    ordering = ("name",)
    ordering_fields = {"name": "name", "updated_at": "updated_at", "id": "id"}
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    lookup_description = "Numeric id or the series slug."
    slug_field = "slug"
