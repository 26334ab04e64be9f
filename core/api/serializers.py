"""Regions, organizations, sources and people: their resource and reference shapes.

Every shape derives its fields from the model's publication declaration (``core.publication``)
and says only how it differs; ``core.api.shapes`` turns it into the read path, the schema and
the write fields. ``*Serializer`` names are the generated schema serializers.
"""

from rest_framework import serializers

from core.api.shapes import Computed, Shape, reference
from core.models import Organization, Person, Region, Source

# --- references reused by every app -------------------------------------------------------------

REGION_REF = reference(
    Shape(
        Region,
        "RegionRef",
        "A region (시도) by its code and names.",
        only=("code", "name", "short_name", "name_en"),
        help={"code": "Two-digit region code."},
    )
)
ORGANIZATION_REF = reference(
    Shape(
        Organization,
        "OrganizationRef",
        "An organization by id and names.",
        only=("id", "name", "name_en"),
    )
)
PERSON_REF = reference(
    Shape(
        Person,
        "PersonRef",
        "A named person without contact data.",
        only=("id", "name", "name_en", "position", "position_en"),
    )
)
SOURCE_REF = reference(
    Shape(
        Source,
        "SourceRef",
        "The source a figure or record cites.",
        only=("id", "key", "kind", "publisher", "title", "url", "published_at"),
        rename={"url": "link"},
        help={"link": "The source's own web address (may be empty)."},
    )
)

RegionRefSerializer = REGION_REF.serializer()
OrganizationRefSerializer = ORGANIZATION_REF.serializer()
PersonRefSerializer = PERSON_REF.serializer()
SourceRefSerializer = SOURCE_REF.serializer()

# --- resources ----------------------------------------------------------------------------------

REGION = Shape(
    Region,
    "Region",
    "One of the 17 regions (광역자치단체).",
    basename="region",
    url_key="code",
    nested=(
        Computed(
            "updated_at",
            loader=lambda ctx, ids: {},
            field_factory=lambda: serializers.DateTimeField(
                allow_null=True,
                help_text="Always null: regions are reference data loaded by migration.",
            ),
            empty=lambda: None,
        ),
    ),
    help={
        "code": "Two-digit region code (the lookup).",
        "is_capital_area": "In the capital area (수도권).",
    },
)
ORGANIZATION = Shape(
    Organization,
    "Organization",
    "A ministry, agency, local government, university, association, company...",
    basename="organization",
)
SOURCE = Shape(
    Source,
    "Source",
    "A press release, news article or report that figures cite.",
    basename="source",
    rename={"url": "link"},
    help={
        "key": "Stable identifier (also a lookup).",
        "link": "The source's own web address (may be empty).",
        "published_precision": "How much of published_at is known (e.g. only the month).",
    },
)
PERSON = Shape(
    Person,
    "Person",
    "A person with private contact data (staff only).",
    basename="person",
    help={"phone": "Private contact data.", "email": "Private contact data."},
)

RegionSerializer = REGION.serializer()
OrganizationSerializer = ORGANIZATION.serializer()
SourceSerializer = SOURCE.serializer()
PersonSerializer = PERSON.serializer()
