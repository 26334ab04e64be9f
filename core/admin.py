from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import scoping
from .admin_base import TrackedAdmin
from .models import Organization, Person, Region, SearchDocument, SearchWord, Source


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "name_en", "is_capital_area"]
    list_filter = ["is_capital_area"]
    search_fields = ["code", "name", "short_name", "name_en"]
    ordering = ["code"]

    def get_queryset(self, request):
        # a regional editor sees, and can pick in autocompletes, only its own regions
        return scoping.scope_choices(request.user, super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = [
        "key",
        "publisher",
        "title",
        "author",
        "kind",
        "published_at",
        "published_precision",
    ]
    list_filter = ["kind", "published_precision", "publisher"]
    search_fields = ["key", "title", "publisher", "author", "url"]
    search_help_text = _("식별자, 제목, 발행처, 작성자, URL")
    date_hierarchy = "published_at"
    prepopulated_fields = {}


@admin.register(Organization)
class OrganizationAdmin(TrackedAdmin):
    list_display = ["name", "short_name", "name_en", "kind", "parent", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "name_en"]
    autocomplete_fields = ["parent", "region"]
    list_select_related = ["parent", "region"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a company also deletes its organization row: that is the company's
        # permission (and region scope), not the organizations' one.
        if obj is not None and obj.kind == Organization.Kind.COMPANY:
            company = obj._meta.model.objects.filter(pk=obj.pk, company__isnull=False).first()
            if company is not None:
                return request.user.has_perm("companies.delete_company") and (
                    scoping.can_change(request.user, company.company)
                )
        return super().has_delete_permission(request, obj)


@admin.register(Person)
class PersonAdmin(TrackedAdmin):
    list_display = ["name", "position", "organization", "phone", "email"]
    list_filter = [("organization__kind", admin.AllValuesFieldListFilter)]
    search_fields = ["name", "name_en", "position", "organization__name", "phone", "email"]
    identifier_search_fields = ["phone"]
    search_help_text = _("이름, 직위, 소속, 전화번호(하이픈 있어도 없어도), 이메일")
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "position", "organization", "note"]}),
        (_("연락처 (비공개: 직원만 볼 수 있음)"), {"fields": ["phone", "email"]}),
    ]


class SearchIndexAdmin(admin.ModelAdmin):
    """The search index is derived data: readable by staff to see what a record is found by,
    never edited (``rebuild_search_index`` writes it again)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SearchDocument)
class SearchDocumentAdmin(SearchIndexAdmin):
    list_display = ["title", "record_type", "kind", "status", "regions", "years", "indexed_at"]
    list_filter = ["record_type", "kind", "status"]
    search_fields = ["title", "title_en", "names_compact"]
    autocomplete_fields = []
    list_select_related = []
    exclude = ["name_vector", "vector"]


@admin.register(SearchWord)
class SearchWordAdmin(SearchIndexAdmin):
    list_display = ["word"]
    list_filter = []
    search_fields = ["word"]
    autocomplete_fields = []
    list_select_related = []
