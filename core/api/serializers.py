"""Regions, organizations, sources and people: read shapes (schema), readers and references.

The ``*Serializer`` classes document the JSON the readers build (the tests check both agree);
the readers select plain rows with ``values()`` and never touch a model instance.
"""

from rest_framework import serializers

from core.api.reading import (
    ORGANIZATION_REF,
    REGION_COLUMNS,
    Reader,
    iso,
    ref_columns,
    ref_from_columns,
    region_columns,
    region_from,
)
from core.models import Organization, Source

# --- reference shapes reused by every app -----------------------------------------------------


class RegionRefSerializer(serializers.Serializer):
    """A region (시도) by its code and names."""

    code = serializers.CharField(help_text="Two-digit region code.")
    name = serializers.CharField()
    short_name = serializers.CharField()
    name_en = serializers.CharField()


class OrganizationRefSerializer(serializers.Serializer):
    """An organization by id and names."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    """A named person without contact data."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    position = serializers.CharField()


class SourceRefSerializer(serializers.Serializer):
    """The source a figure or record cites."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    publisher = serializers.CharField()
    title = serializers.CharField()
    link = serializers.CharField(help_text="The source's own web address (may be empty).")
    published_at = serializers.DateTimeField(allow_null=True)


class RecordSerializer(serializers.Serializer):
    # Fields every record carries (no docstring: it would become every component's description).

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="This record in the API.")


class VersionedSerializer(serializers.Serializer):
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="Edit version; goes up by one on every save.")


# --- regions ----------------------------------------------------------------------------------


class RegionSerializer(serializers.Serializer):
    """One of the 17 regions (광역자치단체)."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    code = serializers.CharField(help_text="Two-digit region code (the lookup).")
    name = serializers.CharField()
    short_name = serializers.CharField()
    name_en = serializers.CharField()
    is_capital_area = serializers.BooleanField(help_text="In the capital area (수도권).")
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="Always null: regions are reference data loaded by migration."
    )


class RegionReader(Reader):
    basename = "region"
    columns = ("id", *REGION_COLUMNS, "is_capital_area")

    def build(self, rows):
        url = self.url
        for row in rows:
            row["url"] = f"{url}{row['code']}/"
            row["updated_at"] = None
        return rows


# --- organizations ----------------------------------------------------------------------------


class OrganizationSerializer(RecordSerializer, VersionedSerializer):
    """A ministry, agency, local government, university, association, company..."""

    name = serializers.CharField()
    name_en = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organization.Kind.choices)
    parent = OrganizationRefSerializer(allow_null=True)
    region = RegionRefSerializer(allow_null=True)
    website = serializers.CharField()


class OrganizationReader(Reader):
    basename = "organization"
    columns = (
        "id",
        "name",
        "name_en",
        "short_name",
        "kind",
        *ref_columns("parent", ORGANIZATION_REF),
        *region_columns("region"),
        "website",
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
                "kind": r["kind"],
                "parent": ref_from_columns(r, "parent", ORGANIZATION_REF),
                "region": region_from(r, "region"),
                "website": r["website"],
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


# --- sources ----------------------------------------------------------------------------------


class SourceSerializer(RecordSerializer, VersionedSerializer):
    """A press release, news article or report that figures cite."""

    key = serializers.CharField(help_text="Stable identifier (also a lookup).")
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    publisher = serializers.CharField()
    author = serializers.CharField()
    title = serializers.CharField()
    link = serializers.CharField(help_text="The source's own web address (may be empty).")
    published_at = serializers.DateTimeField(allow_null=True)
    published_precision = serializers.ChoiceField(
        choices=Source.Precision.choices,
        help_text="How much of published_at is known (e.g. only the month).",
    )
    note = serializers.CharField()


class SourceReader(Reader):
    basename = "source"
    columns = (
        "id",
        "key",
        "kind",
        "publisher",
        "author",
        "title",
        "url",
        "published_at",
        "published_precision",
        "note",
        "updated_at",
        "version",
    )

    def build(self, rows):
        url = self.url
        return [
            {
                "id": r["id"],
                "url": f"{url}{r['id']}/",
                "key": r["key"],
                "kind": r["kind"],
                "publisher": r["publisher"],
                "author": r["author"],
                "title": r["title"],
                "link": r["url"],
                "published_at": iso(r["published_at"]),
                "published_precision": r["published_precision"],
                "note": r["note"],
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]


# --- people (staff only: the only resource with contact data) --------------------------------


class PersonSerializer(RecordSerializer, VersionedSerializer):
    """A person with private contact data (staff only)."""

    name = serializers.CharField()
    name_en = serializers.CharField()
    position = serializers.CharField()
    organization = OrganizationRefSerializer(allow_null=True)
    phone = serializers.CharField(help_text="Private: staff only.")
    email = serializers.CharField(help_text="Private: staff only.")
    note = serializers.CharField()


class PersonReader(Reader):
    basename = "person"
    columns = (
        "id",
        "name",
        "name_en",
        "position",
        *ref_columns("organization", ORGANIZATION_REF),
        "phone",
        "email",
        "note",
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
                "position": r["position"],
                "organization": ref_from_columns(r, "organization", ORGANIZATION_REF),
                "phone": r["phone"],
                "email": r["email"],
                "note": r["note"],
                "updated_at": iso(r["updated_at"]),
                "version": r["version"],
            }
            for r in rows
        ]
