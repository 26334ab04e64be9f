"""Statistics: series (what is measured, by whom) and their observations; read shapes, readers."""

from django.db.models import Count
from rest_framework import serializers

from core.api.reading import (
    ORGANIZATION_REF,
    Reader,
    dict_rows,
    group,
    iso,
    num,
    ref_columns,
    ref_from_columns,
    source_from,
    source_ref_columns,
)
from core.api.serializers import (
    OrganizationRefSerializer,
    RecordSerializer,
    SourceRefSerializer,
    VersionedSerializer,
)
from indicators.models import Observation

SERIES_REF = ("id", "slug", "name", "name_en", "unit")


class SeriesRefSerializer(serializers.Serializer):
    """A statistic series by id, slug, names and unit."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    unit = serializers.CharField()


class ObservationSerializer(RecordSerializer, VersionedSerializer):
    """One value of a series for a segment and period."""

    series = SeriesRefSerializer()
    dimension = serializers.ChoiceField(choices=Observation.Dimension.choices)
    segment = serializers.CharField()
    segment_en = serializers.CharField()
    period = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-Qn; empty when unknown.")
    value = serializers.FloatField()
    printed_value = serializers.CharField(
        help_text="The value as the source printed it, where that differs."
    )
    note = serializers.CharField()


OBSERVATION_COLUMNS = (
    "id",
    *ref_columns("series", SERIES_REF),
    "dimension",
    "segment",
    "segment_en",
    "period",
    "value",
    "printed_value",
    "note",
    "updated_at",
    "version",
)


def observation_out(r: dict, url: str) -> dict:
    return {
        "id": r["id"],
        "url": f"{url}{r['id']}/",
        "series": ref_from_columns(r, "series", SERIES_REF),
        "dimension": r["dimension"],
        "segment": r["segment"],
        "segment_en": r["segment_en"],
        "period": r["period"],
        "value": num(r["value"]),
        "printed_value": r["printed_value"],
        "note": r["note"],
        "updated_at": iso(r["updated_at"]),
        "version": r["version"],
    }


class ObservationReader(Reader):
    basename = "statistic"
    columns = OBSERVATION_COLUMNS

    def build(self, rows):
        url = self.url
        return [observation_out(r, url) for r in rows]


class StatisticSeriesSerializer(RecordSerializer, VersionedSerializer):
    """A measured quantity with its source and method."""

    slug = serializers.CharField(help_text="Stable identifier (also a lookup).")
    name = serializers.CharField()
    name_en = serializers.CharField()
    unit = serializers.CharField()
    source_organization = OrganizationRefSerializer(allow_null=True)
    source = SourceRefSerializer(allow_null=True)
    survey = serializers.CharField()
    methodology_note = serializers.CharField()
    description = serializers.CharField()
    description_en = serializers.CharField()
    observation_count = serializers.IntegerField()


class StatisticSeriesDetailSerializer(StatisticSeriesSerializer):
    """A statistic series with all its observations."""

    observations = ObservationSerializer(many=True)


class StatisticSeriesReader(Reader):
    basename = "statistic-series"
    columns = (
        "id",
        "slug",
        "name",
        "name_en",
        "unit",
        *ref_columns("source_organization", ORGANIZATION_REF),
        *source_ref_columns("source"),
        "survey",
        "methodology_note",
        "description",
        "description_en",
        "updated_at",
        "version",
    )

    def counts(self, ids) -> dict:
        return dict(
            Observation.objects.filter(series_id__any=ids)
            .order_by()
            .values("series_id")
            .annotate(n=Count("id"))
            .values_list("series_id", "n")
        )

    def build(self, rows):
        if not rows:
            return []
        url = self.url
        counts = self.counts([r["id"] for r in rows])
        return [
            {
                "id": r["id"],
                "url": f"{url}{r['id']}/",
                "slug": r["slug"],
                "name": r["name"],
                "name_en": r["name_en"],
                "unit": r["unit"],
                "source_organization": ref_from_columns(r, "source_organization", ORGANIZATION_REF),
                "source": source_from(r, "source"),
                "survey": r["survey"],
                "methodology_note": r["methodology_note"],
                "description": r["description"],
                "description_en": r["description_en"],
                "observation_count": counts.get(r["id"], 0),
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


class StatisticSeriesDetailReader(StatisticSeriesReader):
    def build(self, rows):
        out = super().build(rows)
        if not out:
            return out
        obs_url = self.ctx.url_prefix("statistic")
        observations = group(
            dict_rows(
                self.ctx.scoped(
                    Observation.objects.filter(series_id__any=[r["id"] for r in out])
                ).order_by("series_id", "dimension", "segment", "period", "id"),
                *OBSERVATION_COLUMNS,
            ),
            "series_id",
        )
        for item in out:
            item["observations"] = [
                observation_out({**o, "series_id": item["id"]}, obs_url)
                for o in observations.get(item["id"], [])
            ]
        return out
