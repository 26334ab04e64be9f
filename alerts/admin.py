from django.contrib import admin

from .models import SavedSearch, SentItem


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """Staff see who subscribed (personal data: staff-only) and may delete on request."""

    list_display = [
        "email",
        "query",
        "frequency",
        "language",
        "created_at",
        "confirmed_at",
        "last_sent_at",
    ]
    list_filter = ["frequency", "language"]
    search_fields = ["email", "query"]
    autocomplete_fields = []
    list_select_related = []
    readonly_fields = ["token", "created_at", "confirmed_at", "last_sent_at"]


@admin.register(SentItem)
class SentItemAdmin(admin.ModelAdmin):
    list_display = ["saved_search", "model", "object_id", "sent_at"]
    list_filter = ["model"]
    search_fields = ["saved_search__query"]
    autocomplete_fields = ["saved_search"]
    list_select_related = ["saved_search"]
