"""Shared admin pieces: the base ModelAdmin with history, and money shown as 억 원 beside KRW."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .formatting import format_krw


def krw_column(field: str, description):
    """A changelist/readonly column: '350억 원' with the exact KRW underneath."""

    @admin.display(description=description, ordering=field)
    def column(_model_admin, obj):
        amount = getattr(obj, field)
        if amount is None:
            return "—"
        return format_html(
            '{}<br><small class="krw-exact">{} 원</small>', format_krw(amount, "ko"), f"{amount:,}"
        )

    column.__name__ = f"{field}_display"
    return column


class TrackedAdmin(SimpleHistoryAdmin):
    """Base for every staff-edited model: change history, 50 rows a page, version read-only."""

    list_per_page = 50
    show_full_result_count = False
    save_on_top = True

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        for name in ("version", "updated_at"):
            if obj is not None and name not in fields and hasattr(obj, name):
                fields.append(name)
        return fields


class SourcesMixin:
    """Sources are picked with an autocomplete, not a 500-row select."""

    @admin.display(description=_("출처 수"))
    def source_count(self, obj):
        return obj.sources.count()
