"""Money formatting: 억 원 / 조 원 in Korean, KRW billion in English."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

EOK = 100_000_000
JO = 10_000 * EOK


def _trim(value: Decimal) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_krw(amount: int | None, language: str | None = None) -> str:
    """350억 원 for 35,000,000,000 KRW; 'KRW 35 billion' in English."""
    if amount is None:
        return ""
    language = (language or translation.get_language() or "ko")[:2]
    if amount < 0:
        return "-" + format_krw(-amount, language)
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
