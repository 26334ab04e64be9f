"""THE amount parser: Korean KRW amounts as people write them, to integer KRW.

One grammar for every channel that reads money typed or written by people: the admin's money
fields, the spreadsheet import and the press-release intake.

- ``parse_krw(text)`` reads a whole field value ("234억", "1조 2,000억원", "5천만 원",
  "12억 3,400만 원", "23,400,000,000", "₩1,000", full-width digits) and returns integer KRW, or
  raises ``AmountError`` with a Korean message that names the input.
- ``AMOUNT_RE`` finds amounts inside running text ("사업비 350억 원을", "약 1050억원"). Every
  match is accepted by ``parse_krw``. In running text an amount needs a marker: it ends in 원,
  starts with ₩, or its largest unit is 조/억 (and it is not followed by another currency or a
  counter such as 명/개, e.g. "350억 달러", "1억 명").
- ``reading(krw)`` is the exact 조/억/만 reading of an integer ("1조 2,000억 원").

Grammar (spaces between the parts are optional, one at most)::

    amount  = [₩] number [원]
            | big [group 원 | 원]
            | group [원]
    big     = group 조 [group 억] [group 만] | group 억 [group 만] | group 만
    group   = number | small
    number  = 1,234,567[.5] | 1234567[.5]
    small   = 5천[5백][5십] | 5백[5십] | 5십          (e.g. "5천만", "2조5천억", "3천5백만")

A group after a larger unit must be smaller than that unit ("1조 12,000억" is refused), the
result must be a whole number of 원 within PostgreSQL's BigInteger, and a bare number after a
unit needs 원 ("12억 3400" is ambiguous and refused; "12억 3,400원" and "12억 3,400만" are not).
"""

import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation, localcontext

from .formatting import JO, format_krw

MAX_KRW = 2**63 - 1  # PostgreSQL bigint / Django BigIntegerField
MAX_LENGTH = 60  # characters of a field value; "9,223,372,036,854,775,807원" is 26
_EXACT = Context(prec=MAX_LENGTH * 2)  # every digit of the longest accepted value, no rounding

_DIGIT = "[0-9０-９]"
_NONZERO = "[1-9１-９]"
_NUMBER = rf"{_DIGIT}{{1,3}}(?:[,，]{_DIGIT}{{3}})+(?:[.．]{_DIGIT}+)?|{_DIGIT}+(?:[.．]{_DIGIT}+)?"
_SMALL = (
    rf"{_NONZERO}천(?:{_NONZERO}백)?(?:{_NONZERO}십)?|{_NONZERO}백(?:{_NONZERO}십)?|{_NONZERO}십"
)
_GROUP = rf"(?:{_SMALL}|{_NUMBER})"
_WON = r"\s?원"
_WON_SIGN = "[₩￦]"
_BIG_JO_EOK = (
    rf"{_GROUP}\s?조(?:\s?{_GROUP}\s?억)?(?:\s?{_GROUP}\s?만)?|{_GROUP}\s?억(?:\s?{_GROUP}\s?만)?"
)
_BIG = rf"(?:{_BIG_JO_EOK}|{_GROUP}\s?만)"
# After a bare 조/억 amount in running text: not another currency, a counter or more digits.
_NOT_KRW_AFTER = (
    rf"\s?(?:{_DIGIT}|달러|불|엔|위안|유로|파운드|명|개|건|곳|대|톤|회|배|가구|마리|주|년|㎡|평)"
)

_FULL_RE = re.compile(
    rf"{_WON_SIGN}\s?(?:{_NUMBER})(?:{_WON})?|{_BIG}(?:\s?{_GROUP}{_WON}|{_WON})?|{_GROUP}(?:{_WON})?"
)

AMOUNT_RE = re.compile(
    rf"(?<![0-9０-９.．,，])"
    rf"(?:{_WON_SIGN}\s?(?:{_NUMBER})(?![0-9０-９])(?:{_WON})?"
    rf"|{_BIG}(?:\s?{_GROUP}{_WON}|{_WON})"
    rf"|(?:{_BIG_JO_EOK})(?!{_NOT_KRW_AFTER})"
    rf"|{_GROUP}{_WON})"
)
"""A KRW amount inside running text; ``parse_krw(match.group(0))`` accepts every match."""

_TOKEN_RE = re.compile(rf"(?P<small>{_SMALL})|(?P<number>{_NUMBER})|(?P<unit>[조억만])")
_UNITS = {"조": JO, "억": 100_000_000, "만": 10_000}
_SMALL_UNITS = {"천": 1000, "백": 100, "십": 10}
_NEGATIVE = ("-", "−", "–", "△", "▲")

EXAMPLES = "234억, 1조 2,000억, 5천만 원, 23,400,000,000"


class AmountError(ValueError):
    """An amount that cannot be read; the message is Korean and names the input."""


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def _group_value(small: str | None, number: str | None) -> Decimal:
    if number is not None:
        return Decimal(number.replace(",", ""))
    value = Decimal(0)
    for digit, unit in zip(small[::2], small[1::2], strict=True):
        value += int(digit) * _SMALL_UNITS[unit]
    return value


def parse_krw(text) -> int:
    """A whole field value ("234억", "1조 2,000억 원", "23,400,000,000") as integer KRW.

    Also takes an ``int`` (as a spreadsheet cell may hold one). Raises ``AmountError``.
    """
    if isinstance(text, bool):
        raise AmountError(f"금액이 아닙니다: {text!r}")
    if isinstance(text, int):
        value = Decimal(text)
        shown = f"{text:,}"
    else:
        if not isinstance(text, str):
            raise AmountError(f"금액이 아닙니다: {text!r}")
        normalized = _normalize(text)
        shown = text.strip()
        if not normalized:
            raise AmountError("금액이 비어 있습니다.")
        if normalized.startswith(_NEGATIVE):
            raise AmountError(f"금액은 0원 이상이어야 합니다: '{shown}'")
        if len(normalized) > MAX_LENGTH:
            raise AmountError(f"금액이 너무 깁니다: '{shown[:MAX_LENGTH]}…'")
        if not _FULL_RE.fullmatch(normalized):
            raise AmountError(f"금액을 읽을 수 없습니다: '{shown}' (예: {EXAMPLES})")
        with localcontext(_EXACT):
            value = _value_of(normalized, shown)
    if value < 0:
        raise AmountError(f"금액은 0원 이상이어야 합니다: '{shown}'")
    if value != value.to_integral_value():
        raise AmountError(f"1원 미만의 단위는 쓸 수 없습니다: '{shown}'")
    if value > MAX_KRW:
        raise AmountError(f"금액이 너무 큽니다: '{shown}'")
    return int(value)


def _value_of(normalized: str, shown: str) -> Decimal:
    total = Decimal(0)
    group = None
    previous_unit = None  # the last big unit seen, so a later group stays below it
    body = normalized.replace("₩", "").replace("원", "").replace(" ", "")
    try:
        for token in _TOKEN_RE.finditer(body):
            if token["unit"]:
                unit = _UNITS[token["unit"]]
                if previous_unit is not None and group * unit >= previous_unit:
                    raise AmountError(
                        f"단위 앞의 수가 너무 큽니다: '{shown}' (예: 1조 2,000억, 12억 3,400만)"
                    )
                total += group * unit
                previous_unit, group = unit, None
            else:
                group = _group_value(token["small"], token["number"])
    except InvalidOperation as error:  # pragma: no cover - the grammar only lets numbers through
        raise AmountError(f"금액을 읽을 수 없습니다: '{shown}'") from error
    if group is not None:
        if previous_unit is not None and group >= previous_unit:
            raise AmountError(f"단위 뒤의 수가 너무 큽니다: '{shown}'")
        total += group
    return total


def reading(krw: int) -> str:
    """The exact 조/억/만 reading: "1조 2,000억 원", "234억 원", "12억 3,400만 원"."""
    return format_krw(krw, "ko", exact=True)


# --- Amounts in running text, with the forms a press release adds around them -------------

_FOREIGN_CURRENCY = r"(?:미국\s?)?달러|불|엔|위안|유로|파운드|USD|EUR|JPY|CNY|\$"
_APPROX = r"(?:약|총|모두|최대|최소|연간|연|월)\s?"
#: a foreign-currency amount right before a KRW one in brackets: "약 7000만달러(약 1050억원)"
_FOREIGN_BEFORE_RE = re.compile(
    rf"(?P<foreign>(?:약\s?)?(?:{_BIG}|{_GROUP})\s?(?:{_FOREIGN_CURRENCY}))\s?[(（]\s?(?:{_APPROX})?$"
)
_APPROX_BEFORE_RE = re.compile(r"(?:약|대략)\s?$")
_APPROX_AFTER_RE = re.compile(r"^\s?(?:가량|정도|내외|여)")


class KrwMention:
    """One KRW amount found in running text by :func:`find_krw`."""

    __slots__ = ("approximate", "end", "krw", "other_currency", "start", "text")

    def __init__(self, *, start, end, text, krw, approximate=False, other_currency=""):
        self.start, self.end, self.text, self.krw = start, end, text, krw
        self.approximate = approximate
        self.other_currency = other_currency  # e.g. "7000만달러" stated next to the KRW figure

    def __repr__(self):
        return f"KrwMention({self.text!r}, {self.krw})"


def find_krw(text: str) -> list[KrwMention]:
    """Every KRW amount in ``text`` with its offsets, read by :func:`parse_krw`.

    "약 1050억원" is approximate; in "약 7000만달러(약 1050억원)" the KRW figure is the amount
    and the foreign one is noted (``other_currency``), its span covering both. An amount only
    in another currency ("350억 달러") is not a KRW figure and is not returned.
    """
    found = []
    for match in AMOUNT_RE.finditer(text):
        try:
            krw = parse_krw(match.group(0))
        except AmountError:
            continue
        start, end = match.start(), match.end()
        before = text[max(0, start - 40) : start]
        approximate = bool(_APPROX_BEFORE_RE.search(before)) or bool(
            _APPROX_AFTER_RE.match(text[end : end + 4])
        )
        other = ""
        foreign = _FOREIGN_BEFORE_RE.search(before)
        if foreign:
            other = " ".join(foreign["foreign"].split())
            start = start - len(before) + foreign.start()
            close = re.match(r"\s?[)）]", text[end:])
            if close:
                end += close.end()
        found.append(
            KrwMention(
                start=start,
                end=end,
                text=text[start:end],
                krw=krw,
                approximate=approximate,
                other_currency=other,
            )
        )
    return found
