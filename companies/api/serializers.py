"""Companies: read shape (schema), reader and the write serializer."""

from rest_framework import serializers

from companies.models import Company
from core.api.reading import Reader, iso, region_columns, region_from
from core.api.serializers import RecordSerializer, RegionRefSerializer, VersionedSerializer
from core.api.writing import RegionCodeField, ValidatedModelSerializer


class CompanyRefSerializer(serializers.Serializer):
    """A company by id and names."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class CompanySerializer(RecordSerializer, VersionedSerializer):
    """A company: business facts and its roles in the AI market."""

    name = serializers.CharField()
    name_en = serializers.CharField()
    short_name = serializers.CharField()
    business_number = serializers.CharField(help_text="사업자등록번호, 10 digits (may be empty).")
    ksic_code = serializers.CharField(help_text="KSIC industry code (may be empty).")
    industry = serializers.CharField()
    size = serializers.ChoiceField(choices=[("", "unknown"), *Company.Size.choices])
    is_ai_supplier = serializers.BooleanField()
    is_ai_demand = serializers.BooleanField()
    ceo_name = serializers.CharField()
    address = serializers.CharField()
    website = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)


class CompanyReader(Reader):
    basename = "company"
    columns = (
        "id",
        "name",
        "name_en",
        "short_name",
        "business_number",
        "ksic_code",
        "industry",
        "size",
        "is_ai_supplier",
        "is_ai_demand",
        "ceo_name",
        "address",
        "website",
        *region_columns("region"),
        "updated_at",
        "version",
    )

    def build(self, rows):
        url = self.url
        return [
            {
                "id": r["id"],
                "url": f"{url}{r['id']}/",
                "name": r["name"],
                "name_en": r["name_en"],
                "short_name": r["short_name"],
                "business_number": r["business_number"],
                "ksic_code": r["ksic_code"],
                "industry": r["industry"],
                "size": r["size"],
                "is_ai_supplier": r["is_ai_supplier"],
                "is_ai_demand": r["is_ai_demand"],
                "ceo_name": r["ceo_name"],
                "address": r["address"],
                "website": r["website"],
                "region": region_from(r, "region"),
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


class CompanyWriteSerializer(ValidatedModelSerializer):
    region = RegionCodeField(required=False, allow_null=True)

    class Meta:
        model = Company
        fields = (
            "id",
            "version",
            "name",
            "name_en",
            "short_name",
            "business_number",
            "ksic_code",
            "industry",
            "size",
            "is_ai_supplier",
            "is_ai_demand",
            "ceo_name",
            "address",
            "website",
            "region",
        )
        read_only_fields = ("id", "version")
