"""Regions named in running text: full names, short forms, old names and a few large cities.

The names come from the ``core.Region`` reference rows (name and short name); the other forms
people write are listed here once. A short form counts only as a word of its own: "경기" in
"경기 지역" is 41, in "경기대학교" it is not a region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Forms people write that are neither the official name nor the short name (code → forms).
OTHER_FORMS = {
    "11": ("서울시",),
    "26": ("부산시",),
    "27": ("대구시",),
    "28": ("인천시",),
    "29": ("광주시",),
    "30": ("대전시",),
    "31": ("울산시",),
    "36": ("세종시",),
    "43": ("충청북도청",),
    "50": ("제주도",),
    "51": ("강원도",),
    "52": ("전라북도", "전북도"),
}
# Cities that place a venue in a region (the region is then proposed with how="city").
CITIES = {
    "청주": "43",
    "오송": "43",
    "충주": "43",
    "천안": "44",
    "아산": "44",
    "창원": "48",
    "김해": "48",
    "진주": "48",
    "거제": "48",
    "포항": "47",
    "구미": "47",
    "경주": "47",
    "전주": "52",
    "군산": "52",
    "익산": "52",
    "여수": "46",
    "순천": "46",
    "목포": "46",
    "춘천": "51",
    "원주": "51",
    "강릉": "51",
    "수원": "41",
    "성남": "41",
    "판교": "41",
    "용인": "41",
    "고양": "41",
    "안산": "41",
    "화성": "41",
    "평택": "41",
    "서귀포": "50",
}
# What may follow a short form or a city name so that it is still the place itself.
_AFTER = (
    r"(?=$|[^가-힣]|특별|광역|지역|권역|권|도청|도내|시청|소재|지방|내|형|에서|에|의|은|는|이|가|"
    r"을|를|와|과|도|시|및|등|로|으로|까지|부터|만)"
)


@dataclass(frozen=True)
class RegionMention:
    code: str
    start: int
    end: int
    text: str
    how: str  # "name", "short_name", "other", "city"


@lru_cache(maxsize=1)
def _forms() -> tuple[tuple[str, str, str], ...]:
    """(form, code, how), longest first."""
    from core.models import Region

    forms = []
    for code, name, short in Region.objects.values_list("code", "name", "short_name"):
        forms.append((name, code, "name"))
        forms.append((short, code, "short_name"))
        for other in OTHER_FORMS.get(code, ()):
            forms.append((other, code, "other"))
    for city, code in CITIES.items():
        forms.append((city, code, "city"))
    return tuple(sorted(forms, key=lambda f: -len(f[0])))


@lru_cache(maxsize=1)
def _pattern():
    forms = _forms()
    alternation = "|".join(re.escape(form) for form, _code, _how in forms)
    return re.compile(rf"(?<![가-힣])(?P<form>{alternation}){_AFTER}"), {
        form: (code, how) for form, code, how in forms
    }


def find_regions(text: str) -> list[RegionMention]:
    pattern, index = _pattern()
    found = []
    for m in pattern.finditer(text):
        code, how = index[m["form"]]
        found.append(RegionMention(code, m.start(), m.end(), m["form"], how))
    return found


def region_code(name: str) -> str | None:
    """The code of a region written on its own ("경남", "경상남도", "48")."""
    name = name.strip()
    if re.fullmatch(r"\d{2}", name):
        return name
    for form, code, _how in _forms():
        if form == name:
            return code
    return None
