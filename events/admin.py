from django.contrib import admin
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedTabularInline, TrackedAdmin

from .models import AgendaItem, Award, Event, EventOrganization, EventParticipant
from .resources import EventResource


class EventOrganizationInline(ScopedTabularInline):
    model = EventOrganization
    extra = 0
    autocomplete_fields = ["organization"]


class AgendaItemInline(ScopedTabularInline):
    model = AgendaItem
    extra = 0
    fields = [
        "order",
        "starts_at",
        "ends_at",
        "title",
        "kind",
        "presenter_organization",
        "presenter_note",
        "open_to_press",
    ]
    autocomplete_fields = ["presenter_organization"]


class EventParticipantInline(ScopedTabularInline):
    model = EventParticipant
    extra = 0
    fields = ["order", "role", "person", "organization", "title_at_event", "is_public"]
    autocomplete_fields = ["person", "organization"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


class SideEventInline(ScopedTabularInline):
    model = Event
    fk_name = "parent"
    extra = 0
    fields = ["name", "kind", "starts_at", "venue_name"]
    show_change_link = True
    verbose_name = _("부대행사")
    verbose_name_plural = _("부대행사")


@admin.register(Event)
class EventAdmin(TrackedAdmin):
    resource_classes = [EventResource]
    import_kind = "events"
    actions = ["mark_open_to_press", "mark_closed_to_press"]
    list_display = [
        "name",
        "publication_badge",
        "kind",
        "when",
        "venue_name",
        "region",
        "parent",
        "attendee_count_approx",
        "open_to_press",
    ]
    list_filter = ["kind", "region", "open_to_press", ("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "name_en", "venue_name", "alternative_venue_name", "city", "slug"]
    autocomplete_fields = ["parent", "region", "programs", "sources"]
    list_select_related = ["region", "parent"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [EventOrganizationInline, AgendaItemInline, EventParticipantInline, SideEventInline]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "kind", "parent"]}),
        (_("일시"), {"fields": [("starts_at", "ends_at"), "time_is_known", "date_note"]}),
        (
            _("장소"),
            {
                "fields": [
                    ("venue_name", "venue_name_en"),
                    ("venue_address", "venue_address_en"),
                    ("city", "city_en", "region"),
                    ("alternative_venue_name", "alternative_venue_name_en"),
                    ("alternative_venue_note", "alternative_venue_note_en"),
                ]
            },
        ),
        (
            _("내용"),
            {"fields": ["summary", "summary_en", "attendee_count_approx", "programs", "sources"]},
        ),
        (
            _("보도"),
            {
                "fields": [
                    "publication_badge",
                    "open_to_press",
                    "release_at",
                    "embargo_until",
                    ("embargo_note", "embargo_note_en"),
                ]
            },
        ),
    ]
    readonly_fields = ["publication_badge"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_publication()

    @admin.display(description=_("공개 상태"))
    def publication_badge(self, obj):
        """엠바고 with the release time while the public cannot see the event (the public rule,
        ``Event.objects.published``: its own embargo and its main event's)."""
        if obj is None or obj.pk is None:
            return "—"
        published = getattr(obj, "is_published", None)
        if published is None:
            published = Event.objects.published().filter(pk=obj.pk).exists()
        if published:
            return format_html('<span class="badge badge-public">{}</span>', _("공개"))
        times = [
            t for t in (obj.embargo_until, obj.parent.embargo_until if obj.parent else None) if t
        ]
        release = max(times) if times else None
        when = formats.localize(timezone.localtime(release)) if release else ""
        return format_html(
            '<span class="badge badge-embargo" title="{}">{} · {}</span>',
            _("공개 페이지·API·보고서·웹훅에 이 시각까지 나오지 않습니다."),
            _("엠바고"),
            _("%(when)s 공개") % {"when": when},
        )

    @admin.display(
        description=Event._meta.get_field("starts_at").verbose_name, ordering="starts_at"
    )
    def when(self, obj):
        """The start as the admin writes it, but only the date when the time is not known."""
        local = timezone.localtime(obj.starts_at)
        return formats.localize(local if obj.time_is_known else local.date())

    @admin.action(description=_("선택한 행사를 언론 공개로 표시"), permissions=["change"])
    def mark_open_to_press(self, request, queryset):
        self._set_press(request, queryset, True)

    @admin.action(description=_("선택한 행사를 언론 비공개로 표시"), permissions=["change"])
    def mark_closed_to_press(self, request, queryset):
        self._set_press(request, queryset, False)

    def _set_press(self, request, queryset, value):
        # update() of TrackedQuerySet writes one history row per event and bumps versions.
        count = queryset.update_with_history(
            open_to_press=value, history_user=request.user, change_reason=_("일괄 변경")
        )
        self.message_user(request, _("%(count)d개 행사를 바꿨습니다.") % {"count": count})


@admin.register(EventOrganization)
class EventOrganizationAdmin(TrackedAdmin):
    list_display = ["event", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["event__name", "organization__name"]
    autocomplete_fields = ["event", "organization"]
    list_select_related = ["event", "organization"]


@admin.register(AgendaItem)
class AgendaItemAdmin(TrackedAdmin):
    list_display = [
        "event",
        "order",
        "starts_at",
        "ends_at",
        "title",
        "kind",
        "presenter_organization",
        "open_to_press",
    ]
    list_filter = ["kind", "open_to_press"]
    search_fields = ["title", "title_en", "event__name", "presenter_note"]
    autocomplete_fields = ["event", "presenter_organization", "presenter_person"]
    list_select_related = ["event", "presenter_organization"]


@admin.register(EventParticipant)
class EventParticipantAdmin(TrackedAdmin):
    list_display = ["event", "role", "person", "organization", "title_at_event", "is_public"]
    list_filter = ["role", "is_public"]
    search_fields = ["event__name", "person__name", "organization__name", "title_at_event"]
    autocomplete_fields = ["event", "person", "organization"]
    list_select_related = ["event", "person__organization", "organization"]


@admin.register(Award)
class AwardAdmin(TrackedAdmin):
    list_display = [
        "name",
        "year",
        "rank",
        "prize",
        "recipient_company",
        "recipient_person",
        "event",
        "program",
    ]
    list_filter = ["year", "rank"]
    search_fields = [
        "name",
        "name_en",
        "recipient_company__name",
        "recipient_company__business_number",
        "recipient_person__name",
        "citation",
    ]
    identifier_search_fields = ["recipient_company__business_number"]
    autocomplete_fields = [
        "program",
        "event",
        "recipient_company",
        "recipient_person",
        "outcomes",
        "sources",
    ]
    list_select_related = [
        "recipient_company",
        "recipient_person__organization",
        "event",
        "program",
    ]
