"""Viewset of companies."""

from companies.api.serializers import COMPANY, CompanyWriteSerializer
from companies.filters import CompanyFilterSet
from companies.models import Company
from core.api.viewsets import ApiViewSet, ApiWriteMixin


class CompanyViewSet(ApiWriteMixin, ApiViewSet):
    """Companies (AI suppliers and demand companies); staff with permission may change them."""

    queryset = Company.objects.all()
    shape = COMPANY
    write_serializer_class = CompanyWriteSerializer
    filterset_class = CompanyFilterSet
    search_fields = ("name", "name_en", "business_number")
    ordering = ("name",)
    ordering_fields = {
        "name": "name",
        "size": "size",
        "region": "region__code",
        "updated_at": "updated_at",
        "id": "id",
    }
    last_modified = True
