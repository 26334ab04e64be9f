"""Companies: the resource and reference shapes and the write serializer."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from companies.models import Company
from companies.validators import BUSINESS_NUMBER_API_PATTERN, KSIC_PATTERN
from core.api.serializers import REGION_REF  # noqa: F401  (registers the region reference)
from core.api.shapes import Shape, reference
from core.api.writing import StrictCharField, shape_write_serializer

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


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "string",
                "format": "kr-business-number",
                "pattern": BUSINESS_NUMBER_API_PATTERN,
                "description": "Ten digits (220-81-62517 or 2208162517) whose last digit is "
                "the NTS check digit of the first nine.",
            },
            {"type": "string", "maxLength": 0},
        ]
    }
)
class BusinessNumberField(StrictCharField):
    """사업자등록번호 in a body: the pattern here, the check digit by the model's validator. The
    schema names the rule as the format ``kr-business-number``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [])
        kwargs["validators"].append(
            RegexValidator(
                BUSINESS_NUMBER_API_PATTERN,
                _("사업자등록번호는 숫자 10자리여야 합니다 (예: 220-81-62517)."),
                code="brn_format",
            )
        )
        super().__init__(max_length=12, allow_blank=True, required=False, **kwargs)


CompanyWriteSerializer = shape_write_serializer(
    COMPANY,
    business_number=BusinessNumberField(),
    ksic_code=StrictCharField(
        max_length=6,
        allow_blank=True,
        required=False,
        validators=[
            RegexValidator(
                KSIC_PATTERN,
                _(
                    "표준산업분류(KSIC) 코드는 대문자 한 자리(선택)와 숫자 2~5자리입니다 "
                    "(예: C29 또는 29271)."
                ),
                code="ksic_format",
            )
        ],
    ),
)
