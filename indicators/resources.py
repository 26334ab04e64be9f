"""Spreadsheet columns of statistics observations, keyed by series + segment + period."""

from core.resources import (
    ChoiceWidget,
    DecimalWidget,
    LookupWidget,
    StaffImportResource,
    TextWidget,
    column,
    is_blank,
)

from .models import Observation, StatisticSeries


class ObservationResource(StaffImportResource):
    """One row per value: a series (slug or name), a segment, a period and the value."""

    series = column("series", "통계 계열", LookupWidget(StatisticSeries, ["slug", "name"]))
    dimension = column("dimension", "구분 기준", ChoiceWidget(Observation.Dimension.choices))
    segment = column("segment", "구분")
    segment_en = column("segment_en", "영문 구분")
    period = column("period", "기간")
    value = column("value", "값", DecimalWidget())
    printed_value = column("printed_value", "인쇄된 값")
    note = column("note", "비고")

    required_columns = ["통계 계열", "구분 기준", "구분", "값"]
    name_columns = ["통계 계열", "구분", "기간"]
    scope_field = "series"

    class Meta(StaffImportResource.Meta):
        model = Observation
        name = "통계값"
        fields = (
            "series",
            "dimension",
            "segment",
            "segment_en",
            "period",
            "value",
            "printed_value",
            "note",
        )

    def key_columns(self) -> list[str]:
        return ["통계 계열", "구분", "기간"]

    def natural_key(self, row):
        if is_blank(row.get("통계 계열")) or is_blank(row.get("구분")):
            return None
        series = self.fields["series"].widget.clean(row.get("통계 계열"))
        return {
            "series": series,
            "segment": TextWidget().clean(row.get("구분")),
            "period": TextWidget().clean(row.get("기간")),
        }

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("series")
        return super().export(queryset=queryset, **kwargs)
