"""Public statistics page: AI-adoption series charted as server-side SVG, with data tables."""

from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import translation

from core.models import Organization, Source
from core.views import Citations, public_page

from .models import Observation, StatisticSeries

STAT_MODELS = (StatisticSeries, Observation, Organization, Source)
DIMENSION_ORDER = [choice for choice, _label in Observation.Dimension.choices]

# Chart geometry, in SVG user units (the SVG scales to its box; labels sit above their bars).
# A narrow drawing (300 units) keeps its text readable when a phone shrinks it to ~290 px.
CHART_WIDTH = 300
LABEL_HEIGHT = 16
BAR_HEIGHT = 12
BAR_GAP = 3
GROUP_GAP = 12
VALUE_ROOM = 44  # space right of the longest bar for its value label
TOP = 4


def _label(observation) -> str:
    english = (translation.get_language() or "ko")[:2] == "en"
    return (observation.segment_en if english and observation.segment_en else "") or (
        observation.segment
    )


def decimal_places(values) -> int:
    """The fewest decimal places that show every value of a series exactly (at most 3)."""
    places = 0
    for value in values:
        text = format(Decimal(value).normalize(), "f")
        if "." in text:
            places = max(places, len(text.split(".")[1]))
    return min(places, 3)


def set_display(observations) -> None:
    """Write every value of a series with the same decimals: 1.0 next to 13.5, not 1."""
    places = decimal_places(o.value for o in observations)
    for o in observations:
        o.display = f"{o.value:,.{places}f}"


def build_chart(series, observations) -> dict:
    """Bars per segment (one per period), grouped by segment, scaled to the largest value."""
    periods = sorted({o.period for o in observations})
    segments: dict[str, dict] = {}
    ordered = sorted(
        observations,
        key=lambda o: (DIMENSION_ORDER.index(o.dimension), o.id),
    )
    for o in ordered:
        segment = segments.setdefault(
            o.segment,
            {"label": _label(o), "dimension": o.get_dimension_display(), "values": {}},
        )
        segment["values"][o.period] = o
    largest = max((o.value for o in observations), default=Decimal(1)) or Decimal(1)
    usable = CHART_WIDTH - VALUE_ROOM
    y = TOP
    groups = []
    for segment in segments.values():
        bars = []
        label_y = y + 11
        y += LABEL_HEIGHT
        for index, period in enumerate(periods):
            o = segment["values"].get(period)
            if o is None:
                continue
            width = float(o.value / largest) * usable
            bars.append(
                {
                    "period": period,
                    "index": index,
                    "y": y,
                    "text_y": y + BAR_HEIGHT - 2.5,
                    "width": round(max(width, 1.5), 1),
                    "value_x": round(max(width, 1.5) + 4, 1),
                    "observation": o,
                    "doubtful": bool(o.printed_value),
                }
            )
            y += BAR_HEIGHT + BAR_GAP
        groups.append({"label": segment["label"], "label_y": label_y, "bars": bars})
        y += GROUP_GAP - BAR_GAP
    return {
        "width": CHART_WIDTH,
        "height": y,
        "periods": [{"period": p, "index": i} for i, p in enumerate(periods)],
        "groups": groups,
        "unit": series.unit,
    }


def build_table(observations):
    """Rows of segment × period for the data table under each chart."""
    periods = sorted({o.period for o in observations})
    rows: dict[str, dict] = {}
    for o in sorted(observations, key=lambda o: (DIMENSION_ORDER.index(o.dimension), o.id)):
        row = rows.setdefault(
            o.segment,
            {
                "label": _label(o),
                "dimension": o.get_dimension_display(),
                "cells": {},
                "notes": [],
            },
        )
        row["cells"][o.period] = o
        if o.note:
            row["notes"].append(o)
    return {
        "periods": periods,
        "rows": [
            {**row, "values": [row["cells"].get(p) for p in periods]} for row in rows.values()
        ],
    }


@public_page(models=STAT_MODELS)
def statistics(request):
    series_list = list(
        StatisticSeries.objects.select_related("source", "source_organization")
        .prefetch_related(
            Prefetch("observations", queryset=Observation.objects.order_by("dimension", "id"))
        )
        .order_by("id")
    )
    citations = Citations().add(*(s.source for s in series_list))
    charts = []
    for series in series_list:
        observations = list(series.observations.all())
        if not observations:
            continue
        set_display(observations)
        charts.append(
            {
                "series": series,
                "chart": build_chart(series, observations),
                "table": build_table(observations),
                "trend": len({o.period for o in observations}) > 1,
            }
        )
    # Series with a change over time (2017 → 2023) first: they answer the page's question.
    charts.sort(key=lambda c: not c["trend"])
    return render(request, "public/statistics.html", {"charts": charts, "citations": citations})
