"""The normaliser: figures, dates, times and regions in Korean running text, as typed values.

``find_values(text, published)`` returns every value with its character offsets, in text order
and without overlaps (the longest, most specific form wins):

- ``amount``: integer KRW, read by the one amount parser ``core.amounts`` (``find_krw``); a
  figure stated in another currency next to it is kept in ``note``;
- ``percent`` and ``percent_point`` (%p): numbers;
- ``count``: a number with its unit (개사, 명, 곳, 기, 개, 건, 팀, 회...), "20여 명" approximate;
- ``date``: ISO 8601 ("2026-07-01", "2026-07", "2026") with its ``precision`` (day, month,
  year); partial ("19일", "7. 1.(수)") and relative ("지난 19일", "내달 8일", "작년 10월 2일")
  dates are resolved against the publication date (None when it is unknown);
- ``datetime``: a date with a time ("7. 1.(수) 12:00");
- ``range``: ``{"start", "end"}`` of dates or datetimes ("‘25.~’28.", "14:00~16:00" after a
  date, "2026. 3. 2.~3. 31.");
- ``region``: a region code ("경남", "경상남도" → "48"; a few large cities too).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.amounts import find_krw

from .regions import find_regions

SEOUL = ZoneInfo("Asia/Seoul")

DAY, MONTH, YEAR, MINUTE = "day", "month", "year", "minute"


@dataclass
class Value:
    """One normalised value found in a text."""

    kind: str
    value: object  # int KRW, float, ISO string, {"start", "end"} or a region code
    start: int
    end: int
    text: str
    unit: str = ""
    precision: str = ""
    approximate: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        data = {"kind": self.kind, "value": self.value, "text": self.text}
        for name in ("unit", "precision", "note"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.approximate:
            data["approximate"] = True
        return data


# --- dates ----------------------------------------------------------------------------------

_WEEKDAYS = "월화수목금토일"
_WD = rf"\s?\(\s?(?P<wd>[{_WEEKDAYS}])\s?\)"
_Q = "[‘'’`´]"  # the apostrophe of a two-digit year, as typed
_TIME = r"(?P<h1>[0-2]?\d):(?P<m1>[0-5]\d)(?:\s?[~∼\-–]\s?(?P<h2>[0-2]?\d):(?P<m2>[0-5]\d))?"
_KTIME = r"(?P<ampm>오전|오후)\s?(?P<kh>\d{1,2})시(?:\s?(?P<km>\d{1,2})분|\s?반)?"

_DATE_PATTERNS: list[tuple[str, re.Pattern]] = [
    # 2025-04-09, 2025.4.9., 2025. 4. 9.(수), 2025/04/09
    (
        "ymd",
        re.compile(
            rf"(?<![\d.])(?P<y>(?:19|20)\d{{2}})\s?[-./]\s?(?P<mo>\d{{1,2}})\s?[-./]\s?(?P<d>\d{{1,2}})(?!\d)\.?(?:{_WD})?"
        ),
    ),
    # 2025년 4월 9일, 2025년 4월, 2025년
    (
        "ymd_k",
        re.compile(
            r"(?<!\d)(?P<y>(?:19|20)\d{2})\s?년(?:\s?(?P<mo>\d{1,2})\s?월(?:\s?(?P<d>\d{1,2})\s?일)?)?"
        ),
    ),
    # ‘25.~’28.  /  '25~'28  / 2025~2028년
    ("yy_range", re.compile(rf"{_Q}(?P<y1>\d{{2}})\.?\s?[~∼\-–]\s?{_Q}(?P<y2>\d{{2}})\.?(?!\d)")),
    (
        "yyyy_range",
        re.compile(r"(?<!\d)(?P<y1>(?:19|20)\d{2})\s?[~∼\-–]\s?(?P<y2>(?:19|20)\d{2})\s?년?(?!\d)"),
    ),
    # 26.3월 (a two-digit year then a month), ‘26년 3월, ‘26년
    (
        "yy_month",
        re.compile(
            rf"(?:(?<![\d.]){_Q}?(?P<y>\d{{2}})\.\s?|{_Q}(?P<y2>\d{{2}})년\s?)(?P<mo>\d{{1,2}})\s?월"
        ),
    ),
    ("yy_year", re.compile(rf"{_Q}(?P<y>\d{{2}})(?:년|\.)(?!\s?\d)")),
    # 작년 10월 2일, 올해 3월, 내년
    (
        "rel_year",
        re.compile(
            r"(?P<rel>작년|지난해|올해|금년|내년|이듬해|다음 해)(?:\s?(?P<mo>\d{1,2})\s?월(?:\s?(?P<d>\d{1,2})\s?일)?)?"
        ),
    ),
    # 지난달 5일, 내달 8일, 이달 20일, 다음 달
    (
        "rel_month",
        re.compile(
            r"(?P<rel>지난\s?달|전달|전월|이달|이번\s?달|내달|다음\s?달|익월)(?:\s?(?P<d>\d{1,2})\s?일)?"
        ),
    ),
    # 지난 3월 5일, 오는 8일, 지난 19일
    (
        "rel_day",
        re.compile(
            r"(?P<rel>지난|오는|이번)\s?(?:(?P<mo>\d{1,2})\s?월\s?)?(?P<d>\d{1,2})\s?일(?!\s?간)"
        ),
    ),
    # 7월 1일(수), 7월 하순, 7월
    (
        "md_k",
        re.compile(
            rf"(?<![\d.])(?P<mo>\d{{1,2}})\s?월(?:\s?(?P<d>\d{{1,2}})\s?일(?!\s?간)(?:{_WD})?|\s?(?P<part>초순|상순|중순|하순|초|말))?"
        ),
    ),
    # 7. 1.(수), 7. 1 (수), 7.1.
    (
        "md_dot",
        re.compile(
            rf"(?<![\d.])(?P<mo>1[0-2]|0?[1-9])\.\s?(?P<d>[0-3]?\d)(?=\.|\s?\()\.?(?:{_WD})?(?!\d)"
        ),
    ),
    # 19일 (a day of the publication's month)
    (
        "d_only",
        re.compile(
            r"(?<![\d.~∼\-])(?P<d>[1-3]?\d)\s?일(?!\s?[간째자])(?:{_WD})?".replace("{_WD}", _WD)
        ),
    ),
]

_TIME_AFTER_RE = re.compile(rf"^,?\s{{0,2}}(?:<\s?)?(?:{_TIME}|{_KTIME})")
_RANGE_TAIL_RE = re.compile(
    rf"^\s?[~∼\-–]\s?(?:(?P<y>(?:19|20)\d{{2}})\s?[-./]\s?)?(?:(?P<mo>\d{{1,2}})\s?[./월]\s?)?(?P<d>\d{{1,2}})\s?[.일]?(?:{_WD})?"
)
_BARE_TIME_RE = re.compile(rf"(?<![\d:])(?:{_TIME})(?![\d:])")


def _two_digit_year(yy: str) -> int:
    return 2000 + int(yy)


def _valid(year, month, day=1) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


def _iso(date: dt.date, precision: str) -> str:
    if precision == YEAR:
        return f"{date.year:04d}"
    if precision == MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _year_for(month: int, day: int, weekday: str | None, published: dt.date) -> int:
    """The year of a month and day printed without one: the publication's year, unless the
    printed weekday only fits the year before or after."""
    candidates = [published.year, published.year + 1, published.year - 1]
    if weekday:
        for year in candidates:
            date = _valid(year, month, day)
            if date and _WEEKDAYS[date.weekday()] == weekday:
                return year
    return published.year


def _shift_month(date: dt.date, months: int) -> tuple[int, int]:
    index = date.year * 12 + date.month - 1 + months
    return index // 12, index % 12 + 1


def _resolve(name: str, m: re.Match, published: dt.date | None):
    """(date, precision, note) of a date match, or None when it is not a date here."""
    g = m.groupdict()
    if name == "ymd":
        d = _valid(int(g["y"]), int(g["mo"]), int(g["d"]))
        return (d, DAY, "") if d else None
    if name == "ymd_k":
        year = int(g["y"])
        if g["d"]:
            d = _valid(year, int(g["mo"]), int(g["d"]))
            return (d, DAY, "") if d else None
        if g["mo"]:
            d = _valid(year, int(g["mo"]))
            return (d, MONTH, "") if d else None
        return (dt.date(year, 1, 1), YEAR, "")
    if name == "yy_month":
        d = _valid(_two_digit_year(g["y"] or g["y2"]), int(g["mo"]))
        return (d, MONTH, "") if d else None
    if name == "yy_year":
        return (dt.date(_two_digit_year(g["y"]), 1, 1), YEAR, "")
    if published is None:
        return (None, DAY if g.get("d") else MONTH, "발행일이 없어 연도를 정할 수 없음")
    if name == "rel_year":
        offset = {"작년": -1, "지난해": -1, "전년": -1, "올해": 0, "금년": 0}.get(g["rel"], 1)
        year = published.year + offset
        if g["d"]:
            d = _valid(year, int(g["mo"]), int(g["d"]))
            return (d, DAY, "") if d else None
        if g["mo"]:
            d = _valid(year, int(g["mo"]))
            return (d, MONTH, "") if d else None
        return (dt.date(year, 1, 1), YEAR, "")
    if name == "rel_month":
        rel = g["rel"].replace(" ", "")
        offset = {"지난달": -1, "전달": -1, "전월": -1, "이달": 0, "이번달": 0}.get(rel, 1)
        year, month = _shift_month(published, offset)
        if g["d"]:
            d = _valid(year, month, int(g["d"]))
            return (d, DAY, "") if d else None
        return (dt.date(year, month, 1), MONTH, "")
    if name == "rel_day":
        day = int(g["d"])
        if g["mo"]:
            month = int(g["mo"])
            year = published.year
            d = _valid(year, month, day)
            if d is None:
                return None
            if g["rel"] == "지난" and d > published:
                d = _valid(year - 1, month, day)
            elif g["rel"] == "오는" and d < published:
                d = _valid(year + 1, month, day)
            return (d, DAY, "") if d else None
        # the nearest such day before (지난) or after (오는) the publication
        for months in (0, -1, -2) if g["rel"] == "지난" else (0, 1, 2):
            year, month = _shift_month(published, months)
            d = _valid(year, month, day)
            if d is None:
                continue
            if (g["rel"] == "지난" and d <= published) or (g["rel"] != "지난" and d >= published):
                return (d, DAY, "")
        return None
    if name in ("md_k", "md_dot"):
        month = int(g["mo"])
        if g.get("d"):
            day = int(g["d"])
            year = _year_for(month, day, g.get("wd"), published)
            d = _valid(year, month, day)
            return (d, DAY, "") if d else None
        if name == "md_k":
            d = _valid(published.year, month)
            return (d, MONTH, g.get("part") or "") if d else None
        return None
    if name == "d_only":
        d = _valid(published.year, published.month, int(g["d"]))
        return (d, DAY, "") if d else None
    return None


def _time_value(m: re.Match):
    g = m.groupdict()
    if g.get("h1") is not None:
        start = (int(g["h1"]), int(g["m1"]))
        end = (int(g["h2"]), int(g["m2"])) if g.get("h2") else None
    else:
        hour = int(g["kh"]) % 12 + (12 if g["ampm"] == "오후" else 0)
        minute = int(g["km"]) if g.get("km") else (30 if m.group(0).endswith("반") else 0)
        start, end = (hour, minute), None
    if not all(0 <= h < 24 and 0 <= mi < 60 for h, mi in [start, *([end] if end else [])]):
        return None
    return start, end


def _at(date: dt.date, hm: tuple[int, int]) -> str:
    return dt.datetime(date.year, date.month, date.day, hm[0], hm[1], tzinfo=SEOUL).isoformat()


def find_dates(
    text: str, published: dt.date | None, taken: list[tuple[int, int]], day: dt.date | None = None
) -> list[Value]:
    found: list[Value] = []
    last_day: dt.date | None = day

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    candidates = []
    for order, (name, pattern) in enumerate(_DATE_PATTERNS):
        for m in pattern.finditer(text):
            candidates.append((m.start(), -(m.end() - m.start()), order, name, m))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    for start, _neg, _order, name, m in candidates:
        end = m.end()
        if not free(start, end):
            continue
        if name in ("yy_range", "yyyy_range"):
            y1 = int(m["y1"]) if len(m["y1"]) == 4 else _two_digit_year(m["y1"])
            y2 = int(m["y2"]) if len(m["y2"]) == 4 else _two_digit_year(m["y2"])
            if y2 < y1:
                continue
            found.append(
                Value(
                    "range",
                    {"start": f"{y1:04d}", "end": f"{y2:04d}"},
                    start,
                    end,
                    m[0],
                    precision=YEAR,
                )
            )
            taken.append((start, end))
            continue
        resolved = _resolve(name, m, published)
        if resolved is None:
            continue
        date, precision, note = resolved
        if (
            name == "d_only"
            and m[0].strip().endswith("일")
            and not _looks_like_day(text, start, end)
        ):
            continue
        value = Value(
            "date",
            _iso(date, precision) if date else None,
            start,
            end,
            m[0],
            precision=precision,
            note=note,
        )
        # a time right after a day: "7. 1.(수) 14:00~16:00", "9일 오후 2시"
        if date is not None and precision == DAY:
            last_day = date
            tm = _TIME_AFTER_RE.match(text[end : end + 30])
            if tm and (times := _time_value(tm)):
                t_start, t_end = times
                value.end = end + tm.end()
                value.text = text[start : value.end]
                if t_end:
                    value.kind, value.value = (
                        "range",
                        {"start": _at(date, t_start), "end": _at(date, t_end)},
                    )
                else:
                    value.kind, value.value = "datetime", _at(date, t_start)
                value.precision = MINUTE
            else:
                tail = _RANGE_TAIL_RE.match(text[end : end + 20])
                if tail:
                    year = int(tail["y"]) if tail["y"] else date.year
                    month = int(tail["mo"]) if tail["mo"] else date.month
                    other = _valid(year, month, int(tail["d"]))
                    if other and other >= date:
                        value.end = end + tail.end()
                        value.text = text[start : value.end]
                        value.kind = "range"
                        value.value = {"start": date.isoformat(), "end": other.isoformat()}
        if name == "yy_month" and text[end : end + 2].strip().startswith("~"):
            value.note = "부터"
        found.append(value)
        taken.append((value.start, value.end))
    # a time range on its own line of a timetable belongs to the last day named before it
    for m in _BARE_TIME_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        times = _time_value(m)
        if times is None or times[1] is None:
            continue
        day = _last_day_before(found, m.start()) or last_day
        if day is None:
            continue
        t_start, t_end = times
        found.append(
            Value(
                "range",
                {"start": _at(day, t_start), "end": _at(day, t_end)},
                m.start(),
                m.end(),
                m[0],
                precision=MINUTE,
            )
        )
        taken.append((m.start(), m.end()))
    return found


def last_day(values: list[Value]) -> dt.date | None:
    """The last day named in ``values`` (for the text that follows)."""
    return _last_day_before(values, 10**9)


def _last_day_before(found: list[Value], position: int) -> dt.date | None:
    best = None
    for value in found:
        if (
            value.value is not None
            and value.end <= position
            and value.precision in (DAY, MINUTE)
            and value.kind in ("date", "datetime", "range")
        ):
            iso = value.value if isinstance(value.value, str) else value.value["start"]
            if len(iso) >= 10:
                best = dt.date.fromisoformat(iso[:10])
    return best


def _looks_like_day(text: str, start: int, end: int) -> bool:
    """ "19일" is a day unless it counts days ("3일 동안") or is part of a larger number."""
    after = text[end : end + 4]
    return not after.lstrip().startswith(("동안", "이내", "이상", "미만", "전부터"))


# --- figures --------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT_RE = re.compile(
    rf"(?<![\d.,])(?P<n>{_NUM})\s?(?P<u>%\s?p|%포인트|퍼센트\s?포인트|%|％|퍼센트)"
)
_COUNT_UNITS = "개사|개소|개국|개교|개팀|개기업|개|명|곳|기|건|팀|회|대|社|가구|종"
_NATIVE = {
    "한": 1,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
}
_COUNT_RE = re.compile(
    rf"(?<![\d.,])(?:(?P<man>\d+)\s?만\s?(?P<rest>\d{{1,4}}|\d천)?|(?P<n>{_NUM}))\s?(?P<approx>여|餘|여\s)?\s?"
    rf"(?P<u>{_COUNT_UNITS})(?![가-힣]{{0,0}}[원])"
)
_NATIVE_COUNT_RE = re.compile(
    rf"(?<![가-힣])(?P<w>{'|'.join(_NATIVE)})\s(?P<u>개사|곳|명|개|기|팀)(?=$|[^가-힣]|[으로에의은는이가을를도만씩과와])"
)
_APPROX_AFTER_RE = re.compile(r"^\s?(?:내외|가량|정도|안팎|남짓|이상|여)")
# units that end a word, not a counter: "기업", "명칭", "회의", "대학", "건강", "개최", "기술"...
_UNIT_NOT_AFTER = {
    "개": "최선발편정혁",
    "명": "칭확단시",
    "기": "업술관반간존업준록대존여획념",
    "회": "의장사원관복",
    "대": "학표상응형비책회전규한",
    "건": "강설의",
    "곳": "",
    "팀": "장",
    "종": "합류목",
}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _plain(number: Decimal):
    return int(number) if number == number.to_integral_value() else float(number)


def find_figures(text: str, taken: list[tuple[int, int]]) -> list[Value]:
    found: list[Value] = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for m in find_krw(text):
        if not free(m.start, m.end):
            continue
        found.append(
            Value(
                "amount",
                m.krw,
                m.start,
                m.end,
                m.text,
                unit="KRW",
                approximate=m.approximate,
                note=(f"외화 표기: {m.other_currency}" if m.other_currency else ""),
            )
        )
        taken.append((m.start, m.end))
    for m in _PERCENT_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        point = "p" in m["u"] or "포인트" in m["u"]
        found.append(
            Value(
                "percent_point" if point else "percent",
                _plain(_number(m["n"])),
                m.start(),
                m.end(),
                m[0],
                unit="%p" if point else "%",
            )
        )
        taken.append((m.start(), m.end()))
    for m in _COUNT_RE.finditer(text):
        unit = m["u"]
        after = text[m.end() : m.end() + 1]
        if unit in _UNIT_NOT_AFTER and after and after in _UNIT_NOT_AFTER[unit]:
            continue
        if unit in ("개", "대", "기", "회", "종", "건") and after and "가" <= after <= "힣":
            if after not in "의에은는이가을를와과로씩도만":
                continue
        if not free(m.start(), m.end()):
            continue
        if m["man"]:
            rest = m["rest"] or "0"
            rest_value = int(rest[0]) * 1000 if rest.endswith("천") else int(rest)
            number = Decimal(int(m["man"]) * 10_000 + rest_value)
        else:
            number = _number(m["n"])
        end = m.end()
        approximate = bool(m["approx"])
        tail = _APPROX_AFTER_RE.match(text[end : end + 4])
        note = ""
        if tail and tail.group(0).strip() in ("내외", "가량", "정도", "안팎", "남짓", "여"):
            approximate = True
            end += tail.end()
        elif tail and tail.group(0).strip() == "이상":
            note = "이상"
        found.append(
            Value(
                "count",
                _plain(number),
                m.start(),
                end,
                text[m.start() : end],
                unit=unit,
                approximate=approximate,
                note=note,
            )
        )
        taken.append((m.start(), end))
    for m in _NATIVE_COUNT_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        found.append(Value("count", _NATIVE[m["w"]], m.start(), m.end(), m[0], unit=m["u"]))
        taken.append((m.start(), m.end()))
    return found


def find_values(
    text: str, published: dt.date | None = None, day: dt.date | None = None
) -> list[Value]:
    """Every value in ``text`` (see the module docstring), in text order. ``day`` is the day
    named before this text (a timetable row "14:00~14:10" belongs to it)."""
    taken: list[tuple[int, int]] = []
    # dates first: "7. 1.(수)" and "19일" must not be read as counts, "2025년" not as a figure
    values = find_dates(text, published, taken, day)
    values += find_figures(text, taken)
    for region in find_regions(text):
        if all(region.end <= s or region.start >= e for s, e in taken):
            values.append(
                Value("region", region.code, region.start, region.end, region.text, note=region.how)
            )
    values.sort(key=lambda v: (v.start, v.end))
    return values
