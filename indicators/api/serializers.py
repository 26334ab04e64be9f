"""Statistics: series (what is measured, by whom) and their observations; shapes."""

from django.db.models import Count
from rest_framework import serializers

from core.api.shapes import Children, Computed, Shape, reference
from indicators.models import Observation, StatisticSeries

SERIES_REF = reference(
    Shape(
        StatisticSeries,
        "SeriesRef",
        "A statistic series by id, slug, names and unit.",
        only=("id", "slug", "name", "name_en", "unit"),
    )
)
OBSERVATION = Shape(
    Observation,
    "Observation",
    "One value of a series for a segment and period.",
    basename="statistic",
    help={
        "period": "YYYY, YYYY-MM or YYYY-Qn; empty when unknown.",
        "printed_value": "The value as the source printed it, where that differs.",
    },
)


def observation_counts(ctx, ids) -> dict:
    return dict(
        ctx.visible(Observation.objects.filter(series_id__any=ids))
        .order_by()
        .values("series_id")
        .annotate(n=Count("id"))
        .values_list("series_id", "n")
    )


COUNT = Computed(
    "observation_count",
    loader=observation_counts,
    field_factory=serializers.IntegerField,
    empty=int,
)
SERIES = Shape(
    StatisticSeries,
    "StatisticSeries",
    "A measured quantity with its source and method.",
    basename="statistic-series",
    help={"slug": "Stable identifier (also a lookup)."},
    nested=(COUNT,),
)
SERIES_DETAIL = SERIES.variant(
    name="StatisticSeriesDetail",
    doc="A statistic series with all its observations.",
    nested=(
        COUNT,
        Children(
            "observations",
            shape=OBSERVATION,
            fk="series",
            order=("dimension", "segment", "period", "id"),
        ),
    ),
)

SeriesRefSerializer = SERIES_REF.serializer()
ObservationSerializer = OBSERVATION.serializer()
StatisticSeriesSerializer = SERIES.serializer()
StatisticSeriesDetailSerializer = SERIES_DETAIL.serializer()
