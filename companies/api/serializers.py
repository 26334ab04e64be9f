"""Companies: the resource and reference shapes and the write serializer."""

from companies.models import Company
from core.api.serializers import REGION_REF  # noqa: F401  (registers the region reference)
from core.api.shapes import Shape, reference
from core.api.writing import shape_write_serializer

COMPANY_REF = reference(
    Shape(Company, "CompanyRef", "A company by id and names.", only=("id", "name", "name_en"))
)
COMPANY = Shape(
    Company,
    "Company",
    "A company: business facts and its roles in the AI market.",
    basename="company",
    # Every company is of kind "company"; companies are not units of other organizations.
    exclude=("kind", "parent"),
    help={
        "business_number": "사업자등록번호, 10 digits (may be empty).",
        "ksic_code": "KSIC industry code (may be empty).",
    },
)

CompanyRefSerializer = COMPANY_REF.serializer()
CompanySerializer = COMPANY.serializer()
CompanyWriteSerializer = shape_write_serializer(COMPANY)
