"""Viewsets of the core resources: regions, organizations, sources, people (staff only)."""

from django.views.decorators.csrf import csrf_exempt

from core.api.exceptions import error_json
from core.api.permissions import StaffOnly
from core.api.serializers import (
    ORGANIZATION,
    PERSON,
    REGION,
    SOURCE,
)
from core.api.viewsets import ApiViewSet
from core.filters import OrganizationFilterSet, PersonFilterSet, RegionFilterSet, SourceFilterSet
from core.models import Organization, Person, Region, Source


class RegionViewSet(ApiViewSet):
    """The 17 regions (시도), looked up by their two-digit code."""

    queryset = Region.objects.all()
    shape = REGION
    filterset_class = RegionFilterSet
    search_fields = ("name", "short_name", "name_en")
    ordering = ("code",)
    ordering_fields = {"code": "code", "name": "name", "name_en": "name_en"}
    ordering_tiebreaker = "code"
    lookup_url_kwarg = "code"
    lookup_value_regex = "[0-9]{2}"
    lookup_description = "Two-digit region code, e.g. 48."
    number_field = "code"


class OrganizationViewSet(ApiViewSet):
    """Ministries, agencies, local governments, universities, associations, companies..."""

    queryset = Organization.objects.all()
    shape = ORGANIZATION
    filterset_class = OrganizationFilterSet
    search_fields = ("name", "name_en", "short_name")
    ordering = ("name",)
    ordering_fields = {"name": "name", "kind": "kind", "updated_at": "updated_at", "id": "id"}
    last_modified = True


class SourceViewSet(ApiViewSet):
    """Press releases, articles and reports that the figures cite; by id or key."""

    queryset = Source.objects.all()
    shape = SOURCE
    filterset_class = SourceFilterSet
    search_fields = ("title", "publisher", "author")
    ordering = ("-published_at", "key")
    ordering_fields = {
        "published_at": "published_at",
        "publisher": "publisher",
        "key": "key",
        "updated_at": "updated_at",
        "id": "id",
    }
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    lookup_description = "Numeric id or the source key."
    slug_field = "key"
    last_modified = True


class PersonViewSet(ApiViewSet):
    """People with their contact data — staff only."""

    queryset = Person.objects.all()
    shape = PERSON
    filterset_class = PersonFilterSet
    permission_classes = [StaffOnly]
    public_read = False
    search_fields = ("name", "name_en", "position")
    ordering = ("name",)
    ordering_fields = {"name": "name", "updated_at": "updated_at", "id": "id"}
    last_modified = True


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any other URL under /api/: a JSON 404 (not the public site's HTML page)."""
    return error_json("not_found")
