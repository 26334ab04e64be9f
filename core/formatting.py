"""Money formatting: 억 원 / 조 원 in Korean, KRW billion in English."""

from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import filesizeformat
from django.utils import translation

EOK = 100_000_000
JO = 10_000 * EOK


def _trim(value: Decimal) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _exact_korean(amount: int) -> str:
    """Every 조/억/만 group spelled out: 12억 3,400만 원, 1조 2,000억 원, 12억 3,456만 7,891원."""
    if amount == 0:
        return "0원"
    parts = []
    for unit, name in ((JO, "조"), (EOK, "억"), (10_000, "만")):
        count, amount = divmod(amount, unit)
        if count:
            parts.append(f"{count:,}{name}")
    if amount:
        return " ".join([*parts, f"{amount:,}원"])
    return " ".join(parts) + " 원"


def format_krw(amount: int | None, language: str | None = None, *, exact: bool = False) -> str:
    """350억 원 for 35,000,000,000 KRW; 'KRW 35 billion' in English.

    ``exact`` spells out every 조/억/만 group instead of rounding to one decimal of the largest
    unit (12억 3,400만 원 rather than 12.3억 원): the reading staff check while typing an amount.
    """
    if amount is None:
        return ""
    language = (language or translation.get_language() or "ko")[:2]
    if amount < 0:
        return "-" + format_krw(-amount, language, exact=exact)
    if exact:
        return f"KRW {amount:,}" if language == "en" else _exact_korean(amount)
    value = Decimal(amount)
    if language == "en":
        if value >= 10**12:
            return f"KRW {_trim((value / 10**12).quantize(Decimal('0.1'), ROUND_HALF_UP))} trillion"
        if abs(value) >= 10**9:
            return f"KRW {_trim((value / 10**9).quantize(Decimal('0.1'), ROUND_HALF_UP))} billion"
        if abs(value) >= 10**6:
            return f"KRW {_trim((value / 10**6).quantize(Decimal('0.1'), ROUND_HALF_UP))} million"
        return f"KRW {amount:,}"
    if abs(value) >= JO:
        jo, rest = divmod(int(value), JO)
        eok = rest // EOK
        return f"{jo:,}조 {eok:,}억 원" if eok else f"{jo:,}조 원"
    if abs(value) >= EOK:
        if value >= JO - EOK // 20:
            return f"{int(value) // EOK:,}억 원"
        return f"{_trim((value / EOK).quantize(Decimal('0.1'), ROUND_HALF_UP))}억 원"
    if abs(value) >= 10_000:
        return f"{_trim((value / 10_000).quantize(Decimal('0.1'), ROUND_HALF_UP))}만 원"
    return f"{amount:,}원"


def format_bytes(size: int) -> str:
    """10485760 → '10.0 MB' (Django's filesizeformat, with a plain space)."""
    return filesizeformat(size).replace("\xa0", " ")
