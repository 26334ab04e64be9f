from django.contrib import admin

from core.admin_base import ScopedTabularInline, TrackedAdmin

from .models import Observation, StatisticSeries
from .resources import ObservationResource


class ObservationInline(ScopedTabularInline):
    model = Observation
    extra = 0
    fields = [
        "dimension",
        "segment",
        "segment_en",
        "period",
        "value",
        "printed_value",
        "note",
        "note_en",
    ]


@admin.register(StatisticSeries)
class StatisticSeriesAdmin(TrackedAdmin):
    list_display = ["name", "unit", "source_organization", "source", "survey"]
    list_filter = ["unit", "source_organization"]
    search_fields = ["name", "name_en", "slug", "survey"]
    autocomplete_fields = ["source_organization", "source"]
    list_select_related = ["source_organization", "source"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ObservationInline]


@admin.register(Observation)
class ObservationAdmin(TrackedAdmin):
    resource_classes = [ObservationResource]
    import_kind = "observations"
    list_display = ["series", "dimension", "segment", "period", "value", "printed_value", "note"]
    list_filter = ["series", "dimension", "period"]
    search_fields = ["segment", "segment_en", "series__name", "note"]
    autocomplete_fields = ["series"]
    list_select_related = ["series"]
