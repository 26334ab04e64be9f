"""Validation of Korean business identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
KSIC_PATTERN = re.compile(r"^[A-U]?[0-9]{2,5}$")
#: A 사업자등록번호 as the API takes it: ten digits, optionally written 220-81-62517 (or with
#: spaces); the check digit is verified by ``validate_business_number``.
BUSINESS_NUMBER_API_PATTERN = r"^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{5}$"


def normalize_business_number(value: str) -> str:
    """Strip the usual separators: '123-45-67890' -> '1234567890'."""
    return re.sub(r"[\s-]", "", value or "")


def is_valid_business_number(value: str) -> bool:
    """True when ``value`` is ten digits whose last digit is the NTS checksum of the first nine."""
    digits = normalize_business_number(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return False
    numbers = [int(c) for c in digits]
    total = sum(n * w for n, w in zip(numbers[:9], BRN_WEIGHTS, strict=True))
    total += numbers[8] * 5 // 10
    return (10 - total % 10) % 10 == numbers[9]


def validate_business_number(value: str) -> None:
    digits = normalize_business_number(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            _("사업자등록번호는 숫자 10자리여야 합니다 (예: 220-81-62517)."), code="brn_format"
        )
    if not is_valid_business_number(digits):
        raise ValidationError(
            _("사업자등록번호의 검증번호(마지막 자리)가 맞지 않습니다. 번호를 다시 확인해 주세요."),
            code="brn_checksum",
        )


def validate_ksic_code(value: str) -> None:
    if value and not KSIC_PATTERN.fullmatch(value):
        raise ValidationError(
            _(
                "표준산업분류(KSIC) 코드는 대문자 한 자리(선택)와 숫자 2~5자리입니다 (예: C29 또는 29271)."
            ),
            code="ksic_format",
        )
